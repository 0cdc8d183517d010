from django.urls import path

from .views import dashboard, report

app_name = "stats"

urlpatterns = [
    path("stats/", dashboard.dashboard, name="dashboard"),
    path("stats/report/", report.report, name="report"),
    path("stats/report/narrative/", report.narrative, name="report_narrative"),
]
