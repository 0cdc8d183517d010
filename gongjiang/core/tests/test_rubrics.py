"""The rubric engine, pure: a rubric's definition is checked as a whole (every problem at once), a sheet's score
follows from its answers alone, never exceeds the maximum plus the bonus cap, falls to zero or to the cap when a veto
happens, and never drops when an answer gets better; grades, stars and rankings with ties."""

from __future__ import annotations

import copy
import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjiang.core.rubrics import grades, rubric, scoring
from gongjiang.core.tests.english import _english_messages  # noqa: F401  (the messages matched in English)

D = Decimal
# A city-level rubric as the assessments define them (a copy of gongjiang.assessments.samples: core knows no app).
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
METRICS = ["competitions.held", "innovation.proposals_adopted", "learning.learners"]


def sample() -> rubric.Rubric:
    return rubric.parse(CITY_RUBRIC, metrics=METRICS)


def problems(data: dict) -> list[str]:
    with pytest.raises(rubric.RubricError) as e:
        rubric.parse(data, metrics=METRICS)
    return e.value.problems


def test_the_sample_rubric_is_valid_and_reads_back_the_same():
    r = sample()
    assert r.maximum == 100 and r.base == 10 and r.bonus_cap == 10
    assert [i.key for i in r.leaves()] == ["A1", "A2", "B1", "B2", "C1", "C2", "D1", "E1", "X1", "X2", "V1"]
    assert rubric.parse(rubric.dump(r), metrics=METRICS) == r


def test_every_problem_of_a_rubric_is_reported_at_once():
    data = copy.deepcopy(CITY_RUBRIC)
    data["maximum"] = 120                                  # the items add up to 100
    data["items"][0]["children"][1]["points"] = 12         # A: 22 ≠ 20 (and the total 102)
    data["items"][6]["cap"] = 12                           # a bonus over the bonus cap 10
    del data["items"][7]["reason"]                         # a veto without its reason
    data["items"][2]["children"][0]["metric"] = "x.y"      # no such figure
    found = problems(data)
    assert any("item A:" in p and "22" in p for p in found)
    assert any("declared maximum 120" in p for p in found)
    assert any("item X2" in p and "cap of all bonuses" in p for p in found)
    assert any("item V1" in p and "reason" in p for p in found)
    assert any("x.y" in p for p in found)
    assert len(found) >= 5


@pytest.mark.parametrize("change, words", [
    (lambda d: d["items"][0]["children"][0].update(levels={"优": 9, "良": 8}), "best level gives 9"),
    (lambda d: d["items"][1]["children"][0].update(per_unit=0), "points per unit"),
    (lambda d: d["items"][0]["children"][1].update(mode="stars"), "unknown scoring mode"),
    (lambda d: d["items"][0]["children"].append({"key": "A1", "title": "重复", "mode": "yesno", "points": 0}),
     "used by two items"),
    (lambda d: d.update(grades={"excellent": 80, "good": 90, "pass": 60}), "优秀 above 合格"),
    (lambda d: d.update(grades={"excellent": 80, "good": 70}), "优秀 above 合格"),
    (lambda d: d.update(stars=[60, 70]), "five totals"),
    (lambda d: d["items"][7].update(effect="cap", cap=150), "between 0 and the maximum"),
    (lambda d: d["items"][0].update(points="二十"), "must be a number"),
    (lambda d: d.update(bonus_cap=0), "cap of all bonuses"),
])
def test_a_broken_rubric_is_refused_naming_the_item(change, words):
    data = copy.deepcopy(CITY_RUBRIC)
    change(data)
    assert any(words in p for p in problems(data))


def test_the_definition_must_be_an_object_with_items():
    assert problems([]) and problems({"maximum": 10})


def full_marks() -> dict:
    return {"A1": "优", "A2": True, "B1": D(20), "B2": "优", "C1": D(200), "C2": "优", "D1": D(5000),
            "E1": D(0), "X1": D(0), "X2": D(0), "V1": False}


def test_scoring_modes_base_deductions_bonus_and_veto():
    r = sample()
    s = scoring.score(r, full_marks())
    assert s.total == 100 and s.regular == 90 and s.sections == {"A": 20, "B": 30, "C": 25, "D": 15}
    answers = full_marks() | {"A1": "良", "A2": False, "B1": D(3), "C1": D(25), "D1": D(250)}
    s = scoring.score(r, answers)
    assert s.items["A1"] == 8 and s.items["A2"] == 0 and s.items["B1"] == 3
    assert s.items["C1"] == D("2.5") and s.items["D1"] == D("2.5")
    assert s.total == 10 + 8 + 3 + 15 + D("2.5") + 10 + D("2.5")
    s = scoring.score(r, answers | {"E1": D(9), "X1": D(2), "X2": D(5)})
    assert s.deducted == 5 and s.bonus == 10  # 4 + 6 = 10, and the cap is 10
    assert scoring.score(r, answers | {"V1": True}).total == 0
    assert scoring.score(r, {}).total == 10  # the base score alone


def test_a_capping_veto_caps_and_deductions_never_go_below_zero():
    data = copy.deepcopy(CITY_RUBRIC)
    data["items"][7].update(effect="cap", cap=59)
    r = rubric.parse(data, metrics=METRICS)
    assert scoring.score(r, full_marks() | {"V1": True}).total == 59
    assert scoring.score(r, {"V1": True}).total == 10
    data["base"], data["items"][4]["cap"] = 0, 20
    data["items"][0]["children"][1]["points"] = 20
    data["items"][0]["points"] = 30
    r = rubric.parse(data, metrics=METRICS)
    assert scoring.score(r, {"E1": D(7)}).total == 0


@pytest.mark.parametrize("mode_key, raw, expected", [
    ("A1", "良", "良"), ("A2", "是", True), ("A2", "0", False), ("B1", "3", D(3)), ("B1", "2.50", D("2.5")),
])
def test_answers_are_read_from_what_was_sent(mode_key, raw, expected):
    assert scoring.read_answer(sample().item(mode_key), raw) == (expected, "")


@pytest.mark.parametrize("key, raw, words", [
    ("A1", "特优", "Choose one of the levels"), ("A2", "maybe", "yes or no"), ("B1", "三", "is not a number"),
    ("B1", "-1", "at least 0"), ("B1", "", "Enter a number"), ("B1", "1.234", "two decimals"),
    ("B1", "NaN", "at least 0"), ("A", "1", "section"),
])
def test_bad_answers_are_refused_with_a_message(key, raw, words):
    value, message = scoring.read_answer(sample().item(key), raw)
    assert value is None and words in message


def answers_strategy():
    r = sample()
    parts = {}
    for item in r.leaves():
        if item.mode == rubric.LEVELS:
            parts[item.key] = st.sampled_from([n for n, _p in item.levels] + [None])
        elif item.mode in (rubric.YESNO, rubric.VETO):
            parts[item.key] = st.sampled_from([True, False, None])
        else:
            parts[item.key] = st.one_of(st.none(), st.decimals(min_value=0, max_value=100000, places=2))
    return st.fixed_dictionaries(parts)


@settings(max_examples=300, deadline=None)
@given(answers_strategy())
def test_a_score_stays_within_maximum_plus_bonus_cap_and_is_recomputable(answers):
    r = sample()
    s = scoring.score(r, answers)
    assert 0 <= s.total <= r.maximum + r.bonus_cap
    assert s.bonus <= r.bonus_cap
    assert s.regular <= r.maximum - r.base
    # the record (the answers as stored) gives back the same result
    stored = {k: scoring.encode(v) for k, v in answers.items()}
    assert scoring.score(r, {i.key: scoring.decode(i, stored.get(i.key)) for i in r.leaves()}) == s
    if answers["V1"] is True:
        assert s.total == 0 and s.vetoed


@settings(max_examples=300, deadline=None)
@given(answers_strategy(), st.sampled_from(["A1", "A2", "B1", "B2", "C1", "C2", "D1", "X1", "X2"]),
       st.decimals(min_value=0, max_value=50, places=2))
def test_a_better_answer_never_lowers_the_total_and_a_worse_deduction_never_raises_it(answers, key, more):
    r = sample()
    before = scoring.score(r, answers).total
    better = dict(answers)
    item = r.item(key)
    if item.mode == rubric.LEVELS:
        better[key] = max(item.levels, key=lambda lv: lv[1])[0]
    elif item.mode == rubric.YESNO:
        better[key] = True
    else:
        better[key] = (answers[key] or D(0)) + more
    assert scoring.score(r, better).total >= before
    worse = dict(answers, E1=(answers["E1"] or D(0)) + more)
    assert scoring.score(r, worse).total <= before


@settings(max_examples=200, deadline=None)
@given(answers_strategy(), st.decimals(min_value=1, max_value=99, places=0))
def test_a_capping_veto_never_leaves_more_than_its_cap(answers, cap):
    data = copy.deepcopy(CITY_RUBRIC)
    data["items"][7].update(effect="cap", cap=int(cap))
    r = rubric.parse(data, metrics=METRICS)
    s = scoring.score(r, answers | {"V1": True})
    assert s.total <= cap and s.total == min(scoring.score(r, answers | {"V1": False}).total, cap)


def test_grades_and_stars():
    t = {"excellent": D(90), "good": D(80), "pass": D(60)}
    assert [grades.grade(D(x), t) for x in (95, 90, 85, 60, D("59.99"))] == [
        "excellent", "excellent", "good", "pass", "fail"]
    assert grades.grade(D(99), t, vetoed=True) == "fail"
    assert grades.grade(D(99), {}) == ""
    s = [D(60), D(70), D(80), D(90), D(95)]
    assert [grades.stars(D(x), s) for x in (50, 60, 85, 95, 100)] == [0, 1, 3, 5, 5]
    assert grades.stars(D(100), s, vetoed=True) == 0
    assert grades.star_expiry(datetime.date(2026, 12, 20), 3) == datetime.date(2029, 12, 19)
    assert grades.star_expiry(datetime.date(2028, 2, 29), 1) == datetime.date(2029, 2, 28)


def test_ranking_with_ties():
    assert grades.rank({"a": D(100), "b": D(90), "c": D(90), "d": D(80)}) == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert grades.rank({}) == {}


@given(st.dictionaries(st.integers(0, 30), st.decimals(min_value=0, max_value=110, places=2), max_size=20))
def test_a_higher_total_always_ranks_before_a_lower_one(totals):
    ranks = grades.rank(totals)
    for a in totals:
        for b in totals:
            if totals[a] > totals[b]:
                assert ranks[a] < ranks[b]
            if totals[a] == totals[b]:
                assert ranks[a] == ranks[b]
        assert ranks[a] == 1 + sum(1 for b in totals if totals[b] > totals[a])


def test_the_definition_reads_the_same_in_chinese_names_with_metrics_by_their_labels():
    labels = {"competitions.held": "举办竞赛", "innovation.proposals_adopted": "采纳合理化建议",
              "learning.learners": "学习人数"}
    r = sample()
    chinese = rubric.dump(r, chinese=True, labels=labels)
    assert chinese["满分"] == 100 and chinese["条目"][1]["子项"][0]["平台指标"] == "举办竞赛"
    assert chinese["条目"][7]["方式"] == "否决" and chinese["条目"][7]["否决方式"] == "清零"
    assert chinese["等级线"] == {"优秀": 90, "良好": 80, "合格": 60}
    assert rubric.parse(chinese, metrics=labels) == r
    chinese["条目"][0]["分值"] = 25
    with pytest.raises(rubric.RubricError, match="item A"):
        rubric.parse(chinese, metrics=labels)


# ---------------------------------------------------------------------------------------------
# 打分 (points): the assessor gives 0 … the item's points, one decimal — the studios' yearly assessment

STUDIO: dict[str, Any] = {
    "maximum": 100, "bonus_cap": 10, "grades": {"excellent": 85, "pass": 60},
    "items": [
        {"key": "organisation", "title": "组织管理", "mode": "points", "points": 40, "guide": "有场所、有制度"},
        {"key": "projects", "title": "技术攻关", "mode": "points", "points": "60",
         "evidence": ["innovation.projects", "innovation.proposals"]},
        {"key": "funds", "title": "经费违规使用", "mode": "deduction", "per_unit": 2, "cap": 10},
        {"key": "national", "title": "获国家级荣誉", "mode": "bonus", "per_unit": 5, "cap": 10},
        {"key": "fraud", "title": "弄虚作假", "mode": "veto", "reason": "申报材料弄虚作假的，考核为不合格"},
    ],
}


def studio() -> rubric.Rubric:
    return rubric.parse(STUDIO)


def test_a_points_rubric_with_two_grades_and_evidence_reads_back_the_same():
    r = studio()
    assert r.item("projects").mode == rubric.POINTS and r.item("projects").points == 60
    assert r.item("projects").evidence == ("innovation.projects", "innovation.proposals")
    assert r.grades == {"excellent": 85, "pass": 60}
    assert rubric.parse(rubric.dump(r)) == r
    assert rubric.parse(rubric.dump(r, chinese=True)) == r
    assert rubric.dump(r, chinese=True)["条目"][0]["方式"] == "打分"


@pytest.mark.parametrize("change, words", [
    (lambda d: d["items"][0].update(points="40.25"), "at most one decimal"),
    (lambda d: d["items"][0].update(points=0), "give its points"),
    (lambda d: d["items"][1].update(evidence="innovation.projects"), "its evidence is a list"),
    (lambda d: d["items"][4].update(reason=""), "needs its reason"),
    (lambda d: d.update(grades={"excellent": 85}), "优秀 above 合格"),
    (lambda d: d.update(grades={"excellent": 60, "pass": 85}), "优秀 above 合格"),
])
def test_a_broken_points_rubric_is_refused(change, words):
    data = copy.deepcopy(STUDIO)
    change(data)
    with pytest.raises(rubric.RubricError) as e:
        rubric.parse(data)
    assert any(words in p for p in e.value.problems)


@pytest.mark.parametrize("raw, expected", [("0", D(0)), ("39.5", D("39.5")), (" 40 ", D(40)), (D(12), D(12))])
def test_points_are_read_within_the_items_points(raw, expected):
    assert scoring.read_answer(studio().item("organisation"), raw) == (expected, "")


@pytest.mark.parametrize("raw, words", [
    ("41", "between 0 and 40"), ("-1", "between 0 and 40"), ("39.55", "one decimal"), ("四十", "is not a number"),
    ("", "Enter a number"), (True, "Enter a number"), ("Infinity", "between 0 and 40"),
])
def test_bad_points_are_refused(raw, words):
    value, message = scoring.read_answer(studio().item("organisation"), raw)
    assert value is None and words in message


def test_points_deductions_a_capped_bonus_and_a_veto():
    r = studio()
    s = scoring.score(r, {"organisation": D("35.5"), "projects": D(50)})
    assert s.total == D("85.5") and grades.grade(s.total, r.grades) == "excellent"
    s = scoring.score(r, {"organisation": D(30), "projects": D(40), "funds": D(2), "national": D(3)})
    assert s.deducted == 4 and s.bonus == 10 and s.total == 76
    assert grades.grade(s.total, r.grades) == "pass"  # no 良好 in this rubric
    s = scoring.score(r, {"organisation": D(40), "projects": D(60), "fraud": True})
    assert s.total == 0 and s.vetoes == ("fraud",) and grades.grade(s.total, r.grades, vetoed=True) == "fail"


def studio_answers():
    return st.fixed_dictionaries({
        "organisation": st.one_of(st.none(), st.decimals(min_value=0, max_value=40, places=1)),
        "projects": st.one_of(st.none(), st.decimals(min_value=0, max_value=60, places=1)),
        "funds": st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
        "national": st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2)),
        "fraud": st.sampled_from([True, False, None]),
    })


@settings(max_examples=300, deadline=None)
@given(studio_answers(), st.sampled_from(["organisation", "projects"]),
       st.decimals(min_value=0, max_value=60, places=1))
def test_points_stay_within_bounds_are_recomputable_and_more_never_lowers_the_total(answers, key, more):
    r = studio()
    s = scoring.score(r, answers)
    assert 0 <= s.total <= r.maximum + r.bonus_cap and s.regular <= r.maximum
    assert all(s.items[i.key] <= i.points for i in r.leaves() if i.mode == rubric.POINTS)
    stored = {k: scoring.encode(v) for k, v in answers.items()}
    assert scoring.score(r, {i.key: scoring.decode(i, stored.get(i.key)) for i in r.leaves()}) == s
    item = r.item(key)
    better = dict(answers, **{key: min(item.points, (answers[key] or D(0)) + more)})
    assert scoring.read_answer(item, str(better[key]))[1] == ""
    assert scoring.score(r, better).total >= s.total
    if answers["fraud"] is True:
        assert s.total == 0
