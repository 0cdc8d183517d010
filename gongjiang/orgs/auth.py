"""Log-in by username or mobile number, with lock-out after repeated failures."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone

from .models import User


class AccountLocked(Exception):
    """Raised through the login form to show the lock-out message."""

    def __init__(self, until: datetime.datetime) -> None:
        super().__init__(str(until))
        self.until = until


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None, password: str | None = None,
                     **kwargs: Any) -> User | None:
        if not username or password is None:
            return None
        login = username.strip()
        user = User.objects.filter(Q(username=login) | Q(phone=login)).order_by("id").first()
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle for user names
            return None
        if user.is_locked:
            raise AccountLocked(user.locked_until)  # type: ignore[arg-type]
        if user.check_password(password) and self.user_can_authenticate(user):
            if user.failed_logins or user.locked_until:
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
            return user
        register_failure(user)
        return None


def register_failure(user: User) -> None:
    """Count a failed log-in; at the limit, lock the account for LOGIN_LOCKOUT_MINUTES."""
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins"])
    if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
        until = timezone.now() + datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
