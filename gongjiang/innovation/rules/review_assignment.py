"""Assigning expert reviewers to the achievements of a call (成果征集与评审, issue 10 §3): N reviewers per
achievement, none with a conflict of interest (回避), loads balanced, never over a reviewer's maximum, and a cadre's
manual override kept with its reason.

**Conflicts.** `conflicts(reviewer, achievement, ...)` gives *every* reason a pair is excluded, in a fixed order, so
the page can say why:

- ``author``: the reviewer is one of the achievement's authors;
- ``co_author``: the reviewer, not an author of this one, wrote another achievement of the call together with one
  of its authors (`co_authors(achievements)` finds them; the caller may add earlier joint work to that map);
- ``declared_achievement`` / ``declared_person``: the reviewer declared a conflict with this achievement, or a relation
  with one of its authors (`Declared`);
- ``same_enterprise``: the reviewer works in the enterprise that submitted it (any level of call);
- ``same_city``: the reviewer and the achievement come from the same city, only in a provincial call (a city's call
  is among one city's enterprises, so there only the enterprise counts).

A reviewer or achievement without an enterprise (or city) — e.g. an expert of the provincial federation — has no
enterprise (or city) conflict. The messages name no person and no unit (review is blind).

**Assignment.** `assign(...)` fills each achievement's N places in this order:

1. pins (`Pin`, a cadre's manual override): always kept, even with a conflict — then reported in
   `Assignment.overridden` with the cadre's reason and the conflicts overridden. A pin *without* a reason, a pin of
   an unknown reviewer or achievement, more pins on an achievement than N, or pins over a reviewer's maximum load are
   refused with `ValueError` (input the service must have checked; a form says it in Chinese first);
2. existing assignments to keep (`keep`, e.g. reviews already started): kept when free of conflict, within the
   reviewer's maximum and the N places; any other is returned in `Assignment.dropped` with its reason code, never
   silently lost;
3. the rest, greedily: achievements with the fewest eligible reviewers first (the hardest to staff), each to the
   eligible reviewers with room whose load is lowest, a specialist (the achievement's category among the reviewer's
   specialities) counting as `speciality_slack` lighter — so a specialist is preferred while within that many
   reviews of the lightest non-specialist; remaining ties by a fixed hash of the pair, so the same reviewers do not
   always sit together. An achievement the greedy pass leaves short is then completed, where possible, along an
   augmenting path (a full reviewer moves to it, the achievement they leave gets another free one, and so on — a
   max-flow step), so a shortfall is reported only when no re-arrangement of the automatic places would fill it.

The result depends only on the input *sets*: achievements, reviewers, declarations, pins and kept pairs are read in
order of their ids, so any order of the same input gives the same assignment (a test checks this).

Every achievement ends with N reviewers or appears in `Assignment.shortfalls` with how many it has, how many
reviewers are free of conflict with it, and why it is short: ``no_eligible`` (fewer than N reviewers free of conflict
at all) or ``loads_full`` (enough, but the others' loads are full).

**Messages.** Codes are stable for programs; `Exclusion.message` and `Shortfall.message` render the templates below
(marked with `gettext_noop`, translated in gongjiang/locale/zh/innovation_reviews.json) through gettext when read.

Pure: plain frozen data in, plain data out, no ORM.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from django.utils.translation import gettext, gettext_noop

CITY: Final = "city"
PROVINCE: Final = "province"
LEVELS: Final = (CITY, PROVINCE)
CITY_CONFLICT_LEVELS: Final = frozenset({PROVINCE})

AUTHOR: Final = "author"
CO_AUTHOR: Final = "co_author"
DECLARED_ACHIEVEMENT: Final = "declared_achievement"
DECLARED_PERSON: Final = "declared_person"
SAME_ENTERPRISE: Final = "same_enterprise"
SAME_CITY: Final = "same_city"
CODES: Final = (AUTHOR, CO_AUTHOR, DECLARED_ACHIEVEMENT, DECLARED_PERSON, SAME_ENTERPRISE, SAME_CITY)

# English msgids (see "Messages" above); they name no person and no unit.
MESSAGES: Final[dict[str, str]] = {
    AUTHOR: gettext_noop("The reviewer is an author of this achievement."),
    CO_AUTHOR: gettext_noop("The reviewer has written another achievement together with an author of this one."),
    DECLARED_ACHIEVEMENT: gettext_noop("The reviewer has declared a conflict of interest with this achievement."),
    DECLARED_PERSON: gettext_noop("The reviewer has declared a relation with an author of this achievement."),
    SAME_ENTERPRISE: gettext_noop("The reviewer works in the enterprise that submitted this achievement."),
    SAME_CITY: gettext_noop("The reviewer and the achievement come from the same city, which a provincial call does "
                            "not allow."),
}

# Sources of an assigned pair.
PINNED: Final = "pinned"
KEPT: Final = "kept"
AUTOMATIC: Final = "automatic"

# Why an achievement is short, and why a pair to keep was dropped.
NO_ELIGIBLE: Final = "no_eligible"
LOADS_FULL: Final = "loads_full"
SHORT_MESSAGES: Final[dict[str, str]] = {
    NO_ELIGIBLE: gettext_noop("Only %(eligible)s reviewers are free of conflicts of interest with this achievement; "
                    "%(needed)s are needed."),
    LOADS_FULL: gettext_noop("%(eligible)s reviewers are free of conflicts of interest with this achievement, but only "
                   "%(assigned)s could take it without going over their maximum load; %(needed)s are needed."),
}
DROPPED_CONFLICT: Final = "conflict"
DROPPED_LOAD: Final = "over_load"
DROPPED_PLACES: Final = "no_place"
DROPPED_UNKNOWN: Final = "unknown"


def _whole(value: object, least: int) -> bool:
    """Whether `value` is a whole number ≥ `least` (a bool is no count: data read from a form or JSON is re-checked)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


@dataclass(frozen=True)
class Achievement:
    """An achievement submitted to the call: its enterprise and city (None when it has none), its category (matched
    against reviewers' specialities) and its authors' person ids."""

    id: int
    enterprise_id: int | None = None
    city_id: int | None = None
    category: str = ""
    authors: frozenset[int] = field(default=frozenset())

    def __post_init__(self) -> None:
        object.__setattr__(self, "authors", frozenset(self.authors))


@dataclass(frozen=True)
class Reviewer:
    """An expert of the pool: their person (to catch an author reviewing their own work), enterprise, city,
    specialities and the most achievements they may review in this call."""

    id: int
    person_id: int | None = None
    enterprise_id: int | None = None
    city_id: int | None = None
    specialities: frozenset[str] = field(default=frozenset())
    max_load: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "specialities", frozenset(self.specialities))
        if not _whole(self.max_load, 0):
            raise ValueError(f"reviewer {self.id}: max_load must be a whole number ≥ 0, got {self.max_load!r}")


@dataclass(frozen=True)
class Declared:
    """A conflict the reviewer declared: with one achievement, or with a person (a relative, a former colleague…)
    — then every achievement that person wrote. Exactly one of the two is given."""

    reviewer_id: int
    achievement_id: int | None = None
    person_id: int | None = None

    def __post_init__(self) -> None:
        if (self.achievement_id is None) == (self.person_id is None):
            raise ValueError("a declared conflict names either an achievement or a person")


@dataclass(frozen=True)
class Pin:
    """A cadre's manual assignment (人工指定) of a reviewer to an achievement, kept whatever the conflicts; the reason
    is required and shown with the pair."""

    reviewer_id: int
    achievement_id: int
    reason: str


@dataclass(frozen=True)
class Exclusion:
    """One reason a pair is excluded: a stable `code` and a message rendered in the active language when read."""

    code: str

    @property
    def message(self) -> str:
        return gettext(MESSAGES[self.code])


@dataclass(frozen=True)
class Assigned:
    """An assigned pair: how it came (`PINNED`, `KEPT`, `AUTOMATIC`), the pin's reason and the conflicts a pin
    overrode (empty for every other pair)."""

    achievement_id: int
    reviewer_id: int
    source: str = AUTOMATIC
    reason: str = ""
    overridden: tuple[Exclusion, ...] = ()


@dataclass(frozen=True)
class Dropped:
    """A pair asked to be kept that was not: `code` is `DROPPED_CONFLICT` (with the exclusions), `DROPPED_LOAD` (the
    reviewer's load is full), `DROPPED_PLACES` (the achievement's N places are taken) or `DROPPED_UNKNOWN`."""

    achievement_id: int
    reviewer_id: int
    code: str
    exclusions: tuple[Exclusion, ...] = ()


@dataclass(frozen=True)
class Shortfall:
    """An achievement left with fewer than `needed` reviewers, with how many reviewers are free of conflict with it
    (`eligible`) and why (`code`: `NO_ELIGIBLE` or `LOADS_FULL`)."""

    achievement_id: int
    needed: int
    assigned: int
    eligible: int
    code: str

    @property
    def message(self) -> str:
        return gettext(SHORT_MESSAGES[self.code]) % {"eligible": self.eligible, "needed": self.needed,
                                                     "assigned": self.assigned}


@dataclass(frozen=True)
class Assignment:
    """What `assign` decided: every pair (sorted by achievement, then reviewer), the shortfalls, the pins that
    overrode a conflict, the kept pairs dropped, and every reviewer's load."""

    pairs: tuple[Assigned, ...]
    shortfalls: tuple[Shortfall, ...]
    overridden: tuple[Assigned, ...]
    dropped: tuple[Dropped, ...]
    loads: Mapping[int, int]

    def reviewers_of(self, achievement_id: int) -> list[int]:
        return [p.reviewer_id for p in self.pairs if p.achievement_id == achievement_id]


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown call level {level!r}; expected one of {LEVELS}")


def co_authors(achievements: Iterable[Achievement]) -> dict[int, frozenset[int]]:
    """For each author, the other persons they wrote an achievement with (among these achievements)."""
    found: dict[int, set[int]] = defaultdict(set)
    for achievement in achievements:
        for person in achievement.authors:
            found[person].update(achievement.authors - {person})
    return {person: frozenset(others) for person, others in found.items() if others}


def conflicts(reviewer: Reviewer, achievement: Achievement, *, level: str, declared: Iterable[Declared] = (),
              coauthors: Mapping[int, frozenset[int]] | None = None) -> list[Exclusion]:
    """Every reason `reviewer` may not review `achievement` in a call of `level` ([] when they may), in the order of
    `CODES`. `declared` may hold any reviewer's declarations (the others are ignored); `coauthors` is
    `co_authors(...)` of the call's achievements (or more)."""
    _check_level(level)
    found: list[Exclusion] = []
    person = reviewer.person_id
    if person is not None and person in achievement.authors:
        found.append(Exclusion(AUTHOR))
    elif person is not None and coauthors and coauthors.get(person, frozenset()) & achievement.authors:
        found.append(Exclusion(CO_AUTHOR))
    own = [d for d in declared if d.reviewer_id == reviewer.id]
    if any(d.achievement_id == achievement.id for d in own):
        found.append(Exclusion(DECLARED_ACHIEVEMENT))
    if any(d.person_id is not None and d.person_id in achievement.authors for d in own):
        found.append(Exclusion(DECLARED_PERSON))
    if reviewer.enterprise_id is not None and reviewer.enterprise_id == achievement.enterprise_id:
        found.append(Exclusion(SAME_ENTERPRISE))
    if level in CITY_CONFLICT_LEVELS and reviewer.city_id is not None and reviewer.city_id == achievement.city_id:
        found.append(Exclusion(SAME_CITY))
    return found


def _unique(items: Iterable[Any], what: str) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for item in items:
        if item.id in found:
            raise ValueError(f"{what} {item.id} appears twice")
        found[item.id] = item
    return found


def _mix(a: int, r: int) -> int:
    """A fixed pseudo-random tie-break for a pair (the same on every run and machine, unlike hash())."""
    x = (a * 0x9E3779B1 + r * 0x85EBCA77) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 0x2C1B3C6D) & 0xFFFFFFFF
    return x ^ (x >> 12)


def _excluded_sets(achievements: list[Achievement], reviewers: list[Reviewer], level: str,
                   declared: Iterable[Declared]) -> list[set[int]]:
    """For each achievement (by position), the positions of the reviewers excluded from it — by index look-ups, not
    by testing every pair (the same reasons as `conflicts`; a test checks they agree)."""
    position = {r.id: i for i, r in enumerate(reviewers)}
    by_person: dict[int, list[int]] = defaultdict(list)
    by_enterprise: dict[int, list[int]] = defaultdict(list)
    by_city: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(reviewers):
        if r.person_id is not None:
            by_person[r.person_id].append(i)
        if r.enterprise_id is not None:
            by_enterprise[r.enterprise_id].append(i)
        if r.city_id is not None:
            by_city[r.city_id].append(i)
    declared_achievement: dict[int, set[int]] = defaultdict(set)
    declared_person: dict[int, set[int]] = defaultdict(set)
    for d in declared:
        if d.reviewer_id not in position:
            continue
        if d.achievement_id is not None:
            declared_achievement[d.achievement_id].add(position[d.reviewer_id])
        elif d.person_id is not None:
            declared_person[d.person_id].add(position[d.reviewer_id])
    coauthors = co_authors(achievements)
    city_conflicts = level in CITY_CONFLICT_LEVELS
    result: list[set[int]] = []
    for a in achievements:
        out: set[int] = set(declared_achievement.get(a.id, ()))
        for person in a.authors:
            out.update(by_person.get(person, ()))
            out.update(declared_person.get(person, ()))
            for other in coauthors.get(person, ()):
                out.update(by_person.get(other, ()))
        if a.enterprise_id is not None:
            out.update(by_enterprise.get(a.enterprise_id, ()))
        if city_conflicts and a.city_id is not None:
            out.update(by_city.get(a.city_id, ()))
        result.append(out)
    return result


def assign(achievements: Iterable[Achievement], reviewers: Iterable[Reviewer], *, level: str, per_achievement: int,
           declared: Iterable[Declared] = (), pins: Iterable[Pin] = (),
           keep: Iterable[tuple[int, int]] = (), speciality_slack: int = 1) -> Assignment:
    """Assign `per_achievement` reviewers to each achievement (see the module's docstring for the order and the
    guarantees). `keep` holds (achievement id, reviewer id) pairs already assigned. Raises ValueError on input a
    service must refuse first: an unknown level, N < 1, a negative slack, a duplicate id, a pin without a reason,
    of an unknown id, twice, more than N on one achievement or over a reviewer's maximum load."""
    _check_level(level)
    if not _whole(per_achievement, 1):
        raise ValueError(f"per_achievement must be a whole number ≥ 1, got {per_achievement!r}")
    if not _whole(speciality_slack, 0):
        raise ValueError(f"speciality_slack must be a whole number ≥ 0, got {speciality_slack!r}")
    a_by_id = _unique(achievements, "achievement")
    r_by_id = _unique(reviewers, "reviewer")
    achs: list[Achievement] = [a_by_id[k] for k in sorted(a_by_id)]
    revs: list[Reviewer] = [r_by_id[k] for k in sorted(r_by_id)]
    a_pos = {a.id: i for i, a in enumerate(achs)}
    r_pos = {r.id: i for i, r in enumerate(revs)}
    declared = sorted(set(declared), key=lambda d: (d.reviewer_id, d.achievement_id or 0, d.person_id or 0))
    excluded = _excluded_sets(achs, revs, level, declared)
    n = per_achievement
    capacity = [r.max_load for r in revs]
    load = [0] * len(revs)
    on: list[set[int]] = [set() for _ in achs]  # reviewer positions on each achievement
    fixed: set[tuple[int, int]] = set()  # (achievement position, reviewer position) not to be moved
    pairs: dict[tuple[int, int], Assigned] = {}
    coauthors = co_authors(achs)
    own: dict[int, list[Declared]] = defaultdict(list)  # each reviewer's declarations, to explain a conflict
    for d in declared:
        own[d.reviewer_id].append(d)

    # 1. Pins: validated, then kept whatever the conflicts.
    seen_pins: set[tuple[int, int]] = set()
    for pin in sorted(pins, key=lambda p: (p.achievement_id, p.reviewer_id)):
        if not pin.reason.strip():
            raise ValueError(f"the pin of reviewer {pin.reviewer_id} to achievement {pin.achievement_id} "
                             "has no reason; a manual assignment must say why")
        if pin.achievement_id not in a_pos or pin.reviewer_id not in r_pos:
            raise ValueError(f"the pin of reviewer {pin.reviewer_id} to achievement {pin.achievement_id} "
                             "names an unknown reviewer or achievement")
        key = (pin.achievement_id, pin.reviewer_id)
        if key in seen_pins:
            raise ValueError(f"reviewer {pin.reviewer_id} is pinned to achievement {pin.achievement_id} twice")
        seen_pins.add(key)
        ai, ri = a_pos[pin.achievement_id], r_pos[pin.reviewer_id]
        if len(on[ai]) >= n:
            raise ValueError(f"achievement {pin.achievement_id} has more than {n} pinned reviewers")
        if load[ri] >= capacity[ri]:
            raise ValueError(f"the pins give reviewer {pin.reviewer_id} more than their maximum load "
                             f"of {capacity[ri]}")
        found = tuple(conflicts(revs[ri], achs[ai], level=level, declared=own[pin.reviewer_id], coauthors=coauthors)) \
            if ri in excluded[ai] else ()
        on[ai].add(ri)
        load[ri] += 1
        fixed.add((ai, ri))
        pairs[(ai, ri)] = Assigned(pin.achievement_id, pin.reviewer_id, PINNED, pin.reason.strip(), found)

    # 2. Pairs to keep: only when free of conflict, with room and a place left.
    dropped: list[Dropped] = []
    for a_id, r_id in sorted(set(keep)):
        if a_id not in a_pos or r_id not in r_pos:
            dropped.append(Dropped(a_id, r_id, DROPPED_UNKNOWN))
            continue
        ai, ri = a_pos[a_id], r_pos[r_id]
        if (ai, ri) in pairs:
            continue  # pinned as well: the pin says more
        if ri in excluded[ai]:
            found = tuple(conflicts(revs[ri], achs[ai], level=level, declared=own[r_id], coauthors=coauthors))
            dropped.append(Dropped(a_id, r_id, DROPPED_CONFLICT, found))
        elif load[ri] >= capacity[ri]:
            dropped.append(Dropped(a_id, r_id, DROPPED_LOAD))
        elif len(on[ai]) >= n:
            dropped.append(Dropped(a_id, r_id, DROPPED_PLACES))
        else:
            on[ai].add(ri)
            load[ri] += 1
            fixed.add((ai, ri))
            pairs[(ai, ri)] = Assigned(a_id, r_id, KEPT)

    # 3. Greedy: the hardest achievements first, each to the lightest eligible reviewers.
    all_r = range(len(revs))
    eligible_count = [len(revs) - len(ex) for ex in excluded]
    order = sorted(range(len(achs)), key=lambda i: (eligible_count[i], achs[i].id))
    specialists = [frozenset(i for i in all_r if a.category and a.category in revs[i].specialities) for a in achs]
    for ai in order:
        need = n - len(on[ai])
        if need <= 0:
            continue
        ex, cur, spec, a_id = excluded[ai], on[ai], specialists[ai], achs[ai].id
        candidates = [ri for ri in all_r if load[ri] < capacity[ri] and ri not in ex and ri not in cur]
        chosen = heapq.nsmallest(need, candidates, key=lambda ri: (
            load[ri] + (0 if ri in spec else speciality_slack), ri not in spec, _mix(a_id, revs[ri].id)))
        for ri in chosen:
            cur.add(ri)
            load[ri] += 1
            pairs[(ai, ri)] = Assigned(a_id, revs[ri].id, AUTOMATIC)

    # 4. Repair: complete a short achievement along an augmenting path through full reviewers.
    holding: list[set[int]] = [set() for _ in revs]  # achievement positions each reviewer holds (movable ones)
    for ai, ri in pairs:
        if (ai, ri) not in fixed:
            holding[ri].add(ai)
    dead: set[int] = set()  # reviewers from whom no path reaches room: it stays so (loads only grow)
    for ai in order:
        while len(on[ai]) < n and eligible_count[ai] >= n and _augment(ai, excluded, on, holding, load, capacity,
                                                                        dead):
            pass
    # The repair moved pairs: rebuild them from `on`, keeping the pins' and kept pairs' records.
    final: list[Assigned] = []
    for ai, a in enumerate(achs):
        for ri in sorted(on[ai], key=lambda i: revs[i].id):
            final.append(pairs.get((ai, ri)) or Assigned(a.id, revs[ri].id, AUTOMATIC))
    shortfalls = tuple(
        Shortfall(a.id, n, len(on[ai]), eligible_count[ai], NO_ELIGIBLE if eligible_count[ai] < n else LOADS_FULL)
        for ai, a in enumerate(achs) if len(on[ai]) < n)
    return Assignment(
        pairs=tuple(final), shortfalls=shortfalls,
        overridden=tuple(p for p in final if p.source == PINNED and p.overridden),
        dropped=tuple(dropped), loads={r.id: load[i] for i, r in enumerate(revs)})


def _augment(start: int, excluded: list[set[int]], on: list[set[int]], holding: list[set[int]], load: list[int],
             capacity: list[int], dead: set[int]) -> bool:
    """Give achievement `start` one more reviewer by a breadth-first augmenting path: start ← r1 (full) ← r1 leaves
    a1, a1 ← r2 (full) … ← rk with room. Only automatic pairs move; True when a path was applied.

    Each reviewer and achievement is visited once (reachability in the residual graph of the flow). When no path
    exists, every reviewer reached joins `dead`: they are all full and lead only to one another, and a later path
    never changes their pairs (it would have to pass through them), so later searches skip them."""
    reviewers = range(len(load))
    parent: dict[int, tuple[int, int | None]] = {}  # reviewer → (achievement it would join, reviewer it replaces there)
    seen = {start}
    frontier: list[tuple[int, int | None]] = [(start, None)]  # (achievement needing a reviewer, reviewer leaving it)
    while frontier:
        nxt: list[tuple[int, int | None]] = []
        for ai, leaving in frontier:
            for ri in reviewers:
                if ri in parent or ri in dead or ri in excluded[ai] or ri in on[ai]:
                    continue
                parent[ri] = (ai, leaving)
                if load[ri] < capacity[ri]:
                    _apply(ri, parent, on, holding, load)
                    return True
                for other in sorted(holding[ri]):
                    if other not in seen:
                        seen.add(other)
                        nxt.append((other, ri))
        frontier = nxt
    dead.update(parent)
    return False


def _apply(last: int, parent: dict[int, tuple[int, int | None]], on: list[set[int]], holding: list[set[int]],
           load: list[int]) -> None:
    """Apply the path ending at the reviewer `last` (who has room): each reviewer joins its achievement, and the
    reviewer it replaces there moves on up the path."""
    load[last] += 1
    ri: int | None = last
    while ri is not None:
        ai, leaving = parent[ri]
        on[ai].add(ri)
        holding[ri].add(ai)
        if leaving is not None:
            on[ai].discard(leaving)
            holding[leaving].discard(ai)
        ri = leaving
