"""The exhibition's pure rules: the outcome steps one at a time (a skipped step named), the contract value, the
meeting slots of the exhibition's days and the first free table; and the matching rule — a pair scored by category
and the bigrams it shares, explained by its words in common, never a pair of one enterprise or one matched already,
and for every need its best offers and for every offer its best needs (checked against a brute force)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjiang.innovation.rules import exhibition as rules
from gongjiang.innovation.rules import matching
from gongjiang.innovation.rules.matching import Item

D = Decimal


@pytest.mark.parametrize(("current", "target", "problem"), [
    ("matched", "met", None), ("met", "signed", None), ("signed", "implemented", None),
    ("matched", "closed", None), ("met", "closed", None),
    ("matched", "signed", "skipped"), ("matched", "implemented", "skipped"), ("met", "implemented", "skipped"),
    ("signed", "met", "backwards"), ("met", "met", "same"), ("signed", "closed", "final"),
    ("implemented", "closed", "final"), ("closed", "met", "closed"), ("matched", "won", "unknown"),
])
def test_the_outcome_goes_one_step_at_a_time(current, target, problem):
    assert rules.outcome_problem(current, target) == problem


def test_a_skipped_step_names_what_is_missing():
    assert rules.outcome_missing("matched", "signed") == ["met"]
    assert rules.outcome_missing("matched", "implemented") == ["met", "signed"]
    assert rules.outcome_missing("met", "signed") == []


@pytest.mark.parametrize(("value", "problem"), [
    (None, "missing"), (D(-1), "range"), (D(0), "range"), (D("0.001"), "range"), (D("1e15"), "range"),
    (D("NaN"), "range"), (D("0.01"), None), (D(650000), None)])
def test_a_contract_value_is_above_zero_to_the_fen(value, problem):
    assert rules.value_problem(value) == problem


def test_a_price_may_be_left_to_negotiation_but_not_negative():
    assert rules.price_problem(None) is None and rules.price_problem(D(0)) is None
    assert rules.price_problem(D(-1)) == "range"


def test_slots_cover_each_day_from_start_to_end():
    found = rules.slots(datetime.date(2026, 6, 18), datetime.date(2026, 6, 19), datetime.time(9), datetime.time(11),
                        30)
    assert len(found) == 8 and found[0] == datetime.datetime(2026, 6, 18, 9) and found[-1] == datetime.datetime(
        2026, 6, 19, 10, 30)
    assert rules.slots(datetime.date(2026, 6, 18), datetime.date(2026, 6, 18), datetime.time(9),
                       datetime.time(9, 50), 30) == [datetime.datetime(2026, 6, 18, 9)]  # no half slot at the end
    assert rules.slots(datetime.date(2026, 6, 19), datetime.date(2026, 6, 18), datetime.time(9), datetime.time(17),
                       30) == []


def test_schedule_problems_name_each_field():
    d = datetime.date(2026, 6, 18)
    assert rules.schedule_problems(d, d + datetime.timedelta(days=1), d, datetime.time(9), datetime.time(17), 30,
                                   10) == {}
    assert rules.schedule_problems(d, d - datetime.timedelta(days=1), d + datetime.timedelta(days=1),
                                   datetime.time(17), datetime.time(9), 25, 0) == {
        "ends_on": "order", "registration_deadline": "deadline", "day_end": "order", "slot_minutes": "minutes",
        "tables": "tables"}
    assert rules.schedule_problems(d, d + datetime.timedelta(days=9), d, datetime.time(9), datetime.time(17), 30,
                                   True)["ends_on"] == "long"


def test_the_first_free_table():
    assert rules.free_table(3, set()) == 1
    assert rules.free_table(3, {1, 3}) == 2
    assert rules.free_table(2, {1, 2}) is None


def test_the_states_of_an_exhibition_follow_each_other():
    assert [rules.expo_next(s) for s in rules.EXPO_ORDER] == ["open", "held", "closed", None]


# ---------------------------------------------------------------------------------------------
# Matching

OFFER = Item(1, 10, "energy", "转炉煤气余热发电技术", "利用转炉煤气余热发电，吨钢回收电量提高30%。")
NEED = Item(2, 20, "energy", "加热炉余热发电改造", "加热炉烟气温度高，余热未回收，希望引进余热发电技术降低能耗。")
OTHER = Item(3, 30, "safety", "有限空间作业气体监测", "有限空间作业前检测有毒气体，报警联锁。")


def test_a_pair_is_scored_by_category_and_shared_words_and_explained():
    s = matching.score(OFFER, NEED)
    assert s.same_category and s.score > matching.THRESHOLD
    assert s.words[0] == "余热发电技术" and "技术" not in s.words  # a stop bigram alone is no word
    unrelated = matching.score(OFFER, OTHER)
    assert not unrelated.same_category and unrelated.score < matching.THRESHOLD and unrelated.words == ()


def test_words_in_common_are_whole_runs_none_inside_another():
    assert matching.common_words("除尘滤袋寿命提升成套装置", "除尘滤袋寿命提升难题攻关") == ("除尘滤袋寿命提升",)
    assert matching.common_words("余热发电技术", "余热发电技术引进") == ("余热发电技术",)
    assert matching.common_words("abc", "xyz") == ()


def test_a_shared_category_alone_is_no_suggestion():
    a = Item(1, 10, "energy", "空压机联控", "")
    b = Item(2, 20, "energy", "蒸汽管网保温", "")
    assert matching.suggest([a], [b]) == []


def test_no_pair_of_one_enterprise_and_none_matched_already():
    same = Item(4, 20, "energy", "余热发电技术", "余热发电")
    found = matching.suggest([OFFER, same], [NEED])
    assert [(s.offer, s.need) for s in found] == [(1, 2)]
    assert matching.suggest([OFFER], [NEED], exclude=[(1, 2)]) == []


WORDS = ("余热发电", "煤气回收", "焊接机器人", "智能巡检", "轴承国产化", "液压泄漏", "除尘滤袋", "变频节能")
items = st.builds(lambda key, ent, cat, w1, w2: (key, ent, cat, w1 + w2),
                  st.integers(0, 10**6), st.integers(1, 4), st.sampled_from(["energy", "cost", "safety"]),
                  st.sampled_from(WORDS), st.sampled_from(WORDS))


@settings(max_examples=60, deadline=None)
@given(st.lists(items, min_size=1, max_size=12, unique_by=lambda x: x[0]),
       st.lists(items, min_size=1, max_size=12, unique_by=lambda x: x[0]), st.integers(1, 3))
def test_suggestions_are_the_best_k_per_need_and_per_offer(offers, needs, k):
    os_ = [Item(key, ent, cat, title) for key, ent, cat, title in offers]
    ns = [Item(key, ent, cat, title) for key, ent, cat, title in needs]
    found = {(s.offer, s.need): s.score for s in matching.suggest(os_, ns, k=k)}
    scored = {(o.key, n.key): matching.score(o, n).score for o in os_ for n in ns if o.enterprise != n.enterprise}
    eligible = {pair: v for pair, v in scored.items() if v >= matching.THRESHOLD}
    assert set(found) <= set(eligible)
    for pair, value in found.items():
        assert value == pytest.approx(eligible[pair])
    for pair, value in eligible.items():
        if pair in found:
            continue
        # left out only when both its need and its offer have k suggestions at least as good
        better_for_need = [v for (o, n), v in found.items() if n == pair[1] and v >= value]
        better_for_offer = [v for (o, n), v in found.items() if o == pair[0] and v >= value]
        assert len(better_for_need) >= k and len(better_for_offer) >= k, pair
