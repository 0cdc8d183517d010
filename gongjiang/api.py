"""The JSON API under /api/v1: only the wiring. The plumbing (errors, pagination, the 64-bit check, the session
authentication) is gongjiang.core.api; personal tokens are the orgs app's; each app's router is named in its
AppConfig (`api_router`) and mounted on first use."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from gongjiang.core.api import SessionAuth, build_api
from gongjiang.orgs.auth import TokenAuth

api = build_api(auth=[TokenAuth(), SessionAuth()])


def docs_page(request: HttpRequest) -> HttpResponse:
    """The OpenAPI page (Swagger UI) at /api/docs, next to /api/v1/docs."""
    from ninja.openapi.views import openapi_view

    return openapi_view(request, api)
