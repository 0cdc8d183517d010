"""The rights app's models, parts 1–3 of issue 15: democratic management (congresses, delegates, sessions, motions,
matters, 厂务公开, employee directors and supervisors), collective contracts (contracts, the enterprises they
cover, the 要约 campaigns and their offers) and labour protection (checks, hazards, the 安康杯)."""

from .cases import Case, CaseChannel, CaseDocument, CaseEntry, CaseKind, CaseResult, CaseStep
from .contracts import BargainingCampaign, Contract, Coverage, Offer
from .democracy import BoardSeat, Congress, Delegate, Matter, Motion, OpennessItem, Session
from .protection import AnkangAward, AnkangCampaign, AnkangEntry, Hazard, SafetyCheck

__all__ = ["AnkangAward", "AnkangCampaign", "AnkangEntry", "BargainingCampaign", "BoardSeat", "Case", "CaseChannel",
           "CaseDocument", "CaseEntry", "CaseKind", "CaseResult", "CaseStep", "Congress", "Contract", "Coverage",
           "Delegate", "Hazard", "Matter", "Motion", "Offer", "OpennessItem", "SafetyCheck", "Session"]
