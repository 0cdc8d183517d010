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

Split by topic: this module holds the scheme (its kinds, methods, rounding and dataclasses), its validation and
the storage as integer hundredths; `aspect_marks` the mark of one aspect (typed, measured, aggregated over the
judges) and how judges' marks read back (calibration, distributions); `scoring` a whole score sheet (subtotals
and the practical total) and the final total with the theory score.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import NamedTuple

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
