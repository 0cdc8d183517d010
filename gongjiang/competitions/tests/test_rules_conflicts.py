"""Judges' conflicts of interest (回避): who may never mark whom, and panels that leave nobody short.

The little province used throughout (paths of 4 characters a level):

    0001                         山东省总工会 (province)
      00010001                   济南市总工会 (city)
        000100010001             济钢集团工会 (grassroots, directly under the city)
          0001000100010001       济钢 炼钢厂 (department)
            00010001000100010001 济钢 炼钢厂 甲班 (team)
          0001000100010002       济钢 轧钢厂 (department)
        000100010002             历下区总工会 (county)
          0001000100020001       某街道工会 (town)
            00010001000200010001 历下某公司工会 (grassroots)
      00010002                   青岛市总工会 (city)
        000100020001             青岛港工会 (grassroots)
      00010003                   省建设产业工会 (industry union)
        000100030001             省路桥集团工会 (grassroots, no city)
      00010004                   省能源集团工会 (grassroots directly under the province, no city)
"""

from __future__ import annotations

import dataclasses
import random

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjiang.competitions.rules import conflicts as cf
from gongjiang.competitions.rules.conflicts import ContestantInfo, JudgeInfo, assignable, conflict, panel_check
from gongjiang.core.errors import DomainError

PROVINCE, JINAN, QINGDAO, INDUSTRY, ENERGY = "0001", "00010001", "00010002", "00010003", "00010004"
JIGANG, STEELWORKS, TEAM_A, ROLLING = "000100010001", "0001000100010001", "00010001000100010001", "0001000100010002"
LIXIA, TOWN, LIXIA_CO = "000100010002", "0001000100020001", "00010001000200010001"
QD_PORT, ROAD_BRIDGE = "000100020001", "000100030001"
KINDS = {
    PROVINCE: "province", JINAN: "city", QINGDAO: "city", INDUSTRY: "industry", ENERGY: "grassroots",
    JIGANG: "grassroots", STEELWORKS: "department", TEAM_A: "team", ROLLING: "department",
    LIXIA: "county", TOWN: "town", LIXIA_CO: "grassroots", QD_PORT: "grassroots", ROAD_BRIDGE: "grassroots",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def judge(key="J1", unit=None, city=None, **kwargs) -> JudgeInfo:
    return JudgeInfo(key=key, grassroots_path=unit, city_path=city, **kwargs)


def entry(key="E1", code="A001", unit=None, city=None, **kwargs) -> ContestantInfo:
    return ContestantInfo(key=key, code=code, grassroots_path=unit, city_path=city, **kwargs)


def from_jigang(key="E1", code="A001", **kwargs) -> ContestantInfo:
    return entry(key, code, unit=JIGANG, city=JINAN, employer_paths={STEELWORKS}, **kwargs)


def from_qingdao_port(key="E2", code="A002", **kwargs) -> ContestantInfo:
    return entry(key, code, unit=QD_PORT, city=QINGDAO, employer_paths={QD_PORT}, **kwargs)


# --- finding the unit and the city from the tree --------------------------------------------------------

def test_ancestors_run_from_the_root_down_and_include_the_path():
    assert cf.ancestors(TEAM_A) == [PROVINCE, JINAN, JIGANG, STEELWORKS, TEAM_A]
    assert cf.ancestors(PROVINCE) == [PROVINCE]


@pytest.mark.parametrize("bad", ["", "001", "000100010"])
def test_a_path_not_made_of_4_character_steps_is_a_programming_error(bad):
    with pytest.raises(ValueError):
        cf.ancestors(bad)


@pytest.mark.parametrize("path, unit", [
    (TEAM_A, JIGANG), (STEELWORKS, JIGANG), (JIGANG, JIGANG), (LIXIA_CO, LIXIA_CO), (ROAD_BRIDGE, ROAD_BRIDGE),
    (ENERGY, ENERGY), (JINAN, None), (PROVINCE, None), (TOWN, None),
])
def test_the_unit_is_the_nearest_grassroots_union(path, unit):
    assert cf.grassroots_path(path, KINDS) == unit


@pytest.mark.parametrize("path, city", [
    (TEAM_A, JINAN), (JIGANG, JINAN), (LIXIA_CO, JINAN), (QD_PORT, QINGDAO), (JINAN, JINAN),
    (ROAD_BRIDGE, None),  # under an industry union: no city
    (ENERGY, None),       # directly under the province: its 8-character prefix is itself, not a city
    (PROVINCE, None),
])
def test_the_city_is_the_city_federation_above_not_just_the_8_character_prefix(path, city):
    assert cf.city_path(path, KINDS) == city


def test_a_missing_ancestor_kind_is_a_programming_error_not_a_missing_conflict():
    without_steelworks = {k: v for k, v in KINDS.items() if k != STEELWORKS}
    with pytest.raises(ValueError, match=STEELWORKS):
        cf.grassroots_path(TEAM_A, without_steelworks)
    without_jinan = {k: v for k, v in KINDS.items() if k != JINAN}
    with pytest.raises(ValueError, match=JINAN):
        cf.city_path(TEAM_A, without_jinan)
    # Ancestors above the union found are not needed to find the unit.
    assert cf.grassroots_path(TEAM_A, without_jinan) == JIGANG


# --- one judge, one contestant --------------------------------------------------------------------------

def test_a_judge_never_marks_a_contestant_of_their_own_unit_at_any_level():
    jigang_judge = judge(unit=JIGANG, city=JINAN)
    for level in cf.STAGE_LEVELS:
        reason = conflict(jigang_judge, from_jigang(), level)
        assert (reason.code, reason.field) == ("same_unit", "judge")
        assert reason.message == "The judge and the contestant belong to the same unit."


def test_the_same_unit_means_the_same_grassroots_union_whatever_the_department():
    # The judge works in the rolling mill, the contestant in the steelworks: both 济钢.
    assert conflict(judge(unit=JIGANG), entry(unit=JIGANG, employer_paths={STEELWORKS}), cf.CITY).code == "same_unit"


def test_a_judge_never_marks_a_contestant_of_their_own_city_in_a_provincial_final():
    jinan_judge = judge(unit=LIXIA_CO, city=JINAN)
    reason = conflict(jinan_judge, from_jigang(), cf.PROVINCE)
    assert reason.code == "same_city"
    assert reason.message == ("The judge and the contestant come from the same city, which a provincial final "
                              "does not allow.")


@pytest.mark.parametrize("level", [cf.ENTERPRISE, cf.COUNTY, cf.CITY])
def test_the_same_city_is_no_conflict_below_the_provincial_stage(level):
    assert conflict(judge(unit=LIXIA_CO, city=JINAN), from_jigang(), level) is None


def test_judges_of_another_city_or_unit_may_mark():
    assert conflict(judge(unit=QD_PORT, city=QINGDAO), from_jigang(), cf.PROVINCE) is None


def test_a_judge_without_a_unit_or_city_conflicts_with_nobody_by_unit_or_city():
    federation_judge = judge(unit=None, city=None)
    assert conflict(federation_judge, entry(unit=None, city=None), cf.PROVINCE) is None
    assert conflict(federation_judge, from_jigang(), cf.PROVINCE) is None
    # Nor does a contestant without a city meet a judge without one: None is not a shared city.
    assert conflict(judge(unit=QD_PORT, city=None), entry(unit=ROAD_BRIDGE, city=None), cf.PROVINCE) is None


def test_a_judge_who_is_in_the_entry_is_refused_first():
    reason = conflict(judge(person_key=7, unit=JIGANG), from_jigang(person_keys={7, 8}), cf.CITY)
    assert (reason.code, reason.message) == ("self", "The judge is a contestant of this entry.")


def test_a_judge_without_a_person_key_is_never_taken_for_a_contestant():
    assert conflict(judge(person_key=None), entry(person_keys={1}), cf.CITY) is None


def test_a_declared_relative_anywhere_in_a_team_is_a_conflict():
    reason = conflict(judge(relatives={42}), from_qingdao_port(person_keys={41, 42, 43}), cf.CITY)
    assert (reason.code, reason.message) == ("relative", "The judge has declared a relative in this entry.")


def test_a_declared_person_is_a_conflict():
    reason = conflict(judge(declared_persons=[5]), from_qingdao_port(person_keys=[5]), cf.CITY)
    assert reason.code == "declared_person"
    assert reason.message == "The judge has declared a conflict of interest with this contestant."


def test_a_declared_org_covers_its_whole_subtree():
    qingdao_judge = judge(unit=QD_PORT, city=QINGDAO, declared_org_paths={JIGANG})
    reason = conflict(qingdao_judge, entry(unit=JIGANG, employer_paths={TEAM_A}), cf.CITY)
    assert reason.code == "declared_org"
    assert reason.message == "The judge has declared a conflict of interest with the contestant's unit."
    # A declared department covers its teams but not a sibling department.
    by_department = judge(declared_org_paths={STEELWORKS})
    assert conflict(by_department, entry(unit=JIGANG, employer_paths={TEAM_A}), cf.CITY).code == "declared_org"
    assert conflict(by_department, entry(unit=JIGANG, employer_paths={ROLLING}), cf.CITY) is None


def test_a_declared_org_matches_the_entrys_unit_when_no_employer_is_given():
    assert conflict(judge(declared_org_paths={JINAN}), entry(unit=JIGANG), cf.CITY).code == "declared_org"


def test_a_declared_org_must_be_a_path():
    with pytest.raises(ValueError):
        judge(declared_org_paths={"00010"})


def test_the_first_conflict_in_order_is_given():
    everything = judge(person_key=1, unit=JIGANG, city=JINAN, relatives={1, 2}, declared_persons={1, 2, 3},
                       declared_org_paths={JIGANG})
    order = []
    people = {1, 2, 3}
    for person in (1, 2, 3, 4):
        order.append(conflict(everything, from_jigang(person_keys=people & {person} or {4}), cf.PROVINCE).code)
    assert order == ["self", "relative", "declared_person", "declared_org"]
    no_declared = judge(unit=JIGANG, city=JINAN)
    assert conflict(no_declared, from_jigang(), cf.PROVINCE).code == "same_unit"


def test_an_unknown_stage_level_is_refused():
    with pytest.raises(DomainError) as caught:
        conflict(judge(), entry(), "national")
    assert caught.value.field == "level"
    for call in (cf.assignable, cf.conflicts):
        with pytest.raises(DomainError):
            call([judge()], [entry()], "national")
    with pytest.raises(DomainError):
        panel_check([judge()], [entry()], "national", required=1)


def test_inputs_are_normalised_to_frozensets():
    j = judge(relatives=[1, 1, 2], declared_persons=(3,), declared_org_paths=[JINAN])
    c = entry(person_keys=[4], employer_paths=[JIGANG])
    assert (j.relatives, j.declared_persons, j.declared_org_paths) == (frozenset({1, 2}), frozenset({3}),
                                                                       frozenset({JINAN}))
    assert (c.person_keys, c.employer_paths) == (frozenset({4}), frozenset({JIGANG}))
    assert hash(j) and hash(c)


def test_no_conflict_message_names_a_unit_a_person_or_an_anonymous_code():
    reasons = [
        conflict(judge(person_key=1), entry(person_keys={1}), cf.CITY),
        conflict(judge(relatives={1}), entry(person_keys={1}), cf.CITY),
        conflict(judge(declared_persons={1}), entry(person_keys={1}), cf.CITY),
        conflict(judge(declared_org_paths={JIGANG}), from_jigang(), cf.CITY),
        conflict(judge(unit=JIGANG), from_jigang(), cf.CITY),
        conflict(judge(city=JINAN), from_jigang(), cf.PROVINCE),
    ]
    assert [r.code for r in reasons] == ["self", "relative", "declared_person", "declared_org", "same_unit",
                                         "same_city"]
    for reason in reasons:
        assert reason.params == ()
        for secret in ("A001", "0001", "E1", "J1"):
            assert secret not in reason.message


# --- panels ---------------------------------------------------------------------------------------------

JINAN_JUDGE = judge("J1", unit=JIGANG, city=JINAN, label="张裁判")
QINGDAO_JUDGE = judge("J2", unit=QD_PORT, city=QINGDAO, label="李裁判")
NEUTRAL_JUDGE = judge("J3", unit=ROAD_BRIDGE, city=None, label="王裁判")
FINALISTS = [from_jigang("E1", "A001"), from_qingdao_port("E2", "A002"),
             entry("E3", "A003", unit=LIXIA_CO, city=JINAN)]


def test_assignable_lists_for_every_judge_the_contestants_they_may_mark():
    assert assignable([JINAN_JUDGE, QINGDAO_JUDGE, NEUTRAL_JUDGE], FINALISTS, cf.PROVINCE) == {
        "J1": {"E2"}, "J2": {"E1", "E3"}, "J3": {"E1", "E2", "E3"},
    }
    # In a city qualifier the Jinan judge only stands aside for their own unit.
    assert assignable([JINAN_JUDGE], FINALISTS, cf.CITY) == {"J1": {"E2", "E3"}}


def test_a_judge_with_nobody_to_mark_still_appears():
    assert assignable([JINAN_JUDGE], [from_jigang()], cf.CITY) == {"J1": set()}


def test_conflicts_lists_every_conflicted_pair_with_its_reason():
    found = cf.conflicts([JINAN_JUDGE, QINGDAO_JUDGE, NEUTRAL_JUDGE], FINALISTS, cf.PROVINCE)
    assert {pair: reason.code for pair, reason in found.items()} == {
        ("J1", "E1"): "same_unit", ("J1", "E3"): "same_city", ("J2", "E2"): "same_unit",
    }


def test_a_panel_where_everyone_has_enough_judges_is_accepted_and_gives_the_assignments():
    panel = [QINGDAO_JUDGE, NEUTRAL_JUDGE, judge("J4", unit=ENERGY, label="赵裁判")]
    allowed = panel_check(panel, FINALISTS[:1], cf.PROVINCE, required=3)
    assert allowed == {"J2": {"E1"}, "J3": {"E1"}, "J4": {"E1"}}


def test_a_panel_leaving_a_contestant_short_is_refused_naming_the_anonymous_code_only():
    with pytest.raises(DomainError) as caught:
        panel_check([JINAN_JUDGE, QINGDAO_JUDGE, NEUTRAL_JUDGE], FINALISTS, cf.PROVINCE, required=3)
    error = caught.value
    assert (error.field, error.code) == ("judges", "conflict")
    assert error.message == ("Each contestant needs 3 judges without a conflict of interest; too few for "
                             "A001 (2)、A002 (2)、A003 (2) (judges available in brackets).")
    for secret in ("张裁判", "李裁判", "J1", "E1", JIGANG, "same_unit"):
        assert secret not in error.message


def test_a_panel_refusal_lists_the_first_codes_and_counts_the_rest():
    contestants = [from_jigang(f"E{i}", f"B{i:03d}") for i in range(25)]
    with pytest.raises(DomainError) as caught:
        panel_check([JINAN_JUDGE, NEUTRAL_JUDGE], contestants, cf.CITY, required=2)
    message = caught.value.message
    assert "B000 (1)" in message and "B019 (1)" in message and "B020" not in message
    assert "and 5 more" in message


def test_a_panel_smaller_than_the_requirement_is_refused_outright():
    with pytest.raises(DomainError) as caught:
        panel_check([NEUTRAL_JUDGE], FINALISTS, cf.PROVINCE, required=2)
    assert caught.value.message == "The panel has 1 judges; each contestant needs 2."


@pytest.mark.parametrize("required", [0, -1, True])
def test_a_panel_needs_at_least_one_judge_per_contestant(required):
    with pytest.raises(DomainError) as caught:
        panel_check([NEUTRAL_JUDGE], FINALISTS, cf.PROVINCE, required=required)
    assert caught.value.field == "required"


def test_a_judge_twice_on_a_panel_is_refused_by_name():
    with pytest.raises(DomainError) as caught:
        panel_check([NEUTRAL_JUDGE, NEUTRAL_JUDGE], FINALISTS, cf.PROVINCE, required=1)
    assert caught.value.message == "Judge 王裁判 appears twice on the panel."
    with pytest.raises(DomainError, match="J9"):
        panel_check([judge("J9"), judge("J9")], FINALISTS, cf.PROVINCE, required=1)


@pytest.mark.parametrize("twin", [entry("E1", "Z999"), entry("E9", "A001")])
def test_a_contestant_twice_by_key_or_by_code_is_refused(twin):
    with pytest.raises(DomainError) as caught:
        panel_check([NEUTRAL_JUDGE], [*FINALISTS, twin], cf.PROVINCE, required=1)
    assert caught.value.field == "contestants"


def test_an_empty_list_of_contestants_is_an_accepted_panel():
    assert panel_check([NEUTRAL_JUDGE], [], cf.PROVINCE, required=1) == {"J3": set()}


# --- properties -----------------------------------------------------------------------------------------

UNITS = st.sampled_from([None, JIGANG, LIXIA_CO, QD_PORT, ROAD_BRIDGE, ENERGY])
CITIES = st.sampled_from([None, JINAN, QINGDAO])
PEOPLE = st.frozensets(st.integers(1, 8), max_size=3)
ORGS = st.frozensets(st.sampled_from([JINAN, JIGANG, STEELWORKS, QD_PORT]), max_size=2)
LEVELS = st.sampled_from(cf.STAGE_LEVELS)


JUDGES = st.lists(st.builds(JudgeInfo, key=st.just(""), person_key=st.none() | st.integers(1, 8),
                            grassroots_path=UNITS, city_path=CITIES, declared_persons=PEOPLE, relatives=PEOPLE,
                            declared_org_paths=ORGS), min_size=1, max_size=4)
CONTESTANTS = st.lists(st.builds(ContestantInfo, key=st.just(""), code=st.just(""), person_keys=PEOPLE,
                                 grassroots_path=UNITS, city_path=CITIES,
                                 employer_paths=st.frozensets(st.sampled_from([TEAM_A, ROLLING, QD_PORT]),
                                                              max_size=2)), max_size=5)


def panels():
    """Judges J0, J1… and contestants E0/A000, E1/A001… with random units, cities and declarations."""
    return st.tuples(JUDGES, CONTESTANTS).map(lambda drawn: (
        [dataclasses.replace(j, key=f"J{i}") for i, j in enumerate(drawn[0])],
        [dataclasses.replace(c, key=f"E{i}", code=f"A{i:03d}") for i, c in enumerate(drawn[1])],
    ))


@settings(max_examples=100, deadline=None)
@given(panel=panels(), level=LEVELS)
def test_assignable_is_exactly_the_pairs_without_a_conflict(panel, level):
    judges, contestants = panel
    allowed = assignable(judges, contestants, level)
    found = cf.conflicts(judges, contestants, level)
    for j in judges:
        for c in contestants:
            assert (c.key in allowed[j.key]) == ((j.key, c.key) not in found)


@settings(max_examples=100, deadline=None)
@given(panel=panels(), level=LEVELS, seed=st.integers(0, 2**16))
def test_the_order_of_judges_and_contestants_does_not_matter(panel, level, seed):
    judges, contestants = panel
    shuffled_judges, shuffled_contestants = judges[:], contestants[:]
    random.Random(seed).shuffle(shuffled_judges)
    random.Random(seed + 1).shuffle(shuffled_contestants)
    assert assignable(shuffled_judges, shuffled_contestants, level) == assignable(judges, contestants, level)


@settings(max_examples=100, deadline=None)
@given(panel=panels(), level=LEVELS)
def test_a_provincial_final_excludes_at_least_what_any_lower_stage_excludes(panel, level):
    judges, contestants = panel
    provincial = assignable(judges, contestants, cf.PROVINCE)
    lower = assignable(judges, contestants, level)
    assert all(provincial[key] <= lower[key] for key in lower)


@settings(max_examples=100, deadline=None)
@given(panel=panels(), level=LEVELS, required=st.integers(1, 4))
def test_a_panel_is_accepted_exactly_when_every_contestant_keeps_enough_judges(panel, level, required):
    judges, contestants = panel
    allowed = assignable(judges, contestants, level)
    enough = len(judges) >= required and all(
        sum(c.key in keys for keys in allowed.values()) >= required for c in contestants)
    if enough:
        assert panel_check(judges, contestants, level, required=required) == allowed
    else:
        with pytest.raises(DomainError):
            panel_check(judges, contestants, level, required=required)
