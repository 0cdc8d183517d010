"""What the archive's verbs tell (through core.notifications, inside the verb's transaction): the enterprise union
of a request to check, the approving union of a request to approve, the caseworker of the decision. A text names
the file's number and the union, never a member's name or ID number."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gongjiang.core import notifications
from gongjiang.orgs.models import Org, User

from .models import CareRequest

STEPS: dict[str, tuple[Promise, Promise]] = {
    "submitted": (_("An archive request awaits your check"),
                  _("%(kind)s for household file no. %(file)s awaits the check of %(org)s.")),
    "checked": (_("An archive request awaits your approval"),
                _("%(kind)s for household file no. %(file)s was checked and awaits the approval of %(org)s.")),
    "approved": (_("Archive request approved"),
                 _("%(kind)s for household file no. %(file)s was approved by %(org)s.")),
    "returned": (_("Archive request returned"),
                 _("%(kind)s for household file no. %(file)s was returned by %(org)s. Reason: %(reason)s")),
}


def union_accounts(org: Org) -> list[int]:
    """Active accounts with a staff or admin role on the union itself."""
    return list(User.objects.filter(is_active=True, grants__org=org, grants__role__in=("admin", "staff"))
                .values_list("pk", flat=True).distinct())


def step(request: CareRequest, name: str, org: Org, **params: Any) -> None:
    title, body = STEPS[name]
    if name == "submitted":
        users: list[int] = union_accounts(request.file.union)
    elif name == "checked":
        users = union_accounts(request.file.approver)
    else:
        users = [request.file.caseworker_id] if request.file.caseworker_id else []
    notifications.notify(users, f"care.request.{name}", request, title=title, body=body,
                         url=reverse("care:file_detail", args=[request.file_id]),
                         params={"kind": request.get_kind_display(), "file": request.file_id,
                                 "org": org.display_name, **params})


CYCLE_STEPS: dict[str, tuple[Promise, Promise]] = {
    "listed": (_("An aid cycle's list awaits your approval"),
               _("The list of %(cycle)s was confirmed and awaits the approval of another cadre of %(org)s.")),
    "approved": (_("An aid cycle is approved for payment"),
                 _("%(cycle)s was approved: pay the households on its list under %(org)s.")),
}


def cycle(found: Any, name: str, orgs: list[Org]) -> None:
    """Tell the accounts of each org (the owner: approve; the budgeted unions: pay) — counts and names of unions
    only, never a household."""
    title, body = CYCLE_STEPS[name]
    for org in orgs:
        notifications.notify(union_accounts(org), f"care.cycle.{name}", found, title=title, body=body,
                             url=reverse("care:cycle_board", args=[found.pk]),
                             params={"cycle": found.name, "org": org.display_name})
