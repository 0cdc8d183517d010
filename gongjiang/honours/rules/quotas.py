"""Quotas down the tree (名额分配), pure: the province splits a campaign's total among cities and industry unions,
each city among its counties and units, each share possibly keeping places for a kind of nominee (reserves:
非公企业, 一线职工, 女性) and the whole list capping the leaders among the nominees.

A reserve of r in a quota of q means: at most q − r of the union's nominations may be of another kind, so the last
r places wait for the reserved kind (a nominee of several kinds counts for each). It is kept at every level: what a
parent reserves and does not keep in its own remainder, its children must reserve between them."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from .eligibility import Problem

RESERVES: Final = ("non_public", "front_line", "women")
KINDS: Final = (*RESERVES, "leader")


@dataclass(frozen=True)
class Share:
    """A union's allocation: its quota and the places it reserves per kind (absent: 0)."""

    quota: int
    reserves: Mapping[str, int] = field(default_factory=dict)

    def reserved(self, kind: str) -> int:
        return self.reserves.get(kind, 0)


@dataclass(frozen=True)
class Used:
    """What a union has nominated under its allocation: the total and how many of each kind."""

    total: int = 0
    kinds: Mapping[str, int] = field(default_factory=dict)

    def of(self, kind: str) -> int:
        return self.kinds.get(kind, 0)

    def plus(self, kinds: frozenset[str]) -> Used:
        return Used(self.total + 1, {k: self.of(k) + (k in kinds) for k in KINDS})


def front_line_floor(total: int, share_percent: int) -> int:
    """The front-line places a total must reserve for an honour whose nominees are at least `share_percent` %
    front-line workers (rounded up: 30 % of 5 is 2)."""
    return math.ceil(total * share_percent / 100)


def leader_cap(total: int, share_percent: int | None) -> int | None:
    """How many leaders (企业负责人和管理人员) a list of `total` may hold at most (rounded down), None without a cap."""
    return None if share_percent is None else total * share_percent // 100


def share_problems(share: Share, field_name: str = "quota") -> list[Problem]:
    """A share on its own: no negative number, no reserve larger than the quota."""
    found: list[Problem] = []
    if share.quota < 0:
        found.append(Problem("negative", field_name))
    for kind in RESERVES:
        r = share.reserved(kind)
        if r < 0:
            found.append(Problem("negative", f"reserve_{kind}"))
        elif r > share.quota >= 0:
            found.append(Problem("reserve_over_quota", f"reserve_{kind}", {"kind": kind, "reserve": r,
                                                                           "quota": share.quota}))
    return found


def allocation_problems(parent: Share, children: Mapping[str, Share], used: Mapping[str, Used] | None = None
                        ) -> list[Problem]:
    """Every reason a parent's split among its children (keyed by a name the messages use) is not acceptable:
    a child's share itself, a child's quota below what it has already nominated, the children's quotas adding up
    to more than the parent's, and a reserve of the parent not carried down (what it reserves beyond its children's
    reserves must fit in the places it keeps for itself)."""
    found: list[Problem] = []
    for name, child in children.items():
        found += [Problem(p.code, p.field, {**p.params, "org": name}) for p in share_problems(child)]
        done = (used or {}).get(name)
        if done is not None and child.quota < done.total:
            found.append(Problem("below_used", "quota", {"org": name, "used": done.total, "quota": child.quota}))
        elif done is not None:
            for kind in RESERVES:
                # the places already taken by others must still fit beside the reserve
                if done.total - done.of(kind) > child.quota - child.reserved(kind) >= 0:
                    found.append(Problem("reserve_taken", f"reserve_{kind}", {"org": name, "kind": kind}))
    given = sum(c.quota for c in children.values())
    if given > parent.quota:
        found.append(Problem("over_parent", "quota", {"given": given, "quota": parent.quota}))
        return found
    kept = parent.quota - given
    for kind in RESERVES:
        passed = sum(c.reserved(kind) for c in children.values())
        if parent.reserved(kind) - passed > kept:
            found.append(Problem("reserve_short", f"reserve_{kind}", {
                "kind": kind, "reserve": parent.reserved(kind), "passed": passed, "kept": kept}))
    return found


def admission_problems(share: Share, used: Used, kinds: frozenset[str], *, cap: int | None = None,
                       org: str = "") -> list[Problem]:
    """Every reason one more nominee of `kinds` does not fit `share` after `used`: over the quota, a reserve of
    another kind that the remaining places must keep, and (at the top of the list) over the leaders' cap."""
    after = used.plus(kinds)
    found: list[Problem] = []
    if after.total > share.quota:
        found.append(Problem("over_quota", "quota", {"org": org, "quota": share.quota, "used": used.total}))
        return found
    for kind in RESERVES:
        r = share.reserved(kind)
        if r and kind not in kinds and after.total - after.of(kind) > share.quota - r:
            found.append(Problem("reserved", "quota", {"org": org, "kind": kind, "reserve": r,
                                                       "quota": share.quota}))
    if cap is not None and "leader" in kinds and after.of("leader") > cap:
        found.append(Problem("leader_cap", "is_leader", {"org": org, "cap": cap}))
    return found


def split(total: int, weights: list[int]) -> list[int]:
    """`total` split in proportion to `weights` by largest remainder (ties to the earlier), summing to `total`
    exactly; equal parts when every weight is 0."""
    if not weights:
        return []
    if total < 0 or any(w < 0 for w in weights):
        raise ValueError("a total and weights are not negative")
    if not any(weights):
        weights = [1] * len(weights)
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def propose(parent: Share, weights: list[int]) -> list[Share]:
    """A split of a parent's whole allocation in proportion to `weights` (the unions' members, say) that the
    allocation rules accept: the quotas sum to the parent's, each reserve is split the same way, never above a
    child's quota (what does not fit goes to the children with room, largest first)."""
    quotas_ = split(parent.quota, weights)
    reserves: dict[str, list[int]] = {}
    for kind in RESERVES:
        parts = [min(r, q) for r, q in zip(split(parent.reserved(kind), weights), quotas_, strict=True)]
        short = parent.reserved(kind) - sum(parts)
        for i in sorted(range(len(parts)), key=lambda i: (-(quotas_[i] - parts[i]), i)):
            if short <= 0:
                break
            add = min(short, quotas_[i] - parts[i])
            parts[i] += add
            short -= add
        reserves[kind] = parts
    return [Share(q, {k: reserves[k][i] for k in RESERVES}) for i, q in enumerate(quotas_)]


def forward_problems(share: Share, forwarded: Used, kinds: frozenset[str], *, cap: int | None = None,
                     org: str = "") -> list[Problem]:
    """Every reason a union may not forward one more nominee of `kinds` to the union above (推荐上报; at the top of
    the campaign: put it on the shortlist) after what it has `forwarded`: the same rules as a submission — its
    quota, the places its reserves keep for their kind, the leaders' cap at the top — counted on what it forwards,
    with the numbers the message names."""
    found = []
    for p in admission_problems(share, forwarded, kinds, cap=cap, org=org):
        kind = p.params.get("kind")
        others = forwarded.total - forwarded.of(kind) if isinstance(kind, str) else 0
        code = {"over_quota": "forward_over_quota", "reserved": "forward_reserved"}.get(p.code, p.code)
        found.append(Problem(code, p.field, {**p.params, "used": forwarded.total, "others": others}))
    return found


def step_below(chain: Sequence[int], at: int) -> int | None:
    """The share one step below `at` on a nomination's chain of shares (the campaign's total first, the one it
    counts under last): where a return from `at` goes; None when `at` is the lowest (a return goes to the unit)."""
    i = list(chain).index(at)
    return chain[i + 1] if i + 1 < len(chain) else None
