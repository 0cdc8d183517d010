"""Import status, error report and template views (shared by every import)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import imports
from .models import ImportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The job page; while it runs, HTMX polls the `_import_status` fragment for the progress bar."""
    job = get_object_or_404(ImportJob.objects.for_user(request.user).select_related("org"), pk=pk)
    template = "core/_import_status.html" if request.headers.get("HX-Request") else "core/import_status.html"
    return render(request, template, {"job": job, "spec": imports.REGISTRY.get(job.kind)})


@login_required
def import_error_report(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.for_user(request.user), pk=pk)
    if not job.error_report:
        raise Http404
    stem = job.filename.rsplit(".", 1)[0]
    return FileResponse(job.error_report.open("rb"), as_attachment=True, filename=f"{stem}-错误报告.xlsx",
                        content_type=XLSX)


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    spec = imports.REGISTRY.get(kind)
    if spec is None:
        raise Http404
    return xlsx_response(imports.template(spec), f"{spec.title}导入模板.xlsx")


@login_required
def import_list(request: HttpRequest) -> HttpResponse:  # TEMPORARY placeholder, replaced by the imports page
    return HttpResponse("todo")
