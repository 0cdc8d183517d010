"""Log-in by username or mobile number, throttled by client address and account (`throttle`): repeated
failures lock out the address that guesses, never the account, and every refusal looks the same."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest

from . import throttle
from .models import User


class AccountDisabled(Exception):
    """The right password of a disabled account: the log-in page says so (only to someone who knows it)."""


def find_account(login: str, accounts: Any = None) -> User | None:
    """The account whose user name or mobile number is `login` (among `accounts`, default all)."""
    qs = User.objects.all() if accounts is None else accounts
    return qs.filter(Q(username=login) | Q(phone=login)).order_by("id").first()


def check_throttled(user: User | None, login: str, password: str, client: str) -> bool:
    """Whether `password` is `user`'s, counted against `client` (see `throttle`): False without looking at the
    password while the client is refused for this account or name; a failure is recorded in its own statement,
    so it counts even when the caller's refusal rolls its own transaction back. `user` None (no such account)
    costs a password hash all the same, so the answer's timing says nothing about the name."""
    target = throttle.target_of(user, login)
    if throttle.is_refused(client, target):
        return False
    if user is None:
        User().set_password(password)
        ok = False
    else:
        ok = user.check_password(password)
    if ok:
        throttle.record_success(client, target)
    else:
        throttle.record_failure(client, target)
    return ok


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> User | None:
        if not username or password is None:
            return None
        login = username.strip()
        user = find_account(login)
        if not check_throttled(user, login, password, throttle.client_of(request)) or user is None:
            return None
        if not self.user_can_authenticate(user):
            raise AccountDisabled
        return user
