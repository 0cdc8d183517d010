"""Labels of the orgs' audit verbs for timelines (履历), and the labels and looks of their data's keys; registered
with core's verb registry when the app is ready (OrgsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongjiang.core.history import day
from gongjiang.core.verbs import Key

from .choices import MembershipStatus

VERBS = {
    "orgs.org.created": _("Organisation created"),
    "orgs.org.updated": _("Organisation edited"),
    "orgs.org.moved": _("Organisation moved"),
    "orgs.org.deactivated": _("Organisation deactivated"),
    "orgs.org.reactivated": _("Organisation reactivated"),
    "orgs.person.created": _("Person registered"),
    "orgs.person.updated": _("Record corrected"),
    "orgs.person.imported": _("Imported from a roster"),
    "orgs.person.exported": _("Roster exported with full ID numbers"),
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
}


# ---------------------------------------------------------------------------------------------
# What core.history needs to put the orgs' audit data in words (registered with VERBS)


def _birth_year(value: Any) -> str:
    """A birth date shown by its year only: with the ID tail and the region it would narrow the number down."""
    return _("year %(year)s") % {"year": str(value)[:4]} if value else "—"


def _mobile(value: Any) -> str:
    from gongjiang.core.ids import mask_mobile

    return mask_mobile(str(value))


def _active(value: Any) -> str:
    return str(_("In use") if value else _("Deactivated"))


def _membership(event: Any, reader: Any) -> Any:
    """A membership's union, state, date and card: fields of the membership, recorded on the person."""
    from gongjiang.core.history import Description

    from .models import Membership

    return Description(changes=reader.changes(event.before or {}, event.after or {}, model=Membership))


KEYS: dict[str, dict[str, Any]] = {
    "orgs.org": {
        "name": _("Unit full name"), "short_name": _("Short name"), "code": _("Unit code"),
        "kind": Key(_("Kind of unit")), "region_code": _("Region code"),
        "credit_code": _("Unified social credit code"), "employee_count": _("Number of employees"),
        "contact_name": _("Contact person"), "contact_phone": _("Contact phone"),
        "industry_union": _("Affiliated industry union"), "is_active": Key(_("Status"), show=_active),
        "parent": _("Parent unit"),
    },
    "orgs.person": {
        "name": _("Name"), "birth_date": Key(show=_birth_year), "mobile": Key(show=_mobile),
        "certificate_no": _("Certificate number"), "certified_on": Key(_("Certified on"), show=day),
    },
    "orgs.membership": {"status": Key(_("Membership status"), choices=MembershipStatus)},
    "orgs.transfer": {"from": _("From"), "to": _("To"), "union": _("Grassroots union"), "reason": _("Reason")},
    "orgs.role": {"user": _("Account"), "org": _("Organisation")},
    "orgs.account": {"person": _("Worker")},
    "orgs.token": {"prefix": _("Token begins with")},
    "import.roster": {"created": _("Workers added"), "updated": _("Workers updated"),
                      "members": _("Members added")},
}
DESCRIBERS = {"orgs.membership.joined": _membership}
