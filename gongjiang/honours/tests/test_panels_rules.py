"""The review panels' arithmetic (rules.panels) as specifications, with hypothesis properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.honours.rules import panels as r

THREE = [r.Criterion("c1", "先进事迹", 40, 40), r.Criterion("c2", "创新成果", 35, 50),
         r.Criterion("c3", "示范作用", 25, 10)]


def codes(problems):
    return [p.code for p in problems]


def test_good_criteria_have_no_problem():
    assert r.criteria_problems(THREE) == []


def test_weights_not_adding_up_to_100_are_refused_with_the_sum():
    found = r.criteria_problems([r.Criterion("c1", "事迹", 40, 10), r.Criterion("c2", "成果", 50, 10)])
    assert codes(found) == ["weights_sum"]
    assert found[0].params == {"total": 90}


def test_every_problem_of_the_criteria_at_once():
    found = r.criteria_problems([r.Criterion("c1", "", 0, 0), r.Criterion("c2", "成果", 50, 2000),
                                 r.Criterion("c3", "成果", 20, 10)])
    assert codes(found) == ["criterion_name", "weight_positive", "max_range", "max_range", "criterion_twice",
                            "weights_sum"]


def test_no_criteria_is_refused():
    assert codes(r.criteria_problems([])) == ["no_criteria"]


def test_criteria_from_typed_rows_refuses_words_as_numbers():
    parsed = r.criteria_from([{"name": "事迹", "weight": "abc", "max": "10"}])
    assert parsed == [r.Criterion("c1", "事迹", -1, 10)]
    assert "weight_positive" in codes(r.criteria_problems(parsed))


def test_a_score_over_the_maximum_and_a_missing_one_are_both_listed_on_their_criteria():
    found = r.score_problems(THREE, {"c1": 41, "c2": "", "c3": "x", "c9": 3})
    assert [(p.code, p.field) for p in found] == [("score_range", "c1"), ("score_missing", "c2"),
                                                  ("score_number", "c3"), ("score_unknown", "points")]


def test_negative_points_and_fractions_are_refused():
    assert codes(r.score_problems(THREE, {"c1": -1, "c2": 2.5, "c3": True})) == [
        "score_range", "score_number", "score_number"]


def test_the_weighted_total_takes_each_criterion_as_a_share_of_its_maximum():
    # 30/40*40 + 25/50*35 + 10/10*25 = 30 + 17.5 + 25
    assert r.weighted_total(THREE, {"c1": 30, "c2": 25, "c3": 10}) == Decimal("72.50")
    assert r.weighted_total(THREE, {"c1": 40, "c2": 50, "c3": 10}) == Decimal("100.00")


def test_a_result_of_fewer_than_five_totals_is_their_mean():
    res = r.result([Decimal(80), Decimal(90), Decimal(70), Decimal(61)])
    assert res == r.Result(Decimal("75.25"), 4, False)


def test_from_five_totals_the_highest_and_lowest_are_dropped():
    res = r.result([Decimal(80), Decimal(90), Decimal(70), Decimal(10), Decimal(100)])
    assert res == r.Result(Decimal("80.00"), 5, True)


def test_nobody_scored():
    assert r.result([]) == r.Result(None, 0, False)


def test_ranking_with_ties_shares_a_rank_and_puts_the_unscored_last():
    ranked = r.ranking({1: Decimal(80), 2: Decimal(90), 3: Decimal(80), 4: None, 5: Decimal(70)})
    assert ranked == [(1, 2), (2, 1), (2, 3), (4, 5), (None, 4)]


def test_criterion_means():
    assert r.criterion_means(THREE[:2], [{"c1": 30, "c2": 20}, {"c1": 35, "c2": 25}]) == {
        "c1": Decimal("32.50"), "c2": Decimal("22.50")}
    assert r.criterion_means(THREE[:1], []) == {"c1": None}


def test_a_vote_counts_from_two_thirds_and_passes_with_more_than_half_of_those_entitled():
    t = r.tally(["yes", "yes", "yes", "no"], 6)  # 4 of 6 voted: two thirds; 3 yes is not more than half of 6
    assert (t.voted, t.quorum, t.passed) == (4, True, False)
    t = r.tally(["yes", "yes", "yes", "yes", "abstain"], 7)  # 5 of 7 voted; 4 of 7 in favour
    assert (t.quorum, t.passed) == (True, True)
    t = r.tally(["yes", "yes", "yes"], 5)  # 3 of 5 voted: below two thirds
    assert (t.quorum, t.passed) == (False, False)


def test_a_vote_nobody_may_cast_neither_counts_nor_passes():
    t = r.tally([], 0)
    assert (t.quorum, t.passed) == (False, False)


def test_more_votes_than_members_is_a_programming_error():
    with pytest.raises(ValueError):
        r.tally(["yes", "yes"], 1)


# Properties ---------------------------------------------------------------------------------------------

criteria_st = st.lists(st.integers(1, 100), min_size=1, max_size=6).map(
    lambda maxima: [r.Criterion(f"c{i}", f"指标{i}", 0, m) for i, m in enumerate(maxima, 1)])


@st.composite
def weighted(draw):
    crit = draw(criteria_st)
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=len(crit) - 1, max_size=len(crit) - 1, unique=True)))
    bounds = [0, *cuts, 100]
    return [r.Criterion(c.key, c.name, bounds[i + 1] - bounds[i], c.max) for i, c in enumerate(crit)]


@given(weighted(), st.data())
def test_a_total_lies_between_0_and_100_and_full_marks_give_100(criteria, data):
    assert r.criteria_problems(criteria) == []
    points = {c.key: data.draw(st.integers(0, c.max)) for c in criteria}
    assert r.score_problems(criteria, points) == []
    assert Decimal(0) <= r.weighted_total(criteria, points) <= Decimal(100)
    assert r.weighted_total(criteria, {c.key: c.max for c in criteria}) == Decimal(100)


@given(weighted(), st.data())
def test_points_over_a_maximum_are_always_caught_on_that_criterion(criteria, data):
    over = data.draw(st.sampled_from(criteria))
    points = {c.key: c.max + (data.draw(st.integers(1, 50)) if c is over else 0) for c in criteria}
    assert [p.field for p in r.score_problems(criteria, points)] == [over.key]


totals_st = st.lists(st.decimals(0, 100, places=2), min_size=1, max_size=15)


@given(totals_st)
def test_the_result_lies_between_the_lowest_and_highest_total(totals):
    res = r.result(totals)
    assert min(totals) <= res.mean <= max(totals)
    assert res.trimmed == (len(totals) >= 5)


@given(totals_st)
def test_one_extreme_judge_cannot_move_a_trimmed_result_past_the_others(totals):
    """From five totals, raising the highest to 100 changes nothing (it is dropped)."""
    if len(totals) >= 5:
        raised = sorted(totals)
        raised[-1] = Decimal(100)
        assert r.result(raised).mean == r.result(totals).mean


@given(st.dictionaries(st.integers(1, 50), st.one_of(st.none(), st.decimals(0, 100, places=1)), max_size=20))
def test_ranking_is_ordered_and_ranks_skip_after_ties(results):
    ranked = r.ranking(results)
    assert sorted(k for _r, k in ranked) == sorted(results)
    scored = [(rank, results[k]) for rank, k in ranked if rank is not None]
    for i, (rank, mean) in enumerate(scored):
        assert rank == 1 + sum(1 for m in results.values() if m is not None and m > mean)
        if i:
            assert scored[i - 1][1] >= mean


@given(st.lists(st.sampled_from(r.CHOICES), max_size=12), st.integers(0, 12))
def test_a_passed_vote_always_counts_and_has_a_majority(votes, extra):
    t = r.tally(votes, len(votes) + extra)
    assert t.voted == len(votes)
    if t.passed:
        assert t.quorum and t.yes > t.no and 2 * t.yes > t.entitled
