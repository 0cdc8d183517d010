"""What the assessments app contributes through core's registries (called from AssessmentsConfig.ready): the 考核
menu, the work waiting (sheets to fill, sheets to review) and the demo's two years of assessments of the cities."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import NavItem, NavSection
from gongjiang.orgs.plugins import is_cadre


def _to_fill(user: Any) -> list[registry.TodoItem]:
    from .queries import sheets_to_fill

    if not is_cadre(user):
        return []
    n = sheets_to_fill(user).count()
    return [registry.TodoItem(_("%(n)d assessment sheets wait for your self-assessment.") % {"n": n}, n,
                              reverse("assessments:campaign_list"), "assessments", 40)]


def _to_review(user: Any) -> list[registry.TodoItem]:
    from .queries import sheets_to_review

    if not is_cadre(user):
        return []
    n = sheets_to_review(user).count()
    return [registry.TodoItem(_("%(n)d assessment sheets wait for your review.") % {"n": n}, n,
                              reverse("assessments:campaign_list"), "assessments", 41)]


def _load_demo(scale: str, log: Callable[[str], None], reset: bool) -> str:
    from . import demo

    figures = demo.load(log=log)
    return (f"Loaded the assessments: {figures['campaigns']} campaigns, {figures['sheets']} sheets, "
            f"{figures['vetoed']} vetoed.")


def _wipe_demo() -> None:
    from . import demo

    demo.wipe()


def _loaded() -> bool:
    from .models import Campaign

    return Campaign.objects.exists()


def register() -> None:
    registry.register_nav(
        NavSection("assessments", gettext_lazy("Assessments"), 42),
        NavItem("assessments", gettext_lazy("Assessment campaigns"), "assessments:campaign_list", 10,
                visible=is_cadre, active=("assessments:campaign_*", "assessments:sheet_*")),
        NavItem("assessments", gettext_lazy("Assessment rubrics"), "assessments:rubric_list", 20, visible=is_cadre,
                active=("assessments:rubric_*",)),
    )
    registry.register_todo(_to_fill, _to_review)
    # after the apps whose demo data fills the fact store the sheets start from
    registry.register_demo(registry.DemoLoader(
        "assessments", _load_demo, after=("orgs", "competitions", "innovation", "honours", "learning.training"),
        wipe=_wipe_demo, loaded=_loaded))
