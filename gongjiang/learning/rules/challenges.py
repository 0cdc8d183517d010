"""Level challenges (闯关) and daily practice, pure: which levels are open given the cleared ones (`states`), the
points a learner has earned (`level_points`: a level's points once, on its first clearing; `practice_points`: one
day's practice counts once), the badges (`badges`: a level's own badge when cleared, the challenge's when every level
is; `streak_badges`: 连续3天, 连续7天… of daily practice) and the streak of practice days (`streak`, `longest`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

LOCKED, OPEN, CLEARED = "locked", "open", "cleared"
PRACTICE_POINTS = 2  # one day's practice, counted once a day however many are taken
PRACTICE_QUESTIONS = 10  # 每日一练: questions per practice
PRACTICE_SECONDS = 600
MISTAKE_QUESTIONS = 20  # at most per wrong-answer practice
MISTAKE_SECONDS = 900
STREAKS = (3, 7, 30, 100)  # days in a row that earn a badge


def states(numbers: Sequence[int], cleared: Iterable[int]) -> dict[int, str]:
    """The state of each level (by number): cleared when cleared, open when it is the first or the level before it
    (in number order) is cleared, locked otherwise."""
    done = set(cleared)
    found: dict[int, str] = {}
    previous: int | None = None
    for n in sorted(numbers):
        if n in done:
            found[n] = CLEARED
        elif previous is None or previous in done:
            found[n] = OPEN
        else:
            found[n] = LOCKED
        previous = n
    return found


def is_open(numbers: Sequence[int], cleared: Iterable[int], number: int) -> bool:
    """Whether a learner may enter the level `number` (an open or a cleared level: a cleared one may be replayed)."""
    return states(numbers, cleared).get(number, LOCKED) != LOCKED


def previous(numbers: Sequence[int], number: int) -> int | None:
    """The number of the level before `number`, None for the first."""
    before = [n for n in numbers if n < number]
    return max(before) if before else None


def level_points(points: Mapping[int, int], cleared: Iterable[int]) -> int:
    """The points of the cleared levels (level id → its points), each level counted once whatever the attempts."""
    return sum(points.get(level, 0) for level in set(cleared))


def practice_points(days: Iterable[datetime.date]) -> int:
    """Points of daily practice: `PRACTICE_POINTS` for each day practised, counted once a day."""
    return PRACTICE_POINTS * len(set(days))


@dataclass(frozen=True)
class LevelBadge:
    level: int  # the level's id
    badge: str


def badges(levels: Sequence[LevelBadge], challenge_badge: str, cleared: Iterable[int]) -> list[str]:
    """The badges earned in one challenge: each cleared level's own badge (in level order), then the challenge's
    badge when every level (at least one) is cleared."""
    done = set(cleared)
    earned = [lv.badge for lv in levels if lv.badge and lv.level in done]
    if challenge_badge and levels and all(lv.level in done for lv in levels):
        earned.append(challenge_badge)
    return earned


def streak(days: Iterable[datetime.date], today: datetime.date) -> int:
    """The current run of practice days: the consecutive days ending today, or yesterday while today's practice is
    still to come (0 when the learner missed yesterday and today)."""
    done = set(days)
    day = today if today in done else today - datetime.timedelta(days=1)
    n = 0
    while day in done:
        n += 1
        day -= datetime.timedelta(days=1)
    return n


def longest(days: Iterable[datetime.date]) -> int:
    """The longest run of consecutive practice days ever."""
    done = sorted(set(days))
    best = run = 0
    for i, day in enumerate(done):
        run = run + 1 if i and (day - done[i - 1]).days == 1 else 1
        best = max(best, run)
    return best


def streak_badge(n: int) -> str:
    return _("%(n)d days in a row") % {"n": n}


def streak_badges(days: Iterable[datetime.date]) -> list[str]:
    """The streak badges earned (连续3天, 连续7天…): one for each threshold the longest run reached."""
    best = longest(days)
    return [streak_badge(n) for n in STREAKS if best >= n]
