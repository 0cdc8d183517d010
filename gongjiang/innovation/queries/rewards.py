"""Reads of the reward policies and the ledger."""

from __future__ import annotations

from django.db.models import QuerySet

from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org
from gongjiang.orgs.scoping import ancestors

from ..models import RewardPayment, RewardPolicy
from ..rules import rewards


def policy_row_for(unit: Org) -> RewardPolicy | None:
    """The policy nearest above (or on) `unit`: its own union's, else the county's, the city's, the province's
    (one query)."""
    paths = ancestors(unit.path)
    found = {p.org.path: p for p in RewardPolicy.objects.select_related("org").filter(org__path__in=paths)}
    for path in reversed(paths):
        if path in found:
            return found[path]
    return None


def policy_for(unit: Org) -> rewards.Policy:
    """The reward rule applying to the proposals of `unit`: the nearest policy, or the built-in default."""
    row = policy_row_for(unit)
    return row.as_rule() if row is not None else rewards.DEFAULT


def ledger(user: Actor, org: Org | None = None, year: int | None = None) -> QuerySet[RewardPayment]:
    """The reward ledger the user may see (their scope; for a worker nothing: their own payments are on their
    proposals), optionally narrowed to a union's subtree and a year; newest first."""
    qs = RewardPayment.objects.for_user(user).select_related("proposal", "person", "enterprise")
    if org is not None:
        qs = qs.filter(enterprise__path__startswith=org.path)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-paid_at", "-id")
