"""A sheet's score from its answers, recomputable from the record alone (`score(rubric, answers)`).

An answer is the plain value of one leaf item: a level's name (levels), True/False (yesno, veto), the points given
(points: 0 … the item's points, one decimal), a number of at least 0 (count, deduction, bonus). `read_answer` turns
what a form or the API sent into that value, or says what is wrong with it. The total:

    regular   = Σ scored items (each within 0 … its points)
    deducted  = Σ deduction items (each at most its cap)
    kept      = max(0, base + regular − deducted)          (deductions never take the result below 0)
    bonus     = min(bonus cap, Σ bonus items (each at most its own cap))
    total     = kept + bonus, then a veto that happened zeroes it or caps it (the strictest veto wins)

so a total never exceeds the maximum plus the bonus cap."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Final

from django.utils.translation import gettext as _

from .rubric import (
    BONUS,
    CAP_EFFECT,
    COUNT,
    COUNTED,
    DEDUCTION,
    LEVELS,
    ONE_PLACE,
    POINTS,
    VETO,
    YESNO,
    ZERO,
    Item,
    Rubric,
    walk,
)

Answer = str | bool | Decimal | None
CENT: Final = Decimal("0.01")
YES: Final = frozenset({"1", "true", "yes", "y", "on", "是", "有"})
NO: Final = frozenset({"0", "false", "no", "n", "off", "否", "无", ""})


@dataclass(frozen=True)
class Score:
    """A sheet's result: the points of every leaf item (deductions as points taken off), of every section, the
    parts of the total, and the vetoes that happened (their keys)."""

    total: Decimal
    regular: Decimal
    deducted: Decimal
    bonus: Decimal
    base: Decimal
    items: Mapping[str, Decimal]
    sections: Mapping[str, Decimal]
    vetoes: tuple[str, ...] = ()

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def item_points(item: Item, answer: Answer) -> Decimal:
    """The points one leaf item gives for `answer` (a deduction's points taken off as a positive number; a veto's
    0), never outside the item's bounds."""
    if answer is None:
        return ZERO
    if item.mode == LEVELS:
        return dict(item.levels).get(str(answer), ZERO)
    if item.mode == YESNO:
        return item.points if answer is True else ZERO
    if item.mode == POINTS and isinstance(answer, Decimal):
        return min(max(answer, ZERO), item.points)
    if item.mode in COUNTED and isinstance(answer, Decimal) and not isinstance(answer, bool):
        raw = max(answer, ZERO) * item.per_unit
        return min(raw, item.points if item.mode == COUNT else item.cap)
    return ZERO


def score(rubric: Rubric, answers: Mapping[str, Answer]) -> Score:
    """The result of a sheet whose leaf items were answered `answers` ({item key: value}; missing: no points)."""
    points: dict[str, Decimal] = {}
    sections: dict[str, Decimal] = {}
    regular = deducted = bonus = ZERO
    vetoes: list[str] = []
    for item in walk(rubric.items):
        if not item.is_leaf:
            continue
        answer = answers.get(item.key)
        p = item_points(item, answer)
        points[item.key] = q(p)
        if item.mode == DEDUCTION:
            deducted += p
        elif item.mode == BONUS:
            bonus += p
        elif item.mode == VETO:
            if answer is True:
                vetoes.append(item.key)
        else:
            regular += p

    def section_points(i: Item) -> Decimal:
        total = ZERO
        for c in i.children:
            if c.is_leaf:
                total += points[c.key] if c.mode not in (DEDUCTION, BONUS, VETO) else ZERO
            else:
                total += section_points(c)
        sections[i.key] = q(total)
        return total

    for top in rubric.items:
        if not top.is_leaf:
            section_points(top)
    bonus = min(bonus, rubric.bonus_cap)
    total = max(ZERO, rubric.base + regular - deducted) + bonus
    for key in vetoes:
        veto = rubric.item(key)
        total = min(total, veto.cap) if veto.effect == CAP_EFFECT else ZERO
    return Score(total=q(total), regular=q(regular), deducted=q(deducted), bonus=q(bonus), base=rubric.base,
                 items=points, sections=sections, vetoes=tuple(vetoes))


def read_answer(item: Item, raw: Any) -> tuple[Answer, str]:
    """(value, "") for what was sent for a leaf item, or (None, the message saying what is wrong)."""
    if item.mode == LEVELS:
        names = [n for n, _p in item.levels]
        if str(raw).strip() in names:
            return str(raw).strip(), ""
        return None, _("Choose one of the levels: %(levels)s.") % {"levels": "、".join(names)}
    if item.mode in (YESNO, VETO):
        if isinstance(raw, bool):
            return raw, ""
        text = str(raw if raw is not None else "").strip().lower()
        if text in YES:
            return True, ""
        if text in NO:
            return False, ""
        return None, _("Answer yes or no.")
    if item.mode == POINTS:
        if isinstance(raw, bool) or raw is None or str(raw).strip() == "":
            return None, _("Enter a number.")
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            return None, _("“%(value)s” is not a number.") % {"value": raw}
        if not value.is_finite() or not ZERO <= value <= item.points:
            return None, _("Give between 0 and %(points)s points.") % {"points": item.points}
        if value != value.quantize(ONE_PLACE):
            return None, _("Give the points with at most one decimal.")
        return value, ""
    if item.mode in COUNTED:
        if isinstance(raw, bool) or raw is None or str(raw).strip() == "":
            return None, _("Enter a number.")
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            return None, _("“%(value)s” is not a number.") % {"value": raw}
        if not value.is_finite() or value < 0:
            return None, _("Enter a number of at least 0.")
        if value != value.quantize(CENT):
            return None, _("Enter a number with at most two decimals.")
        return value, ""
    return None, _("A section is not answered itself.")


def encode(answer: Answer) -> Any:
    """An answer as JSON (a Decimal as text)."""
    return str(answer) if isinstance(answer, Decimal) else answer


def decode(item: Item, stored: Any) -> Answer:
    """An answer read back from JSON."""
    if stored is None:
        return None
    if item.mode in COUNTED or item.mode == POINTS:
        return Decimal(str(stored))
    if item.mode in (YESNO, VETO):
        return bool(stored)
    return str(stored)
