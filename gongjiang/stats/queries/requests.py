"""Read models of data requests (报表): the indicators a metric gives, the platform's figures of a union for a
request, a request's completeness (who has reported, on time — DHIS2's reporting rate) with its returns and their
totals, the requests a user sees and the returns waiting for them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from gongjiang.core.scoping import scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs import facts

from .. import rules
from ..choices import RequestState, ReturnState
from ..models import DataRequest, DataReturn
from . import dashboard

FILLABLE = (ReturnState.PENDING, ReturnState.DRAFT, ReturnState.RETURNED)


def metric_forms() -> dict[str, tuple[str, str, int]]:
    """Every metric of the fact store as a request's indicator shows it: key → (label, unit, decimals), amounts
    in 万元 with two decimals as reports quote them."""
    return {m.key: (str(m.label), dashboard.unit(m), 2 if m.wan else m.places) for m in facts.metrics()}


def indicators_of(request: DataRequest) -> list[rules.Indicator]:
    return [rules.Indicator.from_json(i) for i in request.indicators]


def platform_figures(request: DataRequest, org_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """The fact store's figures of each union for the request's period, as the form shows them (万元, decimals):
    {org id: {indicator key: figure}} for the indicators that are metrics (one query)."""
    known = {m.key: m for m in facts.metrics()}
    keys = [i.metric for i in indicators_of(request) if i.metric in known]
    if not keys or not org_ids:
        return {o: {} for o in org_ids}
    found = facts.values(list(org_ids), keys, request.period, request.start)
    return {o: {k: str(dashboard.shown(known[k], found.get((o, k), 0))) for k in keys} for o in org_ids}


def totals(request: DataRequest, returns: Iterable[DataReturn]) -> dict[str, Decimal]:
    """The sum of the reported returns' figures per indicator (what the requesting union adds up), with the
    indicator's decimals."""
    form = indicators_of(request)
    found: dict[str, Decimal] = {i.key: Decimal(0) for i in form}
    for ret in returns:
        if ret.state == ReturnState.SUBMITTED:
            for key, value in ret.values.items():
                if key in found:
                    found[key] += Decimal(value)
    return {i.key: found[i.key].quantize(Decimal(1).scaleb(-i.places)) for i in form}

def returns_to_fill(user: Actor) -> QuerySet[DataReturn]:
    """Returns of the user's own unions waiting for their figures, in requests still collecting (not the requests
    the user's unions issued)."""
    scope = scope_for(user, "change")
    if scope.is_empty or scope.everything:
        return DataReturn.objects.none()
    return DataReturn.objects.filter(scope.q("org__"), ~scope.q("request__org__"), state__in=FILLABLE,
                                     request__state=RequestState.OPEN)


def requests_for(user: Actor) -> QuerySet[DataRequest]:
    return DataRequest.objects.for_user(user, "view").select_related("org")


@dataclass
class Overview:
    """A request as its page shows it: the form, the returns the viewer may see (all of them to the requesting
    union, their own to a reporting union), completeness, and the totals of what was reported."""

    request: DataRequest
    indicators: list[rules.Indicator]
    returns: list[DataReturn]
    completeness: rules.Completeness
    requesting: bool
    totals: dict[str, Decimal] = field(default_factory=dict)

    @property
    def overdue(self) -> bool:
        return self.request.is_open and timezone.localdate() > self.request.due


def overview(request: DataRequest, user: Actor) -> Overview:
    """Two queries: the returns (with their unions) and nothing else — completeness and totals are counted here."""
    requesting = request.requests(user, "view")
    returns = list(request.returns.select_related("org").order_by("org__path"))
    complete = rules.completeness(((r.state, timezone.localdate(r.submitted_at) if r.submitted_at else None)
                                   for r in returns), request.due)
    if not requesting:
        scope = scope_for(user, "view")
        returns = [r for r in returns if scope.covers(r.org.path, r.org.industry_path)]
    return Overview(request, indicators_of(request), returns, complete, requesting,
                    totals(request, returns) if requesting else {})


def rows(view: Overview) -> list[list[object]]:
    """The returns as an Excel sheet: union, state, reported at, on time, then one column per indicator."""
    found: list[list[object]] = []
    for r in view.returns:
        found.append([r.org.display_name, r.get_state_display(),
                      timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M") if r.submitted_at else "",
                      ("是" if r.on_time else "否") if r.reported else "",
                      *[Decimal(r.values[i.key]) if i.key in r.values else None for i in view.indicators]])
    return found


def progress(request_ids: Sequence[int]) -> dict[int, rules.Completeness]:
    """The completeness of several requests at once (the list page): one grouped query."""
    if not request_ids:
        return {}
    submitted = Q(state=ReturnState.SUBMITTED)
    found = (DataReturn.objects.filter(request_id__in=list(request_ids)).values("request_id")
             .annotate(expected=Count("pk"), n_reported=Count("pk", filter=submitted),
                       n_on_time=Count("pk", filter=submitted & Q(submitted_at__date__lte=F("request__due"))),
                       returned=Count("pk", filter=Q(state=ReturnState.RETURNED))))
    return {r["request_id"]: rules.Completeness(r["expected"], r["n_reported"], r["n_on_time"], r["returned"])
            for r in found}
