"""What the statistics app contributes through core's registries (called from StatsConfig.ready): the menu entry
of the dashboard and the overview's panel (this year's main figures of the cadre's scope with a twelve-month trend,
from the fact store), the data requests waiting for a union's figures, and the demo's requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
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
                             for m in line.metrics]}}}


def _to_report(user: Any) -> list[registry.TodoItem]:
    from .queries.requests import returns_to_fill

    if not is_cadre(user):
        return []
    n = returns_to_fill(user).count()
    return [registry.TodoItem(_("%(n)d data requests wait for your figures.") % {"n": n}, n,
                              reverse("stats:request_list"), "stats", 39)]


def _load_demo(scale: str, log: Callable[[str], None], reset: bool) -> str:
    from . import demo

    figures = demo.load(log=log)
    return f"Loaded the data requests: {figures['requests']} requests, {figures['reported']} returns reported."


def _wipe_demo() -> None:
    from gongjiang.core.models import Notification

    from .models import DataRequest

    DataRequest.objects.all().delete()
    Notification.objects.filter(verb__startswith="stats.").delete()  # the demo's messages to the cities' cadres


def _loaded() -> bool:
    from .models import DataRequest

    return DataRequest.objects.exists()


def register() -> None:
    registry.register_nav(
        NavSection("stats", gettext_lazy("Statistics"), 38),
        NavItem("stats", gettext_lazy("Statistics dashboard"), "stats:dashboard", 10, visible=is_cadre,
                active=("stats:dashboard",)),
        NavItem("stats", gettext_lazy("Annual report"), "stats:report", 20, visible=is_cadre,
                active=("stats:report*",)),
        NavItem("stats", gettext_lazy("Data requests"), "stats:request_list", 30, visible=is_cadre,
                active=("stats:request_*", "stats:return_*")),
    )
    registry.register_todo(_to_report)
    # after the apps whose demo data fills the fact store the returns are prefilled from
    registry.register_demo(registry.DemoLoader(
        "stats", _load_demo, after=("orgs", "competitions", "innovation", "honours", "learning.training",
                                    "assessments"), wipe=_wipe_demo, loaded=_loaded))
    registry.register_home_panel(HomePanel("stats", "stats/_home_panel.html", _home_panel, 30, visible=is_cadre))
