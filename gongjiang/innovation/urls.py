"""The innovation pages, under /innovation/ (namespace `innovation`)."""

from django.urls import path

from .views import proposals, unions, worker

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
