"""评选统计: a union's nomination figures for a year — per campaign its quota, nominated, forwarded, shortlisted and
conferred — as a table, a chart and an Excel export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from gongjiang.core import pages
from gongjiang.orgs.plugins import is_cadre

from ..queries import figures as reads
from .common import page_org


@login_required
def nomination_figures(request: HttpRequest) -> HttpResponse:
    if not is_cadre(request.user):
        raise PermissionDenied
    org = page_org(request)
    if org is None:
        raise Http404
    known = reads.years(org)
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in known else (known[0] if known else None)
    rows = reads.figures(org, year) if year is not None else []
    if pages.wants_export(request) and year is not None:
        return pages.export(f"{_('Nomination figures')}·{org.name}·{year}", [
            _("Campaign"), _("Honour type"), _("quota"), _("nominated"), _("Of them non-public"),
            _("Of them front-line"), _("Of them women"), _("forwarded"), _("shortlisted"), _("Conferred"),
            _("Of them revoked"), _("Share of the quota used")], [
            [r.allocation.campaign.title, r.allocation.campaign.honour_type.name, r.allocation.quota,
             r.allocation.nominated, r.allocation.nominated_non_public, r.allocation.nominated_front_line,
             r.allocation.nominated_women, r.allocation.forwarded, r.allocation.shortlisted, r.conferred, r.revoked,
             r.used_percent] for r in rows])
    chart = reads.chart(rows)
    return render(request, "honours/nomination_figures.html", {
        "org": org, "year": year, "years": known, "rows": rows, "chart": chart})
