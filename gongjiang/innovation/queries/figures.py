"""The yearly figures as the pages and the API read them: from the counters (`YearFigure`), never by counting."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gongjiang.orgs.models import Org

from ..counters import PROJECT_FIELDS
from ..models import YearFigure


@dataclass
class Figures:
    """One org's figures for one year (zeros when nothing happened)."""

    org: Org
    year: int
    submitted: int = 0
    adopted: int = 0
    accounted: int = 0
    benefit: Decimal = Decimal(0)
    rewarded: int = 0
    rewards: Decimal = Decimal(0)
    # Innovation projects reaching each stage in the year: {stage code: count} (counters.PROJECT_FIELDS).
    projects: dict[str, int] = field(default_factory=dict)
    # The 6·18 exhibition's matches signed in the year and their contract value (yuan).
    matches_signed: int = 0
    signed_value: Decimal = Decimal(0)

    @property
    def signed_value_wan(self) -> Decimal:
        return (self.signed_value / 10000).quantize(Decimal("0.01"))

    @property
    def project_stages(self) -> list[int]:
        """The counts in the order of the stages (问题查找 … 推广转化, then 中止), zeros included."""
        return [self.projects.get(f, 0) for f in PROJECT_FIELDS]

    @property
    def adoption_rate(self) -> Decimal | None:
        if not self.submitted:
            return None
        return (Decimal(self.adopted) * 100 / self.submitted).quantize(Decimal("0.1"))

    @property
    def benefit_wan(self) -> Decimal:
        return (self.benefit / 10000).quantize(Decimal("0.01"))

    @property
    def rewards_wan(self) -> Decimal:
        return (self.rewards / 10000).quantize(Decimal("0.01"))


def _of(org: Org, year: int, row: YearFigure | None) -> Figures:
    if row is None:
        return Figures(org, year)
    return Figures(org, year, row.submitted, row.adopted, row.accounted, row.benefit, row.rewarded, row.rewards,
                   {f: getattr(row, f) for f in PROJECT_FIELDS}, row.matches_signed, row.signed_value)


def year_figures(org: Org, year: int) -> Figures:
    """The figures of `org`'s whole reach for `year` (one query)."""
    return _of(org, year, YearFigure.objects.filter(org=org, year=year).first())


def this_and_last(org: Org, year: int) -> tuple[Figures, Figures]:
    """The figures of `year` and of the year before (one query: the overview's panel)."""
    rows = {r.year: r for r in YearFigure.objects.filter(org=org, year__in=[year, year - 1])}
    return _of(org, year, rows.get(year)), _of(org, year - 1, rows.get(year - 1))


def years(org: Org, last: int = 5) -> list[Figures]:
    """The figures of `org` for its most recent years with any, oldest first (one query)."""
    rows = list(YearFigure.objects.filter(org=org).order_by("-year")[:last])
    return [_of(org, r.year, r) for r in reversed(rows)]


def children_figures(org: Org, year: int) -> list[Figures]:
    """The figures of `org`'s direct children for `year`, in tree order (two queries)."""
    children = list(Org.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
                    .order_by("path"))
    rows = {r.org_id: r for r in YearFigure.objects.filter(org__in=children, year=year)}
    return [_of(c, year, rows.get(c.pk)) for c in children]
