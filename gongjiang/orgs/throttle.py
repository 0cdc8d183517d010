"""Throttling password checks: lock out the address that guesses, not the account it guesses at.

Locking an account after N wrong passwords lets anyone lock every cadre out by typing their names. Instead each
failure is counted per (client address, account) and per client address (`LoginAttempt`), within the last
LOGIN_LOCKOUT_MINUTES:

- LOGIN_MAX_FAILURES failures of one address on one account refuse that address for that account;
- LOGIN_CLIENT_MAX_FAILURES failures of one address, whatever the names, refuse that address for every account;
- LOGIN_ACCOUNT_MAX_FAILURES failures on one account from all addresses together (a distributed attack) refuse
  the account to every address except those it has logged in from before (the owner's own), so the owner still
  gets in while the attack goes on.

A name matching no account is counted exactly like an account (by a hash of the name), so that being throttled
says nothing about whether the account exists. While refused, the password is not even checked, and the refusal
is not counted (it would only extend the lock). A success clears the failures of that address on that account.

The client address is `core.clients.client_key` (shared with the public forms' throttling): REMOTE_ADDR, or the
X-Forwarded-For entry of the client behind LOGIN_TRUSTED_PROXIES proxies; an IPv6 client counts as its /64."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils import timezone

from gongjiang.core.clients import client_key
from gongjiang.core.types import Account

from .models import LoginAttempt

# How long an address stays "known" to an account after a successful log-in from it.
KNOWN_DAYS = 90


def client_of(request: HttpRequest | None) -> str:
    """The key of the address a request comes from (`core.clients.client_key`: proxies, IPv6 /64)."""
    return client_key(request)


def client_of_user(user: Account) -> str:
    """The key of a logged-in user checking someone else's password (a chief judge's supervisor)."""
    return f"user:{user.pk}"


def target_of(user: Account | None, login: str) -> str:
    """The key of what is tried: the account, or (no such account) a hash of the name typed."""
    if user is not None:
        return f"account:{user.pk}"
    return "name:" + hashlib.sha256(login.encode()).hexdigest()[:40]


def _since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def is_refused(client: str, target: str) -> bool:
    """Whether a password check of `target` from `client` is refused now, without looking at the password."""
    counts = LoginAttempt.objects.filter(Q(client=client) | Q(target=target), succeeded=False,
                                         at__gt=_since()).aggregate(
        pair=Count("pk", filter=Q(client=client, target=target)),
        client=Count("pk", filter=Q(client=client)),
        target=Count("pk", filter=Q(target=target)))
    if counts["pair"] >= settings.LOGIN_MAX_FAILURES or counts["client"] >= settings.LOGIN_CLIENT_MAX_FAILURES:
        return True
    if counts["target"] >= settings.LOGIN_ACCOUNT_MAX_FAILURES:
        return not LoginAttempt.objects.filter(client=client, target=target, succeeded=True).exists()
    return False


def record_failure(client: str, target: str) -> None:
    """Count a wrong password (in its own statement: callers check passwords outside any transaction that a
    refusal would roll back), and forget failures past the window and known addresses past KNOWN_DAYS."""
    now = timezone.now()
    LoginAttempt.objects.filter(
        Q(succeeded=False, at__lt=_since()) | Q(succeeded=True, at__lt=now - datetime.timedelta(days=KNOWN_DAYS))
    ).delete()
    LoginAttempt.objects.create(client=client, target=target, at=now)


def record_success(client: str, target: str) -> None:
    """The right password: clear this address's failures on the account and remember the address as known."""
    LoginAttempt.objects.filter(client=client, target=target).delete()
    LoginAttempt.objects.create(client=client, target=target, succeeded=True)


def clear(target: str) -> None:
    """Forget every failure on an account (an administrator enabling it again)."""
    LoginAttempt.objects.filter(target=target, succeeded=False).delete()
