"""The hardship grade (困难类别) of a household from its members, causes and the local threshold (the monthly
per-capita minimum living standard), with every reason that led to it.

- per-capita income = the members' monthly incomes added up ÷ the number of members;
- 深度困难 (deep): per-capita income below the threshold AND a member seriously ill or severely disabled, or
  nobody in the household able to earn (no member employed);
- 相对困难 (relative): per-capita income below the threshold; or below `RELATIVE_FACTOR` × the threshold with a
  cause of hardship that weighs (illness, disability, children's schooling, single parent, unemployment);
- 意外致困 (sudden): otherwise, a disaster or accident (因灾) or a member's serious illness;
- none: the household is above the lines — it is not (or no longer) in hardship.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

RELATIVE_FACTOR = Decimal("1.5")
SEVERE_HEALTH = ("serious", "severely_disabled")
WEIGHING_CAUSES = ("illness", "disability", "schooling", "single_parent", "unemployment")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class MemberFacts:
    """What the grade reads of one member."""

    relation: str
    health: str
    work: str
    monthly_income: Decimal


@dataclass(frozen=True)
class Grading:
    grade: str  # "deep" | "relative" | "sudden" | ""
    per_capita: Decimal
    reasons: tuple[str, ...]


class IncomeError(ValueError):
    """An income that is not a non-negative amount of yuan; the message is Chinese."""


def read_income(value: object) -> Decimal:
    """A monthly income in yuan from a form, a sheet or JSON: a non-negative number with at most two decimals."""
    if isinstance(value, bool) or value is None:
        raise IncomeError(_("The monthly income must be a number of yuan."))
    text = str(value).strip().replace(",", "")
    if text == "":
        raise IncomeError(_("The monthly income must be a number of yuan."))
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise IncomeError(_("The monthly income must be a number of yuan.")) from None
    if not amount.is_finite():
        raise IncomeError(_("The monthly income must be a number of yuan."))
    if amount < 0:
        raise IncomeError(_("The monthly income cannot be negative."))
    if amount >= Decimal("100000000"):
        raise IncomeError(_("The monthly income is too large."))
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def per_capita(members: Sequence[MemberFacts]) -> Decimal:
    if not members:
        return Decimal("0.00")
    total = sum((m.monthly_income for m in members), Decimal(0))
    return (total / len(members)).quantize(CENT, rounding=ROUND_HALF_UP)


def grade(members: Sequence[MemberFacts], causes: Sequence[str], threshold: Decimal | None) -> Grading:
    """The grade with its reasons (Chinese sentences, in the order they were weighed)."""
    pc = per_capita(members)
    reasons: list[str] = []
    if threshold is None or threshold <= 0:
        return Grading("", pc, (_("No local threshold is set for this union or any union above it; the grade "
                                   "cannot be computed."),))
    severe = [m for m in members if m.health in SEVERE_HEALTH]
    earners = [m for m in members if m.work == "employed"]
    weighing = [c for c in causes if c in WEIGHING_CAUSES]
    params = {"pc": pc, "line": threshold, "n": len(members)}
    if pc < threshold:
        reasons.append(_("Per-capita monthly income %(pc)s yuan (%(n)d members) is below the local threshold "
                         "%(line)s yuan.") % params)
        if severe:
            reasons.append(_("%(n)d member(s) seriously ill or severely disabled.") % {"n": len(severe)})
        if not earners:
            reasons.append(_("No member of the household is employed."))
        return Grading("deep" if severe or not earners else "relative", pc, tuple(reasons))
    relative_line = (threshold * RELATIVE_FACTOR).quantize(CENT, rounding=ROUND_HALF_UP)
    if pc < relative_line and weighing:
        reasons.append(_("Per-capita monthly income %(pc)s yuan is below %(factor)s times the local threshold "
                         "(%(line)s yuan).") % {"pc": pc, "factor": RELATIVE_FACTOR, "line": relative_line})
        reasons.append(_("Causes of hardship: %(causes)s.") % {"causes": "、".join(_cause_label(c) for c in weighing)})
        return Grading("relative", pc, tuple(reasons))
    if "disaster" in causes or severe:
        reasons.append(_("Per-capita monthly income %(pc)s yuan is above the lines, but the household was hit by "
                         "a sudden event.") % {"pc": pc})
        if "disaster" in causes:
            reasons.append(_("A disaster or accident struck the household."))
        if severe:
            reasons.append(_("%(n)d member(s) seriously ill or severely disabled.") % {"n": len(severe)})
        return Grading("sudden", pc, tuple(reasons))
    reasons.append(_("Per-capita monthly income %(pc)s yuan is not below the local threshold %(line)s yuan and no "
                     "cause of hardship weighs: the household is not in hardship.") % params)
    return Grading("", pc, tuple(reasons))


def _cause_label(code: str) -> str:
    from ..choices import Cause

    return str(Cause(code).label) if code in Cause.values else code
