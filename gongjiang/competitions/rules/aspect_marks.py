"""Pure marking rules, the mark of one aspect: a mark typed for it (range and step), a measurement (binary,
tolerance bands, deductions), the judges' marks of a judgement aspect aggregated by the scheme's method (mean,
trimmed mean, WorldSkills 0–3 scoring), and how judges' marks read back — each judge's deviation from the
panel (calibration) and the distribution of an aspect's marks as % of its max (where contestants are weak).

The scheme these apply is in `marking`; a whole sheet is scored by `scoring`. Computed in `marking`'s fixed
decimal context, unrounded (rounding is the scheme's business). No ORM here."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, TypeVar

from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError

from .marking import (
    _CTX,
    BINARY,
    DEDUCTION,
    DIRECT,
    JUDGEMENT,
    KIND_LABELS,
    MEAN,
    TOLERANCE,
    TRIMMED_MEAN,
    WORLDSKILLS,
    WORLDSKILLS_JUDGES,
    WORLDSKILLS_SPREAD,
    WORLDSKILLS_TOP_SCORE,
    Aspect,
    Scheme,
    _fmt,
    _is_multiple,
    _number,
    _sum,
    from_hundredths,
)

K = TypeVar("K", bound=Hashable)
J = TypeVar("J", bound=Hashable)


def validate_mark(aspect: Aspect, value: Decimal | int | str) -> Decimal:
    """A mark typed for `aspect` (direct entry, or one judge's mark under mean / trimmed mean): a number from 0 to
    the max mark on the aspect's step. Returns it as a Decimal."""
    mark = _number(value, aspect.code)
    names = {"aspect": aspect.code, "mark": _fmt(mark), "max": _fmt(aspect.max_mark), "step": _fmt(aspect.step)}
    if mark < 0:
        raise DomainError(_("The mark %(mark)s for %(aspect)s is below zero.") % names, field=aspect.code)
    if mark > aspect.max_mark:
        raise DomainError(_("The mark %(mark)s for %(aspect)s is above its maximum %(max)s.") % names,
                          field=aspect.code)
    if not _is_multiple(mark, aspect.step):
        raise DomainError(_("The mark %(mark)s for %(aspect)s is not a multiple of the step %(step)s.") % names,
                          field=aspect.code)
    return mark


def binary_mark(aspect: Aspect, achieved: bool) -> Decimal:
    """Full mark if the requirement is met, zero otherwise. Only a real bool is taken (a form's checkbox)."""
    if not isinstance(achieved, bool):
        raise _bad_input(aspect)
    return Decimal(aspect.max_mark) if achieved else Decimal(0)


def tolerance_mark(aspect: Aspect, deviation: Decimal | int | str) -> Decimal:
    """The mark of the first band whose `upto` covers the absolute measured deviation; zero outside every band.
    The sign is ignored: +0.03 mm and −0.03 mm are the same miss."""
    measured = _CTX.abs(_number(deviation, aspect.code))
    for upto, mark in aspect.bands:
        if measured <= upto:
            return Decimal(mark)
    return Decimal(0)


def deduction_mark(aspect: Aspect, faults: Mapping[str, int] | Sequence[str]) -> Decimal:
    """Max mark minus the recorded faults, never below zero. `faults` is {item code: count} or a list of item
    codes, one per occurrence; an empty one means "checked, no fault" (full mark)."""
    counts: dict[str, int] = {}
    if isinstance(faults, Mapping):
        counts = dict(faults)
    elif isinstance(faults, Sequence) and not isinstance(faults, str):
        for item in faults:
            counts[item] = counts.get(item, 0) + 1
    else:
        raise _bad_input(aspect)
    amounts = {item.code: Decimal(item.amount) for item in aspect.deductions}
    total = Decimal(0)
    for item_code, count in counts.items():
        if item_code not in amounts:
            raise DomainError(_("Aspect %(aspect)s has no deduction item %(item)s.") % {"aspect": aspect.code,
                                                                                       "item": item_code},
                              field=aspect.code)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise DomainError(_("The number of %(item)s faults for %(aspect)s must be a whole number, not "
                                "%(count)s.") % {"aspect": aspect.code, "item": item_code, "count": count},
                              field=aspect.code)
        total = _CTX.add(total, _CTX.multiply(amounts[item_code], Decimal(count)))
    return max(_CTX.subtract(Decimal(aspect.max_mark), total), Decimal(0))


def mean(marks: Sequence[Decimal]) -> Decimal:
    """The plain mean, unrounded (an empty list is the caller's error)."""
    if not marks:
        raise ValueError("mean of no marks")
    return _CTX.divide(_sum(marks), Decimal(len(marks)))


def trimmed_mean(marks: Sequence[Decimal], trim: int, code: str = "") -> Decimal:
    """Mean after dropping the `trim` highest and `trim` lowest marks, unrounded. Refused with fewer than
    2·trim + 1 marks present: at least one mark must remain after trimming, as the scheme promised."""
    if trim < 0:
        raise ValueError("trim must not be negative")
    needed = 2 * trim + 1
    if len(marks) < needed:
        raise DomainError(_("%(aspect)s: a mean dropping the %(k)s highest and %(k)s lowest marks needs at least "
                            "%(needed)s marks; %(count)s are present.") % {"aspect": code, "k": trim,
                                                                           "needed": needed, "count": len(marks)},
                          field=code or None)
    ordered = sorted(marks)
    return mean(ordered[trim:len(ordered) - trim])


def validate_worldskills_score(aspect: Aspect, value: object) -> int:
    """One judge's WorldSkills judgement score: a whole number 0–3 (anything else, None included, is refused)."""
    score = _number(value, aspect.code)
    if score != score.to_integral_value() or not 0 <= score <= WORLDSKILLS_TOP_SCORE:
        raise DomainError(_("%(aspect)s: a WorldSkills judgement score is a whole number from 0 to 3, not "
                            "%(score)s.") % {"aspect": aspect.code, "score": _fmt(score)}, field=aspect.code)
    return int(score)


def check_worldskills_agreement(aspect: Aspect, scores: Sequence[int]) -> None:
    """Refuse scores more than 1 apart (the entry waits until the judges re-score). Works on a partial set too,
    so the second judge's save is refused at once rather than at the third."""
    if scores and max(scores) - min(scores) > WORLDSKILLS_SPREAD:
        raise DomainError(_("%(aspect)s: the judges' scores %(scores)s are more than 1 apart; re-score required.")
                          % {"aspect": aspect.code, "scores": ", ".join(str(s) for s in scores)},
                          field=aspect.code, code="rescore_required")


def _worldskills_count_error(aspect: Aspect, count: int) -> DomainError:
    return DomainError(_("%(aspect)s: WorldSkills judgement takes exactly three judges' scores; %(count)s were "
                         "given.") % {"aspect": aspect.code, "count": count}, field=aspect.code)


def worldskills_mark(aspect: Aspect, scores: Sequence[int]) -> Decimal:
    """Sum of the three scores ÷ 9 × max mark, unrounded (multiplied first so 9 of 9 gives the max exactly)."""
    if len(scores) != WORLDSKILLS_JUDGES:
        raise _worldskills_count_error(aspect, len(scores))
    check_worldskills_agreement(aspect, scores)
    top = WORLDSKILLS_JUDGES * WORLDSKILLS_TOP_SCORE
    return _CTX.divide(_CTX.multiply(Decimal(sum(scores)), Decimal(aspect.max_mark)), Decimal(top))


def aggregate_judgement(aspect: Aspect, marks: Sequence[Decimal | int | str | None] | Mapping[Hashable, object],
                        method: str, trim: int = 0) -> Decimal | None:
    """The aspect mark from several judges' marks (a list, or {judge: mark}). An absent judge (None) is left out,
    never counted as zero. Returns None — incomplete — when no mark is present, or, under WorldSkills, while fewer
    than three scores are in (present ones are still checked: range and agreement). Refuses a trimmed mean with
    too few marks and more than three WorldSkills scores."""
    values = list(marks.values()) if isinstance(marks, Mapping) else list(marks)
    present = [v for v in values if v is not None]
    if method == WORLDSKILLS:
        scores = [validate_worldskills_score(aspect, v) for v in present]
        if len(scores) > WORLDSKILLS_JUDGES:
            raise _worldskills_count_error(aspect, len(scores))
        check_worldskills_agreement(aspect, scores)
        return worldskills_mark(aspect, scores) if len(scores) == WORLDSKILLS_JUDGES else None
    checked = [validate_mark(aspect, v) for v in present]  # type: ignore[arg-type]
    if method not in (MEAN, TRIMMED_MEAN):
        raise DomainError(_("Unknown judgement method %(method)s.") % {"method": method}, field=aspect.code)
    if not checked:
        return None
    return mean(checked) if method == MEAN else trimmed_mean(checked, trim, aspect.code)


def _bad_input(aspect: Aspect) -> DomainError:
    kind = KIND_LABELS.get(aspect.kind, aspect.kind)
    return DomainError(_("The input for %(aspect)s does not fit its kind (%(kind)s).") % {"aspect": aspect.code,
                                                                                         "kind": kind},
                       field=aspect.code)


def score_aspect(scheme: Scheme, aspect: Aspect, value: object) -> Decimal | None:
    """The unrounded mark of one aspect from its input, or None if not marked yet.

    Inputs by kind: binary → bool; tolerance → measured deviation; deduction → {item: count} or [item, ...];
    judgement → the judges' marks (list or {judge: mark}, None for an absent judge); direct → the mark."""
    if value is None:
        return None
    if aspect.kind == BINARY:
        return binary_mark(aspect, value)  # type: ignore[arg-type]
    if aspect.kind == TOLERANCE:
        return tolerance_mark(aspect, value)  # type: ignore[arg-type]
    if aspect.kind == DEDUCTION:
        return deduction_mark(aspect, value)  # type: ignore[arg-type]
    if aspect.kind == JUDGEMENT:
        if not isinstance(value, Mapping | Sequence) or isinstance(value, str):
            raise _bad_input(aspect)
        return aggregate_judgement(aspect, value, scheme.judgement_method, scheme.trim)
    if aspect.kind == DIRECT:
        return validate_mark(aspect, value)  # type: ignore[arg-type]
    raise _bad_input(aspect)


# ---------------------------------------------------------------------------------------------------------------
# Calibration and analysis: judges' marks read back
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgeDeviation:
    """How one judge marks against the panel on the items they share with at least one other judge: `count`
    items, mean signed deviation (positive = more generous), mean absolute deviation; None without shared items."""

    count: int
    mean_signed: Decimal | None
    mean_absolute: Decimal | None


def judge_deviation(marks_by_judge: Mapping[J, Mapping[K, Decimal | int | None]]) -> dict[J, JudgeDeviation]:
    """Each judge's deviation from the panel mean (the mean of every judge's mark on the same item, the judge
    included). Items marked by one judge only are left out (nothing to compare with); None marks are absent.
    Deviations are in points and unrounded; pass marks as % of max to compare aspects of different weights."""
    by_item: dict[K, list[Decimal]] = {}
    clean: dict[J, dict[K, Decimal]] = {}
    for judge, marks in marks_by_judge.items():
        clean[judge] = {}
        for item, mark in marks.items():
            if mark is None:
                continue
            value = _number(mark)
            clean[judge][item] = value
            by_item.setdefault(item, []).append(value)
    panel = {item: mean(values) for item, values in by_item.items() if len(values) >= 2}
    result: dict[J, JudgeDeviation] = {}
    for judge, marks in clean.items():
        deviations = [_CTX.subtract(mark, panel[item]) for item, mark in marks.items() if item in panel]
        if not deviations:
            result[judge] = JudgeDeviation(0, None, None)
            continue
        result[judge] = JudgeDeviation(len(deviations), mean(deviations), mean([_CTX.abs(d) for d in deviations]))
    return result


class HistogramBin(NamedTuple):
    """Marks from `lower` % (inclusive) to `upper` % of the max (exclusive, except the last bin, which holds 100 %)."""

    lower: Decimal
    upper: Decimal
    count: int  # type: ignore[assignment]  # the field hides tuple.count, which nobody calls on a bin


def percent_of_max(value: Decimal | int, max_mark: Decimal | int) -> Decimal:
    """A mark as a percentage of its aspect's max, unrounded."""
    if Decimal(max_mark) <= 0:
        raise DomainError(_("The maximum mark must be above zero, not %(max)s.") % {"max": _fmt(max_mark)},
                          field="max_mark")
    return _CTX.divide(_CTX.multiply(Decimal(value), Decimal(100)), Decimal(max_mark))


def percent_of_max_histogram(values: Iterable[Decimal | int | None], max_mark: Decimal | int,
                             bins: int = 10) -> tuple[HistogramBin, ...]:
    """The distribution of one aspect's marks across entrants as % of its max, in `bins` equal bins, to show where
    contestants are weak. None (not marked) is skipped; a mark outside 0..max is refused."""
    if isinstance(bins, bool) or not isinstance(bins, int) or bins < 1:
        raise DomainError(_("A distribution needs at least one bin, not %(bins)s.") % {"bins": bins}, field="bins")
    top = _number(max_mark, field="max_mark")
    if top <= 0:
        raise DomainError(_("The maximum mark must be above zero, not %(max)s.") % {"max": _fmt(top)},
                          field="max_mark")
    counts = [0] * bins
    for value in values:
        if value is None:
            continue
        mark = _number(value)
        if not 0 <= mark <= top:
            raise DomainError(_("The mark %(mark)s is outside 0 to %(max)s.") % {"mark": _fmt(mark), "max": _fmt(top)},
                              field="mark")
        index = int(_CTX.divide_int(_CTX.multiply(mark, Decimal(bins)), top))
        counts[min(index, bins - 1)] += 1
    edges = [_CTX.divide(Decimal(100 * i), Decimal(bins)) for i in range(bins + 1)]  # exact 0 and 100 at the ends
    return tuple(HistogramBin(edges[i], edges[i + 1], count) for i, count in enumerate(counts))


def judge_points(value: int, max_mark: int, worldskills: bool) -> Decimal:
    """What one judge's stored value is worth in points: the mark itself, or for a WorldSkills score the
    score's share of the max (score ÷ 3 × max), which is what three equal scores would give."""
    if worldskills:
        return from_hundredths(value) * from_hundredths(max_mark) / WORLDSKILLS_TOP_SCORE
    return from_hundredths(value)
