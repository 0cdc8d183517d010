"""The studios' pure rules: the weighted total, the result by thresholds, the checks of points and adjustments,
two 不合格 in a row, who recognises which level — examples and hypothesis properties."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gongjiang.honours.rules import studios as r

D = Decimal
ITEMS = [r.Item("a", D(15)), r.Item("b", D(25)), r.Item("c", D(20)), r.Item("d", D(20)), r.Item("e", D(15)),
         r.Item("f", D(5))]
TH = r.Thresholds(D(85), D(60))


def test_the_total_is_the_weighted_sum_to_one_decimal():
    assert r.total(ITEMS, {"a": D(14), "b": D("23.5"), "c": D(18)}) == D("55.5")
    assert r.total([r.Item("x", D(10), D("1.5"))], {"x": D(7)}) == D("10.5")
    assert r.maximum(ITEMS) == D(100)


def test_the_result_by_thresholds():
    assert r.result(D(85), TH) == r.EXCELLENT
    assert r.result(D("84.9"), TH) == r.PASS
    assert r.result(D(60), TH) == r.PASS
    assert r.result(D("59.9"), TH) == r.FAIL


def test_points_are_checked_item_by_item():
    codes = {(p.code, p.field) for p in r.points_problems(ITEMS[:3], {"a": D(16), "b": D("1.25"), "z": D(1)})}
    assert codes == {("points_range", "a"), ("points_places", "b"), ("missing_points", "c"), ("unknown_item", "items")}
    assert r.points_problems(ITEMS[:1], {"a": D(0)}) == []


def test_an_adjustment_needs_a_reason():
    problems = r.adjustment_problems({"a": D(10), "b": D(10)}, {"a": D(8), "b": D(10)}, {"a": " "})
    assert [(p.code, p.field) for p in problems] == [("no_reason", "a")]
    assert r.adjustment_problems({"a": D(10)}, {"a": D(8)}, {"a": "材料不实"}) == []


def test_two_fails_in_a_row_and_only_in_a_row():
    assert r.suspension_due({2024: r.FAIL, 2025: r.FAIL}, 2025)
    assert not r.suspension_due({2023: r.FAIL, 2025: r.FAIL}, 2025)
    assert not r.suspension_due({2024: r.FAIL, 2025: r.PASS}, 2025)
    assert not r.suspension_due({2025: r.FAIL}, 2025)


def test_who_recognises_which_level():
    assert r.may_recognise("province", "province") and not r.may_recognise("province", "city")
    assert r.may_recognise("city", "city") and r.may_recognise("city", "province")
    assert not r.may_recognise("city", "county") and not r.may_recognise("national", "city")
    assert not r.may_recognise("unknown", "province")


def test_thresholds_must_be_in_order():
    assert r.threshold_problems(TH, D(100)) == []
    assert r.threshold_problems(r.Thresholds(D(50), D(60)), D(100))
    assert r.threshold_problems(r.Thresholds(D(101), D(60)), D(100))


points = st.integers(0, 250).map(lambda n: Decimal(n) / 10)  # tenths: cheaper to draw than st.decimals


@given(st.lists(points, min_size=6, max_size=6))
def test_property_the_total_lies_between_zero_and_the_maximum_when_the_points_are_valid(values):
    given_points = {i.code: min(v, i.max_points) for i, v in zip(ITEMS, values, strict=True)}
    assert r.points_problems(ITEMS, given_points) == []
    assert D(0) <= r.total(ITEMS, given_points) <= r.maximum(ITEMS)


tenths = st.integers(0, 1000).map(lambda n: Decimal(n) / 10)


@given(tenths, tenths)
def test_property_the_result_never_falls_when_the_total_rises(a, b):
    order = [r.FAIL, r.PASS, r.EXCELLENT]
    low, high = sorted([a, b])
    assert order.index(r.result(low, TH)) <= order.index(r.result(high, TH))


@given(st.dictionaries(st.sampled_from("abcdef"), points, min_size=1))
def test_property_keeping_the_self_assessment_needs_no_reason(given_points):
    assert r.adjustment_problems(given_points, dict(given_points), {}) == []


@given(st.dictionaries(st.integers(2000, 2030), st.sampled_from([r.EXCELLENT, r.PASS, r.FAIL])),
       st.integers(2000, 2030))
def test_property_suspension_due_only_after_two_fails(results, year):
    assert r.suspension_due(results, year) == (results.get(year) == r.FAIL and results.get(year - 1) == r.FAIL)
