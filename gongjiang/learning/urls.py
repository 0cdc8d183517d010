from django.urls import path  # noqa: F401  (the pages' routes are added below as each part lands)

app_name = "learning"

urlpatterns: list = []

from django.urls import path as _path  # noqa: E402

from .views import figures as _figures  # noqa: E402  (学习统计)

urlpatterns += [_path("learning/figures/", _figures.figures, name="figures")]
