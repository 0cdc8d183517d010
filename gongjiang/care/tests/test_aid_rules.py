"""Programme eligibility and amount rules (pure): examples, bad rules refused naming their field, then properties
over any rule and household."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.care.rules import amounts, eligibility
from gongjiang.care.rules.eligibility import FileFacts, MemberBrief, RuleError, judge

DAY = datetime.date(2027, 1, 20)


def worker(gender: str = "M", born: datetime.date = datetime.date(1980, 6, 1)) -> MemberBrief:
    return MemberBrief("self", gender, born, "none")


def test_every_condition_gives_its_reason_met_or_not():
    rule = eligibility.read_rule({"grades": ["deep"], "causes": ["unemployment", "illness"],
                                  "university_child": True})
    facts = FileFacts("relative", ("illness",), (worker(),))
    verdict = judge(rule, facts, DAY)
    assert not verdict.eligible
    assert len(verdict.reasons) == 3
    assert "not among" in verdict.reasons[0] and "admits" in verdict.reasons[1]
    assert "No child" in verdict.reasons[2]


def test_a_university_child_admits_to_autumn_schooling_aid():
    rule = eligibility.read_rule({"university_child": True})
    child = MemberBrief("child", "F", datetime.date(2007, 3, 1), "university")
    assert judge(rule, FileFacts("deep", (), (worker(), child)), DAY).eligible
    school_child = MemberBrief("child", "F", datetime.date(2012, 3, 1), "compulsory")
    assert not judge(rule, FileFacts("deep", (), (worker(), school_child)), DAY).eligible


def test_women_workers_by_age_on_the_day():
    rule = eligibility.read_rule({"women_age": [35, 64]})
    assert judge(rule, FileFacts("deep", (), (worker("F", datetime.date(1992, 1, 20)),)), DAY).eligible  # 35 today
    assert not judge(rule, FileFacts("deep", (), (worker("F", datetime.date(1992, 1, 21)),)), DAY).eligible
    assert not judge(rule, FileFacts("deep", (), (worker("M", datetime.date(1970, 1, 1)),)), DAY).eligible


def test_an_empty_rule_admits_every_household_and_says_so():
    verdict = judge({}, FileFacts("", ()), DAY)
    assert verdict.eligible and verdict.reasons


@pytest.mark.parametrize(("data", "field"), [
    ({"grades": ["poor"]}, "grades"), ({"causes": ["laziness"]}, "causes"), ({"women_age": [70, 30]}, "women_age"),
    ({"women_age": ["a", 3]}, "women_age"), ("everyone", "eligibility")])
def test_bad_eligibility_is_refused_naming_the_field(data, field):
    with pytest.raises(RuleError) as e:
        eligibility.read_rule(data)
    assert e.value.field == field


def test_amounts_by_each_kind():
    assert amounts.amount(amounts.read_rule({"kind": "fixed", "amount": "500"})) == Decimal("500.00")
    by_grade = amounts.read_rule({"kind": "by_grade", "amounts": {"deep": "1000", "relative": "600"}})
    assert amounts.amount(by_grade, "deep") == Decimal("1000.00")
    assert amounts.amount(by_grade, "sudden") == Decimal("0")
    by_cost = amounts.read_rule({"kind": "by_cost", "share": "60%", "cap": "5000"})
    assert amounts.amount(by_cost, cost=Decimal("3000")) == Decimal("1800.00")
    assert amounts.amount(by_cost, cost=Decimal("30000")) == Decimal("5000.00")
    with pytest.raises(RuleError):
        amounts.amount(by_cost)


@pytest.mark.parametrize(("data", "field"), [
    ({"kind": "by_cost", "share": "1.2", "cap": "5000"}, "share"),
    ({"kind": "by_cost", "share": "120%", "cap": "5000"}, "share"),
    ({"kind": "by_cost", "share": "0", "cap": "5000"}, "share"),
    ({"kind": "by_cost", "share": "0.5", "cap": "-1"}, "cap"),
    ({"kind": "by_cost", "share": "abc", "cap": "1"}, "share"),
    ({"kind": "fixed", "amount": "-5"}, "amount"),
    ({"kind": "fixed", "amount": "五百"}, "amount"),
    ({"kind": "by_grade", "amounts": {"poor": "5"}}, "amounts"),
    ({"kind": "by_grade", "amounts": {"deep": "500", "relative": "800"}, "monotone": True}, "amounts"),
    ({"kind": "lottery"}, "kind")])
def test_bad_amount_rules_are_refused_naming_the_field(data, field):
    with pytest.raises(RuleError) as e:
        amounts.read_rule(data)
    assert e.value.field == field


money = st.decimals(min_value=0, max_value=999999, places=2, allow_nan=False, allow_infinity=False)


@given(cost=money, share=st.decimals(min_value=Decimal("0.01"), max_value=1, places=2), cap=money)
def test_a_share_of_the_cost_is_never_negative_nor_above_the_cap_nor_above_the_cost(cost, share, cap):
    rule = amounts.read_rule({"kind": "by_cost", "share": str(share), "cap": str(cap)})
    paid = amounts.amount(rule, cost=cost)
    assert Decimal(0) <= paid <= cap
    assert paid <= cost + Decimal("0.01")


@given(st.lists(money, min_size=3, max_size=3))
def test_monotone_amounts_by_grade_never_rise_from_deep_to_sudden(values):
    data = {"kind": "by_grade", "amounts": dict(zip(eligibility.GRADES, map(str, values), strict=True)),
            "monotone": True}
    try:
        rule = amounts.read_rule(data)
    except RuleError:
        assert sorted(values, reverse=True) != values
        return
    paid = [amounts.amount(rule, g) for g in eligibility.GRADES]
    assert paid == sorted(paid, reverse=True) and min(paid) >= 0


grades = st.sampled_from(["", *eligibility.GRADES])
causes = st.lists(st.sampled_from(["illness", "disability", "unemployment", "schooling"]), unique=True)


@given(st.lists(st.sampled_from(eligibility.GRADES), unique=True), causes, grades, causes, st.booleans())
def test_a_verdict_gives_a_reason_per_condition_and_more_conditions_never_admit_more(
        rule_grades, rule_causes, grade, file_causes, university):
    rule = eligibility.read_rule({"grades": rule_grades, "causes": rule_causes, "university_child": university})
    facts = FileFacts(grade, tuple(file_causes), (worker(),))
    verdict = judge(rule, facts, DAY)
    assert len(verdict.reasons) == max(1, len(rule))
    narrower = {**rule, "university_child": True}
    assert not (judge(narrower, facts, DAY).eligible and not verdict.eligible)


born = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2010, 12, 31))
member_st = st.builds(MemberBrief, st.sampled_from(["self", "child", "spouse"]), st.sampled_from(["M", "F"]), born,
                      st.sampled_from(["none", "university", "high"]))


@given(st.lists(st.tuples(grades, causes, st.lists(member_st, max_size=4)), min_size=1, max_size=30),
       st.booleans(), st.booleans())
def test_the_kept_verdicts_of_a_build_are_the_verdicts_of_each_household(households, university, women):
    rule = eligibility.read_rule({"grades": ["deep", "relative"], "university_child": university,
                                  **({"women_age": [35, 64]} if women else {})})
    kept = eligibility.Judge(rule, DAY)
    for grade, file_causes, members in households:
        facts = FileFacts(grade, tuple(file_causes), tuple(members))
        assert kept(facts) == judge(rule, facts, DAY)
