"""What the competition models share: how far a competition reaches for a user (`reach_q`: organised inside,
or above, the user's scopes or their own unit — a competition organised there is one they may enter) and
how an integer-hundredths mark reads as a Decimal. Kept apart so every model module imports it without
importing each other."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q

from gongjiang.orgs.models import Org, Person, scope_paths, scope_q

STEP = Org.steplen


def hundredths(value: int | None) -> Decimal | None:
    """An integer-hundredths mark as a Decimal with two places (None stays None)."""
    return None if value is None else (Decimal(value) / 100).quantize(Decimal("0.01"))


def _prefixes(path: str) -> list[str]:
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def _worker_path(user: Any) -> str:
    """The employer path of a worker account ('' for a cadre without a person); cached for the request."""
    cache = user.__dict__.setdefault("_scope_cache", {})
    if "worker_path" not in cache:
        person_id = getattr(user, "person_id", None)
        cache["worker_path"] = (Person.objects.filter(pk=person_id).values_list("employer__path", flat=True)
                                .first() or "") if person_id else ""
    return cache["worker_path"]


def reach_q(user: Any, field: str) -> Q:
    """Rows whose org `field` is inside one of the user's view scopes, or above one of them, or above the
    worker's own unit: what a competition organised there means to this user (they may enter it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    paths = scope_paths(user, "view")
    if paths is None:
        return Q()
    q = scope_q(user, "view", prefix=f"{field}__") if paths else Q(pk__in=[])
    if not q:
        return q
    above = {p for path in paths for p in _prefixes(path)}
    worker = _worker_path(user)
    above.update(_prefixes(worker) if worker else [])
    if above:
        q |= Q(**{f"{field}__path__in": sorted(above)})
    return q
