from django.urls import path  # noqa: F401  (the pages' routes are added below as each part lands)

from .challenge_urls import urlpatterns as challenge_urls

app_name = "learning"

urlpatterns: list = []
urlpatterns += challenge_urls
