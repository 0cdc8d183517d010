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
