"""Data requests' pages (报表): the list (what our unions issued, with their completeness, and the returns waiting for
our figures), a new request, a request's page — completeness like DHIS2's reporting rate, the returns with their
figures beside the platform's, the totals, remind, close, Excel — and a return's page, where a lower union fills
in, saves and reports its figures and the requesting union sends it back with a reason."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Org
from gongjiang.orgs.plugins import is_cadre
from gongjiang.orgs.queries.orgs import page_org

from .. import services
from ..choices import ReturnState
from ..forms import RequestForm
from ..models import DataRequest, DataReturn
from ..queries import periods
from ..queries import requests as q


def _cadre(request: HttpRequest) -> None:
    if not is_cadre(request.user):
        raise PermissionDenied


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    org = page_org(request)
    issued, received = [], []
    for r in q.requests_for(request.user)[:200]:
        (issued if r.requests(request.user, "view") else received).append(r)
    progress = q.progress([r.pk for r in issued])
    return render(request, "stats/requests.html", {
        "org": org, "issued": [(r, progress.get(r.pk)) for r in issued], "received": received,
        "to_fill": list(q.returns_to_fill(request.user).select_related("request__org", "org")[:50]),
        "can_create": org is not None and org.in_scope(request.user, "change")})


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    org = page_org(request)
    if org is None or not org.in_scope(request.user, "change"):
        raise PermissionDenied(_("Choose a union of yours to send its request."))
    children = Org.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True).order_by("path")
    this_year = timezone.localdate().year
    form = RequestForm(request.POST or None, children=children, initial={
        "period": str(this_year), "recipients": list(children),
        "title": _("Main figures of economic and technical work, %(y)s") % {"y": this_year}})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        made = pages.handle(form, lambda: services.issue_request(
            actor=logged_in(request.user), org=org, title=d["title"], period=d["period"], due=d["due"],
            indicators=form.indicators(), recipients=list(d["recipients"]), note=d["note"]),
            aliases={"indicators": "metrics"})
        if made is not None:
            messages.success(request, _("The request was sent: each union below has its return to fill in."))
            return redirect(made)
    return render(request, "stats/request_form.html", {"form": form, "org": org},
                  status=400 if form.is_bound and form.errors else 200)


def _visible_request(request: HttpRequest, pk: int) -> DataRequest:
    return get_object_or_404(q.requests_for(request.user), pk=pk)


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    found = _visible_request(request, pk)
    view = q.overview(found, request.user)
    if pages.wants_export(request) and view.requesting:
        return pages.export(found.title, [_("reporting union"), _("state"), _("reported at"), _("on time"),
                                          *[f"{i.label}（{i.unit}）" if i.unit else i.label for i in view.indicators]],
                            q.rows(view))
    return render(request, "stats/request_detail.html", {
        "view": view, "req": found, "period": periods.Chosen(found.period, found.start),
        "can_act": found.is_open and found.requests(request.user), "lines": _lines(view)})


def _lines(view: q.Overview) -> list[dict[str, Any]]:
    """Each return's row of the table: its figures in the form's order, marked where they differ from the
    platform's."""
    lines = []
    for r in view.returns:
        cells = []
        for i in view.indicators:
            value = r.values.get(i.key)
            platform = r.platform.get(i.key)
            cells.append({"value": value, "platform": platform,
                          "differs": bool(value and platform and Decimal(value) != Decimal(platform))})
        lines.append({"ret": r, "cells": cells})
    return lines


@login_required
@require_POST
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _cadre(request)
    found = _visible_request(request, pk)
    actor = logged_in(request.user)
    if action == "remind":
        count, refused = pages.attempt(lambda: services.remind(actor=actor, request=found))
        if refused is None:
            messages.success(request, _("%(n)s unions that have not reported were reminded.") % {"n": count})
    elif action == "close":
        _closed, refused = pages.attempt(lambda: services.close_request(actor=actor, request=found))
        if refused is None:
            messages.success(request, _("The request is closed."))
    else:
        raise Http404
    if refused is not None:
        messages.error(request, refused.message)
    return redirect(found)


@login_required
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    ret = get_object_or_404(DataReturn.objects.for_user(request.user).select_related("request__org", "org"), pk=pk)
    form = q.indicators_of(ret.request)
    can_fill = ret.can_fill(request.user)
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not can_fill:
            raise PermissionDenied
        typed = {i.key: request.POST.get(i.key, "") for i in form}
        report = "report" in request.POST
        _saved, refused = pages.attempt(lambda: services.save_return(
            actor=logged_in(request.user), ret=ret, values=typed, report=report))
        if refused is None:
            messages.success(request, _("Reported to %(org)s.") % {"org": ret.request.org.display_name} if report
                             else _("Saved. Report it when every figure is right."))
            return redirect(ret)
        errors, status = refused.errors or {"": refused.message}, 422
    live = q.platform_figures(ret.request, [ret.org_id])[ret.org_id] if can_fill else ret.platform
    rows = [{"ind": i, "place": n, "value": typed.get(i.key, ret.values.get(i.key, "")),
             "platform": live.get(i.key), "error": errors.get(i.key, "")} for n, i in enumerate(form, 1)]
    return render(request, "stats/return_detail.html", {
        "ret": ret, "req": ret.request, "rows": rows, "can_fill": can_fill, "errors": errors,
        "period": periods.Chosen(ret.request.period, ret.request.start),
        "can_send_back": ret.request.is_open and ret.state == ReturnState.SUBMITTED and ret.request.requests(
            request.user)}, status=status)


@login_required
@require_POST
def return_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    ret = get_object_or_404(DataReturn.objects.for_user(request.user).select_related("request__org", "org"), pk=pk)
    _done, refused = pages.attempt(lambda: services.send_back(actor=logged_in(request.user), ret=ret,
                                                              reason=request.POST.get("reason", "")))
    if refused is not None:
        messages.error(request, refused.message)
        return redirect(ret)
    messages.success(request, _("Sent back to %(org)s with the reason.") % {"org": ret.org.display_name})
    return redirect(ret.request)
