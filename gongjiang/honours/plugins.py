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
from gongjiang.core.registry import (
    DemoLoader,
    DetailPanel,
    HomePanel,
    NavItem,
    NavSection,
    ReferenceData,
    SearchHit,
    SearchProvider,
)
from gongjiang.orgs.plugins import is_cadre


def _drafts(user: Any) -> list[registry.TodoItem]:
    """Draft nominations of campaigns still taking nominations, in the user's unions (one count)."""
    from .choices import NominationState
    from .models import Nomination

    if not is_cadre(user):
        return []
    today = timezone.localdate()
    n = Nomination.objects.for_user(user, "change").filter(
        state__in=[NominationState.DRAFT, NominationState.RETURNED], campaign__opens_on__lte=today,
        campaign__submit_until__gte=today).count()
    return [registry.TodoItem(_("%(n)d honour nominations wait to be completed and submitted.") % {"n": n}, n,
                              reverse("honours:campaign_list"), "honours", 45)]


def _waiting(user: Any) -> list[registry.TodoItem]:
    """Submitted nominations waiting for a decision at the user's own union (one count)."""
    from .queries import reviews

    if not is_cadre(user):
        return []
    n = reviews.waiting_count(user)
    return [registry.TodoItem(_("%(n)d honour nominations wait for your review.") % {"n": n}, n,
                              reverse("honours:review_home"), "honours", 44)]


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
            f"{figures['allocations']} quota shares and {figures['nominations']} nominations, "
            f"{figures['studios']} studios.")


def _wipe_demo() -> None:
    from . import demo

    demo.wipe()


def _loaded() -> bool:
    from .models import Campaign

    return Campaign.objects.exists()



def _types_missing() -> bool:
    from .models import HonourType

    return not HonourType.objects.exists()


def _load_types() -> object:
    from . import standard
    from .models import HonourType

    return standard.load(HonourType)


def _rubrics_missing() -> bool:
    from .models import Rubric

    return not Rubric.objects.exists()


def _load_rubrics() -> object:
    from .models import Rubric
    from .studio_rubrics import load

    return load(Rubric)


def _person_honours(request: Any, person: Any) -> dict[str, Any]:
    """A person's honours (荣誉履历) the viewer may see — on their own record, all of theirs — one query."""
    from .models import Holder
    from .queries import roster

    own = person.pk == getattr(request.user, "person_id", None)
    rows = (list(Holder.objects.filter(person=person).select_related("honour_type", "unit").order_by("year", "id"))
            if own else roster.honours_of_person(request.user, person))
    return {"rows": rows, "own": own} if rows else {}


def _org_honours(request: Any, org: Any) -> dict[str, Any]:
    """A collective's or an organisation's own honours (工人先锋号, 五一劳动奖状) the viewer may see, one query."""
    from .queries import roster

    rows = roster.honours_of_org(request.user, org)
    return {"rows": rows, "own": False, "collective": True} if rows else {}


def _home_panel(request: Any, scope: Any) -> dict[str, Any]:
    """The holders in the scope's subtree by honour (one query of the counters) and a chart of them."""
    from .queries import roster

    rows = roster.types_with_counts(scope)
    return {"rows": rows, "scope": scope, "chart": {
        "empty": _("No holders yet"), "names": [_("Holders"), _("Alive"), _("In post")],
        "types": {"labels": [r["name"] for r in rows], "holders": [r["holders"] for r in rows],
                  "alive": [r["alive"] for r in rows], "active": [r["active"] for r in rows]}}}


def _nominations_panel(request: Any, scope: Any) -> dict[str, Any]:
    """The scope's shares of the latest year's campaigns: quota, nominated, forwarded, conferred (two queries of the
    counters, queries.figures), as a chart, with the link to the nomination figures."""
    from .queries import figures

    if scope is None:
        return {"scope": None}
    known = figures.years(scope)
    rows = figures.figures(scope, known[0]) if known else []
    return {"scope": scope, "year": known[0] if known else None, "rows": rows, "chart": figures.chart(rows)}


def register() -> None:
    from . import panel_plugins

    panel_plugins.register()  # the review panels' to-do
    registry.register_nav(
        NavSection("honours", gettext_lazy("Honours"), 38),
        NavItem("honours", gettext_lazy("Honours campaigns"), "honours:campaign_list", 10, visible=is_cadre,
                active=("honours:campaign_*", "honours:nomination_*", "honours:import_*")),
        NavItem("honours", gettext_lazy("Nominations to review"), "honours:review_home", 15, visible=is_cadre,
                active=("honours:review_home",)),
        NavItem("honours", gettext_lazy("Nomination figures"), "honours:figures", 18, visible=is_cadre,
                active=("honours:figures",)),
        NavItem("honours", gettext_lazy("Honour types"), "honours:type_list", 20, visible=is_cadre,
                active=("honours:type_*",)),
        NavItem("honours", gettext_lazy("Roster of honour holders"), "honours:roster", 30, visible=is_cadre,
                active=("honours:roster*", "honours:holder_*")),
        NavItem("honours", gettext_lazy("Honour roll"), "honours:public_roster", 40),
    )
    registry.register_detail_panel("orgs.person", DetailPanel("honours", "honours/_honours_panel.html",
                                                              _person_honours, order=45))
    registry.register_detail_panel("orgs.org", DetailPanel("honours", "honours/_honours_panel.html", _org_honours,
                                                           visible=lambda user, org: is_cadre(user), order=45))
    registry.register_home_panel(HomePanel("honours", "honours/_home_panel.html", _home_panel, 45,
                                           visible=is_cadre),
                                 HomePanel("honours.nominations", "honours/_nominations_panel.html",
                                           _nominations_panel, 46, visible=is_cadre))
    registry.register_todo(_drafts)
    registry.register_todo(_waiting)
    from . import publicity

    publicity.register()  # the shortlist's public notice and the certificates (core notices, core certificates)
    registry.register_search(SearchProvider("honours", gettext_lazy("Honour nominations"), _search, 38,
                                            visible=is_cadre))
    registry.register_reference_data(ReferenceData("honours.standard_types", _types_missing, _load_types),
                                     ReferenceData("honours.studio_rubrics", _rubrics_missing, _load_rubrics))
    registry.register_demo(DemoLoader("honours", _load_demo, after=("orgs",), wipe=_wipe_demo, loaded=_loaded))

    from . import studio_plugins

    studio_plugins.register()  # studios: menu, to-do, search
