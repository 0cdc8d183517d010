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

What the pages show — a period's sheet, the year's table — is read by `queries.evaluation`, which closing a period
uses too, so what is stored is what was shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.models import User

from .. import labour_figures
from ..choices import PeriodState
from ..models import CompetingUnit, Evaluation, Indicator, Period, PeriodResult
from ..queries.evaluation import period_sheet
from ..queries.labour import is_evaluator
from ..rules import labour as rules
from .common import _require_organiser

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


def _lock_period(period: Period) -> Period:
    return Period.objects.select_for_update(of=("self",)).select_related("competition__organiser").get(pk=period.pk)


def _require_open(period: Period) -> None:
    if period.state != PeriodState.OPEN:
        raise DomainError(_("%(period)s is closed: its evaluations can no longer be changed.")
                          % {"period": period.label}, code="state")


def _require_evaluator(period: Period, actor: User) -> None:
    if not is_evaluator(period.competition, actor):
        raise PermissionDeniedError(_("Only the appointed evaluators of %(competition)s enter evaluations.")
                                    % {"competition": period.competition.name})


def _write_cells(actor: User, period: Period, cells: list[Cell]) -> dict[tuple[int, int], Evaluation | None]:
    """Validate every cell, then write (create, update or clear) the actor's evaluations; returns the stored
    evaluation of each cell (None when cleared). Nothing is written when one cell is refused."""
    units = {u.pk: u for u in CompetingUnit.objects.filter(competition=period.competition_id)}
    indicators = {i.pk: i for i in Indicator.objects.filter(competition=period.competition_id)}
    errors: dict[str, str] = {}
    for cell in cells:
        where = f"{cell.unit_id}-{cell.indicator_id}"
        if cell.unit_id not in units:
            errors[where] = _("This unit does not compete in %(competition)s.") % {
                "competition": period.competition.name}
        elif cell.indicator_id not in indicators:
            errors[where] = _("This indicator does not belong to %(competition)s.") % {
                "competition": period.competition.name}
        elif cell.veto and not indicators[cell.indicator_id].is_safety:
            errors[where] = _("Only a safety indicator carries the veto (a serious safety accident).")
        elif cell.value is not None:
            try:
                rules.clean_value(cell.value)
            except DomainError as e:
                errors[where] = e.message
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    existing = {(e.unit_id, e.indicator_id): e for e in Evaluation.objects.filter(
        period=period, evaluator_id=actor.pk, unit_id__in={c.unit_id for c in cells},
        indicator_id__in={c.indicator_id for c in cells})}
    stored: dict[tuple[int, int], Evaluation | None] = {}
    changes: list[list[str | bool | None]] = []  # unit, indicator, old value, new value[, veto]
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


@verb
def enter_evaluation(*, actor: User, period: Period, unit: CompetingUnit, indicator: Indicator,
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


@verb
def enter_evaluations(*, actor: User, period: Period, cells: list[Cell]) -> int:
    """Save a whole grid at once (the form without JavaScript): every cell is checked first and nothing is
    saved when one is refused (`errors` maps "unit-indicator" to its message). Returns the cells saved."""
    period = _lock_period(period)
    _require_evaluator(period, actor)
    _require_open(period)
    return len(_write_cells(actor, period, cells))


# ---------------------------------------------------------------------------------------------
# A period: its sheet (the calculation) and closing it


@verb
def close_period(*, actor: User, period: Period) -> list[PeriodResult]:
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
    ranked = {r.key: r.place for r in rules.rank_period({r.unit.pk: cast(Decimal, r.score) for r in scored})}
    results = PeriodResult.objects.bulk_create([
        PeriodResult(period=period, unit=r.unit, score=cast(Decimal, r.score), place=ranked[r.unit.pk],
                     vetoed=r.vetoed)
        for r in scored])  # scored: those with a score
    period.state = PeriodState.CLOSED
    period.save(update_fields=["state"])
    facts.add(period.competition.organiser, period.ends_on, {labour_figures.LABOUR_PERIODS: 1})
    audit.record(actor, "competitions.labour.period_closed", period.competition, after={
        "period": period.label,
        "results": [[r.unit.name, str(r.score), ranked[r.unit.pk], r.vetoed] for r in scored],
        "not_evaluated": [r.unit.name for r in sheet.not_evaluated]})
    return results


# ---------------------------------------------------------------------------------------------
# The year: scores, ranking, awards, the fund split


