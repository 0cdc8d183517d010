"""What core itself puts in the registries: the inbox in the "Me" menu, with its unread count."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from . import registry

if TYPE_CHECKING:
    from .types import Actor


def _unread(user: Actor) -> str:
    from .notifications import badge, unread_count

    return badge(unread_count(user))


def register() -> None:
    registry.register_nav(
        registry.NavItem("me", gettext_lazy("To-do"), "core:todo", 5),
        registry.NavItem("me", gettext_lazy("Messages"), "core:inbox", 30, badge=_unread, active=("core:inbox*",)),
    )
