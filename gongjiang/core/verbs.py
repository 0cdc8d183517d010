"""Human labels of audit verbs for timelines (履历): core's own here; every app registers its labels from its
AppConfig.ready (`register_verbs(app.verbs.VERBS)`), so core names no domain verb."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

VERBS: dict[str, Any] = {
    "core.import.error_report_downloaded": _("Import error report downloaded"),
    "core.notice.published": _("Put on public notice"),
    "core.notice.closed": _("Public notice ended"),
    "core.notice.objection_filed": _("Objection received"),
    "core.notice.objector_read": _("Objector's name and contact read"),
    "core.notice.objection_noted": _("Investigation note added"),
    "core.notice.objection_decided": _("Objection decided"),
    "core.certificate.issued": _("Certificate issued"),
    "core.certificate.revoked": _("Certificate revoked"),
}


def register_verbs(verbs: dict[str, Any]) -> None:
    """Add an app's labels ({verb: lazy label}); a verb without one is shown as it is written."""
    VERBS.update(verbs)


def verb_label(verb: str) -> str:
    return str(VERBS.get(verb, verb))
