from django.urls import path  # noqa: F401  (the pages' routes are added below as each part lands)

app_name = "learning"

urlpatterns: list = []

from .contests_urls import urlpatterns as contests_urlpatterns  # noqa: E402

urlpatterns += contests_urlpatterns
