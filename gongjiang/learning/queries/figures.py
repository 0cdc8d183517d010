"""A union's learning figures (学习统计) for a period, read from the fact store only (orgs/facts.py: the `learning.*`
metrics, one row per org × day, month and year over the org's whole reach, kept by the fold and the training
services): the totals (new learners, attempts, passes, contest participants, training sessions and person-hours,
mentor pairs), the trend by day or by month, and the same totals for each union right below (the drill-down). A
month or a year is one row per metric (`facts.values`), a trend one series (`facts.series`); a range of dates is
read from the fewest rows that make it up exactly (whole years, whole months, the days at either end). A few
queries whatever the number of attempts: nothing here ever counts attempts, answers or people."""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext as _

from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Fact, Org
from gongjiang.orgs.models import Period as Span

from ..facts_plugins import FIELDS, key

KEYS = [key(f) for f in FIELDS]
FIELD_OF = {key(f): f for f in FIELDS}
TENTH = Decimal("0.1")
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
    def of(cls, found: Mapping[str, Any]) -> Totals:
        """The totals of {metric key: value} as the fact store gives them (a missing metric is zero; counts are
        whole numbers, person-hours have one decimal)."""
        got = {FIELD_OF[k]: v for k, v in found.items() if k in FIELD_OF and v}
        counts = {f: int(v) for f, v in got.items() if f != "training_hours"}
        hours = got.get("training_hours")
        return cls(**counts, training_hours=Decimal(hours).quantize(TENTH) if hours else Decimal(0))


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


def _cover(first: datetime.date, last: datetime.date, top: str = Span.YEAR) -> list[tuple[str, datetime.date]]:
    """The rows of the store (period, start) that make up the days `first`…`last` exactly, none coarser than
    `top`: whole years, then whole months, then days (a month or a year is one)."""
    pieces = []
    d = first
    while d <= last:
        if top == Span.YEAR and d.month == 1 and d.day == 1 and facts.period_end(Span.YEAR, d) <= last:
            pieces.append((Span.YEAR.value, d))
            d = facts.period_end(Span.YEAR, d) + datetime.timedelta(days=1)
        elif top != Span.DAY and d.day == 1 and facts.period_end(Span.MONTH, d) <= last:
            pieces.append((Span.MONTH.value, d))
            d = facts.period_end(Span.MONTH, d) + datetime.timedelta(days=1)
        else:
            pieces.append((Span.DAY.value, d))
            d += datetime.timedelta(days=1)
    return pieces


def _rows(org_ids: list[int], pieces: list[tuple[str, datetime.date]]) -> QuerySet[Fact]:
    """The learning rows of the orgs for the pieces of a period: one condition per run of pieces of one kind."""
    runs: list[list[Any]] = []
    for period, start in pieces:
        if runs and runs[-1][0] == period:
            runs[-1][2] = start
        else:
            runs.append([period, start, start])
    where = Q()
    for period, first, last in runs:
        where |= Q(period=period, start__range=(first, last))
    return Fact.objects.filter(where, org_id__in=org_ids, metric__in=KEYS)


def _sums(org_ids: list[int], p: Period) -> dict[int, dict[str, Decimal]]:
    """{org id: {metric: value}} over the period: one row per metric for a month or a year, one query."""
    pieces = _cover(p.start, p.end)
    found: dict[int, dict[str, Decimal]] = {o: {} for o in org_ids}
    if len(pieces) == 1:
        for (org_id, metric), value in facts.values(org_ids, KEYS, *pieces[0]).items():
            found[org_id][metric] = value
        return found
    for r in _rows(org_ids, pieces).values("org_id", "metric").annotate(v=Sum("value")).order_by():
        found[r["org_id"]][r["metric"]] = r["v"]
    return found


def totals(org: Org, p: Period) -> Totals:
    """The union's figures for the period (one query)."""
    return Totals.of(_sums([org.pk], p)[org.pk])


def trend(org: Org, p: Period) -> list[Point]:
    """The figures day by day (a period up to a quarter) or month by month, every day or month of the period shown
    (zeros where nothing happened); one query. A month cut by a range's ends counts the days within it only."""
    found: dict[datetime.date, dict[str, Decimal]] = defaultdict(dict)
    if not p.monthly:
        for metric, days in facts.series(org.pk, KEYS, Span.DAY, p.start, p.end).items():
            for day, value in days.items():
                found[day][metric] = value
        return [Point(d, Totals.of(found[d])) for d in
                (p.start + datetime.timedelta(days=i) for i in range(p.days))]
    first = p.start.replace(day=1)
    if p.start == first and facts.period_end(Span.MONTH, facts.period_start(Span.MONTH, p.end)) == p.end:
        for metric, months in facts.series(org.pk, KEYS, Span.MONTH, first, p.end).items():
            for month, value in months.items():
                found[month][metric] = value
    else:
        for metric, start, value in _rows([org.pk], _cover(p.start, p.end, top=Span.MONTH)).values_list(
                "metric", "start", "value"):
            bucket = found[start.replace(day=1)]
            bucket[metric] = bucket.get(metric, Decimal(0)) + value
    points = []
    cursor = first
    while cursor <= p.end:
        points.append(Point(cursor, Totals.of(found.get(cursor, {}))))
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
    return points


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
    found = _sums([o.pk for o in below], p) if below else {}
    return [Row(o, Totals.of(found.get(o.pk, {}))) for o in below]


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
