"""Reads of the reward policies and the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from gongjiang.core.types import Actor
from gongjiang.orgs.models import Org
from gongjiang.orgs.scoping import ancestors

from ..models import Contributor, RewardPayment, RewardPolicy
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


@dataclass(frozen=True)
class RewardPreview:
    """What the policy gives a proposal before the reward is paid, and how: the policy applied (the union whose
    own it is, or None for the built-in default), the reward, the amount before the cap, and each proposer's part
    (split exactly as `services.pay_reward` splits it)."""

    union: Org | None
    policy: rewards.Policy
    reward: rewards.Reward
    uncapped: Decimal
    parts: list[tuple[Contributor, Decimal]]

    @property
    def points_value(self) -> Decimal:
        return self.policy.point_value


def reward_preview(unit: Org, net: Decimal | None, score: int | None, contributors: Sequence[Contributor]
                   ) -> RewardPreview:
    """The reward the nearest policy gives a proposal of `unit` with this signed-off net benefit and score."""
    row = policy_row_for(unit)
    rule = row.as_rule() if row is not None else rewards.DEFAULT
    result = rewards.calculate(rule, net or Decimal(0), score)
    uncapped = (result.basis * (rule.share_percent / 100 if result.mode == rewards.SHARE else rule.point_value)
                ).quantize(rewards.FEN, ROUND_HALF_UP)
    ordered = sorted(contributors, key=lambda c: (not c.is_lead, c.pk))  # the order pay_reward splits in
    parts = rewards.split(result.amount, [c.share for c in ordered]) if ordered else []
    return RewardPreview(row.org if row is not None else None, rule, result, uncapped,
                         list(zip(ordered, parts, strict=True)))
