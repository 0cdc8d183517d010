"""The figures of rights cases in the fact store (orgs/facts.py), all counted at the HANDLING union (never at the
employer's: an enterprise union must not learn from its figures that one of its workers complained to the county):

- `rights.cases_<kind>`: cases filed, by kind, on the day filed (moved with the case when it is transferred);
- `rights.cases_migrants`: migrant workers involved in the cases filed, on the day filed (moved likewise);
- `rights.cases_closed_<result>`: cases closed, by result, on the day closed;
- `rights.cases_recovered`: money recovered for the workers (yuan), on the day closed;
- `rights.cases_helped`: workers helped, on the day closed.

The median days to close is not kept: a median does not add up along the tree (the median of a county is not made
from its towns' medians). The cases page computes it from the closed cases of the year in the org's reach (one
query of two dates per closed case, a few thousand rows for a province: `queries.case_figures`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs import facts
from gongjiang.orgs.models import Org

from .models.cases import CaseKind, CaseResult

MIGRANTS = "rights.cases_migrants"
RECOVERED = "rights.cases_recovered"
HELPED = "rights.cases_helped"


def kind_metric(kind: str) -> str:
    return f"rights.cases_{kind}"


def result_metric(result: str) -> str:
    return f"rights.cases_closed_{result}"


KIND_METRICS = {k.value: kind_metric(k.value) for k in CaseKind}
RESULT_METRICS = {r.value: result_metric(r.value) for r in CaseResult}


def metrics() -> list[facts.Metric]:
    out = [facts.Metric(kind_metric(k.value), k.label, _("cases (unit)"),
                        _("Rights cases of this kind filed, counted at the handling union on the day filed."),
                        order=60 + i) for i, k in enumerate(CaseKind)]
    out += [facts.Metric(result_metric(r.value), r.label, _("cases (unit)"),
                         _("Rights cases closed with this result, counted at the handling union on the day closed."),
                         order=70 + i) for i, r in enumerate(CaseResult)]
    out += [
        facts.Metric(MIGRANTS, _("Migrant workers in rights cases"), _("people"),
                     _("Migrant workers involved in the rights cases filed, counted at the handling union on the day "
                       "filed."), order=80),
        facts.Metric(RECOVERED, _("Money recovered for workers"), _("yuan"),
                     _("Money recovered for the workers in closed rights cases, counted at the handling union on the "
                       "day closed."), places=2, wan=True, order=81),
        facts.Metric(HELPED, _("Workers helped in rights cases"), _("people"),
                     _("Workers helped in closed rights cases, counted at the handling union on the day closed."),
                     order=82),
    ]
    return out


def rows() -> Iterator[facts.Row]:
    from .models import Case

    for handler, day, kind, n, migrants in (Case.objects.values_list("handler_id", "filed_on", "kind").order_by()
                                            .annotate(n=Count("pk"), m=Sum("migrants"))):
        yield handler, day, KIND_METRICS[kind], n
        if migrants:
            yield handler, day, MIGRANTS, migrants
    closed = Case.objects.exclude(closed_on=None)
    for handler, day, result, n, money, helped in (closed.values_list("handler_id", "closed_on", "result")
                                                   .order_by().annotate(n=Count("pk"), r=Sum("recovered"),
                                                                        h=Sum("helped"))):
        yield handler, day, RESULT_METRICS[result], n
        if money:
            yield handler, day, RECOVERED, Decimal(money)
        if helped:
            yield handler, day, HELPED, helped


def filed(handler: Org, day: datetime.date, kind: str, migrants: int, sign: int = 1) -> None:
    """A case filed at `handler` (sign -1: taken away from it by a transfer)."""
    deltas: dict[str, int] = {KIND_METRICS[kind]: sign}
    if migrants:
        deltas[MIGRANTS] = sign * migrants
    facts.add(handler, day, deltas)


def closed(handler: Org, day: datetime.date, result: str, recovered: Decimal | None, helped: int | None) -> None:
    deltas: dict[str, int | Decimal] = {RESULT_METRICS[result]: 1}
    if recovered:
        deltas[RECOVERED] = recovered
    if helped:
        deltas[HELPED] = helped
    facts.add(handler, day, deltas)
