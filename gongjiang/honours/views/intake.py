"""The intake pages of a campaign: the Excel import of a batch of nominations (upload, template, the job's state
with its errors by row and column) and the suggestions from the other apps (推荐建议) with a button opening the
nomination form prefilled."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import imports as core_imports
from gongjiang.core import pages
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import ImportJob
from gongjiang.core.pages import xlsx_response
from gongjiang.core.types import logged_in
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org

from .. import imports, queries
from ..models import Campaign
from ..queries import suggestions as suggestion_queries
from .common import campaign_or_404, page_org

T = "honours/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_NOMINATING = (OrgKind.PROVINCE, OrgKind.CITY, OrgKind.INDUSTRY)


class NominationImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}))


def _unit(request: HttpRequest) -> Org | None:
    return page_org(request, "unit") or page_org(request)


def can_nominate(user: Any, campaign: Campaign, unit: Org | None) -> bool:
    """As the campaign's page decides its 推荐 button: an open campaign, a union the user changes that nominates
    (not the province, a city or an industry union, which share out quotas)."""
    return bool(unit is not None and campaign.is_open() and unit.kind not in NOT_NOMINATING
                and unit.can_change(user))


def _jobs(user: Any, campaign: Campaign | None = None) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.for_user(user).filter(kind=imports.KIND).select_related("created_by")
    return jobs.filter(params__campaign=campaign.pk) if campaign is not None else jobs


@login_required
def campaign_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a file of nominees: refused at once when the file is not a workbook or has the wrong headers, the
    campaign is closed or the union has no quota in it; otherwise every row is checked and, if all are right, each
    becomes a draft."""
    campaign = campaign_or_404(request, pk)
    unit = _unit(request)
    if unit is None or not unit.can_change(request.user):
        raise PermissionDenied(_("Choose the union that nominates."))
    refusal = ""
    try:
        core_imports.check_start(imports.nomination_import, logged_in(request.user), unit, {"campaign": campaign.pk})
    except PermissionDeniedError:
        raise
    except DomainError as e:
        refusal = e.message
    form = NominationImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not refusal and form.is_valid():
        try:
            job = imports.start_nomination_import(actor=logged_in(request.user), unit=unit, campaign=campaign,
                                                  upload=form.cleaned_data["file"])
        except DomainError as e:
            form.add_error("file", e.message)
        else:
            return redirect("honours:import_status", pk=job.pk)
    allocation = imports.unit_allocation(campaign, unit)
    return render(request, T + "import.html", {
        "campaign": campaign, "unit": unit, "form": form, "refusal": refusal, "allocation": allocation,
        "columns": imports.nomination_import.columns, "jobs": list(_jobs(request.user, campaign)
                                                                  .order_by("-created_at", "-id")[:20])},
        status=400 if request.method == "POST" else 200)


@login_required
def campaign_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_or_404(request, pk)
    stem = _("nominations template")
    return xlsx_response(imports.template(campaign), f"{campaign.title}-{stem}.xlsx")


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A nominations import's state; while it runs, HTMX polls the fragment every second."""
    job = _jobs(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    campaign = queries.campaigns_for(request.user).filter(pk=(job.params or {}).get("campaign")).first()
    return pages.render_page(request, T + "import_status.html", {
        "job": job, "campaign": campaign, "errors": job.errors[:200], "more_errors": max(0, job.error_count - 200),
    }, fragment=T + "_import_status.html")


@login_required
def campaign_suggestions(request: HttpRequest, pk: int) -> HttpResponse:
    """The suggestions for the union the page is about (its subtree), with the reasons the honour's conditions rule
    some out; 推荐 opens the nomination form prefilled."""
    campaign = campaign_or_404(request, pk)
    unit = _unit(request)
    if unit is None:
        raise PermissionDenied(_("Choose the union that nominates."))
    rows = suggestion_queries.suggestions(request.user, campaign, unit)
    return render(request, T + "suggestions.html", {
        "campaign": campaign, "unit": unit, "rows": rows, "can_nominate": can_nominate(request.user, campaign, unit),
        "eligible": sum(1 for r in rows if r.eligible)})


urlpatterns = [
    path("honours/campaigns/<int:pk>/import/", campaign_import, name="campaign_import"),
    path("honours/campaigns/<int:pk>/import/template.xlsx", campaign_import_template, name="import_template"),
    path("honours/imports/<int:pk>/", import_status, name="import_status"),
    path("honours/campaigns/<int:pk>/suggestions/", campaign_suggestions, name="campaign_suggestions"),
]
