"""Pure marking rules of skills competitions: marking schemes, aspect kinds, judge aggregation, rounding, totals.

Modelled on WorldSkills CIS marking. A scheme is a tree of sections (模块) → criteria (评分项) → aspects (评分点);
every aspect has a maximum mark and a kind:

- measurement (测量分): `binary` (full mark or zero), `tolerance` (bands of the measured deviation give partial
  marks, outside every band gives zero), `deduction` (fixed deductions per fault, floored at zero);
- `judgement` (评价分): several judges' marks aggregated by the scheme's method (mean, trimmed mean, WorldSkills
  0–3 scoring);
- `direct`: one mark typed by a judge, checked against the range and the step.

Everything is `Decimal` computed in a fixed high-precision context (`_CTX`), so results never depend on the caller's
decimal context; rounding happens only where `Rounding` says, because official results depend on the order of
rounding. No ORM here: services turn rows into these dataclasses and store the results as integer hundredths
(`to_hundredths`), since ranking on integers is faster than on `numeric` (DESIGN §5).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import NamedTuple, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core.errors import DomainError

# Aspect kinds.
BINARY, TOLERANCE, DEDUCTION, JUDGEMENT, DIRECT = "binary", "tolerance", "deduction", "judgement", "direct"
MEASUREMENT_KINDS = (BINARY, TOLERANCE, DEDUCTION)
ASPECT_KINDS = (*MEASUREMENT_KINDS, JUDGEMENT, DIRECT)

# How a scheme aggregates the marks of several judges on a judgement aspect.
MEAN, TRIMMED_MEAN, WORLDSKILLS = "mean", "trimmed_mean", "worldskills"
JUDGEMENT_METHODS = (MEAN, TRIMMED_MEAN, WORLDSKILLS)
WORLDSKILLS_JUDGES = 3  # exactly three judges score each WorldSkills judgement aspect
WORLDSKILLS_TOP_SCORE = 3  # each scores a whole number 0–3; the aspect earns sum ÷ 9 × max mark
WORLDSKILLS_SPREAD = 1  # scores more than 1 apart must be re-scored

ROUNDING_MODES = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}
ROUNDING_LEVELS = ("aspect", "criterion", "total")

# Labels for forms, choices and messages (the models' TextChoices can reuse them).
KIND_LABELS = {
    BINARY: gettext_lazy("Measurement: full mark or zero"),
    TOLERANCE: gettext_lazy("Measurement: tolerance bands"),
    DEDUCTION: gettext_lazy("Measurement: deductions"),
    JUDGEMENT: gettext_lazy("Judgement by several judges"),
    DIRECT: gettext_lazy("Mark entered directly"),
}
METHOD_LABELS = {
    MEAN: gettext_lazy("Mean of the judges' marks"),
    TRIMMED_MEAN: gettext_lazy("Mean without the highest and lowest marks"),
    WORLDSKILLS: gettext_lazy("WorldSkills judgement (three judges, 0–3)"),
}
ROUNDING_MODE_LABELS = {
    "half_up": gettext_lazy("Round half up"),
    "half_even": gettext_lazy("Round half to even"),
    "down": gettext_lazy("Truncate"),
}
ROUNDING_LEVEL_LABELS = {
    "aspect": gettext_lazy("Round each aspect"),
    "criterion": gettext_lazy("Round each criterion"),
    "total": gettext_lazy("Round the total only"),
}
# Marks are stored as integer hundredths, so no official figure may carry more than two decimals.
MAX_PLACES = 2
HUNDREDTH = Decimal("0.01")

# Marks are small numbers: 60 digits keep every sum, product and quotient here far beyond any official precision.
_CTX = Context(prec=60, rounding=ROUND_HALF_EVEN)
_HEIGHT = {"aspect": 0, "criterion": 1, "section": 2, "total": 3}

K = TypeVar("K", bound=Hashable)
J = TypeVar("J", bound=Hashable)


def _fmt(value: Decimal | int) -> str:
    """A mark as a person writes it in a message: 7.50 → "7.5", 7.00 → "7", never an exponent."""
    return format(Decimal(value).normalize(_CTX), "f")


def _number(value: object, code: str | None = None, field: str = "mark") -> Decimal:
    """A mark from a form, the database or an import (`code`: the aspect it is for, named in the refusal). Floats
    are refused: 0.1 is not exact in binary, and an import must parse cells into Decimal first."""
    number = Decimal("NaN")
    if not isinstance(value, bool) and isinstance(value, Decimal | int | str):
        try:
            number = Decimal(value.strip() if isinstance(value, str) else value)
        except InvalidOperation:
            pass
    if not number.is_finite():
        if code is None:
            raise DomainError(_("%(value)s is not a number.") % {"value": value}, field=field)
        raise DomainError(_("The mark for %(aspect)s is not a number: %(value)s.") % {"aspect": code, "value": value},
                          field=code)
    return number


def _sum(values: Iterable[Decimal]) -> Decimal:
    """A sum in the module's context: `+` would round to the caller's context (28 digits by default)."""
    total = Decimal(0)
    for value in values:
        total = _CTX.add(total, value)
    return total


def _is_multiple(value: Decimal, step: Decimal) -> bool:
    return _CTX.remainder(value, step) == 0


def _decimals_ok(value: Decimal) -> bool:
    """Whether `value` fits integer hundredths exactly."""
    scaled = _CTX.scaleb(value, 2)
    return scaled == scaled.to_integral_value()


# ---------------------------------------------------------------------------------------------------------------
# The scheme
# ---------------------------------------------------------------------------------------------------------------


class Band(NamedTuple):
    """A tolerance band: an absolute measured deviation up to `upto` (inclusive) earns `mark`. Bands are listed
    from the narrowest; a deviation above the previous band's `upto` and up to this one falls in this band."""

    upto: Decimal
    mark: Decimal


class Deduction(NamedTuple):
    """A fault that costs a fixed positive `amount` each time it is recorded (e.g. "each scratch: 0.5")."""

    code: str
    amount: Decimal
    description: str = ""


@dataclass(frozen=True)
class Aspect:
    """One marked point (评分点). `step` is the smallest increment a judge may type (and the grain of band marks
    and deductions); it must divide `max_mark` and carry at most two decimals. `bands` belong to tolerance aspects
    only, `deductions` to deduction aspects only."""

    code: str
    description: str
    max_mark: Decimal
    kind: str = DIRECT
    step: Decimal = HUNDREDTH
    bands: tuple[Band, ...] = ()
    deductions: tuple[Deduction, ...] = ()


@dataclass(frozen=True)
class Criterion:
    """A criterion (评分项) groups aspects. `declared_max`, when given (as printed on a scheme, e.g. "A1 20分"),
    must equal the sum of its aspects' max marks."""

    code: str
    name: str
    aspects: tuple[Aspect, ...]
    declared_max: Decimal | None = None

    @property
    def max_mark(self) -> Decimal:
        return _sum(Decimal(a.max_mark) for a in self.aspects)


@dataclass(frozen=True)
class Section:
    """A section (模块) groups criteria; `declared_max` as for a criterion."""

    code: str
    name: str
    criteria: tuple[Criterion, ...]
    declared_max: Decimal | None = None

    @property
    def max_mark(self) -> Decimal:
        return _sum(c.max_mark for c in self.criteria)


@dataclass(frozen=True)
class Rounding:
    """How and where marks are rounded (explicit because official results depend on it).

    `level` = "aspect": every aspect mark is rounded, the sums are exact; "criterion": exact aspect marks are summed
    per criterion and each criterion is rounded; "total": only the practical total is rounded. `places` is at most 2
    so every official figure fits integer hundredths. Invalid settings are refused on construction."""

    mode: str = "half_up"
    places: int = 2
    level: str = "aspect"

    def __post_init__(self) -> None:
        if self.mode not in ROUNDING_MODES:
            raise DomainError(_("Unknown rounding mode %(mode)s.") % {"mode": self.mode}, field="rounding")
        if self.level not in ROUNDING_LEVELS:
            raise DomainError(_("Unknown rounding level %(level)s.") % {"level": self.level}, field="rounding")
        if isinstance(self.places, bool) or not isinstance(self.places, int) or not 0 <= self.places <= MAX_PLACES:
            raise DomainError(_("Marks are rounded to 0, 1 or 2 decimals, not %(places)s.") % {"places": self.places},
                              field="rounding")

    def quantize(self, value: Decimal) -> Decimal:
        """`value` rounded to `places` decimals with `mode` (the level is the caller's business)."""
        return Decimal(value).quantize(Decimal(1).scaleb(-self.places), rounding=ROUNDING_MODES[self.mode],
                                       context=_CTX)


@dataclass(frozen=True)
class Scheme:
    """A marking scheme (评分标准) of one event. `judgement_method` aggregates the judges' marks of every judgement
    aspect; `trim` is the k of a trimmed mean (drop the k highest and k lowest) and must be 0 otherwise."""

    sections: tuple[Section, ...]
    rounding: Rounding = Rounding()
    judgement_method: str = MEAN
    trim: int = 0

    @property
    def max_mark(self) -> Decimal:
        return _sum(s.max_mark for s in self.sections)

    def aspects(self) -> Iterator[Aspect]:
        for section in self.sections:
            for criterion in section.criteria:
                yield from criterion.aspects


def _aspect_problems(aspect: Aspect) -> list[tuple[str, str]]:
    code = aspect.code
    problems: list[tuple[str, str]] = []

    def add(message: str) -> None:
        problems.append((code, message))

    if aspect.kind not in ASPECT_KINDS:
        add(_("Aspect %(aspect)s has an unknown kind %(kind)s.") % {"aspect": code, "kind": aspect.kind})
    max_mark, step = aspect.max_mark, aspect.step
    if not _is_finite_number(max_mark) or not _is_finite_number(step):
        add(_("The maximum mark and the step of %(aspect)s must be numbers.") % {"aspect": code})
        return problems
    if max_mark <= 0:
        add(_("The maximum mark of %(aspect)s must be above zero, not %(max)s.") % {"aspect": code,
                                                                                     "max": _fmt(max_mark)})
    if step <= 0:
        add(_("The step of %(aspect)s must be above zero, not %(step)s.") % {"aspect": code, "step": _fmt(step)})
        return problems
    if not _decimals_ok(step):
        add(_("The step of %(aspect)s has more than two decimals: %(step)s.") % {"aspect": code, "step": _fmt(step)})
        return problems
    if max_mark > 0 and not _is_multiple(max_mark, step):
        add(_("The maximum mark %(max)s of %(aspect)s is not a multiple of its step %(step)s.") % {
            "aspect": code, "max": _fmt(max_mark), "step": _fmt(step)})
    if aspect.bands and aspect.kind != TOLERANCE:
        add(_("Aspect %(aspect)s has tolerance bands but is not a tolerance aspect.") % {"aspect": code})
    if aspect.deductions and aspect.kind != DEDUCTION:
        add(_("Aspect %(aspect)s has deduction items but is not a deduction aspect.") % {"aspect": code})
    if aspect.kind == TOLERANCE:
        problems.extend((code, m) for m in _band_problems(aspect))
    if aspect.kind == DEDUCTION:
        problems.extend((code, m) for m in _deduction_problems(aspect))
    return problems


def _is_finite_number(value: object) -> bool:
    return not isinstance(value, bool) and isinstance(value, Decimal | int) and Decimal(value).is_finite()


def _band_problems(aspect: Aspect) -> list[str]:
    code, max_mark = aspect.code, aspect.max_mark
    if not aspect.bands:
        return [_("Tolerance aspect %(aspect)s has no bands.") % {"aspect": code}]
    problems: list[str] = []
    previous: Band | None = None
    for upto, mark in aspect.bands:
        if not _is_finite_number(upto) or not _is_finite_number(mark):
            problems.append(_("A tolerance band of %(aspect)s is not a pair of numbers.") % {"aspect": code})
            return problems
        names = {"aspect": code, "upto": _fmt(upto), "mark": _fmt(mark), "max": _fmt(max_mark)}
        if upto < 0:
            problems.append(_("A tolerance band of %(aspect)s ends at a negative deviation %(upto)s.") % names)
        if previous is not None and upto <= previous.upto:
            problems.append(_("The tolerance bands of %(aspect)s overlap or are not in increasing order of "
                              "deviation (%(upto)s after %(previous)s).") % {**names, "previous": _fmt(previous.upto)})
        if mark < 0:
            problems.append(_("The tolerance band up to %(upto)s of %(aspect)s gives a negative mark %(mark)s.")
                            % names)
        elif mark > max_mark:
            problems.append(_("The tolerance band up to %(upto)s of %(aspect)s gives %(mark)s, more than the "
                              "maximum %(max)s.") % names)
        elif not _is_multiple(mark, aspect.step):
            problems.append(_("The tolerance band up to %(upto)s of %(aspect)s gives %(mark)s, not a multiple of "
                              "the step %(step)s.") % {**names, "step": _fmt(aspect.step)})
        if previous is not None and mark > previous.mark:
            problems.append(_("The tolerance band up to %(upto)s of %(aspect)s gives more than a narrower band.")
                            % names)
        previous = Band(Decimal(upto), Decimal(mark))
    first_mark = aspect.bands[0][1]
    if _is_finite_number(first_mark) and first_mark != max_mark:
        problems.append(_("The narrowest tolerance band of %(aspect)s must give the full mark %(max)s, not "
                          "%(mark)s.") % {"aspect": code, "max": _fmt(max_mark), "mark": _fmt(first_mark)})
    return problems


def _deduction_problems(aspect: Aspect) -> list[str]:
    code = aspect.code
    if not aspect.deductions:
        return [_("Deduction aspect %(aspect)s has no deduction items.") % {"aspect": code}]
    problems: list[str] = []
    seen: set[str] = set()
    for item in aspect.deductions:
        names = {"aspect": code, "item": item.code}
        if item.code in seen:
            problems.append(_("Deduction item %(item)s of %(aspect)s is listed twice.") % names)
        seen.add(item.code)
        if not _is_finite_number(item.amount) or item.amount <= 0:
            problems.append(_("Deduction item %(item)s of %(aspect)s must deduct a positive amount, not "
                              "%(amount)s.") % {**names, "amount": item.amount})
        elif not _is_multiple(item.amount, aspect.step):
            problems.append(_("Deduction item %(item)s of %(aspect)s deducts %(amount)s, not a multiple of the "
                              "step %(step)s.") % {**names, "amount": _fmt(item.amount), "step": _fmt(aspect.step)})
    return problems


def _method_problems(scheme: Scheme) -> list[str]:
    method, trim = scheme.judgement_method, scheme.trim
    if method not in JUDGEMENT_METHODS:
        return [_("Unknown judgement method %(method)s.") % {"method": method}]
    if isinstance(trim, bool) or not isinstance(trim, int) or trim < 0:
        return [_("The number of marks trimmed must be a whole number, not %(trim)s.") % {"trim": trim}]
    if method == TRIMMED_MEAN and trim < 1:
        return [_("A trimmed mean drops at least the highest and the lowest mark: set the trim to 1 or more.")]
    if method == WORLDSKILLS and trim != 0:
        return [_("WorldSkills judgement takes the three judges' scores as they are: the trim must be 0, not "
                  "%(trim)s.") % {"trim": trim}]
    if method == MEAN and trim != 0:
        return [_("A plain mean trims nothing: the trim must be 0, not %(trim)s.") % {"trim": trim}]
    return []


def scheme_problems(scheme: Scheme, expected_total: Decimal | None = None) -> list[tuple[str, str]]:
    """Every problem of `scheme` as (code of the item, message); "scheme" for the scheme itself. An import shows
    them all at once; `validate_scheme` raises on them."""
    problems: list[tuple[str, str]] = [("scheme", m) for m in _method_problems(scheme)]
    if not scheme.sections:
        problems.append(("scheme", _("The marking scheme has no sections.")))
    seen: set[str] = set()

    def check_code(code: str) -> None:
        if not isinstance(code, str) or not code.strip():
            problems.append(("scheme", _("An item of the marking scheme has no code.")))
        elif code in seen:
            problems.append((code, _("The code %(code)s is used more than once in the marking scheme.")
                             % {"code": code}))
        seen.add(code)

    def check_declared(code: str, declared: Decimal | None, actual: Decimal) -> None:
        if declared is not None and declared != actual:
            problems.append((code, _("The aspects of %(code)s add up to %(actual)s, not the %(declared)s stated.")
                             % {"code": code, "actual": _fmt(actual), "declared": _fmt(declared)}))

    for section in scheme.sections:
        check_code(section.code)
        if not section.criteria:
            problems.append((section.code, _("Section %(code)s has no criteria.") % {"code": section.code}))
        for criterion in section.criteria:
            check_code(criterion.code)
            if not criterion.aspects:
                problems.append((criterion.code, _("Criterion %(code)s has no aspects.") % {"code": criterion.code}))
            for aspect in criterion.aspects:
                check_code(aspect.code)
                problems.extend(_aspect_problems(aspect))
            if all(_is_finite_number(a.max_mark) for a in criterion.aspects):
                check_declared(criterion.code, criterion.declared_max, criterion.max_mark)
        if all(_is_finite_number(a.max_mark) for c in section.criteria for a in c.aspects):
            check_declared(section.code, section.declared_max, section.max_mark)
    if expected_total is not None and all(_is_finite_number(a.max_mark) for a in scheme.aspects()):
        total = scheme.max_mark
        if total != expected_total:
            problems.append(("scheme", _("The weights do not add up: the aspects' maximum marks total %(total)s, "
                                         "not %(expected)s.") % {"total": _fmt(total),
                                                                  "expected": _fmt(expected_total)}))
    return problems


def validate_scheme(scheme: Scheme, expected_total: Decimal | None = None) -> None:
    """Refuse a scheme that cannot be marked: the first problem is the message, all of them are in `errors`
    (keyed by item code, first problem per code)."""
    problems = scheme_problems(scheme, expected_total)
    if problems:
        errors: dict[str, str] = {}
        for code, message in problems:
            errors.setdefault(code, message)
        raise DomainError(problems[0][1], errors=errors)


# ---------------------------------------------------------------------------------------------------------------
# Marks of one aspect
# ---------------------------------------------------------------------------------------------------------------


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


def validate_worldskills_score(aspect: Aspect, value: Decimal | int | str) -> int:
    """One judge's WorldSkills judgement score: a whole number 0–3."""
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
        scores = [validate_worldskills_score(aspect, v) for v in present]  # type: ignore[arg-type]
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
# A score sheet: aspect marks, subtotals and the practical total
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AspectResult:
    """`raw` is exact; `mark` is `raw` rounded by the scheme's rounding (official only at level "aspect")."""

    code: str
    raw: Decimal | None
    mark: Decimal | None


@dataclass(frozen=True)
class CriterionResult:
    code: str
    raw: Decimal | None
    mark: Decimal | None
    aspects: tuple[AspectResult, ...]


@dataclass(frozen=True)
class SectionResult:
    code: str
    raw: Decimal | None
    mark: Decimal | None
    criteria: tuple[CriterionResult, ...]


@dataclass(frozen=True)
class SheetResult:
    """A contestant's practical result under one scheme.

    At every node `raw` is the exact sum and `mark` the figure to show and store. Above the rounding level a node's
    mark is the exact sum of its children's marks (so the printed sheet adds up); at or below the level it is the
    node's own raw value rounded (below the level that rounding is for display only). Any unmarked aspect makes
    its criterion, section and the total None, and is listed in `missing`."""

    sections: tuple[SectionResult, ...]
    raw: Decimal | None
    total: Decimal | None
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    def require_complete(self) -> Decimal:
        """The total, or a refusal naming the aspects not marked yet."""
        if self.total is None:
            raise DomainError(_("Not every aspect is marked yet: %(codes)s.") % {"codes": ", ".join(self.missing)},
                              code="incomplete")
        return self.total

    def marks(self) -> dict[str, Decimal | None]:
        """Every node's mark by code (sections, criteria and aspects share one code space)."""
        out: dict[str, Decimal | None] = {}
        for section in self.sections:
            out[section.code] = section.mark
            for criterion in section.criteria:
                out[criterion.code] = criterion.mark
                for aspect in criterion.aspects:
                    out[aspect.code] = aspect.mark
        return out


def _sum_node(children: Sequence[AspectResult | CriterionResult | SectionResult], height: int,
              rounding: Rounding) -> tuple[Decimal | None, Decimal | None]:
    """(raw, mark) of a node `height` levels above the aspects, from its children."""
    if any(child.raw is None for child in children):
        return None, None
    raw = _sum(child.raw for child in children)  # type: ignore[misc]
    if height > _HEIGHT[rounding.level]:
        return raw, _sum(child.mark for child in children)  # type: ignore[misc]
    return raw, rounding.quantize(raw)


def score_sheet(scheme: Scheme, inputs: Mapping[str, object]) -> SheetResult:
    """Aspect marks, criterion and section subtotals and the practical total of one entry.

    `inputs` maps aspect codes to inputs (see `score_aspect`); a missing code means not marked yet. A code that is
    not an aspect of the scheme is refused. The scheme is assumed valid (`validate_scheme` when it is saved)."""
    aspect_codes = {a.code for a in scheme.aspects()}
    unknown = sorted(str(code) for code in inputs if code not in aspect_codes)
    if unknown:
        raise DomainError(_("The marking scheme has no aspect %(codes)s.") % {"codes": ", ".join(unknown)},
                          field=unknown[0])
    rounding = scheme.rounding
    missing: list[str] = []
    sections: list[SectionResult] = []
    for section in scheme.sections:
        criteria: list[CriterionResult] = []
        for criterion in section.criteria:
            aspects: list[AspectResult] = []
            for aspect in criterion.aspects:
                raw = score_aspect(scheme, aspect, inputs.get(aspect.code))
                if raw is None:
                    missing.append(aspect.code)
                aspects.append(AspectResult(aspect.code, raw, None if raw is None else rounding.quantize(raw)))
            criteria.append(CriterionResult(criterion.code, *_sum_node(aspects, 1, rounding), tuple(aspects)))
        sections.append(SectionResult(section.code, *_sum_node(criteria, 2, rounding), tuple(criteria)))
    raw, total = _sum_node(sections, 3, rounding)
    return SheetResult(tuple(sections), raw, total, tuple(missing))


def combine(theory: Decimal, practical: Decimal, theory_weight: int, practical_weight: int,
            rounding: Rounding) -> Decimal:
    """The final total: (theory × tw + practical × pw) ÷ (tw + pw), rounded (the rounding's level is ignored).

    Weights are positive whole numbers read as a ratio, so 30:70 and 3:7 give the same result; both scores must be
    on the same scale (normally out of 100), and the total is then on that scale too. An event without theory
    does not call this."""
    for weight in (theory_weight, practical_weight):
        if isinstance(weight, bool) or not isinstance(weight, int) or weight <= 0:
            raise DomainError(_("The theory and practical weights must be positive whole numbers (a ratio such as "
                                "3:7 or percentages such as 30:70), not %(weight)s.") % {"weight": weight},
                              field="weights")
    scores = []
    for name, value in (("theory", theory), ("practical", practical)):
        score = _number(value, field=name)
        if score < 0:
            raise DomainError(_("A score cannot be below zero: %(score)s.") % {"score": _fmt(score)}, field=name)
        scores.append(score)
    weighted = _CTX.add(_CTX.multiply(scores[0], Decimal(theory_weight)),
                        _CTX.multiply(scores[1], Decimal(practical_weight)))
    return rounding.quantize(_CTX.divide(weighted, Decimal(theory_weight + practical_weight)))


# ---------------------------------------------------------------------------------------------------------------
# Storage as integer hundredths
# ---------------------------------------------------------------------------------------------------------------


def to_hundredths(value: Decimal | int) -> int:
    """7.5 → 750. Refuses anything with more than two decimals rather than rounding silently: a mark must be
    rounded by the scheme's rules before it is stored."""
    number = _number(value)
    if not _decimals_ok(number):
        raise DomainError(_("%(value)s has more than two decimals; marks are kept to hundredths.")
                          % {"value": _fmt(number)}, field="mark")
    return int(_CTX.scaleb(number, 2))


def from_hundredths(value: int) -> Decimal:
    """750 → Decimal("7.50")."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"hundredths must be an int, not {type(value).__name__}")
    return _CTX.scaleb(Decimal(value), -2)


# ---------------------------------------------------------------------------------------------------------------
# Calibration and analysis
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
    count: int


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
