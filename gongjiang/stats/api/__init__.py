"""The statistics endpoints (mounted by gongjiang/api.py from StatsConfig.api_router): the fact store for users who
build their own reports — the metrics (key, label, unit, definition), the facts of an org (by metric, kind of period
and range, paginated) — and the dashboard's data. Same scopes as the pages: an org outside them is a 404; a bad
metric or period is a 422 naming the field, in Chinese. And data requests (报表): send one, see its completeness and
returns, remind; fill in and report a return."""

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.core.errors import DomainError
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact, Org

from .. import services
from ..models import DataRequest, DataReturn
from ..queries import dashboard as q
from ..queries import periods
from ..queries import requests as rq

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


# ---------------------------------------------------------------------------------------------
# Data requests (报表)


class IndicatorIn(Schema):
    metric: str | None = Field(None, max_length=48, description="A metric of the fact store (prefilled), or none.")
    label: str | None = Field(None, max_length=60, description="The name of an indicator only the unions know.")
    unit: str | None = Field(None, max_length=12)
    places: int = Field(0, description="Decimals allowed (0–4).")
    negative: bool = Field(False, description="Whether a figure below zero can be true.")


class RequestIn(Schema):
    org_id: Id = Field(..., description="The requesting union.")
    title: str = Field(..., max_length=120)
    period: str = Field(..., max_length=10, description="2026, 2026-03 or 2026-03-14.")
    due: datetime.date = Field(..., description="The day to report by.")
    note: str = Field("", max_length=2000)
    indicators: list[IndicatorIn]
    recipient_ids: list[Id] = Field(..., description="The unions that report (below the requesting union).")


class IndicatorOut(Schema):
    key: str
    label: str
    unit: str
    places: int
    negative: bool
    metric: str = Field(description="The fact-store metric the figure is prefilled from; empty if none.")


class CompletenessOut(Schema):
    expected: int
    reported: int
    on_time: int
    returned: int
    rate: Decimal = Field(description="Reported / expected, in percent.")
    on_time_rate: Decimal


class ReturnOut(Schema):
    id: int
    request_id: int
    org_id: int
    org_name: str
    state: str = Field(description="pending, draft, submitted or returned")
    values: dict[str, str] = Field(description="indicator key → figure (万元 for amounts)")
    platform: dict[str, str] = Field(description="The platform's figures: when prefilled, or when reported.")
    reason: str
    submitted_at: datetime.datetime | None
    on_time: bool


class RequestOut(Schema):
    id: int
    org_id: int
    org_name: str
    title: str
    period: str
    due: datetime.date
    note: str
    state: str = Field(description="open or closed")
    indicators: list[IndicatorOut]
    completeness: CompletenessOut | None = Field(description="To the requesting union only.")
    returns: list[ReturnOut] = Field(description="All of them to the requesting union; a union its own.")


class FiguresIn(Schema):
    values: dict[str, str | int | float | None]
    report: bool = Field(False, description="Report the return (every figure required), or only save it.")


def _return_out(r: DataReturn) -> dict[str, Any]:
    return {"id": r.pk, "request_id": r.request_id, "org_id": r.org_id, "org_name": r.org.display_name,
            "state": r.state, "values": r.values, "platform": r.platform, "reason": r.reason,
            "submitted_at": r.submitted_at, "on_time": r.on_time}


def _request_out(found: DataRequest, user: Any) -> dict[str, Any]:
    view = rq.overview(found, user)
    c = view.completeness
    return {"id": found.pk, "org_id": found.org_id, "org_name": found.org.display_name, "title": found.title,
            "period": periods.Chosen(found.period, found.start).code, "due": found.due, "note": found.note,
            "state": found.state, "indicators": found.indicators,
            "completeness": {"expected": c.expected, "reported": c.reported, "on_time": c.on_time,
                             "returned": c.returned, "rate": c.rate, "on_time_rate": c.on_time_rate}
            if view.requesting else None,
            "returns": [_return_out(r) for r in view.returns]}


@router.get("/stats/requests", response={200: list[RequestOut], **ERRORS}, summary="Data requests")
@paginate(Pagination)
def list_requests(request: HttpRequest) -> Listing:
    """The requests your unions sent (with completeness and every return) and those addressed to your unions
    (with your own return)."""
    user = request.auth  # type: ignore[attr-defined]
    return Listing(rq.requests_for(user), render=lambda r: _request_out(r, user))


@router.post("/stats/requests", response={201: RequestOut, **ERRORS}, summary="Send a data request")
def issue_request(request: HttpRequest, payload: RequestIn) -> Any:
    """Every problem is told at once (fields title, period, due, indicators, recipients)."""
    user = request.auth  # type: ignore[attr-defined]
    orgs = Org.objects.for_user(user, "view")
    org = one(orgs, payload.org_id, "org_id")
    recipients = [one(orgs, pk, "recipient_ids") for pk in payload.recipient_ids]
    made = services.issue_request(actor=user, org=org, title=payload.title, period=payload.period, due=payload.due,
                                  indicators=[i.dict() for i in payload.indicators], recipients=recipients,
                                  note=payload.note)
    return Status(201, _request_out(made, user))


@router.get("/stats/requests/{request_id}", response={200: RequestOut, **ERRORS}, summary="One data request")
def get_request(request: HttpRequest, request_id: int) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return _request_out(one(rq.requests_for(user), request_id), user)


@router.post("/stats/requests/{request_id}/remind", response={200: dict[str, int], **ERRORS},
             summary="Remind the unions that have not reported")
def remind(request: HttpRequest, request_id: int) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return {"reminded": services.remind(actor=user, request=one(rq.requests_for(user), request_id))}


@router.get("/stats/returns/{return_id}", response={200: ReturnOut, **ERRORS}, summary="One return")
def get_return(request: HttpRequest, return_id: int) -> Any:
    user = request.auth  # type: ignore[attr-defined]
    return _return_out(one(DataReturn.objects.for_user(user).select_related("org"), return_id))


@router.put("/stats/returns/{return_id}", response={200: ReturnOut, **ERRORS}, summary="Fill in or report a return")
def fill_return(request: HttpRequest, return_id: int, payload: FiguresIn) -> Any:
    """Figures as numbers or strings (1,234 accepted); a figure that is not a number, is negative where it cannot
    be or has too many decimals refuses the whole return, every field named, nothing saved."""
    user = request.auth  # type: ignore[attr-defined]
    ret = one(DataReturn.objects.for_user(user).select_related("org"), return_id)
    saved = services.save_return(actor=user, ret=ret, values=payload.values, report=payload.report)
    return _return_out(saved)
