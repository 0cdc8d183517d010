"""Assigning expert reviewers to a call's achievements (rules.review_assignment) as a specification: every conflict
of interest and when it applies, the cadre's manual override with its reason, the shortfall report, determinism —
and hypothesis properties: no conflicted pair unless pinned, nobody over their load, every achievement full or
reported (and reported only when no re-arrangement could fill it: checked against a max-flow), loads balanced in
uniform cases, and the same result for any order of the same input."""

from __future__ import annotations

import dataclasses
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjiang.innovation.rules import review_assignment as ra
from gongjiang.innovation.rules.review_assignment import Achievement, Declared, Pin, Reviewer

# The personas: two cities, three enterprises, a few workers and experts.
JINAN, QINGDAO = 1, 2
JINAN_STEEL, INSPUR, QINGDAO_PORT = 10, 11, 20  # 济钢 and 浪潮 in Jinan, 青岛港 in Qingdao
WANG, LI, ZHANG, ZHAO = 501, 502, 503, 504  # workers (person ids)

# An achievement of Jinan Steel written by Wang and Li, in the category 安全.
SAFETY_VALVE = Achievement(id=1, enterprise_id=JINAN_STEEL, city_id=JINAN, category="安全",
                           authors=frozenset({WANG, LI}))
# An expert of Qingdao Port: free of every conflict with it in any call.
QINGDAO_EXPERT = Reviewer(id=1, person_id=601, enterprise_id=QINGDAO_PORT, city_id=QINGDAO,
                          specialities=frozenset({"安全"}), max_load=10)
# An expert of Inspur: same city as Jinan Steel, another enterprise.
INSPUR_EXPERT = Reviewer(id=2, person_id=602, enterprise_id=INSPUR, city_id=JINAN, max_load=10)
# An expert of Jinan Steel itself.
STEEL_EXPERT = Reviewer(id=3, person_id=603, enterprise_id=JINAN_STEEL, city_id=JINAN, max_load=10)
# An expert of the provincial federation: no enterprise, no city.
PROVINCE_EXPERT = Reviewer(id=4, person_id=604, max_load=10)


def codes(reviewer: Reviewer, achievement: Achievement, level: str = ra.PROVINCE, **kwargs: object) -> list[str]:
    return [e.code for e in ra.conflicts(reviewer, achievement, level=level, **kwargs)]  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Conflicts of interest


def test_an_expert_of_another_city_and_enterprise_has_no_conflict():
    assert codes(QINGDAO_EXPERT, SAFETY_VALVE) == []
    assert codes(PROVINCE_EXPERT, SAFETY_VALVE) == []


def test_an_expert_of_the_same_enterprise_is_excluded_at_every_level():
    assert codes(STEEL_EXPERT, SAFETY_VALVE, ra.CITY) == [ra.SAME_ENTERPRISE]
    assert codes(STEEL_EXPERT, SAFETY_VALVE, ra.PROVINCE) == [ra.SAME_ENTERPRISE, ra.SAME_CITY]


def test_an_expert_of_the_same_city_is_excluded_from_a_provincial_call_only():
    assert codes(INSPUR_EXPERT, SAFETY_VALVE, ra.PROVINCE) == [ra.SAME_CITY]
    assert codes(INSPUR_EXPERT, SAFETY_VALVE, ra.CITY) == []


def test_without_a_city_no_city_conflict_can_be_established():
    no_city = Achievement(id=2, enterprise_id=99, city_id=None, authors=frozenset({ZHANG}))
    assert codes(Reviewer(id=9, person_id=609, enterprise_id=98, city_id=None, max_load=1), no_city) == []
    assert codes(PROVINCE_EXPERT, no_city) == []


def test_an_author_never_reviews_their_own_achievement():
    wang_as_expert = Reviewer(id=5, person_id=WANG, enterprise_id=QINGDAO_PORT, city_id=QINGDAO, max_load=5)
    assert codes(wang_as_expert, SAFETY_VALVE) == [ra.AUTHOR]


def test_a_co_author_of_another_achievement_of_the_call_is_excluded():
    # Zhang wrote another achievement with Li; Zhang is an expert of Qingdao Port.
    other = Achievement(id=2, enterprise_id=QINGDAO_PORT, city_id=QINGDAO, authors=frozenset({ZHANG, LI}))
    zhang = Reviewer(id=6, person_id=ZHANG, enterprise_id=QINGDAO_PORT, city_id=QINGDAO, max_load=5)
    together = ra.co_authors([SAFETY_VALVE, other])
    assert together[LI] == {WANG, ZHANG}
    assert codes(zhang, SAFETY_VALVE, coauthors=together) == [ra.CO_AUTHOR]
    assert codes(zhang, SAFETY_VALVE) == []  # without the call's co-authorships nothing is known
    # An author of `other` is excluded from it as its author (not also as a co-author of themself).
    assert codes(zhang, other, coauthors=together) == [ra.AUTHOR, ra.SAME_ENTERPRISE, ra.SAME_CITY]


def test_declared_relations_exclude_the_achievement_or_every_achievement_of_the_person():
    declared = [Declared(QINGDAO_EXPERT.id, achievement_id=SAFETY_VALVE.id),
                Declared(PROVINCE_EXPERT.id, person_id=LI),  # a relative of Li
                Declared(INSPUR_EXPERT.id, person_id=ZHAO)]  # someone not among the authors
    assert codes(QINGDAO_EXPERT, SAFETY_VALVE, declared=declared) == [ra.DECLARED_ACHIEVEMENT]
    assert codes(PROVINCE_EXPERT, SAFETY_VALVE, declared=declared) == [ra.DECLARED_PERSON]
    assert codes(INSPUR_EXPERT, SAFETY_VALVE, ra.CITY, declared=declared) == []


def test_a_declaration_names_an_achievement_or_a_person():
    with pytest.raises(ValueError, match="either"):
        Declared(1)
    with pytest.raises(ValueError, match="either"):
        Declared(1, achievement_id=1, person_id=2)


def test_every_reason_is_given_in_a_fixed_order_with_a_message_naming_no_one():
    other = Achievement(id=2, enterprise_id=1, authors=frozenset({LI, ZHANG}))
    together = ra.co_authors([SAFETY_VALVE, other])
    declared = [Declared(7, achievement_id=1), Declared(7, person_id=WANG)]
    # Li, an author, at Jinan Steel: every reason but co-authorship (an author is excluded as the author).
    li_at_steel = Reviewer(id=7, person_id=LI, enterprise_id=JINAN_STEEL, city_id=JINAN, max_load=5)
    found = ra.conflicts(li_at_steel, SAFETY_VALVE, level=ra.PROVINCE, coauthors=together, declared=declared)
    assert [e.code for e in found] == [c for c in ra.CODES if c != ra.CO_AUTHOR]
    # Zhang, Li's co-author on another achievement, at Jinan Steel: every reason but authorship.
    zhang_at_steel = Reviewer(id=7, person_id=ZHANG, enterprise_id=JINAN_STEEL, city_id=JINAN, max_load=5)
    found = ra.conflicts(zhang_at_steel, SAFETY_VALVE, level=ra.PROVINCE, coauthors=together, declared=declared)
    assert [e.code for e in found] == [c for c in ra.CODES if c != ra.AUTHOR]
    for exclusion in found:
        assert exclusion.message and "Zhang" not in exclusion.message and "7" not in exclusion.message
    assert found[-1].message == ("The reviewer and the achievement come from the same city, which a provincial call "
                                 "does not allow.")


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError, match="level"):
        ra.conflicts(QINGDAO_EXPERT, SAFETY_VALVE, level="county")
    with pytest.raises(ValueError, match="level"):
        ra.assign([SAFETY_VALVE], [QINGDAO_EXPERT], level="national", per_achievement=1)


# ---------------------------------------------------------------------------------------------
# Assignment: examples


def pool(count: int, *, max_load: int = 10, city: int | None = None, **kw: object) -> list[Reviewer]:
    """`count` experts of distinct enterprises (1000+), ids 1…count."""
    return [Reviewer(id=i, person_id=900 + i, enterprise_id=1000 + i, city_id=city, max_load=max_load,
                     **kw) for i in range(1, count + 1)]  # type: ignore[arg-type]


def achievements(count: int, **kw: object) -> list[Achievement]:
    return [Achievement(id=i, enterprise_id=2000 + i, authors=frozenset({3000 + i}), **kw)  # type: ignore[arg-type]
            for i in range(1, count + 1)]


def test_a_provincial_call_gets_three_reviewers_free_of_conflict():
    experts = [QINGDAO_EXPERT, INSPUR_EXPERT, STEEL_EXPERT, PROVINCE_EXPERT,
               Reviewer(id=5, person_id=605, enterprise_id=QINGDAO_PORT, city_id=QINGDAO, max_load=3)]
    result = ra.assign([SAFETY_VALVE], experts, level=ra.PROVINCE, per_achievement=3)
    assert result.reviewers_of(1) == [1, 4, 5]
    assert result.shortfalls == () and result.overridden == () and result.dropped == ()
    assert {p.source for p in result.pairs} == {ra.AUTOMATIC}
    # In a city call the Inspur expert (same city, other enterprise) may review it too.
    city = ra.assign([SAFETY_VALVE], experts, level=ra.CITY, per_achievement=4)
    assert city.reviewers_of(1) == [1, 2, 4, 5]


def test_a_specialist_is_preferred_and_loads_are_spread():
    # Ten achievements of 安全, six experts of whom two know 安全, two reviewers each.
    works = achievements(10, category="安全")
    experts = pool(6, max_load=10)
    experts[0] = Reviewer(id=1, person_id=901, enterprise_id=1001, specialities=frozenset({"安全"}), max_load=10)
    experts[1] = Reviewer(id=2, person_id=902, enterprise_id=1002, specialities=frozenset({"安全", "质量"}),
                          max_load=10)
    default = ra.assign(works, experts, level=ra.PROVINCE, per_achievement=2)
    balanced = ra.assign(works, experts, level=ra.PROVINCE, per_achievement=2, speciality_slack=0)
    # Balance first: 20 reviews over six experts, 3 or 4 each, the specialists on their share.
    assert sorted(balanced.loads.values()) == [3, 3, 3, 3, 4, 4]
    # The default slack of 1 lets a specialist take one review more than the lightest non-specialist.
    assert max(default.loads.values()) - min(default.loads.values()) <= 2
    assert default.loads[1] + default.loads[2] >= balanced.loads[1] + balanced.loads[2]
    # A large slack gives the specialists everything they can take.
    greedy = ra.assign(works, experts, level=ra.PROVINCE, per_achievement=2, speciality_slack=100)
    assert greedy.loads[1] == greedy.loads[2] == 10


def test_nobody_goes_over_their_maximum_load_and_the_shortfall_is_reported():
    # Four achievements × 2 = 8 reviews; three experts may take 2 each: 6 places.
    result = ra.assign(achievements(4), pool(3, max_load=2), level=ra.PROVINCE, per_achievement=2)
    assert all(load <= 2 for load in result.loads.values())
    assert len(result.pairs) == 6
    [short] = result.shortfalls
    assert short.code == ra.LOADS_FULL and short.eligible == 3 and short.needed == 2
    assert short.assigned == len(result.reviewers_of(short.achievement_id)) < 2
    assert "3 reviewers are free of conflicts" in short.message


def test_an_achievement_with_too_few_reviewers_free_of_conflict_is_reported_not_dropped():
    # Every expert but one works in Jinan: in a provincial call Jinan Steel's achievement has one eligible reviewer.
    qingdao = dataclasses.replace(QINGDAO_EXPERT, id=99)
    experts = [*pool(4, city=JINAN), qingdao]
    result = ra.assign([SAFETY_VALVE], experts, level=ra.PROVINCE, per_achievement=3)
    assert result.reviewers_of(1) == [qingdao.id]
    assert result.shortfalls == (ra.Shortfall(1, needed=3, assigned=1, eligible=1, code=ra.NO_ELIGIBLE),)
    assert result.shortfalls[0].message == ("Only 1 reviewers are free of conflicts of interest with this achievement; "
                                            "3 are needed.")


def test_a_manual_pin_with_a_reason_overrides_a_conflict_and_is_reported():
    pin = Pin(reviewer_id=STEEL_EXPERT.id, achievement_id=1, reason=" 唯一的压力容器专家 ")
    result = ra.assign([SAFETY_VALVE], [QINGDAO_EXPERT, STEEL_EXPERT, PROVINCE_EXPERT], level=ra.PROVINCE,
                       per_achievement=2, pins=[pin])
    assert STEEL_EXPERT.id in result.reviewers_of(1)
    [overridden] = result.overridden
    assert overridden.reviewer_id == STEEL_EXPERT.id and overridden.source == ra.PINNED
    assert overridden.reason == "唯一的压力容器专家"
    assert [e.code for e in overridden.overridden] == [ra.SAME_ENTERPRISE, ra.SAME_CITY]
    assert len(result.reviewers_of(1)) == 2 and result.loads[STEEL_EXPERT.id] == 1


def test_a_pin_free_of_conflict_is_kept_but_overrides_nothing():
    pin = Pin(reviewer_id=QINGDAO_EXPERT.id, achievement_id=1, reason="评审组长")
    result = ra.assign([SAFETY_VALVE], [QINGDAO_EXPERT, PROVINCE_EXPERT], level=ra.PROVINCE, per_achievement=1,
                       pins=[pin])
    assert [(p.reviewer_id, p.source, p.reason) for p in result.pairs] == [(1, ra.PINNED, "评审组长")]
    assert result.overridden == ()


@pytest.mark.parametrize(("pins", "per", "message"), [
    ([Pin(3, 1, "")], 2, "no reason"),
    ([Pin(3, 1, "   ")], 2, "no reason"),
    ([Pin(99, 1, "专家")], 2, "unknown"),
    ([Pin(3, 99, "专家")], 2, "unknown"),
    ([Pin(3, 1, "专家"), Pin(3, 1, "又一次")], 2, "twice"),
    ([Pin(3, 1, "专家"), Pin(4, 1, "专家")], 1, "more than 1 pinned"),
])
def test_a_pin_without_a_reason_or_otherwise_wrong_is_refused(pins, per, message):
    with pytest.raises(ValueError, match=message):
        ra.assign([SAFETY_VALVE], [QINGDAO_EXPERT, STEEL_EXPERT, PROVINCE_EXPERT], level=ra.PROVINCE,
                  per_achievement=per, pins=pins)


def test_pins_over_a_reviewers_maximum_load_are_refused():
    tired = Reviewer(id=3, person_id=603, max_load=1)
    with pytest.raises(ValueError, match="maximum load"):
        ra.assign(achievements(2), [tired], level=ra.PROVINCE, per_achievement=1,
                  pins=[Pin(3, 1, "专家"), Pin(3, 2, "专家")])


def test_existing_assignments_are_kept_unless_they_now_conflict():
    works = achievements(2)
    experts = pool(4)
    # Reviewer 4 has since declared a relation with the author of achievement 2.
    declared = [Declared(4, person_id=3002)]
    result = ra.assign(works, experts, level=ra.PROVINCE, per_achievement=2, declared=declared,
                       keep=[(1, 3), (2, 4), (9, 1)])
    assert ra.Assigned(1, 3, ra.KEPT) in result.pairs
    assert 4 not in result.reviewers_of(2) and len(result.reviewers_of(2)) == 2
    assert result.dropped == (ra.Dropped(2, 4, ra.DROPPED_CONFLICT, (ra.Exclusion(ra.DECLARED_PERSON),)),
                              ra.Dropped(9, 1, ra.DROPPED_UNKNOWN))


def test_kept_pairs_beyond_the_places_or_the_load_are_dropped_with_the_reason():
    experts = pool(3, max_load=1)
    result = ra.assign(achievements(2), experts, level=ra.PROVINCE, per_achievement=1,
                       keep=[(1, 1), (1, 2), (2, 1)])
    assert result.reviewers_of(1) == [1]
    assert set(result.dropped) == {ra.Dropped(1, 2, ra.DROPPED_PLACES), ra.Dropped(2, 1, ra.DROPPED_LOAD)}
    assert len(result.reviewers_of(2)) == 1 and result.shortfalls == ()


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"per_achievement": 0}, "per_achievement"),
    ({"per_achievement": True}, "per_achievement"),
    ({"per_achievement": 1, "speciality_slack": -1}, "speciality_slack"),
])
def test_bad_parameters_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ra.assign(achievements(1), pool(2), level=ra.PROVINCE, **kwargs)


def test_duplicate_ids_and_bad_loads_are_refused():
    with pytest.raises(ValueError, match="twice"):
        ra.assign([*achievements(2), *achievements(1)], pool(2), level=ra.PROVINCE, per_achievement=1)
    with pytest.raises(ValueError, match="twice"):
        ra.assign(achievements(1), [*pool(2), *pool(1)], level=ra.PROVINCE, per_achievement=1)
    with pytest.raises(ValueError, match="max_load"):
        Reviewer(id=1, max_load=-1)


def test_the_same_input_gives_the_same_assignment():
    works = achievements(30, category="质量")
    experts = pool(12, max_load=9, city=JINAN)
    first = ra.assign(works, experts, level=ra.CITY, per_achievement=3)
    assert ra.assign(works, experts, level=ra.CITY, per_achievement=3) == first
    assert ra.assign(list(reversed(works)), list(reversed(experts)), level=ra.CITY, per_achievement=3) == first


def test_a_short_achievement_is_completed_by_moving_another_reviewer():
    """Greedy alone could strand an achievement whose only eligible reviewers are full; the augmenting path moves
    one of them and gives their old achievement a reviewer with room."""
    # Achievement 1 may only go to reviewer 1 (everyone else declared a conflict); 2 and 3 to anyone.
    experts = pool(3, max_load=1)
    declared = [Declared(2, achievement_id=1), Declared(3, achievement_id=1)]
    for order in ([1, 2, 3], [3, 2, 1]):
        works = [Achievement(id=i, enterprise_id=2000 + i) for i in order]
        result = ra.assign(works, experts, level=ra.PROVINCE, per_achievement=1, declared=declared,
                           keep=[(2, 1)])  # a kept pair: may not move; so 1 is short…
        assert result.shortfalls == (ra.Shortfall(1, 1, 0, 1, ra.LOADS_FULL),)
        result = ra.assign(works, experts, level=ra.PROVINCE, per_achievement=1, declared=declared)
        assert result.reviewers_of(1) == [1] and result.shortfalls == ()


# ---------------------------------------------------------------------------------------------
# Properties


@st.composite
def calls(draw: st.DrawFn, *, conflicts: bool = True) -> dict[str, object]:
    """A small random call: achievements and reviewers from a few enterprises and cities, authors among a few people
    (some of them experts), declarations, specialities."""
    persons = st.integers(1, 12)
    ids = draw(st.lists(st.integers(1, 40), unique=True, max_size=10))
    works = [Achievement(
        id=i, enterprise_id=draw(st.none() | st.integers(1, 4)) if conflicts else None,
        city_id=draw(st.none() | st.integers(1, 3)) if conflicts else None,
        category=draw(st.sampled_from(["", "安全", "质量"])),
        authors=frozenset(draw(st.lists(persons, max_size=3)) if conflicts else ())) for i in ids]
    reviewers = [Reviewer(
        id=i, person_id=draw(st.none() | persons) if conflicts else None,
        enterprise_id=draw(st.none() | st.integers(1, 4)) if conflicts else None,
        city_id=draw(st.none() | st.integers(1, 3)) if conflicts else None,
        specialities=frozenset(draw(st.lists(st.sampled_from(["安全", "质量", "管理"]), max_size=2))),
        max_load=draw(st.integers(0, 6))) for i in draw(st.lists(st.integers(1, 30), unique=True, max_size=8))]
    declared: list[Declared] = []
    if conflicts and reviewers and works:
        for _ in range(draw(st.integers(0, 6))):
            r = draw(st.sampled_from(reviewers)).id
            if draw(st.booleans()):
                declared.append(Declared(r, achievement_id=draw(st.sampled_from(works)).id))
            else:
                declared.append(Declared(r, person_id=draw(persons)))
    return {"achievements": works, "reviewers": reviewers, "declared": declared,
            "level": draw(st.sampled_from(ra.LEVELS)), "per_achievement": draw(st.integers(1, 3)),
            "speciality_slack": draw(st.integers(0, 2))}


def max_flow(call: dict[str, object]) -> int:
    """The most pairs any assignment free of conflicts could have (a plain augmenting-path b-matching)."""
    works: list[Achievement] = call["achievements"]  # type: ignore[assignment]
    experts: list[Reviewer] = call["reviewers"]  # type: ignore[assignment]
    together = ra.co_authors(works)
    ok = {a.id: [r.id for r in experts if not ra.conflicts(r, a, level=call["level"],  # type: ignore[arg-type]
                                                          declared=call["declared"], coauthors=together)]
          for a in works}
    cap = {r.id: r.max_load for r in experts}
    on: dict[int, set[int]] = {a.id: set() for a in works}
    holds: dict[int, set[int]] = {r.id: set() for r in experts}

    def augment(a: int, seen: set[int]) -> bool:
        """One more reviewer for `a`: one with room, or one who leaves an achievement that finds another."""
        for r in ok[a]:
            if r in seen or r in on[a]:
                continue
            seen.add(r)
            if len(holds[r]) < cap[r]:
                on[a].add(r)
                holds[r].add(a)
                return True
            for b in sorted(holds[r]):
                if augment(b, seen):  # b gained another reviewer (not r: r is seen), so r may leave it
                    on[b].discard(r)
                    holds[r].discard(b)
                    on[a].add(r)
                    holds[r].add(a)
                    return True
        return False

    total = 0
    for a in works:
        while len(on[a.id]) < call["per_achievement"] and augment(a.id, set()):  # type: ignore[operator]
            total += 1
    return total


def run(call: dict[str, object], **extra: object) -> ra.Assignment:
    return ra.assign(call["achievements"], call["reviewers"], level=call["level"],  # type: ignore[arg-type]
                     per_achievement=call["per_achievement"], declared=call["declared"],  # type: ignore[arg-type]
                     speciality_slack=call["speciality_slack"], **extra)  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(calls())
def test_no_conflict_no_overload_and_every_shortfall_reported(call):
    result = run(call)
    works = {a.id: a for a in call["achievements"]}
    experts = {r.id: r for r in call["reviewers"]}
    together = ra.co_authors(works.values())
    n = call["per_achievement"]
    assert len({(p.achievement_id, p.reviewer_id) for p in result.pairs}) == len(result.pairs)
    for pair in result.pairs:
        assert ra.conflicts(experts[pair.reviewer_id], works[pair.achievement_id], level=call["level"],
                            declared=call["declared"], coauthors=together) == []
    counted = Counter(p.reviewer_id for p in result.pairs)
    assert result.loads == {r: counted.get(r, 0) for r in experts}
    assert all(result.loads[r] <= experts[r].max_load for r in experts)
    short = {s.achievement_id: s for s in result.shortfalls}
    for a in works.values():
        have = len(result.reviewers_of(a.id))
        eligible = sum(1 for r in experts.values() if not ra.conflicts(
            r, a, level=call["level"], declared=call["declared"], coauthors=together))
        if a.id in short:
            s = short[a.id]
            assert have == s.assigned < n and s.eligible == eligible
            assert s.code == (ra.NO_ELIGIBLE if eligible < n else ra.LOADS_FULL)
        else:
            assert have == n
    # Short only when no re-arrangement could do better: as many pairs as a maximum flow.
    assert len(result.pairs) == max_flow(call)


@settings(max_examples=200, deadline=None)
@given(calls(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_order_of_the_input(call, rnd):
    shuffled = dict(call)
    for key in ("achievements", "reviewers", "declared"):
        items = list(call[key])
        rnd.shuffle(items)
        shuffled[key] = items
    assert run(shuffled) == run(call)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 30), st.integers(1, 12), st.integers(1, 4), st.sampled_from(["", "安全"]),
       st.sampled_from([0, 1]))
def test_without_conflicts_or_specialities_the_loads_differ_by_at_most_one(n_works, n_experts, per, category, slack):
    """The uniform case: everyone eligible for everything, room enough: the reviews are spread evenly."""
    per = min(per, n_experts)
    experts = [Reviewer(id=i, max_load=n_works) for i in range(1, n_experts + 1)]
    works = [Achievement(id=i, category=category) for i in range(1, n_works + 1)]
    result = ra.assign(works, experts, level=ra.PROVINCE, per_achievement=per, speciality_slack=slack)
    assert result.shortfalls == ()
    loads = result.loads.values()
    assert max(loads) - min(loads) <= 1


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 12), st.integers(2, 8), st.integers(1, 3), st.integers(0, 2))
def test_within_each_city_the_loads_differ_by_at_most_one(n_works, n_per_city, per, seed):
    """A provincial call of two cities whose enterprises are all distinct: each achievement may go to the experts of
    the other city only; with room enough, the experts of one city — eligible for the same work — share it evenly."""
    rng = random.Random(seed)
    per = min(per, n_per_city)
    experts = [Reviewer(id=i, enterprise_id=100 + i, city_id=1 + (i % 2), max_load=n_works * per)
               for i in range(1, 2 * n_per_city + 1)]
    works = [Achievement(id=i, enterprise_id=500 + i, city_id=rng.choice([1, 2])) for i in range(1, n_works + 1)]
    result = ra.assign(works, experts, level=ra.PROVINCE, per_achievement=per)
    assert result.shortfalls == ()
    for city in (1, 2):
        loads = [result.loads[r.id] for r in experts if r.city_id == city]
        assert max(loads) - min(loads) <= 1


@settings(max_examples=200, deadline=None)
@given(calls(), st.data())
def test_pins_are_kept_and_reported_with_their_reason_whatever_the_conflicts(call, data):
    works, experts = call["achievements"], call["reviewers"]
    if not works or not experts:
        return
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(works), st.sampled_from(experts)), unique_by=lambda p: (
        p[0].id, p[1].id), max_size=4))
    per_work = Counter(a.id for a, _r in pairs)
    per_expert = Counter(r.id for _a, r in pairs)
    n = call["per_achievement"]
    pins = [Pin(r.id, a.id, f"理由{a.id}-{r.id}") for a, r in pairs]
    if any(c > n for c in per_work.values()) or any(per_expert[r.id] > r.max_load for r in experts):
        with pytest.raises(ValueError):
            run(call, pins=pins)
        return
    result = run(call, pins=pins)
    together = ra.co_authors(works)
    by_pair = {(p.achievement_id, p.reviewer_id): p for p in result.pairs}
    for a, r in pairs:
        kept = by_pair[(a.id, r.id)]
        found = ra.conflicts(r, a, level=call["level"], declared=call["declared"], coauthors=together)
        assert kept.source == ra.PINNED and kept.reason == f"理由{a.id}-{r.id}"
        assert list(kept.overridden) == found
        assert (kept in result.overridden) == bool(found)
    # Every other pair is free of conflict, and nobody is over their load.
    assert all(p.source == ra.PINNED or not ra.conflicts(
        next(r for r in experts if r.id == p.reviewer_id), next(a for a in works if a.id == p.achievement_id),
        level=call["level"], declared=call["declared"], coauthors=together) for p in result.pairs)
    assert all(result.loads[r.id] <= r.max_load for r in experts)


def test_every_reason_reads_in_chinese():
    import re

    from django.utils import translation

    from gongjiang.innovation.rules import review_assignment as ra

    with translation.override("zh-hans"):
        texts = [translation.gettext(m) for m in ra.MESSAGES.values()]
        texts += [translation.gettext(m) % {"eligible": 3, "assigned": 2, "needed": 5}
                  for m in ra.SHORT_MESSAGES.values()]
    assert all(texts) and not any(re.search("[A-Za-z]", t) for t in texts), texts
