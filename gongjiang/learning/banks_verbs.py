"""Labels of the question banks' audit verbs for timelines (履历), and of the keys of their data that are no field of
the event's model; registered when the app is ready (banks_plugins)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongjiang.core.verbs import Key

from .choices import Difficulty, Kind

BANK_VERBS: dict[str, Any] = {
    "learning.bank.created": _("Question bank created"),
    "learning.bank.changed": _("Question bank changed"),
    "learning.bank.imported": _("Questions imported into the bank"),
    "learning.question.added": _("Question added"),
    "learning.question.changed": _("Question changed"),
    "learning.question.versioned": _("Question changed as a new version"),
    "learning.question.retired": _("Question retired"),
    "learning.question.imported": _("Question imported"),
    "import.learning_questions": _("Questions imported from Excel"),
}


def _words(value: Any) -> str:
    if isinstance(value, list):
        return "；".join("|".join(map(str, v)) if isinstance(v, list) else str(v) for v in value) or "—"
    return str(value)


BANK_KEYS: dict[str, dict[str, Any]] = {
    "learning.bank": {"added": _("Questions added"), "skipped": _("Skipped (already in the bank)"),
                      "source": Key(hidden=True)},  # the file's format: its name is the event's note
    "learning.question": {"kind": Key(choices=Kind), "difficulty": Key(choices=Difficulty),
                          "options": Key(show=_words), "blanks": Key(show=_words), "weights": Key(show=_words),
                          "feedback": Key(show=_words), "tags": Key(_("Knowledge points"), show=_words),
                          "version": _("Version"), "previous": Key(hidden=True), "current": _("Current"),
                          "fingerprint": Key(hidden=True)},
    "import.learning_questions": {"added": _("Questions added"), "skipped": _("Skipped (already in the bank)")},
}
