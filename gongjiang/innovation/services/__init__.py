"""The innovation verbs (the only writers of the app), by topic: `proposals` (submit, files, accept, reject,
archive), `valuation` (assign valuators in bulk, hand over, value, adopt), `benefit` (implement, record, sign off,
revise a locked forecast), `rewards` (policy, payment) and `appointments` (valuators, finance officers)."""

from .appointments import appoint, end_appointment
from .benefit import record_benefit, revise_forecast, sign_off_benefit, start_implementation
from .proposals import CoProposer, accept_proposal, add_attachments, archive_proposal, reject_proposal, submit_proposal
from .rewards import pay_reward, set_reward_policy
from .valuation import adopt_proposal, assign_valuators, hand_over_valuations, submit_valuation

__all__ = [
    "CoProposer",
    "accept_proposal",
    "add_attachments",
    "adopt_proposal",
    "appoint",
    "archive_proposal",
    "assign_valuators",
    "end_appointment",
    "hand_over_valuations",
    "pay_reward",
    "record_benefit",
    "reject_proposal",
    "revise_forecast",
    "set_reward_policy",
    "sign_off_benefit",
    "start_implementation",
    "submit_proposal",
    "submit_valuation",
]
