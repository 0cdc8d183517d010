"""The scoring rule of achievement calls (rules.achievement_scoring): criteria checks, score problems field by field,
totals, mean and spread, competition ranking and awards by share or bands — examples, then properties over any
input (hypothesis)."""

from __future__ import annotations

import itertools
import statistics
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjiang.innovation.rules import achievement_scoring as s

D = Decimal
CRITERIA = s.criteria_of(s.DEFAULT_CRITERIA)


def test_the_default_criteria_add_up_to_100():
    assert s.check_criteria(CRITERIA) is None
    assert sum(c.max for c in CRITERIA) == 100


@pytest.mark.parametrize(("criteria", "problem"), [
    ([], "empty"),
    ([s.Criterion("a", "A", D(50)), s.Criterion("a", "B", D(10))], "duplicate"),
    ([s.Criterion("a", "A", D(0))], "range"),
    ([s.Criterion("a", "A", D("10.3"))], "range"),
    ([s.Criterion("a", "A", D(60)), s.Criterion("b", "B", D(41))], "total"),
])
def test_unusable_criteria_are_named(criteria, problem):
    assert s.check_criteria(criteria) == problem


def test_every_score_problem_is_named_by_criterion():
    got = s.score_problems(CRITERIA, {"novelty": "31", "practicality": "x", "benefit": "10.3", "other": "1"})
    assert got == {"novelty": "range", "practicality": "number", "benefit": "step", "spread": "missing",
                   "other": "unknown"}
    assert s.score_problems(CRITERIA, {"novelty": 30, "practicality": "0", "benefit": " 19.5 ", "spread": "20"}) == {}
    assert s.score_problems(CRITERIA, {"novelty": True, "practicality": "NaN", "benefit": "-1", "spread": "inf"}) == {
        "novelty": "number", "practicality": "number", "benefit": "range", "spread": "number"}


def test_mean_spread_and_dispute():
    summary = s.summarise([D(90), D(80), D(70)], D(8))
    assert (summary.count, summary.mean, summary.spread, summary.disputed) == (3, D("80.00"), D("8.16"), True)
    assert s.summarise([D(90)], D(0)).disputed is False  # one review disagrees with nobody
    assert s.summarise([], D(8)) == s.Summary(0, None, None, False)


def test_competition_ranking_and_ties_taking_the_better_prize():
    ranking = s.rank({1: D(90), 2: D(85), 3: D(85), 4: D(70), 5: None})
    assert [(r.id, r.rank) for r in ranking] == [(1, 1), (2, 2), (3, 2), (4, 4)]
    # 4 ranked, shares 25/25/25: one place each — but 2 and 3 tie across the second/third boundary
    assert s.awards_by_share(ranking, [D(25), D(25), D(25)]) == {1: 1, 2: 2, 3: 2, 4: 0}
    assert s.awards_by_bands(ranking, [D(88), D(80), D(60)]) == {1: 1, 2: 2, 3: 2, 4: 3}


@pytest.mark.parametrize(("values", "mode", "problem"), [
    ([], "share", "count"), ([D(1)] * 4, "share", "count"), ([D(-1)], "share", "range"),
    ([D(60), D(50)], "share", "total"), ([D(80), D(90)], "bands", "order"), ([D(90), D(80), D(70)], "bands", None),
    ([D(10), D(20), D(30)], "share", None),
])
def test_award_levels_are_checked(values, mode, problem):
    assert s.check_levels(values, mode) == problem


scores = st.decimals(min_value=0, max_value=100, places=2)


@settings(max_examples=200, deadline=None)
@given(st.lists(scores, min_size=1, max_size=9), st.decimals(min_value=D("0.5"), max_value=50, places=1))
def test_the_summary_agrees_with_statistics(totals, limit):
    summary = s.summarise(totals, limit)
    assert summary.mean == statistics.mean(totals).quantize(D("0.01"), ROUND_HALF_UP)
    expected = D(str(statistics.pstdev([float(t) for t in totals])))
    assert abs(summary.spread - expected) <= D("0.011")
    assert summary.disputed == (len(totals) > 1 and summary.spread > limit)
    assert min(totals) - D("0.01") <= summary.mean <= max(totals) + D("0.01")


means = st.dictionaries(st.integers(1, 500), st.one_of(st.none(), st.decimals(0, 100, places=1)), max_size=60)


@settings(max_examples=200, deadline=None)
@given(means)
def test_ranking_is_total_ordered_and_ties_share_places(given_means):
    ranking = s.rank(given_means)
    assert {r.id for r in ranking} == {i for i, m in given_means.items() if m is not None}
    for a, b in itertools.pairwise(ranking):
        assert a.mean > b.mean or (a.mean == b.mean and a.rank == b.rank and a.id < b.id)
        assert b.rank == a.rank if a.mean == b.mean else b.rank == ranking.index(b) + 1
    assert s.rank(dict(reversed(list(given_means.items())))) == ranking  # the input's order does not matter


@settings(max_examples=200, deadline=None)
@given(means, st.lists(st.decimals(0, 40, places=0), min_size=1, max_size=3))
def test_awards_by_share_never_split_a_tie_and_respect_the_shares(given_means, shares):
    ranking = s.rank(given_means)
    awards = s.awards_by_share(ranking, shares)
    assert set(awards) == {r.id for r in ranking}
    by_place: dict[int, set[int]] = {}
    for r in ranking:
        by_place.setdefault(r.rank, set()).add(awards[r.id])
    assert all(len(v) == 1 for v in by_place.values())  # a tie gets one prize
    # better places never get a worse prize (0 = none is the worst)
    order = [awards[r.id] or 99 for r in ranking]
    assert order == sorted(order)
    # without ties, a prize level holds at most its share (at least one place for a positive share)
    if len({r.mean for r in ranking}) == len(ranking):
        n = len(ranking)
        for level, share in enumerate(shares, start=1):
            cap = max(int(D(n) * share / 100), 1) if share > 0 and n else 0
            assert sum(1 for v in awards.values() if v == level) <= cap


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([c.key for c in CRITERIA] + ["x"]),
                       st.one_of(st.decimals(-5, 40, places=1), st.text(max_size=4)), max_size=5))
def test_valid_scores_total_within_0_and_100(raw):
    problems = s.score_problems(CRITERIA, raw)
    if not problems:
        assert D(0) <= s.total(CRITERIA, raw) <= D(100)
    else:
        assert set(problems) <= {c.key for c in CRITERIA} | set(raw)
