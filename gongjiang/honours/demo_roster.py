"""The demo's roster of holders: ten years of every honour of the demo province — a few thousand people (劳模,
五一劳动奖章, 金牌职工, 技术能手, 创新能手), teams (工人先锋号, 创新型班组) and enterprises (五一劳动奖状, 示范企业) —
with the roster's facts (city, industry union, gender, year of birth, front-line), some moved, retired or deceased,
a few titles revoked by the province with a reason and a decision. Written in bulk (bulk_create, bulk_update), then
the counters rebuilt from the rows, so the statistics agree with the roster."""

from __future__ import annotations

import datetime
import random
from typing import Any

from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User
from gongjiang.orgs.scoping import ancestors

from . import counters
from .choices import HolderStatus
from .models import Holder, HolderEvent, HonourType

# honours of persons, by weight (the provincial titles far more often than the national ones)
PERSON_TYPES = (("technical_expert", 30), ("gold_worker", 25), ("province_may_day_medal", 20),
                ("innovation_expert", 15), ("province_model_worker", 8), ("national_may_day_medal", 2))
COLLECTIVE_TYPES = (("province_pioneer", 40), ("city_pioneer", 40), ("innovative_team", 15), ("national_pioneer", 5))
ORG_TYPES = (("province_may_day_award", 60), ("demonstration_enterprise", 30), ("national_may_day_award", 10))
REVOCATIONS = (
    "经查，该同志在申报材料中提供虚假业绩，依据《山东省劳动模范管理办法》第二十条撤销其荣誉称号。",
    "该同志因严重违纪受到开除党籍处分，经研究决定撤销其荣誉称号，收回证书和奖章。",
    "该集体发生重大安全生产责任事故，不再符合荣誉称号条件，决定予以撤销。",
    "该同志因犯罪被依法判处刑罚，根据有关规定撤销其荣誉称号并停止享受相关待遇。",
)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([c for c, _w in weighted], weights=[w for _c, w in weighted])[0]


def _facts_map(province: Org) -> dict[str, tuple[int, str]]:
    """{path: (pk, kind)} of the cities and industry unions of the province (one query)."""
    return {p: (pk, k) for pk, p, k in Org.objects.filter(path__startswith=province.path,
                                                             kind__in=[OrgKind.CITY, OrgKind.INDUSTRY])
            .values_list("pk", "path", "kind")}


def _place(unit: Org, known: dict[str, tuple[int, str]]) -> tuple[int | None, int | None]:
    """The city and the industry union above `unit` (as queries.roster.holder_facts, without a query)."""
    paths = sorted(set(ancestors(unit.path)) | (set(ancestors(unit.industry_path)) if unit.industry_path else set()),
                   key=len)
    city = next((known[p][0] for p in paths if p in known and known[p][1] == OrgKind.CITY), None)
    industry = next((known[p][0] for p in paths if p in known and known[p][1] == OrgKind.INDUSTRY), None)
    return city, industry


def load(rng: random.Random, province: Org, year: int) -> dict[str, int]:
    """Add the holders of every honour, fill in the roster's facts of every holder, record the status changes;
    the counters rebuilt. Returns what was made."""
    types = {t.code: t for t in HonourType.objects.all()}
    held = set(Holder.objects.values_list("person_id", "org_id", "honour_type_id"))
    rows: list[Holder] = []

    def add(code: str, name: str, unit: Org, person: Person | None = None, org: Org | None = None) -> None:
        t = types.get(code)
        if t is None or (person.pk if person else None, org.pk if org else None, t.pk) in held:
            return
        held.add((person.pk if person else None, org.pk if org else None, t.pk))
        rows.append(Holder(honour_type=t, year=year - 1 - rng.randrange(10), person=person, org=org, name=name,
                           unit=unit))

    people = list(Person.objects.filter(employer__path__startswith=province.path).select_related("employer")
                  .order_by("id")[5:40000:13])
    for p in people:
        add(_pick(rng, PERSON_TYPES), p.name, p.employer, person=p)
    teams = list(Org.objects.filter(path__startswith=province.path, kind=OrgKind.TEAM).order_by("path")[3:20000:9])
    for t in teams:
        add(_pick(rng, COLLECTIVE_TYPES), t.name, t, org=t)
    enterprises = list(Org.objects.filter(path__startswith=province.path, kind=OrgKind.GRASSROOTS)
                       .order_by("path")[:8000:7])
    for e in enterprises:
        add(_pick(rng, ORG_TYPES), e.name, e, org=e)
    Holder.objects.bulk_create(rows, batch_size=2000)

    # the roster's facts of every holder (the ones demo._holders made too)
    known = _facts_map(province)
    everyone = list(Holder.objects.select_related("unit", "person", "honour_type").order_by("id"))
    for h in everyone:
        h.city_id, h.industry_id = _place(h.unit, known)
        if h.person is not None:
            h.gender, h.birth_year = h.person.gender, h.person.birth_date.year
            h.front_line = h.person.is_front_line
        else:
            h.front_line = h.honour_type.subject == "collective" and rng.random() < 0.8
    Holder.objects.bulk_update(everyone, ["city", "industry", "gender", "birth_year", "front_line"], batch_size=2000)
    changed = _statuses(rng, province, everyone, year)
    counters.rebuild()
    return {"added": len(rows), "holders": len(everyone), **changed}


def _statuses(rng: random.Random, province: Org, everyone: list[Holder], year: int) -> dict[str, int]:
    """Some people moved, retired (the older ones) or died; a few titles revoked by the province's decision."""
    admin = User.objects.filter(username="province_admin").first()
    events: list[HolderEvent] = []
    changed: list[Holder] = []
    made = {"moved": 0, "retired": 0, "deceased": 0, "revoked": 0}
    last_day = datetime.date(year - 1, 12, 31)  # every change of the demo lies in the past years

    def change(h: Holder, kind: str, on: datetime.date, reason: str = "", document: str = "",
               body: Org | None = None) -> None:
        events.append(HolderEvent(holder=h, on=on, kind=kind, before=h.status, reason=reason, document=document,
                                  body=body, recorded_by=admin))
        h.status, h.status_on = kind, on
        h.revoked = kind == HolderStatus.REVOKED
        made[kind] += 1

    for h in everyone:
        since = datetime.date(h.year, 1, 1)
        span = max((datetime.date(year, 1, 1) - since).days, 30)

        def day(after: datetime.date = since, spread: int = span) -> datetime.date:
            return min(after + datetime.timedelta(days=rng.randrange(1, max(spread, 2))), last_day)

        if h.person_id is not None:
            r = rng.random()
            old = h.birth_year is not None and year - h.birth_year >= 55
            if old and r < 0.5:
                change(h, HolderStatus.RETIRED, day(), "到龄退休")
                if rng.random() < 0.06:
                    change(h, HolderStatus.DECEASED, day(h.status_on or since, 300), "因病去世")
            elif r < 0.06:
                change(h, HolderStatus.MOVED, day(), "调往其他单位工作")
            elif r < 0.075:
                change(h, HolderStatus.DECEASED, day(), "因病去世")
        if (h.status not in (HolderStatus.DECEASED, HolderStatus.REVOKED) and h.honour_type.level != "city"
                and rng.random() < 0.003):  # revoked by the province (it confers the provincial honours)
            on = day(h.status_on or since, 200)
            change(h, HolderStatus.REVOKED, on, rng.choice(REVOCATIONS),
                   f"鲁工发〔{on.year}〕{rng.randint(3, 90)}号", province)
        if h.status != HolderStatus.ACTIVE:
            changed.append(h)
    HolderEvent.objects.bulk_create(events, batch_size=2000)
    Holder.objects.bulk_update(changed, ["status", "status_on", "revoked"], batch_size=2000)
    return made


def wipe() -> None:
    HolderEvent.objects.all().delete()
    from .models import HolderCount

    HolderCount.objects.all().delete()


def figures() -> dict[str, Any]:
    return {"holders": Holder.objects.count(), "revoked": Holder.objects.filter(status=HolderStatus.REVOKED).count()}
