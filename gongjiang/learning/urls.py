from django.urls import path  # noqa: F401  (the pages' routes are added below as each part lands)

from .training_urls import urlpatterns as training_urls

app_name = "learning"

urlpatterns: list = []
urlpatterns += training_urls
