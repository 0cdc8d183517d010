"""Reads of labour competitions' set-up: whether a user is an appointed evaluator, the stored indicators as the
rules see them."""

from __future__ import annotations

from decimal import Decimal

from gongjiang.core.types import Actor
from gongjiang.orgs.choices import OrgKind

from ..models import Competition, Evaluator, Indicator
from ..rules import labour as rules

# The org kinds that compete: an enterprise (its grassroots union), a 项目部 or workshop, a 班组.
UNIT_KINDS = {OrgKind.GRASSROOTS, OrgKind.DEPARTMENT, OrgKind.TEAM}


def is_evaluator(competition: Competition, user: Actor) -> bool:
    if not user.is_authenticated:
        return False
    return Evaluator.objects.filter(competition=competition, user_id=user.pk).exists()


def indicator_set(indicators: list[Indicator]) -> rules.IndicatorSet:
    """The rules' view of stored indicators; a safety indicator turns the veto on."""
    return rules.IndicatorSet(tuple(rules.Indicator(i.code, i.name, Decimal(i.weight)) for i in indicators),
                              safety_veto=any(i.is_safety for i in indicators))
