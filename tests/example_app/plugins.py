"""Everything the example app contributes, through gongjiang.core's registries only."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from gongjiang.core import registry
from gongjiang.core.verbs import register_verbs

SUGGESTIONS = ["改进车床夹具", "降低焊材损耗"]
LOADED: list[str] = []  # what the demo loader was asked to do (the test reads it)
USER = "example_user"


def is_example_user(user: Any) -> bool:
    return getattr(user, "username", "") == USER


def _landing(user: Any) -> str | None:
    return reverse("example_app:index") if is_example_user(user) else None


def _todo(user: Any) -> list[registry.TodoItem]:
    if not is_example_user(user):
        return []
    return [registry.TodoItem(f"{len(SUGGESTIONS)} suggestions wait for your review.", len(SUGGESTIONS),
                              reverse("example_app:index"), "example_app")]


def _search(user: Any, q: str, limit: int) -> list[registry.SearchHit]:
    return [registry.SearchHit(s, "example", reverse("example_app:index")) for s in SUGGESTIONS if q in s][:limit]


def _load_demo(scale: str, log: Any, reset: bool) -> str:
    LOADED.append(scale)
    return f"Loaded {len(SUGGESTIONS)} example suggestions."


def register() -> None:
    registry.register_nav(
        registry.NavSection("example", "Example", 50),
        registry.NavItem("example", "Suggestions", "example_app:index", visible=is_example_user),
    )
    registry.register_landing(registry.Landing("example", 55, _landing))
    registry.register_todo(_todo)
    registry.register_search(registry.SearchProvider("example", "Suggestions", _search, visible=is_example_user))
    registry.register_demo(registry.DemoLoader("example", _load_demo, after=("orgs",), scales=()))
    registry.register_personas(registry.Persona(USER, "Example persona", "Reviews the example suggestions",
                                                "Gongjiang-2026", 99))
    register_verbs({"example_app.suggestion.reviewed": "审阅建议"})
