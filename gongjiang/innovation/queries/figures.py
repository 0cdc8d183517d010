"""The yearly figures as the pages and the API read them: from the fact store (`innovation.*` metrics, period Y,
of an org's whole reach, the technical associations' included: metrics.py), never by counting.

Every reader here is a constant number of queries whatever it reads: the store's yearly rows (`facts.series` for one
org and its years, `facts.values` for the children of one year with their members' flows), and the proposals workers
submitted since the last fold (`counters.fold`, every minute) counted in by their units (a partial index holds only
those; their units' paths are read by one more query when there are any) — so the overview's panel and the figures
page read one org, its last five years and all its children in a constant number, never behind the proposals."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact, Org, Period

from .. import metrics
from ..models import Proposal
from ..rules.techassoc import active_at_year_end

KIND_FIELDS = metrics.TECH_KINDS  # the activities' kinds in the vocabulary's order (交流, 练兵, the four services)

_DECIMALS = {"benefit", "rewards", "signed_value", "contract_value"}
# The names Figures keeps the projects' and the prizes' counts under (metrics.PROJECTS' and metrics.AWARDS' order).
PROJECT_FIELDS = tuple(f"projects_{stage}" for stage in metrics.STAGES)
AWARD_FIELDS = ("awards_first", "awards_second", "awards_third")


def _wan(value: Decimal) -> Decimal:
    return (value / 10000).quantize(Decimal("0.01"))


@dataclass
class Figures:
    """One org's figures for one year over its whole reach (zeros when nothing happened)."""

    org: Org
    year: int
    submitted: int = 0
    adopted: int = 0
    accounted: int = 0
    benefit: Decimal = Decimal(0)
    rewarded: int = 0
    rewards: Decimal = Decimal(0)
    # Innovation projects reaching each stage in the year: {projects_<stage>: count} (PROJECT_FIELDS).
    projects: dict[str, int] = field(default_factory=dict)
    # Achievements submitted to the year's calls, and the prizes awarded by level: {awards_first: n, …}.
    achievements: int = 0
    awards: dict[str, int] = field(default_factory=dict)
    # The 6·18 exhibition's matches signed in the year and their contract value (yuan).
    matches_signed: int = 0
    signed_value: Decimal = Decimal(0)
    # The technical associations of the reach (innovation.tech_*): members at the year's end (the sum of the
    # flows up to it), activities held in the year by kind, four-technical-services contracts and their value (yuan).
    tech_members: int = 0
    tech_joined: int = 0
    tech_left: int = 0
    tech_kinds: dict[str, int] = field(default_factory=dict)
    tech_contracts: int = 0
    tech_contract_value: Decimal = Decimal(0)

    @property
    def adoption_rate(self) -> Decimal | None:
        if not self.submitted:
            return None
        return (Decimal(self.adopted) * 100 / self.submitted).quantize(Decimal("0.1"))

    @property
    def benefit_wan(self) -> Decimal:
        return _wan(self.benefit)

    @property
    def rewards_wan(self) -> Decimal:
        return _wan(self.rewards)

    @property
    def project_stages(self) -> list[int]:
        """The counts in the order of the stages (问题查找 … 推广转化, then 中止), zeros included."""
        return [self.projects.get(f, 0) for f in PROJECT_FIELDS]

    @property
    def projects_transferred(self) -> int:
        """Projects reaching 推广转化 in the year."""
        return self.projects.get("projects_transferred", 0)

    @property
    def award_levels(self) -> list[int]:
        """First, second and third prizes."""
        return [self.awards.get(f, 0) for f in AWARD_FIELDS]

    @property
    def awards_first(self) -> int:
        return self.awards.get("awards_first", 0)

    @property
    def awards_second(self) -> int:
        return self.awards.get("awards_second", 0)

    @property
    def awards_third(self) -> int:
        return self.awards.get("awards_third", 0)

    @property
    def prizes(self) -> int:
        return sum(self.award_levels)

    @property
    def signed_value_wan(self) -> Decimal:
        return _wan(self.signed_value)

    @property
    def tech_activities(self) -> int:
        return sum(self.tech_kinds.values())

    @property
    def tech_kind_counts(self) -> list[int]:
        """The activities held by kind, in the vocabulary's order (交流, 练兵, then the four services)."""
        return [self.tech_kinds.get(k, 0) for k in KIND_FIELDS]

    @property
    def tech_contract_value_wan(self) -> Decimal:
        return _wan(self.tech_contract_value)


# ---------------------------------------------------------------------------------------------
# Reading: the fact store's yearly rows (`facts.series` for one org and every year up to the last asked, `facts.values`
# for many orgs and one year, with the technical associations' member flows up to it: the members at a year's end).

_COUNTS = {metrics.SUBMITTED: "submitted", metrics.ADOPTED: "adopted", metrics.ACCOUNTED: "accounted",
           metrics.REWARDED: "rewarded", metrics.ACHIEVEMENTS: "achievements",
           metrics.MATCHES_SIGNED: "matches_signed", metrics.TECH_JOINED: "tech_joined",
           metrics.TECH_LEFT: "tech_left", metrics.TECH_CONTRACTS: "tech_contracts"}
_AMOUNTS = {metrics.BENEFIT: "benefit", metrics.REWARDS: "rewards", metrics.SIGNED_VALUE: "signed_value",
            metrics.TECH_CONTRACT_VALUE: "tech_contract_value"}


def _jan1(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def _facts(org_ids: Sequence[int], years: Sequence[int]
           ) -> tuple[dict[tuple[int, int], dict[str, Decimal]], dict[tuple[int, int], int]]:
    """{(org id, year): {metric: value}} from the fact store, and {(org id, year): technical association members at
    the year's end} (one query for one org, two for many)."""
    found: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    members: dict[tuple[int, int], int] = {}
    if not org_ids or not years:
        return found, members
    if len(org_ids) == 1:
        (org_id,) = org_ids
        got = facts.series(org_id, metrics.KEYS, Period.YEAR, _jan1(1), _jan1(max(years)))
        for key, by_start in got.items():
            for start, value in by_start.items():
                found[(org_id, start.year)][key] = value
        flows = [(y, int(v.get(metrics.TECH_JOINED, 0)), int(v.get(metrics.TECH_LEFT, 0)))
                 for (_o, y), v in found.items()]
        for year in years:
            members[(org_id, year)] = active_at_year_end(flows, year)
        return found, members
    (year,) = years
    for (org_id, key), value in facts.values(org_ids, metrics.KEYS, Period.YEAR, _jan1(year)).items():
        found[(org_id, year)][key] = value
    stock = (Fact.objects.filter(org_id__in=list(org_ids), metric__in=[metrics.TECH_JOINED, metrics.TECH_LEFT],
                                 period=Period.YEAR, start__lte=_jan1(year))
             .values_list("org_id", "metric").order_by().annotate(total=Sum("value")))
    for org_id, key, total in stock:
        sign = 1 if key == metrics.TECH_JOINED else -1
        members[(org_id, year)] = members.get((org_id, year), 0) + sign * int(total)
    return found, members


def _build(org: Org, year: int, values: dict[str, Decimal], members: int) -> Figures:
    f = Figures(org, year)
    for key, name in _COUNTS.items():
        setattr(f, name, int(values.get(key, 0)))
    for key, name in _AMOUNTS.items():
        setattr(f, name, Decimal(values.get(key, 0)).quantize(Decimal("0.01")))
    f.projects = {field_name: int(values.get(key, 0)) for key, field_name in zip(metrics.PROJECTS, PROJECT_FIELDS,
                                                                                 strict=True)}
    f.awards = {field_name: int(values.get(key, 0)) for key, field_name in zip(metrics.AWARDS, AWARD_FIELDS,
                                                                               strict=True)}
    f.tech_members = members
    f.tech_kinds = {k: int(values.get(metrics.tech_key(k), 0)) for k in KIND_FIELDS}
    return f


def _not_folded(orgs: Sequence[Org], years: Sequence[int]) -> dict[tuple[int, int], int]:
    """{(org id, year): proposals submitted in its reach and not yet folded into the fact store}: one query over the
    partial index of those proposals (a minute's submissions at most), and one more for their units' paths when
    there are any."""
    found: dict[tuple[int, int], int] = defaultdict(int)
    if not orgs or not years:
        return found
    waiting = list(Proposal.objects.filter(folded=False, year__in=list(years)).values_list("unit_id", "year")
                   .order_by().annotate(n=Count("pk")))
    if not waiting:
        return found
    units = {pk: (path, industry_path) for pk, path, industry_path in Org.objects.filter(
        pk__in={u for u, _y, _n in waiting}).values_list("pk", "path", "industry_path")}
    for unit_id, year, n in waiting:
        path, industry_path = units[unit_id]
        for o in orgs:  # the unit's reach, as facts.add counts it: regionally and along its industry union
            if path.startswith(o.path) or (industry_path and industry_path.startswith(o.path)):
                found[(o.pk, year)] += n
    return found


def _read(orgs: Sequence[Org], years: Sequence[int]) -> dict[tuple[int, int], Figures]:
    """{(org id, year): Figures} for every org and year asked (two queries for one org: its facts, the proposals
    not folded yet; three for many: the year's facts, the members' flows up to it, those not folded)."""
    values, members = _facts([o.pk for o in orgs], years)
    found = {(o.pk, y): _build(o, y, values.get((o.pk, y), {}), members.get((o.pk, y), 0))
             for o in orgs for y in years}
    for key, n in _not_folded(orgs, years).items():
        found[key].submitted += n
    return found


def year_figures(org: Org, year: int) -> Figures:
    """The figures of `org`'s whole reach for `year` (two queries)."""
    return _read([org], [year])[(org.pk, year)]


def this_and_last(org: Org, year: int) -> tuple[Figures, Figures]:
    """The figures of `year` and of the year before (two queries: the overview's panel)."""
    found = _read([org], [year, year - 1])
    return found[(org.pk, year)], found[(org.pk, year - 1)]


def series(org: Org, year: int, n: int = 5) -> list[Figures]:
    """The figures of `org` for the `n` years up to `year`, oldest first, zeros included (two queries)."""
    wanted = list(range(year - n + 1, year + 1))
    found = _read([org], wanted)
    return [found[(org.pk, y)] for y in wanted]


def years(org: Org, last: int = 5) -> list[Figures]:
    """The figures of `org` for its most recent years with any innovation figures, oldest first (four queries)."""
    recorded = [start.year for start in Fact.objects.filter(org=org, metric__in=metrics.KEYS, period=Period.YEAR)
                .exclude(value=0).order_by("-start").values_list("start", flat=True).distinct()[:last]]
    found = _read([org], recorded)
    return [found[(org.pk, y)] for y in reversed(recorded)]


def children_figures(org: Org, year: int) -> list[Figures]:
    """The figures of `org`'s direct children for `year`, in tree order (three queries: the children, their rows,
    the proposals not yet folded)."""
    children = list(Org.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True)
                    .order_by("path"))
    found = _read(children, [year])
    return [found[(c.pk, year)] for c in children]


# ---------------------------------------------------------------------------------------------
# The tiles: a figure of this year beside last year's (the figures page, the overview's panel)

@dataclass
class Kpi:
    label: Any
    now: Any
    before: Any
    unit: str = ""  # "%", or "" (the label says 万元)

    @property
    def trend(self) -> str:
        """up, down, or empty (the same, or no figure to compare)."""
        if self.now is None or self.before is None or self.now == self.before:
            return ""
        return "up" if self.now > self.before else "down"


# {key: (label, attribute of Figures, unit)}
KPIS: dict[str, tuple[Any, str, str]] = {
    "submitted": (_("Proposals submitted"), "submitted", ""),
    "adopted": (_("Proposals adopted"), "adopted", ""),
    "adoption_rate": (_("Adoption rate"), "adoption_rate", "%"),
    "benefit": (_("Net benefit (10,000 yuan)"), "benefit_wan", ""),
    "rewards": (_("Rewards paid (10,000 yuan)"), "rewards_wan", ""),
    "transferred": (_("Projects promoted and transferred"), "projects_transferred", ""),
    "prizes": (_("Achievements awarded a prize"), "prizes", ""),
    "matches": (_("Exhibition matches signed"), "matches_signed", ""),
    "signed_value": (_("Contract value signed (10,000 yuan)"), "signed_value_wan", ""),
    "tech_members": (_("Technical association members at year end"), "tech_members", ""),
    "tech_activities": (_("Technical association activities held"), "tech_activities", ""),
    "tech_contracts": (_("Four technical services contracts"), "tech_contracts", ""),
    "tech_value": (_("Four technical services value (10,000 yuan)"), "tech_contract_value_wan", ""),
}
HOME_KPIS = ("submitted", "adoption_rate", "benefit", "transferred", "prizes", "matches", "tech_members")


def kpis(this: Figures, last: Figures, keys: Sequence[str] = tuple(KPIS)) -> list[Kpi]:
    """The tiles of `keys`: this year's figure and last year's."""
    return [Kpi(KPIS[k][0], getattr(this, KPIS[k][1]), getattr(last, KPIS[k][1]), KPIS[k][2]) for k in keys]
