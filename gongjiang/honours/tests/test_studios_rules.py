"""The studios' pure rules on the rubric engine: the installed rubrics are valid definitions, answers are read and
checked (a score over the item's points, an unknown or missing item), the result 优秀/合格/不合格 (a veto fails), an
adjustment needs a reason, two 不合格 in a row, who recognises which level — examples and hypothesis properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.core.rubrics import rubric, scoring
from gongjiang.honours import studio_rubrics
from gongjiang.honours.rules import studios as r

D = Decimal
RUBRIC = rubric.parse(studio_rubrics.definition(studio_rubrics.ITEMS))
SIX = ("organisation", "projects", "proposals", "training", "benefit", "funding")


@pytest.mark.parametrize("kind, name, items", studio_rubrics.RUBRICS)
def test_every_installed_rubric_is_a_valid_definition_with_a_veto_and_a_capped_bonus(kind, name, items):
    parsed = rubric.parse(studio_rubrics.definition(items))
    modes = [i.mode for i in parsed.leaves()]
    assert parsed.maximum == 100 and parsed.grades == {"excellent": 85, "pass": 60} and parsed.bonus_cap == 10
    assert modes.count(rubric.VETO) == 2 and rubric.BONUS in modes and rubric.DEDUCTION in modes
    assert all(i.reason for i in parsed.leaves() if i.mode == rubric.VETO)
    assert parsed.item("proposals").evidence == ("innovation.proposals", "innovation.achievements")


def test_answers_are_read_and_the_optional_items_count_none():
    answers, problems = r.read_answers(RUBRIC, {k: "5" for k in SIX})
    assert problems == [] and answers["organisation"] == 5
    assert answers["fraud"] is False and answers["national_honour"] == 0 and answers["funds_misused"] == 0
    answers, problems = r.read_answers(RUBRIC, {**{k: "5" for k in SIX}, "fraud": "是", "national_honour": "3"})
    assert problems == [] and answers["fraud"] is True and answers["national_honour"] == 3


def test_bad_answers_are_checked_item_by_item():
    raw = {**{k: "5" for k in SIX}, "projects": "26", "funding": "1.25", "z": "1", "fraud": "maybe"}
    del raw["benefit"]
    _answers, problems = r.read_answers(RUBRIC, raw)
    assert {(p.code, p.field) for p in problems} == {
        ("answer", "projects"), ("answer", "funding"), ("missing_points", "benefit"), ("unknown_item", "items"),
        ("answer", "fraud")}
    assert "25" in next(p.params["message"] for p in problems if p.field == "projects")


def test_the_result_by_the_grades_and_a_veto():
    def result(total_of_six: int, **extra: object) -> str:  # every item the same share of its points
        share = {i.key: str(i.points * total_of_six / 100) for i in RUBRIC.leaves() if i.key in SIX}
        answers, _p = r.read_answers(RUBRIC, {**share, **extra})
        return r.result(scoring.score(RUBRIC, answers), RUBRIC)

    assert result(90) == r.EXCELLENT and result(84) == r.PASS and result(60) == r.PASS and result(54) == r.FAIL
    assert result(80, national_honour="1") == r.EXCELLENT  # 80 + 5
    assert result(90, funds_misused="2") == r.PASS  # 90 − 10
    assert result(96, safety="1") == r.FAIL


def test_an_adjustment_needs_a_reason():
    problems = r.adjustment_problems({"a": D(10), "b": D(10)}, {"a": D(8), "b": D(10)}, {"a": " "})
    assert [(p.code, p.field) for p in problems] == [("no_reason", "a")]
    assert r.adjustment_problems({"a": D(10)}, {"a": D(8)}, {"a": "材料不实"}) == []
    assert [p.field for p in r.adjustment_problems({"fraud": False}, {"fraud": True}, {})] == ["fraud"]


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


tenths = st.integers(0, 250).map(lambda n: Decimal(n) / 10)  # tenths: cheaper to draw than st.decimals


@given(st.lists(tenths, min_size=6, max_size=6), st.integers(0, 3), st.integers(0, 3), st.booleans())
def test_property_valid_answers_score_within_the_maximum_plus_the_bonus_cap(values, bonus, deduction, veto):
    raw = {i.key: str(min(v, i.points)) for i, v in zip(list(RUBRIC.leaves())[:6], values, strict=True)}
    answers, problems = r.read_answers(RUBRIC, {**raw, "national_honour": bonus, "funds_misused": deduction,
                                                "safety": veto})
    assert problems == []
    s = scoring.score(RUBRIC, answers)
    assert D(0) <= s.total <= RUBRIC.maximum + RUBRIC.bonus_cap
    assert (r.result(s, RUBRIC) == r.FAIL) if veto else s.total == max(D(0), sum(
        (D(v) for v in raw.values()), D(0)) - min(10, 5 * deduction)) + min(10, 5 * bonus)


@given(st.lists(tenths, min_size=6, max_size=6), st.lists(tenths, min_size=6, max_size=6))
def test_property_the_result_never_falls_when_the_points_rise(a, b):
    order = [r.FAIL, r.PASS, r.EXCELLENT]
    items = list(RUBRIC.leaves())[:6]
    low = {i.key: min(x, y, i.points) for i, x, y in zip(items, a, b, strict=True)}
    high = {i.key: min(max(x, y), i.points) for i, x, y in zip(items, a, b, strict=True)}

    def result(points: dict[str, Decimal]) -> str:
        answers, _p = r.read_answers(RUBRIC, points)
        return r.result(scoring.score(RUBRIC, answers), RUBRIC)

    assert order.index(result(low)) <= order.index(result(high))


@given(st.dictionaries(st.sampled_from("abcdef"), tenths, min_size=1))
def test_property_keeping_the_self_assessment_needs_no_reason(given_points):
    assert r.adjustment_problems(given_points, dict(given_points), {}) == []


@given(st.dictionaries(st.integers(2000, 2030), st.sampled_from([r.EXCELLENT, r.PASS, r.FAIL])),
       st.integers(2000, 2030))
def test_property_suspension_due_only_after_two_fails(results, year):
    assert r.suspension_due(results, year) == (results.get(year) == r.FAIL and results.get(year - 1) == r.FAIL)
