"""Only wiring: the API, its docs, and the pages of every app that names its URL module in its AppConfig (`urls`),
each under its own namespace (the module's `app_name`)."""

from django.apps import apps
from django.urls import include, path

from .api import api, docs_page

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/docs", docs_page, name="api_docs"),
    *[path("", include(config.urls)) for config in apps.get_app_configs() if getattr(config, "urls", None)],
]
