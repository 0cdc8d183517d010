"""Labour competitions (劳动竞赛/立功竞赛): period scores on weighted indicators, rankings, the year, the
fund split "以赛绩定收入" to the fen, and merit awards."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjiang.competitions.rules import labour as lb
from gongjiang.competitions.rules.labour import (
    AwardBand,
    AwardRules,
    Indicator,
    IndicatorSet,
    Ranked,
    explain_split,
    merit_awards,
    period_score,
    rank_period,
    split_fund,
    year_score,
)
from gongjiang.core.errors import DomainError

D = Decimal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# 进度 30, 质量 25, 安全 25, 创新 10, 节能减排 10 — the key-project competition of the demo province.
KEY_PROJECT = IndicatorSet([("progress", "进度", 30), ("quality", "质量", 25), ("safety", "安全", 25),
                            ("innovation", "创新", 10), ("energy", "节能减排", 10)], safety_veto=True)
GOOD_MONTH = {"progress": D(90), "quality": D(80), "safety": D(100), "innovation": D(70), "energy": D(60)}
HALVES = IndicatorSet([("a", "甲", 50), ("b", "乙", 50)])


# --- rounding -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, places, rounding, expected", [
    (Fraction(80005, 1000), 2, ROUND_HALF_UP, "80.01"),
    (Fraction(80005, 1000), 2, ROUND_HALF_EVEN, "80.00"),
    (Fraction(80015, 1000), 2, ROUND_HALF_EVEN, "80.02"),
    (Fraction(80009, 1000), 2, ROUND_DOWN, "80.00"),
    (Fraction(1, 3), 2, ROUND_HALF_UP, "0.33"),
    (Fraction(2, 3), 2, ROUND_HALF_UP, "0.67"),
    (Fraction(2, 3), 0, ROUND_HALF_UP, "1"),
    (Fraction(-5, 1000), 2, ROUND_HALF_UP, "-0.01"),  # half-up is away from zero, symmetric
    (Fraction(-4, 1000), 2, ROUND_HALF_UP, "0.00"),   # never a negative zero
    (Fraction(0), 2, ROUND_HALF_UP, "0.00"),
    (Fraction(123456789, 10**12), 4, ROUND_HALF_UP, "0.0001"),
])
def test_rounding_is_exact_and_explicit(value, places, rounding, expected):
    result = lb.round_exact(value, places, rounding)
    assert str(result) == expected
    assert result.as_tuple().exponent == -places


def test_rounding_refuses_an_unsupported_rule_or_negative_places():
    with pytest.raises(ValueError):
        lb.round_exact(Fraction(1), 2, "ROUND_05UP")
    with pytest.raises(ValueError):
        lb.round_exact(Fraction(1), -1)


# --- indicator sets -------------------------------------------------------------------------------------

def test_an_indicator_set_keeps_its_indicators_in_order_with_decimal_weights():
    assert KEY_PROJECT.codes == ("progress", "quality", "safety", "innovation", "energy")
    assert len(KEY_PROJECT) == 5
    assert next(iter(KEY_PROJECT)) == Indicator("progress", "进度", D(30))
    assert all(isinstance(i.weight, Decimal) for i in KEY_PROJECT)


def test_indicators_may_be_given_as_objects_and_with_decimal_weights():
    thirds = IndicatorSet([Indicator("a", "甲", D("33.33")), ("b", "乙", D("33.33")), ("c", "丙", D("33.34"))])
    assert [i.weight for i in thirds] == [D("33.33"), D("33.33"), D("33.34")]


def test_the_standard_indicators_are_a_valid_set():
    standard = IndicatorSet([(code, str(name), weight) for code, name, weight in lb.STANDARD_INDICATORS])
    assert standard.codes == ("progress", "quality", "safety", "innovation", "energy")
    assert [i.name for i in standard] == ["Progress", "Quality", "Safety", "Innovation",
                                         "Energy saving and emission reduction"]


def test_weights_not_adding_up_to_100_are_refused_showing_the_sum():
    with pytest.raises(DomainError) as caught:
        IndicatorSet([("progress", "进度", 30), ("quality", "质量", 25), ("safety", "安全", 40)])
    assert caught.value.message == "The indicator weights add up to 95, not 100."
    assert caught.value.field == "indicators"
    with pytest.raises(DomainError, match=r"100\.01"):
        IndicatorSet([("a", "甲", D("50.01")), ("b", "乙", 50)])


@pytest.mark.parametrize("rows, message", [
    ([], "A labour competition needs at least one indicator."),
    ([("a", "甲", 50), (" ", "乙", 50)], "Indicator 2 has no code."),
    ([("a", "甲", 50), ("b", "", 50)], "Indicator b has no name."),
    ([("a", "甲", 50), ("a", "乙", 50)], "Indicator a appears twice."),
    ([("a", "甲", 100), ("b", "乙", 0)], "The weight of indicator b must be positive; got 0."),
    ([("a", "甲", 110), ("b", "乙", -10)], "The weight of indicator b must be positive; got -10."),
    ([("a", "甲", D("NaN"))], "NaN is not a number (weight of a)."),
])
def test_bad_indicator_sets_are_refused_naming_the_indicator(rows, message):
    with pytest.raises(DomainError) as caught:
        IndicatorSet(rows)
    assert caught.value.message == message


@pytest.mark.parametrize("weight", [100.0, True, "100"])
def test_a_weight_that_is_not_decimal_or_int_is_a_programming_error(weight):
    with pytest.raises(TypeError):
        IndicatorSet([("a", "甲", weight)])


# --- period scores --------------------------------------------------------------------------------------

def test_the_period_score_is_the_weighted_sum_of_the_values():
    # 90×30% + 80×25% + 100×25% + 70×10% + 60×10% = 27 + 20 + 25 + 7 + 6
    assert period_score(GOOD_MONTH, KEY_PROJECT) == D("85.00")


@pytest.mark.parametrize("value, score", [(D(0), D("0.00")), (D(100), D("100.00")), (D("66.6"), D("66.60"))])
def test_equal_values_give_that_score(value, score):
    assert period_score(dict.fromkeys(KEY_PROJECT.codes, value), KEY_PROJECT) == score


@pytest.mark.parametrize("rounding, places, score", [
    (ROUND_HALF_UP, 2, D("80.01")), (ROUND_HALF_EVEN, 2, D("80.00")), (ROUND_DOWN, 2, D("80.00")),
    (ROUND_HALF_UP, 1, D("80.0")), (ROUND_HALF_UP, 3, D("80.005")),
])
def test_the_period_score_is_rounded_once_with_the_chosen_rule(rounding, places, score):
    # (80.01 + 80.00) ÷ 2 = 80.005 exactly: the rule decides.
    assert period_score({"a": D("80.01"), "b": D("80.00")}, HALVES, places=places, rounding=rounding) == score


def test_ints_are_accepted_as_values():
    assert period_score({"a": 80, "b": 90}, HALVES) == D("85.00")


def test_a_missing_value_is_refused_naming_the_indicator():
    with pytest.raises(DomainError) as caught:
        period_score({k: v for k, v in GOOD_MONTH.items() if k != "safety"}, KEY_PROJECT)
    assert caught.value.message == "No value for indicator safety (安全)."
    assert caught.value.field == "safety"


def test_an_unknown_indicator_is_refused():
    with pytest.raises(DomainError) as caught:
        period_score({**GOOD_MONTH, "morale": D(100)}, KEY_PROJECT)
    assert caught.value.message == "Unknown indicator morale."


@pytest.mark.parametrize("value", [D(-1), D("100.01"), D(101)])
def test_a_value_outside_0_to_100_is_refused(value):
    with pytest.raises(DomainError) as caught:
        period_score({**GOOD_MONTH, "quality": value}, KEY_PROJECT)
    assert caught.value.message == f"Indicator quality: {value} is outside 0–100."
    assert caught.value.field == "quality"


@pytest.mark.parametrize("value", [D("NaN"), D("Infinity")])
def test_a_value_that_is_not_a_number_is_refused(value):
    with pytest.raises(DomainError):
        period_score({**GOOD_MONTH, "quality": value}, KEY_PROJECT)


@pytest.mark.parametrize("value", [80.5, True, None])
def test_a_float_value_is_a_programming_error(value):
    with pytest.raises(TypeError):
        period_score({**GOOD_MONTH, "quality": value}, KEY_PROJECT)


def test_a_serious_safety_accident_vetoes_the_period_to_zero():
    assert period_score(GOOD_MONTH, KEY_PROJECT, vetoed=True) == D("0.00")


def test_a_vetoed_period_needs_no_values_but_checks_those_given():
    assert period_score({}, KEY_PROJECT, vetoed=True) == D("0.00")
    with pytest.raises(DomainError):
        period_score({"progress": D(120)}, KEY_PROJECT, vetoed=True)


def test_without_the_veto_option_the_accident_flag_has_no_effect():
    no_veto = IndicatorSet(list((i.code, i.name, i.weight) for i in KEY_PROJECT))
    assert not no_veto.safety_veto
    assert period_score(GOOD_MONTH, no_veto, vetoed=True) == D("85.00")


# --- several evaluators ---------------------------------------------------------------------------------

def test_the_mean_per_indicator_is_over_the_evaluators_who_entered_it():
    means = lb.indicator_means([{"a": D(80), "b": D(90)}, {"a": D(81)}, {"a": D(80), "b": D(70)}], HALVES)
    assert means == {"a": D("80.33"), "b": D("80.00")}  # b: (90 + 70) ÷ 2, the blank is not a zero


def test_the_means_are_rounded_half_up_by_default():
    assert lb.indicator_means([{"a": D("80.01")}, {"a": D("80.00")}], HALVES) == {"a": D("80.01")}
    assert lb.indicator_means([{"a": D("80.01")}, {"a": D("80.00")}], HALVES,
                              rounding=ROUND_HALF_EVEN) == {"a": D("80.00")}


def test_the_score_of_several_evaluators_uses_the_shown_rounded_means():
    evaluations = [{"a": D(80), "b": D(81)}, {"a": D(80), "b": D(80)}, {"a": D(81), "b": D(80)}]
    means = lb.indicator_means(evaluations, HALVES)
    assert means == {"a": D("80.33"), "b": D("80.33")}
    # 80.33 × 50% + 80.33 × 50% = 80.33 (the exact means would give 80.333… → 80.33 too; here by hand)
    assert lb.period_score_of_evaluations(evaluations, HALVES) == period_score(means, HALVES) == D("80.33")


def test_an_indicator_no_evaluator_entered_is_refused_by_name():
    with pytest.raises(DomainError, match="No value for indicator b"):
        lb.period_score_of_evaluations([{"a": D(80)}, {"a": D(90)}], HALVES)


def test_no_evaluation_at_all_is_refused_unless_the_period_is_vetoed():
    with pytest.raises(DomainError) as caught:
        lb.indicator_means([], HALVES)
    assert caught.value.message == "No evaluation has been entered."
    assert lb.period_score_of_evaluations([], KEY_PROJECT, vetoed=True) == D("0.00")
    assert lb.period_score_of_evaluations([GOOD_MONTH], KEY_PROJECT, vetoed=True) == D("0.00")


def test_an_evaluator_entering_an_unknown_indicator_is_refused():
    with pytest.raises(DomainError, match="Unknown indicator c"):
        lb.indicator_means([{"a": D(1), "c": D(2)}], HALVES)


# --- rankings and the year ------------------------------------------------------------------------------

def test_units_are_ranked_by_score_and_ties_share_a_place():
    ranked = rank_period({"项目部C": D("88.5"), "项目部A": D(92), "项目部B": D("88.5"), "项目部D": D(70)})
    assert [(r.key, r.place) for r in ranked] == [("项目部A", 1), ("项目部B", 2), ("项目部C", 2), ("项目部D", 4)]
    assert ranked[0] == Ranked("项目部A", D(92), 1)


def test_an_empty_period_ranks_nobody():
    assert rank_period({}) == []


def test_the_year_is_the_mean_of_the_periods_by_default():
    assert year_score([D("85.00"), D("90.00"), D("0.00")]) == D("58.33")  # a vetoed month counts as 0


def test_the_year_may_be_the_sum_of_the_periods():
    assert year_score([D("85.00"), D("90.00"), D("0.00")], "sum") == D("175.00")


def test_the_year_score_rounding_is_explicit():
    assert year_score([D(1), D(2), D(2)], places=1, rounding=ROUND_DOWN) == D("1.6")


def test_a_year_without_periods_or_with_an_unknown_method_is_refused():
    with pytest.raises(DomainError) as caught:
        year_score([])
    assert caught.value.message == "No period has been scored yet."
    with pytest.raises(DomainError) as caught:
        year_score([D(1)], "median")  # type: ignore[arg-type]
    assert caught.value.field == "method"


# --- the fund split -------------------------------------------------------------------------------------

def test_the_fund_is_split_in_proportion_to_scores():
    assert split_fund(D("100000.00"), {"A": D(50), "B": D(30), "C": D(20)}) == {
        "A": D("50000.00"), "B": D("30000.00"), "C": D("20000.00")}


def test_the_fen_left_over_goes_to_the_largest_remainders():
    # 1000.00 × 60/90 = 666.666…, × 20/90 = 222.222…, × 10/90 = 111.111…: floors leave 1 fen for A.
    amounts = split_fund(D(1000), {"A": D(60), "B": D(20), "C": D(10)})
    assert amounts == {"A": D("666.67"), "B": D("222.22"), "C": D("111.11")}
    assert sum(amounts.values()) == D(1000)


def test_equal_remainders_go_to_the_smaller_unit_key():
    amounts = split_fund(D(100), {"c": D(1), "a": D(1), "b": D(1)})
    assert amounts == {"c": D("33.33"), "a": D("33.34"), "b": D("33.33")}
    assert list(amounts) == ["c", "a", "b"]  # the caller's order is kept


def test_units_under_the_minimum_score_get_nothing_and_the_others_share_all():
    amounts = split_fund(D(9000), {"A": D(80), "B": D(70), "C": D(59.99).quantize(D("0.01"))}, min_score=D(60))
    assert amounts == {"A": D("4800.00"), "B": D("4200.00"), "C": D("0.00")}


def test_a_unit_exactly_at_the_minimum_takes_part():
    assert split_fund(D(100), {"A": D(60), "B": D(60)}, min_score=D(60)) == {"A": D("50.00"), "B": D("50.00")}


def test_a_unit_scoring_zero_gets_nothing():
    assert split_fund(D("0.05"), {"A": D(0), "B": D(1), "C": D(1)}) == {"A": D("0.00"), "B": D("0.03"),
                                                                       "C": D("0.02")}


def test_a_fund_of_zero_gives_everyone_zero_even_with_no_score():
    assert split_fund(D(0), {"A": D(0)}) == {"A": D("0.00")}
    assert split_fund(D(0), {}) == {}


@pytest.mark.parametrize("total, scores, message", [
    (D(-1), {"A": D(1)}, "The fund cannot be negative; got -1."),
    (D("100.005"), {"A": D(1)}, "The fund 100.005 is not a whole number of fen."),
    (D(100), {"A": D(-1)}, "The score of A is negative: -1."),
    (D(100), {"A": D(0)}, "No unit has a score above zero and at least 0, so the fund of 100 yuan cannot be split."),
    (D(100), {}, "No unit has a score above zero and at least 0, so the fund of 100 yuan cannot be split."),
])
def test_bad_fund_splits_are_refused(total, scores, message):
    with pytest.raises(DomainError) as caught:
        split_fund(total, scores)
    assert caught.value.message == message


def test_nobody_reaching_the_minimum_is_refused():
    with pytest.raises(DomainError, match="at least 60"):
        split_fund(D(100), {"A": D(50)}, min_score=D(60))


@pytest.mark.parametrize("total", [100.0, "100"])
def test_a_float_fund_is_a_programming_error(total):
    with pytest.raises(TypeError):
        split_fund(total, {"A": D(1)})


def test_the_calculation_is_shown_row_by_row_highest_score_first():
    rows = explain_split(D(1000), {"C": D(10), "A": D(60), "B": D(20), "D": D(5)}, min_score=D(10))
    assert [(r.key, r.score, r.eligible, r.share_percent, r.raw_amount, r.amount, r.extra_fen) for r in rows] == [
        ("A", D(60), True, D("66.67"), D("666.6667"), D("666.67"), True),
        ("B", D(20), True, D("22.22"), D("222.2222"), D("222.22"), False),
        ("C", D(10), True, D("11.11"), D("111.1111"), D("111.11"), False),
        ("D", D(5), False, D("0.00"), D("0.0000"), D("0.00"), False),
    ]


def test_the_shown_rows_of_a_zero_fund_are_all_zero():
    (row,) = explain_split(D(0), {"A": D(0)})
    assert (row.eligible, row.amount, row.share_percent) == (False, D("0.00"), D("0.00"))


# --- awards ---------------------------------------------------------------------------------------------

def ranking(n: int) -> list[Ranked]:
    return rank_period({f"P{i:02d}": D(100 - i) for i in range(n)})


def test_individual_merits_by_place_then_percentage():
    awards = merit_awards(ranking(50), lb.INDIVIDUAL_MERITS)
    assert awards["P00"] == lb.FIRST_CLASS
    assert [awards[k] for k in ("P01", "P02")] == [lb.SECOND_CLASS] * 2
    assert {k for k, a in awards.items() if a == lb.THIRD_CLASS} == {f"P{i:02d}" for i in range(3, 10)}  # 20 % of 50
    assert len(awards) == 10
    assert list(awards) == [f"P{i:02d}" for i in range(10)]  # ranking order


def test_a_percentage_band_rounds_down_and_may_be_empty():
    awards = merit_awards(ranking(10), lb.INDIVIDUAL_MERITS)  # 20 % of 10 = place 2, already second class
    assert awards == {"P00": lb.FIRST_CLASS, "P01": lb.SECOND_CLASS, "P02": lb.SECOND_CLASS}
    assert AwardBand(lb.THIRD_CLASS, up_to_percent=D(15)).last_place(10) == 1


def test_collectives_in_the_top_fifth_are_advanced_collectives():
    awards = merit_awards(ranking(12), lb.COLLECTIVE_AWARDS)
    assert awards == {"P00": lb.ADVANCED_COLLECTIVE, "P01": lb.ADVANCED_COLLECTIVE}  # 20 % of 12 = 2.4 → 2


def test_entrants_tied_at_the_edge_of_a_band_share_the_award():
    ranked = rank_period({"A": D(95), "B": D(90), "C": D(90), "D": D(80)})
    awards = merit_awards(ranked, AwardRules((AwardBand(lb.FIRST_CLASS, up_to_place=1),
                                              AwardBand(lb.SECOND_CLASS, up_to_place=2))))
    assert awards == {"A": lb.FIRST_CLASS, "B": lb.SECOND_CLASS, "C": lb.SECOND_CLASS}


def test_a_zero_score_or_one_under_the_minimum_never_earns_an_award():
    ranked = rank_period({"A": D(0), "B": D(0)})
    assert merit_awards(ranked, lb.INDIVIDUAL_MERITS) == {}
    rules = AwardRules((AwardBand(lb.ADVANCED_COLLECTIVE, up_to_place=3),), min_score=D(85))
    assert merit_awards(rank_period({"A": D(90), "B": D(85), "C": D("84.99")}), rules) == {
        "A": lb.ADVANCED_COLLECTIVE, "B": lb.ADVANCED_COLLECTIVE}


def test_award_names_are_translated():
    assert lb.award_name(lb.FIRST_CLASS) == "First-class merit"
    assert lb.award_name("gold") == "gold"  # an award the organiser named themselves


@pytest.mark.parametrize("kwargs, message", [
    ({}, "Award First-class merit needs exactly one of a last place or a percentage."),
    ({"up_to_place": 1, "up_to_percent": D(10)},
     "Award First-class merit needs exactly one of a last place or a percentage."),
    ({"up_to_place": 0}, "Award First-class merit: the last place must be at least 1."),
    ({"up_to_place": True}, "Award First-class merit: the last place must be at least 1."),
    ({"up_to_percent": D(0)}, "Award First-class merit: the percentage must be above 0 and at most 100."),
    ({"up_to_percent": D("100.1")}, "Award First-class merit: the percentage must be above 0 and at most 100."),
])
def test_bad_award_bands_are_refused_naming_the_award(kwargs, message):
    with pytest.raises(DomainError) as caught:
        AwardBand(lb.FIRST_CLASS, **kwargs)
    assert caught.value.message == message


@pytest.mark.parametrize("bands, min_score, message", [
    ((), D(0), "Give at least one award band."),
    ((AwardBand("x", up_to_place=1), AwardBand("x", up_to_place=2)), D(0), "Award x appears twice."),
    ((AwardBand(lb.FIRST_CLASS, up_to_place=3), AwardBand(lb.SECOND_CLASS, up_to_place=3)), D(0),
     "Award Second-class merit must reach further down than the award before it."),
    ((AwardBand(lb.FIRST_CLASS, up_to_percent=D(10)), AwardBand(lb.SECOND_CLASS, up_to_place=5),
      AwardBand(lb.THIRD_CLASS, up_to_percent=D(5))), D(0),
     "Award Third-class merit must reach further down than the award before it."),
    ((AwardBand(lb.FIRST_CLASS, up_to_place=1),), D(-1), "The minimum score cannot be negative."),
])
def test_bad_award_rules_are_refused(bands, min_score, message):
    with pytest.raises(DomainError) as caught:
        AwardRules(bands, min_score=min_score)
    assert caught.value.message == message


def test_bands_of_different_kinds_are_compared_only_with_their_own_kind():
    rules = AwardRules([AwardBand(lb.FIRST_CLASS, up_to_percent=D(10)), AwardBand(lb.SECOND_CLASS, up_to_place=2)])
    assert isinstance(rules.bands, tuple)
    # With 50 entrants the first band reaches place 5, so the second (place 2) is empty.
    assert set(merit_awards(ranking(50), rules).values()) == {lb.FIRST_CLASS}


# --- properties -----------------------------------------------------------------------------------------

SCORES = st.decimals(min_value=0, max_value=100, places=2)
FUNDS = st.decimals(min_value=0, max_value=D("10000000"), places=2)
UNITS = st.dictionaries(st.text("ABCDEFGH", min_size=1, max_size=2), SCORES, min_size=1, max_size=8).filter(
    lambda scores: any(v > 0 for v in scores.values()))


@settings(max_examples=200, deadline=None)
@given(total=FUNDS, scores=UNITS)
def test_the_split_adds_up_exactly_to_the_fund_in_whole_fen(total, scores):
    amounts = split_fund(total, scores)
    assert sum(amounts.values()) == total
    assert set(amounts) == set(scores)
    assert all(a >= 0 and a.as_tuple().exponent == -2 for a in amounts.values())
    score_sum = sum(scores.values())
    for key, amount in amounts.items():  # each part is its exact share to within one fen
        assert abs(Fraction(amount) - Fraction(total) * Fraction(scores[key]) / Fraction(score_sum)) < Fraction(1, 100)


@settings(max_examples=200, deadline=None)
@given(total=FUNDS, scores=UNITS)
def test_a_higher_score_never_gets_less_and_equal_scores_differ_by_at_most_a_fen(total, scores):
    amounts = split_fund(total, scores)
    for a in scores:
        for b in scores:
            if scores[a] > scores[b]:
                assert amounts[a] >= amounts[b]
            elif scores[a] == scores[b]:
                assert abs(amounts[a] - amounts[b]) <= D("0.01")


@settings(max_examples=200, deadline=None)
@given(total=FUNDS, scores=UNITS, raise_by=st.decimals(min_value=D("0.01"), max_value=50, places=2),
       data=st.data())
def test_raising_a_units_score_never_lowers_its_own_share(total, scores, raise_by, data):
    unit = data.draw(st.sampled_from(sorted(scores)))
    better = {**scores, unit: scores[unit] + raise_by}
    assert split_fund(total, better)[unit] >= split_fund(total, scores)[unit]


@settings(max_examples=200, deadline=None)
@given(total=FUNDS, scores=UNITS, min_score=SCORES, data=st.data())
def test_the_split_ignores_the_order_of_units_and_matches_its_explanation(total, scores, min_score, data):
    if not any(v >= min_score and v > 0 for v in scores.values()):
        min_score = D(0)
    shuffled = dict(data.draw(st.permutations(list(scores.items()))))
    amounts = split_fund(total, scores, min_score=min_score)
    assert split_fund(total, shuffled, min_score=min_score) == amounts
    assert {row.key: row.amount for row in explain_split(total, scores, min_score=min_score)} == amounts
    assert all(amounts[k] == 0 for k, v in scores.items() if v < min_score)


@settings(max_examples=100, deadline=None)
@given(values=st.fixed_dictionaries({code: SCORES for code in KEY_PROJECT.codes}), code=st.sampled_from(
    KEY_PROJECT.codes), more=st.decimals(min_value=0, max_value=100, places=2))
def test_a_period_score_lies_in_0_to_100_and_grows_with_each_value(values, code, more):
    score = period_score(values, KEY_PROJECT)
    assert D(0) <= score <= D(100)
    higher = {**values, code: max(values[code], more)}
    assert period_score(higher, KEY_PROJECT) >= score


@settings(max_examples=100, deadline=None)
@given(scores=st.dictionaries(st.integers(0, 50), SCORES, max_size=12))
def test_a_place_is_one_plus_the_number_of_strictly_better_scores(scores):
    ranked = rank_period(scores)
    assert [r.key for r in ranked] == sorted(scores, key=lambda k: (-scores[k], k))
    for row in ranked:
        assert row.place == 1 + sum(1 for v in scores.values() if v > row.score)
