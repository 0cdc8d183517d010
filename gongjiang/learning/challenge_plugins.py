"""What the level challenges and practice contribute through core's registries (called from LearningConfig.ready):
the labels of their audit verbs, the menu (学习 › 闯关 for cadres; 我的学习 for workers), the learners' landing and
the to-do "today's practice not done yet"."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import NavItem, NavSection
from gongjiang.orgs.plugins import is_cadre, is_worker


def _practice_todo(user: Any) -> list[registry.TodoItem]:
    """Today's practice, while not done (a worker's own attempts: one small query)."""
    from django.utils import timezone

    from .queries import challenges as queries

    if not is_worker(user):
        return []
    person = user.person
    done = timezone.localdate() in queries.practice_days(person)
    return [registry.TodoItem(_("Today's practice is not done yet."), 0 if done else 1,
                              reverse("learning:my_learning"), "learning", 20)]


def register() -> None:
    from gongjiang.core.verbs import register_verbs

    from .challenge_verbs import CHALLENGE_KEYS, CHALLENGE_VERBS

    register_verbs(CHALLENGE_VERBS, keys={"learning": CHALLENGE_KEYS})
    registry.register_nav(
        NavSection("learning", gettext_lazy("Learning"), 36),
        NavSection("my_learning", gettext_lazy("My learning"), 12),
        NavItem("learning", gettext_lazy("Level challenges"), "learning:challenge_list", 20, visible=is_cadre,
                active=("learning:challenge_*", "learning:level_*", "learning:board_*")),
        NavItem("my_learning", gettext_lazy("My learning"), "learning:my_learning", 10, visible=is_worker,
                active=("learning:my_learning", "learning:my_challenge", "learning:board_*")),
        NavItem("my_learning", gettext_lazy("Wrong answers"), "learning:my_mistakes", 20, visible=is_worker),
    )
    registry.register_todo(_practice_todo)
    _register_returns()


def _register_returns() -> None:
    """The attempt page's "back" link for the attempts of levels, practice and wrong-answer practice."""
    from .choices import Purpose
    from .links import register_return

    def level_return(attempt: Any) -> str:
        return reverse("learning:my_challenge", args=[attempt.level.challenge_id])

    def home(attempt: Any) -> str:
        return reverse("learning:my_learning")

    def mistakes(attempt: Any) -> str:
        return reverse("learning:my_mistakes")

    register_return(Purpose.LEVEL, level_return)
    register_return(Purpose.PRACTICE, home)
    register_return(Purpose.MISTAKES, mistakes)
