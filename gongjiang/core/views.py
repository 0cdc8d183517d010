"""Import pages (shared by every import): the list of jobs with the upload form, a job's status with its
progress bar, the error report and the template."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from . import imports
from .errors import DomainError
from .models import ImportJob
from .pages import XLSX, Sorting, error_report_response, paginate, rank_of, xlsx_response
from .types import logged_in

# How many of a job's row errors the status page lists (all are in the downloadable report).
SHOWN_ERRORS = 200
# The columns the list of imports sorts by (?sort=file, ?sort=-rows): the unit in the tree's order (the path it had
# at the upload), the state in its own (waiting … failed). The default: the latest upload first.
SORTING = Sorting({"file": "filename", "unit": "org_path", "state": "state_rank", "rows": "total_rows",
                   "uploaded": "created_at"}, default="-uploaded", first_descending=("rows", "uploaded"),
                  annotations={"state_rank": rank_of("state", ImportJob.State.values)})


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX}),
                           help_text=_("Fill in the template; the first row must keep the template's headers."))


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    """The imports in the user's scope; with ?org=pk (a target of the import, found by its spec) the upload form.

    The kind is ?kind=, or the default an app declared (`imports.register(spec, default=True)`). The spec decides
    what may receive an upload (`check_start`, shown as the refusal instead of the form) and how targets are found
    (`find_target`, `search_targets`). The upload goes through `start_import`: a refused file (not .xlsx, too large,
    wrong headers, empty) is shown on the form and nothing is stored; a valid one lands on its status page."""
    kind = request.GET.get("kind") or imports.default_kind() or ""
    spec = imports.REGISTRY.get(kind)
    if spec is None:
        raise Http404
    user = logged_in(request.user)
    target = None
    refusal = ""
    target_pk = request.GET.get("org", "")
    if target_pk:
        if not target_pk.isdigit():
            raise Http404
        target = spec.find_target(user, int(target_pk))
        if target is None:
            raise Http404
        try:
            imports.check_start(spec, user, target)
        except DomainError as e:
            refusal = e.message
    jobs = ImportJob.objects.for_user(user).select_related("created_by")
    if target is not None:
        jobs = jobs.filter(org_path__startswith=spec.describe_target(target).path)
    sort = SORTING(request)
    page = paginate(request, sort.apply(jobs))
    form = UploadForm(request.POST or None, request.FILES or None) if target is not None and not refusal else None
    status = 200
    if request.method == "POST":
        if form is None:
            status = 403
        elif form.is_valid():
            try:
                job = imports.start_import(actor=user, kind=kind, target=target,
                                           upload=form.cleaned_data["file"])
            except DomainError as e:
                form.add_error("file", e.message)
                status = 400
            else:
                return redirect("core:import_status", pk=job.pk)
        else:
            status = 400
    find = request.GET.get("find", "").strip()
    found = spec.search_targets(user, find) if find and target is None else []
    return render(request, "core/import_list.html", {
        "spec": spec, "kind": kind, "org": target, "form": form, "refusal": refusal, "page": page, "sort": sort,
        "find": find,
        "found": found, "trail": spec.target_trail(target) if target is not None else [],
    }, status=status)


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job page; while it runs, HTMX polls the `_import_status` fragment every second."""
    job = get_object_or_404(ImportJob.objects.for_user(request.user).select_related("created_by"), pk=pk)
    spec = imports.REGISTRY.get(job.kind)
    trail: list[Any] = []
    if _is_htmx(request):
        template = "core/_import_status.html"
    else:
        target = spec.get_target(job) if spec is not None else None
        template = "core/import_status.html"
        if spec is not None and target is not None:
            trail = spec.target_trail(target)
    return render(request, template, {
        "job": job, "spec": spec, "errors": job.errors[:SHOWN_ERRORS],
        "more_errors": max(0, job.error_count - SHOWN_ERRORS), "trail": trail,
    })


@login_required
def import_error_report(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The error report, ID numbers in clear only for the uploader and those who may reveal them (audited)."""
    job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
    if not job.error_report:
        raise Http404
    return error_report_response(imports.download_error_report(actor=logged_in(request.user), job=job), job)


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    spec = imports.REGISTRY.get(kind)
    if spec is None:
        raise Http404
    return xlsx_response(imports.template(spec), f"{spec.title}导入模板.xlsx")
