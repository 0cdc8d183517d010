from django.urls import path

from .views import dashboard, report, requests

app_name = "stats"

urlpatterns = [
    path("stats/", dashboard.dashboard, name="dashboard"),
    path("stats/report/", report.report, name="report"),
    path("stats/report/narrative/", report.narrative, name="report_narrative"),
    path("stats/requests/", requests.request_list, name="request_list"),
    path("stats/requests/new/", requests.request_new, name="request_new"),
    path("stats/requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("stats/requests/<int:pk>/<str:action>/", requests.request_action, name="request_action"),
    path("stats/returns/<int:pk>/", requests.return_detail, name="return_detail"),
    path("stats/returns/<int:pk>/send-back/", requests.return_send_back, name="return_send_back"),
]
