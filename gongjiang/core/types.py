"""The types core's signatures share, naming no domain app (docs/architecture.md, "Types").

Who does something is an account of the site's user model (AUTH_USER_MODEL, orgs.User), which core may not import
(the layers): core writes `Account` for a logged-in account and `Actor` for whoever asks — `request.user`, an
account or the anonymous visitor. orgs.User is an `AbstractUser`, so an orgs or competitions caller passes its
`User` where core asks for an `Account`. The apps built on orgs write `User` themselves.

Both are only for annotations (the imports happen for the type checker alone). `logged_in(request.user)` is the
account of a page behind `login_required` typed as what it is (orgs' `User` there, as `request.user` is typed);
`account_id` is what a row's key to the user model stores.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, TypeVar

from django.utils.translation import gettext as _

from .errors import PermissionDeniedError

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.auth.models import AbstractUser, AnonymousUser

Account: TypeAlias = "AbstractUser"
"""A logged-in account: a verb's actor (the `@verb` decorator refuses anyone else before the body runs)."""

Actor: TypeAlias = "AbstractUser | AnonymousUser"
"""Whoever asks: `request.user` (an account, or the anonymous visitor), as the reads and predicates take it."""


U = TypeVar("U", bound="AbstractBaseUser")


def logged_in(user: U | AnonymousUser) -> U:
    """`request.user` as the account it is on a page behind `login_required` (which sends anyone else to log in
    first). Anyone else is refused as a verb refuses them."""
    if not user.is_authenticated:
        raise PermissionDeniedError(_("Log in to do this."), code="not_authenticated")
    return user


def account_id(actor: Actor | None) -> int | None:
    """The id of a logged-in account, None for the anonymous visitor or nobody (a task, the demo): what a row's
    foreign key to the user model stores. Core sets the key by id, as it cannot name the model's class."""
    pk: int | None = actor.pk if actor is not None else None
    return pk or None
