"""Working days of the Chinese calendar (工作日), for periods such as "公示期为5个工作日".

Pure functions over dates. Which days are worked comes from the `chinesecalendar` package (import name
`chinese_calendar`), which carries the State Council's published holiday schedule year by year: public holidays
(国庆节 1–8 October 2025…) are not working days, and the weekends worked in exchange (调休, e.g. Sunday 28 September
and Saturday 11 October 2025) are. The schedule of a year is published in the November before it, so the package
only knows the years up to its release (1.11.0: 2004–2026). For a day outside its data we count Monday to Friday
and say so (`Period.estimated`, `period_note`) rather than fail: a notice published on 28 December for five working
days still gets an end date, marked as an estimate, and the owner can check it once the schedule is out.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

# A notice may run for at most this many working days (a guard against typing 500 for 5).
MAX_WORKING_DAYS = 60


def _official(day: datetime.date) -> bool | None:
    """Whether `day` is worked per the official schedule, or None when the calendar has no data for its year."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # "no available data for year …"
        return None


def is_known(day: datetime.date) -> bool:
    """Whether the official holiday schedule of `day`'s year is known to the calendar."""
    return _official(day) is not None


def is_workday(day: datetime.date) -> bool:
    """Whether `day` is a working day: the official schedule where known (holidays off, 调休 weekends worked),
    otherwise Monday to Friday."""
    official = _official(day)
    return day.weekday() < 5 if official is None else official


@dataclass(frozen=True)
class Period:
    """A period of `working_days` working days: its first and last working day, and whether a day of it lies
    outside the official schedule (then weekends alone were skipped: `estimated`, with the years in question)."""

    starts_on: datetime.date
    ends_on: datetime.date
    working_days: int
    estimated: bool = False
    unknown_years: tuple[int, ...] = ()


def _days_from(day: datetime.date) -> Iterator[datetime.date]:
    while True:
        yield day
        day += datetime.timedelta(days=1)


def working_period(start: datetime.date, working_days: int) -> Period:
    """The period of `working_days` working days beginning on `start`: `start` counts as the first when it is a
    working day, else the first working day after it does (a notice published on a Saturday starts on Monday,
    or on the 调休 Saturday itself). `ends_on` is the last of them. Raises ValueError for fewer than one or more
    than MAX_WORKING_DAYS days."""
    if not 1 <= working_days <= MAX_WORKING_DAYS:
        raise ValueError(f"working_days must be between 1 and {MAX_WORKING_DAYS}, not {working_days}")
    counted: list[datetime.date] = []
    unknown: set[int] = set()
    for day in _days_from(start):
        official = _official(day)
        if official is None:
            unknown.add(day.year)
        if (day.weekday() < 5 if official is None else official):
            counted.append(day)
            if len(counted) == working_days:
                break
    return Period(counted[0], counted[-1], working_days, bool(unknown), tuple(sorted(unknown)))


def count_working_days(start: datetime.date, end: datetime.date) -> int:
    """How many working days lie from `start` to `end`, both included (0 when `end` is before `start`)."""
    return sum(1 for day in _days_between(start, end) if is_workday(day))


def _days_between(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def period_note(period: Period) -> str:
    """What a publisher is told when the period is an estimate (empty when it is not)."""
    if not period.estimated:
        return ""
    return _("The official holiday schedule of %(years)s is not yet in the calendar: only weekends were skipped, "
             "so check the end date once the schedule is published.") % {
        "years": "、".join(str(y) for y in period.unknown_years)}
