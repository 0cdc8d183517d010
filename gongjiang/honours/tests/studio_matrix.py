"""The studios' rows of the honours permission matrix (test_permission_matrix.py merges them): each verb in the
state where the right actor succeeds."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongjiang.honours import services

from .factories import pdf
from .studio_factories import FAIR, studios

YEAR = timezone.localdate().year
ADMIN = "province_admin"


def _suspended(hw: Any) -> Any:
    st = studios(hw.sd)
    services.suspend_studio(actor=hw.sd.province_admin, studio=st.studio, reason="发生重大安全生产责任事故")
    return st.studio


STUDIO_ROWS: dict[str, Callable[[Any], tuple[str, dict[str, Any]]]] = {
    "register_studio": lambda hw: (ADMIN, {"name": "新工作室", "kind": "model", "lead": hw.sd.worker_person,
                                           "host": hw.sd.steel, "level": "province", "year": YEAR,
                                           "recognised_by": hw.sd.province}),
    "change_studio_members": lambda hw: ("enterprise_cadre", {"studio": (st := studios(hw.sd)).studio,
                                                              "remove": [st.member]}),
    "record_funding": lambda hw: ("enterprise_cadre", {"studio": studios(hw.sd).studio, "year": YEAR,
                                                       "amount": Decimal(10), "source": "省总工会创新补助资金"}),
    "self_assess": lambda hw: ("enterprise_cadre", {"studio": studios(hw.sd).studio, "year": YEAR, "points": FAIR}),
    "add_assessment_files": lambda hw: ("enterprise_cadre", {"assessment": studios(hw.sd).assess(YEAR),
                                                             "item": "projects", "uploads": [pdf()]}),
    "confirm_assessment": lambda hw: (ADMIN, {"assessment": studios(hw.sd).assess(YEAR)}),
    "suspend_studio": lambda hw: (ADMIN, {"studio": studios(hw.sd).studio, "reason": "材料弄虚作假"}),
    "reinstate_studio": lambda hw: (ADMIN, {"studio": _suspended(hw), "reason": "整改到位，恢复在册"}),
    "revoke_studio": lambda hw: (ADMIN, {"studio": _suspended(hw), "reason": "整改无效",
                                         "decision": "鲁工发〔2026〕12号"}),
    "update_studio": lambda hw: (ADMIN, {"studio": studios(hw.sd).studio, "name": "李强炼钢创新工作室"}),
}
# Cadres inside the tree but not of the right union: Jinan (below the province) for the province's decisions, the
# host enterprise for the recognising union's, the private enterprise of 历下 beside the host.
BELOW_OR_BESIDE = {"confirm_assessment": "jinan_cadre", "suspend_studio": "enterprise_cadre",
                   "revoke_studio": "jinan_cadre", "reinstate_studio": "county_cadre",
                   "register_studio": "jinan_cadre", "self_assess": "private_cadre",
                   "change_studio_members": "private_cadre", "record_funding": "private_cadre",
                   "add_assessment_files": "private_cadre", "update_studio": "enterprise_cadre"}
