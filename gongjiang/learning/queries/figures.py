"""A union's learning figures (学习统计) for a period, read from the daily figures only (`DayFigure`, one row per
org and day over the org's whole reach, kept by the fold and the training services): the totals (new learners,
attempts, passes, contest participants, training sessions and person-hours, mentor pairs), the trend by day or by
month, and the same totals for each union right below (the drill-down). Three queries whatever the number of
attempts: nothing here ever counts attempts, answers or people."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org

from ..models import DayFigure

FIELDS = ("learners", "attempts", "passes", "contest_takers", "trainings", "training_hours", "mentor_pairs")
DAILY_UP_TO = 92  # days: a longer period's trend is drawn by month
LONGEST = 366 * 5 + 1  # days in a chosen range (five years)
MAX_CHILDREN = 300  # rows of the breakdown (a province has about 20 cities and industry unions)
PERIODS = ("month", "year", "range")


def labels() -> dict[str, str]:
    """The figures' names as the page, the export and the chart show them."""
    return {"learners": _("New learners"), "attempts": _("Attempts"), "passes": _("Passes"),
            "contest_takers": _("Contest participants"), "trainings": _("Training sessions"),
            "training_hours": _("Training person-hours"), "mentor_pairs": _("Mentor pairs")}


class PeriodError(ValueError):
    """A period that cannot be shown (the message names the field, in the user's language)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Period:
    """The days counted, both ends included; `kind` is month, year or range (how the page offers it)."""

    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def monthly(self) -> bool:
        """Whether the trend is drawn by month (a period longer than a quarter) rather than by day."""
        return self.days > DAILY_UP_TO

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("%(y)d-%(m)s") % {"y": self.start.year, "m": f"{self.start.month:02d}"}
        if self.kind == "year":
            return _("%(y)d") % {"y": self.start.year}
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def this_month(today: datetime.date) -> Period:
    return Period("month", today.replace(day=1), today.replace(day=calendar.monthrange(today.year, today.month)[1]))


def _date(value: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(name, _("“%(value)s” is not a date: write it as 2026-05-01.") % {"value": value}) from None


def period(kind: str, *, month: str = "", year: str = "", start: str = "", end: str = "",
           today: datetime.date) -> Period:
    """The period asked for: a month ("2026-05", default this month), a year ("2026", default this year) or a range
    of dates (both given, the start not after the end, at most five years). PeriodError names the field at fault."""
    kind = kind or "month"
    if kind not in PERIODS:
        raise PeriodError("period", _("The period is a month, a year or a range of dates."))
    if kind == "month":
        if not month:
            return this_month(today)
        try:
            y, m = (int(p) for p in month.split("-"))
            first = datetime.date(y, m, 1)
        except ValueError:
            raise PeriodError("month", _("“%(value)s” is not a month: write it as 2026-05.")
                              % {"value": month}) from None
        return this_month(first) if first.year >= 1900 else this_month(today)
    if kind == "year":
        if not year:
            y = today.year
        elif year.isdigit() and 1900 <= int(year) <= 9998:
            y = int(year)
        else:
            raise PeriodError("year", _("“%(value)s” is not a year.") % {"value": year})
        return Period("year", datetime.date(y, 1, 1), datetime.date(y, 12, 31))
    if not start:
        raise PeriodError("start", _("Give the first day of the range."))
    if not end:
        raise PeriodError("end", _("Give the last day of the range."))
    first, last = _date(start, "start"), _date(end, "end")
    if first > last:
        raise PeriodError("end", _("The last day is before the first day."))
    if (last - first).days + 1 > LONGEST:
        raise PeriodError("end", _("A range is at most five years."))
    return Period("range", first, last)


@dataclass
class Totals:
    """The figures of one union for a period (every field of `FIELDS`)."""

    learners: int = 0
    attempts: int = 0
    passes: int = 0
    contest_takers: int = 0
    trainings: int = 0
    training_hours: Decimal = field(default_factory=lambda: Decimal(0))
    mentor_pairs: int = 0

    @property
    def pass_rate(self) -> int | None:
        """Percent of the attempts passed (None without attempts)."""
        return round(100 * self.passes / self.attempts) if self.attempts else None

    def values(self) -> list[Any]:
        return [getattr(self, f) for f in FIELDS]

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> Totals:
        """The totals of a row of sums (a missing or NULL sum is zero)."""
        return cls(learners=row.get("learners") or 0, attempts=row.get("attempts") or 0,
                   passes=row.get("passes") or 0, contest_takers=row.get("contest_takers") or 0,
                   trainings=row.get("trainings") or 0, training_hours=row.get("training_hours") or Decimal(0),
                   mentor_pairs=row.get("mentor_pairs") or 0)


@dataclass(frozen=True)
class Point:
    """One day's or one month's figures of the trend (`day`: the day, or the first of the month)."""

    day: datetime.date
    totals: Totals


@dataclass(frozen=True)
class Row:
    """A union right below and its totals for the period (the breakdown's line, a link to its own figures)."""

    org: Org
    totals: Totals


_SUMS = {f: Sum(f) for f in FIELDS}


def totals(org: Org, p: Period) -> Totals:
    """The union's figures for the period (one query over its daily rows)."""
    return Totals.of(DayFigure.objects.filter(org=org, day__range=(p.start, p.end)).aggregate(**_SUMS))


def trend(org: Org, p: Period) -> list[Point]:
    """The figures day by day (a period up to a quarter) or month by month, every day or month of the period shown
    (zeros where nothing happened); one query."""
    rows = DayFigure.objects.filter(org=org, day__range=(p.start, p.end))
    if p.monthly:
        found = {_as_date(r["bucket"]): Totals.of(r) for r in rows.annotate(bucket=TruncMonth("day"))
                 .values("bucket").annotate(**_SUMS).order_by("bucket")}
        points = []
        cursor = p.start.replace(day=1)
        while cursor <= p.end:
            points.append(Point(cursor, found.get(cursor, Totals())))
            cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
        return points
    by_day = {r["day"]: Totals.of(r) for r in rows.values("day", *FIELDS)}
    return [Point(d, by_day.get(d, Totals())) for d in
            (p.start + datetime.timedelta(days=i) for i in range(p.days))]


def _as_date(value: Any) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def children(org: Org) -> list[Org]:
    """The unions right below `org` in the tree (cities and industry unions under the province, counties under a
    city, workshops under an enterprise…); for an industry union, which has none, the enterprise unions affiliated
    to it."""
    below = list(Org.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
                 .order_by("path")[:MAX_CHILDREN])
    if not below and org.kind == OrgKind.INDUSTRY:
        below = list(Org.objects.filter(industry_union=org, is_active=True).order_by("path")[:MAX_CHILDREN])
    return below


def breakdown(org: Org, p: Period) -> list[Row]:
    """Each union right below `org` with its figures for the period (one query for all of them), in tree order."""
    below = children(org)
    found = {r["org"]: Totals.of(r) for r in DayFigure.objects.filter(
        org__in=[o.pk for o in below], day__range=(p.start, p.end)).values("org").annotate(**_SUMS).order_by()}
    return [Row(o, found.get(o.pk, Totals())) for o in below]


def chart(points: list[Point], p: Period) -> dict[str, Any]:
    """The trend as the page's script draws it (static/learning/figures.js)."""
    names = labels()
    return {
        "empty": _("No learning activity in this period"),
        "days": [pt.day.strftime("%Y-%m") if p.monthly else pt.day.strftime("%m-%d") for pt in points],
        "series": [{"key": f, "name": names[f], "values": [float(getattr(pt.totals, f)) if f == "training_hours"
                                                           else getattr(pt.totals, f) for pt in points]}
                   for f in ("attempts", "passes", "learners", "contest_takers")],
    }
