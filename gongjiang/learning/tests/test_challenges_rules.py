"""The challenges' pure rules as specifications: unlocking, points once per level and once per practice day,
badges, streaks."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.learning.rules import challenges as rules

from .challenge_factories import chinese  # noqa: F401  (fixture: the messages in Chinese)

numbers = st.lists(st.integers(1, 30), min_size=1, max_size=12, unique=True)
days = st.lists(st.dates(datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)), max_size=60)

pytestmark = pytest.mark.usefixtures("chinese")


def test_a_new_learner_sees_the_first_level_open_and_the_rest_locked():
    assert rules.states([1, 2, 3], []) == {1: "open", 2: "locked", 3: "locked"}


def test_clearing_a_level_opens_the_next_only():
    assert rules.states([1, 2, 3], [1]) == {1: "cleared", 2: "open", 3: "locked"}
    assert rules.states([1, 2, 3], [1, 2, 3]) == {1: "cleared", 2: "cleared", 3: "cleared"}


@given(numbers, st.data())
def test_exactly_the_first_uncleared_level_after_a_cleared_prefix_is_open(nums, data):
    ordered = sorted(nums)
    k = data.draw(st.integers(0, len(ordered)))
    cleared = ordered[:k]
    found = rules.states(nums, cleared)
    assert [n for n, s in found.items() if s == "cleared"] == cleared
    opened = [n for n, s in found.items() if s == "open"]
    assert opened == ordered[k:k + 1]
    assert all(s == "locked" for n, s in found.items() if n in ordered[k + 1:])


@given(numbers, st.data())
def test_a_level_is_open_exactly_when_it_is_first_or_its_predecessor_is_cleared(nums, data):
    cleared = data.draw(st.sets(st.sampled_from(nums)))
    for n in nums:
        before = rules.previous(nums, n)
        expected = n in cleared or before is None or before in cleared
        assert rules.is_open(nums, cleared, n) == expected


@given(st.dictionaries(st.integers(1, 50), st.integers(0, 100), min_size=1), st.data())
def test_a_level_earns_its_points_once_however_often_it_is_cleared(points, data):
    cleared = data.draw(st.lists(st.sampled_from(sorted(points)), max_size=30))
    assert rules.level_points(points, cleared) == sum(points[k] for k in set(cleared))
    assert rules.level_points(points, cleared + cleared) == rules.level_points(points, cleared)


@given(days)
def test_practice_counts_once_a_day(found):
    assert rules.practice_points(found) == rules.PRACTICE_POINTS * len(set(found))
    assert rules.practice_points(found + found) == rules.practice_points(found)


def test_the_challenge_badge_needs_every_level():
    levels = [rules.LevelBadge(1, "新手"), rules.LevelBadge(2, ""), rules.LevelBadge(3, "能手")]
    assert rules.badges(levels, "达人", [1]) == ["新手"]
    assert rules.badges(levels, "达人", [1, 2]) == ["新手"]
    assert rules.badges(levels, "达人", [1, 2, 3]) == ["新手", "能手", "达人"]
    assert rules.badges([], "达人", []) == []


@given(st.lists(st.integers(1, 20), min_size=1, max_size=8, unique=True), st.data())
def test_the_challenge_badge_is_earned_exactly_when_all_levels_are_cleared(ids, data):
    cleared = data.draw(st.sets(st.sampled_from(ids)))
    levels = [rules.LevelBadge(i, "") for i in ids]
    assert ("达人" in rules.badges(levels, "达人", cleared)) == (cleared == set(ids))


def test_a_streak_counts_back_from_today_or_yesterday():
    today = datetime.date(2026, 12, 7)
    run = [today - datetime.timedelta(days=i) for i in range(1, 8)]  # seven days up to yesterday
    assert rules.streak(run, today) == 7
    assert rules.streak([*run, today], today) == 8
    assert rules.streak(run[1:], today) == 0  # missed yesterday and today
    assert rules.streak_badges(run) == ["连续3天", "连续7天"]


@given(days, st.dates(datetime.date(2025, 1, 1), datetime.date(2026, 12, 31)))
def test_the_current_streak_never_exceeds_the_longest_and_both_are_runs_of_practice_days(found, today):
    current = rules.streak(found, today)
    assert 0 <= current <= rules.longest(found) <= len(set(found))
    end = today if today in found else today - datetime.timedelta(days=1)
    assert all(end - datetime.timedelta(days=i) in found for i in range(current))


@given(days)
def test_streak_badges_follow_the_longest_run(found):
    best = rules.longest(found)
    assert len(rules.streak_badges(found)) == sum(1 for n in rules.STREAKS if best >= n)
