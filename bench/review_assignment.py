"""Assigning reviewers to a provincial call's achievements (issue 10 §3): `innovation.rules.review_assignment.assign`
on 3,000 achievements × 5 reviewers from a pool of 400 experts across 16 cities and 300 enterprises, with
specialities, authors who are also experts (and their co-authors), ~2 % of pairs declared as conflicts and a few
manual pins — against the reference in the same run: a naive random assignment with rejection (draw reviewers at
random, reject a conflicted, full or repeated one, give up after 50 draws), which is what a spreadsheet macro does.
Target (issue 10): under 10 s, and no reviewer over their load. Pure rules: no database.

    python -m bench.review_assignment [sqlite]   (BENCH_ACHIEVEMENTS, BENCH_REVIEWERS, BENCH_PER, BENCH_N)
"""

from __future__ import annotations

import dataclasses
import os
import random
import statistics
from collections import Counter, defaultdict
from typing import Any

from bench.common import db_arg, emit, timed

CATEGORIES = ("质量", "成本", "效率", "安全", "节能减排", "管理", "其他")
CITIES = 16
ENTERPRISES = 300


def build(n_achievements: int, n_reviewers: int, seed: int = 10) -> dict[str, Any]:
    """The call's data, drawn once with a fixed seed."""
    from gongjiang.innovation.rules.review_assignment import Achievement, Declared, Pin, Reviewer

    rng = random.Random(seed)
    city_of = {e: e % CITIES for e in range(ENTERPRISES)}
    reviewers = []
    for i in range(n_reviewers):
        enterprise = rng.randrange(ENTERPRISES) if rng.random() < 0.85 else None  # 15 %: federation / college experts
        reviewers.append(Reviewer(
            id=i + 1, person_id=100_000 + i, enterprise_id=enterprise,
            city_id=city_of[enterprise] if enterprise is not None else rng.choice([None, rng.randrange(CITIES)]),
            specialities=frozenset(rng.sample(CATEGORIES, rng.choice([1, 1, 2, 3]))),
            max_load=rng.choice([40, 45, 50])))
    achievements = []
    for i in range(n_achievements):
        enterprise = rng.randrange(ENTERPRISES)
        authors = {rng.randrange(1, 60_000) for _ in range(rng.choice([1, 2, 3, 4]))}
        if rng.random() < 0.03:  # an expert among the authors (then their co-authors conflict elsewhere too)
            authors.add(100_000 + rng.randrange(n_reviewers))
        achievements.append(Achievement(id=i + 1, enterprise_id=enterprise, city_id=city_of[enterprise],
                                        category=rng.choice(CATEGORIES), authors=frozenset(authors)))
    declared = set()
    target = int(0.02 * n_achievements * n_reviewers)
    while len(declared) < target:
        r = rng.randrange(1, n_reviewers + 1)
        a = achievements[rng.randrange(n_achievements)]
        if rng.random() < 0.5:
            declared.add(Declared(r, achievement_id=a.id))
        else:
            declared.add(Declared(r, person_id=rng.choice(sorted(a.authors))))
    # Ten manual pins, five of them over a conflict (a reviewer of the achievement's own city).
    pins = {}
    for k in range(10):
        a = achievements[rng.randrange(n_achievements)]
        pool = [r for r in reviewers if (r.city_id == a.city_id) == (k < 5)]
        r = rng.choice(pool)
        pins[(a.id, r.id)] = Pin(reviewer_id=r.id, achievement_id=a.id, reason="省总工会指定的领域专家")
    pins = list(pins.values())
    return {"achievements": achievements, "reviewers": reviewers, "declared": sorted(
        declared, key=lambda d: (d.reviewer_id, d.achievement_id or 0, d.person_id or 0)), "pins": pins}


def naive(data: dict[str, Any], per: int, excluded: dict[int, set[int]], seed: int = 7) -> dict[int, list[int]]:
    """The reference: random draws with rejection, achievement by achievement (the same conflicts, precomputed)."""
    rng = random.Random(seed)
    reviewers = data["reviewers"]
    load = dict.fromkeys((r.id for r in reviewers), 0)
    cap = {r.id: r.max_load for r in reviewers}
    ids = [r.id for r in reviewers]
    result: dict[int, list[int]] = {}
    for a in data["achievements"]:
        chosen: list[int] = []
        for _ in range(50):
            if len(chosen) == per:
                break
            r = rng.choice(ids)
            if r in chosen or r in excluded[a.id] or load[r] >= cap[r]:
                continue
            chosen.append(r)
            load[r] += 1
        result[a.id] = chosen
    return result


def exclusions(data: dict[str, Any], coauthors: dict[int, frozenset[int]]) -> dict[int, set[int]]:
    """The reviewers each achievement excludes, by the same reasons as the rule but computed here by plain look-ups
    (what `conflicts` would say pair by pair, 1.2 million times, takes tens of seconds)."""
    from gongjiang.innovation.rules.review_assignment import CITY_CONFLICT_LEVELS, PROVINCE

    reviewers = data["reviewers"]
    city_conflicts = PROVINCE in CITY_CONFLICT_LEVELS
    by_achievement: dict[int, set[int]] = defaultdict(set)
    by_person: dict[int, set[int]] = defaultdict(set)
    for d in data["declared"]:
        if d.achievement_id is not None:
            by_achievement[d.achievement_id].add(d.reviewer_id)
        else:
            by_person[d.person_id].add(d.reviewer_id)
    result = {}
    for a in data["achievements"]:
        near = set(a.authors)
        for person in a.authors:
            near |= coauthors.get(person, frozenset())
        out = set(by_achievement[a.id])
        for person in a.authors:
            out |= by_person[person]
        out |= {r.id for r in reviewers if r.person_id in near
                or (r.enterprise_id is not None and r.enterprise_id == a.enterprise_id)
                or (city_conflicts and r.city_id is not None and r.city_id == a.city_id)}
        result[a.id] = out
    return result


def spread(loads: dict[int, int]) -> dict[str, Any]:
    values = list(loads.values())
    return {"min": min(values), "max": max(values), "spread": max(values) - min(values),
            "stdev": round(statistics.pstdev(values), 2)}


def main() -> None:
    db = db_arg()  # accepted for `python -m bench`; the rule touches no database
    n_a = int(os.environ.get("BENCH_ACHIEVEMENTS", "3000"))
    n_r = int(os.environ.get("BENCH_REVIEWERS", "400"))
    per = int(os.environ.get("BENCH_PER", "5"))
    runs = int(os.environ.get("BENCH_N", "3"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjiang.settings")
    os.environ.setdefault("SECRET_KEY", "bench")
    from gongjiang.innovation.rules import review_assignment as ra

    t_build, data = timed(lambda: build(n_a, n_r))

    def ours() -> ra.Assignment:
        return ra.assign(data["achievements"], data["reviewers"], level=ra.PROVINCE, per_achievement=per,
                         declared=data["declared"], pins=data["pins"])

    times = []
    result = None
    for _ in range(runs):
        t, result = timed(ours)
        times.append(t)
    assert result is not None
    our_s = statistics.median(times)
    # Checks: every automatic pair free of conflict (by `conflicts`, pair by pair), no reviewer over their load,
    # every achievement full or reported, the same result for a shuffled input.
    by_id = {r.id: r for r in data["reviewers"]}
    a_by_id = {a.id: a for a in data["achievements"]}
    own: dict[int, list[ra.Declared]] = defaultdict(list)
    for d in data["declared"]:
        own[d.reviewer_id].append(d)
    coauthors = ra.co_authors(data["achievements"])
    conflicted = sum(1 for p in result.pairs if p.source != ra.PINNED and ra.conflicts(
        by_id[p.reviewer_id], a_by_id[p.achievement_id], level=ra.PROVINCE, declared=own[p.reviewer_id],
        coauthors=coauthors))
    over = sum(1 for r, n in result.loads.items() if n > by_id[r].max_load)
    count = Counter(p.achievement_id for p in result.pairs)
    short = {s.achievement_id for s in result.shortfalls}
    silent = sum(1 for a in data["achievements"] if count[a.id] < per and a.id not in short)
    shuffled = {k: list(v) for k, v in data.items()}
    for v in shuffled.values():
        random.Random(3).shuffle(v)
    same = ra.assign(shuffled["achievements"], shuffled["reviewers"], level=ra.PROVINCE, per_achievement=per,
                     declared=shuffled["declared"], pins=shuffled["pins"]) == result
    specialist = sum(1 for p in result.pairs if a_by_id[p.achievement_id].category in by_id[p.reviewer_id].specialities)

    # The reference, with the conflicts precomputed (outside its timing) so it measures drawing only.
    t_excluded, excluded = timed(lambda: exclusions(data, coauthors))
    # The same rule preferring balance over speciality (slack 0): the trade-off the default makes.
    t0, flat = timed(lambda: ra.assign(data["achievements"], data["reviewers"], level=ra.PROVINCE,
                                       per_achievement=per, declared=data["declared"], pins=data["pins"],
                                       speciality_slack=0))
    flat_specialist = sum(1 for p in flat.pairs
                          if a_by_id[p.achievement_id].category in by_id[p.reviewer_id].specialities)
    # Tight: every maximum load 38 (15,200 places for 15,000 reviews), where the greedy pass needs the repair.
    tight_reviewers = [dataclasses.replace(r, max_load=-(-n_a * per // n_r)) for r in data["reviewers"]]
    t_tight, tight = timed(lambda: ra.assign(data["achievements"], tight_reviewers, level=ra.PROVINCE,
                                             per_achievement=per, declared=data["declared"], pins=data["pins"]))
    tight_over = sum(1 for r in tight_reviewers if tight.loads[r.id] > r.max_load)
    ref_s, ref = timed(lambda: naive(data, per, excluded))
    ref_loads = Counter(r for chosen in ref.values() for r in chosen)
    ref_loads_all = {r.id: ref_loads.get(r.id, 0) for r in data["reviewers"]}
    ref_short = sum(1 for chosen in ref.values() if len(chosen) < per)
    # Cross-check: the rule never gave an automatic pair the plain look-ups exclude.
    conflicted += sum(1 for p in result.pairs if p.source != ra.PINNED and p.reviewer_id in excluded[p.achievement_id])
    eligible = [n_r - len(excluded[a.id]) for a in data["achievements"]]
    ratio = our_s / ref_s if ref_s else float("inf")
    loads = spread(dict(result.loads))
    ref_spread = spread(ref_loads_all)
    data_out = {"database": db, "achievements": n_a, "reviewers": n_r, "per_achievement": per,
                "declared": len(data["declared"]), "pins": len(data["pins"]), "overridden": len(result.overridden),
                "eligible_per_achievement": {"min": min(eligible), "median": statistics.median(eligible)},
                "build_s": round(t_build, 2), "ours_s": round(our_s, 2), "our_runs": [round(t, 2) for t in times],
                "pairs": len(result.pairs), "loads": loads, "shortfalls": len(result.shortfalls),
                "specialist_share": round(specialist / len(result.pairs), 3),
                "conflicted_unpinned": conflicted, "over_load": over, "silent_shortfalls": silent,
                "same_for_shuffled_input": same,
                "reference_s": round(ref_s, 3), "reference_exclusions_s": round(t_excluded, 2),
                "reference_loads": ref_spread, "reference_shortfalls": ref_short,
                "ratio": round(ratio, 1), "slack0_s": round(t0, 2), "slack0_loads": spread(dict(flat.loads)),
                "slack0_specialist_share": round(flat_specialist / len(flat.pairs), 3),
                "slack0_shortfalls": len(flat.shortfalls),
                "tight_max_load": tight_reviewers[0].max_load, "tight_s": round(t_tight, 2),
                "tight_loads": spread(dict(tight.loads)), "tight_shortfalls": len(tight.shortfalls),
                "tight_over_load": tight_over, "load_average": os.getloadavg()[0]}
    emit("review_assignment", data_out,
         f"review_assignment[{n_a:,} achievements × {per} from {n_r} reviewers, {len(data['declared']):,} declared]: "
         f"{our_s:.2f} s (target < 10 s), loads {loads['min']}–{loads['max']} (spread {loads['spread']}), "
         f"{len(result.shortfalls)} short, {over} over load, {conflicted} conflicted, "
         f"{specialist / len(result.pairs):.0%} by specialists; naive random draws {ref_s:.2f} s, loads "
         f"{ref_spread['min']}–{ref_spread['max']} (spread {ref_spread['spread']}), {ref_short} short → time ratio "
         f"{ratio:.1f}; balance first (slack 0): spread {spread(dict(flat.loads))['spread']}, "
         f"{flat_specialist / len(flat.pairs):.0%} by specialists; tight (max load {tight_reviewers[0].max_load}): "
         f"{t_tight:.2f} s, {len(tight.shortfalls)} short, {tight_over} over load")


if __name__ == "__main__":
    main()
