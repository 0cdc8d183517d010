"""The JSON API under /api/v1 (django-ninja; OpenAPI at /api/docs).

One error format everywhere: {"detail": "<Chinese message>", "code": "...", "errors": {field: message}}.
Authentication: the browser session (with CSRF) or a personal token (`Authorization: Bearer gj_…`).
Every endpoint reads through `for_user` and writes through the services, like the pages.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from gongjiang.core.errors import DomainError


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from gongjiang.orgs.models import ApiToken
        from gongjiang.orgs.services import hash_token

        found = (ApiToken.objects.select_related("user").filter(key_hash=hash_token(token), revoked_at__isnull=True)
                 .first())
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="工匠 Gongjiang API",
    version="1",
    description=_("Trade union economic and technical work platform. All messages are in Chinese."),
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
    urls_namespace="api",
)


def error(request: HttpRequest, message: str, status: int, code: str, errors: dict[str, str] | None = None
          ) -> HttpResponse:
    return api.create_response(request, {"detail": message, "code": code, "errors": errors or {}}, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return error(request, exc.message, exc.status, exc.code, exc.errors)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, _("Not found, or outside your scope."), 404, "not_found")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error(request, _("Please log in or send a valid API token."), 401, "unauthenticated")


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, str] = {}
    for e in exc.errors:
        loc = [str(x) for x in e.get("loc", []) if x not in ("body", "query", "path", "payload")]
        errors[".".join(loc) or "request"] = _("Invalid value: %(msg)s") % {"msg": e.get("msg", "")}
    first = next(iter(errors.items()), ("request", ""))
    return error(request, _("The request has an invalid field %(field)s.") % {"field": first[0]}, 422, "invalid",
                 errors)


def _mount() -> None:
    from gongjiang.orgs.api import router as orgs_router

    api.add_router("/", orgs_router)


_mount()
