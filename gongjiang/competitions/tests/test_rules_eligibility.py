"""Who may register for an event: every rule, every refusal, every reason at once (issue 3 §2).

Also checks that every message of the competitions rules modules (eligibility, conflicts, labour) has its
Chinese translation in locale/zh/competitions_rules.json, with the same placeholders.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjiang.competitions.rules import eligibility as el
from gongjiang.competitions.rules.eligibility import Candidate, Decision, EventRules, Reason, check, decide
from gongjiang.core.errors import DomainError
from gongjiang.orgs.choices import MembershipStatus, SkillGrade

ON = date(2026, 9, 1)  # "年龄按 2026 年 9 月 1 日计算"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def a_worker(**changes) -> Candidate:
    """A 40-year-old 三级/高级工, member in good standing, front-line, not a leader, registered nowhere."""
    base = Candidate(birth_date=date(1986, 3, 15), skill_grade=3, membership_status=MembershipStatus.ACTIVE,
                     is_front_line=True, is_leader=False)
    return dataclasses.replace(base, **changes)


def codes(reasons) -> list[str]:
    return [r.code for r in reasons]


def run(candidate: Candidate, rules: EventRules, unit_count: int = 0, total_count: int = 0) -> list[Reason]:
    return check(candidate, rules, unit_count=unit_count, total_count=total_count)


# --- enterprise leaders ---------------------------------------------------------------------------------

@pytest.mark.parametrize("post", [
    "董事长", "副董事长", "执行董事", "总经理", "副总经理", "总经理助理", "总裁", "副总裁", "厂长", "副厂长",
    "矿长", "副矿长", "党委书记", "党委副书记", "纪委书记", "总工程师", "副总工程师", "总会计师", "总经济师",
    "总法律顾问", "监事会主席", "党委书记、董事长", "分公司总经理", "副总经理 兼 总工程师", " 厂 长 ",
])
def test_enterprise_leadership_posts_are_leaders(post):
    assert el.is_enterprise_leader(post)


@pytest.mark.parametrize("post", [
    "", "班组长", "车间主任", "车间副主任", "工段长", "值班长", "车间党支部书记", "总经理办公室主任",
    "厂长办公室秘书", "职工董事", "工程师", "高级工程师", "项目经理", "技术员", "焊工", "工会主席", "董事会秘书",
])
def test_team_and_workshop_heads_and_office_staff_are_not_leaders(post):
    assert not el.is_enterprise_leader(post)


def test_a_missing_post_is_not_a_leader():
    assert not el.is_enterprise_leader(None)  # type: ignore[arg-type]


# --- age ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("birth, on, age", [
    (date(1970, 9, 1), date(2026, 9, 1), 56),   # the birthday itself: a year older
    (date(1970, 9, 2), date(2026, 9, 1), 55),   # birthday tomorrow: not yet
    (date(1970, 8, 31), date(2026, 9, 1), 56),
    (date(1970, 12, 31), date(2026, 1, 1), 55),
    (date(2000, 2, 29), date(2026, 2, 28), 25),  # born on 29 February: common year, birthday not reached
    (date(2000, 2, 29), date(2026, 3, 1), 26),   # … reached on 1 March
    (date(2000, 2, 29), date(2028, 2, 29), 28),  # leap year: on the day
    (date(2000, 2, 29), date(2028, 2, 28), 27),
])
def test_age_is_completed_years_on_the_reference_date(birth, on, age):
    assert el.age_on(birth, on) == age


def test_a_worker_turning_56_on_the_reference_date_is_over_a_55_limit():
    rules = EventRules(max_age=55, age_reference_date=ON)
    (reason,) = run(a_worker(birth_date=date(1970, 9, 1)), rules)
    assert reason.code == "too_old"
    assert reason.field == "birth_date"
    assert reason.params_dict == {"age": 56, "max_age": 55, "date": "2026-09-01"}
    assert reason.message == "Age 56, above the maximum age of 55 (on 2026-09-01)."
    assert str(reason) == reason.message


def test_a_worker_turning_56_the_day_after_the_reference_date_is_still_55():
    rules = EventRules(max_age=55, age_reference_date=ON)
    assert run(a_worker(birth_date=date(1970, 9, 2)), rules) == []


def test_the_minimum_age_is_reached_on_the_birthday():
    rules = EventRules(min_age=18, age_reference_date=ON)
    assert run(a_worker(birth_date=date(2008, 9, 1)), rules) == []
    (reason,) = run(a_worker(birth_date=date(2008, 9, 2)), rules)
    assert reason.code == "too_young"
    assert reason.message == "Age 17, below the minimum age of 18 (on 2026-09-01)."


def test_ages_are_inclusive_at_both_ends():
    rules = EventRules(min_age=18, max_age=18, age_reference_date=ON)
    assert run(a_worker(birth_date=date(2008, 1, 1)), rules) == []


def test_an_unknown_birth_date_is_a_reason_only_when_an_age_limit_applies():
    assert codes(run(a_worker(birth_date=None), EventRules(min_age=18, age_reference_date=ON))) == [
        "birth_date_unknown"]
    assert run(a_worker(birth_date=None), EventRules()) == []


def test_the_message_of_an_unknown_birth_date():
    (reason,) = run(a_worker(birth_date=None), EventRules(max_age=55, age_reference_date=ON))
    assert reason.message == "Birth date unknown, so the age limit cannot be checked."


# --- skill grades ---------------------------------------------------------------------------------------

# The direction, written out: min_grade=3 is "三级/高级工 or better" (codes 3, 2, 1); max_grade=2 is "at most
# 二级/技师" (codes 2…5 and no grade).
ACCEPTED_BY_MIN = {5: {5, 4, 3, 2, 1}, 4: {4, 3, 2, 1}, 3: {3, 2, 1}, 2: {2, 1}, 1: {1}}
ACCEPTED_BY_MAX = {5: {0, 5}, 4: {0, 5, 4}, 3: {0, 5, 4, 3}, 2: {0, 5, 4, 3, 2}, 1: {0, 5, 4, 3, 2, 1}}


def test_grade_rank_orders_no_grade_then_junior_to_senior_technician():
    by_rank = sorted([0, 1, 2, 3, 4, 5], key=el.grade_rank)
    assert by_rank == [SkillGrade.NONE, SkillGrade.GRADE5, SkillGrade.GRADE4, SkillGrade.GRADE3,
                       SkillGrade.GRADE2, SkillGrade.GRADE1]


@pytest.mark.parametrize("minimum", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("grade", [0, 1, 2, 3, 4, 5])
def test_minimum_grade_accepts_that_grade_and_higher_only(minimum, grade):
    reasons = run(a_worker(skill_grade=grade), EventRules(min_grade=minimum))
    if grade in ACCEPTED_BY_MIN[minimum]:
        assert reasons == []
    else:
        assert codes(reasons) == ["no_grade" if grade == 0 else "grade_too_low"]
        assert reasons[0].field == "skill_grade"


@pytest.mark.parametrize("maximum", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("grade", [0, 1, 2, 3, 4, 5])
def test_maximum_grade_accepts_that_grade_lower_grades_and_no_grade(maximum, grade):
    reasons = run(a_worker(skill_grade=grade), EventRules(max_grade=maximum))
    assert codes(reasons) == ([] if grade in ACCEPTED_BY_MAX[maximum] else ["grade_too_high"])


def test_a_grade_window_accepts_only_the_grades_inside_it():
    rules = EventRules(min_grade=3, max_grade=2)
    accepted = {g for g in range(6) if not run(a_worker(skill_grade=g), rules)}
    assert accepted == {3, 2}


def test_grade_messages_name_the_grades():
    (low,) = run(a_worker(skill_grade=5), EventRules(min_grade=3))
    assert low.message == ("Skill grade Level 5 / junior worker is below the required minimum of "
                           "Level 3 / senior worker.")
    (none,) = run(a_worker(skill_grade=0), EventRules(min_grade=3))
    assert none.message == "No skill grade; this event requires at least Level 3 / senior worker."
    (high,) = run(a_worker(skill_grade=1), EventRules(max_grade=2))
    assert high.message == ("Skill grade Level 1 / senior technician is above the highest grade allowed, "
                            "Level 2 / technician.")


def test_grade_labels_are_rendered_in_the_language_of_the_reader():
    (low,) = run(a_worker(skill_grade=5), EventRules(min_grade=3))
    with translation.override("zh-hans"):
        assert "五级/初级工" in str(low.params_dict["grade"])


@pytest.mark.parametrize("grade", [-1, 6, 9, True])
def test_an_unknown_candidate_grade_is_refused(grade):
    with pytest.raises(DomainError) as caught:
        a_worker(skill_grade=grade)
    assert caught.value.field == "skill_grade"
    with pytest.raises(DomainError):
        el.grade_rank(grade)


# --- membership, front line, leaders, exclusivity -------------------------------------------------------

def test_members_only_accepts_a_member_in_good_standing():
    assert run(a_worker(), EventRules(members_only=True)) == []


def test_members_only_refuses_a_non_member():
    (reason,) = run(a_worker(membership_status=None), EventRules(members_only=True))
    assert (reason.code, reason.field) == ("not_member", "membership")
    assert reason.message == "Not a union member; this event is open to union members only."


@pytest.mark.parametrize("status", [MembershipStatus.TRANSFERRED, MembershipStatus.LEFT, MembershipStatus.SUSPENDED])
def test_members_only_refuses_a_membership_not_in_good_standing_and_names_the_status(status):
    (reason,) = run(a_worker(membership_status=status), EventRules(members_only=True))
    assert reason.code == "membership_not_active"
    assert str(status.label) in reason.message


def test_an_unknown_membership_status_is_shown_as_is():
    (reason,) = run(a_worker(membership_status="frozen"), EventRules(members_only=True))
    assert reason.message == ("Membership status is “frozen”; this event requires a union member in good "
                              "standing.")


def test_without_members_only_membership_does_not_matter():
    assert run(a_worker(membership_status=None), EventRules()) == []


def test_front_line_only_refuses_others():
    assert run(a_worker(), EventRules(front_line_only=True)) == []
    (reason,) = run(a_worker(is_front_line=False), EventRules(front_line_only=True))
    assert reason.code == "not_front_line"
    assert run(a_worker(is_front_line=False), EventRules()) == []


def test_leaders_are_refused_only_when_the_event_excludes_them():
    (reason,) = run(a_worker(is_leader=True), EventRules(exclude_leaders=True))
    assert (reason.code, reason.message) == ("leader", "Enterprise leaders may not enter this event.")
    assert run(a_worker(is_leader=True), EventRules()) == []
    assert run(a_worker(), EventRules(exclude_leaders=True)) == []


def test_an_exclusive_event_refuses_a_worker_registered_in_another_event_and_names_it():
    worker = a_worker(other_events_in_competition=["车工", "焊工"])
    (reason,) = run(worker, EventRules(exclusive=True))
    assert reason.code == "exclusive"
    assert reason.message == ("Already registered for 车工、焊工 in this competition; only one event per "
                              "competition may be entered.")
    assert worker.other_events_in_competition == ("车工", "焊工")  # normalised to a tuple


def test_a_non_exclusive_event_allows_other_events():
    assert run(a_worker(other_events_in_competition=("车工",)), EventRules()) == []


def test_a_duplicate_registration_is_a_reason_even_without_rules():
    (reason,) = run(a_worker(already_registered_for_event=True), EventRules())
    assert (reason.code, reason.message) == ("duplicate", "Already registered for this event.")


# --- quotas and capacity --------------------------------------------------------------------------------

def test_the_unit_quota_is_reached_when_the_unit_holds_that_many_entries():
    rules = EventRules(unit_quota=3)
    assert run(a_worker(), rules, unit_count=2) == []
    (reason,) = run(a_worker(), rules, unit_count=3)
    assert (reason.code, reason.field) == ("unit_quota", "unit")
    assert reason.message == "The unit's quota of 3 entries for this event has been reached."


def test_a_full_event_without_a_waiting_list_refuses():
    rules = EventRules(total_capacity=100)
    assert run(a_worker(), rules, total_count=99) == []
    (reason,) = run(a_worker(), rules, total_count=100)
    assert (reason.code, reason.message) == ("full", "This event is full (capacity 100).")


def test_a_full_event_with_a_waiting_list_is_not_a_refusal():
    assert run(a_worker(), EventRules(total_capacity=100, waitlist=True), total_count=100) == []


@pytest.mark.parametrize("name", ["unit_count", "total_count"])
def test_negative_counts_are_refused(name):
    counts = {"unit_count": 0, "total_count": 0, name: -1}
    with pytest.raises(DomainError) as caught:
        check(a_worker(), EventRules(), **counts)
    assert caught.value.field == name


# --- every reason at once -------------------------------------------------------------------------------

STRICT = EventRules(min_age=18, max_age=35, age_reference_date=ON, min_grade=3, members_only=True,
                    front_line_only=True, exclude_leaders=True, exclusive=True, unit_quota=2, total_capacity=10)


def test_a_worker_breaking_every_rule_sees_every_reason_in_a_fixed_order():
    worker = Candidate(birth_date=date(1960, 1, 1), skill_grade=5, membership_status=None, is_front_line=False,
                       is_leader=True, other_events_in_competition=("电工",), already_registered_for_event=True)
    reasons = run(worker, STRICT, unit_count=2, total_count=10)
    assert codes(reasons) == ["duplicate", "too_old", "grade_too_low", "not_member", "not_front_line", "leader",
                              "exclusive", "unit_quota", "full"]
    assert el.reasons_by_code(reasons)["unit_quota"].params_dict == {"quota": 2}


def test_a_worker_meeting_every_rule_has_no_reason():
    assert run(a_worker(birth_date=date(2000, 1, 1)), STRICT, unit_count=1, total_count=9) == []


# --- decisions ------------------------------------------------------------------------------------------

def test_decide_eligible():
    assert decide(a_worker(), EventRules(), unit_count=0, total_count=0) == Decision("eligible")


def test_decide_pending_approval_when_the_organiser_approves():
    decision = decide(a_worker(), EventRules(requires_approval=True), unit_count=0, total_count=0)
    assert decision.status == "pending_approval"
    assert codes(decision.reasons) == ["approval"]
    assert decision.reasons[0].message == "The registration awaits the organiser's approval."


def test_decide_waitlisted_when_full_with_a_waiting_list_and_gives_the_position():
    rules = EventRules(total_capacity=50, waitlist=True, requires_approval=True)
    decision = decide(a_worker(), rules, unit_count=0, total_count=50, waitlist_count=4)
    assert decision.status == "waitlisted"  # before approval: approval follows promotion to a place
    (reason,) = decision.reasons
    assert reason.message == "This event is full (capacity 50); the registration is number 5 on the waiting list."


def test_decide_refused_with_every_reason_even_when_full_with_a_waiting_list():
    rules = EventRules(total_capacity=50, waitlist=True, unit_quota=1, front_line_only=True)
    decision = decide(a_worker(is_front_line=False), rules, unit_count=1, total_count=50)
    assert decision.refused
    assert codes(decision.reasons) == ["not_front_line", "unit_quota"]


def test_decide_refuses_a_negative_waiting_list():
    with pytest.raises(DomainError):
        decide(a_worker(), EventRules(), unit_count=0, total_count=0, waitlist_count=-1)


def test_a_refused_decision_raises_every_reason_grouped_by_field():
    decision = decide(a_worker(is_front_line=False, already_registered_for_event=True),
                      EventRules(front_line_only=True, total_capacity=1), unit_count=0, total_count=1)
    with pytest.raises(DomainError) as caught:
        decision.raise_if_refused()
    error = caught.value
    assert error.code == "ineligible"
    assert error.errors == {
        "event": "Already registered for this event. This event is full (capacity 1).",
        "is_front_line": "Not a front-line worker; this event is open to front-line workers only.",
    }
    assert "Already registered" in error.message and "front-line" in error.message


@pytest.mark.parametrize("rules, total", [(EventRules(), 0), (EventRules(requires_approval=True), 0),
                                          (EventRules(total_capacity=1, waitlist=True), 1)])
def test_a_decision_that_is_not_refused_does_not_raise(rules, total):
    decide(a_worker(), rules, unit_count=0, total_count=total).raise_if_refused()


# --- refused rule sets ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, field", [
    ({"min_age": -1, "age_reference_date": ON}, "min_age"),
    ({"max_age": 151, "age_reference_date": ON}, "max_age"),
    ({"max_age": True, "age_reference_date": ON}, "max_age"),
    ({"min_age": 40, "max_age": 30, "age_reference_date": ON}, "min_age"),
    ({"max_age": 55}, "age_reference_date"),
    ({"min_age": 18}, "age_reference_date"),
    ({"min_grade": 0}, "min_grade"),
    ({"min_grade": 6}, "min_grade"),
    ({"max_grade": 0}, "max_grade"),
    ({"min_grade": 2, "max_grade": 3}, "min_grade"),  # lowest accepted 技师 above highest accepted 高级工
    ({"unit_quota": 0}, "unit_quota"),
    ({"total_capacity": 0}, "total_capacity"),
    ({"total_capacity": True}, "total_capacity"),
    ({"waitlist": True}, "waitlist"),
])
def test_inconsistent_event_rules_are_refused_naming_the_field(kwargs, field):
    with pytest.raises(DomainError) as caught:
        EventRules(**kwargs)
    assert caught.value.field == field
    assert caught.value.message


def test_an_inverted_grade_window_names_both_grades():
    with pytest.raises(DomainError) as caught:
        EventRules(min_grade=2, max_grade=3)
    assert caught.value.message == ("The lowest grade accepted, Level 2 / technician, is above the highest, "
                                    "Level 3 / senior worker.")


def test_a_single_grade_window_is_allowed():
    assert EventRules(min_grade=3, max_grade=3).min_grade == 3


# --- properties -----------------------------------------------------------------------------------------

dates = st.dates(min_value=date(1940, 1, 1), max_value=date(2012, 12, 31))
candidates = st.builds(
    Candidate,
    birth_date=st.none() | dates,
    skill_grade=st.sampled_from([0, 1, 2, 3, 4, 5]),
    membership_status=st.sampled_from([None, *MembershipStatus.values]),
    is_front_line=st.booleans(),
    is_leader=st.booleans(),
    other_events_in_competition=st.lists(st.sampled_from(["车工", "焊工", "电工"]), max_size=2).map(tuple),
    already_registered_for_event=st.booleans(),
)


AGES = st.none() | st.integers(16, 65)
GRADE_LIMITS = st.none() | st.sampled_from([1, 2, 3, 4, 5])
SMALL = st.none() | st.integers(1, 5)
CAPACITIES = st.none() | st.integers(1, 20)


@st.composite
def event_rules(draw) -> EventRules:
    """Any consistent rule set (strategies built once: building them per draw is what makes hypothesis slow)."""
    low, high = draw(AGES), draw(AGES)
    if low is not None and high is not None and low > high:
        low, high = high, low
    min_grade, max_grade = draw(GRADE_LIMITS), draw(GRADE_LIMITS)
    if min_grade is not None and max_grade is not None and max_grade > min_grade:
        min_grade, max_grade = max_grade, min_grade  # the lowest accepted (larger code) comes first
    flags = draw(st.lists(st.booleans(), min_size=7, max_size=7))
    capacity = draw(CAPACITIES)
    return EventRules(
        min_age=low, max_age=high, age_reference_date=ON if low is not None or high is not None else None,
        min_grade=min_grade, max_grade=max_grade, members_only=flags[0], front_line_only=flags[1],
        exclude_leaders=flags[2], exclusive=flags[3], unit_quota=draw(SMALL), total_capacity=capacity,
        requires_approval=flags[4], waitlist=capacity is not None and flags[5],
    )


# Which inputs each reason reads: a reason must not change when anything else changes.
READS = {
    "duplicate": ({"already_registered_for_event"}, set()),
    "birth_date_unknown": ({"birth_date"}, set()),
    "too_young": ({"birth_date"}, set()),
    "too_old": ({"birth_date"}, set()),
    "no_grade": ({"skill_grade"}, set()),
    "grade_too_low": ({"skill_grade"}, set()),
    "grade_too_high": ({"skill_grade"}, set()),
    "not_member": ({"membership_status"}, set()),
    "membership_not_active": ({"membership_status"}, set()),
    "not_front_line": ({"is_front_line"}, set()),
    "leader": ({"is_leader"}, set()),
    "exclusive": ({"other_events_in_competition"}, set()),
    "unit_quota": (set(), {"unit_count"}),
    "full": (set(), {"total_count"}),
}
GROUPS = [{"duplicate"}, {"birth_date_unknown", "too_young", "too_old"}, {"no_grade", "grade_too_low",
          "grade_too_high"}, {"not_member", "membership_not_active"}, {"not_front_line"}, {"leader"}, {"exclusive"},
          {"unit_quota"}, {"full"}]
CANDIDATE_FIELDS = [f.name for f in dataclasses.fields(Candidate)]


@settings(max_examples=120, deadline=None)
@given(first=candidates, second=candidates, rules=event_rules(), counts=st.tuples(st.integers(0, 6),
       st.integers(0, 25), st.integers(0, 6), st.integers(0, 25)), group=st.sampled_from(GROUPS))
def test_each_reason_depends_only_on_the_fields_its_rule_reads(first, second, rules, counts, group):
    fields, count_names = set(), set()
    for code in group:
        fields |= READS[code][0]
        count_names |= READS[code][1]
    # A candidate and counts mixing the first's fields read by this rule with the second's other fields.
    mixed = dataclasses.replace(second, **{name: getattr(first, name) for name in fields})
    first_counts = {"unit_count": counts[0], "total_count": counts[1]}
    second_counts = {"unit_count": counts[2], "total_count": counts[3]}
    mixed_counts = {name: (first_counts if name in count_names else second_counts)[name] for name in first_counts}
    of_group = [r for r in check(first, rules, **first_counts) if r.code in group]
    assert [r for r in check(mixed, rules, **mixed_counts) if r.code in group] == of_group
    assert len(of_group) <= 1


@settings(max_examples=120, deadline=None)
@given(candidate=candidates, rules=event_rules(), unit_count=st.integers(0, 6), total_count=st.integers(0, 25),
       waiting=st.integers(0, 5))
def test_decide_refuses_exactly_when_check_gives_a_reason(candidate, rules, unit_count, total_count, waiting):
    reasons = check(candidate, rules, unit_count=unit_count, total_count=total_count)
    decision = decide(candidate, rules, unit_count=unit_count, total_count=total_count, waitlist_count=waiting)
    assert decision.refused == bool(reasons)
    if reasons:
        assert list(decision.reasons) == reasons
    elif el.is_full(rules, total_count):
        assert decision.status == "waitlisted"
    else:
        assert decision.status == ("pending_approval" if rules.requires_approval else "eligible")
    assert all(r.message for r in decision.reasons)  # every reason renders


def _birthday(birth: date, year: int) -> date:
    """The day someone born on `birth` turns a year older in `year` (29 February → 1 March)."""
    try:
        return birth.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


@settings(max_examples=200, deadline=None)
@given(birth=dates, years=st.integers(16, 70))
def test_the_age_limit_changes_exactly_on_the_birthday(birth, years):
    birthday = _birthday(birth, birth.year + years)
    assert el.age_on(birth, birthday) == years
    assert el.age_on(birth, birthday - timedelta(days=1)) == years - 1
    # A limit of `years - 1` refuses from the birthday on, not the day before.
    worker = a_worker(birth_date=birth)
    assert codes(run(worker, EventRules(max_age=years - 1, age_reference_date=birthday))) == ["too_old"]
    assert run(worker, EventRules(max_age=years - 1, age_reference_date=birthday - timedelta(days=1))) == []
    # A minimum of `years` is met from the birthday on.
    assert run(worker, EventRules(min_age=years, age_reference_date=birthday)) == []
    assert codes(run(worker, EventRules(min_age=years, age_reference_date=birthday - timedelta(days=1)))) == [
        "too_young"]


@settings(max_examples=200, deadline=None)
@given(grade=st.sampled_from([0, 1, 2, 3, 4, 5]), minimum=st.sampled_from([1, 2, 3, 4, 5]),
       better=st.sampled_from([0, 1, 2, 3, 4, 5]))
def test_a_higher_grade_never_loses_a_minimum_grade_it_met(grade, minimum, better):
    if el.grade_rank(better) >= el.grade_rank(grade) and not run(a_worker(skill_grade=grade),
                                                                 EventRules(min_grade=minimum)):
        assert run(a_worker(skill_grade=better), EventRules(min_grade=minimum)) == []


# --- translations of the three rules modules ------------------------------------------------------------

RULES_DIR = Path(el.__file__).parent
TRANSLATIONS = Path(el.__file__).parents[2] / "locale" / "zh" / "competitions_rules.json"
MARKERS = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext_lazy"}


def _msgids(module: str) -> set[str]:
    tree = ast.parse((RULES_DIR / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS):
            continue
        texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if node.func.id.startswith("pgettext") and len(texts) == 2:
            found.add(f"{texts[0]}|{texts[1]}")  # the JSON key of a msgid with a context
        elif texts:
            found.add(texts[0])
    return found


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)s", text))


@pytest.mark.parametrize("module", ["eligibility", "conflicts", "labour"])
def test_every_message_has_a_chinese_translation_with_the_same_placeholders(module):
    chinese = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    msgids = _msgids(module)
    assert msgids, module
    for msgid in msgids:
        assert msgid in chinese, msgid
        assert _placeholders(chinese[msgid]) == _placeholders(msgid), msgid
        assert re.search(r"[\u4e00-\u9fff]", chinese[msgid]), msgid
