"""The kinds of public notice the apps publish, registered from their AppConfig.ready():

    notices.register_kind("competitions.round_results", title=_("Competition results"),
                          on_closed=round_notice_closed, public_url=..., items=..., can_manage=...)

Core calls back into the owning app through these hooks only, so it never imports a domain app."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from ..models.notices import PublicNotice
    from ..types import Account


@dataclass(frozen=True)
class NoticeItem:
    """One line of what a notice publishes: a name, the unit, and what is said of it ("第1名 一等奖"). There is no
    field for an ID number, a birth date or a contact: a notice publishes names with units, nothing more."""

    name: str
    unit: str = ""
    detail: str = ""


@dataclass(frozen=True)
class NoticeKind:
    """How core reaches the owner of a kind of notice.

    - `on_closed(notice)`: called once, inside the transaction that closes the notice after its last day (by the
      daily task or the first read or action after it); the owner reacts (a round may then be finalised, a
      nomination goes forward). An exception rolls the closing back, so it is tried again.
    - `public_url(notice)`: the owner's own public page of the notice (else core's generic page lists `items`).
    - `items(notice)`: what is published, read live from the owner (a changed result shows at once).
    - `manage_url(notice)`: where the owners run the matter the notice is about.
    - `can_manage(user, notice)`: owners beyond those who may change the publishing union itself."""

    key: str
    title: str | Promise
    on_closed: Callable[[PublicNotice], None] | None = None
    public_url: Callable[[PublicNotice], str] | None = None
    items: Callable[[PublicNotice], Sequence[NoticeItem]] | None = None
    manage_url: Callable[[PublicNotice], str] | None = None
    can_manage: Callable[[Account, PublicNotice], bool] | None = None


_KINDS: dict[str, NoticeKind] = {}


def register_kind(key: str, *, title: str | Promise, **hooks: Any) -> NoticeKind:
    kind = NoticeKind(key=key, title=title, **hooks)
    _KINDS[key] = kind
    return kind


def kind_of(key: str) -> NoticeKind:
    """The registered kind; an unregistered one (an app removed) still has a title and no hooks."""
    return _KINDS.get(key) or NoticeKind(key=key, title=key)


def registered() -> dict[str, NoticeKind]:
    return dict(_KINDS)
