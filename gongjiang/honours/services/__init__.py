"""The honours verbs (the only writers of the app), by topic: `types` (honour types and their criteria),
`campaigns` (a campaign with its total quota, the quotas shared out down the tree) and `nominations` (nominate,
complete, attach materials, submit upward, withdraw)."""

from .campaigns import allocate_quotas, create_campaign
from .nominations import add_nomination_files, nominate, submit_nomination, update_nomination, withdraw_nomination
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

__all__ = ["add_nomination_files", "allocate_quotas", "change_honour_type", "create_campaign", "define_honour_type",
           "nominate", "submit_nomination", "update_nomination", "withdraw_nomination"]
__all__ += ["add_assessment_files", "change_studio_members", "confirm_assessment", "record_funding", "register_studio",
            "reinstate_studio", "revoke_studio", "self_assess", "suspend_studio"]
