"""The 安康杯 rules: an entry's score from its indicators by the standard weights (core's rubric engine), every
reason given, a death disqualifying; the indicators' problems; the ranking and the quota's proposal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.core.rubrics.rubric import RubricError
from gongjiang.rights.rules import ankang as rules

GOOD = dict(workers=100, accidents=1, serious_accidents=0, deaths=0, hazards_found=10, hazards_fixed=9,
            training_sessions=4, people_trained=80)


def test_the_score_by_the_standard_weights_with_its_reasons():
    r = rules.evaluate(rules.Indicators(**GOOD))
    # 40 base + 90 % fixed × 0.25 + 4 sessions × 3 + 80 % trained × 0.2 − 1 accident × 10
    assert r.score == Decimal("80.50") and not r.disqualified
    text = " ".join(r.reasons)
    for part in ("40", "22.50", "12.00", "16.00", "10.00", "80.50"):
        assert part in text
    assert len(r.reasons) == 6


def test_caps_and_no_hazard_found():
    r = rules.evaluate(rules.Indicators(workers=10, training_sessions=50, people_trained=10))
    assert r.score == Decimal("100.00")  # 40 + 25 (no hazard: 100 %) + 15 (capped) + 20
    worst = rules.evaluate(rules.Indicators(workers=10, accidents=9, serious_accidents=9, hazards_found=1))
    assert worst.score == Decimal("0.00") and not worst.disqualified  # deductions capped, never below 0


def test_a_death_disqualifies_with_its_reason():
    r = rules.evaluate(rules.Indicators(**{**GOOD, "serious_accidents": 1, "deaths": 2}))
    assert r.disqualified and r.score == 0
    assert "2" in r.reasons[-2] and "死亡" in r.reasons[-2]


def test_problems_of_the_indicators():
    assert rules.problems(GOOD) == {}
    assert set(rules.problems({**GOOD, "accidents": -1, "workers": "x"})) == {"accidents", "workers"}
    assert set(rules.problems({**GOOD, "serious_accidents": 2})) == {"serious_accidents"}
    assert set(rules.problems({**GOOD, "hazards_fixed": 11})) == {"hazards_fixed"}
    assert set(rules.problems({**GOOD, "people_trained": 101})) == {"people_trained"}
    assert set(rules.problems({**GOOD, "accidents": 0, "deaths": 1})) == {"deaths"}
    assert set(rules.problems({**GOOD, "workers": 0, "people_trained": 0})) == {"workers"}
    assert set(rules.problems({**GOOD, "deaths": True})) == {"deaths"}


def test_the_rubric_is_data_and_checked():
    r = rules.rubric({**rules.STANDARD_RUBRIC, "base": 50, "items": [
        {**rules.STANDARD_RUBRIC["items"][0], "points": 15, "per_unit": "0.15"},
        *rules.STANDARD_RUBRIC["items"][1:]]})
    assert rules.evaluate(rules.Indicators(**GOOD), r).score == Decimal("81.50")  # 50 + 13.50 + 12 + 16 − 10
    with pytest.raises(RubricError):
        rules.rubric({**rules.STANDARD_RUBRIC, "base": 60})  # adds up to 120, not 100
    with pytest.raises(RubricError):
        rules.rubric({**rules.STANDARD_RUBRIC, "items": rules.STANDARD_RUBRIC["items"][:-1]})  # no veto


def test_ranking_and_proposal():
    R = rules.Result
    results = {1: R(Decimal(90), False, ()), 2: R(Decimal(80), False, ()), 3: R(Decimal(80), False, ()),
               4: R(Decimal(0), True, ()), 5: R(Decimal(70), False, ())}
    places = rules.ranking(results)
    assert places == {1: 1, 2: 2, 3: 2, 4: None, 5: 4}
    assert rules.proposal(places, 1) == [1]
    assert rules.proposal(places, 2) == [1]  # the tie for 2nd does not fit
    assert rules.proposal(places, 3) == [1, 2, 3]
    assert rules.proposal(places, 10) == [1, 2, 3, 5]  # never the disqualified


indicators = st.builds(
    lambda w, a, s, d, f, x, t, p: dict(workers=w, accidents=a, serious_accidents=min(s, a),
                                        deaths=d if a else 0, hazards_found=f, hazards_fixed=min(x, f),
                                        training_sessions=t, people_trained=min(p, w)),
    st.integers(1, 10_000), st.integers(0, 20), st.integers(0, 20), st.integers(0, 5), st.integers(0, 500),
    st.integers(0, 500), st.integers(0, 50), st.integers(0, 10_000))


@given(indicators)
def test_score_bounds_and_monotony(values):
    assert rules.problems(values) == {}
    r = rules.evaluate(rules.Indicators(**values))
    assert Decimal(0) <= r.score <= Decimal(100)
    assert r.disqualified == (values["deaths"] > 0)
    if r.disqualified:
        assert r.score == 0
    else:
        more = rules.evaluate(rules.Indicators(**{**values, "accidents": values["accidents"] + 1}))
        assert more.score <= r.score
        trained = rules.evaluate(rules.Indicators(**{**values, "training_sessions": values["training_sessions"] + 1}))
        assert trained.score >= r.score


@given(st.dictionaries(st.integers(0, 30), st.decimals(0, 100, places=2), max_size=20), st.integers(0, 10))
def test_proposal_never_exceeds_the_quota(scores, quota):
    places = rules.ranking({k: rules.Result(v, k % 7 == 0, ()) for k, v in scores.items()})
    chosen = rules.proposal(places, quota)
    assert len(chosen) <= quota
    assert all(places[k] is not None for k in chosen)
    if chosen:
        worst = max(places[k] for k in chosen)
        assert all(k in chosen for k, p in places.items() if p is not None and p < worst)
