"""The org tree's version in this process: what a reader keeping something derived from the tree (the statistics
dashboard's children of an org, their names) checks before using it.

It moves on every save or deletion of an Org (Django's signals: the services creating and correcting orgs, the
factories, the admin) and in the services that change the tree with queryset updates (moving a subtree,
deactivating or reactivating one) — at once and again when their transaction commits, so that nothing read while
the change was not yet visible is kept. It is per process: another process (a second web worker) sees a change
only when what it keeps expires, so such a reader keeps nothing for long (MAX_AGE seconds)."""

from __future__ import annotations

import itertools
from typing import Any

from django.db import transaction

MAX_AGE = 30.0  # seconds: how long another process may show the tree as it was before a change
_counter = itertools.count(1)
_current = [0]


def current() -> int:
    return _current[0]


def _bump() -> None:
    _current[0] = next(_counter)


def changed(*_args: Any, **_kwargs: Any) -> None:
    """The tree changed (or is changing in the current transaction): forget what was read of it, now and at the
    commit. A signal receiver as well."""
    _bump()
    transaction.on_commit(_bump)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import Org

    post_save.connect(changed, sender=Org, dispatch_uid="orgs.tree_version.saved")
    post_delete.connect(changed, sender=Org, dispatch_uid="orgs.tree_version.deleted")
