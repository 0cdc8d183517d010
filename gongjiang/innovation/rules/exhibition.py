"""The 6·18 exhibition's rules (成果展洽会): its states in order, the meeting slots of its days, and a match's outcome
steps — 已配对 → 已对接 → 已签约 → 已落地, one at a time, or closed without agreement (未达成) before the signature.

`outcome_problem(current, target)` names what is wrong with a move ("skipped" with the steps in between, "closed",
"final", "same", "backwards", "unknown") so the verb's message can say which step is missing. A signature needs a
contract value above zero, to the fen (`value_problem`). Slots are the `minutes`-long intervals of each day of the
exhibition from `day_start` to `day_end` (`slots`); a meeting sits in one slot at one table."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Final

DRAFT: Final = "draft"
OPEN: Final = "open"
HELD: Final = "held"
CLOSED: Final = "closed"
EXPO_ORDER: Final = (DRAFT, OPEN, HELD, CLOSED)

MATCHED: Final = "matched"
MET: Final = "met"
SIGNED: Final = "signed"
IMPLEMENTED: Final = "implemented"
NO_DEAL: Final = "closed"
OUTCOME_ORDER: Final = (MATCHED, MET, SIGNED, IMPLEMENTED)
OUTCOMES: Final = frozenset((*OUTCOME_ORDER, NO_DEAL))
OPEN_MATCH: Final = frozenset((MATCHED, MET))  # a match that may still be closed without agreement
COUNTED: Final = frozenset((SIGNED, IMPLEMENTED))  # a match counted in the figures (signed in its year)

MONEY_MAX: Final = Decimal("999999999999.99")  # what the columns hold (14 digits, 2 places)
SLOT_MINUTES: Final = (15, 20, 30, 45, 60)
TABLES_MAX: Final = 200
DAYS_MAX: Final = 7


def expo_next(current: str) -> str | None:
    """The state after `current` (None after the last or for an unknown state)."""
    if current not in EXPO_ORDER or current == EXPO_ORDER[-1]:
        return None
    return EXPO_ORDER[EXPO_ORDER.index(current) + 1]


def outcome_missing(current: str, target: str) -> list[str]:
    """The steps between `current` and `target` that a direct move would skip ([] unless it skips forwards)."""
    if current not in OUTCOME_ORDER or target not in OUTCOME_ORDER:
        return []
    return list(OUTCOME_ORDER[OUTCOME_ORDER.index(current) + 1:OUTCOME_ORDER.index(target)])


def outcome_problem(current: str, target: str) -> str | None:
    """Why a match may not go from `current` to `target`, or None: "unknown", "closed" (closed without agreement:
    nothing changes any more), "final" (closing a signed match), "same", "backwards", "skipped"."""
    if current not in OUTCOMES or target not in OUTCOMES:
        return "unknown"
    if current == NO_DEAL:
        return "closed"
    if target == NO_DEAL:
        return None if current in OPEN_MATCH else "final"
    if target == current:
        return "same"
    if OUTCOME_ORDER.index(target) < OUTCOME_ORDER.index(current):
        return "backwards"
    if OUTCOME_ORDER.index(target) > OUTCOME_ORDER.index(current) + 1:
        return "skipped"
    return None


def value_problem(value: Decimal | None) -> str | None:
    """"missing" (no contract value), "range" (not above zero, more than two decimals, too large) or None."""
    if value is None:
        return "missing"
    if not value.is_finite() or value <= 0 or value > MONEY_MAX or value != value.quantize(Decimal("0.01")):
        return "range"
    return None


def price_problem(value: Decimal | None) -> str | None:
    """An asking price or a budget: None (面议, to be negotiated) or at least zero to the fen; "range" otherwise."""
    if value is None:
        return None
    if not value.is_finite() or value < 0 or value > MONEY_MAX or value != value.quantize(Decimal("0.01")):
        return "range"
    return None


def days(starts_on: datetime.date, ends_on: datetime.date) -> list[datetime.date]:
    """The days of the exhibition, first to last ([] when it ends before it starts)."""
    n = (ends_on - starts_on).days + 1
    return [starts_on + datetime.timedelta(days=i) for i in range(max(n, 0))]


def slots(starts_on: datetime.date, ends_on: datetime.date, day_start: datetime.time, day_end: datetime.time,
          minutes: int) -> list[datetime.datetime]:
    """The starts of the meeting slots (naive local date and time), day by day: every `minutes` from `day_start`
    while the slot ends by `day_end`."""
    if minutes <= 0:
        return []
    found = []
    for day in days(starts_on, ends_on):
        at = datetime.datetime.combine(day, day_start)
        end = datetime.datetime.combine(day, day_end)
        while at + datetime.timedelta(minutes=minutes) <= end:
            found.append(at)
            at += datetime.timedelta(minutes=minutes)
    return found


def schedule_problems(starts_on: datetime.date, ends_on: datetime.date, deadline: datetime.date,
                      day_start: datetime.time, day_end: datetime.time, minutes: int, tables: int) -> dict[str, str]:
    """{field: problem} of an exhibition's dates and slots: "order" (ends before it starts, or the day ends before
    it starts), "long" (more than DAYS_MAX days), "deadline" (registration closes after the exhibition starts),
    "minutes" (not one of SLOT_MINUTES), "tables" (not 1–TABLES_MAX)."""
    found: dict[str, str] = {}
    if ends_on < starts_on:
        found["ends_on"] = "order"
    elif len(days(starts_on, ends_on)) > DAYS_MAX:
        found["ends_on"] = "long"
    if deadline > starts_on:
        found["registration_deadline"] = "deadline"
    if day_end <= day_start:
        found["day_end"] = "order"
    if minutes not in SLOT_MINUTES:
        found["slot_minutes"] = "minutes"
    if isinstance(tables, bool) or not 1 <= tables <= TABLES_MAX:
        found["tables"] = "tables"
    return found


def free_table(tables: int, taken: set[int]) -> int | None:
    """The lowest table number (1…tables) not in `taken`, or None when all are taken."""
    return next((t for t in range(1, tables + 1) if t not in taken), None)
