from django.urls import path

from .studio_urls import urlpatterns as studio_urls
from .views import campaigns, figures, intake, nominations, panels, reviews, roster, types

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
    # the review, the shortlist's public notice and the conferral (views.reviews)
    path("honours/review/", reviews.review_home, name="review_home"),
    path("honours/campaigns/<int:pk>/review/", reviews.review_list, name="campaign_review"),
    path("honours/campaigns/<int:pk>/shortlist/", reviews.shortlist, name="campaign_shortlist"),
    path("honours/nominations/<int:pk>/decide/", reviews.nomination_decide, name="nomination_decide"),
    path("honours/nominations/<int:pk>/certificate.pdf", reviews.nomination_certificate,
         name="nomination_certificate"),
    path("honours/campaigns/<int:pk>/panels/new/", panels.panel_create, name="panel_create"),
    path("honours/panels/", panels.my_panels, name="panel_list"),
    path("honours/panels/<int:pk>/", panels.panel_detail, name="panel_detail"),
    path("honours/panels/<int:pk>/members/<int:member_pk>/remove/", panels.panel_member_remove,
         name="panel_member_remove"),
    path("honours/panels/<int:pk>/close/", panels.panel_close, name="panel_close"),
    path("honours/panels/<int:pk>/review/", panels.panel_review, name="panel_review"),
    path("honours/panels/<int:pk>/review/<int:nomination_pk>/", panels.panel_mark, name="panel_mark"),
    path("honours/panels/<int:pk>/review/<int:nomination_pk>/conflict/", panels.panel_conflict,
         name="panel_conflict"),
    path("honours/panels/<int:pk>/results/", panels.panel_results, name="panel_results"),
    path("honours/panels/<int:pk>/review/<int:nomination_pk>/files/<int:file_pk>/", panels.panel_file,
         name="panel_file"),
    path("honours/roster/", roster.roster_list, name="roster"),
    path("honours/roster/stats/", roster.roster_stats, name="roster_stats"),
    path("honours/figures/", figures.nomination_figures, name="figures"),
    path("honours/holders/<int:pk>/", roster.holder_detail, name="holder_detail"),
    path("honours/holders/<int:pk>/status/", roster.holder_status, name="holder_status"),
    path("honours/holders/<int:pk>/revoke/", roster.holder_revoke, name="holder_revoke"),
    path("public/honours/", roster.public_roster, name="public_roster"),
    *studio_urls,
    *intake.urlpatterns,
]
