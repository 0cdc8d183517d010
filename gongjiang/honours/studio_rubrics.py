"""The default rubric of each kind of studio's yearly assessment (年度考核), installed by a migration: six items of
100 points in all, 优秀 from 85, 合格 from 60 — the shape of the provinces' 劳模(高技能人才)创新工作室管理办法.
Each item names the counted evidence shown beside it (keys of the core evidence registry). Change the points in a
later migration; the assessments issue will replace the form with its rubric engine."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# (code, name, guidance, max points, counted evidence)
ITEMS: tuple[tuple[str, str, str, int, tuple[str, ...]], ...] = (
    ("organisation", "组织管理", "有场所、有制度、有计划、有台账，领办人发挥作用，活动正常开展", 15, ()),
    ("projects", "技术攻关与创新项目", "围绕企业生产经营难题立项攻关，项目完成情况", 25, ("innovation.projects",)),
    ("proposals", "合理化建议与创新成果", "提出合理化建议、取得创新成果、专利和获奖情况",
     20, ("innovation.proposals", "innovation.achievements")),
    ("training", "人才培养", "师带徒、技能培训，带出的徒弟和技能等级提升情况", 20, ()),
    ("benefit", "成果转化与经济效益", "成果推广应用和创造的经济效益", 15, ()),
    ("funding", "经费使用", "创新资金专款专用，使用规范", 5, ()),
)
TEAM_ITEMS: tuple[tuple[str, str, str, int, tuple[str, ...]], ...] = (
    ("organisation", "班组建设", "班组管理制度健全，创新活动有计划有记录", 20, ()),
    ("proposals", "合理化建议与“五小”创新", "人均合理化建议和“五小”成果", 30,
     ("innovation.proposals", "innovation.achievements")),
    ("projects", "技术攻关", "解决生产现场难题的攻关项目", 20, ("innovation.projects",)),
    ("training", "技能提升", "岗位练兵、技能培训和技能等级提升", 20, ()),
    ("benefit", "经济效益", "创新成果创造的经济效益", 10, ()),
)
RUBRICS: tuple[tuple[str, str, tuple[tuple[str, str, str, int, tuple[str, ...]], ...]], ...] = (
    ("model", "劳模创新工作室年度考核表", ITEMS),
    ("skilled", "高技能人才创新工作室年度考核表", ITEMS),
    ("worker", "职工创新工作室年度考核表", ITEMS),
    ("team", "创新型班组年度考核表", TEAM_ITEMS),
)
EXCELLENT, PASSING = Decimal(85), Decimal(60)


def load(rubric_model: Any, item_model: Any) -> None:
    """Install the default rubrics (the models may be the migration's historical ones); existing kinds are kept."""
    for kind, name, items in RUBRICS:
        rubric, made = rubric_model.objects.get_or_create(kind=kind, defaults={
            "name": name, "excellent": EXCELLENT, "passing": PASSING})
        if not made:
            continue
        item_model.objects.bulk_create([
            item_model(rubric=rubric, code=code, name=label, guidance=guidance, max_points=Decimal(points),
                       weight=Decimal(1), evidence=list(evidence), order=i)
            for i, (code, label, guidance, points, evidence) in enumerate(items)])
