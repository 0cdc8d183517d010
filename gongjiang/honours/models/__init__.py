"""Honours: the honour types with their eligibility criteria and the roster of holders (`types`), the campaigns
with their quota allocations down the tree (`campaigns`) and the nominations with their materials
(`nominations`).

Scoping: a campaign is seen by the unions inside and below its organiser (they nominate to it); an allocation by
its union and those above it; a nomination by its nominating union and those above it; a material through its
nomination; a holder through the unit it belonged to. Honour types are reference data."""

from .campaigns import Allocation, Campaign, CampaignQuerySet
from .nominations import Nomination, NominationFile
from .panels import Panel, PanelConflict, PanelMember, PanelMode, PanelScore, PanelVote, VoteChoice
from .roster import HolderCount, HolderEvent
from .studios import (
    Assessment,
    AssessmentFile,
    AssessmentScore,
    Rubric,
    Studio,
    StudioFunding,
    StudioMember,
    StudioStatusChange,
)
from .types import Holder, HonourType

__all__ = ["Allocation", "Assessment", "AssessmentFile", "AssessmentScore", "Campaign", "CampaignQuerySet", "Holder",
           "HolderCount", "HolderEvent", "HonourType", "Nomination", "NominationFile", "Panel", "PanelConflict",
           "PanelMember", "PanelMode", "PanelScore", "PanelVote", "Rubric", "Studio",
           "StudioFunding", "StudioMember", "StudioStatusChange", "VoteChoice"]
