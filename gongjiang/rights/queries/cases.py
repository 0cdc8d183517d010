"""Reading rights cases: the list of an org's reach with its filters, the to-do counts, the figures of a year (from
the fact store, and the median days to close computed from the closed cases)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from gongjiang.core.scoping import scope_for
from gongjiang.orgs import facts
from gongjiang.orgs.fact_models import Period
from gongjiang.orgs.models import Org

from .. import case_figures
from ..models.cases import Case, CaseKind, CaseResult, CaseStep
from ..rules import cases as rules


def today() -> datetime.date:
    return timezone.localdate()


def in_reach(org: Org) -> Q:
    """Cases handled in `org`'s reach or concerning a workplace in it."""
    return (Q(handler__path__startswith=org.path) | Q(handler__industry_path__startswith=org.path)
            | Q(site__path__startswith=org.path) | Q(site__industry_path__startswith=org.path))


def case_list(user: Any, org: Org, *, kind: str = "", step: str = "", overdue: bool = False,
              migrant: bool = False, day: datetime.date | None = None) -> QuerySet[Case]:
    """The cases of `org`'s reach the user may see, filtered. Filtering on migrant workers (a personal detail the
    list hides from unions that do not handle a case) keeps only the cases whose worker the user may see."""
    qs = Case.objects.for_user(user, "view").filter(in_reach(org))
    if kind in CaseKind.values:
        qs = qs.filter(kind=kind)
    if step == "open":
        qs = qs.exclude(step=CaseStep.CLOSED)
    elif step in CaseStep.values:
        qs = qs.filter(step=step)
    if overdue:
        qs = qs.exclude(step=CaseStep.CLOSED).filter(due_on__lt=day or today())
    if migrant:
        qs = qs.filter(migrants__gt=0).filter(pk__in=Case.objects.seen_by(user).values("pk"))
    return qs.select_related("handler", "employer", "region").order_by("-filed_on", "-pk")


def identified(user: Any, cases: list[Case]) -> set[int]:
    """Of these cases, those whose worker the user may see (the handling union's regional reach, or their own)."""
    scope = scope_for(user, "view")
    return {c.pk for c in cases if c.is_own(user) or scope.covers_regionally(c.handler.path)}


def waiting(user: Any) -> tuple[int, int]:
    """(cases waiting for acceptance, open cases past their step's deadline) at the unions the user handles."""
    from django.db.models import Count

    got = (Case.objects.for_user(user, "change").exclude(step=CaseStep.CLOSED)
           .aggregate(waiting=Count("pk", filter=Q(step=CaseStep.FILED)),
                      late=Count("pk", filter=Q(due_on__lt=today()))))
    return got["waiting"] or 0, got["late"] or 0


@dataclass
class Figures:
    by_kind: list[tuple[str, int]]
    by_result: list[tuple[str, int]]
    recovered: Decimal
    helped: int
    migrants: int
    closed: int
    median_days: float | None


def figures(org: Org, year: int) -> Figures:
    """The year's figures of `org` from the fact store (counted at the handling unions), and the median days to
    close from the cases closed in the year by the unions of its reach (a median does not add up: see
    case_figures)."""
    start = datetime.date(year, 1, 1)
    keys = [*case_figures.KIND_METRICS.values(), *case_figures.RESULT_METRICS.values(), case_figures.RECOVERED,
            case_figures.HELPED, case_figures.MIGRANTS]
    got = facts.values([org.pk], keys, Period.YEAR, start)

    def value(key: str) -> Decimal:
        return Decimal(got.get((org.pk, key)) or 0)

    days = [rules.days_to_close(f, c) for f, c in Case.objects.filter(
        Q(handler__path__startswith=org.path) | Q(handler__industry_path__startswith=org.path),
        closed_on__year=year).values_list("filed_on", "closed_on") if c is not None]
    by_result = [(str(r.label), int(value(case_figures.RESULT_METRICS[r.value]))) for r in CaseResult]
    return Figures(
        by_kind=[(str(k.label), int(value(case_figures.KIND_METRICS[k.value]))) for k in CaseKind],
        by_result=by_result, recovered=value(case_figures.RECOVERED), helped=int(value(case_figures.HELPED)),
        migrants=int(value(case_figures.MIGRANTS)), closed=sum(n for _l, n in by_result),
        median_days=rules.median(days))
