"""The honours' pure rules as specifications: eligibility lists every failing reason at once; quotas pass down the
tree with their reserves kept at every level, and admit a nomination only where it fits (unit and property tests)."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gongjiang.honours.rules import eligibility as el
from gongjiang.honours.rules import quotas as q

MEDAL = el.Criteria(subject="person", min_age=18, max_age=60, min_years=5, clean_record=True,
                    requires_any=frozenset({"city_medal", "province_model_worker"}),
                    excludes=frozenset({"province_may_day_medal"}))


def codes(problems: list[el.Problem]) -> list[str]:
    return [p.code for p in problems]


# ---------------------------------------------------------------------------------------------
# Eligibility


def test_an_eligible_worker_has_no_problem():
    nominee = el.Nominee("person", age=45, years=20, held=frozenset({"city_medal"}))
    assert el.problems(MEDAL, nominee) == []


def test_every_failing_reason_is_listed_at_once():
    nominee = el.Nominee("person", age=63, years=2, disciplinary=True, held=frozenset({"province_may_day_medal"}))
    assert codes(el.problems(MEDAL, nominee)) == ["too_old", "years", "record", "requires", "excluded"]
    fields = {p.field for p in el.problems(MEDAL, nominee)}
    assert fields == {"person", "years_in_trade", "disciplinary_record", "held"}


def test_a_young_worker_and_an_unknown_age():
    assert codes(el.problems(MEDAL, el.Nominee("person", age=17, years=5, held=frozenset({"city_medal"})))) == [
        "too_young"]
    assert codes(el.problems(MEDAL, el.Nominee("person", years=5, held=frozenset({"city_medal"})))) == [
        "age_unknown"]


def test_the_wrong_kind_of_nominee_is_the_only_reason():
    assert codes(el.problems(MEDAL, el.Nominee("collective"))) == ["subject"]


def test_a_collective_is_not_asked_for_age_or_years():
    team = el.Criteria(subject="collective", min_years=5, clean_record=True, excludes=frozenset({"pioneer"}))
    assert el.problems(team, el.Nominee("collective")) == []
    assert codes(el.problems(team, el.Nominee("collective", disciplinary=True, held=frozenset({"pioneer"})))) == [
        "record", "excluded"]


def test_criteria_themselves_are_checked():
    bad = el.Criteria(subject="person", min_age=70, max_age=15, min_years=-1, requires_any=frozenset({"x", "a"}),
                      excludes=frozenset({"a"}))
    assert codes(el.check_criteria(bad, {"a"})) == ["age_range", "age_order", "years_range", "unknown_honour",
                                                    "both"]
    assert el.check_criteria(MEDAL, {"city_medal", "province_model_worker", "province_may_day_medal"}) == []


@given(age=st.integers(0, 100), years=st.integers(0, 60), disciplinary=st.booleans(),
       held=st.frozensets(st.sampled_from(["city_medal", "province_model_worker", "province_may_day_medal", "x"])))
def test_eligible_exactly_when_every_criterion_holds(age, years, disciplinary, held):
    found = set(codes(el.problems(MEDAL, el.Nominee("person", age, years, disciplinary, held))))
    assert ("too_young" in found) == (age < 18)
    assert ("too_old" in found) == (age > 60)
    assert ("years" in found) == (years < 5)
    assert ("record" in found) == disciplinary
    assert ("requires" in found) == (not held & {"city_medal", "province_model_worker"})
    assert ("excluded" in found) == ("province_may_day_medal" in held)


# ---------------------------------------------------------------------------------------------
# Quotas: allocation down the tree


PROVINCE = q.Share(500, {"non_public": 100, "front_line": 350})


def test_the_province_splits_its_500_with_the_non_public_reserve_carried_down():
    cities = {"济南": q.Share(200, {"non_public": 40, "front_line": 140}),
              "青岛": q.Share(200, {"non_public": 40, "front_line": 140}),
              "冶金": q.Share(90, {"non_public": 15, "front_line": 65})}
    assert q.allocation_problems(PROVINCE, cities) == []  # 10 kept: 5 non-public and 5 front-line fit in them


def test_a_split_over_the_parent_is_refused():
    found = q.allocation_problems(PROVINCE, {"济南": q.Share(300), "青岛": q.Share(201)})
    assert codes(found) == ["over_parent"]
    assert found[0].params == {"given": 501, "quota": 500}


def test_a_reserve_not_carried_down_is_refused_naming_it():
    found = q.allocation_problems(PROVINCE, {"济南": q.Share(250, {"front_line": 175}),
                                             "青岛": q.Share(240, {"front_line": 170})})
    assert codes(found) == ["reserve_short"]  # non-public: 100 reserved, none passed, only 10 kept
    assert found[0].field == "reserve_non_public"


def test_each_bad_child_is_named_and_all_reasons_come_together():
    found = q.allocation_problems(q.Share(5, {"non_public": 5}), {
        "甲": q.Share(-1), "乙": q.Share(3, {"women": 4}), "丙": q.Share(2)}, {"丙": q.Used(3)})
    assert codes(found) == ["negative", "reserve_over_quota", "below_used", "reserve_short"]
    assert [p.params.get("org") for p in found[:3]] == ["甲", "乙", "丙"]


def test_a_reserve_that_places_already_taken_make_impossible_is_refused():
    used = {"济南": q.Used(5, {"non_public": 0})}
    found = q.allocation_problems(PROVINCE, {"济南": q.Share(6, {"non_public": 2})}, used)
    assert codes(found) == ["reserve_taken"]  # five others nominated: only one place is left, not two
    assert found[0].field == "reserve_non_public"


shares = st.builds(lambda n, r: (n, r), st.integers(0, 60), st.integers(0, 60))


@given(total=st.integers(0, 600), reserve=st.integers(0, 600), weights=st.lists(st.integers(0, 500), min_size=1,
                                                                                max_size=20))
def test_a_proposed_split_is_always_accepted_and_keeps_the_reserves(total, reserve, weights):
    assume(reserve <= total)
    parent = q.Share(total, {"non_public": reserve, "front_line": reserve // 2, "women": total - reserve})
    children = q.propose(parent, weights)
    assert sum(c.quota for c in children) == total
    assert q.allocation_problems(parent, {str(i): c for i, c in enumerate(children)}) == []
    for kind in q.RESERVES:
        assert sum(c.reserved(kind) for c in children) == parent.reserved(kind)


@given(total=st.integers(0, 10_000), weights=st.lists(st.integers(0, 10_000), min_size=1, max_size=30))
def test_split_is_exact_and_proportional_within_one(total, weights):
    parts = q.split(total, weights)
    assert sum(parts) == total
    whole = sum(weights) or len(weights)
    for part, w in zip(parts, weights or [], strict=True):
        share = total * (w if sum(weights) else 1) / whole
        assert share - 1 < part < share + 1


@given(quota=st.integers(0, 30), reserve=st.integers(0, 30), children=st.lists(shares, max_size=6))
def test_an_accepted_split_guarantees_the_parents_reserve(quota, reserve, children):
    """If the children are accepted, filling every child's quota while honouring its reserve — and the parent's
    remainder with the reserved kind — always meets the parent's reserve."""
    parent = q.Share(quota, {"non_public": reserve})
    split = {str(i): q.Share(n, {"non_public": r}) for i, (n, r) in enumerate(children)}
    if q.allocation_problems(parent, split):
        return
    kept = quota - sum(c.quota for c in split.values())
    guaranteed = sum(c.reserved("non_public") for c in split.values()) + kept
    assert guaranteed >= reserve
    assert sum(c.quota for c in split.values()) <= quota


# ---------------------------------------------------------------------------------------------
# Quotas: admitting one more nominee


def test_a_nomination_fits_until_the_quota_is_used():
    share = q.Share(3)
    assert q.admission_problems(share, q.Used(2), frozenset()) == []
    assert codes(q.admission_problems(share, q.Used(3), frozenset(), org="历下区总工会")) == ["over_quota"]


def test_the_last_places_wait_for_the_reserved_kind():
    share = q.Share(5, {"non_public": 2})
    public_three = q.Used(3, {"non_public": 0})
    assert codes(q.admission_problems(share, public_three, frozenset())) == ["reserved"]
    assert q.admission_problems(share, public_three, frozenset({"non_public"})) == []


def test_several_reserves_are_reported_together():
    share = q.Share(4, {"non_public": 1, "front_line": 1, "women": 1})
    used = q.Used(3, {"non_public": 0, "front_line": 0, "women": 0})
    assert codes(q.admission_problems(share, used, frozenset())) == ["reserved", "reserved", "reserved"]
    assert codes(q.admission_problems(share, used, frozenset({"non_public", "front_line", "women"}))) == []


def test_the_leaders_cap_holds_for_the_whole_list():
    share = q.Share(100)
    assert q.leader_cap(100, 15) == 15 and q.leader_cap(7, 15) == 1 and q.leader_cap(5, None) is None
    assert codes(q.admission_problems(share, q.Used(20, {"leader": 15}), frozenset({"leader"}), cap=15)) == [
        "leader_cap"]
    assert q.admission_problems(share, q.Used(20, {"leader": 15}), frozenset(), cap=15) == []


def test_the_front_line_floor_rounds_up():
    assert q.front_line_floor(500, 70) == 350
    assert q.front_line_floor(5, 30) == 2
    assert q.front_line_floor(10, 0) == 0


@given(quota=st.integers(0, 20), reserve=st.integers(0, 20), kinds=st.lists(st.booleans(), max_size=40))
def test_admitting_one_by_one_never_breaks_the_quota_or_the_reserve(quota, reserve, kinds):
    """Whatever order nominees come in, what is admitted stays within the quota, and once the quota is full the
    reserved kind holds at least its reserve."""
    assume(reserve <= quota)
    share = q.Share(quota, {"non_public": reserve})
    used = q.Used()
    for non_public in kinds:
        k = frozenset({"non_public"}) if non_public else frozenset()
        if not q.admission_problems(share, used, k):
            used = used.plus(k)
    assert used.total <= quota
    assert used.total - used.of("non_public") <= quota - reserve
    if used.total == quota:
        assert used.of("non_public") >= reserve


def test_bad_weights_are_refused():
    with pytest.raises(ValueError):
        q.split(5, [1, -1])
