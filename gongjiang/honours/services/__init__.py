"""The honours verbs (the only writers of the app), by topic: `types` (honour types and their criteria),
`campaigns` (a campaign with its total quota, the quotas shared out down the tree) and `nominations` (nominate,
complete, attach materials, submit upward, withdraw) and `roster` (a holder's status changes, revocation, export)."""

from .campaigns import allocate_quotas, create_campaign
from .nominations import add_nomination_files, nominate, submit_nomination, update_nomination, withdraw_nomination
from .roster import record_holder_export, record_holder_status, revoke_honour
from .types import change_honour_type, define_honour_type

__all__ = ["add_nomination_files", "allocate_quotas", "change_honour_type", "create_campaign", "define_honour_type",
           "nominate", "record_holder_export", "record_holder_status", "revoke_honour", "submit_nomination",
           "update_nomination", "withdraw_nomination"]
