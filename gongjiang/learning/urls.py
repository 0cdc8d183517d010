from django.urls import path  # noqa: F401  (the pages' routes are added below as each part lands)

app_name = "learning"

urlpatterns: list = []
