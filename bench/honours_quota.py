"""The quotas of a provincial honours campaign at 20,000 nominations (issue 11): the demo tree (orgs' demo scale), a
省工人先锋号 campaign of 25,000 places with its reserves shared down it through the verbs (the province to the cities
and industry unions, every city to its counties), and 20,000 submitted nominations of enterprises' teams written in
bulk with the counters the verbs keep (each nomination counted under its union's share and every share above).

Measured, with the reference in the same run:

- the quota table (the campaign page's table of the province's shares: one query reading the counters) and the
  campaign page itself, as the province's administrator sees it — target under 100 ms; the reference counts the
  nominations of each share's subtree on read (one COUNT per share, over the nominations joined to their unions),
  which is what the counters avoid;
- one submission's quota check (`submit_nomination` of a complete draft of a 历下 enterprise): its number of queries
  at 1,000 nominations and at 20,000 — it must not grow (asserted) — and its time.

    python -m bench.honours_quota [sqlite|postgresql]   (BENCH_SCALE=demo|tiny, BENCH_NOMINATIONS, BENCH_N)
"""

from __future__ import annotations

import datetime
import os
import random
from collections import defaultdict
from typing import Any

from bench.common import emit, median_ms, setup, timed


def share_down(admin: Any, campaign: Any) -> list[Any]:
    """The province's quota to the cities and industry unions (in proportion to their members, 50 places kept), every
    city's to its counties (5 kept): through `allocate_quotas`, as the cadres would."""
    from gongjiang.honours import services
    from gongjiang.honours.models import Allocation
    from gongjiang.honours.rules import quotas
    from gongjiang.orgs.choices import OrgKind
    from gongjiang.orgs.models import Org

    def split(allocation: Any, kinds: tuple[str, ...], keep: int) -> None:
        org = allocation.org
        below = list(Org.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True,
                                        kind__in=kinds).order_by("path"))
        if not below:
            return
        whole = quotas.Share(allocation.quota - keep, {k: max(allocation.share.reserved(k) - keep, 0)
                                                       for k in quotas.RESERVES})
        shares = quotas.propose(whole, [o.tree_members or o.tree_people or 1 for o in below])
        services.allocate_quotas(actor=admin, allocation=allocation, shares=dict(zip(below, shares, strict=True)))

    root = Allocation.objects.select_related("org").get(campaign=campaign, parent__isnull=True)
    split(root, (OrgKind.CITY, OrgKind.INDUSTRY), 50)
    for city in Allocation.objects.filter(campaign=campaign, org__kind=OrgKind.CITY).select_related("org"):
        split(city, (OrgKind.COUNTY,), 5)
    return list(Allocation.objects.filter(campaign=campaign).select_related("org"))


def nominate_in_bulk(campaign: Any, allocations: list[Any], n: int, rng: random.Random, start: int = 0) -> int:
    """`n` submitted nominations of teams by name, from enterprises spread over the shares (at most 90 % of each share's
    own places used by its direct enterprises), and the counters as the verbs would have kept them."""
    from gongjiang.honours.choices import NominationState, Subject
    from gongjiang.honours.models import Allocation, Nomination
    from gongjiang.orgs.choices import OrgKind
    from gongjiang.orgs.models import Org

    by_path = {a.org.path: a for a in allocations}
    enterprises = list(Org.objects.filter(path__startswith=campaign.org.path, kind=OrgKind.GRASSROOTS,
                                          is_active=True).only("id", "path", "ownership", "industry_path"))
    step = 4

    def leaf(path: str) -> Any:
        for i in range(len(path) - step, 0, -step):
            found = by_path.get(path[:i])
            if found is not None:
                return found
        raise LookupError(path)

    # A share's own places (what it did not give to the shares below) and what its own enterprises used of them.
    own_quota = {a.pk: a.quota for a in allocations}
    own_used = {a.pk: a.nominated for a in allocations}
    for a in allocations:
        if a.parent_id is not None:
            own_quota[a.parent_id] -= a.quota
            own_used[a.parent_id] -= a.nominated
    room: dict[int, int] = {}
    per_leaf: dict[int, list[Any]] = defaultdict(list)
    for e in enterprises:
        a = leaf(e.path)
        per_leaf[a.pk].append(e)
        room[a.pk] = int(own_quota[a.pk] * 0.9) - own_used[a.pk]
    parents = {a.pk: a.parent_id for a in allocations}
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = []
    leaves = [pk for pk in per_leaf if room[pk] > 0]
    made = 0
    while made < n and leaves:
        pk = rng.choice(leaves)
        e = rng.choice(per_leaf[pk])
        kinds = (["non_public"] if e.ownership in ("private", "foreign", "hmt") else []) + (
            ["front_line"] if rng.random() < 0.75 else [])
        rows.append(Nomination(campaign=campaign, unit_id=e.pk, allocation_id=pk, subject=Subject.COLLECTIVE,
                               name=f"先锋班组{start + made:05d}", front_line="front_line" in kinds,
                               deeds="该班组全年安全生产无事故，开展技术攻关五项，完成合理化建议三十条，创造经济效益一百万元。",
                               state=NominationState.SUBMITTED, kinds=kinds, submitted_at=campaign.created_at))
        up: int | None = pk
        while up is not None:
            counts[up]["nominated"] += 1
            for k in kinds:
                counts[up][f"nominated_{k}"] += 1
            up = parents[up]
        room[pk] -= 1
        if room[pk] <= 0:
            leaves.remove(pk)
        made += 1
    Nomination.objects.bulk_create(rows, batch_size=2000)
    changed = []
    for a in Allocation.objects.filter(pk__in=list(counts)):
        for field, value in counts[a.pk].items():
            setattr(a, field, getattr(a, field) + value)
        changed.append(a)
    Allocation.objects.bulk_update(changed, ["nominated", "nominated_non_public", "nominated_front_line"],
                                   batch_size=500)
    return made


def median_cpu_ms(fn: Any, n: int) -> float:
    """The median CPU time of this process over `n` calls (SQLite runs in the process; a loaded machine stretches wall
    time much more than CPU time)."""
    import statistics
    import time

    fn()
    times = []
    for _ in range(n):
        c = time.process_time()
        fn()
        times.append((time.process_time() - c) * 1000)
    return statistics.median(times)


def draft(admin: Any, campaign: Any, unit: Any, i: int) -> Any:
    from gongjiang.honours import services
    from gongjiang.honours.choices import Subject

    return services.nominate(actor=admin, campaign=campaign, unit=unit, subject=Subject.COLLECTIVE,
                             name=f"测量班组{i}", front_line=True,
                             deeds="该班组全年安全生产无事故，开展技术攻关五项，完成合理化建议三十条，创造经济效益一百万元。")


def submission(admin: Any, campaign: Any, unit: Any, i: int, runs: int) -> dict[str, Any]:
    """Submit (and withdraw) a complete draft `runs` times: the queries of one submission and the median time."""
    import statistics
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongjiang.honours import services

    n = draft(admin, campaign, unit, i)
    with CaptureQueriesContext(connection) as captured:
        services.submit_nomination(actor=admin, nomination=n)
    queries = len(captured.captured_queries)
    times = []
    for _ in range(runs):
        services.withdraw_nomination(actor=admin, nomination=n)
        t = time.perf_counter()
        services.submit_nomination(actor=admin, nomination=n)
        times.append((time.perf_counter() - t) * 1000)
    services.withdraw_nomination(actor=admin, nomination=n)
    return {"queries": queries, "median_ms": round(statistics.median(times), 2),
            "sql": [q["sql"][:160] for q in captured.captured_queries]}


def main() -> None:
    import sys

    db = setup(sys.argv[1] if len(sys.argv) > 1 else "sqlite", "honours_quota")
    scale = os.environ.get("BENCH_SCALE", "demo")
    target = int(os.environ.get("BENCH_NOMINATIONS", "20000"))
    runs = int(os.environ.get("BENCH_N", "15"))
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from gongjiang.honours import queries, services
    from gongjiang.honours.choices import NominationState
    from gongjiang.honours.models import Allocation, HonourType, Nomination
    from gongjiang.honours.rules import quotas
    from gongjiang.orgs import demo
    from gongjiang.orgs.models import Org, User

    rng = random.Random(11)
    t_tree, _ = timed(lambda: demo.load(scale))
    admin = User.objects.get(username="province_admin")
    province = Org.objects.get(code=demo.PROVINCE_CODE)
    today = timezone.localdate()
    pioneer = HonourType.objects.get(code="province_pioneer")
    total = -(-target * 5 // 4)  # 20,000 nominations fill 80 % of the places (shares without enterprises stay empty)
    campaign = services.create_campaign(
        actor=admin, honour_type=pioneer, org=province, year=today.year, title=f"{today.year}年山东省工人先锋号评选",
        opens_on=today - datetime.timedelta(days=10), submit_until=today + datetime.timedelta(days=30), total=total,
        reserves={"non_public": total // 5, "front_line": quotas.front_line_floor(total, pioneer.front_line_share)})
    t_share, allocations = timed(lambda: share_down(admin, campaign))
    lixia = Org.objects.get(code="370102")
    unit = Org.objects.filter(path__startswith=lixia.path, kind="grassroots", is_active=True).order_by("path").first()
    assert unit is not None
    # One submission's queries at 1,000 nominations …
    first = nominate_in_bulk(campaign, allocations, min(1000, target), rng)
    small = submission(admin, campaign, unit, 1, runs)
    # … and at 20,000.
    allocations = list(Allocation.objects.filter(campaign=campaign).select_related("org"))
    t_bulk, _more = timed(lambda: nominate_in_bulk(campaign, allocations, target - first, rng, start=first))
    large = submission(admin, campaign, unit, 2, runs)
    submitted = Nomination.objects.filter(campaign=campaign, state=NominationState.SUBMITTED).count()
    assert large["queries"] == small["queries"], (small["sql"], large["sql"])

    root = Allocation.objects.select_related("org", "parent__org").get(campaign=campaign, parent__isnull=True)
    table_ms, _t = median_ms(lambda: queries.quota_table(root), runs)
    with CaptureQueriesContext(connection) as captured:
        rows = queries.quota_table(root)
    table_queries = len(captured.captured_queries)
    assert sum(a.nominated for a in rows) <= root.nominated == submitted

    def counted() -> list[tuple[str, int]]:
        """The reference: each share's nominations counted on read over its subtree (what the counters avoid)."""
        return [(a.org.name, Nomination.objects.filter(
            campaign=campaign, state=NominationState.SUBMITTED, unit__path__startswith=a.org.path)
            .aggregate(n=Count("id"))["n"]) for a in rows]

    reference_ms, _t = median_ms(counted, runs)
    assert dict(counted()) == {a.org.name: a.nominated for a in rows}  # the counters are right
    client = Client()
    client.force_login(admin)
    url = reverse("honours:campaign_detail", args=[campaign.pk])
    assert client.get(url).status_code == 200
    page_ms, _t = median_ms(lambda: client.get(url), runs)
    page_cpu_ms = median_cpu_ms(lambda: client.get(url), runs)
    table_cpu_ms = median_cpu_ms(lambda: queries.quota_table(root), runs)
    reference_cpu_ms = median_cpu_ms(counted, runs)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    page_queries = len(captured.captured_queries)
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
    jinan = Org.objects.get(code="3701")
    city_url = f"{url}?org={jinan.pk}"
    city_ms, _t = median_ms(lambda: client.get(city_url), runs)
    ratio = reference_ms / table_ms if table_ms else float("inf")
    load = os.getloadavg()
    data = {"database": db, "scale": scale, "orgs": Org.objects.count(), "allocations": len(allocations),
            "nominations": submitted, "tree_s": round(t_tree, 1), "share_down_s": round(t_share, 2),
            "bulk_s": round(t_bulk, 2), "quota_table_ms": round(table_ms, 2), "quota_table_queries": table_queries,
            "shares_in_table": len(rows), "reference_count_on_read_ms": round(reference_ms, 2),
            "ratio": round(ratio, 1), "quota_table_cpu_ms": round(table_cpu_ms, 2),
            "reference_cpu_ms": round(reference_cpu_ms, 1), "campaign_page_ms": round(page_ms, 1),
            "campaign_page_cpu_ms": round(page_cpu_ms, 1), "campaign_page_queries": page_queries,
            "city_page_ms": round(city_ms, 1),
            "submission_queries_at_1000": small["queries"], "submission_queries_at_20000": large["queries"],
            "submission_ms_at_1000": small["median_ms"], "submission_ms_at_20000": large["median_ms"],
            "page_slowest_queries": [(q["time"], q["sql"][:300]) for q in slowest],
            "load_average": [round(x, 2) for x in load], "cpus": os.cpu_count()}
    emit("honours_quota", data,
         f"honours_quota[{db}, {submitted:,} nominations, {len(allocations)} shares]: quota table {table_ms:.2f} ms "
         f"(CPU {table_cpu_ms:.2f} ms; {table_queries} query; counting on read {reference_ms:.1f} ms → ratio "
         f"{ratio:.0f}), campaign page {page_ms:.0f} ms (CPU {page_cpu_ms:.0f} ms; {page_queries} queries; Jinan's "
         f"{city_ms:.0f} ms; target < 100 ms); one submission "
         f"{large['queries']} queries at {submitted:,} as at {first:,} ({large['median_ms']:.1f} ms vs "
         f"{small['median_ms']:.1f} ms); load {load[0]:.2f}")


if __name__ == "__main__":
    main()
