"""The honours verbs (the only writers of the app), by topic: `types` (honour types and their criteria),
`campaigns` (a campaign with its total quota, the quotas shared out down the tree) and `nominations` (nominate,
complete, attach materials, submit upward, withdraw) and `reviews` (forward, return, reject level by level, the
shortlist's public notice and its objections, the conferral)."""

from .campaigns import allocate_quotas, create_campaign
from .nominations import add_nomination_files, nominate, submit_nomination, update_nomination, withdraw_nomination
from .reviews import (
    confer_honours,
    decide_shortlist_objection,
    forward_nomination,
    forward_nominations,
    publish_shortlist,
    reject_nomination,
    return_nomination,
)
from .types import change_honour_type, define_honour_type

__all__ = ["add_nomination_files", "allocate_quotas", "change_honour_type", "confer_honours", "create_campaign",
           "decide_shortlist_objection", "define_honour_type", "forward_nomination", "forward_nominations", "nominate",
           "publish_shortlist", "reject_nomination", "return_nomination", "submit_nomination", "update_nomination",
           "withdraw_nomination"]
