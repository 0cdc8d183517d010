"""Reads of labour competitions' evaluation, beside the verbs whose figures they must reproduce: a period's sheet
(the calculation for every unit: a preview while open, the stored results once closed) and the year (each unit's
periods, its year score and rank, the merits, the fund split with every step of the calculation)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError
from gongjiang.orgs.choices import OrgKind

from ..choices import PeriodState
from ..models import CompetingUnit, Competition, Evaluation, Indicator, Period, PeriodResult
from ..rules import labour as rules
from .labour import indicator_set

YEAR_METHODS = ("mean", "sum")


def is_individual(unit: CompetingUnit) -> bool:
    """Individual merits (立功) go to units that are a 班组 or a named person (no org); the other units
    (项目部, workshops, enterprises) are collectives (先进集体)."""
    return unit.org is None or unit.org.kind == OrgKind.TEAM


@dataclass
class SheetRow:
    """One unit in a period: how many evaluators entered something, the mean of each indicator, the veto,
    the score and place (stored once closed; a preview while open), or why it cannot be scored yet."""

    unit: CompetingUnit
    evaluators: int = 0
    means: dict[str, Decimal] = field(default_factory=dict)
    vetoed: bool = False
    score: Decimal | None = None
    place: int | None = None
    error: str = ""

    @property
    def evaluated(self) -> bool:
        return self.evaluators > 0 or self.vetoed


@dataclass
class PeriodSheet:
    period: Period
    indicators: list[Indicator]
    rows: list[SheetRow]

    @property
    def blocking(self) -> list[SheetRow]:
        """Units evaluated but not completely: closing is refused until they are."""
        return [r for r in self.rows if r.error]

    @property
    def not_evaluated(self) -> list[SheetRow]:
        return [r for r in self.rows if not r.evaluated]


def period_sheet(period: Period) -> PeriodSheet:
    """The calculation of a period for every unit (four queries whatever the size): the indicator means over
    the evaluators who entered them, the veto, the score and the place. A closed period shows its stored
    results; an open one a preview of what closing would give."""
    indicators = list(Indicator.objects.filter(competition=period.competition_id))
    units = list(CompetingUnit.objects.filter(competition=period.competition_id).select_related("org")
                 .order_by("name", "pk"))
    per_unit: dict[int, dict[int, dict[str, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    vetoed: set[int] = set()
    for unit_id, code, evaluator_id, value, veto in Evaluation.objects.filter(period=period).values_list(
            "unit_id", "indicator__code", "evaluator_id", "value", "veto"):
        per_unit[unit_id][evaluator_id][code] = value
        if veto:
            vetoed.add(unit_id)
    rows = [SheetRow(unit=u, evaluators=len(per_unit.get(u.pk, {})), vetoed=u.pk in vetoed) for u in units]
    try:
        indicators_rules = indicator_set(indicators)
    except DomainError as e:
        for row in rows:
            row.error = e.message
        return PeriodSheet(period, indicators, rows)
    for row in rows:
        sheets = list(per_unit.get(row.unit.pk, {}).values())
        if sheets:
            try:
                row.means = rules.indicator_means(sheets, indicators_rules)
            except DomainError as e:
                row.error = e.message
                continue
        if not row.evaluated:
            continue
        try:
            row.score = rules.period_score_of_evaluations(sheets, indicators_rules, vetoed=row.vetoed)
        except DomainError as e:
            row.error = e.message
    if period.state == PeriodState.CLOSED:
        stored = {r.unit_id: r for r in PeriodResult.objects.filter(period=period)}
        for row in rows:
            result = stored.get(row.unit.pk)
            row.score, row.place = (result.score, result.place) if result else (None, None)
            row.vetoed, row.error = (result.vetoed if result else row.vetoed), ""
    else:
        places = {r.key: r.place for r in rules.rank_period({row.unit.pk: row.score for row in rows
                                                             if row.score is not None and not row.error})}
        for row in rows:
            row.place = places.get(row.unit.pk)
    rows.sort(key=lambda r: (r.place is None, r.place or 0, r.unit.name, r.unit.pk))
    return PeriodSheet(period, indicators, rows)


@dataclass
class YearRow:
    unit: CompetingUnit
    cells: list[PeriodResult | None]
    year_score: Decimal | None = None
    rank: int | None = None
    award: str = ""
    category_place: int | None = None
    individual: bool = False

    @property
    def periods_scored(self) -> int:
        return sum(1 for c in self.cells if c is not None)

    @property
    def award_name(self) -> str:
        return rules.award_name(self.award) if self.award else ""


@dataclass
class SplitLine:
    """A row of the shown fund split: the unit and the rules' calculation (score, share %, exact amount,
    amount paid, whether it got one of the fen left over)."""

    unit: CompetingUnit
    calc: rules.SplitRow


@dataclass
class YearTable:
    competition: Competition
    method: str
    periods: list[Period]
    rows: list[YearRow]
    split: list[SplitLine]
    split_error: str = ""

    @property
    def closed_periods(self) -> list[Period]:
        return [p for p in self.periods if p.state == PeriodState.CLOSED]

    @property
    def split_total(self) -> Decimal:
        return sum((line.calc.amount for line in self.split), Decimal("0.00"))

    @property
    def extra_fen(self) -> int:
        return sum(1 for line in self.split if line.calc.extra_fen)

    @property
    def score_total(self) -> Decimal:
        return sum((line.calc.score for line in self.split if line.calc.eligible), Decimal("0.00"))

    def awarded(self, individual: bool) -> list[YearRow]:
        return sorted((r for r in self.rows if r.award and r.individual == individual),
                      key=lambda r: (r.category_place or 0, r.unit.pk))


def year_table(competition: Competition, method: str = "mean") -> YearTable:
    """The year of a labour competition, from the stored period results (four queries whatever the number of
    units and periods): each unit's score and place per closed period, its year score (mean or sum of the
    periods it was scored in), the ranking, the merits (individuals and collectives ranked apart) and the
    fund split in proportion to the year scores."""
    if method not in YEAR_METHODS:
        raise DomainError(_("Unknown method %(method)s for the year score; use mean or sum.") % {"method": method},
                          field="method")
    periods = list(Period.objects.filter(competition=competition))
    units = list(CompetingUnit.objects.filter(competition=competition).select_related("org").order_by("name", "pk"))
    results: dict[tuple[int, int], PeriodResult] = {
        (r.unit_id, r.period_id): r for r in PeriodResult.objects.filter(period__competition=competition)}
    rows = []
    for unit in units:
        cells = [results.get((unit.pk, p.pk)) for p in periods]
        row = YearRow(unit=unit, cells=cells, individual=is_individual(unit))
        scored = [c.score for c in cells if c is not None]
        if scored:
            row.year_score = rules.year_score(scored, method)  # type: ignore[arg-type]
        rows.append(row)
    scores = {r.unit.pk: r.year_score for r in rows if r.year_score is not None}
    places = {r.key: r.place for r in rules.rank_period(scores)}
    for individual, preset in ((True, rules.INDIVIDUAL_MERITS), (False, rules.COLLECTIVE_AWARDS)):
        ranked = rules.rank_period({r.unit.pk: r.year_score for r in rows
                                    if r.year_score is not None and r.individual == individual})
        awards = rules.merit_awards(ranked, preset) if ranked else {}
        category_places = {r.key: r.place for r in ranked}
        for row in rows:
            if row.individual == individual:
                row.award = awards.get(row.unit.pk, "")
                row.category_place = category_places.get(row.unit.pk)
    for row in rows:
        row.rank = places.get(row.unit.pk)
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.name, r.unit.pk))
    split: list[SplitLine] = []
    split_error = ""
    if scores:
        by_pk: dict[Hashable, CompetingUnit] = {u.pk: u for u in units}
        try:
            split = [SplitLine(by_pk[line.key], line)
                     for line in rules.explain_split(competition.fund_amount, scores)]
        except DomainError as e:
            split_error = e.message
    return YearTable(competition, method, periods, rows, split, split_error)
