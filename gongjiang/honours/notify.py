"""What the review verbs tell the nominating union (through `core.notifications`, from inside the verb's
transaction: a refused or rolled-back decision notifies nobody): its cadres with a staff or admin role on the
nominating union itself hear of each decision on its nomination — forwarded, returned (with the reason), not
recommended (with the reason), shortlisted, not conferred, conferred — with a link to the nomination. A text names
the nominee and the deciding union, never an ID number."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gongjiang.core import notifications
from gongjiang.orgs.models import User

from .models import Nomination

STEPS: dict[str, tuple[Promise, Promise]] = {
    "forwarded": (_("Nomination forwarded: %(name)s"),
                  _("%(by)s forwarded the nomination of %(name)s (%(campaign)s) to %(to)s.")),
    "returned": (_("Nomination returned: %(name)s"),
                 _("%(by)s returned the nomination of %(name)s (%(campaign)s) to %(to)s. Reason: %(reason)s")),
    "rejected": (_("Nomination not recommended: %(name)s"),
                 _("%(by)s does not recommend %(name)s (%(campaign)s). Reason: %(reason)s")),
    "shortlisted": (_("Nomination shortlisted: %(name)s"),
                    _("%(by)s put %(name)s on the shortlist of %(campaign)s.")),
    "not_conferred": (_("Honour not conferred: %(name)s"),
                      _("An objection to the public notice of %(campaign)s was upheld: the honour is not conferred "
                        "on %(name)s. Reason: %(reason)s")),
    "conferred": (_("Honour conferred: %(name)s"),
                  _("%(name)s has been awarded %(honour)s (%(campaign)s); the certificate is on the nomination's "
                    "page.")),
}


def union_accounts(*orgs: Any) -> list[int]:
    """The active accounts with a staff or admin role on these unions themselves."""
    return list(User.objects.filter(is_active=True, grants__org__in=orgs, grants__role__in=("admin", "staff"))
                .values_list("pk", flat=True).distinct())


def step(nomination: Nomination, name: str, **params: Any) -> None:
    """Tell the nominating union that its nomination reached step `name` (a key of STEPS)."""
    title, body = STEPS[name]
    notifications.notify(union_accounts(nomination.unit), f"honours.nomination.{name}", nomination, title=title,
                         body=body, url=reverse("honours:nomination_detail", args=[nomination.pk]),
                         params={"name": nomination.name, "campaign": nomination.campaign.title, **params})


def conferred(nominations: Iterable[Nomination], honour: str) -> None:
    """Each nominating union hears of its nominees' honours (one message per nomination)."""
    title, body = STEPS["conferred"]
    found = list(nominations)
    accounts: dict[int, list[int]] = {}
    for uid, org_id in User.objects.filter(
            is_active=True, grants__org__in={n.unit_id for n in found},
            grants__role__in=("admin", "staff")).values_list("pk", "grants__org_id").distinct():
        accounts.setdefault(org_id, []).append(uid)
    notifications.send("honours.nomination.conferred", [
        notifications.Message(uid, n, reverse("honours:nomination_detail", args=[n.pk]),
                              {"name": n.name, "campaign": n.campaign.title, "honour": honour})
        for n in found for uid in accounts.get(n.unit_id, [])], title=title, body=body)
