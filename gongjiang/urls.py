"""Only wiring: the API, its docs, and the pages of every app that names its URL module in its AppConfig (`urls`),
each under its own namespace (the module's `app_name`).

Each app's pages are mounted behind the first segments of their paths (`_FirstSegments`): a request is tried
against the patterns of the app whose paths begin like its own, not against every pattern of every app before it
(a worker's submission at /innovation/send/ was matched after 136 patterns of other apps, 0.13 ms per request)."""

from importlib import import_module
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, include, path
from django.urls.resolvers import RoutePattern

from .api import api, docs_page


class _FirstSegments(RoutePattern):
    """The pattern of an app's pages: lets through, consuming nothing, the paths whose first segment is one its
    patterns begin with."""

    def __init__(self, segments: frozenset[str]) -> None:
        super().__init__("", is_endpoint=False)
        self.segments = segments

    def match(self, path: str) -> tuple[str, tuple[Any, ...], dict[str, Any]] | None:
        return (path, (), {}) if path.partition("/")[0] in self.segments else None


def _first_segments(module: str) -> frozenset[str] | None:
    """The literal first segments of a URL module's patterns; None when one of them has none (a converter or a
    regular expression there, or an include of its own at "")."""
    found = set()
    for p in import_module(module).urlpatterns:
        route = p.pattern._route if isinstance(p.pattern, RoutePattern) else None
        if route is None or "<" in route.partition("/")[0] or (isinstance(p, URLResolver) and not route):
            return None
        found.add(route.partition("/")[0])
    return frozenset(found)


def _pages(module: str) -> URLPattern | URLResolver:
    segments = _first_segments(module)
    if segments is None:
        return path("", include(module))
    urlconf, app_name, namespace = include(module)
    return URLResolver(_FirstSegments(segments), urlconf, app_name=app_name, namespace=namespace)


urlpatterns = [
    path("api/v1/", api.urls),
    path("api/docs", docs_page, name="api_docs"),
    *[_pages(config.urls) for config in apps.get_app_configs() if getattr(config, "urls", None)],
]
