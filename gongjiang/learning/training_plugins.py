"""What the training part contributes through core's registries (called from LearningConfig.ready): its menu
entries under 学习 (培训 / 师徒结对 / 学习资料 for cadres, 学习资料 for workers), the panel of a person's training
hours and mentorships on the person page, its audit labels, its share of the figures' rebuild, and the demo's
sessions, pairs and materials."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import DemoLoader, DetailPanel, NavItem, NavSection
from gongjiang.orgs.plugins import is_cadre, is_worker


def learner_or_cadre(user: Any) -> bool:
    return is_cadre(user) or is_worker(user)


def _person_training(request: Any, person: Any) -> dict[str, Any]:
    """A person's training record on the person page and the worker's own record (the page found the person through
    the viewer's scope): sessions with hours, the year's hours, mentorships; nothing when there is none."""
    from .models import MentorPair, TrainingSession
    from .queries import training

    found = training.person_record(person)
    if not found:
        return {}
    user = request.user
    # Links only to what the viewer may open (a session of a union above theirs is listed, not linked).
    sessions = TrainingSession.objects.for_user(user, "view").filter(
        pk__in=[a.session_id for a in found.attendances]).values_list("pk", flat=True) if is_cadre(user) else []
    pairs = MentorPair.objects.for_user(user, "view").filter(
        pk__in=[p.pk for p in found.pairs]).values_list("pk", flat=True) if is_cadre(user) else []
    return {"record": found, "person": person, "own": person.pk == getattr(user, "person_id", None),
            "sessions_seen": set(sessions), "pairs_seen": set(pairs)}


def _load_demo(scale: str, log: Callable[[str], None], reset: bool) -> str:
    from . import demo_training

    n = demo_training.load(log=log)
    return (f"Loaded the training: {n['sessions']:,} sessions with {n['attendances']:,} attendances, "
            f"{n['pairs']:,} mentor pairs, {n['materials']} materials with {n['completions']:,} completions.")


def _wipe_demo() -> None:
    from . import demo_training

    demo_training.wipe()


def _loaded() -> bool:
    from .models import TrainingSession

    return TrainingSession.objects.exists()


def register() -> None:
    from gongjiang.core.verbs import register_verbs

    from . import training_imports  # noqa: F401  (imports: register the import)
    from .training_verbs import KEYS, VERBS

    register_verbs(VERBS, keys=KEYS)
    registry.register_nav(
        NavSection("learning", gettext_lazy("Learning"), 36),
        NavItem("learning", gettext_lazy("Training sessions"), "learning:session_list", 60, visible=is_cadre,
                active=("learning:session_*", "learning:attendee_*")),
        NavItem("learning", gettext_lazy("Mentor pairs"), "learning:pair_list", 62, visible=is_cadre,
                active=("learning:pair_*",)),
        NavItem("learning", gettext_lazy("Learning materials"), "learning:material_list", 64,
                visible=learner_or_cadre, active=("learning:material_*",)),
    )
    registry.register_detail_panel("orgs.person", DetailPanel("learning.training", "learning/training_panel.html",
                                                              _person_training, order=48))
    registry.register_demo(DemoLoader("learning.training", _load_demo, after=("orgs",), wipe=_wipe_demo,
                                      loaded=_loaded))
