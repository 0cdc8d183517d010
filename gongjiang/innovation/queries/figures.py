"""The yearly figures as the pages and the API read them: from the counters (`YearFigure`, and the technical
associations' `TechFigure` rows of an org's whole reach), never by counting.

Every reader here is two queries whatever it reads: the rows of both tables come back together (a UNION ALL of the
two, each padded with zeros for the other's columns), and the proposals workers submitted since the last fold
(`counters.fold`, every minute) are counted in by their units (a partial index holds only those; their units' paths
are read by a third query when there are any) — so the overview's panel reads in two queries and the figures page
reads one org, its last five years and all its children in a constant number, never behind the proposals."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, IntegerField, Value
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs.models import Org

from ..counters import AWARD_FIELDS, PROJECT_FIELDS
from ..counters import FIELDS as YEAR_FIELDS
from ..models import Proposal, TechFigure, YearFigure
from ..rules.techassoc import active_at_year_end
from ..techassoc_counters import FIELDS as TECH_FIELDS
from ..techassoc_counters import KIND_FIELDS

_DECIMALS = {"benefit", "rewards", "signed_value", "contract_value"}


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
    # Innovation projects reaching each stage in the year: {stage code: count} (counters.PROJECT_FIELDS).
    projects: dict[str, int] = field(default_factory=dict)
    # Achievements submitted to the year's calls, and the prizes awarded by level: {awards_first: n, …}.
    achievements: int = 0
    awards: dict[str, int] = field(default_factory=dict)
    # The 6·18 exhibition's matches signed in the year and their contract value (yuan).
    matches_signed: int = 0
    signed_value: Decimal = Decimal(0)
    # The technical associations of the reach (TechFigure, own=False): members at the year's end (the sum of the
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
# Reading: one UNION ALL of the YearFigure rows of the years asked and the TechFigure rows (own=False) up to the last
# of them (the members at a year's end are the flows up to it).

def _zero(name: str) -> Value:
    if name in _DECIMALS:
        return Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))
    return Value(0, output_field=IntegerField())


def _columns(kind: int, own: Sequence[str]) -> dict[str, Any]:
    """The select list of one side of the union: its kind, org and year, then every column of both tables in one
    order (its own ones as they are, the other's as zeros)."""
    cols: dict[str, Any] = {"c_kind": Value(kind, output_field=IntegerField()), "c_org": F("org_id"),
                            "c_year": F("year")}
    for name in (*YEAR_FIELDS, *TECH_FIELDS):
        cols[f"c_{name}"] = F(name) if name in own else _zero(name)
    return cols


def _rows(org_ids: Iterable[int], years: Sequence[int]) -> list[dict[str, Any]]:
    ids = list(org_ids)
    if not ids or not years:
        return []
    year_rows = YearFigure.objects.filter(org_id__in=ids, year__in=list(years)).values(**_columns(0, YEAR_FIELDS))
    tech_rows = (TechFigure.objects.filter(org_id__in=ids, own=False, year__lte=max(years))
                 .values(**_columns(1, TECH_FIELDS)))
    found: Iterable[dict[str, Any]] = year_rows.union(tech_rows, all=True)  # type: ignore[assignment]
    return list(found)


def _num(row: dict[str, Any], name: str) -> Any:
    value = row[f"c_{name}"]  # the union's column types follow its first side: amounts to the fen again
    return Decimal(value or 0).quantize(Decimal("0.01")) if name in _DECIMALS else int(value or 0)


def _build(org: Org, year: int, year_row: dict[str, Any] | None, tech_rows: list[dict[str, Any]]) -> Figures:
    f = Figures(org, year)
    if year_row is not None:
        g = {n: _num(year_row, n) for n in YEAR_FIELDS}
        f.submitted, f.adopted, f.accounted, f.benefit = g["submitted"], g["adopted"], g["accounted"], g["benefit"]
        f.rewarded, f.rewards = g["rewarded"], g["rewards"]
        f.projects = {n: g[n] for n in PROJECT_FIELDS}
        f.achievements = g["achievements"]
        f.awards = {n: g[n] for n in AWARD_FIELDS}
        f.matches_signed, f.signed_value = g["matches_signed"], g["signed_value"]
    flows = [(r["c_year"], _num(r, "joined"), _num(r, "left")) for r in tech_rows]
    f.tech_members = active_at_year_end(flows, year)
    row = next((r for r in tech_rows if r["c_year"] == year), None)
    if row is not None:
        f.tech_joined, f.tech_left = _num(row, "joined"), _num(row, "left")
        f.tech_kinds = {k: _num(row, k) for k in KIND_FIELDS}
        f.tech_contracts, f.tech_contract_value = _num(row, "contracts"), _num(row, "contract_value")
    return f


def _not_folded(orgs: Sequence[Org], years: Sequence[int]) -> dict[tuple[int, int], int]:
    """{(org id, year): proposals submitted in its reach and not yet folded into its row}: one query over the
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
        for o in orgs:  # the unit's reach, as counters.add counts it: regionally and along its industry union
            if path.startswith(o.path) or (industry_path and industry_path.startswith(o.path)):
                found[(o.pk, year)] += n
    return found


def _read(orgs: Sequence[Org], years: Sequence[int]) -> dict[tuple[int, int], Figures]:
    """{(org id, year): Figures} for every org and year asked (two queries)."""
    year_rows: dict[tuple[int, int], dict[str, Any]] = {}
    tech_rows: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in _rows((o.pk for o in orgs), years):
        if r["c_kind"] == 0:
            year_rows[(r["c_org"], r["c_year"])] = r
        else:
            tech_rows[r["c_org"]].append(r)
    found = {(o.pk, y): _build(o, y, year_rows.get((o.pk, y)), tech_rows[o.pk]) for o in orgs for y in years}
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
    """The figures of `org` for its most recent years with any proposal figures, oldest first (three queries)."""
    recorded = list(YearFigure.objects.filter(org=org).order_by("-year").values_list("year", flat=True)[:last])
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
