"""Every labour-protection verb once, on the factory province (called from journey.everything): a check with a
hazard added later, both closed and the check closed; a check left with an open hazard; an 安康杯 year of the
county with the steel works and its team entered, their indicators recorded, evaluated and awarded."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from gongjiang.rights import services
from gongjiang.rights.models import AnkangCampaign, SafetyCheck

from .factories import Rights

D = datetime.date
YEAR = 2025
INDICATORS = {"workers": 3000, "accidents": 1, "serious_accidents": 0, "deaths": 0, "hazards_found": 40,
              "hazards_fixed": 38, "training_sessions": 6, "people_trained": 2700}
TEAM = {"workers": 30, "accidents": 0, "serious_accidents": 0, "deaths": 0, "hazards_found": 5, "hazards_fixed": 5,
        "training_sessions": 4, "people_trained": 30}


def hazard(description: str = "配电箱未上锁", days: int = 30, severity: str = "general") -> dict[str, Any]:
    return {"description": description, "severity": severity,
            "deadline": timezone.localdate() + datetime.timedelta(days=days)}


def check(rw: Rights, *hazards: dict[str, Any], checked_on: datetime.date | None = None) -> SafetyCheck:
    return services.record_check(actor=rw.sd.county_cadre, org=rw.sd.lixia, enterprise=rw.sd.steel,
                                 kind="supervision", checked_on=checked_on or timezone.localdate(),
                                 inspectors="王建国、李敏", findings="炼钢车间通风设施老化。",
                                 hazards=list(hazards) or [hazard()])


def ankang(rw: Rights, year: int = YEAR, **kw: Any) -> AnkangCampaign:
    data = {"title": f"{year}年历下区安康杯竞赛", "quota_enterprises": 1, "quota_teams": 1, "quota_organisers": 1,
            **kw}
    return services.open_ankang(actor=rw.sd.county_cadre, org=rw.sd.lixia, year=year, **data)


def everything(rw: Rights) -> None:
    sd = rw.sd
    today = timezone.localdate()
    c = check(rw, hazard("配电箱未上锁"), hazard("高温岗位无防暑药品", 10, "major"))
    services.add_hazards(actor=sd.county_cadre, check=c, hazards=[hazard("安全通道堵塞", 5)], found_on=today)
    for h in c.hazards.all():
        services.close_hazard(actor=sd.enterprise_cadre, hazard=h, closed_on=today, evidence="整改照片已存档")
    services.close_check(actor=sd.county_cadre, check=c, closed_on=today)
    services.record_check(actor=sd.county_cadre, org=sd.lixia, enterprise=rw.small, kind="heat", checked_on=today,
                          inspectors="王建国", hazards=[hazard("车间无降温设备", 3)])
    a = ankang(rw)
    steel, team = services.enter_ankang(actor=sd.county_cadre, campaign=a, units=[sd.steel, sd.team],
                                        registered_on=D(YEAR, 3, 1))
    services.record_indicators(actor=sd.enterprise_cadre, entry=steel, **INDICATORS)
    services.record_indicators(actor=sd.enterprise_cadre, entry=team, **TEAM)
    services.evaluate_ankang(actor=sd.county_cadre, campaign=a, evaluated_on=D(YEAR + 1, 1, 15))
    services.confer_ankang_awards(actor=sd.county_cadre, campaign=a, kind="enterprise", orgs=[sd.steel],
                                  conferred_on=D(YEAR + 1, 1, 20))
    services.confer_ankang_awards(actor=sd.county_cadre, campaign=a, kind="team", orgs=[sd.team],
                                  conferred_on=D(YEAR + 1, 1, 20))
    services.confer_ankang_awards(actor=sd.county_cadre, campaign=a, kind="organiser", orgs=[sd.town],
                                  conferred_on=D(YEAR + 1, 1, 20))
