"""统计: the dashboard of any union the user sees — the period picker (year, month, day), the KPI tiles of every
registered metric beside the year before, the trend and the breakdown by child org (regional or industry tree;
clicking a child opens its dashboard) of the chosen app's metrics, each chart's data exportable to Excel."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from gongjiang.core import pages
from gongjiang.core.errors import DomainError
from gongjiang.orgs import queries as org_queries
from gongjiang.orgs.models import Org
from gongjiang.orgs.plugins import is_cadre

from ..queries import dashboard as q
from ..queries import periods

CHARTS = ("tiles", "trend", "breakdown")


def dashboard_url(org: Org, **params: Any) -> str:
    query = {"org": org.pk, **{k: v for k, v in params.items() if v}}
    return f"{reverse('stats:dashboard')}?{urlencode(query)}"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    org = org_queries.page_org(request)  # ?org= outside the user's scope: 404
    if org is None:
        raise PermissionDenied
    if not is_cadre(request.user):
        raise PermissionDenied
    error = ""
    try:
        period = periods.parse(request.GET.get("period"))
    except DomainError as e:
        error, period = e.message, periods.this_year()
    try:
        app, metric, group = q.focus(request.GET.get("app"), request.GET.get("metric"))
    except DomainError as e:
        error = error or e.message
        app, metric, group = q.focus(request.GET.get("app"), None)
    tree = request.GET.get("tree") or None
    group = q.kept_for(group, period)  # a yearly state has no month or day figure
    if pages.wants_export(request) and not error:
        return export(org, period, request.GET.get("chart", ""), group, tree)
    groups = q.tiles(org, period)
    line = q.trend(org, period, group)
    parts = q.breakdown(org, period, group, tree)
    keep = {"period": period.code, "app": app, "metric": metric.key if metric else None}
    chart = {
        "empty": _("No figures for this period"),
        "trend": {"labels": [p.code for p in line.periods],
                  "series": [{"name": f"{m.label}（{q.unit(m)}）", "data": [q.number(v) for v in line.values[m.key]]}
                             for m in line.metrics]},
        "breakdown": {"labels": [r.name for r in parts.rows],
                      "urls": [dashboard_url(r.org, tree=None, **keep) for r in parts.rows if r.org],
                      "name": f"{metric.label}（{q.unit(metric)}）" if metric else "",
                      "data": [q.number(r.values[metric.key]) for r in parts.rows] if metric else []},
    }
    return render(request, "stats/dashboard.html", {
        "org": org, "period": period,
        "trail": [(o, dashboard_url(o, **keep)) for o in org.ancestors_and_self() if o.in_scope(request.user)],
        "error": error,
        "years": list(range(periods.last_year_kept(), periods.FIRST_YEAR - 1, -1)),
        "groups": groups, "app": app, "metric": metric, "group": group,
        "apps": [(g.app, g.label, dashboard_url(org, period=period.code, app=g.app, tree=parts.tree))
                 for g in groups],
        "metric_urls": [(m, dashboard_url(org, period=period.code, metric=m.key, tree=parts.tree)) for m in group],
        "trees": [(t, q.tree_label(t), dashboard_url(org, tree=t, **keep)) for t in parts.trees],
        "parts": parts, "line": line, "chart": chart,
        "rows": [(r, dashboard_url(r.org, **keep) if r.org else "", [r.values[m.key] for m in group])
                 for r in parts.rows],
        "rest": [parts.rest.values[m.key] for m in group] if parts.rest else None,
        "total": [parts.total[m.key] for m in group],
        "export_url": dashboard_url(org, tree=parts.tree, export="xlsx", **keep),
    })


def export(org: Org, period: periods.Chosen, chart: str, group: list[Any], tree: str | None) -> HttpResponse:
    """One chart's data as a worksheet: the tiles, the trend or the breakdown (names and labels escaped by core)."""
    if chart not in CHARTS:
        chart = "tiles"
    title = f"{_('Statistics')}·{org.name}·{period.label}"
    if chart == "tiles":
        rows = [[g.label, str(t.metric.label), t.unit, t.value, t.before,
                 t.change if t.change is not None else ""] for g in q.tiles(org, period) for t in g.tiles]
        return pages.export(title, [_("Area of work"), _("Metric"), _("Unit of measure"), period.label,
                                    period.year_before().label, _("Change on the year before (%)")], rows)
    if chart == "trend":
        line = q.trend(org, period, group)
        headers = [_("Statistical period"), *(f"{m.label}（{q.unit(m)}）" for m in group)]
        return pages.export(f"{title}·{_('Trend')}", headers,
                            [[p.code, *(line.values[m.key][i] for m in group)] for i, p in enumerate(line.periods)])
    parts = q.breakdown(org, period, group, tree)
    rows = [[r.name, *(r.values[m.key] for m in group)] for r in parts.rows]
    if parts.rest:
        rows.append([parts.rest.name, *(parts.rest.values[m.key] for m in group)])
    rows.append([_("Total of %(org)s") % {"org": org.display_name}, *(parts.total[m.key] for m in group)])
    return pages.export(f"{title}·{q.tree_label(parts.tree)}",
                        [_("Organisation"), *(f"{m.label}（{q.unit(m)}）" for m in group)], rows)
