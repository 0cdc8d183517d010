"""What the statistics app contributes through core's registries (called from StatsConfig.ready): the menu entry
of the dashboard and the overview's panel (this year's main figures of the cadre's scope with a twelve-month trend,
from the fact store)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import HomePanel, NavItem, NavSection
from gongjiang.orgs.models import Period
from gongjiang.orgs.plugins import is_cadre


def _home_panel(request: Any, scope: Any) -> dict[str, Any]:
    """The main metric of each app for the scope: this year beside the year before (two queries) and the last
    twelve months as a small chart (one query)."""
    from .queries import dashboard as q
    from .queries.periods import Chosen

    if scope is None:
        return {}
    main = q.main_metrics()
    if not main:
        return {}
    today = timezone.localdate()
    year = Chosen(Period.YEAR, today.replace(month=1, day=1))
    month = Chosen(Period.MONTH, today.replace(day=1))
    tiles = [t for g in q.tiles(scope, year, main) for t in g.tiles]
    line = q.trend(scope, month, main)
    return {"scope": scope, "year": year, "tiles": tiles, "chart": {
        "empty": _("No figures for this period"),
        "trend": {"labels": [p.code for p in line.periods],
                  "series": [{"name": f"{m.label}（{q.unit(m)}）", "data": [q.number(v) for v in line.values[m.key]]}
                             for m in main]}}}


def register() -> None:
    registry.register_nav(
        NavSection("stats", gettext_lazy("Statistics"), 38),
        NavItem("stats", gettext_lazy("Statistics dashboard"), "stats:dashboard", 10, visible=is_cadre,
                active=("stats:dashboard",)),
        NavItem("stats", gettext_lazy("Annual report"), "stats:report", 20, visible=is_cadre,
                active=("stats:report*",)),
    )
    registry.register_home_panel(HomePanel("stats", "stats/_home_panel.html", _home_panel, 30, visible=is_cadre))
