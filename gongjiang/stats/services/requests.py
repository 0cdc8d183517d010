"""Data requests (报表): an upper union issues a form of indicators for a period to the unions below it, each fills
it in (prefilled with the platform's own figures where an indicator is a metric of the fact store) and reports it;
the upper union sends a return back for correction with a reason, reminds those who have not reported (through the
notification service), and closes the request. The daily reminder of requests due soon is reminders.py's."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any, Final

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import audit, notifications
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import require, verb
from gongjiang.orgs.models import Org, User
from gongjiang.orgs.scoping import covers

from .. import rules
from ..choices import RequestState, ReturnState
from ..models import DataRequest, DataReturn
from ..queries import periods
from ..queries.requests import indicators_of, metric_forms, platform_figures
from ..reminders import cadres, remind_waiting

REASON_MIN: Final = 4
NOTE_MAX: Final = 2000


def _locked_return(ret: DataReturn) -> DataReturn:
    return DataReturn.objects.select_for_update().select_related("request__org", "org").get(pk=ret.pk)


def _locked_request(request: DataRequest) -> DataRequest:
    return DataRequest.objects.select_for_update().select_related("org").get(pk=request.pk)


def _require_requesting(actor: User, request: DataRequest) -> None:
    if not request.requests(actor):
        raise PermissionDeniedError(_("Only the requesting union, %(org)s, does this.")
                                    % {"org": request.org.display_name}, code="not_requesting")


def _require_open(request: DataRequest) -> None:
    if not request.is_open:
        raise DomainError(_("The request “%(title)s” is closed.") % {"title": request.title}, code="closed",
                          status=409)


def _below(org: Org, other: Org) -> bool:
    """Whether `other` lies below `org` in the regional or the industry tree."""
    return other.pk != org.pk and (covers(org.path, other.path)
                                   or bool(other.industry_path and covers(org.path, other.industry_path)))


@verb
def issue_request(*, actor: User, org: Org, title: str, period: str, due: datetime.date | None,
                  indicators: Sequence[Mapping[str, Any]], recipients: Sequence[Org], note: str = "") -> DataRequest:
    """Issue a request of `org` to the unions `recipients` (below it): the form of `indicators` for `period` (2026,
    2026-03 or a day), to report by `due`. Every problem is told at once; nothing is stored unless all is right.
    Each recipient's return is prefilled with the platform's figures, and its cadres are notified."""
    require(org, actor, "change")
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title or len(title) > 120:
        errors["title"] = _("Give the request a title of at most 120 characters.")
    elif DataRequest.objects.filter(org=org, title=title).exists():
        errors["title"] = _("%(org)s already has a request called “%(title)s”.") % {"org": org.display_name,
                                                                                   "title": title}
    chosen = None
    try:
        chosen = periods.parse(period, field="period")
    except DomainError as e:
        errors["period"] = e.message
    today = timezone.localdate()
    if due is None:
        errors["due"] = _("Give the day by which the unions report.")
    elif due < today:
        errors["due"] = _("The day to report by cannot be in the past.")
    elif due > today + datetime.timedelta(days=366):
        errors["due"] = _("The day to report by is at most a year away.")
    form, problems = rules.check_form(indicators, metric_forms())
    if problems:
        errors["indicators"] = "；".join(problems)
    if not recipients:
        errors["recipients"] = _("Choose the unions that report.")
    else:
        outside = [o.display_name for o in recipients if not _below(org, o)]
        if outside:
            errors["recipients"] = _("Only unions below %(org)s report to it, not %(names)s.") % {
                "org": org.display_name, "names": "、".join(outside[:5])}
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("The instructions have at most %(n)s characters.") % {"n": NOTE_MAX}
    if errors or chosen is None or due is None:
        first = next(iter(errors.values()))
        raise DomainError(first, field=next(iter(errors)), errors=errors)
    request = DataRequest.objects.create(org=org, title=title, period=chosen.kind, start=chosen.start, due=due,
                                         note=note, indicators=[i.as_json() for i in form], created_by=actor)
    unique = list({o.pk: o for o in recipients}.values())
    figures = platform_figures(request, [o.pk for o in unique])
    DataReturn.objects.bulk_create([DataReturn(request=request, org=o, values=dict(figures[o.pk]),
                                               platform=dict(figures[o.pk])) for o in unique])
    notifications.notify(cadres(o.pk for o in unique), "stats.request.issued", request,
                         title=gettext_lazy("%(org)s asks for the figures “%(title)s” by %(due)s"),
                         body=gettext_lazy("Open the request, check the figures the platform filled in and report."),
                         params={"org": org.display_name, "title": title, "due": due.isoformat()},
                         url=request.get_absolute_url())
    audit.record(actor, "stats.request.issued", request, after={
        "title": title, "period": chosen.code, "due": due.isoformat(), "indicators": [i.label for i in form],
        "recipients": len(unique)})
    return request


@verb
def save_return(*, actor: User, ret: DataReturn, values: Mapping[str, Any], report: bool = False) -> DataReturn:
    """Save the figures of a lower union's return (a draft), or report them (`report`: every figure required). Only
    the reporting union's own cadres fill it in, while the request collects and the return is not yet reported.
    A bad figure (not a number, negative, too many decimals) refuses the whole form with every reason."""
    ret = _locked_return(ret)
    request = ret.request
    if not ret.is_own(actor):
        raise PermissionDeniedError(_("Only %(org)s fills in its own return.") % {"org": ret.org.display_name},
                                    code="not_reporting")
    _require_open(request)
    if ret.state == ReturnState.SUBMITTED:
        raise DomainError(_("The return of %(org)s has been reported and can no longer be changed; the requesting "
                            "union may send it back.") % {"org": ret.org.display_name}, code="reported", status=409)
    form = indicators_of(request)
    known = {i.key for i in form}
    unknown = sorted(set(values) - known)
    if unknown:
        raise DomainError(_("The request has no indicator “%(key)s”.") % {"key": str(unknown[0])[:20]},
                          field=str(unknown[0])[:20])
    read, problems = rules.read_figures(form, values, complete=report)
    if problems:
        raise DomainError(problems[0][1], field=problems[0][0], errors=dict(problems))
    before = {"state": ret.state, "values": ret.values}
    ret.values = read
    if report:
        ret.state = ReturnState.SUBMITTED
        ret.submitted_at, ret.submitted_by = timezone.now(), actor
        ret.platform = platform_figures(request, [ret.org_id])[ret.org_id]
    elif ret.state == ReturnState.PENDING:
        ret.state = ReturnState.DRAFT
    ret.save(update_fields=["values", "state", "submitted_at", "submitted_by", "platform", "updated_at"])
    audit.record(actor, "stats.return.submitted" if report else "stats.return.saved", ret, before=before,
                 after={"state": ret.state, "values": read})
    if report and not request.returns.exclude(state=ReturnState.SUBMITTED).exists():
        notifications.notify(cadres([request.org_id]), "stats.request.complete", request,
                             title=gettext_lazy("Every union has reported “%(title)s”"),
                             params={"title": request.title}, url=request.get_absolute_url())
    return ret


@verb
def send_back(*, actor: User, ret: DataReturn, reason: str) -> DataReturn:
    """The requesting union sends a reported return back for correction, with its reason; the reporting union's
    cadres are notified and may change and report it again."""
    ret = _locked_return(ret)
    _require_requesting(actor, ret.request)
    _require_open(ret.request)
    if ret.state != ReturnState.SUBMITTED:
        raise DomainError(_("Only a reported return can be sent back."), code="not_reported", status=409)
    reason = (reason or "").strip()
    if len(reason) < REASON_MIN or len(reason) > NOTE_MAX:
        raise DomainError(_("Give the reason (at least %(n)s characters).") % {"n": REASON_MIN}, field="reason")
    ret.state, ret.reason = ReturnState.RETURNED, reason
    ret.save(update_fields=["state", "reason", "updated_at"])
    notifications.notify(cadres([ret.org_id]), "stats.return.returned", ret,
                         title=gettext_lazy("“%(title)s” was sent back for correction"),
                         body=gettext_lazy("%(org)s: %(reason)s"),
                         params={"title": ret.request.title, "org": ret.request.org.display_name, "reason": reason},
                         url=ret.get_absolute_url())
    audit.record(actor, "stats.return.returned", ret, before={"state": ReturnState.SUBMITTED},
                 after={"state": ret.state, "reason": reason})
    return ret


@verb
def remind(*, actor: User, request: DataRequest) -> int:
    """Remind (催报) the unions that have not reported; returns how many were reminded."""
    request = _locked_request(request)
    _require_requesting(actor, request)
    _require_open(request)
    count = remind_waiting(request)
    if not count:
        raise DomainError(_("Every union has reported: there is nobody to remind."), code="complete", status=409)
    audit.record(actor, "stats.request.reminded", request, after={"unions": count})
    return count


@verb
def close_request(*, actor: User, request: DataRequest) -> DataRequest:
    """Close a request: no return can be changed or reported any more (those missing stay missing)."""
    request = _locked_request(request)
    _require_requesting(actor, request)
    _require_open(request)
    request.state, request.closed_at = RequestState.CLOSED, timezone.now()
    request.save(update_fields=["state", "closed_at"])
    missing = request.returns.exclude(state=ReturnState.SUBMITTED).count()
    audit.record(actor, "stats.request.closed", request, after={"state": request.state, "missing": missing})
    return request

