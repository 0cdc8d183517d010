"""Labels of the orgs' audit verbs for timelines (履历); registered with core's verb registry when the app is
ready (OrgsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

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
