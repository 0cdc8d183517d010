"""Labels of the archive's audit verbs for timelines (履历), and of the keys of their data."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongjiang.core.verbs import Key

from .choices import Cause, FileStatus, Grade, Housing, RequestKind

CHANNELS = {"page": _("the file's page"), "api": _("the API")}

VERBS: dict[str, Any] = {
    "care.threshold.set": _("Local threshold set"),
    "care.file.filed": _("Household filed (filing application)"),
    "care.request.submitted": _("Archive request submitted"),
    "care.request.checked": _("Archive request checked by the enterprise union"),
    "care.request.approved": _("Archive request approved"),
    "care.request.returned": _("Archive request returned"),
    "care.file.reviewed": _("Household file reviewed"),
    "care.file.viewed": _("Household file's personal data viewed"),
    "care.file.exported": _("Household files exported"),
}


def _causes(value: Any) -> str:
    if not isinstance(value, list):
        return str(value)
    return "、".join(str(Cause(c).label) if c in Cause.values else str(c) for c in value)


KEYS: dict[str, dict[str, Any]] = {
    "care": {
        "monthly_minimum": _("monthly per-capita minimum living standard"),
        "members": _("household members"),
        "causes": Key(_("causes of hardship"), show=_causes),
        "housing": Key(_("housing"), choices=Housing),
        "grade": Key(_("hardship grade"), choices=Grade),
        "status": Key(_("status"), choices=FileStatus),
        "kind": Key(_("request kind"), choices=RequestKind),
        "request": _("Request"),
        "reason": _("Reason"),
        "flags": _("Members flagged in another file"),
        "next_review": _("next review"),
        "channel": Key(_("Read through"), choices=CHANNELS),
        "clear_ids": _("Full ID numbers"),
        "rows": _("Rows"),
    },
}
