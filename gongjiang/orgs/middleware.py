"""The current scope: which of the user's granted orgs the pages are looking at (the scope switcher)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject


def user_scopes(user: Any) -> list[Any]:
    """The orgs on which the user holds a role (deduplicated, shallowest first), or the root for a superuser."""
    from .models import Org, RoleGrant

    if not getattr(user, "is_authenticated", False):
        return []
    if user.is_superuser:
        return list(Org.objects.filter(depth=1))
    cache = user.__dict__.setdefault("_scope_cache", {})
    if "orgs" not in cache:
        grants = RoleGrant.objects.filter(user_id=user.pk, org__is_active=True).select_related("org")
        orgs = {g.org.pk: g.org for g in grants}
        cache["orgs"] = sorted(orgs.values(), key=lambda o: (o.depth, o.path))
    return cache["orgs"]


def current_scope(request: HttpRequest) -> Any:
    scopes = user_scopes(request.user)
    if not scopes:
        return None
    wanted = request.session.get("scope_org_id")
    for org in scopes:
        if org.pk == wanted:
            return org
    return scopes[0]


class ScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope_org = SimpleLazyObject(lambda: current_scope(request))  # type: ignore[attr-defined]
        return self.get_response(request)
