"""What the question banks contribute through core's registries (called from LearningConfig.ready): the menu entry
学习 › 题库 for cadres, the audit verbs' labels, the Excel import (registered on import of banks_imports) and the
demo's banks (`demo_banks`)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import DemoLoader, NavItem, NavSection
from gongjiang.core.verbs import register_verbs
from gongjiang.orgs.plugins import is_cadre


def _load_demo(scale: str, log: Callable[[str], None], reset: bool) -> str:
    from . import demo_banks

    figures = demo_banks.load(log=log)
    return f"Loaded the question banks: {figures['banks']} banks with {figures['questions']:,} questions."


def _wipe_demo() -> None:
    from . import demo_banks

    demo_banks.wipe()


def _loaded() -> bool:
    from .models import Bank

    return Bank.objects.filter(name__in=[name for name, _s in _bank_names()]).exists()


def _bank_names() -> list[tuple[str, bool]]:
    from . import demo_banks

    return demo_banks.BANKS


def register() -> None:
    from . import banks_imports  # noqa: F401  (registers the Excel import of questions)
    from .banks_verbs import BANK_KEYS, BANK_VERBS

    register_verbs(BANK_VERBS, keys=BANK_KEYS)
    registry.register_nav(
        NavSection("learning", gettext_lazy("Learning"), 37),
        NavItem("learning", gettext_lazy("Question banks"), "learning:bank_list", 10, visible=is_cadre,
                active=("learning:bank_*", "learning:question_*")),
    )
    registry.register_demo(DemoLoader("learning.banks", _load_demo, after=("orgs",), wipe=_wipe_demo, loaded=_loaded))
