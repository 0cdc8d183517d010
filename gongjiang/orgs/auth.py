"""Log-in by username or mobile number, throttled by client address and account (`throttle`): repeated
failures lock out the address that guesses, never the account, and every refusal looks the same. And the API's
personal tokens (`TokenAuth`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

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


# ---------------------------------------------------------------------------------------------
# API tokens

TOKEN_USE_GRANULARITY = datetime.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer gj_…`: a personal token, looked up by its hash; revoked tokens and tokens
    of deactivated accounts are refused (401). No CSRF: a token is not sent by the browser on its own."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from .models import ApiToken, User

        if not token.startswith("gj_"):
            return None
        # The owner, the token's id and whether its "last used" is a minute old, in one hand-written statement:
        # every API request passes here, and compiling the equivalent querysets cost more than running them
        # (docs/BENCHMARKS.md §5).
        from django.db import connection

        now = timezone.now()
        users = User.objects.raw(
            f"SELECT u.*, t.id AS token_id, CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 "
            f"END AS token_stale FROM {User._meta.db_table} u JOIN {ApiToken._meta.db_table} t ON t.user_id = u.id "
            f"WHERE t.key_hash = %s AND t.revoked_at IS NULL",
            [connection.ops.adapt_datetimefield_value(now - TOKEN_USE_GRANULARITY), ApiToken.hash_key(token)])
        user = next(iter(users), None)
        if user is None or not user.is_active:
            return None
        found = ApiToken(id=user.token_id, user=user, last_used_at=now)
        if user.token_stale:
            # "last used" to the minute: a write on every request would serialise a judge's saves
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user
