"""The rights app's models, parts 1–2 of issue 15: democratic management (congresses, delegates, sessions, motions,
matters, 厂务公开, employee directors and supervisors) and collective contracts (contracts, the enterprises they
cover, the 要约 campaigns and their offers)."""

from .cases import Case, CaseChannel, CaseDocument, CaseEntry, CaseKind, CaseResult, CaseStep
from .contracts import BargainingCampaign, Contract, Coverage, Offer
from .democracy import BoardSeat, Congress, Delegate, Matter, Motion, OpennessItem, Session

__all__ = ["BargainingCampaign", "BoardSeat", "Case", "CaseChannel", "CaseDocument", "CaseEntry", "CaseKind",
           "CaseResult", "CaseStep", "Congress", "Contract", "Coverage", "Delegate", "Matter", "Motion",
           "Offer", "OpennessItem", "Session"]
