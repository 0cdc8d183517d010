from django.urls import include, path

from .api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("gongjiang.core.urls")),
    path("", include("gongjiang.orgs.urls")),
]
