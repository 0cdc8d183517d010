"""A contest's ranking and prizes, pure: places by best score, then time, then when the score was reached (rows
equal on all three share a place and the next place skips: 1, 2, 2, 4), prizes handed out by place in the order the
contest lists them ({"一等奖": 1, "二等奖": 3, …}: the first n places, then the next m…; a tie at a boundary gives
every tied row the better prize), the prize specification checked, and the integrity thresholds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

MAX_PRIZES = 8  # kinds of prize
MAX_WINNERS = 100000


def places(rows: Sequence[tuple[Decimal, int, Any]]) -> list[int]:
    """The place of each row (rows: (score, seconds, reached_at), in ranking order: best score first, then the
    shorter time, then the earlier time reached)."""
    out: list[int] = []
    for i, row in enumerate(rows):
        out.append(out[-1] if i and tuple(rows[i - 1]) == tuple(row) else i + 1)
    return out


def order_key(row: tuple[Decimal, int, Any]) -> tuple[Decimal, int, Any]:
    """The sort key of a row for the ranking order `places` expects."""
    score, seconds, reached = row
    return (-score, seconds, reached)


def prizes(ranked_places: Sequence[int], spec: Mapping[str, int]) -> list[str]:
    """The prize of each row ("" for none): the first prize goes to the rows whose place is within its count, the
    next to those within the next count, and so on."""
    bounds: list[tuple[int, str]] = []
    upto = 0
    for name, count in spec.items():
        upto += int(count)
        bounds.append((upto, name))
    out = []
    for place in ranked_places:
        out.append(next((name for limit, name in bounds if place <= limit), ""))
    return out


def check_prizes(spec: Any) -> list[str]:
    """Every reason a prize specification cannot be used ({} means no prizes)."""
    if spec in (None, ""):
        return []
    if not isinstance(spec, Mapping):
        return [_("Give the prizes as names with the number of each, e.g. 一等奖=10.")]
    errors = []
    if len(spec) > MAX_PRIZES:
        errors.append(_("At most %(n)d kinds of prize.") % {"n": MAX_PRIZES})
    for name, count in spec.items():
        if not isinstance(name, str) or not name.strip() or len(name) > 20:
            errors.append(_("A prize's name has 1 to 20 characters."))
        elif not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_WINNERS:
            errors.append(_("The number of %(prize)s is a whole number from 1 to %(max)d.") % {
                "prize": name, "max": MAX_WINNERS})
    return errors


def parse_prizes(text: str) -> dict[str, int] | list[str]:
    """The prizes as typed on the form, one per line or separated by commas or semicolons ("一等奖=10"), or the
    errors naming each bad part."""
    spec: dict[str, int] = {}
    errors: list[str] = []
    for part in [p.strip() for p in text.replace("，", ",").replace("；", ",").replace(";", ",").replace(
            "\n", ",").split(",")]:
        if not part:
            continue
        name, sep, count = part.replace("＝", "=").replace("：", "=").replace(":", "=").partition("=")
        name = name.strip()
        if not sep or not count.strip().isdigit():
            errors.append(_("“%(part)s”: write a prize as name=number, e.g. 一等奖=10.") % {"part": part})
            continue
        if name in spec:
            errors.append(_("%(prize)s is listed twice.") % {"prize": name})
            continue
        spec[name] = int(count.strip())
    return errors or spec


def too_fast(seconds: int, questions: int, floor: float) -> bool:
    """Whether an attempt took less than `floor` seconds per question (impossible speed)."""
    return questions > 0 and seconds < floor * questions


def rapid_runs(rows: Sequence[tuple[int, int]]) -> dict[int, int]:
    """{attempt: answers in its longest rapid run} from the rapid answers (attempt, rank): an answer saved less than
    the gap after the one before it in the attempt, `rank` its place among the attempt's answers in the order they
    were saved. Consecutive ranks are one run, which began with the answer before its first: five answers fired
    within a second of each other are four rapid answers, a run of 5."""
    best: dict[int, int] = {}
    run: dict[int, tuple[int, int]] = {}  # attempt → (last rank, rapid answers in the current run)
    for attempt, rank in sorted(rows):
        last, n = run.get(attempt, (-2, 0))
        n = n + 1 if rank == last + 1 else 1
        run[attempt] = (rank, n)
        best[attempt] = max(best.get(attempt, 0), n + 1)
    return best


def hundredths(score: Decimal, max_score: Decimal) -> int:
    """A score scaled to 100, in hundredths (21.5 of 25 → 86.00 → 8600); 0 without full marks."""
    if not max_score:
        return 0
    return int((score * 10000 / max_score).quantize(Decimal(1), rounding=ROUND_HALF_UP))
