from django.urls import path

from . import views
from .views import cases

app_name = "rights"

urlpatterns = [
    path("rights/", views.rates, name="rates"),
    path("rights/lacking/", views.lacking, name="lacking"),
    path("rights/enterprises/<int:pk>/", views.enterprise, name="enterprise"),
    path("rights/enterprises/<int:pk>/openness/", views.openness_new, name="openness_new"),
    path("rights/enterprises/<int:pk>/seats/", views.seat_new, name="seat_new"),
    path("rights/enterprises/<int:pk>/contracts/new/", views.contract_new, name="contract_new"),
    path("rights/orgs/<int:pk>/congresses/new/", views.congress_new, name="congress_new"),
    path("rights/congresses/<int:pk>/", views.congress_detail, name="congress_detail"),
    path("rights/congresses/<int:pk>/delegates/", views.delegates_add, name="delegates_add"),
    path("rights/congresses/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("rights/sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("rights/sessions/<int:pk>/motions/new/", views.motion_new, name="motion_new"),
    path("rights/sessions/<int:pk>/matters/new/", views.matter_new, name="matter_new"),
    path("rights/motions/<int:pk>/handle/", views.motion_handle, name="motion_handle"),
    path("rights/contracts/expiring/", views.expiring, name="expiring"),
    path("rights/contracts/<int:pk>/", views.contract_detail, name="contract_detail"),
    path("rights/contracts/<int:pk>/<str:action>/", views.contract_action, name="contract_action"),
    path("rights/campaigns/", views.campaign_list, name="campaign_list"),
    path("rights/campaigns/new/", views.campaign_new, name="campaign_new"),
    path("rights/campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("rights/campaigns/<int:pk>/offers/", views.offers_send, name="offers_send"),
    path("rights/offers/<int:pk>/", views.offer_advance, name="offer_advance"),
    # rights cases (views/cases.py)
    path("rights/my/cases/", cases.my_cases, name="my_cases"),
    path("rights/my/cases/new/", cases.case_file, name="case_file"),
    path("rights/my/cases/<int:pk>/", cases.my_case, name="my_case"),
    path("rights/cases/", cases.case_list, name="case_list"),
    path("rights/cases/new/", cases.case_new, name="case_new"),
    path("rights/cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("rights/cases/<int:pk>/documents/<int:doc>/", cases.case_document, name="case_document"),
    path("rights/cases/<int:pk>/<str:action>/", cases.case_action, name="case_action"),
]
