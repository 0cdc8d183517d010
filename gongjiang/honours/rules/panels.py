"""A review panel's arithmetic (评审组): plain data in, numbers and every problem out.

Scoring (打分): a panel scores each nomination against weighted criteria — each with a name, a weight (the weights
add up to 100) and the most points a member may give (满分). A member's total for a nomination is the weighted sum
of their points, each criterion's points taken as a share of its maximum: Σ points/max × weight, out of 100, to two
decimals. A nomination's result is the mean of the totals of the members who scored it (a member who declared a
conflict has no total: they are left out). When at least `TRIM_FROM` (5) members scored, the highest and the lowest
total are dropped first, as skills competitions (WorldSkills, the CSI's judging rules) do so that no one judge's
favour or grudge moves the result; with fewer, every total counts (dropping two of four would leave too few).
Nominations are ranked by their result, highest first; equal results share a rank (1, 2, 2, 4).

Voting (投票): each member votes 赞成 (yes), 反对 (no) or 弃权 (abstain) on each nomination. The vote counts
(quorum) when at least two thirds of the members entitled to vote — the panel's members without a conflict with
that nomination — have voted; it passes when it counts and more than half of those entitled voted yes (an
abstention, like staying away, does not help a nomination pass)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .eligibility import Problem

TRIM_FROM = 5  # from this many totals on, the highest and the lowest are dropped
WEIGHT_SUM = 100
MAX_POINTS = 1000  # the largest maximum a criterion may have
MAX_CRITERIA = 12
YES, NO, ABSTAIN = "yes", "no", "abstain"
CHOICES = (YES, NO, ABSTAIN)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Criterion:
    """One criterion of a scoring panel: a stable key (the form's and the API's), its name, weight and maximum."""

    key: str
    name: str
    weight: int
    max: int


def criteria_from(rows: Iterable[Mapping[str, Any]]) -> list[Criterion]:
    """Criteria from stored or typed rows ({"key", "name", "weight", "max"}); keys c1, c2… when missing."""
    out = []
    for i, r in enumerate(rows, 1):
        out.append(Criterion(str(r.get("key") or f"c{i}"), str(r.get("name") or "").strip(),
                             _int(r.get("weight")), _int(r.get("max"))))
    return out


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # refused as not positive


def criteria_problems(criteria: Sequence[Criterion]) -> list[Problem]:
    """Every problem of a scoring panel's criteria at once ([] when they are good): at least one and at most
    `MAX_CRITERIA`, each named (names unique), each weight positive, each maximum between 1 and `MAX_POINTS`, the
    weights adding up to exactly 100."""
    found: list[Problem] = []
    if not criteria:
        return [Problem("no_criteria", "criteria")]
    if len(criteria) > MAX_CRITERIA:
        found.append(Problem("too_many_criteria", "criteria", {"n": MAX_CRITERIA}))
    names = [c.name for c in criteria]
    for i, c in enumerate(criteria, 1):
        if not c.name:
            found.append(Problem("criterion_name", "criteria", {"i": i}))
        elif names.index(c.name) != i - 1:
            found.append(Problem("criterion_twice", "criteria", {"name": c.name}))
        if c.weight <= 0:
            found.append(Problem("weight_positive", "criteria", {"i": i, "name": c.name}))
        if not 1 <= c.max <= MAX_POINTS:
            found.append(Problem("max_range", "criteria", {"i": i, "name": c.name, "most": MAX_POINTS}))
    if len({c.key for c in criteria}) != len(criteria):
        found.append(Problem("criterion_key", "criteria"))
    total = sum(max(c.weight, 0) for c in criteria)
    if total != WEIGHT_SUM:
        found.append(Problem("weights_sum", "criteria", {"total": total}))
    return found


def score_problems(criteria: Sequence[Criterion], points: Mapping[str, Any]) -> list[Problem]:
    """Every problem of one member's points for one nomination: a whole number from 0 to the criterion's maximum
    for each criterion (field: the criterion's key), no points for an unknown criterion."""
    found: list[Problem] = []
    keys = {c.key for c in criteria}
    for c in criteria:
        raw = points.get(c.key)
        value = _whole(raw)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            found.append(Problem("score_missing", c.key, {"name": c.name}))
        elif value is None:
            found.append(Problem("score_number", c.key, {"name": c.name}))
        elif not 0 <= value <= c.max:
            found.append(Problem("score_range", c.key, {"name": c.name, "max": c.max, "value": value}))
    for k in sorted(set(points) - keys):
        found.append(Problem("score_unknown", "points", {"key": k}))
    return found


def _whole(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        return int(raw.strip())
    if isinstance(raw, float | Decimal) and raw == int(raw):
        return int(raw)
    return None


def clean_points(criteria: Sequence[Criterion], points: Mapping[str, Any]) -> dict[str, int]:
    """The points as whole numbers by criterion key (call after `score_problems` found nothing)."""
    return {c.key: int(_whole(points[c.key]) or 0) for c in criteria}


def weighted_total(criteria: Sequence[Criterion], points: Mapping[str, int]) -> Decimal:
    """A member's total for a nomination, out of 100: Σ points/max × weight, rounded half up to two decimals."""
    total = sum((Decimal(points.get(c.key, 0)) / Decimal(c.max) * Decimal(c.weight) for c in criteria),
                Decimal(0))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Result:
    """A nomination's result: the mean of the totals that count (None when nobody scored), how many members scored,
    and whether the highest and lowest were dropped."""

    mean: Decimal | None
    count: int
    trimmed: bool


def result(totals: Sequence[Decimal]) -> Result:
    """The mean of the members' totals, the highest and the lowest dropped from `TRIM_FROM` totals on."""
    if not totals:
        return Result(None, 0, False)
    ordered = sorted(totals)
    trimmed = len(ordered) >= TRIM_FROM
    counted = ordered[1:-1] if trimmed else ordered
    mean = (sum(counted, Decimal(0)) / len(counted)).quantize(CENT, rounding=ROUND_HALF_UP)
    return Result(mean, len(ordered), trimmed)


def ranking(results: Mapping[Any, Decimal | None]) -> list[tuple[int | None, Any]]:
    """(rank, id) highest result first, equal results sharing a rank (1, 2, 2, 4); the nominations nobody scored
    come last without a rank. Ties keep the ids' order (stable)."""
    scored = sorted(((m, k) for k, m in results.items() if m is not None), key=lambda t: -t[0])
    out: list[tuple[int | None, Any]] = []
    previous: Decimal | None = None
    rank = 0
    for i, (mean, key) in enumerate(scored, 1):
        if mean != previous:
            rank, previous = i, mean
        out.append((rank, key))
    out += [(None, k) for k, m in results.items() if m is None]
    return out


def criterion_means(criteria: Sequence[Criterion], sheets: Sequence[Mapping[str, int]]) -> dict[str, Decimal | None]:
    """The mean points of each criterion over the members' sheets (untrimmed: what the panel gave on each)."""
    out: dict[str, Decimal | None] = {}
    for c in criteria:
        values = [s[c.key] for s in sheets if c.key in s]
        out[c.key] = ((Decimal(sum(values)) / len(values)).quantize(CENT, rounding=ROUND_HALF_UP)
                      if values else None)
    return out


@dataclass(frozen=True)
class Tally:
    """A nomination's vote: the counts, how many members were entitled to vote (not conflicted), whether the vote
    counts (two thirds voted) and whether it passed (more than half of those entitled voted yes)."""

    yes: int
    no: int
    abstain: int
    entitled: int

    @property
    def voted(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def quorum(self) -> bool:
        return self.entitled > 0 and 3 * self.voted >= 2 * self.entitled

    @property
    def passed(self) -> bool:
        return self.quorum and 2 * self.yes > self.entitled


def tally(votes: Iterable[str], entitled: int) -> Tally:
    """Count the votes of the members entitled to vote on a nomination."""
    counted = list(votes)
    if len(counted) > entitled or any(v not in CHOICES for v in counted):
        raise ValueError("more votes than members entitled, or an unknown choice")
    return Tally(counted.count(YES), counted.count(NO), counted.count(ABSTAIN), entitled)
