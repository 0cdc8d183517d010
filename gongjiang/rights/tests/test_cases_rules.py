"""The pure rules of rights cases (rules/cases.py)."""

import datetime
from decimal import Decimal

import pytest

from gongjiang.rights.rules import cases as rules

D = datetime.date


@pytest.mark.parametrize(("current", "target", "problem"), [
    ("filed", "accepted", None),
    ("filed", "investigating", "skip"),
    ("filed", "closed", "skip"),
    ("accepted", "investigating", None),
    ("accepted", "mediating", None),  # facts not in dispute
    ("accepted", "legal", "skip"),
    ("accepted", "closed", "close"),
    ("investigating", "legal", None),  # the employer refuses to mediate
    ("investigating", "accepted", "back"),
    ("mediating", "mediating", "back"),
    ("mediating", "legal", None),
    ("legal", "mediating", "back"),
    ("closed", "legal", "closed"),
    ("accepted", "nowhere", "unknown"),
])
def test_moves(current, target, problem):
    assert rules.move_problem(current, target) == problem


def test_next_steps_leave_closing_to_its_own_verb():
    assert rules.next_steps("accepted") == ("investigating", "mediating")
    assert rules.next_steps("legal") == ()
    assert rules.can_close("legal") and rules.can_close("accepted") and not rules.can_close("filed")


def test_deadlines_and_overdue():
    assert rules.due_on("filed", D(2026, 3, 1)) == D(2026, 3, 4)
    assert rules.due_on("mediating", D(2026, 3, 1)) == D(2026, 3, 16)
    assert rules.due_on("legal", D(2026, 3, 1)) == D(2026, 4, 30)
    assert rules.due_on("closed", D(2026, 3, 1)) is None
    assert not rules.is_overdue("filed", D(2026, 3, 4), D(2026, 3, 4))
    assert rules.is_overdue("filed", D(2026, 3, 4), D(2026, 3, 5))
    assert not rules.is_overdue("closed", D(2026, 3, 4), D(2026, 3, 5))


def test_outcome_problems():
    ok = {"claimed": Decimal(100), "people": 3, "reason": ""}
    assert rules.outcome_problems(result="resolved", recovered=Decimal(100), helped=3, **ok) == {}
    assert rules.outcome_problems(result="", recovered=None, helped=None, **ok) == {"result": "missing"}
    assert rules.outcome_problems(result="x", recovered=None, helped=None, **ok) == {"result": "unknown"}
    assert rules.outcome_problems(result="resolved", recovered=Decimal(-1), helped=1, **ok) == {
        "recovered": "negative"}
    assert rules.outcome_problems(result="resolved", recovered=Decimal(101), helped=1, **ok) == {
        "reason": "more_than_claimed"}
    assert rules.outcome_problems(result="resolved", recovered=Decimal(101), helped=1,
                                  **{**ok, "reason": "含经济补偿金"}) == {}
    assert rules.outcome_problems(result="withdrawn", recovered=Decimal(5), helped=0, **ok) == {
        "recovered": "no_money"}
    assert rules.outcome_problems(result="resolved", recovered=None, helped=4, **ok) == {
        "helped": "more_than_people"}
    # nothing claimed (a work-injury case): any amount needs no reason
    assert rules.outcome_problems(result="awarded", recovered=Decimal(5000), helped=1,
                                  **{**ok, "claimed": None}) == {}


def test_amount_and_median():
    assert rules.amount_problem(Decimal("-0.01")) == "negative"
    assert rules.amount_problem(Decimal("100000000")) == "large"
    assert rules.amount_problem(None) is None and rules.amount_problem(Decimal(0)) is None
    assert rules.median([]) is None
    assert rules.median([5, 1, 3]) == 3
    assert rules.median([4, 1, 3, 10]) == 3.5
    assert rules.days_to_close(D(2026, 3, 1), D(2026, 3, 31)) == 30
