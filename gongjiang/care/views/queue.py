"""The approvers' queue: the requests whose turn is the user's (check or approval), with the de-duplication flags;
check, approve and return buttons."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.types import logged_in

from .. import queries, services
from ..models import CareRequest
from .files import _cadre


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    rows = list(queries.queue_for(request.user)[:200])
    return render(request, "care/queue.html", {"rows": rows})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found = get_object_or_404(CareRequest.objects.for_user(request.user, "change"), pk=pk)
    actor = logged_in(request.user)
    reason = str(request.POST.get("reason") or "")
    calls = {
        "check": (lambda: services.check_request(actor=actor, request=found), _("Checked: passed on for approval.")),
        "approve": (lambda: services.approve_request(actor=actor, request=found), _("Approved.")),
        "return": (lambda: services.return_request(actor=actor, request=found, reason=reason),
                   _("Returned with the reason.")),
    }
    if action not in calls:
        raise Http404
    call, done = calls[action]
    pages.act(request, call, done)
    return redirect((request.POST.get("next") == "file" and found.get_absolute_url()) or "care:queue")
