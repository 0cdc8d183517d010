"""The innovation read models shared by the pages, the API and the verbs: `proposals` (lists, a proposal's page,
similar proposals), `figures` (the yearly counters) and `rewards` (policies, the ledger)."""

from .figures import Figures, children_figures, this_and_last, year_figures, years
from .proposals import (
    Filters,
    Similar,
    counts_waiting,
    detail,
    my_assignments,
    my_proposals,
    similar,
    similar_pool,
    union_list,
)
from .rewards import ledger, policy_for, policy_row_for

__all__ = [
    "Figures",
    "Filters",
    "Similar",
    "children_figures",
    "counts_waiting",
    "detail",
    "ledger",
    "my_assignments",
    "my_proposals",
    "policy_for",
    "policy_row_for",
    "similar",
    "similar_pool",
    "this_and_last",
    "union_list",
    "year_figures",
    "years",
]
