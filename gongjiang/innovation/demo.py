"""The demo's innovation proposals: two years (2025, 2026) of 合理化建议, 金点子 and 五小 in the enterprises of the demo
province, with realistic titles by category, states from just submitted to archived, valuations, forecast and
accounted benefits (hard 万元 and soft), and the reward ledger; a valuator persona at 济钢 with open work and the 济钢
cadre as the enterprise's finance officer. Written with core.bulk (COPY on PostgreSQL), then the figures in the fact
store are rebuilt from the rows (`counters.rebuild`: the fold, then `facts.rebuild(["innovation"])`). The innovation
projects are `demo_projects`, the achievement calls `demo_calls`."""

from __future__ import annotations

import datetime
import itertools
import random
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.core import audit
from gongjiang.core.bulk import bulk_insert
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.demo import DEMO_PASSWORD, Persona
from gongjiang.orgs.models import Org, Person, User

from . import counters, demo_calls, demo_exhibition, demo_projects
from .choices import Category, Duty, Kind, Opinion, State
from .models import Appointment, Assignment, Benefit, Contributor, Proposal, RewardPayment, index_titles
from .rules import rewards

SEED = 618
WORKERS = 600  # the proposers drawn from per enterprise (its first workers)
JIGANG = "370102001001"
PERSONAS = [
    Persona("valuator", _("Valuator"), JIGANG, "", "",
            _("Values the proposals of 济钢 assigned to them: opinion, score, comment")),
]
OBJECTS = ("转炉氧枪喷头", "皮带输送机托辊", "行车钢丝绳", "焊接工装夹具", "数控车床刀架", "循环水泵机械密封",
           "空压机余热", "配电柜散热", "液压站油路", "轧机导卫", "包装线码垛机", "仓库货架", "叉车充电区",
           "除尘器滤袋", "冷却塔风机", "高炉风口", "锅炉给水泵", "变压器", "电机轴承", "模具冷却水路",
           "钢包烘烤器", "连铸结晶器", "加热炉燃烧器", "天车滑线", "螺杆泵定子")
PATTERNS: dict[str, tuple[str, ...]] = {
    Category.QUALITY: ("提高{o}加工精度", "减少{o}表面缺陷", "{o}检测方法改进", "{o}装配质量控制"),
    Category.COST: ("降低{o}备件消耗", "{o}修旧利废", "{o}国产化替代", "延长{o}使用寿命"),
    Category.EFFICIENCY: ("{o}快速更换工具", "缩短{o}检修时间", "{o}自动化改造", "{o}一键启停"),
    Category.SAFETY: ("{o}防护装置加装", "{o}安全联锁改进", "消除{o}作业隐患", "{o}防坠落措施"),
    Category.ENERGY: ("{o}节能改造", "回收利用{o}余热", "降低{o}电耗", "{o}变频改造"),
    Category.MANAGEMENT: ("{o}点检标准化", "{o}台账信息化管理", "{o}备件定置管理", "{o}交接班制度优化"),
    Category.OTHER: ("{o}看板可视化", "{o}操作口诀编写", "{o}培训教具自制"),
}
CATEGORY_MIX = ((Category.COST, 24), (Category.EFFICIENCY, 24), (Category.QUALITY, 16), (Category.SAFETY, 14),
                (Category.ENERGY, 12), (Category.MANAGEMENT, 7), (Category.OTHER, 3))
KIND_MIX = ((Kind.PROPOSAL, 62), (Kind.GOLDEN_IDEA, 16), (Kind.INNOVATION, 8), (Kind.INVENTION, 4),
            (Kind.CREATION, 4), (Kind.DESIGN, 3), (Kind.SUGGESTION, 3))
SOFT = {Category.SAFETY: "消除了作业安全隐患，全年未发生相关事故", Category.MANAGEMENT: "管理流程更清晰，减少了差错",
        Category.QUALITY: "产品一次合格率提高", Category.OTHER: "提升了班组职工的操作技能"}
# The share of each year's proposals that reached at least this state (older proposals are further along).
REACHED = {2025: ((State.ARCHIVED, 0.30), (State.REWARDED, 0.20), (State.ACCOUNTED, 0.05), (State.IMPLEMENTING, 0.04),
                  (State.ADOPTED, 0.02), (State.REJECTED, 0.35), (State.EVALUATING, 0.02), (State.SUBMITTED, 0.02)),
           2026: ((State.ARCHIVED, 0.04), (State.REWARDED, 0.10), (State.ACCOUNTED, 0.06), (State.IMPLEMENTING, 0.12),
                  (State.ADOPTED, 0.08), (State.REJECTED, 0.22), (State.EVALUATING, 0.18), (State.ACCEPTED, 0.08),
                  (State.SUBMITTED, 0.12))}
ADOPTED_LINE = {State.ADOPTED, State.IMPLEMENTING, State.ACCOUNTED, State.REWARDED}


def _pick(rng: random.Random, mix: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([k for k, _w in mix], weights=[w for _k, w in mix])[0]


def _moment(rng: random.Random, year: int, today: datetime.date) -> datetime.datetime:
    end = min(datetime.date(year, 12, 31), today)
    day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange((end - datetime.date(year, 1, 1)).days + 1))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8 + rng.randrange(9), rng.randrange(60))))


def _title(rng: random.Random, category: str) -> str:
    return rng.choice(PATTERNS[category]).format(o=rng.choice(OBJECTS))


def _forecast(rng: random.Random, category: str) -> Decimal:
    if category in (Category.SAFETY, Category.MANAGEMENT, Category.OTHER) and rng.random() < 0.7:
        return Decimal(0)
    # A median of about 1.8万元 and a long tail: 10,000 proposals then account for some 7,000万元 of net benefit a
    # year, as the seeds' cities report (one city: more than 10,000 proposals, 6,900万元).
    return Decimal(int(rng.lognormvariate(9.8, 1.2)) // 100 * 100)


def load(log: Callable[[str], None] = lambda s: None, proposals: int = 30000) -> dict[str, int]:
    """Write the demo's proposals into the demo province (after the org demo)."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    with transaction.atomic():
        users = _personas()
        enterprises = list(Org.objects.filter(kind=OrgKind.GRASSROOTS, tree_people__gte=5, is_active=True)
                           .order_by("-tree_people", "path")[:120])
        workers: dict[int, list[Person]] = {}
        for e in enterprises:
            found = list(Person.objects.filter(employer__path__startswith=e.path).select_related("employer")
                         .order_by("pk")[:WORKERS])
            if found:
                workers[e.pk] = found
        enterprises = [e for e in enterprises if e.pk in workers]
        if not enterprises:
            return {"proposals": 0, "adopted": 0, "rewarded": 0, "projects": 0, "achievements": 0}
        jigang = next((e for e in enterprises if e.code == JIGANG), enterprises[0])
        # Bigger enterprises send more proposals: drawn in proportion to their people (济钢 besides gets every
        # tenth, so the personas' enterprise has work at every step at any scale).
        weights = list(itertools.accumulate(len(workers[e.pk]) for e in enterprises))
        valuator = users["valuator"]
        rows: list[Proposal] = []
        plans: list[tuple[str, datetime.datetime]] = []
        for i in range(proposals):
            year = 2025 if i % 5 < 2 else 2026
            e = jigang if i % 10 == 0 else rng.choices(enterprises, cum_weights=weights)[0]
            person = rng.choice(workers[e.pk])
            category = _pick(rng, CATEGORY_MIX)
            title = _title(rng, category)
            at = _moment(rng, year, today)
            state = _pick(rng, REACHED[year])
            rows.append(Proposal(
                title=title, problem=f"{title.replace('改进', '')}方面长期存在问题：作业效率低、消耗大，影响生产。",
                solution=f"建议{title}：由班组自行设计制作，利用检修时间实施，不影响正常生产。",
                expected_benefit="预计每年可节约费用" if category not in SOFT else SOFT[category],
                category=category, kind=_pick(rng, KIND_MIX), state=state, proposer=person, unit=person.employer,
                enterprise=e, year=year, submitted_at=at,
                decided_at=at + datetime.timedelta(days=20) if state not in (State.SUBMITTED, State.ACCEPTED,
                                                                             State.EVALUATING) else None,
                reason="经评估，现场条件暂不具备实施条件" if state == State.REJECTED else ""))
            plans.append((state, at))
        # Everything a proposal's state implies (its proposers, valuation, benefit, reward) is decided before the
        # proposals are written, so they go in whole: no UPDATE of 30,000 rows afterwards.
        contributors, assignments, benefits, payments = [], [], [], []
        adopted = rewarded = 0
        for p, (state, at) in zip(rows, plans, strict=True):
            co = [c for c in rng.sample(workers[p.enterprise_id], min(2, len(workers[p.enterprise_id])))
                  if c.pk != p.proposer_id][: rng.choice((0, 0, 0, 1, 2))]
            shares = [100 - 20 * len(co)] + [20] * len(co)
            people = [p.proposer, *co]
            contributors += [Contributor(proposal=p, person=x, share=s, is_lead=i == 0)
                             for i, (x, s) in enumerate(zip(people, shares, strict=True))]
            if state == State.SUBMITTED or state == State.ACCEPTED:
                continue
            score = rng.randint(55, 98)
            valued = state != State.EVALUATING or rng.random() < 0.3
            valued_at = at + datetime.timedelta(days=10) if valued else None
            open_at_jigang = state == State.EVALUATING and p.enterprise_id == jigang.pk
            assignments.append(Assignment(
                proposal=p, valuator=valuator if open_at_jigang or p.enterprise_id == jigang.pk else users["jigang"],
                opinion=(Opinion.ADOPT if state != State.REJECTED else Opinion.REJECT) if valued_at else "",
                score=score if valued_at else None, comment="方案可行" if valued_at else "",
                valued_at=None if open_at_jigang else valued_at))
            if state == State.REJECTED or (state == State.ARCHIVED and rng.random() < 0.4) or state == State.EVALUATING:
                continue
            adopted += 1
            p.score = score
            forecast = _forecast(rng, p.category)
            locked = at + datetime.timedelta(days=20)
            b = Benefit(proposal=p, forecast=forecast, forecast_soft=SOFT.get(p.category, ""),
                        forecast_locked_at=locked)
            if state in (State.ACCOUNTED, State.REWARDED, State.ARCHIVED):
                gross = (forecast * Decimal(rng.uniform(0.6, 1.3))).quantize(Decimal(100))
                b.gross, b.cost, b.soft = gross, (gross * Decimal("0.15")).quantize(Decimal(100)), b.forecast_soft
                b.recorded_at = b.signed_off_at = min(locked + datetime.timedelta(days=120), timezone.now())
                b.signed_off_by = users["jigang"]
            benefits.append(b)
            if state in (State.REWARDED, State.ARCHIVED) and b.signed_off_at is not None:
                result = rewards.calculate(rewards.DEFAULT, b.net or Decimal(0), score)
                p.grade, p.reward = result.grade, result.amount
                rewarded += 1
                paid = b.signed_off_at + datetime.timedelta(days=15)
                for x, part in zip(people, rewards.split(result.amount, shares), strict=True):
                    payments.append(RewardPayment(
                        proposal=p, person=x, enterprise_id=p.enterprise_id, amount=part, grade=result.grade,
                        mode=result.mode, year=timezone.localtime(paid).year, voucher=f"JL{p.year}{rewarded:06d}",
                        paid_by=users["jigang"], paid_at=paid))
        bulk_insert(Proposal, rows)
        index_titles((p.pk, p.enterprise_id, p.title) for p in rows)
        log(f"  {len(rows):,} proposals written")
        for model, objs in ((Contributor, contributors), (Assignment, assignments), (Benefit, benefits),
                            (RewardPayment, payments)):
            for obj in objs:  # made before their proposal had its id
                obj.proposal_id = obj.proposal.pk
            bulk_insert(model, objs)
        audit.record_bulk(None, "innovation.proposal.submitted", rows, note="演示数据")
        projects = demo_projects.load([jigang, *[e for e in enterprises if e.pk != jigang.pk]], workers, rows,
                                      users["jigang"], scale=1 if proposals <= 600 else 2)
        calls = demo_calls.load(enterprises, workers, users["jigang"])
        expo = demo_exhibition.load([jigang, *[e for e in enterprises if e.pk != jigang.pk]], workers,
                                    User.objects.filter(username="province_admin").first(), users["jigang"])
        log(f"  the 6·18 exhibition: {expo['offers']} offers, {expo['needs']} needs, {expo['matches']} matches "
            f"({expo['signed']} signed)")
        counters.rebuild()
        log(f"  {adopted:,} adopted, {rewarded:,} rewarded, {projects} innovation projects, "
            f"{calls['achievements']} achievements in calls with {calls['reviews']} reviews; figures rebuilt")
    return {"proposals": len(rows), "adopted": adopted, "rewarded": rewarded, "projects": projects,
            "achievements": calls["achievements"]}


def _personas() -> dict[str, User]:
    """The valuator persona (appointed at 济钢) and the 济钢 cadre as its finance officer and valuator."""
    jigang_org = Org.objects.get(code=JIGANG) if Org.objects.filter(code=JIGANG).exists() else Org.objects.filter(
        kind=OrgKind.GRASSROOTS).order_by("path").first()
    admin = User.objects.filter(username="province_admin").first()
    found: dict[str, User] = {}
    valuator = User.objects.filter(username="valuator").first()
    if valuator is None:
        valuator = User(username="valuator", full_name="评估员 赵工")
        valuator.set_password(DEMO_PASSWORD)
        valuator.save()
    found["valuator"] = valuator
    found["jigang"] = User.objects.filter(username="jigang").first() or valuator
    for user, duty in ((valuator, Duty.VALUATOR), (found["jigang"], Duty.VALUATOR), (found["jigang"], Duty.FINANCE)):
        Appointment.objects.get_or_create(org=jigang_org, user=user, duty=duty, defaults={"appointed_by": admin})
    return found


def wipe() -> None:
    """Delete every innovation row and the valuator persona (before the org demo is wiped)."""
    from gongjiang.orgs.models import Fact

    from . import metrics
    from .models import Attachment, RewardPolicy

    demo_calls.wipe()
    demo_exhibition.wipe()
    demo_projects.wipe()
    for model in (RewardPayment, Attachment, Benefit, Assignment, Contributor, Proposal, RewardPolicy, Appointment):
        model.objects.all().delete()
    Fact.objects.filter(metric__in=metrics.KEYS).delete()  # the figures of the rows just deleted
    User.objects.filter(username__in=[p.username for p in PERSONAS], is_superuser=False).delete()
