"""The demo's innovation projects (攻关课题): in the demo province's largest enterprises, held by teams, studios and the
enterprises' unions, at every stage from 问题查找 to 推广转化 and a few stopped, about a third started from an adopted
proposal; each with its stage decisions (dated over 2025–2026, with reasons), members (one leader), milestones
(some overdue), the subsidy requested and granted and what was spent of it. Deterministic (its own seed); the yearly
figures are rebuilt from the decisions by `counters.rebuild()` afterwards (demo.load)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from gongjiang.core import audit
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User

from .choices import Holder, ProjectRole, Stage
from .models import Milestone, Project, ProjectMember, Proposal, Spending, StageDecision
from .rules import projects as rules

SEED = 619
TOPICS = ("高炉炉况智能诊断", "连铸坯表面裂纹攻关", "转炉煤气回收率提升", "轧机主传动振动治理", "焊接机器人工装研制",
          "数控机床热变形补偿", "余热发电效率提升", "智能巡检机器人应用", "钢包耐材寿命提升", "除尘系统节能改造",
          "液压系统泄漏治理", "精密轴承国产化替代", "冷轧板形控制优化", "设备预测性维护平台", "危化品装卸安全联锁")
REASONS = {
    Stage.APPROVED: "问题调研清楚，攻关目标明确，同意立项",
    Stage.TACKLING: "实施方案经专家论证可行，进入攻关",
    Stage.TRIAL: "样机研制完成，具备现场试验条件",
    Stage.IMPROVING: "试验暴露出的问题已明确，转入改进提升",
    Stage.APPRAISED: "改进后连续运行三个月指标稳定，申请鉴定",
    Stage.TRANSFERRED: "鉴定结论为国内先进水平，同意推广应用",
    Stage.STOPPED: "技术路线不可行，经研究决定中止",
}
MILESTONES = ("完成现场调研", "完成方案论证", "样机试制", "现场试验", "编制鉴定材料")
# How many demo projects sit at each stage (several at each; two stopped).
PLAN = ((Stage.FINDING, 4), (Stage.APPROVED, 4), (Stage.TACKLING, 5), (Stage.TRIAL, 4), (Stage.IMPROVING, 3),
        (Stage.APPRAISED, 3), (Stage.TRANSFERRED, 4), (Stage.STOPPED, 2))


def load(enterprises: list[Org], workers: dict[int, list[Person]], proposals: list[Proposal], cadre: User | None,
         scale: int = 1) -> int:
    """Write the demo projects (`scale` × PLAN) for these enterprises and their workers; returns how many."""
    rng = random.Random(SEED)
    now = timezone.now()
    adopted = [p for p in proposals if p.state in ("implementing", "accounted", "rewarded")]
    by_enterprise: dict[int, list[Proposal]] = {}
    for p in adopted:
        by_enterprise.setdefault(p.enterprise_id, []).append(p)
    plan = [stage for stage, n in PLAN for _i in range(n * scale)]
    projects: list[Project] = []
    paths: list[list[tuple[str, datetime.datetime]]] = []
    for i, stage in enumerate(plan):
        e = enterprises[i % min(len(enterprises), 8)]
        people = workers[e.pk]
        leader = people[i % len(people)]
        holder = (Holder.TEAM, Holder.STUDIO, Holder.ENTERPRISE)[i % 3]
        org = leader.employer if holder == Holder.TEAM and leader.employer.kind == OrgKind.TEAM else e
        if holder == Holder.TEAM and org.kind != OrgKind.TEAM:
            holder = Holder.ENTERPRISE
        source = by_enterprise.get(e.pk, [])
        proposal = source[i % len(source)] if source and i % 3 == 0 else None
        stages = rules.reached(stage) if stage != Stage.STOPPED else [*rules.reached(Stage.TACKLING), Stage.STOPPED]
        start = now - datetime.timedelta(days=40 * len(stages) + rng.randrange(60))
        moments = [start + datetime.timedelta(days=40 * k + rng.randrange(20)) for k in range(len(stages))]
        title = proposal.title + "攻关" if proposal else f"{TOPICS[i % len(TOPICS)]}"
        requested = Decimal(rng.randrange(5, 60) * 1000)
        granted = requested if stage not in (Stage.FINDING,) else None
        projects.append(Project(
            title=title, problem=f"{title}：现有工艺存在瓶颈，影响质量和效率，需组织技术骨干集中攻关。",
            goal="形成可推广的技术成果，年创效益50万元以上", holder=holder,
            studio_name=f"{leader.name}劳模创新工作室" if holder == Holder.STUDIO else "", org=org, enterprise=e,
            proposal=proposal, stage=stage, progress=min(100, 15 * (len(stages) - 1) + rng.randrange(10)),
            year=timezone.localtime(moments[0]).year, requested=requested, granted=granted, created_by=cadre,
            created_at=moments[0]))
        paths.append(list(zip(stages, moments, strict=True)))
    Project.objects.bulk_create(projects)
    decisions, members, milestones, spendings = [], [], [], []
    for i, (p, path) in enumerate(zip(projects, paths, strict=True)):
        previous = ""
        for stage, at in path:
            decisions.append(StageDecision(project=p, from_stage=previous, stage=stage,
                                           reason=REASONS.get(stage, ""), decided_by=cadre, decided_at=at))
            previous = stage
        people = workers[p.enterprise_id]
        leader = people[i % len(people)]
        team = [leader, *[x for x in rng.sample(people, min(4, len(people))) if x.pk != leader.pk][:3]]
        members += [ProjectMember(project=p, person=x, role=ProjectRole.LEADER if k == 0 else
                                  ProjectRole.CORE if k == 1 else ProjectRole.MEMBER) for k, x in enumerate(team)]
        start = timezone.localtime(path[0][1]).date()
        for k, title in enumerate(MILESTONES[: 2 + i % 3]):
            due = start + datetime.timedelta(days=60 * (k + 1))
            done = due - datetime.timedelta(days=3) if k < len(path) - 1 and due < timezone.localdate() else None
            milestones.append(Milestone(project=p, title=title, due=due, done_on=done))
        if p.granted:
            left = p.granted
            for k in range(min(len(path) - 1, 3)):
                amount = (left * Decimal("0.3")).quantize(Decimal(1))
                left -= amount
                spendings.append(Spending(project=p, spent_on=start + datetime.timedelta(days=30 * (k + 1)),
                                          amount=amount, purpose=("材料采购", "试验检测费", "外协加工")[k],
                                          recorded_by=cadre))
            p.spent = p.granted - left
    StageDecision.objects.bulk_create(decisions)
    ProjectMember.objects.bulk_create(members)
    Milestone.objects.bulk_create(milestones)
    Spending.objects.bulk_create(spendings)
    Project.objects.bulk_update([p for p in projects if p.spent], ["spent"])
    audit.record_bulk(None, "innovation.project.created", projects, note="演示数据")
    return len(projects)


def wipe() -> None:
    """Delete the demo's projects (before the proposals they started from)."""
    for model in (Spending, Milestone, ProjectMember, StageDecision, Project):
        model.objects.all().delete()
