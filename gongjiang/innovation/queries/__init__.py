"""The innovation read models shared by the pages, the API and the verbs: `proposals` (lists, a proposal's page,
similar proposals), `figures` (the yearly counters), `rewards` (policies, the ledger), `projects` (innovation
projects) and `techassoc` (workers' technical associations)."""

from . import achievements
from .figures import Figures, children_figures, this_and_last, year_figures, years
from .projects import (
    ProjectFilters,
    count_many,
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
from .techassoc import (
    ActivityFilters,
    MemberFilters,
    NetworkRow,
    TechFigures,
    active_member_of,
    activity_detail,
    activity_list,
    association_detail,
    association_units,
    councils,
    current_council,
    figure_years,
    member_list,
    members_named,
    network,
    network_children,
    network_parent,
    people_within,
    recorded_years,
)
from .techassoc import this_and_last as techassoc_this_and_last

__all__ = [
    "Figures",
    "Filters",
    "ProjectFilters",
    "RewardPreview",
    "Similar",
    "achievements",
    "children_figures",
    "count_many",
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
__all__ += [  # the workers' technical associations (queries/techassoc.py)
    "ActivityFilters", "MemberFilters", "NetworkRow", "TechFigures", "active_member_of", "activity_detail",
    "activity_list", "association_detail", "association_units", "councils", "current_council", "figure_years",
    "member_list", "members_named", "network", "network_children", "network_parent", "people_within",
    "recorded_years", "techassoc_this_and_last",
]
