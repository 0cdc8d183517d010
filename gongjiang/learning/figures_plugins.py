"""What the learning figures contribute through core's registries (called from LearningConfig.ready): the menu
entry of the figures page, the home panel (this month's figures of the cadre's scope and a small trend, from the
daily figures), and the demo's challenge, finished contest, practice and learner persona (demo_activity)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import DemoLoader, HomePanel, NavItem, NavSection, Persona
from gongjiang.orgs.plugins import is_cadre

DEMO_KEY = "learning.activity"
DEMO_AFTER = ("learning.banks", "orgs")


def _home_panel(request: Any, scope: Any) -> dict[str, Any]:
    """This month's figures of the scope (one query of the daily figures) and the month's trend (one more)."""
    from .queries import figures as reads

    if scope is None:
        return {}
    p = reads.this_month(timezone.localdate())
    own = reads.totals(scope, p)
    names = reads.labels()
    return {"scope": scope, "period": p, "own": own,
            "tiles": [(names[f], getattr(own, f)) for f in ("learners", "attempts", "passes", "contest_takers")],
            "chart": reads.chart(reads.trend(scope, p), p)}


def _load_demo(scale: str, log: Callable[[str], None], reset: bool) -> str:
    from . import demo_activity

    made = demo_activity.load(scale, log=log)
    return (f"Loaded the learning activity: a challenge of {made['levels']} levels, a finished contest with "
            f"{made['contest_attempts']:,} attempts ({made['answers']:,} answers stored), {made['practice']:,} "
            f"practice attempts, the learner persona; folded in {made['seconds_fold']:.1f} s.")


def _wipe_demo() -> None:
    from . import demo_activity

    demo_activity.wipe()


def _loaded() -> bool:
    from . import demo_activity

    return demo_activity.loaded()


def register() -> None:
    from .demo_activity import LEARNER, LEARNER_PASSWORD

    registry.register_nav(
        NavSection("learning", gettext_lazy("Learning"), 37),
        NavItem("learning", gettext_lazy("Learning figures"), "learning:figures", 90, visible=is_cadre,
                active=("learning:figures",)),
    )
    registry.register_home_panel(HomePanel("learning", "learning/_figures_panel.html", _home_panel, 48,
                                           visible=is_cadre))
    registry.register_demo(DemoLoader(DEMO_KEY, _load_demo, after=DEMO_AFTER, wipe=_wipe_demo, loaded=_loaded))
    registry.register_personas(Persona(LEARNER, gettext_lazy("Learner"), gettext_lazy(
        "A front-line worker on the phone: has cleared three levels of the safety challenge, took the energy-saving "
        "contest and has wrong answers to practise"), LEARNER_PASSWORD, 80))
