"""The innovation read models shared by the pages, the API and the verbs: `proposals` (lists, a proposal's page,
similar proposals), `figures` (the yearly counters), `rewards` (policies, the ledger) and `projects` (innovation
projects)."""

from . import achievements
from .figures import Figures, children_figures, this_and_last, year_figures, years
from .projects import (
    ProjectFilters,
    overdue_milestones,
    people_named,
    project_detail,
    project_list,
    project_orgs,
    projects_of_proposal,
)
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
from .rewards import RewardPreview, ledger, policy_for, policy_row_for, reward_preview

__all__ = [
    "Figures",
    "Filters",
    "ProjectFilters",
    "RewardPreview",
    "Similar",
    "achievements",
    "children_figures",
    "counts_waiting",
    "detail",
    "ledger",
    "my_assignments",
    "my_proposals",
    "overdue_milestones",
    "people_named",
    "policy_for",
    "policy_row_for",
    "project_detail",
    "project_list",
    "project_orgs",
    "projects_of_proposal",
    "reward_preview",
    "similar",
    "similar_pool",
    "this_and_last",
    "union_list",
    "year_figures",
    "years",
]
