"""The innovation project rules (rules.projects) as a specification, exhaustively over every pair of stages and with
hypothesis: a project moves to the next stage only, never skips or goes back; a stopped project never moves; a
skipped move names exactly the stages in between; progress, members, funding and spending are validated."""

from __future__ import annotations

from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.innovation.choices import Holder, ProjectRole, Stage
from gongjiang.innovation.rules import projects as rules

D = Decimal
ALL = sorted(rules.STAGES)


def test_the_seven_stages_are_in_order_and_match_the_choices():
    assert rules.ORDER == ("finding", "approved", "tackling", "trial", "improving", "appraised", "transferred")
    assert set(Stage.values) == rules.STAGES
    assert set(ProjectRole.values) == rules.ROLES
    assert set(Holder.values) == set(rules.HOLDER_KINDS)


@pytest.mark.parametrize(("current", "target"), list(product(ALL, ALL)))
def test_every_pair_of_stages_is_decided_exactly_once(current, target):
    problem = rules.stage_problem(current, target)
    if current == rules.STOPPED:
        assert problem == "closed"
    elif target == rules.STOPPED:
        assert problem == (None if current != rules.TRANSFERRED else "final")
    elif rules.ORDER.index(target) == rules.ORDER.index(current) + 1:
        assert problem is None
    elif target == current:
        assert problem == "same"
    elif rules.ORDER.index(target) < rules.ORDER.index(current):
        assert problem == "backwards"
    else:
        assert problem == "skipped"
        assert rules.missing(current, target) == list(
            rules.ORDER[rules.ORDER.index(current) + 1: rules.ORDER.index(target)])
    assert rules.allowed(current, target) == (problem is None)


def test_an_unknown_stage_is_refused():
    assert rules.stage_problem("finding", "done") == "unknown"
    assert rules.stage_problem("", "approved") == "unknown"
    assert rules.next_stage("stopped") is None and rules.next_stage("transferred") is None
    assert rules.next_stage("finding") == "approved"


def test_skipping_from_approval_to_trial_names_the_tackling_stage():
    assert rules.stage_problem("approved", "trial") == "skipped"
    assert rules.missing("approved", "trial") == ["tackling"]
    assert rules.missing("finding", "transferred") == ["approved", "tackling", "trial", "improving", "appraised"]


@given(st.lists(st.sampled_from(ALL), min_size=1, max_size=20))
def test_any_walk_of_allowed_moves_goes_forwards_one_stage_at_a_time(walk):
    """Whatever is asked, the moves the rules allow, applied in turn, visit the stages in order without a gap, and
    nothing moves once stopped."""
    stage = rules.FINDING
    visited = [stage]
    for target in walk:
        if rules.allowed(stage, target):
            stage = target
            visited.append(stage)
    line = [s for s in visited if s != rules.STOPPED]
    assert line == list(rules.ORDER[: len(line)])
    if rules.STOPPED in visited:
        assert visited[-1] == rules.STOPPED and visited.count(rules.STOPPED) == 1


@given(st.sampled_from(rules.ORDER), st.sampled_from(rules.ORDER))
def test_a_refused_forward_move_always_names_what_it_skips(current, target):
    if rules.stage_problem(current, target) == "skipped":
        skipped = rules.missing(current, target)
        assert skipped and all(rules.ORDER.index(current) < rules.ORDER.index(s) < rules.ORDER.index(target)
                               for s in skipped)
        assert len(skipped) == rules.ORDER.index(target) - rules.ORDER.index(current) - 1


def test_the_stages_reached():
    assert rules.reached("finding") == ["finding"]
    assert rules.reached("trial") == ["finding", "approved", "tackling", "trial"]
    assert rules.reached("stopped") == []


@pytest.mark.parametrize(("value", "ok"), [(0, True), (55, True), (100, True), (-1, False), (101, False),
                                           (True, False), (50.5, False), ("50", False), (None, False)])
def test_progress_is_a_whole_percent(value, ok):
    assert (rules.progress_problem(value) is None) == ok


@given(st.integers())
def test_progress_accepts_exactly_0_to_100(value):
    assert (rules.progress_problem(value) is None) == (0 <= value <= 100)


@pytest.mark.parametrize(("roles", "problem"), [
    ([(1, "leader")], None),
    ([(1, "leader"), (2, "core"), (3, "member")], None),
    ([(1, "core"), (2, "member")], "no_leader"),
    ([(1, "leader"), (2, "leader")], "leaders"),
    ([(1, "leader"), (1, "core")], "twice"),
    ([(1, "leader"), (2, "boss")], "role"),
    ([], "no_leader"),
])
def test_a_project_has_exactly_one_leader(roles, problem):
    assert rules.members_problem(roles) == problem


@given(st.lists(st.tuples(st.integers(1, 6), st.sampled_from(sorted(rules.ROLES))), max_size=8))
def test_members_are_accepted_only_with_one_leader_and_nobody_twice(roles):
    ok = rules.members_problem(roles) is None
    people = [p for p, _r in roles]
    assert ok == (len(set(people)) == len(people) and sum(r == "leader" for _p, r in roles) == 1)


@pytest.mark.parametrize(("holder", "kind", "problem"), [
    ("team", "team", None), ("team", "department", "kind"), ("enterprise", "grassroots", None),
    ("enterprise", "team", "kind"), ("studio", "department", None), ("studio", "grassroots", None),
    ("studio", "city", "kind"), ("club", "team", "holder")])
def test_who_may_hold_a_project(holder, kind, problem):
    assert rules.holder_problem(holder, kind) == problem


@pytest.mark.parametrize(("requested", "granted", "reason", "spent", "problems"), [
    (D(30000), None, "", D(0), {}),
    (D(30000), D(30000), "", D(0), {}),
    (D(30000), D(20000), "", D(0), {}),
    (D(30000), D(40000), "", D(0), {"reason": "reason"}),
    (D(30000), D(40000), "专家评审认为预算偏低", D(0), {}),
    (D(30000), D(10000), "", D(12000), {"granted": "below_spent"}),
    (D(-1), None, "", D(0), {"requested": "range"}),
    (D(30000), D("0.001"), "", D(0), {"granted": "range"}),
    (D("1e12"), None, "", D(0), {"requested": "range"}),
    (D("NaN"), None, "", D(0), {"requested": "range"}),
])
def test_funding_is_granted_up_to_the_request_unless_a_reason_is_given(requested, granted, reason, spent, problems):
    assert rules.funding_problems(requested, granted, reason, spent) == problems


@pytest.mark.parametrize(("amount", "spent", "granted", "problem"), [
    (D(1000), D(0), D(30000), None),
    (D(1000), D(29000), D(30000), None),
    (D("1000.01"), D(29000), D(30000), "over"),
    (D(1000), D(0), None, "no_grant"),
    (D(1000), D(0), D(0), "no_grant"),
    (D(0), D(0), D(30000), "range"),
    (D(-5), D(0), D(30000), "range"),
    (D("0.005"), D(0), D(30000), "range"),
])
def test_spending_never_passes_the_grant(amount, spent, granted, problem):
    assert rules.spending_problem(amount, spent, granted) == problem


@given(st.lists(st.integers(1, 10_000_00), max_size=30), st.integers(0, 1_000_000_00))
def test_whatever_is_entered_the_accepted_spending_stays_within_the_grant(cents, granted_cents):
    granted, spent = D(granted_cents) / 100, D(0)
    for c in cents:
        amount = D(c) / 100
        if rules.spending_problem(amount, spent, granted) is None:
            spent += amount
    assert spent <= granted


@pytest.mark.parametrize(("state", "adopted", "ok"), [
    ("adopted", True, True), ("implementing", True, True), ("accounted", True, True), ("rewarded", True, True),
    ("archived", True, True), ("archived", False, False), ("submitted", False, False), ("evaluating", False, False),
    ("rejected", False, False), ("accepted", False, False)])
def test_only_an_adopted_proposal_starts_a_project(state, adopted, ok):
    assert rules.proposal_startable(state, adopted) == ok
