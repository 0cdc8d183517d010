"""What the competition models share: how far a competition reaches for a user (`reach_q`: organised inside,
or above, the user's scopes or their own unit — a competition organised there is one they may enter) and
how an integer-hundredths mark reads as a Decimal. Kept apart so every model module imports it without
importing each other."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q

from gongjiang.orgs import scoping


def hundredths(value: int | None) -> Decimal | None:
    """An integer-hundredths mark as a Decimal with two places (None stays None)."""
    return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


def reach_q(user: Any, field: str) -> Q:
    """Rows whose org `field` is inside one of the user's view scopes, or above one of them, or above the
    worker's own unit: what a competition organised there means to this user (they may enter it). Q() when the
    user's scope is everything (callers combine it with `|` only after checking `reaches_everything`)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    scope = scoping.scope_for(user, "view")
    if scope.everything:
        return Q()
    q = scope.q(f"{field}__")
    above = {p for path in scope.paths for p in scoping.ancestors(path)}
    worker = scoping.worker_unit_path(user)
    above.update(scoping.ancestors(worker) if worker else [])
    if above:
        q |= Q(**{f"{field}__path__in": sorted(above)})
    return q


def reaches_everything(user: Any) -> bool:
    return scoping.scope_for(user, "view").everything
