"""The default rubric of each kind of studio's yearly assessment (年度考核) as a definition of the rubric engine
(gongjiang.core.rubrics), installed by the migrations: 100 points of 打分 items — the shape of the provinces'
劳模(高技能人才)创新工作室管理办法 — 优秀 from 85, 合格 from 60; a deduction for misused funds, a bonus for national
honours (at most 10 points) and two vetoes (弄虚作假, a serious safety accident: 不合格). Each item names the counted
evidence shown beside it (keys of the core evidence registry). Change a rubric in a later migration."""

from __future__ import annotations

from typing import Any

# (key, title, guide, points, counted evidence)
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
GRADES: dict[str, int] = {"excellent": 85, "pass": 60}
BONUS_CAP = 10
# Outside the 100 points: what every kind's rubric adds (the migration 0008 adds the same to the installed ones).
EXTRA: tuple[dict[str, Any], ...] = (
    {"key": "funds_misused", "title": "经费违规使用", "mode": "deduction", "per_unit": 5, "cap": 10,
     "guide": "创新资金挪作他用，每发现一次扣5分，最多扣10分"},
    {"key": "national_honour", "title": "获国家级荣誉", "mode": "bonus", "per_unit": 5, "cap": 10,
     "guide": "工作室（班组）或其成员当年获全国五一劳动奖状（章）、全国工人先锋号等国家级荣誉，每项加5分，最多加10分"},
    {"key": "fraud", "title": "弄虚作假", "mode": "veto", "effect": "zero",
     "reason": "申报、考核材料弄虚作假的，考核结果为不合格"},
    {"key": "safety", "title": "发生重大安全事故", "mode": "veto", "effect": "zero",
     "reason": "工作室（班组）所在区域发生重大安全生产责任事故的，考核结果为不合格"},
)


def definition(items: tuple[tuple[str, str, str, int, tuple[str, ...]], ...]) -> dict[str, Any]:
    """The engine's definition of a rubric of these 打分 items (and the deduction, bonus and vetoes of EXTRA)."""
    scored = [{"key": key, "title": title, "mode": "points", "points": points, "guide": guide,
               **({"evidence": list(evidence)} if evidence else {})}
              for key, title, guide, points, evidence in items]
    return {"maximum": sum(i[3] for i in items), "base": 0, "bonus_cap": BONUS_CAP, "grades": dict(GRADES),
            "items": [*scored, *(dict(e) for e in EXTRA)]}


def load(rubric_model: Any) -> None:
    """Install the default rubrics (the model may be a migration's historical one); existing kinds are kept."""
    for kind, name, items in RUBRICS:
        rubric_model.objects.get_or_create(kind=kind, defaults={"name": name, "definition": definition(items)})
