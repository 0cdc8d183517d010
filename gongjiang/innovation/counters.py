"""The yearly figures (`YearFigure`) kept by the verbs: each adds its differences, with F(), to the rows of the
proposal's unit and of every union above it — regionally and along its industry union's tree — so a province,
city or industry union reads its figures from one row, never by counting proposals (DESIGN §5, as orgs/counters).

Rows missing for a year are made first (`ignore_conflicts`: two writers making the same row both go on), then one
UPDATE per verb adds the differences; the rows are touched in path order, so two writers never deadlock on them.
`rebuild()` recomputes every row from the proposals, the projects' stage decisions and the achievements (the demo,
the tests comparing it with what the verbs kept)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Sum

from gongjiang.orgs.models import Org
from gongjiang.orgs.scoping import ancestors

from .choices import AchievementState, CallState
from .models import Achievement, Match, Proposal, RewardPayment, StageDecision, YearFigure
from .rules import exhibition as expo_rules
from .rules import projects as project_rules

PROJECT_FIELDS = tuple(f"projects_{stage}" for stage in (*project_rules.ORDER, project_rules.STOPPED))
PROPOSAL_FIELDS = ("submitted", "adopted", "accounted", "benefit", "rewarded", "rewards")
AWARD_FIELDS = ("awards_first", "awards_second", "awards_third")
ACHIEVEMENT_FIELDS = ("achievements", *AWARD_FIELDS)
EXHIBITION_FIELDS = ("matches_signed", "signed_value")  # the 6·18 exhibition's signed matches (add_pair)
FIELDS = (*PROPOSAL_FIELDS, *PROJECT_FIELDS, *ACHIEVEMENT_FIELDS, *EXHIBITION_FIELDS)


def stage_field(stage: str) -> str:
    """The figure counting the projects that reached `stage` (projects_finding … projects_stopped)."""
    return f"projects_{stage}"


def award_field(award: int) -> str:
    """The figure counting the achievements given prize `award` (1, 2, 3)."""
    return AWARD_FIELDS[award - 1]


def reach_ids(unit: Org) -> list[int]:
    """The ids of the unit and of every org above it, regionally and through its industry union (one query)."""
    paths = set(ancestors(unit.path))
    if unit.industry_path:
        paths |= set(ancestors(unit.industry_path))
    return list(Org.objects.filter(path__in=paths).order_by("path").values_list("pk", flat=True))


def add(unit: Org, year: int, **deltas: int | Decimal) -> None:
    """Add `deltas` (submitted=1, benefit=Decimal(...)) to the year's figures of `unit`'s whole reach."""
    unknown = set(deltas) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown figures: {sorted(unknown)}")
    changes = {k: v for k, v in deltas.items() if v}
    if not changes:
        return
    ids = reach_ids(unit)
    YearFigure.objects.bulk_create([YearFigure(org_id=pk, year=year) for pk in ids], ignore_conflicts=True)
    YearFigure.objects.filter(org_id__in=ids, year=year).update(**{k: F(k) + v for k, v in changes.items()})


def add_pair(a: Org, b: Org, year: int, **deltas: int | Decimal) -> None:
    """Add `deltas` once to the year's figures of every org in the reach of `a` or of `b` (a match of two unions:
    the unions above both count it once)."""
    unknown = set(deltas) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown figures: {sorted(unknown)}")
    changes = {k: v for k, v in deltas.items() if v}
    if not changes:
        return
    ids = sorted(set(reach_ids(a)) | set(reach_ids(b)))
    YearFigure.objects.bulk_create([YearFigure(org_id=pk, year=year) for pk in ids], ignore_conflicts=True)
    YearFigure.objects.filter(org_id__in=ids, year=year).update(**{k: F(k) + v for k, v in changes.items()})


def fold(limit: int = 20000) -> int:
    """Settle the proposals workers submitted since the last fold (`Proposal.folded` False), up to `limit` of them:
    count them into the yearly rows of their unions and write their titles into the similarity index; returns how
    many. The rows are locked here, once per unit and year, rather than in every submission (where eight workers of
    one enterprise, or every worker of a province, would queue on the same rows), and a submission writes no index
    rows; the figures and the look-up of similar proposals read the proposals not folded meanwhile
    (`queries.figures`, `queries.similar`), so neither is ever behind. Run every minute by the task worker's timer
    (`manage.py fold_innovation`) and before a rebuild; two folds at once take different proposals (SKIP LOCKED
    on PostgreSQL)."""
    from django.db import transaction

    from .models import index_titles

    with transaction.atomic():
        waiting = list(Proposal.objects.select_for_update(skip_locked=True).filter(folded=False)
                       .order_by("pk").values_list("pk", "unit_id", "year", "enterprise_id", "title")[:limit])
        if not waiting:
            return 0
        per: dict[tuple[int, int], int] = defaultdict(int)
        for _pk, unit_id, year, _e, _t in waiting:
            per[(unit_id, year)] += 1
        units = Org.objects.in_bulk({u for u, _y in per})
        for (unit_id, year), n in sorted(per.items(), key=lambda kv: (units[kv[0][0]].path, kv[0][1])):
            add(units[unit_id], year, submitted=n)
        index_titles((pk, enterprise_id, title) for pk, _u, _y, enterprise_id, title in waiting)
        Proposal.objects.filter(pk__in=[row[0] for row in waiting]).update(folded=True)
    return len(waiting)


def _reach_paths(unit: Org) -> set[str]:
    return set(ancestors(unit.path)) | (set(ancestors(unit.industry_path)) if unit.industry_path else set())


def rebuild() -> int:
    """Recompute every row from the proposals, the ledger and the projects' stage decisions; returns the number of
    rows written."""
    while fold():  # every proposal indexed (and counted below)
        pass
    own: dict[tuple[int, int], dict[str, Any]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for unit_id, year, n in Proposal.objects.values_list("unit_id", "year").order_by().annotate(n=Count("pk")):
        own[(unit_id, year)]["submitted"] += n
    adopted = (Proposal.objects.filter(benefit__forecast_locked_at__isnull=False)
               .values_list("unit_id", "benefit__forecast_locked_at__year").order_by().annotate(n=Count("pk")))
    for unit_id, year, n in adopted:
        own[(unit_id, year)]["adopted"] += n
    accounted = (Proposal.objects.filter(benefit__signed_off_at__isnull=False)
                 .values_list("unit_id", "benefit__signed_off_at__year").order_by()
                 .annotate(n=Count("pk"), gross=Sum("benefit__gross"), cost=Sum("benefit__cost")))
    for unit_id, year, n, gross, cost in accounted:
        figures = own[(unit_id, year)]
        figures["accounted"] += n
        figures["benefit"] += (gross or Decimal(0)) - (cost or Decimal(0))
    paid = (RewardPayment.objects.values_list("proposal__unit_id", "year").order_by()
            .annotate(n=Count("proposal", distinct=True), amount=Sum("amount")))
    for unit_id, year, n, amount in paid:
        figures = own[(unit_id, year)]
        figures["rewarded"] += n
        figures["rewards"] += amount or Decimal(0)
    decisions = (StageDecision.objects.values_list("project__org_id", "decided_at__year", "stage").order_by()
                 .annotate(n=Count("pk")))
    for org_id, year, stage, n in decisions:
        own[(org_id, year)][stage_field(stage)] += n
    entered = (Achievement.objects.filter(state=AchievementState.SUBMITTED).values_list("enterprise_id", "call__year")
               .order_by().annotate(n=Count("pk")))
    for enterprise_id, year, n in entered:
        own[(enterprise_id, year)]["achievements"] += n
    awarded = (Achievement.objects.filter(state=AchievementState.SUBMITTED, call__state=CallState.FINAL, award__gt=0)
               .values_list("enterprise_id", "call__year", "award").order_by().annotate(n=Count("pk")))
    for enterprise_id, year, award, n in awarded:
        own[(enterprise_id, year)][award_field(award)] += n
    units = {o.pk: o for o in Org.objects.filter(pk__in={u for u, _y in own})}
    paths = dict(Org.objects.values_list("path", "pk"))
    totals: dict[tuple[int, int], dict[str, Any]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for (unit_id, year), figures in own.items():
        unit = units[unit_id]
        reach = set(ancestors(unit.path)) | (set(ancestors(unit.industry_path)) if unit.industry_path else set())
        for path in reach:
            if path in paths:
                total = totals[(paths[path], year)]
                for k in FIELDS:
                    total[k] += figures[k]
    _rebuild_matches(totals, paths)
    YearFigure.objects.all().delete()
    YearFigure.objects.bulk_create([YearFigure(org_id=org_id, year=year, **figures)
                                    for (org_id, year), figures in totals.items()], batch_size=2000)
    from . import techassoc_counters  # the technical associations' figures and counters

    return len(totals) + techassoc_counters.rebuild()


def _rebuild_matches(totals: dict[tuple[int, int], dict[str, Any]], paths: dict[str, int]) -> None:
    """The exhibition's signed matches (signed or implemented), each once in the reach of both its unions."""
    signed = list(Match.objects.filter(state__in=expo_rules.COUNTED, signed_on__isnull=False)
                  .values_list("offer__org_id", "need__org_id", "signed_on", "contract_value"))
    orgs = {o.pk: o for o in Org.objects.filter(pk__in={x for row in signed for x in row[:2]})}
    for offer_org, need_org, signed_on, value in signed:
        if signed_on is None:  # filtered out above; the checker cannot see it
            continue
        for path in _reach_paths(orgs[offer_org]) | _reach_paths(orgs[need_org]):
            if path in paths:
                total = totals[(paths[path], signed_on.year)]
                total["matches_signed"] += 1
                total["signed_value"] += value or Decimal(0)
