"""Every rights verb once, on the factory province: what tests/test_timelines.py adds to its world so that each
rights audit verb is shown in Chinese words and the fact store agrees with the rows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from gongjiang.rights import services

from . import case_journey, journey_protection
from .factories import Rights, rights

D = datetime.date


def everything(sd: Any) -> Rights:
    """A congress term with delegates (one removed), a session with a motion handled and a matter adopted, an item
    made public, an employee director elected and ended; a regional congress of the town; a wage contract drafted,
    signed, filed, terminated and renewed; a campaign with offers sent, answered, negotiated, signed and refused."""
    rw = rights(sd)
    c = rw.congress()
    services.remove_delegate(actor=sd.enterprise_cadre, delegate=c.delegates.order_by("pk").last(), reason="调离本单位")
    s = services.hold_session(actor=sd.enterprise_cadre, congress=c, held_on=D(2025, 3, 20), present=7)
    m = services.submit_motion(actor=sd.enterprise_cadre, session=s, title="关于增设职工休息室的提案",
                               proposer="炼钢车间代表团")
    services.handle_motion(actor=sd.enterprise_cadre, motion=m, state="handled", handled_on=D(2025, 6, 1),
                           handler="行政部", reply="已在炼钢车间增设休息室一间。")
    services.record_matter(actor=sd.enterprise_cadre, session=s, kind="wages", title="2025年工资调整方案",
                           resolution="adopted", votes_for=7)
    services.publish_openness(actor=sd.enterprise_cadre, enterprise=sd.steel, topic="wages", channel="board",
                              title="2025年度职工薪酬调整公示", published_on=D(2025, 4, 1))
    seat = services.elect_board_seat(actor=sd.enterprise_cadre, enterprise=sd.steel, person=rw.people[1],
                                     seat="director", elected_on=D(2024, 3, 1))
    services.end_board_seat(actor=sd.enterprise_cadre, board_seat=seat, until=D(2026, 3, 1))
    services.record_congress(actor=sd.county_cadre, org=sd.town, form="regional", established_on=D(2025, 5, 1),
                             term_years=3, enterprises=[rw.small])
    old = rw.contract(starts_on=D(2023, 1, 1), ends_on=D(2025, 12, 31), min_wage=Decimal("2600"),
                      wage_increase=Decimal("5.5"), weekly_hours=Decimal("40"))
    services.file_contract(actor=sd.enterprise_cadre, contract=old, filed_on=D(2023, 1, 8), filed_with="济南市人社局")
    services.terminate_contract(actor=sd.enterprise_cadre, contract=old, terminated_on=D(2025, 6, 30),
                                reason="并入综合合同")
    rw.contract(starts_on=D(2025, 7, 1), ends_on=D(2027, 6, 30), renews=old, sign=True)
    campaign = services.open_bargaining_campaign(actor=sd.county_cadre, org=sd.lixia, year=2026,
                                                 title="2026年历下区工资集体协商要约行动")
    steel, small = services.send_offers(actor=sd.county_cadre, campaign=campaign, enterprises=[sd.steel, rw.small],
                                        sent_on=D(2026, 3, 1))
    services.advance_offer(actor=sd.county_cadre, offer=steel, step="answered", on=D(2026, 3, 10))
    services.advance_offer(actor=sd.county_cadre, offer=steel, step="negotiating", on=D(2026, 4, 1))
    services.advance_offer(actor=sd.county_cadre, offer=steel, step="signed", on=D(2026, 5, 1))
    services.advance_offer(actor=sd.county_cadre, offer=small, step="refused", on=D(2026, 3, 20), note="企业经营困难")
    case_journey.everything(sd)  # the rights cases (part 4)
    journey_protection.everything(rw)  # checks, hazards and an 安康杯 year (part 3)
    return rw
