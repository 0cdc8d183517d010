from django.urls import path

from .views import files, queue, threshold

app_name = "care"

urlpatterns = [
    path("care/", files.file_list, name="file_list"),
    path("care/new/", files.file_new, name="file_new"),
    path("care/<int:pk>/", files.file_detail, name="file_detail"),
    path("care/<int:pk>/change/", files.file_change, name="file_change"),
    path("care/<int:pk>/exit/", files.file_exit, name="file_exit"),
    path("care/<int:pk>/review/", files.file_review, name="file_review"),
    path("care/queue/", queue.queue, name="queue"),
    path("care/requests/<int:pk>/<str:action>/", queue.decide, name="request_decide"),
    path("care/threshold/", threshold.threshold, name="threshold"),
]
