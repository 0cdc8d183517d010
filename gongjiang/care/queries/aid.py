"""Read models of aid cycles, shared by the pages and the API: the board's totals per budgeted union (listed,
paid, budget), the entitlements a user sees, the cycles whose turn is the user's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from gongjiang.core.scoping import scope_for
from gongjiang.core.types import Actor

from ..choices import CycleState, EntitlementState, PaymentState
from ..models import Budget, Cycle, Entitlement

CENT = Decimal("0.01")


@dataclass(frozen=True)
class OrgTotal:
    budget: Budget
    listed: int
    amount: Decimal
    paid: Decimal

    @property
    def left(self) -> Decimal:
        return self.budget.amount - self.amount


def totals(cycle: Cycle) -> list[OrgTotal]:
    """Per budgeted union: households listed and their amount, and what is paid — one grouped query over the
    entitlements by enterprise union, added up by path in memory."""
    rows = list(Entitlement.objects.filter(cycle=cycle, state=EntitlementState.LISTED)
                .values("union__path").annotate(
                    n=Count("id"), amount=Sum("amount"),
                    paid=Sum("payment__amount", filter=Q(payment__state=PaymentState.PAID))))
    out = []
    for b in cycle.budgets.select_related("org").order_by("org__path"):
        mine = [r for r in rows if r["union__path"].startswith(b.org.path)]
        out.append(OrgTotal(b, sum(r["n"] for r in mine),
                            sum((Decimal(r["amount"] or 0) for r in mine), Decimal(0)).quantize(CENT),
                            sum((Decimal(r["paid"] or 0) for r in mine), Decimal(0)).quantize(CENT)))
    return out


def entitlements_for(user: Actor, cycle: Cycle) -> QuerySet[Entitlement]:
    return (Entitlement.objects.for_user(user, "view").filter(cycle=cycle)
            .select_related("file__person", "union", "added_by_org", "removed_by_org", "payment")
            .order_by("union__path", "id"))


def cycles_for(user: Actor) -> QuerySet[Cycle]:
    """Cycles of programmes owned by a union the user sees, or above one (a city sees the province's cycles)."""
    view = scope_for(user, "view")
    if view.is_empty:
        return Cycle.objects.none()
    qs = Cycle.objects.select_related("programme", "owner")
    if view.roots is None:
        return qs
    below = view.q("owner__", industry=False)
    above = Q()
    for root in view.roots:
        above |= Q(owner__path__in=[root[:i] for i in range(4, len(root) + 1, 4)])
    return qs.filter(below | above)


def turn_for(user: Actor) -> list[tuple[Cycle, str]]:
    """The cycles waiting on the user's level, in one query: its own cycles to build, confirm or approve (草拟,
    名单确认), and approved or paying cycles with a budget at a union it covers (to pay)."""
    change = scope_for(user, "change")
    if change.is_empty:
        return []
    own = Q(state__in=(CycleState.DRAFT, CycleState.LISTED))
    pay = Q(state__in=(CycleState.APPROVED, CycleState.PAYING))
    if change.roots is not None:
        own &= change.q("owner__", industry=False)
        pay &= change.q("budgets__org__", industry=False)
    found = Cycle.objects.filter(own | pay).distinct().order_by("-id")[:50]
    return [(c, c.state if c.state in (CycleState.DRAFT, CycleState.LISTED) else "pay") for c in found]


def describe_rule(rule: dict[str, Any]) -> list[str]:
    from django.utils.translation import gettext as _

    from ..choices import Cause, Grade

    out = []
    if rule.get("grades"):
        out.append(_("grades: %(v)s") % {"v": "、".join(str(Grade(g).label) for g in rule["grades"])})
    if rule.get("causes"):
        out.append(_("causes: %(v)s") % {"v": "、".join(str(Cause(c).label) for c in rule["causes"])})
    if rule.get("university_child"):
        out.append(_("a child at university or college this year"))
    if rule.get("women_age"):
        out.append(_("women workers aged %(low)d–%(high)d") % {"low": rule["women_age"][0],
                                                               "high": rule["women_age"][1]})
    return out or [_("every household in the archive")]
