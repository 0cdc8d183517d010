"""Labels of the statistics app's audit verbs for timelines (registered when the app is ready)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

VERBS: dict[str, Any] = {
    "stats.narrative.saved": _("Text of the annual report saved"),
    "stats.request.issued": _("Data request sent"),
    "stats.request.reminded": _("Unions reminded to report"),
    "stats.request.closed": _("Data request closed"),
    "stats.return.saved": _("Figures of a return saved"),
    "stats.return.submitted": _("Return reported"),
    "stats.return.returned": _("Return sent back for correction"),
}

KEYS: dict[str, dict[str, Any]] = {
    "stats": {"year": _("year"), "section": _("section"), "text": _("text"), "title": _("title"),
              "period": _("period"), "due": _("report by"), "indicators": _("indicators"),
              "recipients": _("unions that report"), "unions": _("unions reminded"), "state": _("state"),
              "missing": _("not reported"), "values": _("figures"), "reason": _("reason")},
}
