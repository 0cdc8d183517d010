"""What the technical associations (职工技协) contribute through core's registries, called from `plugins.register`: the
menu entry under 职工创新 (for cadres and appointed 技协 officers), the officers' landing on their network, the search
of associations, the demo's network (its own loader, after the org demo) and the 技协 officer persona."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import DemoLoader, Landing, NavItem, Persona, SearchHit, SearchProvider
from gongjiang.orgs.plugins import is_cadre


def is_officer(user: Any) -> bool:
    """Holds an active appointment as a technical association officer (one query per request)."""
    from .models.techassoc import officer_paths

    return bool(getattr(user, "is_authenticated", False)) and bool(officer_paths(user))


def _cadre_or_officer(user: Any) -> bool:
    return is_cadre(user) or is_officer(user)


def _officer_landing(user: Any) -> str | None:
    return reverse("innovation:techassoc_list") if is_officer(user) and not is_cadre(user) else None


def _search(user: Any, q: str, limit: int) -> list[SearchHit]:
    from .models import TechAssociation

    found = (TechAssociation.objects.for_user(user, "view").filter(name__contains=q).select_related("org")
             .order_by("org__path")[: limit + 1])
    return [SearchHit(a.name, f"{a.org.display_name} · {a.get_state_display()}", a.get_absolute_url())
            for a in found]


def _load_demo(scale: str, log: Any, reset: bool) -> str:
    import time

    from . import demo_techassoc

    t = time.perf_counter()
    figures = demo_techassoc.load(log=log, scale=scale)
    return (f"Loaded the technical associations: {figures['associations']:,} associations, "
            f"{figures['members']:,} members, {figures['activities']:,} activities in "
            f"{time.perf_counter() - t:.1f} s.")


def _wipe_demo() -> None:
    from . import demo_techassoc

    demo_techassoc.wipe()


def _loaded() -> bool:
    from .models import TechAssociation

    return TechAssociation.objects.exists()


def register() -> None:
    from gongjiang.orgs.demo import DEMO_PASSWORD

    from .demo_techassoc import PERSONAS

    registry.register_nav(
        NavItem("innovation", gettext_lazy("Technical associations"), "innovation:techassoc_list", 27,
                visible=_cadre_or_officer, active=("innovation:techassoc_*",)),
    )
    registry.register_landing(Landing("innovation.techassoc_officer", 63, _officer_landing))
    registry.register_search(SearchProvider("innovation_techassoc", gettext_lazy("Technical associations"), _search,
                                            37, visible=_cadre_or_officer))
    registry.register_demo(DemoLoader("innovation_techassoc", _load_demo, after=("orgs",), wipe=_wipe_demo,
                                      loaded=_loaded, scales=("demo", "tiny")))
    registry.register_personas(*[Persona(p.username, p.role_label, p.sees, DEMO_PASSWORD, 48 + i)
                                 for i, p in enumerate(PERSONAS)])
