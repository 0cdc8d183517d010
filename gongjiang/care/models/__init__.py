"""The needy-worker archive (困难职工档案): household files, their members, the requests that file, change and close
them, and the org-level local threshold."""

from .aid import (
    Budget,
    Cycle,
    Entitlement,
    JobMatch,
    JobOffer,
    PayeeAccount,
    Payment,
    PaymentBatch,
    Programme,
)
from .files import HouseholdFile, Member
from .requests import CareRequest
from .settings import CareSetting

__all__ = ["Budget", "CareRequest", "CareSetting", "Cycle", "Entitlement", "HouseholdFile", "JobMatch", "JobOffer",
           "Member", "PayeeAccount", "Payment", "PaymentBatch", "Programme"]
