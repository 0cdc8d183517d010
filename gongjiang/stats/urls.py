from django.urls import path

from .views import dashboard

app_name = "stats"

urlpatterns = [
    path("stats/", dashboard.dashboard, name="dashboard"),
]
