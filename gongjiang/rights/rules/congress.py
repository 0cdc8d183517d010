"""The congress: its quorum, the shares of its delegates, its term, and the form an enterprise must have.

Sources: 《企业民主管理规定》(2012) arts. 8–17 — a congress is valid with two thirds of its delegates
present ("应有全体职工代表的三分之二以上出席"); a term of three to five years; women delegates in proportion to the
workforce. That at least half of the delegates be front-line workers is the common provincial rule we check
(`FRONT_LINE_SHARE`); the page shows the shares, it refuses nothing for them. An enterprise with fewer than 100
employees may hold a general assembly of all workers (职工大会) instead (art. 9)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

QUORUM = Fraction(2, 3)
MIN_TERM_YEARS, MAX_TERM_YEARS = 3, 5
ASSEMBLY_BELOW = 100  # employees: a 职工大会 is enough below this
FRONT_LINE_SHARE = Fraction(1, 2)


def quorum(delegates: int) -> int:
    """The fewest delegates present for a valid session: two thirds of them, rounded up."""
    needed = Fraction(delegates) * QUORUM
    return int(needed) + (needed.denominator != 1)


def quorate(delegates: int, present: int) -> bool:
    return delegates > 0 and present >= quorum(delegates)


@dataclass(frozen=True)
class Shares:
    """The delegates and the shares among them (0–1) of front-line workers, women and migrant workers."""

    delegates: int
    front_line: Fraction
    women: Fraction
    migrant: Fraction

    @property
    def front_line_ok(self) -> bool:
        return self.delegates > 0 and self.front_line >= FRONT_LINE_SHARE


def shares(flags: Iterable[tuple[bool, bool, bool]]) -> Shares:
    """From (front-line, woman, migrant) per delegate."""
    rows = list(flags)
    n = len(rows)
    if not n:
        return Shares(0, Fraction(0), Fraction(0), Fraction(0))
    return Shares(n, Fraction(sum(r[0] for r in rows), n), Fraction(sum(r[1] for r in rows), n),
                  Fraction(sum(r[2] for r in rows), n))


def percent(share: Fraction) -> str:
    return f"{float(share) * 100:.0f}%"


def term_end(start: datetime.date, years: int) -> datetime.date:
    """The last day of a term of `years` years beginning on `start`."""
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = start.replace(year=start.year + years, day=28)
    return end - datetime.timedelta(days=1)


def years_touched(start: datetime.date, end: datetime.date) -> range:
    """The calendar years a term from `start` to `end` (inclusive) touches."""
    return range(start.year, end.year + 1)
