"""What every page's frame needs from the core: the side menu built from the apps' registered entries, and the
unread-messages badge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, cached_property

if TYPE_CHECKING:
    from .types import Account, Actor


class UnreadBadge:
    """The header's unread count, counted only when a template shows it (one indexed COUNT, capped at 99+)."""

    def __init__(self, user: Account) -> None:
        self._user = user

    @cached_property
    def count(self) -> int:
        from .notifications import unread_count

        return unread_count(self._user)

    @cached_property
    def label(self) -> str:
        """"" when nothing is unread, "3", or "99+"."""
        from .notifications import badge

        return badge(self.count)


def notifications(request: HttpRequest) -> dict[str, Any]:
    user: Actor | None = getattr(request, "user", None)  # none before the authentication middleware
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_badge": UnreadBadge(user), "gj_nav": SimpleLazyObject(lambda: _navigation(request, user))}


def _navigation(request: HttpRequest, user: Account) -> list[dict[str, Any]]:
    from .registry import navigation

    match = getattr(request, "resolver_match", None)
    return navigation(user, match.view_name if match else "")
