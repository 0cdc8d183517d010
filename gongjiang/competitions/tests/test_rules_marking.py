"""Marking rules of skills competitions, as a specification: schemes, aspect kinds, judges, rounding, totals.

The example is a 车工 (lathe) practical marked out of 100, the way a WorldSkills-style scheme is written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjiang.competitions.rules import aspect_marks as am
from gongjiang.competitions.rules import marking as m
from gongjiang.competitions.rules import scoring as sc
from gongjiang.competitions.rules.marking import Aspect, Band, Criterion, Deduction, Rounding, Scheme, Section
from gongjiang.core.errors import DomainError

D = Decimal
PROPERTY = settings(max_examples=120, deadline=None)  # keeps the file under 10 s on a busy 2-core machine


@pytest.fixture(autouse=True, scope="module")
def _english():
    """Messages are asserted in English (the msgids); the Chinese lives in locale/zh/competitions_marking.json."""
    with translation.override("en"):
        yield


def bore() -> Aspect:
    """Bore Φ30: within 0.02 mm full marks, 0.04 mm six, 0.06 mm two, beyond nothing."""
    return Aspect("A1.1", "Bore Φ30 ±0.02", D(10), m.TOLERANCE, D("0.5"),
                  bands=(Band(D("0.02"), D(10)), Band(D("0.04"), D(6)), Band(D("0.06"), D(2))))


def chamfer() -> Aspect:
    return Aspect("A1.2", "Chamfers present", D(5), m.BINARY)


def surface() -> Aspect:
    return Aspect("A2.1", "Surface free of faults", D(10), m.DEDUCTION, D("0.5"),
                  deductions=(Deduction("scratch", D("0.5"), "each scratch"), Deduction("burr", D(1), "each burr")))


def thread() -> Aspect:
    return Aspect("A2.2", "Thread M20 gauge fit", D(15), m.DIRECT, D("0.5"))


def finish() -> Aspect:
    return Aspect("B1.1", "Overall finish", D(30), m.JUDGEMENT, D("0.5"))


def safety() -> Aspect:
    return Aspect("B1.2", "Safe and tidy work", D(30), m.JUDGEMENT, D("0.5"))


def lathe_scheme(**kwargs) -> Scheme:
    return Scheme(sections=(
        Section("A", "Dimensions", (Criterion("A1", "Bore", (bore(), chamfer())),
                                    Criterion("A2", "Surface and thread", (surface(), thread())))),
        Section("B", "Workmanship", (Criterion("B1", "Judged", (finish(), safety())),)),
    ), **kwargs)


def one_aspect_scheme(aspect: Aspect, **kwargs) -> Scheme:
    return Scheme(sections=(Section("S", "Section", (Criterion("C", "Criterion", (aspect,)),)),), **kwargs)


def about(value: Decimal | None, expected: Decimal) -> bool:
    """Unrounded quotients carry the module's 60 digits; compare them to 20 decimals."""
    return value is not None and abs(value - expected) < D("1E-20")


def refusal(scheme: Scheme, expected: Decimal | None = None) -> DomainError:
    with pytest.raises(DomainError) as caught:
        m.validate_scheme(scheme, expected)
    return caught.value


LATHE_INPUTS = {
    "A1.1": D("-0.03"),                       # second band: 6
    "A1.2": True,                             # 5
    "A2.1": {"scratch": 3, "burr": 1},        # 10 − 1.5 − 1 = 7.5
    "A2.2": D("12.5"),                        # 12.5
    "B1.1": [D(24), D(25), D(26)],            # 25
    "B1.2": [D(20), None, D(21)],             # 20.5: the absent judge is left out
}


# --- the scheme -------------------------------------------------------------------------------------------------


def test_the_lathe_scheme_is_valid_and_adds_up_to_100():
    scheme = lathe_scheme()
    m.validate_scheme(scheme, D(100))
    assert m.scheme_problems(scheme, D(100)) == []
    assert scheme.max_mark == 100
    assert [s.max_mark for s in scheme.sections] == [40, 60]
    assert [c.max_mark for s in scheme.sections for c in s.criteria] == [15, 25, 60]
    assert [a.code for a in scheme.aspects()] == ["A1.1", "A1.2", "A2.1", "A2.2", "B1.1", "B1.2"]


def test_a_scheme_without_an_expected_total_is_not_checked_for_it():
    m.validate_scheme(lathe_scheme())


def test_a_scheme_whose_weights_do_not_add_up_is_refused_showing_both_totals():
    error = refusal(lathe_scheme(), D(90))
    assert error.message == "The weights do not add up: the aspects' maximum marks total 100, not 90."
    assert error.errors == {"scheme": error.message}


def test_a_criterion_whose_stated_total_differs_from_its_aspects_is_refused():
    scheme = Scheme(sections=(Section("A", "Dimensions", (
        Criterion("A1", "Bore", (bore(), chamfer()), declared_max=D(20)),)),))
    assert refusal(scheme).errors == {"A1": "The aspects of A1 add up to 15, not the 20 stated."}


def test_a_section_whose_stated_total_differs_from_its_aspects_is_refused():
    scheme = Scheme(sections=(Section("A", "Dimensions", (Criterion("A1", "Bore", (bore(), chamfer())),),
                                      declared_max=D("15.5")),))
    assert refusal(scheme).errors == {"A": "The aspects of A add up to 15, not the 15.5 stated."}


def test_stated_totals_that_match_are_accepted():
    scheme = Scheme(sections=(Section("A", "Dimensions", (
        Criterion("A1", "Bore", (bore(), chamfer()), declared_max=D(15)),), declared_max=D(15)),))
    m.validate_scheme(scheme, D(15))


def test_an_aspect_code_used_twice_is_refused():
    scheme = Scheme(sections=(Section("A", "Dimensions", (Criterion("A1", "Bore", (bore(), bore())),)),))
    assert refusal(scheme).message == "The code A1.1 is used more than once in the marking scheme."


def test_sections_criteria_and_aspects_share_one_code_space():
    scheme = Scheme(sections=(Section("A", "Dimensions", (Criterion("A", "Bore", (bore(),)),)),))
    assert refusal(scheme).errors == {"A": "The code A is used more than once in the marking scheme."}


def test_an_item_without_a_code_is_refused():
    scheme = Scheme(sections=(Section(" ", "Dimensions", (Criterion("A1", "Bore", (bore(),)),)),))
    assert refusal(scheme).message == "An item of the marking scheme has no code."


def test_an_empty_scheme_section_or_criterion_is_refused():
    assert refusal(Scheme(sections=())).message == "The marking scheme has no sections."
    assert refusal(Scheme(sections=(Section("A", "Empty", ()),))).message == "Section A has no criteria."
    empty_criterion = Scheme(sections=(Section("A", "Dimensions", (Criterion("A1", "Empty", ()),)),))
    assert refusal(empty_criterion).message == "Criterion A1 has no aspects."


@pytest.mark.parametrize("max_mark", [D(0), D(-1)])
def test_a_max_mark_of_zero_or_less_is_refused(max_mark):
    error = refusal(one_aspect_scheme(Aspect("A1.3", "Bore", max_mark)))
    assert error.message == f"The maximum mark of A1.3 must be above zero, not {max_mark}."
    assert "A1.3" in error.errors


@pytest.mark.parametrize("max_mark, step", [(1.5, D("0.5")), (D(5), 0.5), (D("NaN"), D(1)), (D(5), True)])
def test_a_max_mark_or_step_that_is_not_a_decimal_number_is_refused(max_mark, step):
    error = refusal(one_aspect_scheme(Aspect("A1.3", "Bore", max_mark, step=step)))
    assert error.message == "The maximum mark and the step of A1.3 must be numbers."


def test_integer_max_marks_and_steps_are_accepted():
    m.validate_scheme(one_aspect_scheme(Aspect("A1.3", "Bore", 7, step=1)), D(7))


@pytest.mark.parametrize("step", [D(0), D("-0.5")])
def test_a_step_of_zero_or_less_is_refused(step):
    assert refusal(one_aspect_scheme(Aspect("A1.3", "Bore", D(7), step=step))).message == (
        f"The step of A1.3 must be above zero, not {step}.")


def test_a_step_finer_than_hundredths_is_refused():
    assert refusal(one_aspect_scheme(Aspect("A1.3", "Bore", D(7), step=D("0.005")))).message == (
        "The step of A1.3 has more than two decimals: 0.005.")


@pytest.mark.parametrize("max_mark, step", [(D(7), D(2)), (D("7.25"), D("0.5")), (D("7.005"), D("0.01"))])
def test_a_step_that_does_not_divide_the_max_mark_is_refused(max_mark, step):
    assert refusal(one_aspect_scheme(Aspect("A1.3", "Bore", max_mark, step=step))).message == (
        f"The maximum mark {max_mark} of A1.3 is not a multiple of its step {step}.")


def test_an_unknown_aspect_kind_is_refused():
    assert refusal(one_aspect_scheme(Aspect("A1.3", "Bore", D(7), "guess"))).message == (
        "Aspect A1.3 has an unknown kind guess.")


def tolerance(*bands) -> Aspect:
    return Aspect("A1.3", "Bore", D(10), m.TOLERANCE, D("0.5"), bands=tuple(bands))


@pytest.mark.parametrize("bands, message", [
    ((), "Tolerance aspect A1.3 has no bands."),
    (((D("-0.01"), D(10)),), "A tolerance band of A1.3 ends at a negative deviation -0.01."),
    (((D("0.04"), D(10)), (D("0.02"), D(6))),
     "The tolerance bands of A1.3 overlap or are not in increasing order of deviation (0.02 after 0.04)."),
    (((D("0.02"), D(10)), (D("0.02"), D(6))),
     "The tolerance bands of A1.3 overlap or are not in increasing order of deviation (0.02 after 0.02)."),
    (((D("0.02"), D(10)), (D("0.04"), D(-1))), "The tolerance band up to 0.04 of A1.3 gives a negative mark -1."),
    (((D("0.02"), D(12)),), "The tolerance band up to 0.02 of A1.3 gives 12, more than the maximum 10."),
    (((D("0.02"), D(10)), (D("0.04"), D("6.2"))),
     "The tolerance band up to 0.04 of A1.3 gives 6.2, not a multiple of the step 0.5."),
    (((D("0.02"), D(10)), (D("0.04"), D(4)), (D("0.06"), D(6))),
     "The tolerance band up to 0.06 of A1.3 gives more than a narrower band."),
    (((D("0.02"), D(8)), (D("0.04"), D(4))), "The narrowest tolerance band of A1.3 must give the full mark 10, not 8."),
    (((D("0.02"), 10.0),), "A tolerance band of A1.3 is not a pair of numbers."),
])
def test_tolerance_bands_that_are_empty_overlap_are_unsorted_or_give_more_than_the_max_are_refused(bands, message):
    error = refusal(one_aspect_scheme(tolerance(*bands)))
    assert error.message == message
    assert error.errors == {"A1.3": message}


def test_a_band_that_gives_nothing_is_allowed_as_the_last_step():
    m.validate_scheme(one_aspect_scheme(tolerance((D("0.02"), D(10)), (D("0.1"), D(0)))))


def test_bands_or_deductions_on_an_aspect_of_another_kind_are_refused():
    banded = Aspect("A1.3", "Bore", D(10), m.DIRECT, bands=(Band(D("0.02"), D(10)),))
    assert refusal(one_aspect_scheme(banded)).message == (
        "Aspect A1.3 has tolerance bands but is not a tolerance aspect.")
    deducted = Aspect("A1.3", "Bore", D(10), m.BINARY, deductions=(Deduction("x", D(1)),))
    assert refusal(one_aspect_scheme(deducted)).message == (
        "Aspect A1.3 has deduction items but is not a deduction aspect.")


def deduction(*items) -> Aspect:
    return Aspect("A2.1", "Surface", D(10), m.DEDUCTION, D("0.5"), deductions=tuple(items))


@pytest.mark.parametrize("items, message", [
    ((), "Deduction aspect A2.1 has no deduction items."),
    ((Deduction("scratch", D(0)),), "Deduction item scratch of A2.1 must deduct a positive amount, not 0."),
    ((Deduction("scratch", D(-1)),), "Deduction item scratch of A2.1 must deduct a positive amount, not -1."),
    ((Deduction("scratch", 0.5),), "Deduction item scratch of A2.1 must deduct a positive amount, not 0.5."),
    ((Deduction("scratch", D("0.3")),), "Deduction item scratch of A2.1 deducts 0.3, not a multiple of the step 0.5."),
    ((Deduction("scratch", D(1)), Deduction("scratch", D(2))), "Deduction item scratch of A2.1 is listed twice."),
])
def test_deductions_that_are_missing_not_positive_off_step_or_repeated_are_refused(items, message):
    assert refusal(one_aspect_scheme(deduction(*items))).message == message


def test_a_deduction_larger_than_the_max_mark_is_allowed_because_the_mark_floors_at_zero():
    m.validate_scheme(one_aspect_scheme(deduction(Deduction("unsafe", D(20)))))


@pytest.mark.parametrize("method, trim, message", [
    ("median", 0, "Unknown judgement method median."),
    (m.MEAN, -1, "The number of marks trimmed must be a whole number, not -1."),
    (m.TRIMMED_MEAN, True, "The number of marks trimmed must be a whole number, not True."),
    (m.TRIMMED_MEAN, 0, "A trimmed mean drops at least the highest and the lowest mark: set the trim to 1 or more."),
    (m.WORLDSKILLS, 1,
     "WorldSkills judgement takes the three judges' scores as they are: the trim must be 0, not 1."),
    (m.MEAN, 2, "A plain mean trims nothing: the trim must be 0, not 2."),
])
def test_a_judgement_method_with_a_bad_trim_is_refused(method, trim, message):
    error = refusal(lathe_scheme(judgement_method=method, trim=trim))
    assert error.message == message
    assert error.errors == {"scheme": message}


@pytest.mark.parametrize("method, trim", [(m.MEAN, 0), (m.TRIMMED_MEAN, 1), (m.TRIMMED_MEAN, 2), (m.WORLDSKILLS, 0)])
def test_each_judgement_method_with_its_proper_trim_is_valid(method, trim):
    m.validate_scheme(lathe_scheme(judgement_method=method, trim=trim), D(100))


def test_every_problem_is_reported_at_once_for_an_import_error_report():
    scheme = Scheme(sections=(Section("A", "Dimensions", (Criterion("A1", "Bore", (
        Aspect("A1.1", "Bore", D(0)), Aspect("A1.2", "Chamfer", D(7), step=D(2)),
        Aspect("A1.2", "Again", D(3)))),)),), judgement_method="median")
    problems = m.scheme_problems(scheme, D(100))
    assert [code for code, _ in problems] == ["scheme", "A1.1", "A1.2", "A1.2", "scheme"]
    error = refusal(scheme, D(100))
    assert error.message == "Unknown judgement method median."
    assert error.errors == {
        "scheme": "Unknown judgement method median.",
        "A1.1": "The maximum mark of A1.1 must be above zero, not 0.",
        "A1.2": "The maximum mark 7 of A1.2 is not a multiple of its step 2.",
    }


# --- rounding settings ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, message", [
    ({"mode": "ceiling"}, "Unknown rounding mode ceiling."),
    ({"level": "section"}, "Unknown rounding level section."),
    ({"places": 3}, "Marks are rounded to 0, 1 or 2 decimals, not 3."),
    ({"places": -1}, "Marks are rounded to 0, 1 or 2 decimals, not -1."),
    ({"places": True}, "Marks are rounded to 0, 1 or 2 decimals, not True."),
])
def test_a_rounding_that_cannot_be_stored_in_hundredths_or_is_unknown_is_refused(kwargs, message):
    with pytest.raises(DomainError, match="^" + message.replace(".", r"\.") + "$"):
        Rounding(**kwargs)


@pytest.mark.parametrize("mode, places, value, expected", [
    ("half_up", 2, "2.345", "2.35"), ("half_even", 2, "2.345", "2.34"), ("down", 2, "2.349", "2.34"),
    ("half_up", 0, "2.5", "3"), ("half_even", 0, "2.5", "2"), ("half_up", 1, "2.25", "2.3"),
    ("half_up", 2, "7", "7.00"),
])
def test_rounding_modes_and_places(mode, places, value, expected):
    assert str(Rounding(mode=mode, places=places).quantize(D(value))) == expected


def test_the_default_rounding_is_half_up_to_two_decimals_at_each_aspect():
    assert Rounding() == Rounding(mode="half_up", places=2, level="aspect")


# --- one mark typed by a judge ----------------------------------------------------------------------------------


def test_a_mark_within_range_and_on_the_step_is_accepted_as_a_decimal():
    aspect = Aspect("A1.3", "Bore", D(7), step=D("0.5"))
    assert am.validate_mark(aspect, D("6.5")) == D("6.5")
    assert am.validate_mark(aspect, 7) == D(7)
    assert am.validate_mark(aspect, " 0 ") == D(0)


@pytest.mark.parametrize("value, message", [
    (D("7.5"), "The mark 7.5 for A1.3 is above its maximum 7."),
    (D("-0.5"), "The mark -0.5 for A1.3 is below zero."),
    (D("6.3"), "The mark 6.3 for A1.3 is not a multiple of the step 0.5."),
    (6.5, "The mark for A1.3 is not a number: 6.5."),
    (True, "The mark for A1.3 is not a number: True."),
    ("six", "The mark for A1.3 is not a number: six."),
    (D("NaN"), "The mark for A1.3 is not a number: NaN."),
    ("Infinity", "The mark for A1.3 is not a number: Infinity."),
    (None, "The mark for A1.3 is not a number: None."),
])
def test_a_mark_above_the_max_below_zero_off_the_step_or_not_a_number_is_refused_naming_the_aspect(value, message):
    with pytest.raises(DomainError) as caught:
        am.validate_mark(Aspect("A1.3", "Bore", D(7), step=D("0.5")), value)
    assert caught.value.message == message
    assert caught.value.errors == {"A1.3": message}


# --- measurement aspects ----------------------------------------------------------------------------------------


def test_a_binary_aspect_gives_the_full_mark_or_zero():
    assert am.binary_mark(chamfer(), True) == 5
    assert am.binary_mark(chamfer(), False) == 0


def test_a_binary_aspect_takes_only_a_real_yes_or_no():
    with pytest.raises(DomainError) as caught:
        am.binary_mark(chamfer(), 1)  # type: ignore[arg-type]
    assert caught.value.message == "The input for A1.2 does not fit its kind (Measurement: full mark or zero)."


@pytest.mark.parametrize("deviation, mark", [
    ("0", 10), ("0.02", 10), ("-0.02", 10), ("0.021", 6), ("0.04", 6), ("-0.05", 2), ("0.06", 2), ("0.0601", 0),
    ("-3", 0),
])
def test_a_tolerance_aspect_gives_the_mark_of_the_first_band_covering_the_absolute_deviation(deviation, mark):
    assert am.tolerance_mark(bore(), D(deviation)) == mark


def test_a_tolerance_deviation_must_be_a_number():
    with pytest.raises(DomainError, match="not a number"):
        am.tolerance_mark(bore(), 0.02)  # type: ignore[arg-type]


@pytest.mark.parametrize("faults, mark", [
    ({}, D(10)), ([], D(10)), ({"scratch": 0}, D(10)), ({"scratch": 3}, D("8.5")),
    (["scratch", "burr", "scratch"], D(8)),
    ({"scratch": 3, "burr": 1}, D("7.5")), ({"burr": 10}, D(0)), ({"burr": 50, "scratch": 1}, D(0)),
])
def test_a_deduction_aspect_takes_fixed_amounts_per_fault_down_to_zero(faults, mark):
    assert am.deduction_mark(surface(), faults) == mark


@pytest.mark.parametrize("faults, message", [
    ({"dent": 1}, "Aspect A2.1 has no deduction item dent."),
    (["dent"], "Aspect A2.1 has no deduction item dent."),
    ({"burr": -1}, "The number of burr faults for A2.1 must be a whole number, not -1."),
    ({"burr": D("1.5")}, "The number of burr faults for A2.1 must be a whole number, not 1.5."),
    ({"burr": True}, "The number of burr faults for A2.1 must be a whole number, not True."),
    ("burr", "The input for A2.1 does not fit its kind (Measurement: deductions)."),
    (3, "The input for A2.1 does not fit its kind (Measurement: deductions)."),
])
def test_unknown_fault_items_and_bad_counts_are_refused(faults, message):
    with pytest.raises(DomainError) as caught:
        am.deduction_mark(surface(), faults)
    assert caught.value.message == message


# --- judgement: several judges ----------------------------------------------------------------------------------


def test_the_mean_of_the_judges_marks_is_kept_unrounded():
    mark = am.aggregate_judgement(finish(), [D(24), D(25), D("25.5")], m.MEAN)
    assert about(mark, D("24.833333333333333333333333"))
    assert -mark.as_tuple().exponent > 20  # many more decimals than any official figure


def test_an_absent_judge_is_left_out_never_counted_as_zero():
    assert am.aggregate_judgement(finish(), [D(20), None, D(21)], m.MEAN) == D("20.5")
    assert am.aggregate_judgement(finish(), {"judge-1": D(20), "judge-2": None, "judge-3": D(21)}, m.MEAN) == D("20.5")


@pytest.mark.parametrize("method", m.JUDGEMENT_METHODS)
@pytest.mark.parametrize("marks", [[], [None, None], {}, {"judge-1": None}])
def test_an_aspect_without_any_judges_mark_is_incomplete(method, marks):
    assert am.aggregate_judgement(finish(), marks, method, trim=1 if method == m.TRIMMED_MEAN else 0) is None


def test_each_judges_mark_is_checked_against_the_max_and_the_step():
    with pytest.raises(DomainError, match=r"^The mark 31 for B1\.1 is above its maximum 30\.$"):
        am.aggregate_judgement(finish(), [D(25), D(31)], m.MEAN)
    with pytest.raises(DomainError, match=r"^The mark 25.2 for B1\.1 is not a multiple of the step 0\.5\.$"):
        am.aggregate_judgement(finish(), [D(25), D("25.2"), D(26), D(27), D(28)], m.TRIMMED_MEAN, 1)


def test_a_trimmed_mean_drops_the_k_highest_and_k_lowest_marks():
    marks = [D(10), D(24), D(25), D(26), D(30)]
    assert am.aggregate_judgement(finish(), marks, m.TRIMMED_MEAN, 1) == 25
    assert am.aggregate_judgement(finish(), marks, m.TRIMMED_MEAN, 2) == 25
    assert am.trimmed_mean([D(1), D(2), D(3), D(4), D(100), D(0), D(5)], 2) == D(3)


def test_a_trimmed_mean_with_fewer_than_2k_plus_1_marks_present_is_refused():
    with pytest.raises(DomainError) as caught:
        am.aggregate_judgement(finish(), [D(24), None, D(25), D(26), D(27)], m.TRIMMED_MEAN, 2)
    assert caught.value.message == (
        "B1.1: a mean dropping the 2 highest and 2 lowest marks needs at least 5 marks; 4 are present.")
    assert am.aggregate_judgement(finish(), [D(24), D(25), D(29)], m.TRIMMED_MEAN, 1) == 25


def test_worldskills_judgement_is_the_sum_of_three_scores_over_nine_times_the_max():
    aspect = Aspect("B2.1", "Finish", D("4.5"), m.JUDGEMENT)
    assert am.aggregate_judgement(aspect, [2, 2, 3], m.WORLDSKILLS) == D("3.5")
    assert am.aggregate_judgement(aspect, [3, 3, 3], m.WORLDSKILLS) == D("4.5")
    assert am.aggregate_judgement(aspect, [0, 0, 0], m.WORLDSKILLS) == 0
    assert am.aggregate_judgement(aspect, [D(1), D("2.0"), "1"], m.WORLDSKILLS) == D("2")
    assert about(am.aggregate_judgement(Aspect("B2.2", "x", D(2), m.JUDGEMENT), [1, 1, 2], m.WORLDSKILLS),
                 D("0.888888888888888888888888"))


def test_worldskills_scores_more_than_1_apart_are_refused_until_the_judges_re_score():
    with pytest.raises(DomainError) as caught:
        am.aggregate_judgement(finish(), {"j1": 1, "j2": 2, "j3": 3}, m.WORLDSKILLS)
    assert caught.value.message == "B1.1: the judges' scores 1, 2, 3 are more than 1 apart; re-score required."
    assert caught.value.code == "rescore_required"
    assert caught.value.errors == {"B1.1": caught.value.message}


def test_worldskills_disagreement_is_refused_as_soon_as_the_second_score_is_in():
    with pytest.raises(DomainError, match="re-score required"):
        am.aggregate_judgement(finish(), [3, None, 1], m.WORLDSKILLS)


def test_worldskills_judgement_with_fewer_than_three_scores_is_incomplete():
    assert am.aggregate_judgement(finish(), [2, None, 3], m.WORLDSKILLS) is None
    assert am.aggregate_judgement(finish(), [2], m.WORLDSKILLS) is None


def test_worldskills_judgement_with_more_than_three_scores_is_refused():
    with pytest.raises(DomainError, match=r"^B1\.1: WorldSkills judgement takes exactly three judges' scores; 4 were "
                                          r"given\.$"):
        am.aggregate_judgement(finish(), [2, 2, 2, 2], m.WORLDSKILLS)
    with pytest.raises(DomainError, match="exactly three"):
        am.worldskills_mark(finish(), [2, 2])


@pytest.mark.parametrize("score", [4, -1, D("2.5"), "3.1", 2.0, "x"])
def test_a_worldskills_score_is_a_whole_number_from_0_to_3(score):
    with pytest.raises(DomainError, match=r"^(B1\.1: a WorldSkills judgement score is a whole number from 0 to 3, not "
                                          r"[-0-9.]+\.|The mark for B1\.1 is not a number: .*\.)$"):
        am.aggregate_judgement(finish(), [2, 2, score], m.WORLDSKILLS)


def test_an_unknown_method_is_refused_when_aggregating():
    with pytest.raises(DomainError, match=r"^Unknown judgement method median\.$"):
        am.aggregate_judgement(finish(), [D(1)], "median")


def test_the_plain_mean_of_nothing_is_a_programming_error():
    with pytest.raises(ValueError):
        am.mean([])


# --- one aspect from its input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("aspect", [bore(), chamfer(), surface(), thread(), finish()])
def test_an_aspect_without_input_is_not_marked_yet(aspect):
    assert am.score_aspect(lathe_scheme(), aspect, None) is None


@pytest.mark.parametrize("aspect, value, mark", [
    (bore(), D("0.05"), D(2)), (chamfer(), False, D(0)), (surface(), ["burr"], D(9)), (thread(), D("14.5"), D("14.5")),
    (finish(), [D(20), D(21)], D("20.5")),
])
def test_each_kind_takes_its_own_input(aspect, value, mark):
    assert am.score_aspect(lathe_scheme(), aspect, value) == mark


def test_a_judgement_aspect_uses_the_schemes_method_and_trim():
    scheme = lathe_scheme(judgement_method=m.TRIMMED_MEAN, trim=1)
    assert am.score_aspect(scheme, finish(), [D(1), D(20), D(21), D(22), D(30)]) == 21


@pytest.mark.parametrize("aspect, value", [
    (finish(), "25"), (finish(), D(25)), (Aspect("X1", "x", D(5), "guess"), D(1)), (thread(), D(16)),
])
def test_an_input_that_does_not_fit_the_aspect_is_refused(aspect, value):
    with pytest.raises(DomainError):
        am.score_aspect(lathe_scheme(), aspect, value)


# --- the score sheet --------------------------------------------------------------------------------------------


def test_a_score_sheet_gives_aspect_marks_subtotals_and_the_practical_total():
    result = sc.score_sheet(lathe_scheme(), LATHE_INPUTS)
    assert result.complete and result.missing == ()
    assert result.total == D("76.50") and result.raw == D("76.5")
    assert result.require_complete() == D("76.50")
    assert result.marks() == {
        "A": D("31.00"), "A1": D("11.00"), "A1.1": D("6.00"), "A1.2": D("5.00"),
        "A2": D("20.00"), "A2.1": D("7.50"), "A2.2": D("12.50"),
        "B": D("45.50"), "B1": D("45.50"), "B1.1": D("25.00"), "B1.2": D("20.50"),
    }
    assert [c.code for c in result.sections[0].criteria] == ["A1", "A2"]
    assert result.sections[1].criteria[0].aspects[1] == sc.AspectResult("B1.2", D("20.5"), D("20.50"))


def test_an_unmarked_aspect_leaves_its_criterion_section_and_the_total_open():
    inputs = {**LATHE_INPUTS, "B1.2": [None, None, None]}
    del inputs["A1.2"]
    result = sc.score_sheet(lathe_scheme(), inputs)
    assert not result.complete
    assert result.missing == ("A1.2", "B1.2")
    assert result.total is None and result.raw is None
    marks = result.marks()
    assert marks["A1"] is None and marks["A"] is None and marks["B"] is None
    assert marks["A2"] == D("20.00") and marks["B1.1"] == D("25.00")
    with pytest.raises(DomainError) as caught:
        result.require_complete()
    assert caught.value.message == "Not every aspect is marked yet: A1.2, B1.2."
    assert caught.value.code == "incomplete"


def test_an_input_for_an_aspect_that_is_not_in_the_scheme_is_refused():
    with pytest.raises(DomainError) as caught:
        sc.score_sheet(lathe_scheme(), {**LATHE_INPUTS, "Z9": D(1), "A1": D(1)})
    assert caught.value.message == "The marking scheme has no aspect A1, Z9."


def test_a_refused_judges_mark_refuses_the_whole_sheet():
    with pytest.raises(DomainError, match=r"B1\.1"):
        sc.score_sheet(lathe_scheme(), {**LATHE_INPUTS, "B1.1": [D(31)]})


def judged(code: str) -> Aspect:
    return Aspect(code, "judged", D(10), m.JUDGEMENT)


def rounding_example(level: str) -> sc.SheetResult:
    """Four aspects each judged 1.00 and 1.01 (mean 1.005): two in criterion C1, one in C2, one in C3."""
    scheme = Scheme(sections=(Section("S", "Section", (
        Criterion("C1", "two aspects", (judged("C1.1"), judged("C1.2"))),
        Criterion("C2", "one aspect", (judged("C2.1"),)),
        Criterion("C3", "one aspect", (judged("C3.1"),)),
    )),), rounding=Rounding("half_up", 2, level))
    return sc.score_sheet(scheme, {code: [D("1.00"), D("1.01")] for code in ("C1.1", "C1.2", "C2.1", "C3.1")})


def test_the_order_of_rounding_changes_the_official_result():
    by_aspect, by_criterion, by_total = (rounding_example(level) for level in ("aspect", "criterion", "total"))
    # aspect: 1.01 + 1.01 + 1.01 + 1.01; criterion: round(2.010) + round(1.005) + round(1.005); total: round(4.02)
    assert (by_aspect.total, by_criterion.total, by_total.total) == (D("4.04"), D("4.03"), D("4.02"))
    assert by_aspect.raw == by_criterion.raw == by_total.raw == D("4.020")


def test_above_the_rounding_level_a_subtotal_is_the_sum_of_the_rounded_parts_below_it_is_for_display():
    by_criterion = rounding_example("criterion").marks()
    assert by_criterion["C1.1"] == D("1.01")  # shown rounded, but not what C1 adds up
    assert by_criterion["C1"] == D("2.01")
    assert by_criterion["S"] == D("4.03") == by_criterion["C1"] + by_criterion["C2"] + by_criterion["C3"]
    by_total = rounding_example("total").marks()
    assert by_total["C1"] == D("2.01") and by_total["S"] == D("4.02")


def test_rounding_down_truncates_at_the_chosen_level():
    scheme = Scheme(sections=(Section("S", "Section", (Criterion("C", "c", (judged("C.1"), judged("C.2"))),)),),
                    rounding=Rounding("down", 1, "aspect"))
    assert sc.score_sheet(scheme, {"C.1": [D("1.07"), D("1.08")], "C.2": [D(2), D("2.09")]}).total == D("3.0")


# --- final total: theory and practical --------------------------------------------------------------------------


@pytest.mark.parametrize("tw, pw", [(30, 70), (3, 7), (300, 700)])
def test_theory_and_practical_combine_by_their_weights_read_as_a_ratio(tw, pw):
    assert sc.combine(D(80), D(90), tw, pw, Rounding()) == D("87.00")


def test_the_combined_total_is_rounded_as_configured():
    assert sc.combine(D(80), D(85), 1, 2, Rounding()) == D("83.33")
    assert sc.combine(D(80), D(85), 1, 2, Rounding(places=0)) == D(83)
    assert sc.combine(D("80.5"), D("85.5"), 1, 1, Rounding("half_even", 0)) == D(83)
    assert sc.combine(D("80.5"), D("85.5"), 1, 1, Rounding("half_up", 0)) == D(83)
    assert sc.combine(D("81.5"), D("84.5"), 1, 1, Rounding("half_even", 0)) == D(83)
    assert sc.combine(D(81), D(84), 1, 2, Rounding("down", 1, "total")) == D("83.0")


@pytest.mark.parametrize("tw, pw", [(0, 100), (-30, 130), (True, 1), (D(30), 70), (30, 70.0)])
def test_weights_must_be_positive_whole_numbers(tw, pw):
    with pytest.raises(DomainError) as caught:
        sc.combine(D(80), D(90), tw, pw, Rounding())
    assert caught.value.message.startswith("The theory and practical weights must be positive whole numbers")
    assert caught.value.field == "weights"


def test_a_negative_or_non_decimal_score_cannot_be_combined():
    with pytest.raises(DomainError, match=r"^A score cannot be below zero: -1\.$"):
        sc.combine(D(-1), D(90), 30, 70, Rounding())
    with pytest.raises(DomainError, match="not a number"):
        sc.combine(D(80), 90.0, 30, 70, Rounding())  # type: ignore[arg-type]


# --- storage as integer hundredths ------------------------------------------------------------------------------


@pytest.mark.parametrize("value, hundredths", [
    (D("7.5"), 750), (D("7.50"), 750), (D(100), 10000), (D(0), 0), (D("0.01"), 1), (D("1.230"), 123), (3, 300),
    (D("-2.5"), -250),
])
def test_marks_are_stored_as_integer_hundredths(value, hundredths):
    assert m.to_hundredths(value) == hundredths
    assert m.from_hundredths(hundredths) == value


def test_a_stored_mark_reads_back_with_two_decimals():
    assert str(m.from_hundredths(750)) == "7.50"
    assert str(m.from_hundredths(10000)) == "100.00"


@pytest.mark.parametrize("value", [D("7.555"), D("0.001"), D("1E-5")])
def test_a_value_with_more_than_two_decimals_is_refused_rather_than_rounded_silently(value):
    with pytest.raises(DomainError, match="has more than two decimals; marks are kept to hundredths"):
        m.to_hundredths(value)


@pytest.mark.parametrize("value", [7.5, D("NaN"), True])
def test_only_decimals_and_integers_are_stored(value):
    with pytest.raises(DomainError, match="not a number"):
        m.to_hundredths(value)


@pytest.mark.parametrize("value", [7.5, True, D(750)])
def test_only_integers_are_read_back(value):
    with pytest.raises(TypeError):
        m.from_hundredths(value)


# --- calibration and analysis -----------------------------------------------------------------------------------


def test_judge_deviation_from_the_panel_mean_of_the_same_items():
    marks = {
        "wang": {("E1", "B1.1"): D(24), ("E2", "B1.1"): D(20)},
        "li": {("E1", "B1.1"): D(27), ("E2", "B1.1"): D(23), ("E3", "B1.1"): D(10)},  # E3: li alone
        "zhao": {("E1", "B1.1"): D(24), ("E2", "B1.1"): None},
        "sun": {("E4", "B1.1"): D(5)},
    }
    result = am.judge_deviation(marks)
    # panel means: E1 = 25, E2 = 21.5; E3 and E4 are marked by one judge only.
    assert result["wang"] == am.JudgeDeviation(2, D("-1.25"), D("1.25"))
    assert result["li"] == am.JudgeDeviation(2, D("1.75"), D("1.75"))
    assert result["zhao"] == am.JudgeDeviation(1, D(-1), D(1))
    assert result["sun"] == am.JudgeDeviation(0, None, None)


def test_a_judge_who_is_generous_on_one_item_and_harsh_on_another_shows_it_in_the_absolute_deviation():
    result = am.judge_deviation({"wang": {"a": D(10), "b": D(0)}, "li": {"a": D(8), "b": D(2)}})
    assert result["wang"] == am.JudgeDeviation(2, D(0), D(1))


def test_calibration_marks_must_be_numbers():
    with pytest.raises(DomainError, match="not a number"):
        am.judge_deviation({"wang": {"a": 1.5}})  # type: ignore[dict-item]


def test_the_distribution_of_marks_as_a_percentage_of_the_max():
    histogram = am.percent_of_max_histogram([D(0), D("0.9"), D(1), D("4.5"), D("9.99"), D(10), None], D(10))
    assert [b.count for b in histogram] == [2, 1, 0, 0, 1, 0, 0, 0, 0, 2]
    assert (histogram[0].lower, histogram[0].upper) == (0, 10)
    assert (histogram[-1].lower, histogram[-1].upper) == (90, 100)


def test_a_distribution_in_three_bins_puts_a_boundary_mark_in_the_upper_bin():
    histogram = am.percent_of_max_histogram([D(0), D(1), D(2), D(3)], D(3), bins=3)
    assert [b.count for b in histogram] == [1, 1, 2]
    assert about(histogram[1].lower, D("33.333333333333333333333"))


@pytest.mark.parametrize("values, max_mark, bins, message", [
    ([D(11)], D(10), 10, "The mark 11 is outside 0 to 10."),
    ([D(-1)], D(10), 10, "The mark -1 is outside 0 to 10."),
    ([D(1)], D(0), 10, "The maximum mark must be above zero, not 0."),
    ([D(1)], D(10), 0, "A distribution needs at least one bin, not 0."),
    ([1.0], D(10), 10, "1.0 is not a number."),
])
def test_a_distribution_refuses_marks_outside_the_range_and_empty_bins(values, max_mark, bins, message):
    with pytest.raises(DomainError) as caught:
        am.percent_of_max_histogram(values, max_mark, bins)
    assert caught.value.message == message


def test_a_mark_as_a_percentage_of_the_max():
    assert am.percent_of_max(D("7.5"), D(10)) == 75
    assert about(am.percent_of_max(D(1), D(3)), D("33.333333333333333333333"))
    with pytest.raises(DomainError):
        am.percent_of_max(D(1), D(0))


# --- properties -------------------------------------------------------------------------------------------------

hundredths = st.integers(min_value=0, max_value=3000).map(lambda n: Decimal(n).scaleb(-2))
halves = st.integers(min_value=0, max_value=60).map(lambda n: Decimal(n) / 2)  # on finish()'s step, 0..30
judges_marks = st.lists(st.one_of(st.none(), halves), min_size=1, max_size=9)
agreeing_scores = st.integers(min_value=0, max_value=2).flatmap(
    lambda low: st.lists(st.integers(min_value=low, max_value=low + 1), min_size=3, max_size=3))
maxima = st.integers(min_value=1, max_value=4000).map(lambda n: Decimal(n).scaleb(-2))


@PROPERTY
@given(st.lists(halves, min_size=1, max_size=9).flatmap(lambda ms: st.tuples(st.just(ms), st.permutations(ms))),
       st.sampled_from([(m.MEAN, 0), (m.TRIMMED_MEAN, 1)]))
def test_aggregation_is_permutation_invariant(pair, method_trim):
    marks, shuffled = pair
    method, trim = method_trim
    if method == m.TRIMMED_MEAN and len(marks) < 3:
        marks, shuffled = [*marks, D(1), D(2)], [D(2), *shuffled, D(1)]
    assert am.aggregate_judgement(finish(), marks, method, trim) == am.aggregate_judgement(finish(), shuffled, method,
                                                                                           trim)


@PROPERTY
@given(agreeing_scores.flatmap(lambda s: st.tuples(st.just(s), st.permutations(s))), maxima)
def test_worldskills_aggregation_is_permutation_invariant_and_within_0_and_the_max(pair, max_mark):
    scores, shuffled = pair
    aspect = Aspect("B2.1", "x", max_mark, m.JUDGEMENT)
    mark = am.aggregate_judgement(aspect, scores, m.WORLDSKILLS)
    assert mark == am.aggregate_judgement(aspect, shuffled, m.WORLDSKILLS)
    assert mark is not None and 0 <= mark <= max_mark


@PROPERTY
@given(st.lists(st.integers(min_value=0, max_value=3), min_size=3, max_size=3))
def test_worldskills_scores_are_refused_exactly_when_two_are_more_than_1_apart(scores):
    if max(scores) - min(scores) > 1:
        with pytest.raises(DomainError, match="re-score required"):
            am.aggregate_judgement(finish(), scores, m.WORLDSKILLS)
    else:
        assert about(am.aggregate_judgement(finish(), scores, m.WORLDSKILLS), D(sum(scores)) * 30 / 9)


@PROPERTY
@given(st.lists(hundredths, min_size=1, max_size=12), st.integers(min_value=0, max_value=5))
def test_a_trimmed_mean_lies_between_the_lowest_and_the_highest_mark(marks, trim):
    if len(marks) < 2 * trim + 1:
        with pytest.raises(DomainError):
            am.trimmed_mean(marks, trim)
    else:
        assert min(marks) <= am.trimmed_mean(marks, trim) <= max(marks)


@PROPERTY
@given(judges_marks)
def test_absent_judges_change_nothing(marks):
    present = [x for x in marks if x is not None]
    assert am.aggregate_judgement(finish(), marks, m.MEAN) == (am.mean(present) if present else None)


@PROPERTY
@given(st.decimals(min_value=-1, max_value=1, places=3), st.decimals(min_value=-1, max_value=1, places=3))
def test_a_tolerance_mark_never_exceeds_the_max_and_a_larger_miss_never_earns_more(a, b):
    mark_a, mark_b = am.tolerance_mark(bore(), a), am.tolerance_mark(bore(), b)
    assert 0 <= mark_a <= bore().max_mark
    if abs(a) <= abs(b):
        assert mark_a >= mark_b


@PROPERTY
@given(st.dictionaries(st.sampled_from(["scratch", "burr"]), st.integers(min_value=0, max_value=30)),
       st.sampled_from(["scratch", "burr"]))
def test_a_deduction_mark_stays_within_0_and_the_max_and_a_further_fault_never_raises_it(faults, extra):
    mark = am.deduction_mark(surface(), faults)
    assert 0 <= mark <= surface().max_mark
    more = {**faults, extra: faults.get(extra, 0) + 1}
    assert am.deduction_mark(surface(), more) <= mark


@PROPERTY
@given(st.fixed_dictionaries({
    "A1.1": st.one_of(st.none(), st.decimals(min_value=-1, max_value=1, places=3)),
    "A1.2": st.one_of(st.none(), st.booleans()),
    "A2.1": st.one_of(st.none(), st.dictionaries(st.sampled_from(["scratch", "burr"]), st.integers(0, 30))),
    "A2.2": st.one_of(st.none(), st.integers(min_value=0, max_value=30).map(lambda n: Decimal(n) / 2)),
    "B1.1": judges_marks, "B1.2": judges_marks,
}), st.sampled_from([(m.MEAN, 0), (m.TRIMMED_MEAN, 1), (m.TRIMMED_MEAN, 2)]))
def test_no_mark_ever_exceeds_its_max_and_the_total_never_exceeds_the_schemes(inputs, method_trim):
    method, trim = method_trim
    scheme = lathe_scheme(judgement_method=method, trim=trim)
    try:
        result = sc.score_sheet(scheme, inputs)
    except DomainError as error:  # only a trimmed mean with too few marks may be refused
        assert "needs at least" in error.message
        return
    maxima_by_code = {a.code: a.max_mark for a in scheme.aspects()}
    for section in result.sections:
        for criterion in section.criteria:
            for aspect in criterion.aspects:
                assert aspect.raw is None or 0 <= aspect.raw <= maxima_by_code[aspect.code]
                assert aspect.mark is None or 0 <= aspect.mark <= maxima_by_code[aspect.code]
    assert result.total is None or 0 <= result.total <= 100
    assert (result.total is None) == bool(result.missing)


@PROPERTY
@given(st.lists(st.integers(min_value=0, max_value=1000), min_size=4, max_size=4),
       st.sampled_from(list(m.ROUNDING_MODES)))
def test_rounding_levels_agree_when_no_rounding_occurs(marks, mode):
    """Direct marks in hundredths need no rounding at two places, so every level gives the exact sum."""
    aspects = [Aspect(f"C{i}.1", "x", D(10), m.DIRECT) for i in range(4)]
    inputs = {a.code: Decimal(n).scaleb(-2) for a, n in zip(aspects, marks, strict=True)}
    totals = set()
    for level in m.ROUNDING_LEVELS:
        scheme = Scheme(sections=(
            Section("S1", "s", (Criterion("C0", "c", tuple(aspects[:2])), Criterion("C1", "c", (aspects[2],)))),
            Section("S2", "s", (Criterion("C2", "c", (aspects[3],)),))), rounding=Rounding(mode, 2, level))
        totals.add(sc.score_sheet(scheme, inputs).total)
    assert totals == {sum(inputs.values())}


@PROPERTY
@given(st.lists(st.lists(hundredths, min_size=2, max_size=3), min_size=1, max_size=6),
       st.sampled_from(list(m.ROUNDING_MODES)), st.integers(min_value=0, max_value=2),
       st.sampled_from(m.ROUNDING_LEVELS))
def test_the_official_total_fits_hundredths_and_adds_up_above_the_rounding_level(judged_marks, mode, places, level):
    aspects = tuple(Aspect(f"C.{i}", "x", D(30), m.JUDGEMENT, D("0.01")) for i in range(len(judged_marks)))
    scheme = Scheme(sections=(Section("S", "s", (Criterion("C", "c", aspects),)),),
                    rounding=Rounding(mode, places, level))
    result = sc.score_sheet(scheme, {a.code: marks for a, marks in zip(aspects, judged_marks, strict=True)})
    assert result.total is not None
    assert m.from_hundredths(m.to_hundredths(result.total)) == result.total
    assert result.total == Rounding(mode, places).quantize(result.total)
    criterion = result.sections[0].criteria[0]
    if level == "aspect":
        assert criterion.mark == sum(a.mark for a in criterion.aspects)
    else:
        assert criterion.mark == Rounding(mode, places).quantize(criterion.raw)
    assert result.total == result.sections[0].mark == criterion.mark


@PROPERTY
@given(hundredths, hundredths, st.integers(min_value=1, max_value=100), st.integers(min_value=1, max_value=100),
       st.integers(min_value=2, max_value=9))
def test_a_combined_total_lies_between_its_parts_and_scaling_the_weights_changes_nothing(theory, practical, tw, pw,
                                                                                         k):
    rounding = Rounding()
    total = sc.combine(theory, practical, tw, pw, rounding)
    assert rounding.quantize(min(theory, practical)) <= total <= rounding.quantize(max(theory, practical))
    assert sc.combine(theory, practical, tw * k, pw * k, rounding) == total


@PROPERTY
@given(st.integers(min_value=-10**9, max_value=10**9))
def test_hundredths_round_trip_exactly(n):
    assert m.to_hundredths(m.from_hundredths(n)) == n


@PROPERTY
@given(st.dictionaries(st.sampled_from(["wang", "li", "zhao", "sun"]),
                       st.dictionaries(st.sampled_from(["E1", "E2", "E3", "E4", "E5"]), st.one_of(st.none(), halves)),
                       min_size=1))
def test_judge_deviations_balance_out_across_the_panel(marks_by_judge):
    result = am.judge_deviation(marks_by_judge)
    assert set(result) == set(marks_by_judge)
    balance = sum((d.mean_signed * d.count for d in result.values() if d.count), Decimal(0))
    assert abs(balance) < Decimal("1E-20")
    for deviation in result.values():
        if deviation.count:
            assert deviation.mean_signed.copy_abs() <= deviation.mean_absolute


@PROPERTY
@given(st.lists(st.one_of(st.none(), hundredths)), st.integers(min_value=1, max_value=20))
def test_a_distribution_counts_every_marked_entry_once(values, bins):
    histogram = am.percent_of_max_histogram(values, D(30), bins)
    assert len(histogram) == bins
    assert sum(b.count for b in histogram) == sum(v is not None for v in values)
    assert histogram[0].lower == 0 and histogram[-1].upper == 100


def test_every_kind_method_and_rounding_setting_has_a_label_for_forms():
    assert set(m.KIND_LABELS) == set(m.ASPECT_KINDS)
    assert set(m.METHOD_LABELS) == set(m.JUDGEMENT_METHODS)
    assert set(m.ROUNDING_MODE_LABELS) == set(m.ROUNDING_MODES)
    assert set(m.ROUNDING_LEVEL_LABELS) == set(m.ROUNDING_LEVELS)
    assert str(m.METHOD_LABELS[m.WORLDSKILLS]) == "WorldSkills judgement (three judges, 0–3)"


def test_a_negative_trim_is_a_programming_error():
    with pytest.raises(ValueError):
        am.trimmed_mean([D(1)], -1)


def test_a_worldskills_scheme_marks_a_sheet_and_waits_for_the_third_judge():
    aspect = Aspect("B2.1", "Finish", D("4.5"), m.JUDGEMENT)
    scheme = one_aspect_scheme(aspect, judgement_method=m.WORLDSKILLS)
    m.validate_scheme(scheme, D("4.5"))
    assert sc.score_sheet(scheme, {"B2.1": {"j1": 2, "j2": 2, "j3": 3}}).total == D("3.50")
    assert sc.score_sheet(scheme, {"B2.1": {"j1": 2, "j2": 2, "j3": None}}).missing == ("B2.1",)
    with pytest.raises(DomainError) as caught:
        sc.score_sheet(scheme, {"B2.1": {"j1": 1, "j2": 3, "j3": None}})
    assert caught.value.code == "rescore_required"
