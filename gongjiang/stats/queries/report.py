"""The annual report of economic and technical work (年度经济技术工作统计报告) of any union for one year: every
area of work (each app that registered metrics) with its figures beside another year (the year before, or any year
asked for), each with its definition, the main figures of each child union (regional tree; an industry union's
affiliated units), and the union's own words (the narrative its cadres write). One read model for the page, the
PDF and the Excel workbook — a dozen queries over the fact store whatever the size of the province."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from gongjiang.orgs import facts
from gongjiang.orgs.models import Org, Period

from ..models import Narrative
from . import dashboard as q

MAIN = 4  # the figures per area of work shown for every child union


@dataclass(frozen=True)
class Line:
    metric: facts.Metric
    value: Decimal  # as shown (万元 where the metric says so)
    compared: Decimal
    change: Decimal | None  # percent

    @property
    def unit(self) -> str:
        return q.unit(self.metric)


@dataclass(frozen=True)
class ChildRow:
    org: Org
    values: list[Decimal]  # the section's main metrics, in order


@dataclass
class Section:
    app: str
    label: str
    lines: list[Line]  # the metrics with a figure in either year
    quiet: list[facts.Metric]  # the metrics with none in both (named once, not tabled)
    main: list[facts.Metric]
    children: list[ChildRow] = field(default_factory=list)
    total: list[Decimal] = field(default_factory=list)
    narrative: str = ""

    @property
    def heads(self) -> list[tuple[facts.Metric, str]]:
        """The main metrics with the unit their children's figures are shown in (万元 for an amount kept in yuan)."""
        return [(m, q.unit(m)) for m in self.main]


@dataclass(frozen=True)
class Report:
    org: Org
    year: int
    compare: int
    overview: str
    sections: list[Section]
    tree: str  # the tree the children are listed along
    made_at: datetime.datetime


def _start(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def annual(org: Org, year: int, compare: int | None = None) -> Report:
    """The report of `org` for `year` beside `compare` (default: the year before)."""
    compare = compare if compare is not None else year - 1
    metrics = facts.metrics()
    keys = [m.key for m in metrics]
    now = facts.values([org.pk], keys, Period.YEAR, _start(year))
    then = facts.values([org.pk], keys, Period.YEAR, _start(compare))
    along = q.by_tree(org)
    tree = q.REGION if along[q.REGION] else q.INDUSTRY
    kids = along[tree]
    sections: dict[str, Section] = {}
    for m in metrics:
        s = sections.setdefault(m.app, Section(m.app, q.app_label(m.app), [], [], []))
        v, c = q.shown(m, now.get((org.pk, m.key))), q.shown(m, then.get((org.pk, m.key)))
        if v or c:
            s.lines.append(Line(m, v, c, q.change_percent(v, c)))
        else:
            s.quiet.append(m)
        if len(s.main) < MAIN:
            s.main.append(m)
    main_keys = [m.key for s in sections.values() for m in s.main]
    got = facts.values([k.pk for k in kids], main_keys, Period.YEAR, _start(year)) if kids else {}
    for s in sections.values():
        s.children = [ChildRow(k, [q.shown(m, got.get((k.pk, m.key))) for m in s.main]) for k in kids]
        s.total = [q.shown(m, now.get((org.pk, m.key))) for m in s.main]
    texts = dict(Narrative.objects.filter(org=org, year=year).values_list("section", "text"))
    for s in sections.values():
        s.narrative = texts.get(s.app, "")
    return Report(org, year, compare, texts.get("", ""), list(sections.values()), tree, timezone.now())


def rows(report: Report) -> list[list[object]]:
    """The report's figures as worksheet rows: area of work, metric, unit, the year, the compared year, change %,
    definition."""
    out: list[list[object]] = []
    for s in report.sections:
        for line in s.lines:
            out.append([s.label, str(line.metric.label), line.unit, line.value, line.compared,
                        "" if line.change is None else line.change, str(line.metric.definition)])
        for m in s.quiet:
            out.append([s.label, str(m.label), q.unit(m), 0, 0, "", str(m.definition)])
    return out
