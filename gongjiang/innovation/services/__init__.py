"""The innovation verbs (the only writers of the app), by topic: `proposals` (submit, files, accept, reject,
archive), `valuation` (assign valuators in bulk, hand over, value, adopt), `benefit` (implement, record, sign off,
revise a locked forecast), `rewards` (policy, payment), `appointments` (valuators, finance officers), `projects`
(innovation projects: register, stage decisions, progress, milestones, members) and `project_funds` (their subsidy,
spending and files), `calls` (achievement calls: quotas, submissions, recommendations, the expert pool),
`reviews` (assignment, blind reviews, rounds, ranking, awards, notice, final results); `techassoc` (workers'
technical associations and their members) and `techassoc_work` (their councils and activities)."""

from .appointments import appoint, end_appointment
from .benefit import record_benefit, revise_forecast, sign_off_benefit, start_implementation
from .calls import (
    add_expert,
    create_call,
    declare_conflict,
    enlist_expert,
    open_call,
    recommend_achievement,
    return_achievement,
    set_quotas,
    submit_achievement,
)
from .exhibition import (  # the 6·18 exhibition, part 4 of issue 10
    accept_meeting,
    advance_exhibition,
    cancel_meeting,
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
    resubmit_need,
    resubmit_offer,
    sign_match,
    submit_need,
    submit_offer,
)
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
from .reviews import (
    assign_reviewers,
    finalise_call,
    note_consensus,
    pin_reviewer,
    publish_results,
    rank_call,
    set_awards,
    start_second_round,
    submit_review,
)
from .rewards import pay_reward, set_reward_policy
from .techassoc import (
    add_honour,
    dissolve_association,
    found_association,
    join_association,
    leave_association,
    remove_honour,
    transfer_member,
    update_association,
)
from .techassoc_work import close_activity, hold_activity, record_activity, remove_seat, set_seat, start_council
from .valuation import adopt_proposal, assign_valuators, hand_over_valuations, submit_valuation

__all__ = [
    "CoProposer",
    "accept_proposal",
    "add_attachments",
    "add_expert",
    "add_milestone",
    "add_project_files",
    "add_spending",
    "adopt_proposal",
    "advance_project",
    "appoint",
    "archive_proposal",
    "assign_reviewers",
    "assign_valuators",
    "complete_milestone",
    "create_call",
    "create_project",
    "declare_conflict",
    "end_appointment",
    "enlist_expert",
    "finalise_call",
    "hand_over_valuations",
    "note_consensus",
    "open_call",
    "pay_reward",
    "pin_reviewer",
    "publish_results",
    "rank_call",
    "recommend_achievement",
    "record_benefit",
    "reject_proposal",
    "remove_project_member",
    "return_achievement",
    "revise_forecast",
    "set_awards",
    "set_project_funding",
    "set_project_member",
    "set_project_progress",
    "set_quotas",
    "set_reward_policy",
    "sign_off_benefit",
    "start_implementation",
    "start_second_round",
    "stop_project",
    "submit_achievement",
    "submit_proposal",
    "submit_review",
    "submit_valuation",
]
__all__ += [  # the workers' technical associations (techassoc, techassoc_work)
    "add_honour", "close_activity", "dissolve_association", "found_association", "hold_activity",
    "join_association", "leave_association", "record_activity", "remove_honour", "remove_seat", "set_seat",
    "start_council", "transfer_member", "update_association",
]


__all__ += [
    "accept_meeting",
    "advance_exhibition",
    "cancel_meeting",
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
    "resubmit_need",
    "resubmit_offer",
    "sign_match",
    "submit_need",
    "submit_offer",
]
