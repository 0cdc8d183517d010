"""Log-in by username or mobile number, throttled by client address and account (`throttle`): repeated
failures lock out the address that guesses, never the account, and every refusal looks the same. And the API's
personal tokens (`TokenAuth`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from . import throttle
from .models import User


class AccountDisabled(Exception):
    """The right password of a disabled account: the log-in page says so (only to someone who knows it)."""


def find_account(login: str, accounts: QuerySet[User] | None = None) -> User | None:
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
        # The owner, the token's id and whether its "last used" is a minute old, in one hand-written statement read
        # through a plain cursor, prepared once per PostgreSQL connection: every API request passes here, and
        # compiling the equivalent querysets (or even mapping a raw query's columns, or PostgreSQL planning it
        # again) cost more than running it (docs/BENCHMARKS.md §5).
        from django.db import connection

        from gongjiang.core import statements

        now = timezone.now()
        sql, fields, converters = _token_statement(connection)
        with connection.cursor() as cursor:
            statements.execute(cursor, "gj_api_token", sql, ("timestamptz", "text"), [
                connection.ops.adapt_datetimefield_value(now - TOKEN_USE_GRANULARITY), ApiToken.hash_key(token)])
            row = cursor.fetchone()
        if row is None:
            return None
        *values, token_id, token_stale = row
        for i, field, convert in converters:
            for c in convert:
                values[i] = c(values[i], field, connection)
        user = User.from_db(connection.alias, fields, values)
        if not user.is_active:
            return None
        found = ApiToken(id=token_id, user=user, last_used_at=now)
        if token_stale:
            # "last used" to the minute: a write on every request would serialise a judge's saves
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


_TOKEN_STATEMENTS: dict[str, tuple[str, list[str], list[tuple[int, Any, list[Any]]]]] = {}


def _token_statement(connection: Any) -> tuple[str, list[str], list[tuple[int, Any, list[Any]]]]:
    """For `TokenAuth`, per database vendor, made once: the statement (every column of the owner, then the token's
    id and whether its "last used" is stale), the owner's field names in that order, and the converters the ORM
    would apply to them (index, column, converters: dates and times read from SQLite)."""
    from .models import ApiToken, User

    found = _TOKEN_STATEMENTS.get(connection.vendor)
    if found is None:
        qn = connection.ops.quote_name
        concrete = User._meta.concrete_fields
        table = User._meta.db_table
        sql = (f"SELECT {', '.join(f'u.{qn(f.column)}' for f in concrete)}, t.id, CASE WHEN t.last_used_at IS NULL"
               f" OR t.last_used_at < %s THEN 1 ELSE 0 END FROM {qn(table)} u JOIN {qn(ApiToken._meta.db_table)} t"
               f" ON t.user_id = u.id WHERE t.key_hash = %s AND t.revoked_at IS NULL")
        converters = []
        for i, f in enumerate(concrete):
            col = f.get_col(table)
            convert = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if convert:
                converters.append((i, col, convert))
        found = _TOKEN_STATEMENTS[connection.vendor] = (sql, [f.attname for f in concrete], converters)
    return found
