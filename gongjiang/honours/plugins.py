"""What the honours app contributes through core's registries (called from HonoursConfig.ready): the honours menu
(honour types, campaigns), the work waiting (draft nominations of open campaigns), the search of nominations, and
the demo's honour types, holders, a 工人先锋号 campaign with city quotas and a non-public reserve, and nominations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import DemoLoader, NavItem, NavSection, SearchHit, SearchProvider
from gongjiang.orgs.plugins import is_cadre


def _drafts(user: Any) -> list[registry.TodoItem]:
    """Draft nominations of campaigns still taking nominations, in the user's unions (one count)."""
    from .choices import NominationState
    from .models import Nomination

    if not is_cadre(user):
        return []
    today = timezone.localdate()
    n = Nomination.objects.for_user(user, "change").filter(
        state=NominationState.DRAFT, campaign__opens_on__lte=today, campaign__submit_until__gte=today).count()
    return [registry.TodoItem(_("%(n)d honour nominations wait to be completed and submitted.") % {"n": n}, n,
                              reverse("honours:campaign_list"), "honours", 45)]


def _search(user: Any, q: str, limit: int) -> list[SearchHit]:
    from .models import Nomination

    found = (Nomination.objects.for_user(user, "view").filter(name__contains=q)
             .select_related("campaign", "unit").order_by("-id")[: limit + 1])
    return [SearchHit(n.name, f"{n.campaign.title} · {n.unit.display_name} · {n.get_state_display()}",
                      n.get_absolute_url()) for n in found]


def _load_demo(scale: str, log: Callable[[str], None], reset: bool) -> str:
    from . import demo

    figures = demo.load(log=log)
    return (f"Loaded the honours: {figures['types']} honour types, {figures['holders']:,} holders, a campaign with "
            f"{figures['allocations']} quota shares and {figures['nominations']} nominations.")


def _wipe_demo() -> None:
    from . import demo

    demo.wipe()


def _loaded() -> bool:
    from .models import Campaign

    return Campaign.objects.exists()


def register() -> None:
    registry.register_nav(
        NavSection("honours", gettext_lazy("Honours"), 38),
        NavItem("honours", gettext_lazy("Honours campaigns"), "honours:campaign_list", 10, visible=is_cadre,
                active=("honours:campaign_*", "honours:nomination_*", "honours:import_*")),
        NavItem("honours", gettext_lazy("Honour types"), "honours:type_list", 20, visible=is_cadre,
                active=("honours:type_*",)),
    )
    registry.register_todo(_drafts)
    registry.register_search(SearchProvider("honours", gettext_lazy("Honour nominations"), _search, 38,
                                            visible=is_cadre))
    registry.register_demo(DemoLoader("honours", _load_demo, after=("orgs",), wipe=_wipe_demo, loaded=_loaded))
