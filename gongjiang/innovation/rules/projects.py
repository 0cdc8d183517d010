"""An innovation project's (攻关课题) rules: the seven stages in order, one at a time, or closing it (中止); progress in
percent; the members (exactly one leader); the funding (创新补助资金) and its spending; who may hold a project.

Stages: 问题查找 → 课题立项 → 项目攻关 → 应用试验 → 改进提升 → 鉴定评价 → 推广转化. A decision moves a project to the
next stage only: `stage_problem(current, target)` names what is wrong with any other move ("skipped" with the
stages in between, "backwards", "same", "closed", "final", "unknown"), so the verb's message can say which stage is
missing. A project may be stopped (中止) from any stage before 推广转化; a stopped project changes no more.

Funding: the union grants at most what was requested — more only with a reason (an expert review that found the
request too small is the usual one); never less than what has been spent already. Spending may not take the total
spent past what was granted. Amounts are Decimal yuan."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

FINDING: Final = "finding"
APPROVED: Final = "approved"
TACKLING: Final = "tackling"
TRIAL: Final = "trial"
IMPROVING: Final = "improving"
APPRAISED: Final = "appraised"
TRANSFERRED: Final = "transferred"
STOPPED: Final = "stopped"

ORDER: Final = (FINDING, APPROVED, TACKLING, TRIAL, IMPROVING, APPRAISED, TRANSFERRED)
STAGES: Final = frozenset((*ORDER, STOPPED))

LEADER: Final = "leader"
ROLES: Final = frozenset({LEADER, "core", "member"})

ENTERPRISE: Final = "enterprise"
STUDIO: Final = "studio"
TEAM: Final = "team"
# Who holds a project → the kinds of org it may sit on (a studio is hosted by an enterprise or one of its departments).
HOLDER_KINDS: Final[dict[str, frozenset[str]]] = {
    ENTERPRISE: frozenset({"grassroots"}),
    STUDIO: frozenset({"grassroots", "department"}),
    TEAM: frozenset({"team"}),
}

PROGRESS_MAX: Final = 100
MONEY_MAX: Final = Decimal("999999999.99")  # what the columns hold (14 digits, 2 places)


def next_stage(current: str) -> str | None:
    """The stage after `current` on the line (None after the last one, for a stopped or unknown stage)."""
    if current not in ORDER or current == ORDER[-1]:
        return None
    return ORDER[ORDER.index(current) + 1]


def allowed(current: str, target: str) -> bool:
    """Whether a decision may move a project from `current` to `target`: the next stage, or stopping it."""
    if target == STOPPED:
        return current in ORDER and current != ORDER[-1]
    return next_stage(current) == target


def missing(current: str, target: str) -> list[str]:
    """The stages between `current` and `target` that a direct move would skip ([] unless it skips forwards)."""
    if current not in ORDER or target not in ORDER:
        return []
    start, end = ORDER.index(current), ORDER.index(target)
    return list(ORDER[start + 1:end])


def stage_problem(current: str, target: str) -> str | None:
    """Why `current` → `target` is refused, or None when it is allowed:
    "unknown" (not a stage), "closed" (the project was stopped), "final" (stopping a project at its last stage),
    "same", "backwards", "skipped" (`missing` names the stages in between)."""
    if current not in STAGES or target not in STAGES:
        return "unknown"
    if current == STOPPED:
        return "closed"
    if allowed(current, target):
        return None
    if target == STOPPED:
        return "final"
    if target == current:
        return "same"
    if ORDER.index(target) < ORDER.index(current):
        return "backwards"
    return "skipped"


def reached(stage: str) -> list[str]:
    """The stages a project at `stage` has gone through, itself included (a stopped one: [] — its own decisions
    tell how far it went)."""
    if stage not in ORDER:
        return []
    return list(ORDER[: ORDER.index(stage) + 1])


def progress_problem(value: object) -> str | None:
    """"range" unless `value` is a whole number from 0 to 100 (a bool is no number)."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= PROGRESS_MAX:
        return "range"
    return None


def members_problem(roles: Sequence[tuple[int, str]]) -> str | None:
    """What is wrong with a project's members, (person id, role) each: "role" (not a role), "twice" (a person
    named twice), "no_leader", "leaders" (more than one), or None."""
    if any(role not in ROLES for _p, role in roles):
        return "role"
    people = [p for p, _r in roles]
    if len(set(people)) != len(people):
        return "twice"
    leaders = sum(1 for _p, role in roles if role == LEADER)
    if leaders == 0:
        return "no_leader"
    if leaders > 1:
        return "leaders"
    return None


def holder_problem(holder: str, org_kind: str) -> str | None:
    """"holder" for an unknown holder, "kind" when the org is not of a kind that holder sits on, else None."""
    if holder not in HOLDER_KINDS:
        return "holder"
    if org_kind not in HOLDER_KINDS[holder]:
        return "kind"
    return None


def _amount_problem(value: Decimal) -> str | None:
    if not value.is_finite() or value < 0 or value > MONEY_MAX or value != value.quantize(Decimal("0.01")):
        return "range"
    return None


def funding_problems(requested: Decimal, granted: Decimal | None, reason: str, spent: Decimal) -> dict[str, str]:
    """{field: problem} of a project's funding: "range" (negative, more than two decimals or too large), "reason"
    (granted more than requested without a reason), "below_spent" (granted less than what is spent already)."""
    found: dict[str, str] = {}
    bad = _amount_problem(requested)
    if bad:
        found["requested"] = bad
    if granted is not None:
        bad = _amount_problem(granted)
        if bad:
            found["granted"] = bad
        elif granted < spent:
            found["granted"] = "below_spent"
        elif "requested" not in found and granted > requested and not reason.strip():
            found["reason"] = "reason"
    elif spent > 0:
        found["granted"] = "below_spent"
    return found


def spending_problem(amount: Decimal, spent: Decimal, granted: Decimal | None) -> str | None:
    """Why a spending entry is refused: "range" (not a positive amount to the fen), "no_grant" (nothing granted
    yet), "over" (the total spent would pass what was granted), or None."""
    if _amount_problem(amount) or amount == 0:
        return "range"
    if granted is None or granted == 0:
        return "no_grant"
    if spent + amount > granted:
        return "over"
    return None


def proposal_startable(state: str, adopted: bool) -> bool:
    """Whether a project may start from a proposal in `state`: an adopted one (adopted, implementing, its benefit
    accounted, rewarded), or an archived one that had been adopted (`adopted`: it has a locked forecast)."""
    if state in ("adopted", "implementing", "accounted", "rewarded"):
        return True
    return state == "archived" and adopted
