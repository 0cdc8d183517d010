"""The innovation verbs (the only writers of the app), by topic: `proposals` (submit, files, accept, reject,
archive), `valuation` (assign valuators in bulk, hand over, value, adopt), `benefit` (implement, record, sign off,
revise a locked forecast), `rewards` (policy, payment), `appointments` (valuators, finance officers), `projects`
(innovation projects: register, stage decisions, progress, milestones, members) and `project_funds` (their subsidy,
spending and files)."""

from .appointments import appoint, end_appointment
from .benefit import record_benefit, revise_forecast, sign_off_benefit, start_implementation
from .project_funds import add_project_files, add_spending, set_project_funding
from .projects import (
    add_milestone,
    advance_project,
    complete_milestone,
    create_project,
    remove_project_member,
    set_project_member,
    set_project_progress,
    stop_project,
)
from .proposals import CoProposer, accept_proposal, add_attachments, archive_proposal, reject_proposal, submit_proposal
from .rewards import pay_reward, set_reward_policy
from .valuation import adopt_proposal, assign_valuators, hand_over_valuations, submit_valuation

__all__ = [
    "CoProposer",
    "accept_proposal",
    "add_attachments",
    "add_milestone",
    "add_project_files",
    "add_spending",
    "adopt_proposal",
    "advance_project",
    "appoint",
    "archive_proposal",
    "assign_valuators",
    "complete_milestone",
    "create_project",
    "end_appointment",
    "hand_over_valuations",
    "pay_reward",
    "record_benefit",
    "reject_proposal",
    "remove_project_member",
    "revise_forecast",
    "set_project_funding",
    "set_project_member",
    "set_project_progress",
    "set_reward_policy",
    "sign_off_benefit",
    "start_implementation",
    "stop_project",
    "submit_proposal",
    "submit_valuation",
]

from .exhibition import (  # the 6·18 exhibition, part 4 of issue 10
    accept_meeting,
    advance_exhibition,
    check_need,
    check_offer,
    close_match,
    confirm_match,
    create_exhibition,
    decline_meeting,
    record_implemented,
    record_met,
    request_match,
    request_meeting,
    sign_match,
    submit_need,
    submit_offer,
)

__all__ += [
    "accept_meeting",
    "advance_exhibition",
    "check_need",
    "check_offer",
    "close_match",
    "confirm_match",
    "create_exhibition",
    "decline_meeting",
    "record_implemented",
    "record_met",
    "request_match",
    "request_meeting",
    "sign_match",
    "submit_need",
    "submit_offer",
]
