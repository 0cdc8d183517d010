"""The demo's training and mentorship: about 400 training sessions over the last two years held by the demo
province's unions (the province, the cities, the counties and, most of them, the enterprises), each with 5 to 40
attendees of its union's reach; about 300 mentor pairs in the enterprises (a skilled worker teaching a less skilled
one of the same enterprise; those started more than a year ago mostly finished, some ended early, with the
apprentice's grade before and after); about 40 learning materials of the province, the cities and a few enterprises
(links, videos by address, documents by address), with thousands of completions — the demo worker 李强 among the
learners, attendees and apprentices, so the worker's pages and the person page have something to show.

Written in bulk (the verbs take milliseconds each, and 10,000 attendances would take minutes); each session, pair and
material is audited in bulk, and the learning figures of the fact store are rebuilt from the rows
(`facts.rebuild(["learning"])`)."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from gongjiang.core import audit
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.demo import PROVINCE_CODE
from gongjiang.orgs.models import Occupation, Org, Person, User

from .models import Attendance, Material, MaterialCompletion, MentorPair, TrainingSession
from .training_choices import MaterialKind, PairState

SEED = 12
SESSIONS = 400
PAIRS = 300
TOPICS = ["安全生产法律法规培训", "焊接安全操作规程培训", "电工作业安全培训", "节能减排知识讲座", "职业病防治知识培训",
          "数控加工技能提升班", "设备点检与维护培训", "班组长管理能力培训", "劳动合同法宣讲", "消防安全知识培训",
          "质量管理体系培训", "新员工岗前培训", "职业技能等级认定考前培训", "工匠精神专题讲座", "智能制造新技术培训",
          "应急救援演练培训", "劳模工匠进企业宣讲", "心理健康与减压讲座"]
PLACES = ["职工培训中心", "工会会议室", "职工之家", "实训基地", "车间学习室", "线上直播"]
TRAINERS = ["王建华", "李国庆", "张秀兰", "刘德胜", "陈明", "赵立新", "孙建国", "周海涛", "吴晓燕", "郑强"]
TRADES = ["6-18-02-04", "6-18-01-01", "6-17-02-02", "6-20-01-01", "6-18-04-06"]
GOALS = ["一年内独立完成岗位全部操作，取得上一级职业技能等级", "掌握设备故障诊断与排除，能独立处理常见故障",
         "熟练掌握本工种安全操作规程，参加市级职业技能竞赛", "系统学习工艺标准，完成一项小改小革"]
RESULTS = ["已能独立顶岗，晋升职业技能等级", "参加市级职业技能竞赛获奖", "完成合理化建议两项，已独立顶岗",
           "掌握岗位操作技能，考核合格"]
END_REASONS = ["徒弟调岗", "师傅退休", "徒弟离职", "师傅工作调动"]
MATERIALS = [
    ("中华人民共和国安全生产法（2021修正）解读", MaterialKind.DOCUMENT, ["安全生产", "法律法规"]),
    ("焊接作业安全防护要点", MaterialKind.VIDEO, ["焊接", "安全生产"]),
    ("节能减排百问百答", MaterialKind.DOCUMENT, ["节能减排"]),
    ("劳动合同法常见问题", MaterialKind.LINK, ["劳动法", "维权"]),
    ("数控车床编程入门", MaterialKind.VIDEO, ["数控", "技能提升"]),
    ("班组安全管理十条", MaterialKind.DOCUMENT, ["班组建设", "安全生产"]),
    ("职业病防治法宣传", MaterialKind.LINK, ["职业健康"]),
    ("大国工匠故事", MaterialKind.VIDEO, ["工匠精神"]),
    ("设备点检标准化作业", MaterialKind.DOCUMENT, ["设备维护"]),
    ("消防器材使用方法", MaterialKind.VIDEO, ["消防", "安全生产"]),
]


def _units(province: Org) -> list[Org]:
    """The unions that hold sessions: the province, cities, industry unions, counties and enterprises."""
    return list(Org.objects.filter(path__startswith=province.path, is_active=True, kind__in=[
        OrgKind.PROVINCE, OrgKind.CITY, OrgKind.INDUSTRY, OrgKind.COUNTY, OrgKind.GRASSROOTS]).order_by("path"))


def load(log: Callable[[str], None] = lambda s: None) -> dict[str, int]:
    rng = random.Random(SEED)
    today = timezone.localdate()
    province = Org.objects.get(code=PROVINCE_CODE)
    admin = User.objects.filter(username="province_admin").first()
    trades = list(Occupation.objects.filter(code__in=TRADES).order_by("code"))
    units = _units(province)
    step = 4
    # The people of each union's reach: by the paths of their employers (one query).
    people: list[tuple[int, str, int, int | None]] = list(
        Person.objects.filter(employer__path__startswith=province.path).order_by("pk")
        .values_list("pk", "employer__path", "skill_grade", "trade_id"))
    by_path: dict[str, list[int]] = defaultdict(list)
    for pk, path, _grade, _trade in people:
        for i in range(step, len(path) + 1, step):
            by_path[path[:i]].append(pk)
    grades = {pk: grade for pk, _p, grade, _t in people}
    person_trade = {pk: trade for pk, _p, _g, trade in people}
    holding = [u for u in units if len(by_path.get(u.path, ())) >= 5]
    if not holding:
        return {"sessions": 0, "attendances": 0, "pairs": 0, "materials": 0, "completions": 0}
    enterprises = [u for u in holding if u.kind == OrgKind.GRASSROOTS]
    higher = [u for u in holding if u.kind != OrgKind.GRASSROOTS]
    worker = Person.objects.filter(account__username="worker").select_related("employer").first()
    if worker is None:
        worker = Person.objects.filter(pk__in=by_path[province.path][:1]).select_related("employer").first()

    # Sessions: three in four held by enterprises, the rest by the province, cities, counties, industry unions.
    sessions: list[TrainingSession] = []
    for _n in range(SESSIONS):
        org = rng.choice(enterprises if enterprises and (rng.random() < 0.75 or not higher) else higher)
        start = today - datetime.timedelta(days=rng.randint(1, 730))
        days = rng.choice([1, 1, 1, 2, 3, 5])
        hours = Decimal(rng.choice([2, 3, 4, 6, 8])) * (days if days < 3 else 1) if days < 5 else Decimal(32)
        sessions.append(TrainingSession(
            org=org, topic=rng.choice(TOPICS), trade=rng.choice(trades) if trades and rng.random() < 0.5 else None,
            starts_on=start, ends_on=start + datetime.timedelta(days=days - 1), hours=hours,
            place=org.display_name + rng.choice(PLACES), trainer=rng.choice(TRAINERS), created_by=admin))
    if worker is not None:  # the demo worker's own unit holds two sessions the worker attended
        for k in range(2):
            start = today - datetime.timedelta(days=30 + 90 * k)
            sessions.append(TrainingSession(org=worker.employer.grassroots_union() or worker.employer,
                                            topic=TOPICS[k + 1], starts_on=start, ends_on=start, hours=Decimal(8),
                                            place="职工培训中心", trainer="孙建国", created_by=admin))
    TrainingSession.objects.bulk_create(sessions, batch_size=1000)
    attendances: list[Attendance] = []
    for s in sessions:
        pool = by_path[s.org.path]
        chosen = set(rng.sample(pool, min(len(pool), rng.randint(5, 40))))
        if worker is not None and worker.employer.path.startswith(s.org.path) and (
                s.trainer == "孙建国" or rng.random() < .2):
            chosen.add(worker.pk)
        for pk in chosen:
            attendances.append(Attendance(session=s, person_id=pk, hours=s.hours, completed=rng.random() > 0.03))
    Attendance.objects.bulk_create(attendances, batch_size=5000)
    counts: dict[int, list[Any]] = defaultdict(lambda: [0, Decimal(0)])
    for a in attendances:
        counts[a.session_id][0] += 1
        counts[a.session_id][1] += a.hours
    for s in sessions:
        s.attendee_count, s.person_hours = counts[s.pk]
    TrainingSession.objects.bulk_update(sessions, ["attendee_count", "person_hours"], batch_size=1000)
    log(f"  training: {len(sessions):,} sessions, {len(attendances):,} attendances")

    # Mentor pairs: in enterprises, a mentor of grade 1–3 (or the most skilled there) and a less skilled apprentice.
    pairs: list[MentorPair] = []
    taken: set[tuple[int, int]] = set()
    tries = 0
    while len(pairs) < PAIRS and tries < PAIRS * 20 and enterprises:
        tries += 1
        org = rng.choice(enterprises)
        pool = by_path[org.path]
        if len(pool) < 2:
            continue
        mentor = max(rng.sample(pool, min(len(pool), 6)), key=lambda pk: (grades[pk] != 0, -grades[pk] or -9))
        apprentice = rng.choice(pool)
        if apprentice == mentor or (mentor, apprentice) in taken:
            continue
        taken.add((mentor, apprentice))
        pairs.append(_pair(rng, org, mentor, apprentice, grades[apprentice], person_trade.get(apprentice), today,
                           admin))
    if worker is not None:
        pool = [pk for pk in by_path[worker.employer.path] if pk != worker.pk] or [
            pk for pk in by_path[(worker.employer.grassroots_union() or worker.employer).path] if pk != worker.pk]
        if pool:
            mentor = max(pool, key=lambda pk: (grades[pk] != 0, -grades[pk] or -9))
            if (mentor, worker.pk) not in taken:
                start = today - datetime.timedelta(days=120)
                pairs.append(MentorPair(org=worker.employer.grassroots_union() or worker.employer, mentor_id=mentor,
                                        apprentice_id=worker.pk, trade_id=worker.trade_id, goals=GOALS[0],
                                        starts_on=start, ends_on=start + datetime.timedelta(days=365),
                                        grade_before=worker.skill_grade, created_by=admin))
    MentorPair.objects.bulk_create(pairs, batch_size=1000)
    log(f"  training: {len(pairs):,} mentor pairs")

    # Materials: the province's (shared), each city's, a few enterprises'; completions by the people of their reach.
    owners = [province] + [u for u in higher if u.kind == OrgKind.CITY] + enterprises[:8]
    materials: list[Material] = []
    for i in range(40):
        owner = owners[0] if i < 14 else owners[1 + (i - 14) % (len(owners) - 1)] if len(owners) > 1 else owners[0]
        title, kind, tags = MATERIALS[i % len(MATERIALS)]
        if i >= len(MATERIALS):
            title = f"{title}（{owner.display_name}）"
        site = "https://video.sd-workers.example.cn" if kind == MaterialKind.VIDEO else \
            "https://www.sd-workers.example.cn/learning"
        url = f"{site}/{i + 1}" + (".pdf" if kind == MaterialKind.DOCUMENT else "")
        materials.append(Material(org=owner, title=title, kind=kind, url=url, tags=tags,
                                  trade=rng.choice(trades) if trades and rng.random() < 0.3 else None,
                                  description="职工学习资料", shared=i % 13 != 12, created_by=admin))
    Material.objects.bulk_create(materials)
    completions: list[MaterialCompletion] = []
    for m in materials:
        pool = by_path[m.org.path]
        learners = set(rng.sample(pool, min(len(pool), rng.randint(10, 150))))
        if worker is not None and worker.employer.path.startswith(m.org.path) and m.shared and rng.random() < 0.4:
            learners.add(worker.pk)
        for pk in sorted(learners):
            completions.append(MaterialCompletion(material=m, person_id=pk, completed_at=timezone.now()
                                                  - datetime.timedelta(days=rng.randint(0, 300))))
    MaterialCompletion.objects.bulk_create(completions, batch_size=5000, ignore_conflicts=True)
    done = defaultdict(int)
    for mid in MaterialCompletion.objects.filter(material__in=materials).values_list("material_id", flat=True):
        done[mid] += 1
    for m in materials:
        m.completions = done[m.pk]
    Material.objects.bulk_update(materials, ["completions"])

    audit.record_bulk(admin, "learning.session.recorded", sessions, note="demo")
    audit.record_bulk(admin, "learning.pair.started", pairs, note="demo")
    audit.record_bulk(admin, "learning.material.added", materials, note="demo")
    facts.rebuild(["learning"])
    return {"sessions": len(sessions), "attendances": len(attendances), "pairs": len(pairs),
            "materials": len(materials), "completions": sum(done.values())}


def _pair(rng: random.Random, org: Org, mentor: int, apprentice: int, grade: int, trade: int | None,
          today: datetime.date, admin: Any) -> MentorPair:
    start = today - datetime.timedelta(days=rng.randint(10, 900))
    pair = MentorPair(org=org, mentor_id=mentor, apprentice_id=apprentice, trade_id=trade, goals=rng.choice(GOALS),
                      starts_on=start, ends_on=start + datetime.timedelta(days=365), grade_before=grade,
                      created_by=admin)
    age = (today - start).days
    if age > 365 and rng.random() < 0.85:
        pair.closed_on = min(today, start + datetime.timedelta(days=rng.randint(300, 420)))
        if rng.random() < 0.85:
            pair.state, pair.result = PairState.FINISHED, rng.choice(RESULTS)
            better = {0: 5, 5: 4, 4: 3, 3: 2, 2: 1, 1: 1}[grade]
            pair.grade_after = better if rng.random() < 0.6 else grade
        else:
            pair.state, pair.end_reason = PairState.ENDED, rng.choice(END_REASONS)
    return pair


def wipe() -> None:
    MaterialCompletion.objects.all().delete()
    Material.objects.all().delete()
    Attendance.objects.all().delete()
    TrainingSession.objects.all().delete()  # files go with them
    MentorPair.objects.all().delete()
    facts.rebuild(["learning"])
