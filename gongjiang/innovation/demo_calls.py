"""The demo's achievement calls (成果征集与评审): the provincial call of 2026, finished — about sixty achievements of
the demo's enterprises (some the end of an appraised or transferred project), three experts each assigned by the
rule without conflicts, blind scores per criterion, a few disputed ones re-scored in a second round after a
consensus note, ranked, awarded by share, the notice closed, certificates issued and two recommended to the
national federation — and 济南's city call of 2026 under review, where the reviewer persona has achievements
waiting. The expert pool is the province's (the reviewer persona among them). Deterministic (its own seed); the
figures come from `counters.rebuild()` (the fact store) afterwards (demo.load)."""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core import certificates
from gongjiang.core.models import PublicNotice
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.demo import DEMO_PASSWORD, Persona
from gongjiang.orgs.models import Org, Person, User

from . import publicity
from .choices import Award, CallLevel, CallState, Field, ReviewState, Stage
from .models import Achievement, AchievementAuthor, Call, Expert, Project, Review
from .models.achievements import key_of
from .rules import achievement_scoring as scoring
from .rules import review_assignment as ar

SEED = 620
JINAN = "3701"
PERSONAS = [
    Persona("reviewer", _("Expert reviewer"), "", "", "",
            _("Reviews the achievements of the calls assigned to them, blind: no names, no units")),
]
TOPICS = ("高炉炉况智能诊断系统", "连铸坯表面裂纹控制技术", "转炉煤气高效回收装置", "轧机主传动振动抑制方法",
          "焊接机器人柔性工装", "数控机床热变形补偿技术", "低温余热发电优化", "变电站智能巡检机器人",
          "钢包耐材长寿技术", "布袋除尘系统节能改造", "液压系统泄漏在线监测", "精密轴承国产化替代",
          "冷轧板形闭环控制", "设备预测性维护平台", "危化品装卸安全联锁装置", "输煤皮带智能纠偏装置",
          "变频调速节电改造", "管道带压堵漏工具", "数字化班组管理系统", "锅炉燃烧优化控制")
FIELDS = list(Field.values)
EXPERT_NAMES = ("刘振华", "陈国强", "张立新", "王建军", "李春生", "赵明远", "孙海波", "周文斌", "吴志刚", "郑晓东",
                "冯卫东", "褚宏伟", "卫建平", "蒋学军", "沈国庆", "韩永平", "杨继红", "朱立强", "秦志勇", "许文华")
COMMENTS = ("创新点突出，经济效益显著，具有较好的推广价值。", "技术方案合理，应用效果明显，建议进一步完善数据。",
            "实用性强，已在生产中稳定应用。", "创新性一般，效益数据需补充佐证材料。")
TITLES = ("教授级高级工程师", "高级工程师", "高级技师", "正高级工程师", "教授")


def _pool(province: Org, enterprises: list[Org], rng: random.Random) -> tuple[list[Expert], User]:
    """Twenty experts in the province's pool: fourteen from outside the enterprises (the reviewer persona first),
    six working in the demo's enterprises (their achievements are never theirs to review)."""
    reviewer = User.objects.filter(username="reviewer").first()
    if reviewer is None:
        reviewer = User(username="reviewer", full_name="评审专家 刘振华")
        reviewer.set_password(DEMO_PASSWORD)
        reviewer.save()
    users = [reviewer]
    for i in range(1, len(EXPERT_NAMES)):
        u, _created = User.objects.get_or_create(username=f"expert{i:02d}", defaults={"full_name": EXPERT_NAMES[i]})
        users.append(u)
    experts = []
    for i, u in enumerate(users):
        enterprise = enterprises[i % len(enterprises)] if i >= 14 else None
        experts.append(Expert(org=province, user=u, name=EXPERT_NAMES[i], enterprise=enterprise,
                              title=TITLES[i % len(TITLES)], max_load=12,
                              specialities=sorted({FIELDS[i % len(FIELDS)], FIELDS[(i * 3 + 1) % len(FIELDS)]})))
    Expert.objects.bulk_create(experts)
    return list(Expert.objects.filter(org=province).order_by("pk")), reviewer


def _cities(orgs: list[Org]) -> dict[int, int | None]:
    cities = list(Org.objects.filter(kind=OrgKind.CITY).values_list("path", "pk"))
    return {o.pk: next((pk for path, pk in cities if o.path.startswith(path)), None) for o in orgs}


def _achievements(call: Call, enterprises: list[Org], workers: dict[int, list[Person]], n: int,
                  rng: random.Random, projects: dict[int, list[Project]], at: datetime.datetime) -> list[Achievement]:
    cities = _cities(enterprises)
    rows, authors = [], []
    for i in range(n):
        e = enterprises[i % len(enterprises)]
        source = projects.get(e.pk, [])
        project = source.pop() if source and i % 2 == 0 else None
        title = project.title if project else f"{TOPICS[i % len(TOPICS)]}{'' if i < len(TOPICS) else '（二期）'}"
        field = FIELDS[i % len(FIELDS)]
        rows.append(Achievement(
            call=call, title=title, field=field, enterprise=e, city_id=cities[e.pk], project=project,
            summary=f"针对{title.replace('技术', '')}中长期存在的效率低、能耗高、故障多等问题，"
                    "成立攻关小组，经过现场试验与改进，形成了成套技术并在生产中稳定应用。",
            innovations="一、提出了新的结构设计；二、采用在线监测与自动控制；三、形成了可复制推广的操作规程。",
            benefit=Decimal(rng.randrange(20, 600) * 10000), submitted_at=at + datetime.timedelta(days=i % 20)))
    for a in rows:
        a.title_key = key_of(a.title)  # bulk_create does not call save()
    Achievement.objects.bulk_create(rows)
    for i, a in enumerate(rows):
        people = workers[a.enterprise_id]
        for k in range(1 + i % 3):
            authors.append(AchievementAuthor(achievement=a, person=people[(i * 7 + k) % len(people)], order=k + 1))
    AchievementAuthor.objects.bulk_create(authors, ignore_conflicts=True)
    return rows


def _assign(call: Call, rows: list[Achievement], experts: list[Expert]) -> list[ar.Assigned]:
    cities = _cities([e.enterprise for e in experts if e.enterprise is not None])
    authors: dict[int, set[int]] = {}
    for aid, pid in AchievementAuthor.objects.filter(achievement__call=call).values_list("achievement_id",
                                                                                       "person_id"):
        authors.setdefault(aid, set()).add(pid)
    result = ar.assign(
        [ar.Achievement(a.pk, a.enterprise_id, a.city_id, a.field, frozenset(authors.get(a.pk, ()))) for a in rows],
        [ar.Reviewer(e.pk, None, e.enterprise_id, cities.get(e.enterprise_id) if e.enterprise_id else None,
                     frozenset(e.specialities), e.max_load) for e in experts],
        level=call.level, per_achievement=call.per_achievement)
    return list(result.pairs)


def _scores(call: Call, total: Decimal) -> dict[str, str]:
    """Per-criterion scores adding up to about `total`, each within its range in steps of 0.5."""
    out = {}
    for c in call.criteria_list:
        v = (c.max * total / 100 * 2).quantize(Decimal(1), ROUND_HALF_UP) / 2
        out[c.key] = str(min(max(v, Decimal(0)), c.max))
    return out


def _review(call: Call, a: Achievement, expert_id: int, round_: int, quality: float, noise: float,
            rng: random.Random, at: datetime.datetime) -> Review:
    total = Decimal(str(max(30.0, min(99.0, rng.gauss(quality, noise)))))
    scores = _scores(call, total)
    return Review(call=call, achievement=a, expert_id=expert_id, round=round_, source=ar.AUTOMATIC,
                  state=ReviewState.SUBMITTED, scores=scores, total=scoring.total(call.criteria_list, scores),
                  comment=rng.choice(COMMENTS),
                  submitted_at=at)


def _finish_province(call: Call, rows: list[Achievement], pairs: list[ar.Assigned], rng: random.Random,
                     at: datetime.datetime) -> None:
    quality = {a.pk: rng.uniform(62, 93) for a in rows}
    disputed = {a.pk for a in rows[3:6]}
    reviews = [_review(call, a, p.reviewer_id, 1, quality[a.pk], 16 if a.pk in disputed else 3, rng, at)
               for a in rows for p in pairs if p.achievement_id == a.pk]
    Review.objects.bulk_create(reviews)
    second = [Review(call=call, achievement_id=r.achievement_id, expert_id=r.expert_id, round=2, source=ar.KEPT,
                     state=ReviewState.SUBMITTED, scores=(s := _scores(call, Decimal(str(quality[r.achievement_id])))),
                     total=scoring.total(call.criteria_list, s), comment="合议后复评：同意专家组合议意见。",
                     submitted_at=at + datetime.timedelta(days=3))
              for r in reviews if r.achievement_id in disputed]
    Review.objects.bulk_create(second)
    totals: dict[tuple[int, int], list[Decimal]] = {}
    for r in [*reviews, *second]:
        totals.setdefault((r.achievement_id, r.round), []).append(r.total or Decimal(0))
    for a in rows:
        a.round = 2 if a.pk in disputed else 1
        s = scoring.summarise(totals[(a.pk, a.round)], call.spread_limit)
        a.score, a.spread, a.disputed = s.mean, s.spread, s.disputed
        if a.pk in disputed:
            a.consensus = "专家组合议：效益数据经复核属实，创新点认定一致，进行第二轮评分。"
    ranking = scoring.rank({a.pk: a.score for a in rows})
    awards = scoring.awards_by_share(ranking, call.levels)
    places = {r.id: r.rank for r in ranking}
    for a in rows:
        a.rank, a.award = places[a.pk], awards[a.pk]
    best = sorted(rows, key=lambda a: (a.rank or 0, a.pk))[:call.national_quota]
    for a in best:
        a.national = True
    Achievement.objects.bulk_update(rows, ["round", "score", "spread", "disputed", "consensus", "rank", "award",
                                           "national"])


def load(enterprises: list[Org], workers: dict[int, list[Person]], cadre: User | None) -> dict[str, int]:
    """Write the two demo calls; returns how many achievements and reviews."""
    rng = random.Random(SEED)
    province = Org.objects.filter(kind=OrgKind.PROVINCE).order_by("path").first()
    jinan = Org.objects.filter(code=JINAN).first()
    if province is None or not enterprises:
        return {"achievements": 0, "reviews": 0}
    today = timezone.localdate()
    now = timezone.now()
    year = today.year
    experts, _reviewer = _pool(province, enterprises, rng)
    projects: dict[int, list[Project]] = {}
    for p in Project.objects.filter(stage__in=[Stage.APPRAISED, Stage.TRANSFERRED]).order_by("pk"):
        projects.setdefault(p.enterprise_id, []).append(p)
    # The provincial call, finished.
    call = Call.objects.create(
        org=province, level=CallLevel.PROVINCE, year=year, title=f"{year}年全省职工优秀技术创新成果",
        materials="申报书、成果应用证明、经济效益证明", submit_until=today - datetime.timedelta(days=90),
        review_until=today - datetime.timedelta(days=60), national_quota=2, state=CallState.FINAL, created_by=cadre,
        final_at=now - datetime.timedelta(days=30))
    at = now - datetime.timedelta(days=110)
    rows = _achievements(call, enterprises, workers, 60, rng, projects, at)
    pairs = _assign(call, rows, experts)
    _finish_province(call, rows, pairs, rng, now - datetime.timedelta(days=70))
    PublicNotice.objects.create(
        kind=publicity.CALL_NOTICE, owner_type=ContentType.objects.get_for_model(Call), owner_id=call.pk,
        org_path=province.path, publisher_name=province.name, title=publicity.notice_title(call),
        starts_on=today - datetime.timedelta(days=45), ends_on=today - datetime.timedelta(days=38), working_days=5,
        published_at=now - datetime.timedelta(days=45), closed_at=now - datetime.timedelta(days=37))
    winners = [a for a in Achievement.objects.filter(call=call, award__gt=Award.NONE).select_related("enterprise")
               .prefetch_related("authors__person").order_by("rank", "pk")]
    certificates.issue(actor=None, kind=publicity.AWARD_CERTIFICATE, issuer_path=province.path,
                       issuer_name=province.name, year=year, statements=publicity.statements(call, winners))
    reviews = Review.objects.filter(call=call).count()
    # 济南's call, under review: most reviews in, the reviewer persona's still waiting.
    if jinan is not None:
        local = [e for e in Org.objects.filter(path__startswith=jinan.path, kind=OrgKind.GRASSROOTS,
                                                pk__in=list(workers)).order_by("path")]
        if local:
            city = Call.objects.create(
                org=jinan, level=CallLevel.CITY, year=year, title=f"{year}年济南市职工技术创新成果",
                materials="申报书、应用证明", submit_until=today - datetime.timedelta(days=5),
                review_until=today + datetime.timedelta(days=14), recommend_to=None, state=CallState.REVIEWING,
                created_by=cadre)
            city_rows = _achievements(city, local, workers, 18, rng, {}, now - datetime.timedelta(days=30))
            city_pairs = _assign(city, city_rows, experts)
            quality = {a.pk: rng.uniform(60, 92) for a in city_rows}
            mine = {e.pk for e in experts if e.user.username == "reviewer"}
            done = [_review(city, a, p.reviewer_id, 1, quality[a.pk], 4, rng, now - datetime.timedelta(days=2))
                    for a in city_rows for p in city_pairs
                    if p.achievement_id == a.pk and p.reviewer_id not in mine and (a.pk + p.reviewer_id) % 5]
            waiting = [Review(call=city, achievement_id=p.achievement_id, expert_id=p.reviewer_id, round=1)
                       for p in city_pairs if (p.achievement_id, p.reviewer_id) not in
                       {(r.achievement_id, r.expert_id) for r in done}]
            Review.objects.bulk_create([*done, *waiting])
            for a in city_rows:
                totals = [r.total or Decimal(0) for r in done if r.achievement_id == a.pk]
                s = scoring.summarise(totals, city.spread_limit)
                a.score, a.spread, a.disputed = s.mean, s.spread, s.disputed
            Achievement.objects.bulk_update(city_rows, ["score", "spread", "disputed"])
            reviews += len(done) + len(waiting)
            rows += city_rows
    return {"achievements": len(rows), "reviews": reviews}


def wipe() -> None:
    from gongjiang.core.models import IssuedCertificate

    IssuedCertificate.objects.filter(kind=publicity.AWARD_CERTIFICATE).delete()
    PublicNotice.objects.filter(kind=publicity.CALL_NOTICE).delete()
    Review.objects.all().delete()
    AchievementAuthor.objects.all().delete()
    Achievement.objects.all().update(source=None)
    Achievement.objects.all().delete()
    Expert.objects.all().delete()
    Call.objects.all().delete()
    User.objects.filter(username__in=["reviewer", *[f"expert{i:02d}" for i in range(1, len(EXPERT_NAMES))]],
                        is_superuser=False).delete()

