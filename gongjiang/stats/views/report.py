"""The annual report of any union the user sees: the page (with the narrative the union's cadres write, section by
section), the PDF to print or send (WeasyPrint, CJK fonts) and the Excel workbook beside it; another year to compare
with (the year before by default)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.errors import DomainError
from gongjiang.core.types import logged_in
from gongjiang.orgs import queries as org_queries
from gongjiang.orgs.models import Org
from gongjiang.orgs.plugins import is_cadre

from .. import services
from ..queries import periods
from ..queries import report as r


def report_url(org: Org, year: int, compare: int | None = None, **extra: str) -> str:
    query: dict[str, object] = {"org": org.pk, "year": year, **extra}
    if compare is not None and compare != year - 1:
        query["compare"] = compare
    return f"{reverse('stats:report')}?{urlencode(query)}"


def _year(text: str | None, default: int, field: str) -> int:
    """A year of the report (2000 … this year); a DomainError naming `field` otherwise."""
    if not text:
        return default
    chosen = periods.parse(text.strip(), field=field)
    if chosen.kind != "Y":
        raise DomainError(_("Write a year, such as %(y)s.") % {"y": default}, field=field, status=422)
    return chosen.start.year


def _org(request: HttpRequest) -> Org:
    org = org_queries.page_org(request)  # ?org= outside the user's scope: 404
    if org is None or not is_cadre(request.user):
        raise PermissionDenied
    return org


@login_required
def report(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    this = periods.last_year_kept()
    error = ""
    try:
        year = _year(request.GET.get("year"), this, "year")
        compare = _year(request.GET.get("compare"), year - 1 if year > periods.FIRST_YEAR else year, "compare")
    except DomainError as e:
        error, year, compare = e.message, this, this - 1
    data = r.annual(org, year, compare)
    title = _("Annual report of economic and technical work · %(org)s · %(y)s") % {"org": org.name, "y": year}
    if not error and request.GET.get("format") == "pdf":
        from gongjiang.core.pdf import pdf_response, render_pdf

        pdf = render_pdf("stats/report_pdf.html", {"report": data, "title": title}, request=request)
        return pdf_response(pdf, f"{title}.pdf")
    if not error and pages.wants_export(request):
        return pages.export(title, [_("Area of work"), _("Metric"), _("Unit of measure"), str(year), str(compare),
                                    _("Change (%)"), _("Definition")], r.rows(data))
    return render(request, "stats/report.html", {
        "report": data, "title": title, "error": error, "can_write": org.in_scope(request.user, "change"),
        "years": list(range(this, periods.FIRST_YEAR - 1, -1)),
        "pdf_url": report_url(org, year, compare, format="pdf"),
        "export_url": report_url(org, year, compare, export="xlsx"),
        "trail": [(o, report_url(o, year, compare)) for o in org.ancestors_and_self() if o.in_scope(request.user)],
    }, status=422 if error else 200)


@login_required
@require_POST
def narrative(request: HttpRequest) -> HttpResponse:
    """Save one section's text of the report (the overview: section ""), then back to the report at that section."""
    pk = request.POST.get("org", "")
    if not pk.isdigit() or not is_cadre(request.user):
        raise Http404
    org = get_object_or_404(Org.objects.for_user(request.user, "view"), pk=pk)
    try:
        year = _year(request.POST.get("year"), periods.last_year_kept(), "year")
        compare = _year(request.POST.get("compare"), year - 1, "compare")
    except DomainError as e:
        messages.error(request, e.message)
        return redirect(report_url(org, periods.last_year_kept()))
    section = request.POST.get("section", "")
    _saved, refused = pages.attempt(lambda: services.save_narrative(
        actor=logged_in(request.user), org=org, year=year, section=section, text=request.POST.get("text", "")))
    if refused is not None:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The text of the report was saved."))
    return redirect(report_url(org, year, compare) + f"#section-{section or 'overview'}")
