"""The sample rubric the definition form starts from and the demo uses: the yearly assessment of the cities'
economic and technical work (经济技术工作考核实施细则), 100 points with a base of 10, bonuses up to 10, a deduction
and a veto for a serious safety accident."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

CITY_RUBRIC: dict[str, Any] = {
    "maximum": 100,
    "base": 10,
    "bonus_cap": 10,
    "grades": {"excellent": 90, "good": 80, "pass": 60},
    "items": [
        {"key": "A", "title": "组织领导", "points": 20, "children": [
            {"key": "A1", "title": "党政重视，纳入年度工作要点", "mode": "levels", "points": 10,
             "levels": {"优": 10, "良": 8, "中": 6, "差": 2}, "guide": "查阅年度工作要点、会议纪要"},
            {"key": "A2", "title": "建立经济技术工作联席会议制度", "mode": "yesno", "points": 10},
        ]},
        {"key": "B", "title": "劳动和技能竞赛", "points": 30, "children": [
            {"key": "B1", "title": "举办劳动和技能竞赛", "mode": "count", "points": 15, "per_unit": 1,
             "metric": "competitions.held", "guide": "每举办1项得1分，最高15分"},
            {"key": "B2", "title": "竞赛组织规范、覆盖面广", "mode": "levels", "points": 15,
             "levels": {"优": 15, "良": 12, "中": 9, "差": 3}},
        ]},
        {"key": "C", "title": "职工技术创新", "points": 25, "children": [
            {"key": "C1", "title": "合理化建议采纳", "mode": "count", "points": 15, "per_unit": "0.1",
             "metric": "innovation.proposals_adopted", "guide": "每采纳10条得1分，最高15分"},
            {"key": "C2", "title": "劳模和工匠人才创新工作室建设", "mode": "levels", "points": 10,
             "levels": {"优": 10, "良": 8, "中": 6, "差": 2}},
        ]},
        {"key": "D", "title": "职工素质提升", "points": 15, "children": [
            {"key": "D1", "title": "职工线上学习人数", "mode": "count", "points": 15, "per_unit": "0.01",
             "metric": "learning.learners", "guide": "每100人得1分，最高15分"},
        ]},
        {"key": "E1", "title": "报送数据不及时、不准确", "mode": "deduction", "per_unit": 1, "cap": 5,
         "guide": "每次扣1分，最多扣5分"},
        {"key": "X1", "title": "获全国五一劳动奖状、奖章等国家级荣誉", "mode": "bonus", "per_unit": 2, "cap": 6},
        {"key": "X2", "title": "在全国职业技能竞赛中取得优异成绩", "mode": "bonus", "per_unit": 2, "cap": 6},
        {"key": "V1", "title": "发生重大安全生产责任事故", "mode": "veto", "effect": "zero",
         "reason": "本地区发生重大及以上安全生产责任事故的，考核结果为零分、不得评为优秀"},
    ],
}


def city_rubric(metrics: Iterable[str]) -> dict[str, Any]:
    """The sample with the figures the platform does not keep (yet) entered by hand instead."""
    known = set(metrics)
    data = copy.deepcopy(CITY_RUBRIC)

    def strip(items: list[dict[str, Any]]) -> None:
        for item in items:
            if item.get("metric") and item["metric"] not in known:
                del item["metric"]
            strip(item.get("children", []))

    strip(data["items"])
    return data
