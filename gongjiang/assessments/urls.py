from django.urls import path

from .views import campaigns, rubrics, sheets

app_name = "assessments"

urlpatterns = [
    path("assessments/", campaigns.campaign_list, name="campaign_list"),
    path("assessments/new/", campaigns.campaign_new, name="campaign_new"),
    path("assessments/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("assessments/<int:pk>/<str:action>/", campaigns.campaign_action, name="campaign_action"),
    path("assessments/rubrics/", rubrics.rubric_list, name="rubric_list"),
    path("assessments/rubrics/new/", rubrics.rubric_new, name="rubric_new"),
    path("assessments/rubrics/<int:pk>/", rubrics.rubric_detail, name="rubric_detail"),
    path("assessments/sheets/<int:pk>/", sheets.sheet_detail, name="sheet_detail"),
    path("assessments/sheets/<int:pk>/answers/", sheets.sheet_answers, name="sheet_answers"),
    path("assessments/sheets/<int:pk>/evidence/", sheets.sheet_evidence, name="sheet_evidence"),
    path("assessments/sheets/<int:pk>/review/", sheets.sheet_review, name="sheet_review"),
    path("assessments/sheets/<int:pk>/<str:action>/", sheets.sheet_action, name="sheet_action"),
    path("assessments/sheets/<int:sheet>/files/<int:pk>/", sheets.evidence, name="evidence"),
    path("assessments/appeals/<int:pk>/", sheets.appeal_decide, name="appeal_decide"),
]
