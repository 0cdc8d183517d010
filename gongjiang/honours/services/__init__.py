"""The honours verbs (the only writers of the app), by topic: `types` (honour types and their criteria),
`campaigns` (a campaign with its total quota, the quotas shared out down the tree) and `nominations` (nominate,
complete, attach materials, submit upward, withdraw) and `reviews` (forward, return, reject level by level, the
shortlist's public notice and its objections, the conferral), `panels` (review panels) and `roster` (a holder's
status changes, revocation, export), `studios` (innovation studios and teams, their yearly assessment)."""

from .campaigns import allocate_quotas, create_campaign
from .nominations import add_nomination_files, nominate, submit_nomination, update_nomination, withdraw_nomination
from .panels import (
    add_panel_member,
    close_panel,
    create_panel,
    declare_panel_conflict,
    remove_panel_member,
    score_in_panel,
    vote_in_panel,
)
from .reviews import (
    confer_honours,
    decide_shortlist_objection,
    forward_nomination,
    forward_nominations,
    publish_shortlist,
    reject_nomination,
    return_nomination,
)
from .roster import record_holder_export, record_holder_status, revoke_honour
from .studio_registry import update_studio
from .studios import (
    add_assessment_files,
    change_studio_members,
    confirm_assessment,
    record_funding,
    register_studio,
    reinstate_studio,
    revoke_studio,
    self_assess,
    suspend_studio,
)
from .types import change_honour_type, define_honour_type

__all__ = [
    "add_assessment_files", "add_nomination_files", "add_panel_member", "allocate_quotas", "change_honour_type",
    "change_studio_members", "close_panel", "confer_honours", "confirm_assessment", "create_campaign", "create_panel",
    "decide_shortlist_objection", "declare_panel_conflict", "define_honour_type", "forward_nomination",
    "forward_nominations", "nominate", "publish_shortlist", "record_funding", "record_holder_export",
    "record_holder_status", "register_studio", "reinstate_studio", "reject_nomination", "remove_panel_member",
    "return_nomination", "revoke_honour", "revoke_studio", "score_in_panel", "self_assess", "submit_nomination",
    "suspend_studio", "update_nomination", "update_studio", "vote_in_panel", "withdraw_nomination",
]
