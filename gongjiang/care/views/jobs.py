"""Job help (就业援助): the job offers and training places of the cadre's reach with the form for a new one; an
offer with its matches (why each was proposed) and the outcome buttons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.scoping import scope_for
from gongjiang.core.types import logged_in
from gongjiang.orgs.queries.orgs import page_org

from .. import services
from ..choices import JobOutcome
from ..forms_aid import JobOfferForm
from ..models import JobMatch, JobOffer
from .files import _cadre


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    org = page_org(request)
    offers = JobOffer.objects.for_user(request.user, "view").select_related("org")
    if org is not None:
        offers = offers.filter(org__path__startswith=org.path)
    form = JobOfferForm(request.POST or None)
    can_offer = org is not None and scope_for(request.user, "change").covers_regionally(org.path)
    if request.method == "POST" and can_offer and org is not None and form.is_valid():
        made = pages.handle(form, lambda: services.create_job_offer(actor=logged_in(request.user), org=org,
                                                                    **form.cleaned_data))
        if made is not None:
            messages.success(request, _("Offer saved."))
            return redirect(made.get_absolute_url())
    return render(request, "care/job_list.html", {"offers": offers[:200], "form": form, "org": org,
                                                  "can_offer": can_offer},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    offer = get_object_or_404(JobOffer.objects.for_user(request.user, "view").select_related("org"), pk=pk)
    matches = JobMatch.objects.for_user(request.user, "view").filter(offer=offer).select_related(
        "file__person", "union")
    return render(request, "care/job_detail.html", {
        "offer": offer, "matches": matches, "outcomes": [c for c in JobOutcome.choices if c[0] != "proposed"],
        "can_match": scope_for(request.user, "change").covers_regionally(offer.org.path)})


@login_required
@require_POST
def job_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _cadre(request)
    offer = get_object_or_404(JobOffer.objects.for_user(request.user, "view"), pk=pk)
    actor = logged_in(request.user)
    call: Any
    done: Any
    if action == "match":
        call, done = (lambda: services.match_offer(actor=actor, offer=offer),
                      lambda n: _("%(n)d laid-off workers proposed.") % {"n": n})
    elif action == "outcome":
        match = get_object_or_404(JobMatch.objects.for_user(request.user, "change"), offer=offer,
                                  pk=str(request.POST.get("match") or "0"))
        call, done = (lambda: services.record_outcome(actor=actor, match=match,
                                                      outcome=str(request.POST.get("outcome") or "")),
                      _("Outcome recorded."))
    else:
        raise Http404
    pages.act(request, call, done)
    return redirect(offer.get_absolute_url())
