"""The pure rules of proposals: the workflow, the rewards, the attachments and the near-duplicate detection —
unit tests that read as the policy, and hypothesis properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjiang.innovation.rules import attachments, rewards, similarity, workflow

D = Decimal

# ---------------------------------------------------------------------------------------------
# Workflow


def test_the_main_line_is_a_walk_through_the_machine():
    assert workflow.is_path(list(workflow.ORDER))
    assert workflow.is_path(["submitted", "rejected", "archived"])  # 不予受理
    assert workflow.is_path(["submitted", "accepted", "evaluating", "rejected", "archived"])  # 不采纳


@pytest.mark.parametrize(("current", "target", "missing"), [
    ("submitted", "adopted", ["accepted", "evaluating"]),
    ("accepted", "adopted", ["evaluating"]),
    ("adopted", "accounted", ["implementing"]),
    ("implementing", "rewarded", ["accounted"]),
    ("submitted", "archived", ["accepted", "evaluating", "adopted", "implementing", "accounted", "rewarded"]),
])
def test_a_skipped_stage_is_named(current, target, missing):
    assert not workflow.allowed(current, target)
    assert workflow.missing_steps(current, target) == missing


def test_nothing_leaves_the_archive_and_nothing_goes_back():
    assert workflow.next_states("archived") == frozenset()
    for i, state in enumerate(workflow.ORDER):
        for earlier in workflow.ORDER[:i]:
            assert not workflow.allowed(state, earlier)


@given(st.lists(st.sampled_from([*workflow.TRANSITIONS]), min_size=2, max_size=12))
def test_every_walk_moves_forwards_on_the_main_line(states):
    if workflow.is_path(states):
        indexes = [workflow.stage_index(s) for s in states]
        assert indexes == sorted(indexes) and len(set(indexes)) == len(indexes)


@given(st.sampled_from([*workflow.TRANSITIONS]), st.sampled_from([*workflow.TRANSITIONS]))
def test_a_move_is_allowed_or_refused_never_both(current, target):
    if workflow.allowed(current, target):
        assert workflow.missing_steps(current, target) == []


# ---------------------------------------------------------------------------------------------
# Rewards


def test_a_proposal_with_hard_benefit_earns_a_share_graded_by_the_benefit():
    r = rewards.calculate(rewards.DEFAULT, D(220000), 86)
    assert (r.mode, r.grade, r.amount, r.capped) == ("share", 2, D("11000.00"), False)  # 5 % of 22万, 二等


def test_the_share_is_capped():
    r = rewards.calculate(rewards.DEFAULT, D(5000000), None)
    assert (r.grade, r.amount, r.capped) == (1, D("50000.00"), True)


def test_a_soft_benefit_earns_the_grades_points_times_the_amount_per_point():
    assert rewards.calculate(rewards.DEFAULT, D(0), 91).amount == D("2000.00")  # 一等: 20 points × 100
    assert rewards.calculate(rewards.DEFAULT, D(0), 75).grade == 3
    low = rewards.calculate(rewards.DEFAULT, D(0), 40)
    assert (low.grade, low.amount) == (0, D("100.00"))  # an encouragement
    assert rewards.calculate(rewards.DEFAULT, D(-500), None).mode == "points"


def test_a_policy_with_tiers_out_of_order_is_refused():
    bad = rewards.Policy(benefit_tiers=(D(100), D(500), D(10)), score_tiers=(90, 90, 70), share_percent=D(120))
    assert rewards.policy_problems(bad) == {"share_percent": "range", "benefit_tiers": "order", "score_tiers": "order"}
    assert rewards.policy_problems(rewards.DEFAULT) == {}


def test_the_split_follows_the_shares_to_the_fen():
    assert rewards.split(D("100.00"), [60, 20, 20]) == [D("60.00"), D("20.00"), D("20.00")]
    assert rewards.split(D("100.00"), [1, 1, 1]) == [D("33.34"), D("33.33"), D("33.33")]
    with pytest.raises(ValueError):
        rewards.split(D(10), [0, 0])


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(amounts, st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=8).filter(lambda s: sum(s) > 0))
def test_the_parts_add_up_and_stay_within_a_fen_of_their_share(amount, shares):
    parts = rewards.split(amount, shares)
    assert sum(parts) == amount
    for part, share in zip(parts, shares, strict=True):
        assert abs(part - amount * share / sum(shares)) < D("0.01")


@settings(max_examples=200)
@given(amounts, amounts, st.integers(min_value=0, max_value=100))
def test_more_benefit_never_earns_less_and_nothing_exceeds_the_cap(a, b, score):
    low, high = sorted([a, b])
    r_low, r_high = rewards.calculate(rewards.DEFAULT, low, score), rewards.calculate(rewards.DEFAULT, high, score)
    assert r_high.amount <= rewards.DEFAULT.cap and r_low.amount <= rewards.DEFAULT.cap
    if low > 0:
        assert r_high.amount >= r_low.amount
        assert r_high.grade == 0 or r_low.grade == 0 or r_high.grade <= r_low.grade


def test_wan_and_the_mean_score():
    assert rewards.wan(D(69000000)) == D("6900.0000")
    assert rewards.mean_score([80, 85, 86]) == 84 and rewards.mean_score([]) is None


# ---------------------------------------------------------------------------------------------
# Attachments


@pytest.mark.parametrize(("name", "size", "head", "problem"), [
    ("图纸.pdf", 1000, b"%PDF-1.7", None),
    ("现场.JPG", 2_000_000, b"\xff\xd8\xff\xe0", None),
    ("方案.docx", 30_000, b"PK\x03\x04", None),
    ("病毒.exe", 1000, b"MZ\x90\x00", "type"),
    ("改名.pdf", 1000, b"MZ\x90\x00", "type"),  # an executable renamed
    ("无后缀", 1000, b"%PDF-", "type"),
    ("大.pdf", attachments.MAX_BYTES + 1, b"%PDF-", "size"),
    ("空.pdf", 0, b"%PDF-", "size"),
])
def test_files_are_checked_by_extension_content_and_size(name, size, head, problem):
    assert attachments.problem(name, size, head) == problem


# ---------------------------------------------------------------------------------------------
# Similarity

# A labelled sample (made for this test): pairs a valuator would call the same idea (1) or different ideas (0).
SAMPLE = [
    ("改进炼钢转炉氧枪喷头延长使用寿命", "转炉氧枪喷头改进以延长寿命", 1),
    ("降低焊丝损耗的焊接工艺改进", "减少焊丝浪费改进焊接工艺", 1),
    ("皮带输送机托辊更换工具", "皮带机托辊快速更换专用工具", 1),
    ("空压机余热回收用于职工浴室", "回收空压机余热供应浴室热水", 1),
    ("行车钢丝绳自动润滑装置", "天车钢丝绳自动润滑装置的制作", 1),
    ("数控车床刀架快速对刀方法", "数控车床快速对刀的方法", 1),
    ("循环水泵机械密封改进", "循环水泵机械密封泄漏的改进", 1),
    ("配电柜散热风扇加装温控", "配电柜风扇温控改造", 1),
    ("改进炼钢转炉氧枪喷头延长使用寿命", "食堂排队取餐流程优化", 0),
    ("皮带输送机托辊更换工具", "行车钢丝绳润滑装置", 0),
    ("降低焊丝损耗的焊接工艺改进", "焊接烟尘收集装置改进", 0),
    ("空压机余热回收用于职工浴室", "空压机进气滤芯国产化", 0),
    ("数控车床刀架快速对刀方法", "仓库货架标识可视化", 0),
    ("循环水泵机械密封改进", "冷却塔风机变频改造", 0),
    ("配电柜散热风扇加装温控", "变压器巡检路线优化", 0),
    ("高炉风口小套寿命提高", "叉车充电区安全防护", 0),
    ("液压站油路清洗方法改进", "模具冷却水路结垢清理", 0),
    ("安全帽佩戴检查看板", "交接班记录信息化", 0),
]


def test_precision_and_recall_on_the_labelled_sample():
    flagged = [(a, b, label) for a, b, label in SAMPLE if similarity.similarity(a, "", b, "") >= similarity.THRESHOLD]
    true_positives = sum(label for _a, _b, label in flagged)
    precision = true_positives / len(flagged)
    recall = true_positives / sum(label for _a, _b, label in SAMPLE)
    assert precision >= 0.85, flagged
    assert recall >= 0.75


def test_the_most_similar_comes_first():
    candidates = [(1, "食堂排队取餐流程优化", ""), (2, "转炉氧枪喷头寿命提高", ""),
                  (3, "改进炼钢转炉氧枪喷头延长使用寿命", "")]
    ranked = similarity.rank("改进转炉氧枪喷头延长使用寿命", "", candidates)
    assert [k for k, _s in ranked] == [3, 2]


def test_full_width_and_punctuation_do_not_matter():
    assert similarity.similarity("ＰＬＣ控制柜改造！", "", "plc控制柜改造", "") == 1.0
    assert similarity.grams("") == frozenset()
    assert similarity.probe_grams("建议") == []


chinese = st.text(alphabet="转炉氧枪喷头皮带输送机托辊焊丝改进提高降低寿命工具节能ABC123 ，。", min_size=0, max_size=30)


@given(chinese, chinese)
def test_similarity_is_symmetric_and_between_zero_and_one(a, b):
    s = similarity.similarity(a, "", b, "")
    assert 0.0 <= s <= 1.0
    assert s == similarity.similarity(b, "", a, "")


@given(chinese)
def test_a_text_is_fully_similar_to_itself(a):
    if similarity.profile(a)[0]:
        assert similarity.similarity(a, "", a, "") == 1.0


@given(chinese)
def test_probes_are_bigrams_of_the_text(a):
    norm = similarity.normalise(a)
    probes = similarity.probe_grams(a)
    assert len(probes) <= 6 and all(p in norm and len(p) == 2 for p in probes)


@given(chinese)
def test_index_keys_are_the_title_bigrams_and_a_lookup_asks_for_some_of_them(a):
    keys = similarity.title_codes(a)
    assert keys == {similarity.code(g) for g in similarity.grams(a) if not g.isdigit()}
    assert set(similarity.probe_codes(a)) <= keys or len(a) < 6  # a short title probes with its text too


def test_index_keys_do_not_collide_between_bigrams_single_characters_and_longer_texts():
    assert similarity.code("氧枪") != similarity.code("枪氧")
    assert len({similarity.code(g) for g in ("氧", "枪", "氧枪", "建议")}) == 4
    assert similarity.code("建议") < similarity.code("建议建议")  # a long text's hash lies above every bigram
    assert similarity.code("ab") == ord("a") * 0x110000 + ord("b")
