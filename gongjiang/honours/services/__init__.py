"""The honours verbs (the only writers of the app), by topic: `types` (honour types and their criteria),
`campaigns` (a campaign with its total quota, the quotas shared out down the tree) and `nominations` (nominate,
complete, attach materials, submit upward, withdraw)."""

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
from .types import change_honour_type, define_honour_type

__all__ = ["add_nomination_files", "add_panel_member", "allocate_quotas", "change_honour_type", "close_panel",
           "create_campaign", "create_panel", "declare_panel_conflict", "define_honour_type", "nominate",
           "remove_panel_member", "score_in_panel", "submit_nomination", "update_nomination", "vote_in_panel",
           "withdraw_nomination"]
