"""What the org verbs share (the scope check itself is `core.services.require`)."""

from __future__ import annotations

from gongjiang.core.errors import PermissionDeniedError

from ..models import Org, User


def _require_below(org: Org, actor: User) -> None:
    """Deactivating, reactivating, moving an org or changing its kind or affiliation: strictly below a role's org
    (`Org.can_restructure`). Call after `require(org, actor, "change")`, so that an org outside the actor's
    scope gets that refusal instead."""
    if not org.can_restructure(actor):
        raise PermissionDeniedError(org.restructure_refusal())
