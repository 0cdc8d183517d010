"""Proposals (合理化建议 / 金点子 / 五小): the proposal with its co-proposers, attachments, valuators' assignments, the
benefit accounting and the reward ledger; the unions' reward policies and appointments (valuators, finance
officers); innovation projects (攻关课题) with their stage decisions, milestones, members, spending and files;
workers' technical associations (职工技协) with their members, councils and activities (models/techassoc.py). The
figures are in the fact store (metrics.py).

Scoping: a proposal is reached through the unit that employed its proposer when it was submitted (`unit`): the
unit's union and every union above it see it (regionally and along the industry tree); the proposer and the
co-proposers see their own; an assigned valuator sees what they value. Everything hanging off a proposal is
scoped through it."""

from __future__ import annotations

from .achievements import (
    Achievement,
    AchievementAuthor,
    AchievementFile,
    AchievementQuerySet,
    Call,
    CallQuota,
    Declaration,
    Expert,
    Review,
)
from .exhibition import Exhibition, Match, Meeting, Need, Offer, Suggestion  # the 6·18 exhibition (issue 10, part 4)
from .projects import Milestone, Project, ProjectFile, ProjectMember, ProjectQuerySet, Spending, StageDecision
from .proposals import (
    Appointment,
    Assignment,
    Attachment,
    Benefit,
    Contributor,
    Proposal,
    ProposalGram,
    ProposalQuerySet,
    RewardPayment,
    RewardPolicy,
    index_titles,
)
from .techassoc import (
    Activity,
    ActivityMember,
    Council,
    MemberHonour,
    Seat,
    TechAssociation,
    TechAssociationQuerySet,
    TechMember,
)

__all__ = [
    "Achievement",
    "AchievementAuthor",
    "AchievementFile",
    "AchievementQuerySet",
    "Appointment",
    "Assignment",
    "Attachment",
    "Benefit",
    "Call",
    "CallQuota",
    "Contributor",
    "Declaration",
    "Expert",
    "Milestone",
    "Project",
    "ProjectFile",
    "ProjectMember",
    "ProjectQuerySet",
    "Proposal",
    "ProposalGram",
    "ProposalQuerySet",
    "Review",
    "RewardPayment",
    "RewardPolicy",
    "Spending",
    "StageDecision",
    "index_titles",
]
__all__ += ["Activity", "ActivityMember", "Council", "MemberHonour", "Seat", "TechAssociation",
            "TechAssociationQuerySet", "TechMember"]  # technical associations (models/techassoc.py)


__all__ += ["Exhibition", "Match", "Meeting", "Need", "Offer", "Suggestion"]
