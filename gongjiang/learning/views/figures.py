"""学习统计: a union's learning figures for a period — the totals as tiles, the trend as a chart, the unions right
below with theirs (each a link to its own figures) — and the table as an Excel export. Cadres only; a union out of
the cadre's scope is a 404 (orgs.queries.page_org)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gongjiang.core import pages
from gongjiang.orgs import queries as org_queries
from gongjiang.orgs.models import Org
from gongjiang.orgs.plugins import is_cadre

from ..queries import figures as reads


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    if not is_cadre(request.user):
        raise PermissionDenied
    org = org_queries.page_org(request)
    if org is None:
        raise Http404
    today = timezone.localdate()
    asked = {k: request.GET.get(k, "") for k in ("period", "month", "year", "start", "end")}
    error = None
    try:
        p = reads.period(asked["period"], month=asked["month"], year=asked["year"], start=asked["start"],
                         end=asked["end"], today=today)
    except reads.PeriodError as e:
        error = e
        p = reads.this_month(today)
    names = reads.labels()
    own = reads.totals(org, p)
    rows = reads.breakdown(org, p)
    if pages.wants_export(request) and error is None:
        return pages.export(f"{_('Learning figures')}·{org.name}·{p.label}", [_("Organisation"), *names.values()],
                            [[r.org.name, *r.totals.values()] for r in [reads.Row(org, own), *rows]])
    keep = {k: v for k, v in (("period", p.kind), ("month", asked["month"]), ("year", asked["year"]),
                              ("start", asked["start"]), ("end", asked["end"])) if v}
    parent = Org.objects.get_parent(org) if org.depth > 1 else None  # the way back up, when it is in the cadre's scope
    table = [{"name": r.org.display_name, "url": "?" + urlencode({"org": r.org.pk, **keep}),
              "values": r.totals.values()} for r in rows]
    return render(request, "learning/figures.html", {
        "org": org, "period": p, "error": error, "asked": asked, "own": own, "names": names,
        "tiles": [(names[f], getattr(own, f)) for f in reads.FIELDS],
        "table": table, "chart": reads.chart(reads.trend(org, p), p),
        "parent": parent if parent is not None and parent.in_scope(request.user, "view") else None,
        "keep": urlencode(keep)})
