"""The scope switcher's choices and the current scope, for the header of every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .scoping import grant_orgs


def scope(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scopes = grant_orgs(user)
    current = getattr(request, "scope_org", None)
    return {"user_scopes": scopes, "scope_org": current if scopes else None}
