"""The demo's rights cases (part 4): about 3,000 at the province scale (300 at `demo`, 60 at `tiny`) in every step
and with every result, over the last eighteen months — nearly half of them in 历下区, so that its rights officer
(lixia_rights) has a full list, cases waiting and overdue —, a quarter at unorganised workplaces (free-text employers
in a town), some taken to the county at the worker's request. Written in bulk (one audit event per case, the fact
store's rows added once); then the worker persona 李强 files a 欠薪 complaint on the phone, taken to the county, which
the officer accepts and mediates through the verbs (he is notified), and an older one of his is closed."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from gongjiang.core import audit
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.demo import PROVINCE_CODE
from gongjiang.orgs.models import Org, User

from . import case_figures, services
from .models.cases import Case, CaseChannel, CaseEntry, CaseKind, CaseStep
from .rules import cases as rules

SEED = 2027
NOTE = "演示数据"
COUNTY = "370102"
SIZES = {"tiny": 60, "demo": 300, "province": 3000}
KINDS = [(CaseKind.WAGES, 45), (CaseKind.CONTRACT, 15), (CaseKind.INSURANCE, 12), (CaseKind.INJURY, 10),
         (CaseKind.DISEASE, 3), (CaseKind.WOMEN, 5), (CaseKind.OTHER, 10)]
RESULTS = [("resolved", 50), ("partly", 18), ("awarded", 10), ("referred", 10), ("withdrawn", 6), ("unresolved", 6)]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "强伟芳娜敏静丽军杰磊洋勇艳涛明超霞平刚"
CREWS = ["建筑劳务队", "装修工程队", "物流配送站", "餐饮店", "家政服务部", "汽修厂", "服装加工点", "快递网点"]
SUMMARIES = {
    CaseKind.WAGES: "包工头拖欠{n}名工人工资近{m}个月，多次讨要未果。",
    CaseKind.CONTRACT: "单位未签订书面劳动合同，现以口头通知解除劳动关系。",
    CaseKind.INSURANCE: "入职{m}个月单位未缴纳社会保险。",
    CaseKind.INJURY: "作业中受伤，单位拒绝申报工伤。",
    CaseKind.DISEASE: "长期接触粉尘，申请职业病诊断单位不配合。",
    CaseKind.WOMEN: "孕期被调岗降薪。",
    CaseKind.OTHER: "单位强制加班且不支付加班费。",
}


def wipe() -> None:
    Case.objects.all().delete()


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def _county(org: Org, counties: dict[str, Org]) -> Org:
    for k in range(len(org.path), 0, -4):
        found = counties.get(org.path[:k])
        if found is not None:
            return found
    return org


def load(scale: str, log: Callable[[str], None] = lambda s: None) -> int:
    rng = random.Random(SEED)
    today = datetime.date.today()
    province = Org.objects.get(code=PROVINCE_CODE)
    orgs = list(Org.objects.filter(path__startswith=province.path, is_active=True,
                                   kind__in=(OrgKind.GRASSROOTS, OrgKind.COUNTY, OrgKind.TOWN))
                .only("pk", "path", "name", "short_name", "kind", "industry_path", "code"))
    counties = {o.path: o for o in orgs if o.kind == OrgKind.COUNTY}
    lixia = next((o for o in counties.values() if o.code == COUNTY), None)
    enterprises = [o for o in orgs if o.kind == OrgKind.GRASSROOTS]
    towns = [o for o in orgs if o.kind in (OrgKind.TOWN, OrgKind.COUNTY)]
    if not enterprises or not towns:
        return 0
    near = [o for o in enterprises if lixia and o.path.startswith(lixia.path)] or enterprises
    near_towns = [o for o in towns if lixia and o.path.startswith(lixia.path)] or towns
    cases: list[Case] = []
    plans: list[list[tuple[str, datetime.date]]] = []
    for _i in range(SIZES.get(scale, 300)):
        local = rng.random() < 0.45
        kind = _pick(rng, KINDS)
        people = 1 if rng.random() < 0.6 else rng.randint(2, 30)
        migrants = people if rng.random() < 0.5 else rng.randint(0, people)
        if rng.random() < 0.25:
            region = rng.choice(near_towns if local else towns)
            employer, name = None, f"{region.name[:4]}{rng.choice(CREWS)}"
            handler, site = _county(region, counties), region
        else:
            employer, region, name = rng.choice(near if local else enterprises), None, ""
            site = employer
            ask = rng.random() < 0.15
            handler = _county(employer, counties) if ask else employer
        claimed = (Decimal(rng.randint(20, 400) * 100 * people) if kind in (CaseKind.WAGES, CaseKind.INSURANCE,
                                                                           CaseKind.OTHER, CaseKind.CONTRACT)
                   else (Decimal(rng.randint(100, 800) * 100) if rng.random() < 0.5 else None))
        filed = today - datetime.timedelta(days=rng.randint(0, 540))
        steps = [(CaseStep.FILED.value, filed)]
        day = filed
        closing = rng.random() < 0.6 and filed < today - datetime.timedelta(days=5)
        path = ([CaseStep.ACCEPTED, CaseStep.INVESTIGATING, CaseStep.MEDIATING]
                + ([CaseStep.LEGAL] if rng.random() < 0.25 else []))
        if rng.random() < 0.3:
            path.remove(CaseStep.INVESTIGATING)  # facts not in dispute: straight to mediation
        reach = len(path) if closing else rng.randint(0, len(path))
        for step in path[:reach]:
            day = min(day + datetime.timedelta(days=rng.randint(1, 12)), today)
            steps.append((step.value, day))
        case = Case(kind=kind, channel=rng.choice([CaseChannel.PHONE, CaseChannel.HOTLINE, CaseChannel.HOTLINE,
                                                   CaseChannel.WALK_IN]),
                    summary=SUMMARIES[kind].format(n=people, m=rng.randint(2, 6)), employer=employer,
                    employer_name=name, region=region, site=site, handler=handler,
                    worker_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    worker_phone=f"1{rng.choice('35789')}{rng.randint(0, 999999999):09d}", people=people,
                    migrants=migrants, claimed=claimed, ask_county=employer is not None and handler != employer,
                    filed_on=filed, step=steps[-1][0], step_since=steps[-1][1])
        if closing:
            day = min(day + datetime.timedelta(days=rng.randint(1, 40)), today)
            steps.append((CaseStep.CLOSED.value, day))
            result = _pick(rng, RESULTS)
            case.step, case.step_since, case.closed_on, case.result = CaseStep.CLOSED, day, day, result
            if result in rules.WITH_MONEY and claimed:
                share = Decimal(1) if result != "partly" else Decimal(rng.randint(30, 90)) / 100
                case.recovered = (claimed * share).quantize(Decimal("0.01"))
            case.helped = people if result in rules.WITH_MONEY else 0
        case.due_on = rules.due_on(case.step, case.step_since)
        cases.append(case)
        plans.append(steps)
    Case.objects.bulk_create(cases, batch_size=500)
    CaseEntry.objects.bulk_create([CaseEntry(case=c, kind=CaseEntry.Kind.STEP, step=s, on=d, public=True)
                                   for c, steps in zip(cases, plans, strict=True) for s, d in steps], batch_size=2000)
    audit.record_bulk(None, "rights.case.filed", cases, note=NOTE)
    entries: list[tuple[Any, datetime.date, str, Any]] = []
    for c in cases:
        entries.append((c.handler, c.filed_on, case_figures.KIND_METRICS[c.kind], 1))
        entries.append((c.handler, c.filed_on, case_figures.MIGRANTS, c.migrants))
        if c.closed_on:
            entries += [(c.handler, c.closed_on, case_figures.RESULT_METRICS[c.result], 1),
                        (c.handler, c.closed_on, case_figures.RECOVERED, c.recovered or 0),
                        (c.handler, c.closed_on, case_figures.HELPED, c.helped or 0)]
    facts.add_many(entries)
    _persona(lixia, today)
    log(f"Rights cases: {len(cases)}")
    return len(cases)


def _persona(lixia: Org | None, today: datetime.date) -> None:
    """李强 (the worker persona) files on the phone; 历下区's rights officer handles it through the verbs."""
    from .demo import OFFICER

    worker = User.objects.filter(username="worker", person__isnull=False).select_related("person").first()
    officer = User.objects.filter(username=OFFICER).first()
    if worker is None or officer is None or lixia is None:
        return
    enterprise = (Org.objects.filter(kind=OrgKind.GRASSROOTS, path__in=[
        worker.person.employer.path[:k] for k in range(4, len(worker.person.employer.path) + 1, 4)])
        .order_by("-depth").first())
    if enterprise is None or not enterprise.path.startswith(lixia.path):
        return
    old = services.file_case(actor=worker, channel="phone", kind="insurance", employer=enterprise, ask_county=True,
                             summary="入职以来单位未足额缴纳社会保险。", claimed=Decimal("6800"))
    old = services.accept_case(actor=officer, case=old)
    old = services.advance_case(actor=officer, case=old, step="mediating", note="约谈企业人力资源部")
    services.close_case(actor=officer, case=old, result="resolved", recovered=Decimal("6800"), helped=1)
    case = services.file_case(actor=worker, channel="phone", kind="wages", employer=enterprise, ask_county=True,
                              summary="加班费连续三个月未发放。", people=4, migrants=3, claimed=Decimal("12600"))
    case = services.accept_case(actor=officer, case=case, note="已电话联系职工核实情况")
    services.advance_case(actor=officer, case=case, step="investigating")
