"""Labels of the learning audit verbs for timelines; registered when the app is ready. (Each part of the app adds
its own below.)"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

VERBS: dict[str, Any] = {
    "learning.attempt.started": _("Exam started"),
    "learning.attempt.submitted": _("Exam submitted"),
}

KEYS: dict[str, dict[str, Any]] = {}
