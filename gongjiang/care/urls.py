from django.urls import path

from .views import aid, files, jobs, queue, threshold

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
    path("care/programmes/", aid.programme_list, name="programme_list"),
    path("care/programmes/new/", aid.programme_new, name="programme_new"),
    path("care/programmes/<int:pk>/", aid.programme_detail, name="programme_detail"),
    path("care/cycles/<int:pk>/", aid.cycle_board, name="cycle_board"),
    path("care/cycles/<int:pk>/<str:action>/", aid.cycle_act, name="cycle_act"),
    path("care/batches/<int:pk>/export/", aid.batch_export, name="batch_export"),
    path("care/batches/<int:pk>/reconcile/", aid.batch_reconcile, name="batch_reconcile"),
    path("care/jobs/", jobs.job_list, name="job_list"),
    path("care/jobs/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("care/jobs/<int:pk>/<str:action>/", jobs.job_act, name="job_act"),
]
