"""Content-Security-Policy: scripts, styles, fonts and images only from our own origin (Django 5.2 has no
built-in CSP).

No page has an inline script: behaviour lives in static files (gongjiang/static/gongjiang/app.js), and
the OpenAPI page (/api/docs and /api/v1/docs) uses the Swagger UI that django-ninja ships in
`ninja/static` (served by us, its settings passed in a non-executable JSON <script> block read by ninja's
swagger-ui-init.js), so it runs under the same policy: no CDN, no exception. Inline *styles* stay
allowed because HTMX and Swagger UI set style attributes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    """Adds POLICY to every response that has not set its own Content-Security-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response
