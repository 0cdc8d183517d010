from django.urls import path  # noqa: F401  (the pages' routes are added below as each part lands)

from .views import banks as bank_views

app_name = "learning"

urlpatterns: list = []
urlpatterns += bank_views.urlpatterns
