"""Human labels of audit verbs for timelines (履历). Apps add theirs with `register_verbs`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

VERBS: dict[str, Any] = {
    "orgs.org.created": _("Organisation created"),
    "orgs.org.updated": _("Organisation edited"),
    "orgs.org.moved": _("Organisation moved"),
    "orgs.org.deactivated": _("Organisation deactivated"),
    "orgs.org.reactivated": _("Organisation reactivated"),
    "orgs.person.created": _("Person registered"),
    "orgs.person.updated": _("Record corrected"),
    "orgs.person.imported": _("Imported from a roster"),
    "orgs.person.grade_recorded": _("Skill grade recorded"),
    "orgs.person.id_revealed": _("Full ID number viewed"),
    "orgs.membership.joined": _("Joined the union"),
    "orgs.membership.status_changed": _("Membership status changed"),
    "orgs.transfer.requested": _("Transfer requested"),
    "orgs.transfer.accepted": _("Transfer accepted"),
    "orgs.transfer.refused": _("Transfer refused"),
    "orgs.transfer.cancelled": _("Transfer withdrawn"),
    "orgs.role.granted": _("Role granted"),
    "orgs.role.revoked": _("Role revoked"),
    "orgs.account.created": _("Account opened"),
    "orgs.account.password_changed": _("Password changed"),
    "orgs.account.activated": _("Account enabled"),
    "orgs.account.deactivated": _("Account disabled"),
    "orgs.token.issued": _("API token issued"),
    "orgs.token.revoked": _("API token revoked"),
    "import.roster": _("Roster imported"),
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
    VERBS.update(verbs)


def verb_label(verb: str) -> str:
    return str(VERBS.get(verb, verb))
