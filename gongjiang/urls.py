from django.urls import include, path

from .api import api, docs_page

urlpatterns = [
    path("api/v1/", api.urls),
    path("api/docs", docs_page, name="api_docs"),
    path("", include("gongjiang.core.urls")),
    path("", include("gongjiang.orgs.urls")),
    path("", include("gongjiang.competitions.urls")),
]
