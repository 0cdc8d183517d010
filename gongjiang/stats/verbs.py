"""Labels of the statistics app's audit verbs for timelines (registered when the app is ready)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

VERBS: dict[str, Any] = {
    "stats.narrative.saved": _("Text of the annual report saved"),
}

KEYS: dict[str, dict[str, Any]] = {
    "stats": {"year": _("year"), "section": _("section"), "text": _("text")},
}
