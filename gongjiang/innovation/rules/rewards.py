"""Rewards (奖励) for adopted proposals, by the policy of the proposer's union:

- a proposal with an accounted **hard** net benefit (money saved or earned, minus what it cost) is rewarded a
  **share** of it (`share_percent`), graded by the net benefit (一、二、三等 at or above the tiers' thresholds);
- a proposal whose benefit cannot be calculated (safety, management: soft benefit only) is graded by its valuators'
  mean **score** and rewarded the grade's **points × the point value**;
- either way at most `cap` (a policy without a cap: None); amounts in yuan, to the fen, rounded half up;
- the reward is split among the proposer and co-proposers by their shares (percent), to the fen, by largest
  remainder, so the parts always add up to the whole."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Final

FEN: Final = Decimal("0.01")
WAN: Final = Decimal(10000)

SHARE: Final = "share"
POINTS: Final = "points"


@dataclass(frozen=True)
class Policy:
    """A union's reward policy (RewardPolicy as plain data). Tiers are given for grades 1, 2, 3 (best first);
    `grade_points` for grades 0 (encouragement), 1, 2, 3."""

    share_percent: Decimal = Decimal(5)
    cap: Decimal | None = Decimal(50000)
    point_value: Decimal = Decimal(100)
    benefit_tiers: tuple[Decimal, Decimal, Decimal] = (Decimal(500000), Decimal(100000), Decimal(10000))
    score_tiers: tuple[int, int, int] = (90, 80, 70)
    grade_points: tuple[int, int, int, int] = (1, 20, 10, 5)


DEFAULT: Final = Policy()


@dataclass(frozen=True)
class Reward:
    """What a proposal earns: the mode, the grade (0–3), the amount in yuan, and what it was computed from."""

    mode: str
    grade: int
    amount: Decimal
    basis: Decimal  # the net benefit (share) or the points (points)
    capped: bool


def policy_problems(p: Policy) -> dict[str, str]:
    """{field: problem code} for a policy that cannot be used: "range" (a percent outside 0–100, a negative
    amount), "order" (tiers not strictly descending, or points not descending by grade)."""
    found: dict[str, str] = {}
    if not Decimal(0) <= p.share_percent <= Decimal(100):
        found["share_percent"] = "range"
    if p.cap is not None and p.cap < 0:
        found["cap"] = "range"
    if p.point_value < 0:
        found["point_value"] = "range"
    if any(t <= 0 for t in p.benefit_tiers):
        found["benefit_tiers"] = "range"
    elif not p.benefit_tiers[0] > p.benefit_tiers[1] > p.benefit_tiers[2]:
        found["benefit_tiers"] = "order"
    if any(not 0 < t <= 100 for t in p.score_tiers):
        found["score_tiers"] = "range"
    elif not p.score_tiers[0] > p.score_tiers[1] > p.score_tiers[2]:
        found["score_tiers"] = "order"
    if any(x < 0 for x in p.grade_points):
        found["grade_points"] = "range"
    elif not p.grade_points[1] >= p.grade_points[2] >= p.grade_points[3] >= p.grade_points[0]:
        found["grade_points"] = "order"
    return found


def grade_by_benefit(net: Decimal, tiers: Sequence[Decimal]) -> int:
    """1, 2 or 3 for the first tier whose threshold the net benefit reaches; 0 below the last."""
    for grade, threshold in enumerate(tiers, start=1):
        if net >= threshold:
            return grade
    return 0


def grade_by_score(score: int | None, tiers: Sequence[int]) -> int:
    if score is None:
        return 0
    for grade, threshold in enumerate(tiers, start=1):
        if score >= threshold:
            return grade
    return 0


def mean_score(scores: Sequence[int]) -> int | None:
    """The valuators' mean score, rounded half up; None without scores."""
    if not scores:
        return None
    return int((Decimal(sum(scores)) / len(scores)).quantize(Decimal(1), ROUND_HALF_UP))


def _capped(amount: Decimal, cap: Decimal | None) -> tuple[Decimal, bool]:
    amount = amount.quantize(FEN, ROUND_HALF_UP)
    if cap is not None and amount > cap:
        return cap.quantize(FEN, ROUND_HALF_UP), True
    return amount, False


def calculate(policy: Policy, net_benefit: Decimal, score: int | None) -> Reward:
    """The reward of a proposal with this accounted net hard benefit (yuan; 0 or less: not calculable) and this
    mean valuation score."""
    if net_benefit > 0:
        amount, capped = _capped(net_benefit * policy.share_percent / 100, policy.cap)
        return Reward(SHARE, grade_by_benefit(net_benefit, policy.benefit_tiers), amount, net_benefit, capped)
    grade = grade_by_score(score, policy.score_tiers)
    points = policy.grade_points[grade]
    amount, capped = _capped(Decimal(points) * policy.point_value, policy.cap)
    return Reward(POINTS, grade, amount, Decimal(points), capped)


def split(amount: Decimal, shares: Sequence[int]) -> list[Decimal]:
    """`amount` split by `shares` (percent or any weights, not all zero) to the fen by largest remainder: the parts
    add up to `amount` exactly, and no part differs from its exact share by a fen or more."""
    if not shares or sum(shares) <= 0 or any(s < 0 for s in shares):
        raise ValueError("shares must be non-negative and not all zero")
    fen = int((amount / FEN).to_integral_value(ROUND_HALF_UP))
    total = sum(shares)
    exact = [Decimal(fen) * s / total for s in shares]
    floors = [int(x.to_integral_value(ROUND_DOWN)) for x in exact]
    left = fen - sum(floors)
    by_remainder = sorted(range(len(shares)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in by_remainder[:left]:
        floors[i] += 1
    return [Decimal(f) * FEN for f in floors]


def wan(yuan: Decimal) -> Decimal:
    """Yuan in 万元, to four places (the figures the speeches quote)."""
    return (yuan / WAN).quantize(Decimal("0.0001"), ROUND_HALF_UP)
