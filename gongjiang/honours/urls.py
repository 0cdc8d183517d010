from django.urls import path

from .views import campaigns, intake, nominations, types

app_name = "honours"

urlpatterns = [
    path("honours/types/", types.type_list, name="type_list"),
    path("honours/types/new/", types.type_edit, name="type_create"),
    path("honours/types/<int:pk>/", types.type_edit, name="type_edit"),
    path("honours/campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("honours/campaigns/new/", campaigns.campaign_create, name="campaign_create"),
    path("honours/campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("honours/campaigns/<int:pk>/quotas/<int:allocation_pk>/", campaigns.allocate, name="campaign_allocate"),
    path("honours/campaigns/<int:pk>/nominate/", nominations.nominate, name="nomination_create"),
    path("honours/nominations/<int:pk>/", nominations.nomination_detail, name="nomination_detail"),
    path("honours/nominations/<int:pk>/submit/", nominations.nomination_submit, name="nomination_submit"),
    path("honours/nominations/<int:pk>/withdraw/", nominations.nomination_withdraw, name="nomination_withdraw"),
    path("honours/nominations/<int:pk>/files/<int:file_pk>/", nominations.nomination_file, name="nomination_file"),
    *intake.urlpatterns,
]
