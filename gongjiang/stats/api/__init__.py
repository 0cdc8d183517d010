"""The statistics endpoints (mounted by gongjiang/api.py from StatsConfig.api_router): the fact store for users who
build their own reports — the metrics (key, label, unit, definition), the facts of an org (by metric, kind of period
and range, paginated) — and the dashboard's data. Same scopes as the pages: an org outside them is a 404; a bad
metric or period is a 422 naming the field, in Chinese."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.core.errors import DomainError
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact, Org

from ..queries import dashboard as q
from ..queries import periods

router = Router(tags=["stats"])


class MetricOut(Schema):
    key: str = Field(description="app.name, as stored in every fact")
    app: str
    app_label: str
    label: str
    unit: str = Field(description="The unit the dashboard shows (万元 for amounts quoted in 万元).")
    stored_unit: str = Field(description="The unit of the stored value (元 for amounts).")
    definition: str
    places: int
    wan: bool = Field(description="Reports quote it in 万元; the stored value is in yuan.")


class FactOut(Schema):
    org_id: int
    metric: str
    period: str = Field(description="year, month or day")
    start: datetime.date
    end: datetime.date
    value: Decimal = Field(description="As stored: yuan for amounts (not 万元).")


class FactFilters(Schema):
    org: Id = Field(description="The organisation (its figures cover its whole reach).")
    metric: str | None = Field(None, max_length=48, description="A metric key (all metrics when not given).")
    period: str | None = Field(None, max_length=8, description="year, month or day (all kinds when not given).")
    start: str | None = Field(None, max_length=10, description="The first period: 2025, 2025-01 or 2025-01-31 "
                                                               "(needs `period`).")
    end: str | None = Field(None, max_length=10, description="The last period, written like `start`.")


def _org(request: HttpRequest, pk: int) -> Org:
    return one(Org.objects.for_user(request.auth, "view"), pk)


@router.get("/stats/metrics", response={200: list[MetricOut], **ERRORS}, summary="The metrics of the fact store")
def metrics(request: HttpRequest) -> list[dict[str, Any]]:
    return [q.metric_data(m) for m in facts.metrics()]


@router.get("/stats/facts", response={200: list[FactOut], **ERRORS}, summary="Facts of an organisation")
@paginate(Pagination)
def fact_list(request: HttpRequest, filters: Query[FactFilters]) -> Listing:
    """The stored figures of one org (in your scope), oldest period first, by metric. Each is the org's whole
    reach for the period."""
    kind = periods.parse_kind(filters.period, field="period")
    if (filters.start or filters.end) and kind is None:
        raise DomainError(_("Give the kind of period (year, month or day) with a range."), field="period",
                          status=422)
    first = periods.of_kind(filters.start, kind, field="start") if kind else None
    last = periods.of_kind(filters.end, kind, field="end") if kind else None
    if first and last and first.start > last.start:
        raise DomainError(_("The range ends before it starts."), field="end", status=422)
    if filters.metric:
        q.metric_or_error(filters.metric)
    org = _org(request, filters.org)
    qs = Fact.objects.filter(org=org, metric__in=[filters.metric] if filters.metric else
                             [m.key for m in facts.metrics()]).exclude(value=0)
    if kind:
        qs = qs.filter(period=kind)
    if first:
        qs = qs.filter(start__gte=first.start)
    if last:
        qs = qs.filter(start__lte=last.start)
    names = {"Y": "year", "M": "month", "D": "day"}
    return Listing(qs.order_by("metric", "period", "start"), render=lambda f: {
        "org_id": f.org_id, "metric": f.metric, "period": names[f.period], "start": f.start,
        "end": facts.period_end(f.period, f.start), "value": f.value})


class DashboardFilters(Schema):
    org: Id
    period: str | None = Field(None, max_length=10, description="2026, 2026-03 or 2026-03-14 (this year when "
                                                                "not given).")
    tree: str | None = Field(None, description="region or industry: the breakdown's tree.")
    app: str | None = Field(None, max_length=48, description="The app whose metrics the trend and breakdown show.")
    metric: str | None = Field(None, max_length=48, description="The metric the breakdown's chart shows.")


@router.get("/stats/dashboard", response={200: dict[str, Any], **ERRORS}, summary="The dashboard of an organisation")
def dashboard(request: HttpRequest, filters: Query[DashboardFilters]) -> dict[str, Any]:
    """What the 统计 page shows: tiles of every metric (value, a year before, change in percent; amounts in 万元
    where the metric says), the trend and the breakdown by child org of the chosen app's metrics."""
    period = periods.parse(filters.period, field="period")
    if filters.tree not in (None, q.REGION, q.INDUSTRY):
        raise DomainError(_("The tree is region or industry."), field="tree", status=422)
    org = _org(request, filters.org)
    return q.data(org, period, tree=filters.tree, app=filters.app, metric=filters.metric)
