"""The periods a dashboard or the API is asked for: a year ("2026"), a month ("2026-03") or a day ("2026-03-14"),
parsed and checked once here (a month 13, a 30 February, a year before the figures begin or after this one are
refused with a message naming the field), and what a page needs of them: their first and last day, the same period
a year before, the periods of a trend."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError
from gongjiang.orgs import facts
from gongjiang.orgs.models import Period

FIRST_YEAR = 2000  # the figures the platform keeps begin here; an earlier year is a typing mistake
TREND_YEARS = 5  # a year's trend: this many years, the asked one last
TREND_MONTHS = 12  # a month's trend: this many months, the asked one last
TREND_DAYS = 31  # a day's trend: this many days, the asked one last

KINDS = {"year": Period.YEAR, "month": Period.MONTH, "day": Period.DAY,
         Period.YEAR: Period.YEAR, Period.MONTH: Period.MONTH, Period.DAY: Period.DAY}
_SHAPE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


@dataclass(frozen=True)
class Chosen:
    """A period of the fact store: its kind (Period.YEAR, MONTH, DAY) and its first day."""

    kind: str
    start: datetime.date

    @property
    def end(self) -> datetime.date:
        return facts.period_end(self.kind, self.start)

    @property
    def code(self) -> str:
        """How it is written in a URL: 2026, 2026-03, 2026-03-14."""
        if self.kind == Period.YEAR:
            return f"{self.start.year}"
        if self.kind == Period.MONTH:
            return f"{self.start:%Y-%m}"
        return f"{self.start:%Y-%m-%d}"

    @property
    def label(self) -> str:
        """How the page names it: 2026年, 2026年3月, 2026年3月14日."""
        d = self.start
        if self.kind == Period.YEAR:
            return _("the year %(y)s") % {"y": d.year}
        if self.kind == Period.MONTH:
            return _("month %(m)s of %(y)s") % {"y": d.year, "m": d.month}
        return _("day %(d)s of month %(m)s of %(y)s") % {"y": d.year, "m": d.month, "d": d.day}

    @property
    def kind_name(self) -> str:
        return {Period.YEAR: "year", Period.MONTH: "month", Period.DAY: "day"}[Period(self.kind)]

    def year_before(self) -> Chosen:
        """The same period a year before (29 February: the 28th)."""
        d = self.start
        try:
            return Chosen(self.kind, d.replace(year=d.year - 1))
        except ValueError:
            return Chosen(self.kind, d.replace(year=d.year - 1, day=28))

    def trend(self) -> list[Chosen]:
        """The periods of its trend, oldest first, this one last: the last five years, twelve months or 31 days
        (never before the first year kept)."""
        d = self.start
        if self.kind == Period.YEAR:
            return [Chosen(self.kind, datetime.date(y, 1, 1))
                    for y in range(max(FIRST_YEAR, d.year - TREND_YEARS + 1), d.year + 1)]
        if self.kind == Period.MONTH:
            months = [d.year * 12 + d.month - 1 - i for i in range(TREND_MONTHS - 1, -1, -1)]
            return [Chosen(self.kind, datetime.date(m // 12, m % 12 + 1, 1)) for m in months if m // 12 >= FIRST_YEAR]
        return [Chosen(self.kind, d - datetime.timedelta(days=i)) for i in range(TREND_DAYS - 1, -1, -1)
                if (d - datetime.timedelta(days=i)).year >= FIRST_YEAR]


def this_year(today: datetime.date | None = None) -> Chosen:
    today = today or timezone.localdate()
    return Chosen(Period.YEAR, today.replace(month=1, day=1))


def last_year_kept(today: datetime.date | None = None) -> int:
    return (today or timezone.localdate()).year


def parse(text: str | None, *, field: str = "period", today: datetime.date | None = None) -> Chosen:
    """The period written as 2026, 2026-03 or 2026-03-14 (empty: this year); a period that does not exist, or lies
    before 2000 or after this year, is a DomainError (status 422) naming `field`."""
    text = (text or "").strip()
    if not text:
        return this_year(today)
    last = last_year_kept(today)
    found = _SHAPE.match(text)
    if not found:
        raise DomainError(_("Write the period as a year (2026), a month (2026-03) or a day (2026-03-14), not "
                            "“%(text)s”.") % {"text": text[:20]}, field=field, status=422)
    year, month, day = int(found[1]), found[2], found[3]
    if year < FIRST_YEAR or year > last:
        raise DomainError(_("There are figures for the years %(first)s to %(last)s only, not %(year)s.")
                          % {"first": FIRST_YEAR, "last": last, "year": year}, field=field, status=422)
    if month is None:
        return Chosen(Period.YEAR, datetime.date(year, 1, 1))
    if not 1 <= int(month) <= 12:
        raise DomainError(_("“%(text)s” is not a month: a month is 01 to 12.") % {"text": text}, field=field,
                          status=422)
    if day is None:
        return Chosen(Period.MONTH, datetime.date(year, int(month), 1))
    try:
        return Chosen(Period.DAY, datetime.date(year, int(month), int(day)))
    except ValueError:
        raise DomainError(_("“%(text)s” is not a day of the calendar.") % {"text": text}, field=field,
                          status=422) from None


def parse_kind(text: str | None, *, field: str = "period") -> str | None:
    """A kind of period (year, month, day, or Y, M, D), None when not given; anything else is a DomainError."""
    if not text:
        return None
    if text not in KINDS:
        raise DomainError(_("The kind of period is year, month or day, not “%(text)s”.") % {"text": text[:20]},
                          field=field, status=422)
    return str(KINDS[text])


def of_kind(text: str | None, kind: str, *, field: str, today: datetime.date | None = None) -> Chosen | None:
    """A period of the given kind (for a range's two ends), None when not given."""
    if not text:
        return None
    chosen = parse(text, field=field, today=today)
    if chosen.kind != kind:
        raise DomainError(_("“%(text)s” is not a %(kind)s: write %(example)s.") % {
            "text": text, "kind": {Period.YEAR: _("year"), Period.MONTH: _("month"), Period.DAY: _("day")}[
                Period(kind)], "example": {Period.YEAR: "2026", Period.MONTH: "2026-03", Period.DAY: "2026-03-14"}[
                Period(kind)]}, field=field, status=422)
    return chosen
