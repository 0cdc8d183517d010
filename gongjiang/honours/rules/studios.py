"""The yearly assessment of a studio (年度考核), pure: a rubric is a list of items, each with its maximum points and a
weight; the total is the weighted sum of the points given (one decimal), and the result is 优秀, 合格 or 不合格 by the
rubric's two thresholds. An adjustment by the assessing union must carry a reason. Two 不合格 in two consecutive years
make a studio due for suspension. Which union may recognise (命名) a studio of which level.

A simple weighted form: the assessments issue will replace it with its rubric engine, so everything the verbs need
to score is here, behind these few functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from .eligibility import Problem

EXCELLENT: Final = "excellent"
PASS: Final = "pass"
FAIL: Final = "fail"
ONE_PLACE: Final = Decimal("0.1")
# Which kind of union recognises (命名) a studio of each level: national studios are named by the national federation
# and registered here by the province; a provincial studio only by the province; a city studio by a city (or the
# province above it, which is "at or above" the level).
RECOGNISERS: Final[Mapping[str, frozenset[str]]] = {
    "national": frozenset({"province"}),
    "province": frozenset({"province"}),
    "city": frozenset({"city", "province"}),
}


@dataclass(frozen=True)
class Item:
    """One item of a rubric: its code, the most points it gives and its weight in the total."""

    code: str
    max_points: Decimal
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class Thresholds:
    """A total of at least `excellent` is 优秀, of at least `passing` 合格, below it 不合格."""

    excellent: Decimal
    passing: Decimal


def maximum(items: Sequence[Item]) -> Decimal:
    """The best total a rubric can give."""
    return sum((i.max_points * i.weight for i in items), Decimal(0)).quantize(ONE_PLACE, ROUND_HALF_UP)


def total(items: Sequence[Item], points: Mapping[str, Decimal]) -> Decimal:
    """The weighted sum of the points given (an item without points gives none), to one decimal."""
    return sum((points.get(i.code, Decimal(0)) * i.weight for i in items), Decimal(0)).quantize(ONE_PLACE,
                                                                                             ROUND_HALF_UP)


def result(score: Decimal, thresholds: Thresholds) -> str:
    if score >= thresholds.excellent:
        return EXCELLENT
    if score >= thresholds.passing:
        return PASS
    return FAIL


def points_problems(items: Sequence[Item], points: Mapping[str, Decimal]) -> list[Problem]:
    """Every item's points between 0 and its maximum, with at most one decimal; every item given, none unknown."""
    problems = []
    known = {i.code for i in items}
    for code in sorted(set(points) - known):
        problems.append(Problem("unknown_item", "items", {"item": code}))
    for i in items:
        p = points.get(i.code)
        if p is None:
            problems.append(Problem("missing_points", i.code, {"item": i.code}))
        elif p < 0 or p > i.max_points:
            problems.append(Problem("points_range", i.code, {"item": i.code, "max": i.max_points}))
        elif p != p.quantize(ONE_PLACE):
            problems.append(Problem("points_places", i.code, {"item": i.code}))
    return problems


def adjustment_problems(given: Mapping[str, Decimal], adjusted: Mapping[str, Decimal],
                        reasons: Mapping[str, str]) -> list[Problem]:
    """An item whose points the assessing union changes from the self-assessment needs a reason."""
    return [Problem("no_reason", code, {"item": code}) for code, p in sorted(adjusted.items())
            if given.get(code) != p and not (reasons.get(code) or "").strip()]


def threshold_problems(thresholds: Thresholds, best: Decimal) -> list[Problem]:
    """0 ≤ passing ≤ excellent ≤ the best total."""
    if not Decimal(0) <= thresholds.passing <= thresholds.excellent <= best:
        return [Problem("thresholds", "thresholds", {"max": best})]
    return []


def suspension_due(results: Mapping[int, str], year: int) -> bool:
    """Two 不合格 in a row: the year's result and the year before's (a year without a confirmed assessment breaks the
    run: a studio not assessed one year is not suspended for the year before it)."""
    return results.get(year) == FAIL and results.get(year - 1) == FAIL


def may_recognise(level: str, union_kind: str) -> bool:
    """Whether a union of `union_kind` (province, city, county…) recognises studios of `level`."""
    return union_kind in RECOGNISERS.get(level, frozenset())
