"""Labels of the challenges' audit verbs and of the keys of their data, for timelines (履历); registered from
LearningConfig.ready through challenge_plugins."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

CHALLENGE_VERBS: dict[str, Any] = {
    "learning.challenge.created": _("Challenge created"),
    "learning.challenge.updated": _("Challenge changed"),
    "learning.challenge.reordered": _("Levels reordered"),
    "learning.challenge.published": _("Challenge published"),
    "learning.challenge.withdrawn": _("Challenge withdrawn"),
    "learning.level.added": _("Level added"),
    "learning.level.changed": _("Level changed"),
    "learning.level.removed": _("Level removed"),
    "learning.level.entered": _("Level entered"),
    "learning.practice.started": _("Daily practice started"),
    "learning.mistakes.started": _("Wrong-answer practice started"),
}

CHALLENGE_KEYS: dict[str, Any] = {
    "title": _("challenge or level name"),
    "points": _("points earned"),
    "draw": _("Draw rules"),
    "banks": _("Question banks"),
    "levels": _("Levels"),
    "level": _("level number"),
    "number": _("level number"),
    "try": _("attempt number"),
    "challenge": _("Challenge"),
    "questions": _("Questions"),
}
