"""Every rights-case verb once (called from journey.everything): a phone case taken to the county, accepted,
investigated, mediated, helped at arbitration, noted, documented and closed with more recovered than claimed; a
hotline case transferred to the town; the detail read and the list exported."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gongjiang.rights import services

from .case_factories import hotline_case, pdf, phone_case


def everything(sd: Any) -> None:
    case = phone_case(sd, ask_county=True)
    case = services.accept_case(actor=sd.county_cadre, case=case, note="已电话联系职工")
    case = services.advance_case(actor=sd.county_cadre, case=case, step="investigating")
    case = services.advance_case(actor=sd.county_cadre, case=case, step="mediating")
    case = services.advance_case(actor=sd.county_cadre, case=case, step="legal")
    services.add_case_note(actor=sd.county_cadre, case=case, text="劳动仲裁委已立案", public=True)
    services.add_case_documents(actor=sd.county_cadre, case=case, uploads=[pdf("仲裁申请书.pdf")])
    services.open_case(actor=sd.county_cadre, case=case)
    services.close_case(actor=sd.county_cadre, case=case, result="awarded", recovered=Decimal("19500"), helped=3,
                        reason="含经济补偿金1500元")
    other = services.accept_case(actor=sd.county_cadre, case=hotline_case(sd, region=sd.lixia))
    services.transfer_case(actor=sd.county_cadre, case=other, to=sd.town, reason="用工地属解放路街道")
    services.export_cases(actor=sd.county_cadre, org=sd.lixia, case_ids=[case.pk, other.pk])
