"""The hardship grade and the reading of incomes (pure rules): examples, then properties over any household."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.care.rules import grading
from gongjiang.care.rules.grading import MemberFacts, grade, read_income

LINE = Decimal("1000")


def m(income: str, health: str = "healthy", work: str = "employed", relation: str = "self") -> MemberFacts:
    return MemberFacts(relation, health, work, Decimal(income))


def test_below_the_threshold_with_a_seriously_ill_member_is_deep_hardship():
    g = grade([m("1500"), m("0", health="serious", work="unable")], ["illness"], LINE)
    assert g.grade == "deep" and g.per_capita == Decimal("750.00")
    assert any("750.00" in r and "1000" in r for r in g.reasons)
    assert any("seriously ill" in r for r in g.reasons)


def test_below_the_threshold_with_nobody_employed_is_deep_hardship():
    g = grade([m("500", work="unemployed")], ["unemployment"], LINE)
    assert g.grade == "deep" and any("No member" in r for r in g.reasons)


def test_below_the_threshold_otherwise_is_relative_hardship():
    assert grade([m("1800"), m("0", work="student")], ["schooling"], LINE).grade == "relative"


def test_under_one_and_a_half_times_the_line_with_a_weighing_cause_is_relative():
    g = grade([m("1400")], ["single_parent"], LINE)
    assert g.grade == "relative" and any("1.5" in r for r in g.reasons)


def test_above_the_lines_a_disaster_is_sudden_hardship():
    g = grade([m("3000")], ["disaster"], LINE)
    assert g.grade == "sudden" and any("disaster" in r for r in g.reasons)


def test_above_the_lines_without_a_cause_is_no_hardship_and_says_why():
    g = grade([m("3000")], ["other"], LINE)
    assert g.grade == "" and "not in hardship" in g.reasons[-1]


def test_without_a_threshold_no_grade_is_computed():
    g = grade([m("0")], ["illness"], None)
    assert g.grade == "" and "No local threshold" in g.reasons[0]


@pytest.mark.parametrize("value", ["abc", "", None, True, "NaN", "Infinity", "1e3x", [], "12,5x"])
def test_an_income_that_is_not_a_number_is_refused(value):
    with pytest.raises(grading.IncomeError, match="must be a number"):
        read_income(value)


@pytest.mark.parametrize("value", ["-1", -0.01, "-1000"])
def test_a_negative_income_is_refused(value):
    with pytest.raises(grading.IncomeError, match="cannot be negative"):
        read_income(value)


def test_an_absurd_income_is_refused():
    with pytest.raises(grading.IncomeError, match="too large"):
        read_income("1e999")


def test_an_income_is_read_to_the_cent():
    assert read_income(" 1,234.565 ") == Decimal("1234.57") and read_income(0) == Decimal("0.00")


incomes = st.decimals(min_value=0, max_value=20000, places=2)
members = st.lists(st.builds(MemberFacts, st.sampled_from(["self", "spouse", "child"]),
                             st.sampled_from(["healthy", "chronic", "serious", "disabled", "severely_disabled"]),
                             st.sampled_from(["employed", "unemployed", "student", "unable"]), incomes),
                   min_size=1, max_size=8)
causes = st.lists(st.sampled_from(["illness", "disability", "disaster", "schooling", "single_parent",
                                   "unemployment", "other"]), unique=True)
lines = st.decimals(min_value=1, max_value=5000, places=2)


@given(members, causes, lines)
def test_every_grade_has_reasons_and_below_the_line_is_always_in_hardship(ms, cs, line):
    g = grade(ms, cs, line)
    assert g.reasons
    assert g.grade in ("deep", "relative", "sudden", "")
    if g.per_capita < line:
        assert g.grade in ("deep", "relative")
    else:
        assert g.grade != "deep"


@given(members, causes, lines, st.decimals(min_value=0, max_value=5000, places=2))
def test_more_income_never_makes_a_household_worse_off(ms, cs, line, extra):
    order = {"deep": 3, "relative": 2, "sudden": 1, "": 0}
    richer = [MemberFacts(ms[0].relation, ms[0].health, ms[0].work, ms[0].monthly_income + extra), *ms[1:]]
    assert order[grade(richer, cs, line).grade] <= order[grade(ms, cs, line).grade]


@given(st.decimals(allow_nan=True, allow_infinity=True) | st.text(max_size=12) | st.integers())
def test_read_income_returns_a_non_negative_amount_or_a_chinese_refusal(value):
    try:
        amount = read_income(value)
    except grading.IncomeError as e:
        assert str(e)
    else:
        assert amount >= 0 and amount == amount.quantize(Decimal("0.01"))
