"""The current scope: which of the user's granted orgs the pages are looking at (the scope switcher)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject


def current_scope(request: HttpRequest) -> Any:
    from .scoping import grant_orgs

    scopes = grant_orgs(request.user)
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
