"""The innovation pages, under /innovation/ (namespace `innovation`)."""

from django.urls import path

from .views import projects, proposals, unions, worker

app_name = "innovation"

urlpatterns = [
    path("innovation/my/", worker.my_proposals, name="my_proposals"),
    path("innovation/submit/", worker.submit, name="submit"),
    path("innovation/similar/", worker.similar, name="similar"),
    path("innovation/proposals/", proposals.proposal_list, name="proposal_list"),
    path("innovation/proposals/assign/", proposals.assign, name="assign"),
    path("innovation/proposals/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("innovation/proposals/<int:pk>/accept/", proposals.accept, name="proposal_accept"),
    path("innovation/proposals/<int:pk>/reject/", proposals.reject, name="proposal_reject"),
    path("innovation/proposals/<int:pk>/valuators/", proposals.assign_one, name="proposal_assign"),
    path("innovation/proposals/<int:pk>/valuation/", proposals.value, name="proposal_value"),
    path("innovation/proposals/<int:pk>/adopt/", proposals.adopt, name="proposal_adopt"),
    path("innovation/proposals/<int:pk>/implement/", proposals.implement, name="proposal_implement"),
    path("innovation/proposals/<int:pk>/benefit/", proposals.record, name="proposal_benefit"),
    path("innovation/proposals/<int:pk>/sign-off/", proposals.sign_off, name="proposal_sign_off"),
    path("innovation/proposals/<int:pk>/forecast/", proposals.revise, name="proposal_forecast"),
    path("innovation/proposals/<int:pk>/reward/", proposals.pay, name="proposal_reward"),
    path("innovation/proposals/<int:pk>/archive/", proposals.archive, name="proposal_archive"),
    path("innovation/proposals/<int:pk>/files/", proposals.attach, name="proposal_attach"),
    path("innovation/proposals/<int:pk>/files/<int:file_pk>/", proposals.attachment, name="attachment"),
    path("innovation/valuations/", proposals.valuations, name="valuations"),
    path("innovation/figures/", unions.figures, name="figures"),
    path("innovation/policy/", unions.policy, name="policy"),
    path("innovation/ledger/", unions.ledger, name="ledger"),
    path("innovation/appointments/", unions.appointments, name="appointments"),
    path("innovation/appointments/<int:pk>/end/", unions.end_appointment, name="appointment_end"),
    path("innovation/appointments/hand-over/", unions.hand_over, name="hand_over"),
]

urlpatterns += [
    path("innovation/projects/", projects.project_list, name="project_list"),
    path("innovation/projects/new/", projects.project_create, name="project_create"),
    path("innovation/projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("innovation/projects/<int:pk>/advance/", projects.advance, name="project_advance"),
    path("innovation/projects/<int:pk>/stop/", projects.stop, name="project_stop"),
    path("innovation/projects/<int:pk>/progress/", projects.progress, name="project_progress"),
    path("innovation/projects/<int:pk>/milestones/", projects.milestone_add, name="project_milestone"),
    path("innovation/projects/<int:pk>/milestones/<int:milestone_pk>/done/", projects.milestone_done,
         name="project_milestone_done"),
    path("innovation/projects/<int:pk>/members/", projects.member_set, name="project_member"),
    path("innovation/projects/<int:pk>/members/<int:member_pk>/remove/", projects.member_remove,
         name="project_member_remove"),
    path("innovation/projects/<int:pk>/funding/", projects.funding, name="project_funding"),
    path("innovation/projects/<int:pk>/spending/", projects.spending, name="project_spending"),
    path("innovation/projects/<int:pk>/files/", projects.attach, name="project_attach"),
    path("innovation/projects/<int:pk>/files/<int:file_pk>/", projects.project_file, name="project_file"),
]

from .views import exhibition  # noqa: E402  (the 6·18 exhibition, part 4 of issue 10)

urlpatterns += [
    path("innovation/exhibitions/", exhibition.exhibition_list, name="exhibition_list"),
    path("innovation/exhibitions/new/", exhibition.exhibition_create, name="exhibition_create"),
    path("innovation/exhibitions/<int:pk>/", exhibition.exhibition_detail, name="exhibition_detail"),
    path("innovation/exhibitions/<int:pk>/state/", exhibition.exhibition_state, name="exhibition_state"),
    path("innovation/exhibitions/<int:pk>/offers/", exhibition.offer_list, name="exhibition_offers"),
    path("innovation/exhibitions/<int:pk>/offers/new/", exhibition.offer_create, name="offer_create"),
    path("innovation/exhibitions/<int:pk>/needs/", exhibition.need_list, name="exhibition_needs"),
    path("innovation/exhibitions/<int:pk>/needs/new/", exhibition.need_create, name="need_create"),
    path("innovation/exhibitions/<int:pk>/suggestions/", exhibition.suggestion_list, name="exhibition_suggestions"),
    path("innovation/exhibitions/<int:pk>/matches/", exhibition.match_list, name="exhibition_matches"),
    path("innovation/exhibitions/<int:pk>/matches/new/", exhibition.match_make, name="match_make"),
    path("innovation/exhibitions/<int:pk>/slots/", exhibition.slot_grid, name="exhibition_slots"),
    path("innovation/exhibition-offers/<int:pk>/", exhibition.offer_detail, name="offer_detail"),
    path("innovation/exhibition-offers/<int:pk>/check/", exhibition.offer_check, name="offer_check"),
    path("innovation/exhibition-needs/<int:pk>/", exhibition.need_detail, name="need_detail"),
    path("innovation/exhibition-needs/<int:pk>/check/", exhibition.need_check, name="need_check"),
    path("innovation/exhibition-matches/<int:pk>/", exhibition.match_detail, name="match_detail"),
    path("innovation/exhibition-matches/<int:pk>/meetings/", exhibition.meeting_request, name="meeting_request"),
    path("innovation/exhibition-matches/<int:pk>/meetings/<int:meeting_pk>/", exhibition.meeting_answer,
         name="meeting_answer"),
    path("innovation/exhibition-matches/<int:pk>/met/", exhibition.met, name="match_met"),
    path("innovation/exhibition-matches/<int:pk>/sign/", exhibition.sign, name="match_sign"),
    path("innovation/exhibition-matches/<int:pk>/implemented/", exhibition.implemented, name="match_implemented"),
    path("innovation/exhibition-matches/<int:pk>/close/", exhibition.close, name="match_close"),
]
