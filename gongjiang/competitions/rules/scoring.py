"""Pure marking rules, a whole score sheet: every aspect's mark from its input (`aspect_marks.score_aspect`),
rounded where the scheme's `Rounding` says, the criterion and section subtotals and the practical total — and
the final total combining the theory and practical scores by their weights. No ORM here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError

from .aspect_marks import score_aspect
from .marking import _CTX, Rounding, Scheme, _fmt, _number, _sum

_HEIGHT = {"aspect": 0, "criterion": 1, "section": 2, "total": 3}


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
