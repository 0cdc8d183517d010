from django.urls import path  # noqa: F401  (the pages' routes are added below as each part lands)

app_name = "learning"

urlpatterns: list = []

from .views import figures as _figures  # noqa: E402  (学习统计)

urlpatterns += [path("learning/figures/", _figures.figures, name="figures")]
