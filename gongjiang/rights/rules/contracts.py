"""Collective contracts: the term, overlaps of contracts of the same kind, expiry.

《集体合同规定》(2004) art. 38: a term of one to three years; the contract is sent to the labour authority within ten
days of signing (art. 42) and takes effect unless it objects within fifteen days (art. 47)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

MAX_TERM_YEARS = 3
EXPIRY_NOTICE_DAYS = 90
FILE_WITHIN_DAYS = 10


@dataclass(frozen=True)
class Term:
    """A contract's days in force, for the overlap check: its id (None for a new one), first and last day."""

    id: int | None
    starts_on: datetime.date
    last_day: datetime.date


def term_problem(starts_on: datetime.date, ends_on: datetime.date) -> str | None:
    """Why the term is wrong ("before": ends before it starts; "long": more than three years), or None."""
    if ends_on < starts_on:
        return "before"
    try:
        limit = starts_on.replace(year=starts_on.year + MAX_TERM_YEARS)
    except ValueError:
        limit = starts_on.replace(year=starts_on.year + MAX_TERM_YEARS, day=28)
    if ends_on >= limit:
        return "long"
    return None


def overlapping(new: Term, others: Iterable[Term]) -> list[Term]:
    """The other terms (of the same kind, for the same enterprise) sharing at least one day with `new`."""
    return [t for t in others if t.id != new.id and t.starts_on <= new.last_day and new.starts_on <= t.last_day]


def expiring(last_day: datetime.date, today: datetime.date, days: int = EXPIRY_NOTICE_DAYS) -> bool:
    """Whether a contract in force ends within `days` days from today (and has not ended yet)."""
    return today <= last_day <= today + datetime.timedelta(days=days)


def years_in_force(starts_on: datetime.date, last_day: datetime.date) -> range:
    return range(starts_on.year, last_day.year + 1)
