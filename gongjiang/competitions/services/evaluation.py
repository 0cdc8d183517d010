"""Labour competitions, the evaluation: the appointed evaluators enter their values, the organiser closes
each period, and the year's results, merit awards and the split of the competition fund ("以赛绩定收入") are
read from the closed periods. The set-up (indicators, units, periods, evaluators) is in `labour`; the
arithmetic in `rules.labour`.

- Evaluators enter one value 0–100 per unit × indicator in each open period, each under their own name; on
  a safety indicator they may flag a serious safety accident (the veto).
- Closing a period computes every evaluated unit's score (means over the evaluators, then the weighted sum)
  and its place, stored as `PeriodResult`; the period is then read-only for good (no reopening: awards and
  money are computed from it).
- The year: a unit's year score is the mean (or the sum) of its closed periods; units are ranked on it, the
  merits follow (一等功/二等功/三等功 for individuals — units whose org is a 班组 or that are a named
  person — and 先进集体 for the collectives), and the fund is split in proportion to the year scores, to
  the fen, with every step of the calculation returned for display.

Reads (`period_sheet`, `year_table`) live here too, beside the writes whose figures they must reproduce.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.orgs.choices import OrgKind

from ..choices import PeriodState
from ..models import CompetingUnit, Competition, Evaluation, Indicator, Period, PeriodResult
from ..rules import labour as rules
from .common import _require_organiser
from .labour import indicator_set, is_evaluator

YEAR_METHODS = ("mean", "sum")
HUNDRED = Decimal(100)


def is_individual(unit: CompetingUnit) -> bool:
    """Individual merits (立功) go to units that are a 班组 or a named person (no org); the other units
    (项目部, workshops, enterprises) are collectives (先进集体)."""
    return unit.org_id is None or unit.org.kind == OrgKind.TEAM


# ---------------------------------------------------------------------------------------------
# Evaluations


@dataclass(frozen=True)
class Cell:
    """One cell of an evaluator's grid: a value 0–100 (None clears the cell) and, on a safety indicator, the
    veto flag (a serious safety accident; the value may then be left blank and is stored as 0)."""

    unit_id: int
    indicator_id: int
    value: Decimal | None
    veto: bool = False


def clean_value(raw: Any) -> Decimal | None:
    """An evaluator's input as a value with two decimals, or None for a blank; refused with a clear message."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, float):
        raw = str(raw)
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("“%(value)s” is not a number.") % {"value": raw}, field="value") from None
    if not value.is_finite():
        raise DomainError(_("“%(value)s” is not a number.") % {"value": raw}, field="value")
    if not 0 <= value <= HUNDRED:
        raise DomainError(_("A value is between 0 and 100; %(value)s is not.") % {"value": raw}, field="value")
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(_("A value has at most two decimals; %(value)s has more.") % {"value": raw},
                          field="value")
    return value.quantize(Decimal("0.01"))


def _lock_period(period: Period) -> Period:
    return Period.objects.select_for_update(of=("self",)).select_related("competition__organiser").get(pk=period.pk)


def _require_open(period: Period) -> None:
    if period.state != PeriodState.OPEN:
        raise DomainError(_("%(period)s is closed: its evaluations can no longer be changed.")
                          % {"period": period.label}, code="state")


def _require_evaluator(period: Period, actor: Any) -> None:
    if not is_evaluator(period.competition, actor):
        raise PermissionDeniedError(_("Only the appointed evaluators of %(competition)s enter evaluations.")
                                    % {"competition": period.competition.name})


def _write_cells(actor: Any, period: Period, cells: list[Cell]) -> dict[tuple[int, int], Evaluation | None]:
    """Validate every cell, then write (create, update or clear) the actor's evaluations; returns the stored
    evaluation of each cell (None when cleared). Nothing is written when one cell is refused."""
    units = {u.pk: u for u in CompetingUnit.objects.filter(competition=period.competition_id)}
    indicators = {i.pk: i for i in Indicator.objects.filter(competition=period.competition_id)}
    errors: dict[str, str] = {}
    for cell in cells:
        key = f"{cell.unit_id}-{cell.indicator_id}"
        if cell.unit_id not in units:
            errors[key] = _("This unit does not compete in %(competition)s.") % {
                "competition": period.competition.name}
        elif cell.indicator_id not in indicators:
            errors[key] = _("This indicator does not belong to %(competition)s.") % {
                "competition": period.competition.name}
        elif cell.veto and not indicators[cell.indicator_id].is_safety:
            errors[key] = _("Only a safety indicator carries the veto (a serious safety accident).")
        elif cell.value is not None:
            try:
                clean_value(cell.value)
            except DomainError as e:
                errors[key] = e.message
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    existing = {(e.unit_id, e.indicator_id): e for e in Evaluation.objects.filter(
        period=period, evaluator_id=actor.pk, unit_id__in={c.unit_id for c in cells},
        indicator_id__in={c.indicator_id for c in cells})}
    stored: dict[tuple[int, int], Evaluation | None] = {}
    changes = []
    for cell in cells:
        key = (cell.unit_id, cell.indicator_id)
        old = existing.get(key)
        value = cell.value if cell.value is not None else (Decimal("0.00") if cell.veto else None)
        if value is None:
            if old is not None:
                old.delete()
                changes.append([units[cell.unit_id].name, indicators[cell.indicator_id].code, str(old.value), None])
            stored[key] = None
            continue
        if old is None:
            stored[key] = Evaluation.objects.create(period=period, unit_id=cell.unit_id,
                                                    indicator_id=cell.indicator_id, evaluator_id=actor.pk,
                                                    value=value, veto=cell.veto)
            changes.append([units[cell.unit_id].name, indicators[cell.indicator_id].code, None, str(value),
                            cell.veto])
        elif old.value != value or old.veto != cell.veto:
            changes.append([units[cell.unit_id].name, indicators[cell.indicator_id].code, str(old.value), str(value),
                            cell.veto])
            old.value, old.veto = value, cell.veto
            old.save(update_fields=["value", "veto", "updated_at"])
            stored[key] = old
        else:
            stored[key] = old
    if changes:
        audit.record(actor, "competitions.labour.evaluations_entered", period.competition,
                     after={"period": period.label, "changes": changes})
    return stored


@transaction.atomic
def enter_evaluation(*, actor: Any, period: Period, unit: CompetingUnit, indicator: Indicator,
                     value: Decimal | None, veto: bool = False) -> Evaluation | None:
    """Save one cell of the actor's grid (an appointed evaluator, an open period): the value 0–100, or None
    to clear it; the veto only on a safety indicator. Returns the stored evaluation (None when cleared)."""
    period = _lock_period(period)
    _require_evaluator(period, actor)
    _require_open(period)
    try:
        stored = _write_cells(actor, period, [Cell(unit.pk, indicator.pk, value, veto)])
    except DomainError as e:
        raise DomainError(e.message, field="value") from None
    return stored[(unit.pk, indicator.pk)]


@transaction.atomic
def enter_evaluations(*, actor: Any, period: Period, cells: list[Cell]) -> int:
    """Save a whole grid at once (the form without JavaScript): every cell is checked first and nothing is
    saved when one is refused (`errors` maps "unit-indicator" to its message). Returns the cells saved."""
    period = _lock_period(period)
    _require_evaluator(period, actor)
    _require_open(period)
    return len(_write_cells(actor, period, cells))


# ---------------------------------------------------------------------------------------------
# A period: its sheet (the calculation) and closing it


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


@transaction.atomic
def close_period(*, actor: Any, period: Period) -> list[PeriodResult]:
    """Close a period: every evaluated unit gets its score (means over the evaluators, weighted sum; 0 when a
    serious safety accident was flagged and the veto is on) and its place, stored; the period is read-only
    from then on. Refused when a unit is evaluated incompletely (naming it and the missing indicator) or
    when nobody has been evaluated. Units with no evaluation at all are not scored in this period."""
    period = _lock_period(period)
    _require_organiser(period.competition, actor)
    if period.state == PeriodState.CLOSED:
        raise DomainError(_("%(period)s is closed already.") % {"period": period.label}, code="state")
    sheet = period_sheet(period)
    if sheet.blocking:
        row = sheet.blocking[0]
        raise DomainError(_("%(unit)s cannot be scored yet: %(reason)s") % {"unit": row.unit.name,
                                                                           "reason": row.error},
                          field="period", errors={str(r.unit.pk): r.error for r in sheet.blocking})
    scored = [r for r in sheet.rows if r.score is not None]
    if not scored:
        raise DomainError(_("No unit has been evaluated in %(period)s.") % {"period": period.label},
                          field="period")
    ranked = {r.key: r.place for r in rules.rank_period({r.unit.pk: r.score for r in scored})}
    results = PeriodResult.objects.bulk_create([
        PeriodResult(period=period, unit=r.unit, score=r.score, place=ranked[r.unit.pk], vetoed=r.vetoed)
        for r in scored])
    period.state = PeriodState.CLOSED
    period.save(update_fields=["state"])
    audit.record(actor, "competitions.labour.period_closed", period.competition, after={
        "period": period.label,
        "results": [[r.unit.name, str(r.score), ranked[r.unit.pk], r.vetoed] for r in scored],
        "not_evaluated": [r.unit.name for r in sheet.not_evaluated]})
    return results


def reopen_period(*, actor: Any, period: Period) -> None:
    """Always refused: a closed period's results feed the year ranking, the awards and the fund split, so
    they are final. (A correction is a decision of the organising committee outside the system.)"""
    _require_organiser(period.competition, actor)
    raise DomainError(_("A closed period cannot be reopened: its results are final."), code="state")


# ---------------------------------------------------------------------------------------------
# The year: scores, ranking, awards, the fund split


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
        by_pk = {u.pk: u for u in units}
        try:
            split = [SplitLine(by_pk[line.key], line)
                     for line in rules.explain_split(competition.fund_amount, scores)]
        except DomainError as e:
            split_error = e.message
    return YearTable(competition, method, periods, rows, split, split_error)
