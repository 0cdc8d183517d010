"""The campaigns' pages: the list (with the user's own sheets to fill), a new campaign, a campaign's page with its
completeness (how many sheets are submitted, confirmed) and — once ranked — the ranking, exportable to Excel, and
the assessing union's buttons (read the figures again, rank and grade, publish)."""

from __future__ import annotations

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
from gongjiang.orgs.queries.orgs import page_org

from .. import queries, services
from ..choices import GRADE_LABELS
from ..forms import CampaignForm
from ..models import Rubric


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    return render(request, "assessments/campaigns.html", {
        "rows": list(queries.campaigns_for(request.user)[:200]), "org": org,
        "mine": list(queries.my_sheets(request.user)[:50]),
        "to_review": list(queries.sheets_to_review(request.user).select_related("campaign", "org")[:50]),
        "can_create": org is not None and org.in_scope(request.user, "change")})


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    if org is None or not org.in_scope(request.user, "change"):
        raise PermissionDenied(_("Choose a union of yours to open its assessment."))
    children = Org.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True).order_by("path")
    rubrics = Rubric.objects.for_user(request.user).filter(org__path__in=[org.path[:i] for i in range(
        4, len(org.path) + 1, 4)])
    form = CampaignForm(request.POST or None, rubrics=rubrics, children=children,
                        initial={"year": timezone.localdate().year - 1, "assessed": list(children)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        campaign = pages.handle(form, lambda: services.open_campaign(
            actor=logged_in(request.user), rubric=d["rubric"], org=org, year=d["year"], title=d["title"],
            assessed=list(d["assessed"]), self_until=d["self_until"]))
        if campaign is not None:
            messages.success(request, _("Assessment opened: the unions assessed can fill in their sheets."))
            return redirect("assessments:campaign_detail", pk=campaign.pk)
    return render(request, "assessments/campaign_form.html", {"form": form, "org": org},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(queries.campaigns_for(request.user), pk=pk)
    view = queries.overview(campaign, request.user)
    if pages.wants_export(request):
        if not view.show_results:
            raise Http404
        return pages.export(campaign.title, [
            _("rank"), _("union"), _("total"), _("points of the items"), _("deducted"), _("bonus"), _("vetoed"),
            _("grade"), _("stars")], [
            [s.rank, s.org.display_name, s.total, s.regular, s.deducted, s.bonus, _("yes") if s.vetoed else "",
             GRADE_LABELS.get(s.grade, ""), s.stars or ""] for s in view.sheets])
    return render(request, "assessments/campaign_detail.html", {
        "campaign": campaign, "view": view, "grades": GRADE_LABELS,
        "can_act": campaign.assesses(request.user, "change")})


@login_required
@require_POST
def campaign_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    campaign = get_object_or_404(queries.campaigns_for(request.user), pk=pk)
    actor = logged_in(request.user)
    calls = {
        "figures": (lambda: services.refresh_figures(actor=actor, campaign=campaign),
                    _("The figures were read again from the platform.")),
        "rank": (lambda: services.rank_campaign(actor=actor, campaign=campaign), _("Ranked and graded.")),
        "publish": (lambda: services.publish_campaign(actor=actor, campaign=campaign), _("Results published.")),
    }
    if action not in calls:
        raise Http404
    call, done = calls[action]
    pages.act(request, call, done)
    return redirect("assessments:campaign_detail", pk=campaign.pk)
