"""The demo's workers' technical associations (职工技协): a network in the demo province — the province's association,
one per city, the larger counties' and the largest enterprises' — with a few hundred members holding the titles that
qualify them (金牌工人, 能工巧匠, 首席员工, 技术能手, 劳动模范, 高级技师…), councils (an earlier term closed and the
current one, with a chair, vice chairs, a secretary-general and directors) and two years (2025–2026) of activities:
technical exchanges, on-the-job drills and 四技服务 contracts with client enterprises and values, some planned, some
closed with their outcome. A 技协 officer persona is appointed on Jinan's association. Deterministic (its own seed);
the figures (fact store) and counters are rebuilt from the rows afterwards (`techassoc_counters.rebuild`)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core import audit
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.demo import DEMO_PASSWORD, Persona
from gongjiang.orgs.models import Fact, Org, Person, User

from . import metrics, techassoc_counters
from .choices import ActivityKind, ActivityState, Duty, Honour, Post
from .models import (
    Activity,
    ActivityMember,
    Appointment,
    Council,
    MemberHonour,
    Seat,
    TechAssociation,
    TechMember,
)
from .rules import techassoc as rules

SEED = 1949
JINAN = "3701"
PERSONAS = [
    Persona("techassoc", _("Technical association officer"), JINAN, "", "",
            _("Runs 济南市职工技术协会 and the associations below it: members, councils, activities")),
]
TRADES = ("钳工", "电焊工", "数控车工", "维修电工", "炼钢工", "轧钢工", "化工总控工", "仪表维修工",
          "起重装卸机械操作工", "汽车维修工", "电工", "铣工", "磨工", "锅炉运行值班员", "变电站值班员")
SPECIALITIES = ("设备故障诊断", "精密加工", "自动化控制", "焊接工艺", "节能降耗", "液压系统", "工艺优化", "质量检测")
HONOURS = ((Honour.TECH_EXPERT, 30), (Honour.SENIOR_TECHNICIAN, 22), (Honour.TECHNICIAN, 14),
           (Honour.GOLD_WORKER, 10), (Honour.CRAFTSMAN, 10), (Honour.CHIEF_EMPLOYEE, 8), (Honour.MODEL_WORKER, 4),
           (Honour.MAY_DAY_MEDAL, 2), (Honour.INNOVATION_EXPERT, 6))
BODIES = {Honour.TECH_EXPERT: "{city}人力资源和社会保障局", Honour.SENIOR_TECHNICIAN: "山东省人力资源和社会保障厅",
          Honour.TECHNICIAN: "山东省人力资源和社会保障厅", Honour.GOLD_WORKER: "山东省总工会",
          Honour.CRAFTSMAN: "{city}人民政府", Honour.CHIEF_EMPLOYEE: "{enterprise}",
          Honour.MODEL_WORKER: "山东省人民政府", Honour.MAY_DAY_MEDAL: "山东省总工会",
          Honour.INNOVATION_EXPERT: "山东省总工会"}
TOPICS = {
    ActivityKind.EXCHANGE: ("数控加工技术交流会", "焊接新工艺现场交流", "设备点检经验交流", "节能降耗技术沙龙",
                            "智能制造专题讲座"),
    ActivityKind.DRILL: ("钳工岗位练兵", "电焊工技能比武", "维修电工实操练兵", "数控车工岗位练兵", "应急抢修演练"),
    ActivityKind.SERVICE: ("生产线设备故障诊断服务", "锅炉能效测试服务", "电气系统安全检测服务", "液压系统维护服务"),
    ActivityKind.CONSULTING: ("工艺改进技术咨询", "质量管理体系咨询", "节能改造方案咨询"),
    ActivityKind.DEVELOPMENT: ("自动上料装置开发", "在线检测系统开发", "专用工装夹具开发"),
    ActivityKind.TRANSFER: ("焊接机器人工艺包转让", "余热回收技术转让", "精密刀具修磨技术转让"),
}
CLIENTS = ("章丘锻压机械有限公司", "平阴县鲁西化工配件厂", "商河县宏达机械有限公司", "济阳区永兴铸造有限公司",
           "长清区华泰电气设备厂", "莱芜区金鼎管业有限公司", "即墨区海顺机械有限公司", "胶州市鑫源五金制品厂",
           "淄川区博润陶瓷有限公司", "潍坊市坊子区恒力泵业有限公司")
KIND_MIX = ((ActivityKind.EXCHANGE, 30), (ActivityKind.DRILL, 25), (ActivityKind.SERVICE, 18),
            (ActivityKind.CONSULTING, 10), (ActivityKind.DEVELOPMENT, 10), (ActivityKind.TRANSFER, 7))
POSTS = (Post.CHAIR, Post.VICE_CHAIR, Post.VICE_CHAIR, Post.SECRETARY, Post.STANDING, Post.STANDING, Post.DIRECTOR,
         Post.DIRECTOR, Post.DIRECTOR)


def _name(org: Org) -> str:
    base = org.name.removesuffix("工会").removesuffix("总")
    return f"{base}职工技术协会"


def _pick(rng: random.Random, mix: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _w in mix], weights=[w for _k, w in mix])[0]


def _day(rng: random.Random, year: int, last: datetime.date) -> datetime.date:
    start = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), last)
    return start + datetime.timedelta(days=rng.randrange(max((end - start).days, 1)))


def _networks(tiny: bool) -> list[Org]:
    """The unions with an association: the province, every city, the two most populous counties of each city
    (one at the tiny scale) and the largest enterprises."""
    province = Org.objects.filter(depth=1, kind=OrgKind.PROVINCE).order_by("path").first()
    if province is None:
        return []
    cities = list(Org.objects.filter(kind=OrgKind.CITY, is_active=True).order_by("path"))
    counties: list[Org] = []
    per_city = 1 if tiny else 2
    for city in cities:
        counties += list(Org.objects.filter(kind=OrgKind.COUNTY, is_active=True, path__startswith=city.path)
                         .order_by("-tree_people", "path")[:per_city])
    enterprises = list(Org.objects.filter(kind=OrgKind.GRASSROOTS, is_active=True, tree_people__gte=5)
                       .order_by("-tree_people", "path")[: 10 if tiny else 30])
    return [province, *cities, *counties, *enterprises]


def load(log: Callable[[str], None] = lambda s: None, scale: str = "demo") -> dict[str, int]:
    """Write the demo's technical association network (after the org demo)."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    tiny = scale == "tiny"
    with transaction.atomic():
        unions = _networks(tiny)
        if not unions:
            return {"associations": 0, "members": 0, "activities": 0}
        admin = User.objects.filter(username="province_admin").first()
        associations = [TechAssociation(
            org=o, name=_name(o), founded_on=datetime.date(1990 + rng.randrange(30), 1 + rng.randrange(12),
                                                           1 + rng.randrange(28)),
            registration_no=f"鲁民社登字第{1000 + i:04d}号" if o.kind != OrgKind.GRASSROOTS else "",
            address=f"{o.name}院内",
            contact=rng.choice(("王", "李", "张", "刘", "陈")) + rng.choice(("主任", "秘书长")),
            phone=f"0531-8{rng.randrange(1000000, 9999999)}", created_by=admin) for i, o in enumerate(unions)]
        TechAssociation.objects.bulk_create(associations)
        members: list[TechMember] = []
        taken: set[int] = set()
        per = {OrgKind.PROVINCE: 12, OrgKind.CITY: 10, OrgKind.COUNTY: 6, OrgKind.GRASSROOTS: 14}
        # the deepest associations first: an enterprise's best workers belong to their enterprise's association
        for a in sorted(associations, key=lambda x: -len(x.org.path)):
            want = per.get(a.org.kind, 8) // (2 if tiny else 1)
            people = [p for p in Person.objects.filter(employer__path__startswith=a.org.path)
                      .select_related("employer", "trade").order_by("pk")[: want * 4] if p.pk not in taken]
            for p in rng.sample(people, min(want, len(people))):
                taken.add(p.pk)
                trade = p.trade.name[:40] if p.trade_id and p.trade else rng.choice(TRADES)
                members.append(TechMember(association=a, person=p, trade=trade, speciality=rng.choice(SPECIALITIES),
                                          joined_on=datetime.date(2018 + rng.randrange(9), 1 + rng.randrange(12),
                                                                  1 + rng.randrange(28))))
        for m in members:
            if m.joined_on > today:
                m.joined_on = today - datetime.timedelta(days=30)
        TechMember.objects.bulk_create(members)
        cities = {o.path: o for o in Org.objects.filter(kind=OrgKind.CITY)}
        honours: list[MemberHonour] = []
        for m in members:
            city = next((c for p, c in cities.items() if m.association.org.path.startswith(p)), None)
            for code in {_pick(rng, HONOURS) for _i in range(1 + rng.randrange(2))}:
                body = BODIES[code].format(city=(city.name.removesuffix("总工会") if city else "山东省"),
                                           enterprise=m.person.employer.name.removesuffix("工会"))
                honours.append(MemberHonour(member=m, honour=code, year=min(today.year, 2008 + rng.randrange(18)),
                                            conferred_by=body[:80]))
        MemberHonour.objects.bulk_create(honours)
        # A few members left, one moved on to another association.
        left = members[5::23]
        for m in left:
            m.left_on = min(today, m.joined_on + datetime.timedelta(days=400 + rng.randrange(300)))
            m.left_reason = rng.choice(("退休", "调离本单位", "本人申请退会"))
        TechMember.objects.bulk_update(left, ["left_on", "left_reason"])
        by_assoc: dict[int, list[TechMember]] = {}
        for m in members:
            if m.left_on is None:
                by_assoc.setdefault(m.association.pk, []).append(m)
        councils, seats = [], []
        for a in associations:
            crew = by_assoc.get(a.pk, [])
            if not crew:
                continue
            start = datetime.date(2023, 6 + rng.randrange(6), 1)  # the current term runs to 2028
            first = Council(association=a, number=3, starts_on=start - datetime.timedelta(days=5 * 365),
                            ends_on=start - datetime.timedelta(days=1), current=False)
            second = Council(association=a, number=4, starts_on=start,
                             ends_on=start + datetime.timedelta(days=5 * 365 - 1), current=True)
            councils += [first, second]
            seats += [Seat(council=second, member=m, post=post) for m, post in zip(crew, POSTS, strict=False)]
            seats.append(Seat(council=first, member=crew[-1], post=Post.CHAIR))
        Council.objects.bulk_create(councils)
        Seat.objects.bulk_create(seats)
        activities: list[Activity] = []
        involved: list[tuple[int, TechMember]] = []
        per_year = 3 if tiny else 6
        for a in associations:
            crew = by_assoc.get(a.pk, [])
            units = [a.org]
            for year in (2025, 2026):
                for _i in range(per_year + rng.randrange(3)):
                    kind = _pick(rng, KIND_MIX)
                    day = _day(rng, year, datetime.date(2026, 12, 31))
                    four = rules.is_four_services(kind)
                    state = ActivityState.PLANNED if day > today else (
                        ActivityState.CLOSED if four and rng.random() < 0.6 else ActivityState.HELD)
                    value = Decimal(rng.randrange(2, 80) * 5000) if four else None
                    activities.append(Activity(
                        association=a, kind=kind, title=rng.choice(TOPICS[kind]), held_on=day, year=day.year,
                        place=a.org.display_name + ("会议室" if kind == ActivityKind.EXCHANGE else "生产现场"),
                        unit=rng.choice(units), participants=(0 if state == ActivityState.PLANNED
                                                              else 8 + rng.randrange(80)),
                        client=rng.choice(CLIENTS) if four else "", value=value,
                        outcome="项目按合同完成，客户验收合格，年节约费用约" + str(rng.randrange(5, 60)) + "万元"
                        if state == ActivityState.CLOSED else "",
                        state=state, created_by=admin))
                    for m in rng.sample(crew, min(len(crew), rng.randrange(4))):
                        involved.append((len(activities) - 1, m))
        Activity.objects.bulk_create(activities, batch_size=2000)
        ActivityMember.objects.bulk_create([ActivityMember(activity=activities[i], member=m) for i, m in involved],
                                           batch_size=2000)
        _officer(associations)
        audit.record_bulk(None, "innovation.techassoc.founded", associations, note="演示数据")
        techassoc_counters.rebuild()
        log(f"  {len(associations)} associations, {len(members)} members, {len(activities)} activities; figures "
            "rebuilt")
    return {"associations": len(associations), "members": len(members), "activities": len(activities)}


def _officer(associations: list[TechAssociation]) -> User:
    """The 技协 officer persona, appointed on Jinan's union (its association and those below it)."""
    jinan = next((a.org for a in associations if a.org.code == JINAN), associations[0].org)
    officer = User.objects.filter(username="techassoc").first()
    if officer is None:
        officer = User(username="techassoc", full_name="技协干事 孙明")
        officer.set_password(DEMO_PASSWORD)
        officer.save()
    admin = User.objects.filter(username="jinan").first()
    Appointment.objects.get_or_create(org=jinan, user=officer, duty=Duty.TECHASSOC, defaults={"appointed_by": admin})
    return officer


def wipe() -> None:
    """Delete every technical association row and the officer persona (before the org demo is wiped)."""
    for model in (ActivityMember, Activity, Seat, Council, MemberHonour):
        model.objects.all().delete()
    TechMember.objects.update(transferred_from=None)
    for model in (TechMember, TechAssociation):
        model.objects.all().delete()
    Fact.objects.filter(metric__in=metrics.TECH).delete()  # the figures of the rows just deleted
    Appointment.objects.filter(duty=Duty.TECHASSOC).delete()
    User.objects.filter(username__in=[p.username for p in PERSONAS], is_superuser=False).delete()
