"""The innovation pages, under /innovation/ (namespace `innovation`)."""

from django.urls import path

from .views import projects, proposals, techassoc, unions, worker

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

urlpatterns += [  # the workers' technical associations (views/techassoc.py)
    path("innovation/techassoc/", techassoc.network, name="techassoc_list"),
    path("innovation/techassoc/new/", techassoc.found, name="techassoc_found"),
    path("innovation/techassoc/<int:pk>/", techassoc.detail, name="techassoc_detail"),
    path("innovation/techassoc/<int:pk>/edit/", techassoc.edit, name="techassoc_edit"),
    path("innovation/techassoc/<int:pk>/dissolve/", techassoc.dissolve, name="techassoc_dissolve"),
    path("innovation/techassoc/<int:pk>/council/", techassoc.council, name="techassoc_council"),
    path("innovation/techassoc/<int:pk>/seats/", techassoc.seat, name="techassoc_seat"),
    path("innovation/techassoc/<int:pk>/seats/<int:seat_pk>/remove/", techassoc.seat_remove,
         name="techassoc_seat_remove"),
    path("innovation/techassoc/<int:pk>/members/", techassoc.members, name="techassoc_members"),
    path("innovation/techassoc/<int:pk>/members/join/", techassoc.join, name="techassoc_join"),
    path("innovation/techassoc/<int:pk>/members/<int:member_pk>/honours/", techassoc.honour,
         name="techassoc_honour"),
    path("innovation/techassoc/<int:pk>/honours/<int:honour_pk>/remove/", techassoc.honour_remove,
         name="techassoc_honour_remove"),
    path("innovation/techassoc/<int:pk>/members/<int:member_pk>/leave/", techassoc.leave, name="techassoc_leave"),
    path("innovation/techassoc/<int:pk>/activities/", techassoc.activities, name="techassoc_activities"),
    path("innovation/techassoc/<int:pk>/activities/new/", techassoc.record, name="techassoc_activity_new"),
    path("innovation/techassoc/<int:pk>/activities/<int:activity_pk>/", techassoc.activity,
         name="techassoc_activity"),
    path("innovation/techassoc/<int:pk>/activities/<int:activity_pk>/held/", techassoc.hold,
         name="techassoc_activity_hold"),
    path("innovation/techassoc/<int:pk>/activities/<int:activity_pk>/close/", techassoc.close,
         name="techassoc_activity_close"),
]
