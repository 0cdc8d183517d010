"""Rights cases (维权案件): the steps a case goes through, which moves are allowed, the deadline of each step and
when a case is overdue, and the checks of a closing outcome. Pure: no database, no Django.

The steps: 待受理 (filed) → 受理 (accepted) → 调查 (investigating) → 协调/调解 (mediating) → 法律援助/仲裁支持
(legal) → 结案 (closed). A case moves forward only. Two steps may be skipped, and only these:
- 受理 → 协调/调解: the facts are not in dispute (the employer admits the arrears), nothing to investigate;
- 调查 → 法律援助/仲裁支持: the employer refuses to mediate, the worker goes to arbitration with the union's help.
A case is closed (with its outcome) from any step after it was accepted; a filed case is accepted first (a complaint
the union does not take up is closed after acceptance with the result "referred" and a note saying where to).

Deadlines (calendar days from the day the step began):
- 受理 within 3 days of filing (the 12351 hotline's rule of answering within three working days);
- 调查 begun within 5 days of acceptance;
- an investigation within 15 days;
- mediation within 15 days (劳动争议调解仲裁法 art. 14: a dispute not settled within 15 days of the application
  to mediate may go to arbitration);
- legal aid and support at arbitration within 60 days (art. 43: the award within 45 days, extended by 15 at most).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

FILED, ACCEPTED, INVESTIGATING, MEDIATING, LEGAL, CLOSED = (
    "filed", "accepted", "investigating", "mediating", "legal", "closed")
STEPS: tuple[str, ...] = (FILED, ACCEPTED, INVESTIGATING, MEDIATING, LEGAL, CLOSED)
OPEN: tuple[str, ...] = STEPS[:-1]

# step → the steps it may move to (forward only; skips only as the module says)
MOVES: dict[str, tuple[str, ...]] = {
    FILED: (ACCEPTED,),
    ACCEPTED: (INVESTIGATING, MEDIATING, CLOSED),
    INVESTIGATING: (MEDIATING, LEGAL, CLOSED),
    MEDIATING: (LEGAL, CLOSED),
    LEGAL: (CLOSED,),
    CLOSED: (),
}

# step → days the union has to finish it (to move the case on)
DEADLINE_DAYS: dict[str, int] = {FILED: 3, ACCEPTED: 5, INVESTIGATING: 15, MEDIATING: 15, LEGAL: 60}

# result kinds of a closed case; the ones in WITH_MONEY say what was won back
RESOLVED, PARTLY, AWARDED, REFERRED, WITHDRAWN, UNRESOLVED = (
    "resolved", "partly", "awarded", "referred", "withdrawn", "unresolved")
RESULTS: tuple[str, ...] = (RESOLVED, PARTLY, AWARDED, REFERRED, WITHDRAWN, UNRESOLVED)
WITH_MONEY: tuple[str, ...] = (RESOLVED, PARTLY, AWARDED)

MAX_AMOUNT = Decimal("100000000")  # 1亿元: beyond any one case


def can_move(current: str, target: str) -> bool:
    return target in MOVES.get(current, ())


def move_problem(current: str, target: str) -> str | None:
    """Why `current` → `target` is refused: "unknown" (no such step), "closed" (the case is closed), "back" (a
    step already passed or the same step), "skip" (a step skipped that the rules do not let skip), "close" (closing
    is its own verb: use it), or None when allowed."""
    if target not in STEPS:
        return "unknown"
    if current == CLOSED:
        return "closed"
    if target == CLOSED:
        return "close" if can_move(current, target) else "skip"
    if STEPS.index(target) <= STEPS.index(current):
        return "back"
    return None if can_move(current, target) else "skip"


def next_steps(current: str) -> tuple[str, ...]:
    """The steps a case may move to from `current` by `advance` (closing excluded: its own verb)."""
    return tuple(s for s in MOVES.get(current, ()) if s != CLOSED)


def can_close(current: str) -> bool:
    return can_move(current, CLOSED)


def due_on(step: str, since: datetime.date) -> datetime.date | None:
    """The deadline of `step` begun on `since` (None once closed)."""
    days = DEADLINE_DAYS.get(step)
    return since + datetime.timedelta(days=days) if days is not None else None


def is_overdue(step: str, due: datetime.date | None, today: datetime.date) -> bool:
    return step != CLOSED and due is not None and today > due


def amount_problem(value: Decimal | None) -> str | None:
    """"negative", "large" or None for an amount of money in yuan (None: not given)."""
    if value is None:
        return None
    if value < 0:
        return "negative"
    if value >= MAX_AMOUNT:
        return "large"
    return None


def outcome_problems(*, result: str | None, claimed: Decimal | None, recovered: Decimal | None, helped: int | None,
                     people: int, reason: str) -> dict[str, str]:
    """What is wrong with a closing outcome, field → code: "result" missing/unknown; "recovered" negative, too
    large, given for a result without money, or larger than claimed without a reason ("reason"); "helped" negative
    or more than the people involved."""
    out: dict[str, str] = {}
    if not result:
        out["result"] = "missing"
    elif result not in RESULTS:
        out["result"] = "unknown"
    problem = amount_problem(recovered)
    if problem:
        out["recovered"] = problem
    elif recovered and result and result not in WITH_MONEY:
        out["recovered"] = "no_money"
    elif recovered is not None and claimed is not None and recovered > claimed and not reason.strip():
        out["reason"] = "more_than_claimed"
    if helped is not None and helped < 0:
        out["helped"] = "negative"
    elif helped is not None and helped > people:
        out["helped"] = "more_than_people"
    return out


def days_to_close(filed: datetime.date, closed: datetime.date) -> int:
    return (closed - filed).days


def median(values: list[int]) -> float | None:
    """The median of the days to close (None without closed cases)."""
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return float(ordered[mid]) if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
