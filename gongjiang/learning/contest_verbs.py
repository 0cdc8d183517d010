"""Labels of the contests' and theory exams' audit verbs for timelines (履历), and of the keys of their data;
registered by `contest_plugins.register()`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

VERBS: dict[str, Any] = {
    "learning.contest.created": _("Knowledge contest set up"),
    "learning.contest.changed": _("Knowledge contest changed"),
    "learning.contest.published": _("Knowledge contest published"),
    "learning.contest.results_published": _("Knowledge contest results published"),
    "learning.theory.created": _("Online theory exam set up"),
    "learning.theory.changed": _("Online theory exam changed"),
    "learning.theory.opened": _("Online theory exam opened"),
    "learning.theory.sent": _("Online theory exam closed and scores sent to the round"),
}

KEYS: dict[str, dict[str, Any]] = {
    "learning.contest": {
        "title": _("Title"), "opens_at": _("Opens at"), "closes_at": _("Closes at"), "draw": _("Draw rules"),
        "time_limit": _("Time limit (seconds)"), "max_attempts": _("Attempts allowed"), "prizes": _("Prizes"),
        "banks": _("Question banks"), "contest": _("Knowledge contest"), "number": _("Attempt"),
        "takers": _("Participants"), "winners": _("Prize winners"),
    },
    "learning.theory": {
        "title": _("Title"), "opens_at": _("Opens at"), "closes_at": _("Closes at"), "draw": _("Draw rules"),
        "time_limit": _("Time limit (seconds)"), "banks": _("Question banks"), "exam": _("Online theory exam"),
        "sent": _("Scores sent"), "attempts": _("Attempts"),
    },
}
