"""The statistics tests' metrics: on a branch where few apps register theirs, the tests register their own (two
apps, a count and an amount in 万元) and restore the registry after."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from gongjiang.orgs import facts
from gongjiang.orgs.tests.factories import own_metrics

D = datetime.date
EVENTS: list[facts.Row] = []


@pytest.fixture(autouse=True)
def stat_metrics():
    with own_metrics(
        facts.Metric("alpha.held", "举办次数", "次", "举办的活动次数", order=1),
        facts.Metric("alpha.people", "参与人次", "人次", "参与活动的人次", order=2),
        facts.Metric("beta.benefit", "经济效益", "元", "创造的经济效益", places=2, wan=True, order=1),
        sources=(facts.Source("alpha", ("alpha.held", "alpha.people"),
                              lambda: [e for e in EVENTS if e[2].startswith("alpha.")]),
                 facts.Source("beta", ("beta.benefit",), lambda: [e for e in EVENTS if e[2].startswith("beta.")])),
    ):
        EVENTS.clear()
        yield
        EVENTS.clear()


def did(unit, day: datetime.date, key: str, value) -> None:
    """What a verb of a test app does: its raw row, and its delta to the store."""
    EVENTS.append((unit.pk, day, key, value))
    facts.add(unit, day, {key: value})


@pytest.fixture
def filled(sd):
    """Figures in Jinan (the steel union, affiliated to the metallurgy union), Qingdao, over 2025 and 2026."""
    did(sd.team, D(2026, 3, 14), "alpha.held", 2)
    did(sd.team, D(2026, 3, 14), "alpha.people", 40)
    did(sd.steel, D(2025, 3, 2), "alpha.held", 1)
    did(sd.lixia, D(2026, 1, 9), "alpha.held", 1)
    did(sd.qd_enterprise, D(2026, 5, 1), "alpha.held", 3)
    did(sd.qd_enterprise, D(2026, 5, 1), "beta.benefit", Decimal("1234567.89"))
    did(sd.steel, D(2024, 7, 1), "beta.benefit", Decimal("50000"))
    did(sd.province, D(2026, 2, 2), "alpha.held", 1)  # held by the province itself
    return sd
