"""What the review panels add to core's registries (called from `plugins.register`): the to-do of a panel's member
with nominations still waiting for their mark."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from gongjiang.core import registry


def _to_score(user: Any) -> list[registry.TodoItem]:
    """One item per open panel the user sits on with nominations waiting for their mark (none: no query beyond
    the seats')."""
    from .queries import panels

    return [registry.TodoItem(_("%(panel)s: %(n)d nominations wait for your score or vote.") % {
        "panel": panel.name, "n": n}, n, reverse("honours:panel_review", args=[panel.pk]), "honours", 40)
        for panel, n in panels.pending(user)]


def register() -> None:
    registry.register_todo(_to_score)
