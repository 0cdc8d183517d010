from django.urls import path

from . import views
from .views import cases, protection

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
    # part 3: labour protection and the 安康杯
    path("rights/checks/", protection.checks, name="checks"),
    path("rights/checks/overdue/", protection.overdue, name="overdue"),
    path("rights/orgs/<int:pk>/checks/new/", protection.check_new, name="check_new"),
    path("rights/checks/<int:pk>/", protection.check_detail, name="check_detail"),
    path("rights/checks/<int:pk>/hazards/", protection.hazards_add, name="hazards_add"),
    path("rights/checks/<int:pk>/close/", protection.check_close, name="check_close"),
    path("rights/hazards/<int:pk>/close/", protection.hazard_close, name="hazard_close"),
    path("rights/ankang/", protection.ankang_list, name="ankang_list"),
    path("rights/ankang/new/", protection.ankang_new, name="ankang_new"),
    path("rights/ankang/<int:pk>/", protection.ankang_detail, name="ankang_detail"),
    path("rights/ankang/<int:pk>/enter/", protection.ankang_enter, name="ankang_enter"),
    path("rights/ankang/<int:pk>/evaluate/", protection.ankang_evaluate, name="ankang_evaluate"),
    path("rights/ankang/<int:pk>/awards/", protection.ankang_award, name="ankang_award"),
    path("rights/ankang/entries/<int:pk>/", protection.entry_indicators, name="entry_indicators"),
]
