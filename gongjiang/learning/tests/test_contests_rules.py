"""The contest's ranking, prizes and thresholds, pure (hypothesis for the ties)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gongjiang.learning.rules import contests as rules

T0 = datetime.datetime(2026, 9, 1, 9, 0)

rows = st.lists(st.tuples(st.integers(0, 10).map(lambda n: Decimal(n * 5)), st.integers(0, 5),
                          st.integers(0, 3).map(lambda m: T0 + datetime.timedelta(minutes=m))), max_size=40)


@given(rows)
def test_places_follow_the_order_and_equal_rows_share_a_place_and_the_next_skips(data):
    ranked = sorted(data, key=rules.order_key)
    placed = rules.places(ranked)
    for i, place in enumerate(placed):
        better = sum(1 for r in ranked if rules.order_key(r) < rules.order_key(ranked[i]))
        assert place == better + 1  # competition ranking: 1, 2, 2, 4
        if i:
            assert place >= placed[i - 1]
            assert (place == placed[i - 1]) == (ranked[i] == ranked[i - 1])


@given(rows, st.dictionaries(st.sampled_from(["一等奖", "二等奖", "三等奖"]), st.integers(1, 10), max_size=3))
def test_prizes_go_by_place_and_a_tie_at_a_boundary_gets_the_better_prize(data, spec):
    ranked = sorted(data, key=rules.order_key)
    placed = rules.places(ranked)
    got = rules.prizes(placed, spec)
    names = list(spec)
    limits = [sum(list(spec.values())[: i + 1]) for i in range(len(names))]
    for place, prize in zip(placed, got, strict=True):
        expected = next((n for n, limit in zip(names, limits, strict=True) if place <= limit), "")
        assert prize == expected
    for i in range(1, len(ranked)):
        if ranked[i] == ranked[i - 1]:
            assert got[i] == got[i - 1]  # equal rows, equal prizes


def test_a_better_time_breaks_an_equal_score_and_then_who_reached_it_first():
    a = (Decimal(90), 100, T0)
    b = (Decimal(90), 80, T0 + datetime.timedelta(minutes=5))
    c = (Decimal(90), 80, T0)
    d = (Decimal(95), 300, T0)
    assert sorted([a, b, c, d], key=rules.order_key) == [d, c, b, a]
    assert rules.places([d, c, b, a]) == [1, 2, 3, 4]
    assert rules.places([d, c, c, a]) == [1, 2, 2, 4]
    spec = {"一等奖": 1, "二等奖": 1, "三等奖": 5}
    assert rules.prizes([1, 2, 2, 4], spec) == ["一等奖", "二等奖", "二等奖", "三等奖"]


def test_prize_specifications_are_checked_and_parsed():
    assert rules.check_prizes({}) == []
    assert rules.check_prizes({"一等奖": 3, "二等奖": 10}) == []
    assert rules.check_prizes({"一等奖": 0})
    assert rules.check_prizes({"一等奖": "3"})
    assert rules.check_prizes(["一等奖"])
    assert rules.parse_prizes("一等奖=10，二等奖＝30\n三等奖:60") == {"一等奖": 10, "二等奖": 30, "三等奖": 60}
    assert rules.parse_prizes("") == {}
    errors = rules.parse_prizes("一等奖10")
    assert isinstance(errors, list) and "一等奖10" in errors[0]
    assert isinstance(rules.parse_prizes("一等奖=1,一等奖=2"), list)


def test_impossible_speed_is_under_the_floor_per_question():
    assert rules.too_fast(19, 10, 2)
    assert not rules.too_fast(20, 10, 2)
    assert not rules.too_fast(0, 0, 2)


def test_a_theory_score_is_scaled_to_100_in_hundredths():
    assert rules.hundredths(Decimal("21.5"), Decimal(25)) == 8600
    assert rules.hundredths(Decimal(1), Decimal(3)) == 3333
    assert rules.hundredths(Decimal(2), Decimal(3)) == 6667
    assert rules.hundredths(Decimal(0), Decimal(0)) == 0


def test_rapid_runs_count_the_answers_of_the_longest_run_of_quick_ones():
    # attempt 1: answers 2,3,4,5 each came quickly after the one before (ranks 2–5): a run of 5 answers (1–5);
    # then 8 and 9: a run of 3. Attempt 2: one quick answer: a run of 2. Order of the rows does not matter.
    rows = [(1, 5), (1, 3), (1, 2), (1, 4), (1, 9), (1, 8), (2, 7)]
    assert rules.rapid_runs(rows) == {1: 5, 2: 2}
    assert rules.rapid_runs([]) == {}
    assert rules.rapid_runs([(3, 2), (3, 4), (3, 6)]) == {3: 2}  # never two quick answers in a row
