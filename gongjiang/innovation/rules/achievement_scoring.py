"""Scoring the achievements of a call (成果评审, issue 10 §3): the criteria and their ranges, one review's total, the
mean and spread of an achievement's reviews, the ranking and the award levels.

- **Criteria** are data (`Criterion`: a key, a label, the most points): by default 创新性 30, 实用性 30, 经济效益 20,
  推广价值 20 — the weights *are* the maxima, so a review's total is the sum of its scores and lies in 0…100.
  `check_criteria` refuses a set a call cannot use (no criterion, a key twice, a maximum ≤ 0 or over 100).
- **A review** gives every criterion a score within 0…max, in steps of 0.5 (`score_problems` returns every problem
  at once, by criterion key, so the form marks each field).
- **An achievement's score** is the mean of its reviews' totals, with their spread — the population standard
  deviation: the reviewers disagree when it is above the call's limit (`Summary.disputed`), which flags it for a
  consensus note and a second round (复评) whose totals then replace the first round's.
- **Ranking** orders by mean, highest first; equal means share a place (1, 2, 2, 4: competition ranking) and are
  then listed by id, so the order is total and repeatable.
- **Awards**, by share: the first ⌊n × share⌋ places (at least one when the share is positive and n > 0) take the
  first prize, the next share the second… — a tie straddling a boundary takes the better prize for all its members
  (nobody loses a prize to a tie-break). By bands: a mean at least the band's minimum. An achievement without a
  score (no review submitted) is not ranked and gets no award.

Pure: numbers in, numbers out, no ORM; tested exhaustively with property tests.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

from django.utils.translation import gettext_noop

STEP: Final = Decimal("0.5")
TOTAL_MAX: Final = Decimal(100)
TWO: Final = Decimal("0.01")


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    max: Decimal

    @classmethod
    def of(cls, data: Mapping[str, object]) -> Criterion:
        return cls(str(data["key"]), str(data["label"]), Decimal(str(data["max"])))


# The labels are message ids (translated where shown); the call stores them with its criteria.
DEFAULT_CRITERIA: Final[tuple[dict[str, str | int], ...]] = (
    {"key": "novelty", "label": gettext_noop("Innovativeness"), "max": 30},
    {"key": "practicality", "label": gettext_noop("Practicality"), "max": 30},
    {"key": "benefit", "label": gettext_noop("Economic benefit"), "max": 20},
    {"key": "spread", "label": gettext_noop("Value for wider use"), "max": 20},
)


def criteria_of(raw: Iterable[Mapping[str, object]]) -> list[Criterion]:
    return [Criterion.of(c) for c in raw]


def check_criteria(criteria: Sequence[Criterion]) -> str | None:
    """None when a call can use these criteria, else a problem code: ``empty``, ``duplicate`` (a key twice),
    ``range`` (a maximum ≤ 0 or not a multiple of the step), ``total`` (the maxima add up to more than 100)."""
    if not criteria:
        return "empty"
    if len({c.key for c in criteria}) != len(criteria):
        return "duplicate"
    if any(c.max <= 0 or c.max % STEP for c in criteria):
        return "range"
    if sum((c.max for c in criteria), Decimal(0)) > TOTAL_MAX:
        return "total"
    return None


def parse_score(value: object) -> Decimal | None:
    """A score as typed (28, "27.5", " 30 ") as a Decimal, or None when it is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def score_problems(criteria: Sequence[Criterion], scores: Mapping[str, object]) -> dict[str, str]:
    """Every problem of a review's scores, by criterion key: ``missing``, ``number`` (not a number), ``range``
    (outside 0…max) or ``step`` (not a multiple of 0.5); a key that is no criterion of the call: ``unknown``."""
    problems: dict[str, str] = {}
    keys = {c.key for c in criteria}
    for key in scores:
        if key not in keys:
            problems[key] = "unknown"
    for c in criteria:
        raw = scores.get(c.key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            problems[c.key] = "missing"
            continue
        number = parse_score(raw)
        if number is None:
            problems[c.key] = "number"
        elif number < 0 or number > c.max:
            problems[c.key] = "range"
        elif number % STEP:
            problems[c.key] = "step"
    return problems


def total(criteria: Sequence[Criterion], scores: Mapping[str, object]) -> Decimal:
    """The total of valid scores (score_problems found none)."""
    return sum((parse_score(scores[c.key]) or Decimal(0) for c in criteria), Decimal(0))


@dataclass(frozen=True)
class Summary:
    """An achievement's reviews summed up: how many, the mean and the spread (population standard deviation, both
    to two decimals), and whether the spread is above the call's limit."""

    count: int
    mean: Decimal | None
    spread: Decimal | None
    disputed: bool


def summarise(totals: Sequence[Decimal], spread_limit: Decimal) -> Summary:
    if not totals:
        return Summary(0, None, None, False)
    n = len(totals)
    mean = sum(totals, Decimal(0)) / n
    variance = sum(((t - mean) ** 2 for t in totals), Decimal(0)) / n
    spread = Decimal(math.sqrt(variance)) if variance else Decimal(0)
    spread = spread.quantize(TWO, ROUND_HALF_UP)
    return Summary(n, mean.quantize(TWO, ROUND_HALF_UP), spread, n > 1 and spread > spread_limit)


@dataclass(frozen=True)
class Ranked:
    id: int
    mean: Decimal
    rank: int


def rank(means: Mapping[int, Decimal | None]) -> list[Ranked]:
    """The achievements with a mean, highest first; equal means share a place (1, 2, 2, 4), then by id."""
    scored = sorted(((m, i) for i, m in means.items() if m is not None), key=lambda p: (-p[0], p[1]))
    out: list[Ranked] = []
    for pos, (mean, i) in enumerate(scored, start=1):
        place = out[-1].rank if out and out[-1].mean == mean else pos
        out.append(Ranked(i, mean, place))
    return out


def _share_counts(n: int, shares: Sequence[Decimal]) -> list[int]:
    """How many places each prize takes out of n, by its share in percent (at least one for a positive share)."""
    counts = []
    for share in shares:
        k = int(Decimal(n) * share / 100) if share > 0 else 0
        counts.append(max(k, 1) if share > 0 and n > 0 else 0)
    return counts


def awards_by_share(ranking: Sequence[Ranked], shares: Sequence[Decimal]) -> dict[int, int]:
    """Prize level (1, 2, 3…; 0 none) per achievement id by shares of the ranked ones; a tie across a boundary
    takes the better prize."""
    out = dict.fromkeys((r.id for r in ranking), 0)
    counts = _share_counts(len(ranking), shares)
    start = 0
    level_of_place: dict[int, int] = {}
    for level, count in enumerate(counts, start=1):
        for r in ranking[start:start + count]:
            level_of_place.setdefault(r.rank, level)
        start += count
    for r in ranking:
        out[r.id] = level_of_place.get(r.rank, 0)
    return out


def awards_by_bands(ranking: Sequence[Ranked], bands: Sequence[Decimal]) -> dict[int, int]:
    """Prize level per achievement id: the first band (highest minimum first) whose minimum the mean reaches."""
    out = {}
    for r in ranking:
        out[r.id] = next((level for level, least in enumerate(bands, start=1) if r.mean >= least), 0)
    return out


def check_levels(values: Sequence[Decimal], mode: str) -> str | None:
    """None when the shares (percent, summing to at most 100) or bands (0…100, strictly falling) are usable."""
    if not values or len(values) > 3:
        return "count"
    if any(v < 0 or v > 100 for v in values):
        return "range"
    if mode == "share" and sum(values, Decimal(0)) > 100:
        return "total"
    if mode == "bands" and any(b >= a for a, b in itertools.pairwise(values)):
        return "order"
    return None
