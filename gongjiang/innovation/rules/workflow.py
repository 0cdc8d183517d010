"""The proposal's life: 提交 → 受理 → 评估 → 采纳 / 不采纳 → 实施 → 效益核算 → 奖励 → 归档.

Each transition is one verb; a verb asks `check(current, target)` before it changes anything, so no stage can be
skipped (a proposal is never adopted before it was evaluated, never rewarded before its benefit was accounted).
Not accepting a proposal at all (不予受理) is a refusal from "submitted", with a reason like any other."""

from __future__ import annotations

from itertools import pairwise
from typing import Final

SUBMITTED: Final = "submitted"
ACCEPTED: Final = "accepted"
EVALUATING: Final = "evaluating"
ADOPTED: Final = "adopted"
REJECTED: Final = "rejected"
IMPLEMENTING: Final = "implementing"
ACCOUNTED: Final = "accounted"
REWARDED: Final = "rewarded"
ARCHIVED: Final = "archived"

ORDER: Final = (SUBMITTED, ACCEPTED, EVALUATING, ADOPTED, IMPLEMENTING, ACCOUNTED, REWARDED, ARCHIVED)

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    SUBMITTED: frozenset({ACCEPTED, REJECTED}),
    ACCEPTED: frozenset({EVALUATING}),
    EVALUATING: frozenset({ADOPTED, REJECTED}),
    ADOPTED: frozenset({IMPLEMENTING}),
    IMPLEMENTING: frozenset({ACCOUNTED}),
    ACCOUNTED: frozenset({REWARDED, ARCHIVED}),
    REWARDED: frozenset({ARCHIVED}),
    REJECTED: frozenset({ARCHIVED}),
    ARCHIVED: frozenset(),
}

# States in which the proposal is still open to the valuators (assignments, valuations).
VALUATION_OPEN: Final = frozenset({ACCEPTED, EVALUATING})
# States after adoption: the forecast is locked.
FORECAST_LOCKED: Final = frozenset({ADOPTED, IMPLEMENTING, ACCOUNTED, REWARDED})
# States counted as adopted in the year's figures.
ADOPTED_STATES: Final = frozenset({ADOPTED, IMPLEMENTING, ACCOUNTED, REWARDED})


def allowed(current: str, target: str) -> bool:
    """Whether a proposal in `current` may move to `target` in one step."""
    return target in TRANSITIONS.get(current, frozenset())


def next_states(current: str) -> frozenset[str]:
    return TRANSITIONS.get(current, frozenset())


def is_path(states: list[str]) -> bool:
    """Whether `states` is a walk through the machine from its first state, each step allowed."""
    return all(allowed(a, b) for a, b in pairwise(states))


def stage_index(state: str) -> int:
    """The position of a state on the main line (不采纳 sits with 采纳)."""
    return ORDER.index(ADOPTED if state == REJECTED else state)


def missing_steps(current: str, target: str) -> list[str]:
    """The states on the main line between `current` and `target` that a direct move would skip ([] when the move
    is allowed, or does not go forwards)."""
    if allowed(current, target) or current not in TRANSITIONS or target not in TRANSITIONS:
        return []
    start, end = stage_index(current), stage_index(target)
    return list(ORDER[start + 1:end]) if end > start + 1 else []
