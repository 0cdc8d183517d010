"""Grades (优秀/良好/合格/不合格 by the rubric's thresholds), star grades (一星 … 五星, valid for some years, as for
星级职工之家) and rankings with ties (1, 2, 2, 4)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final, TypeVar

EXCELLENT: Final = "excellent"
GOOD: Final = "good"
PASS: Final = "pass"
FAIL: Final = "fail"

K = TypeVar("K")


def grade(total: Decimal, thresholds: Mapping[str, Decimal], *, vetoed: bool = False) -> str:
    """excellent, good, pass or fail: the best grade whose threshold `total` reaches; a vetoed sheet fails ("" when
    the rubric gives no grades)."""
    if not thresholds:
        return ""
    if vetoed:
        return FAIL
    for key in (EXCELLENT, GOOD, PASS):
        if key in thresholds and total >= thresholds[key]:
            return key
    return FAIL


def stars(total: Decimal, thresholds: Sequence[Decimal], *, vetoed: bool = False) -> int:
    """How many stars (0 … 5) a total earns: the most whose threshold it reaches; none when vetoed."""
    if vetoed:
        return 0
    return sum(1 for t in thresholds if total >= t)


def star_expiry(awarded_on: datetime.date, years: int) -> datetime.date:
    """The last day a star grade awarded on `awarded_on` holds: the day before its anniversary `years` later (29
    February counts from 1 March in a year without it)."""
    try:
        end = awarded_on.replace(year=awarded_on.year + years)
    except ValueError:
        end = datetime.date(awarded_on.year + years, 3, 1)
    return end - datetime.timedelta(days=1)


def rank(totals: Mapping[K, Decimal]) -> dict[K, int]:
    """Standard competition ranking by total, highest first: equal totals share a rank, the next rank skips
    (100, 90, 90, 80 → 1, 2, 2, 4)."""
    ordered = sorted(totals.values(), reverse=True)
    first: dict[Decimal, int] = {}
    for n, t in enumerate(ordered, 1):
        first.setdefault(t, n)
    return {k: first[t] for k, t in totals.items()}
