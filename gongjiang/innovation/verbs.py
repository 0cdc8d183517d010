"""Labels of the innovation audit verbs for timelines (履历), and the labels and looks of the keys of their data
that are no field of the event's model; registered when the app is ready."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gongjiang.core.history import money
from gongjiang.core.verbs import Key

from .choices import AttachmentKind, Holder, Opinion, ProjectRole, RewardMode, Stage, State

VERBS: dict[str, Any] = {
    "innovation.proposal.submitted": _("Proposal submitted"),
    "innovation.proposal.imported": _("Proposal imported from the paper register"),
    "import.innovation_proposals": _("Proposals imported"),
    "innovation.proposal.accepted": _("Proposal accepted"),
    "innovation.proposal.declined": _("Proposal not accepted"),
    "innovation.proposal.valuators_assigned": _("Valuators assigned"),
    "innovation.proposal.valuator_replaced": _("Valuation handed over"),
    "innovation.proposal.evaluating": _("Evaluation started"),
    "innovation.proposal.valued": _("Valuation given"),
    "innovation.proposal.adopted": _("Proposal adopted"),
    "innovation.proposal.rejected": _("Proposal not adopted"),
    "innovation.proposal.implementing": _("Implementation started"),
    "innovation.benefit.recorded": _("Actual benefit recorded"),
    "innovation.benefit.forecast_revised": _("Locked forecast revised"),
    "innovation.proposal.accounted": _("Benefit signed off"),
    "innovation.proposal.rewarded": _("Reward paid"),
    "innovation.proposal.archived": _("Proposal archived"),
    "innovation.attachment.added": _("File attached"),
    "innovation.policy.set": _("Reward policy set"),
    "innovation.appointment.made": _("Valuator or finance officer appointed"),
    "innovation.appointment.ended": _("Appointment ended"),
    "innovation.proposal.project_started": _("Innovation project started from the proposal"),
    "innovation.project.created": _("Innovation project registered"),
    "innovation.project.stage_changed": _("Project stage decided"),
    "innovation.project.stopped": _("Project stopped"),
    "innovation.project.progress": _("Project progress updated"),
    "innovation.project.milestone_added": _("Milestone added"),
    "innovation.project.milestone_done": _("Milestone reached"),
    "innovation.project.member_set": _("Project member named"),
    "innovation.project.member_removed": _("Project member removed"),
    "innovation.project.funding_set": _("Project subsidy set"),
    "innovation.project.spending_added": _("Spending entered"),
    "innovation.project.file_added": _("Project file attached"),
}

KEYS: dict[str, dict[str, Any]] = {
    "innovation": {
        "state": Key(_("State"), choices=State),
        "reason": _("Reason"),
        "forecast": Key(_("Forecast hard benefit"), show=money),
        "forecast_soft": _("Forecast soft benefit"),
        "gross": Key(_("Gross hard benefit"), show=money),
        "cost": Key(_("Cost of implementation"), show=money),
        "net": Key(_("Net hard benefit"), show=money),
        "soft": _("Soft benefit"),
        "reward": Key(_("Reward"), show=money),
        "mode": Key(_("Calculation"), choices=RewardMode),
        "opinion": Key(_("Opinion"), choices=Opinion),
        "score": _("Score"),
        "valuators": _("Valuators"),
        "co_proposers": _("Co-proposers"),
        "file_name": _("File"),
        "attachment_kind": Key(_("Kind of file"), choices=AttachmentKind),
        "user": _("Account"),
        "project": _("Innovation project"),
        "stage": Key(_("Project stage"), choices=Stage),
        "proposal": _("Started from proposal"),
        "holder": Key(_("Held by"), choices=Holder),
        "leader": _("Leader"),
        "member": _("Project member"),
        "role": Key(_("Role"), choices=ProjectRole),
        "requested": Key(_("Subsidy requested"), show=money),
        "granted": Key(_("Subsidy granted"), show=money),
        "grant_reason": _("Reason for the grant"),
        "amount": Key(_("Amount"), show=money),
        "purpose": _("Purpose"),
        "spent_on": _("Spending date"),
        "milestone": _("Milestone"),
        "due": _("Due date"),
        "done_on": _("Done on"),
        "progress": _("Progress (%)"),
    },
    "import.innovation_proposals": {"created": _("Proposals added"), "adopted": _("Adopted"),
                                    "rewarded": _("Rewarded")},
}
