"""The campaigns' pages: the list, a new campaign, a campaign's page with the quota table of the union it is about
(allocated, reserved, nominated per union below, read from the counters), and a union's split of its quota."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import pages
from gongjiang.core.types import logged_in
from gongjiang.orgs.choices import OrgKind

from .. import queries, services
from ..choices import Level
from ..forms import AllocationForm, CampaignForm
from ..models import Allocation
from ..queries import reviews
from ..rules import quotas
from .common import campaign_or_404, page_org
from .panels import campaign_card

LEVELS = {OrgKind.PROVINCE: [Level.NATIONAL, Level.PROVINCE], OrgKind.CITY: [Level.CITY],
          OrgKind.COUNTY: [Level.COUNTY]}


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    return render(request, "honours/campaigns.html", {
        "rows": list(queries.campaigns_for(request.user)[:200]), "org": org,
        "can_create": queries.campaigns.can_create_campaigns(request.user, org)})


@login_required
def campaign_create(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    if org is None or not queries.campaigns.can_create_campaigns(request.user, org):
        raise PermissionDenied(_("Campaigns are opened by the provincial federation, a city or a county union."))
    today = timezone.localdate()
    form = CampaignForm(request.POST or None, levels=LEVELS[OrgKind(org.kind)], initial={"year": today.year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        campaign = pages.handle(form, lambda: services.create_campaign(
            actor=logged_in(request.user), honour_type=d["honour_type"], org=org, year=d["year"], title=d["title"],
            opens_on=d["opens_on"], submit_until=d["submit_until"], total=d["total"], reserves=form.reserves(),
            materials=d["materials"], notes=d["notes"]))
        if campaign is not None:
            messages.success(request, _("Campaign opened: share out its quota among the unions below."))
            return redirect("honours:campaign_detail", pk=campaign.pk)
    return render(request, "honours/campaign_form.html", {"form": form, "org": org},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_or_404(request, pk)
    org = page_org(request) if request.GET.get("org") else None
    allocation = queries.allocation_for(request.user, campaign, org)
    if org is not None and allocation is None:
        raise Http404
    rows = queries.quota_table(allocation) if allocation is not None else []
    if pages.wants_export(request) and allocation is not None:
        return pages.export(f"{campaign.title}·{allocation.org.name}", [
            _("union"), _("quota"), _("Reserved for non-public enterprises"), _("Reserved for front-line workers"),
            _("Reserved for women"), _("nominated"), _("Of them non-public"), _("Of them front-line"),
            _("Of them women"), _("Places left"), _("forwarded"), _("shortlisted")], [
            [a.org.name, a.quota, a.reserve_non_public, a.reserve_front_line, a.reserve_women, a.nominated,
             a.nominated_non_public, a.nominated_front_line, a.nominated_women, a.left, a.forwarded, a.shortlisted]
            for a in rows])
    unit = page_org(request)
    can_nominate = bool(unit is not None and campaign.is_open() and unit.can_change(request.user)
                        and unit.kind not in (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.INDUSTRY))
    nominations = pages.paginate(request, queries.nominations_for(request.user, campaign), 50)
    return render(request, "honours/campaign_detail.html", {
        "campaign": campaign, "allocation": allocation, "rows": rows,
        "can_allocate": allocation is not None and allocation.can_allocate(request.user),
        "given": sum(a.quota for a in rows), "reserves": quotas.RESERVES,
        "can_nominate": can_nominate, "unit": unit, "nominations": nominations,
        "can_review": bool(reviews.levels_for(request.user, campaign)), "can_shortlist": campaign.can_change(
            request.user), **campaign_card(request, campaign)})


@login_required
def allocate(request: HttpRequest, pk: int, allocation_pk: int) -> HttpResponse:
    campaign = campaign_or_404(request, pk)
    parent = (Allocation.objects.for_user(request.user, "change").filter(campaign=campaign, pk=allocation_pk)
              .select_related("org").first())
    if parent is None:
        raise Http404
    current = {a.org_id: a.share for a in parent.children.all()}
    form = AllocationForm(request.POST or None, unions=queries.lower_unions(parent.org), current=current)
    if request.method == "POST" and form.is_valid():
        done = pages.handle(form, lambda: services.allocate_quotas(
            actor=logged_in(request.user), allocation=parent, shares=form.shares()))
        if done is not None:
            messages.success(request, _("Quotas saved."))
            return redirect(f"{campaign.get_absolute_url()}?org={parent.org_id}")
    return render(request, "honours/allocate.html", {
        "campaign": campaign, "parent": parent, "form": form, "reserves": quotas.RESERVES},
        status=400 if form.is_bound and form.errors else 200)
