"""The innovation pages, under /innovation/ (namespace `innovation`)."""

from django.urls import path

from .views import calls, projects, proposals, unions, worker

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

urlpatterns += [
    path("innovation/calls/", calls.call_list, name="call_list"),
    path("innovation/calls/new/", calls.call_create, name="call_create"),
    path("innovation/calls/<int:pk>/", calls.call_detail, name="call_detail"),
    path("innovation/calls/<int:pk>/open/", calls.call_open, name="call_open"),
    path("innovation/calls/<int:pk>/quotas/", calls.call_quotas, name="call_quotas"),
    path("innovation/calls/<int:pk>/submit/", calls.call_submit, name="call_submit"),
    path("innovation/calls/<int:pk>/assign/", calls.call_assign, name="call_assign"),
    path("innovation/calls/<int:pk>/second-round/", calls.call_second_round, name="call_second_round"),
    path("innovation/calls/<int:pk>/rank/", calls.call_rank, name="call_rank"),
    path("innovation/calls/<int:pk>/results/", calls.call_results, name="call_results"),
    path("innovation/calls/<int:pk>/publish/", calls.call_publish, name="call_publish"),
    path("innovation/calls/<int:pk>/finalise/", calls.call_finalise, name="call_finalise"),
    path("innovation/achievements/<int:pk>/", calls.achievement_detail, name="achievement_detail"),
    path("innovation/achievements/<int:pk>/return/", calls.achievement_return, name="achievement_return"),
    path("innovation/achievements/<int:pk>/pin/", calls.achievement_pin, name="achievement_pin"),
    path("innovation/achievements/<int:pk>/consensus/", calls.achievement_consensus, name="achievement_consensus"),
    path("innovation/achievements/<int:pk>/recommend/", calls.achievement_recommend, name="achievement_recommend"),
    path("innovation/achievements/<int:pk>/files/<int:file_pk>/", calls.achievement_file, name="achievement_file"),
    path("innovation/achievements/<int:pk>/certificate.pdf", calls.achievement_certificate,
         name="achievement_certificate"),
    path("innovation/calls/<int:pk>/certificates.pdf", calls.call_certificates, name="call_certificates"),
    path("innovation/experts/", calls.experts, name="experts"),
    path("innovation/reviews/", calls.my_reviews, name="my_reviews"),
    path("innovation/reviews/<int:pk>/", calls.review, name="review"),
    path("innovation/reviews/<int:pk>/declare/", calls.review_declare, name="review_declare"),
]
