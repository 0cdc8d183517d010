"""What the org verbs share: the scope check every one of them makes itself (so a view, the API, an import and
a task are equally safe)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from gongjiang.core.errors import PermissionDeniedError

from ..models import Org


def require(org: Org, actor: Any, action: str) -> None:
    if not org.in_scope(actor, action):
        raise PermissionDeniedError(_("You do not have permission for %(org)s.") % {"org": org.name})


def restructure_refusal(org: Org) -> str:
    """Why a role on `org` itself may not deactivate, reactivate or move it (pages and the API say the same)."""
    return _("Your role sits on %(org)s: only the union above it may deactivate, reactivate or move it, or change "
             "its kind or industry union.") % {"org": org.name}


def require_below(org: Org, actor: Any) -> None:
    """Deactivating, reactivating, moving an org or changing its kind or affiliation: strictly below a role's org
    (`Org.can_restructure`). Call after `require(org, actor, "change")`, so that an org outside the actor's
    scope gets that refusal instead."""
    if not org.can_restructure(actor):
        raise PermissionDeniedError(restructure_refusal(org))
