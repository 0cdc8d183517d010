"""The demo's labour protection (part 3), loaded by demo.load: a year of the unions' checks of the enterprises of
历下区 and a sample across the province (summer heat checks in June–August), with hazards mostly put right, some
still open and some past their deadline (the county's to-do); one check of today through the verbs; last year's
历下区 安康杯 through the verbs (enterprises and teams entered, indicators recorded, evaluated, awarded within the
quotas — one entry disqualified by a fatal accident) and this year's open with its entries.

Checks are written in bulk with one audit event each; the fact store is rebuilt for the app by demo.load."""

from __future__ import annotations

import datetime
import random
from typing import Any

from gongjiang.core import audit
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User

from . import services
from .models import AnkangAward, AnkangCampaign, AnkangEntry, Hazard, SafetyCheck
from .models.protection import AwardKind, CheckKind, Severity
from .rules import ankang as rules

NOTE = "演示数据"
INSPECTORS = ["王建国、李敏", "张海涛、刘芳", "陈静、赵强", "孙立新、周晓燕"]
FINDINGS = ["劳动防护用品配备基本到位，个别岗位佩戴不规范。", "车间通风降温设施运行正常，防暑药品储备不足。",
            "安全生产责任制落实较好，特种作业人员持证上岗。", "职业病危害告知不到位，体检档案不全。"]
HAZARDS = ["配电箱未上锁、无警示标识", "安全通道被物料堵塞", "高温岗位未配备防暑降温药品", "消防器材过期未更换",
           "噪声岗位未发放耳塞", "叉车司机无证驾驶", "粉尘作业区除尘设施损坏", "夜班值守无巡查记录"]


def wipe() -> None:
    AnkangAward.objects.all().delete()
    AnkangEntry.objects.all().delete()
    AnkangCampaign.objects.all().delete()
    Hazard.objects.all().delete()
    SafetyCheck.objects.all().delete()


def load(rng: random.Random, enterprises: list[Org], county: Org | None, officer: User | None,
         today: datetime.date) -> dict[str, int]:
    checks = _checks(rng, enterprises, county, today)
    entries = 0
    if county is not None and officer is not None:
        entries = _ankang(rng, county, officer, today)
        target = Org.objects.filter(path__startswith=county.path, kind=OrgKind.GRASSROOTS).order_by("path").first()
        if target is not None:
            services.record_check(actor=officer, org=county, enterprise=target, kind=CheckKind.SUPERVISION,
                                  checked_on=today, inspectors="历下区总工会劳动保护监督检查组",
                                  findings="抽查三个车间，防护用品发放台账齐全。",
                                  hazards=[{"description": "二号车间应急照明失效", "severity": Severity.GENERAL,
                                            "deadline": today + datetime.timedelta(days=20)}])
            checks += 1
    return {"checks": checks, "ankang_entries": entries}


def _checks(rng: random.Random, enterprises: list[Org], county: Org | None, today: datetime.date) -> int:
    in_county = [e for e in enterprises if county is not None and e.path.startswith(county.path)]
    elsewhere = [e for e in enterprises if county is None or not e.path.startswith(county.path)]
    chosen = in_county[:80] + rng.sample(elsewhere, min(len(elsewhere), max(10, len(elsewhere) // 40), 300))
    unions = {o.path: o for o in Org.objects.filter(kind=OrgKind.COUNTY).only("pk", "path")}
    rows: list[tuple[SafetyCheck, list[Hazard]]] = []
    for e in chosen:
        checker = next((u for p, u in unions.items() if e.path.startswith(p)), e)
        for _i in range(rng.randint(1, 2)):
            checked = today - datetime.timedelta(days=rng.randint(1, 330))
            kind = CheckKind.HEAT if 6 <= checked.month <= 8 and rng.random() < 0.7 else rng.choice(
                [CheckKind.SUPERVISION, CheckKind.SUPERVISION, CheckKind.OCCUPATIONAL, CheckKind.OTHER])
            check = SafetyCheck(org=checker, enterprise=e, kind=kind, checked_on=checked,
                                inspectors=rng.choice(INSPECTORS), findings=rng.choice(FINDINGS))
            hazards = []
            for text in rng.sample(HAZARDS, rng.randint(0, 3)):
                deadline = checked + datetime.timedelta(days=rng.choice((15, 30, 60)))
                h = Hazard(description=text, severity=Severity.MAJOR if rng.random() < 0.15 else Severity.GENERAL,
                           found_on=checked, deadline=deadline)
                if rng.random() < (0.85 if deadline < today else 0.4):
                    h.closed_on = min(checked + datetime.timedelta(days=rng.randint(3, 70)), today)
                    h.evidence = rng.choice(["整改照片已存档", "复查合格", "已更换并登记"])
                hazards.append(h)
            if all(h.closed_on for h in hazards) and rng.random() < 0.9:
                check.closed_on = max([checked, *(h.closed_on for h in hazards if h.closed_on)])
            rows.append((check, hazards))
    SafetyCheck.objects.bulk_create([c for c, _h in rows], batch_size=2000)
    for c, hs in rows:
        for h in hs:
            h.safety_check = c
    Hazard.objects.bulk_create([h for _c, hs in rows for h in hs], batch_size=5000)
    audit.record_bulk(None, "rights.check.recorded", [c for c, _h in rows], note=NOTE)
    return len(rows)


def _indicators(rng: random.Random, workers: int, fatal: bool = False) -> dict[str, Any]:
    accidents = 1 if fatal else (0 if rng.random() < 0.7 else rng.randint(1, 2))
    found = rng.randint(0, max(1, workers // 20))
    trained = rng.randint(workers // 2, workers)
    return {"workers": workers, "accidents": accidents, "serious_accidents": 1 if fatal else 0,
            "deaths": 1 if fatal else 0, "hazards_found": found, "hazards_fixed": rng.randint(found * 3 // 4, found),
            "training_sessions": rng.randint(1, 6), "people_trained": trained}


def _ankang(rng: random.Random, county: Org, officer: User, today: datetime.date) -> int:
    """Last year's 安康杯 of 历下区 evaluated and awarded, this year's open with its entries."""
    last = today.year - 1
    units = list(Org.objects.filter(path__startswith=county.path, kind=OrgKind.GRASSROOTS, is_active=True)
                 .order_by("path")[:20])
    teams = list(Org.objects.filter(path__startswith=county.path, kind=OrgKind.TEAM, is_active=True)
                 .order_by("path")[:10])
    if not units:
        return 0
    campaign = services.open_ankang(actor=officer, org=county, year=last, title=f"{last}年历下区安康杯竞赛",
                                    quota_enterprises=3, quota_teams=3, quota_organisers=2)
    entries = services.enter_ankang(actor=officer, campaign=campaign, units=units + teams,
                                    registered_on=datetime.date(last, 3, 15))
    for i, e in enumerate(entries):
        workers = max(10, e.unit.employee_count or 30) if not e.is_team else rng.randint(8, 40)
        services.record_indicators(actor=officer, entry=e, **_indicators(rng, workers, fatal=i == 3))
    evaluated = min(datetime.date(today.year, 1, 20), today)
    services.evaluate_ankang(actor=officer, campaign=campaign, evaluated_on=evaluated)
    for kind, team in ((AwardKind.ENTERPRISE, False), (AwardKind.TEAM, True)):
        mine = {e.pk: e for e in campaign.entries.filter(is_team=team).select_related("unit")}
        chosen = rules.proposal({k: e.place for k, e in mine.items()}, campaign.quota(kind))
        if chosen:
            services.confer_ankang_awards(actor=officer, campaign=campaign, kind=kind,
                                          orgs=[mine[k].unit for k in chosen], conferred_on=evaluated)
    towns = [t for t in Org.objects.filter(path__startswith=county.path, kind=OrgKind.TOWN).order_by("path")
             if any(u.path.startswith(t.path) for u in units)][:campaign.quota_organisers]
    if towns:
        services.confer_ankang_awards(actor=officer, campaign=campaign, kind=AwardKind.ORGANISER, orgs=towns,
                                      conferred_on=evaluated)
    current = services.open_ankang(actor=officer, org=county, year=today.year,
                                   title=f"{today.year}年历下区安康杯竞赛", quota_enterprises=3, quota_teams=3,
                                   quota_organisers=2)
    now = services.enter_ankang(actor=officer, campaign=current, units=units[:12] + teams[:5],
                                registered_on=min(datetime.date(today.year, 3, 15), today))
    for e in now[:6]:
        workers = max(10, e.unit.employee_count or 30) if not e.is_team else rng.randint(8, 40)
        services.record_indicators(actor=officer, entry=e, **_indicators(rng, workers))
    return len(entries) + len(now)
