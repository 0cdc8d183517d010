"""What the review panels add to core's registries (called from `plugins.register`): the to-do of a panel's member
with nominations still waiting for their mark, and their menu entry."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import registry
from gongjiang.core.registry import NavItem
from gongjiang.core.scoping import memo


def sits_on_panel(user: Any) -> bool:
    """Whether an account that is no cadre sits on a review panel (once per request): the menu entry of the experts
    and workers on panels. A cadre on a panel reaches it from the to-do and the campaign's page (no query on every
    page of every cadre)."""
    from gongjiang.orgs.plugins import is_cadre

    from .models import PanelMember

    if not getattr(user, "is_authenticated", False) or is_cadre(user):
        return False
    return memo(user, "honours.sits_on_panel", lambda: PanelMember.objects.filter(user_id=user.pk).exists())


def _to_score(user: Any) -> list[registry.TodoItem]:
    """One item per open panel the user sits on with nominations waiting for their mark (none: no query beyond
    the seats')."""
    from .queries import panels

    return [registry.TodoItem(_("%(panel)s: %(n)d nominations wait for your score or vote.") % {
        "panel": panel.name, "n": n}, n, reverse("honours:panel_review", args=[panel.pk]), "honours", 40)
        for panel, n in panels.pending(user)]


def register() -> None:
    registry.register_nav(NavItem("me", gettext_lazy("My review panels"), "honours:panel_list", 15,
                                  visible=sits_on_panel, active=("honours:panel_review",)))
    registry.register_todo(_to_score)
