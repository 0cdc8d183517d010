"""The statistics dashboard (统计, issue 13) at 10,000,000 facts: a province of 16 cities, 6 counties each, 8 enterprise
unions per county (768 enterprises; every fourth affiliated to one of 8 industry unions), 20 metrics of 4 apps, and
every enterprise × metric × day from 2025-01-01 holding a figure (a dense worst case: a real province is sparser).
The database makes them (INSERT … SELECT over generate_series on PostgreSQL, a recursive CTE on SQLite; the values a
function of the row, so the same facts can be made again anywhere), then rolls them up as `facts.add` would have:
every org above an enterprise (regionally and through its industry union) × day, then every org × month and × year.

Timed, each many times (p50, p95), the dashboard's own read functions (gongjiang/stats/queries/dashboard.py: what
the page, the API and the home panel call) for the province, a city, an industry union and a county, for a year
and a month: the tiles (every metric, and the year before), the trend, the breakdown by child.
References, in the same run:
- DuckDB (in-process, columnar) holding the same facts (copied over as CSV), answering the same three reads with a
  scan of its fact table (no index: what an analytical engine beside the database would do per request); it is
  given the breakdown's org ids, so beside our breakdown (which reads the children, names included) the bench also
  times our figures alone for the same ids ("figures");
- a GROUP BY over the raw rows (the enterprises' daily figures) per request: the province's breakdown by city and
  its tiles, summed from the enterprises up through the tree (what the fact store avoids).
Target (issue 13): p95 under 50 ms for any scope and period, at least 10× faster than the DuckDB scan.

    python -m bench.stats_dashboard sqlite|postgresql
      (BENCH_FACTS=10000000: how many facts to make, about; BENCH_N=200 runs of each read)
"""

from __future__ import annotations

import csv
import datetime
import os
import statistics
import tempfile
import time
from typing import Any

from bench.common import db_arg, emit, setup, timed

CITIES, COUNTIES, UNITS, INDUSTRIES = 16, 6, 8, 8
APPS, PER_APP = 4, 5
FIRST_DAY = datetime.date(2025, 1, 1)


def register_metrics() -> list[str]:
    """The benchmark's metrics (the apps' own may be few on this branch): 4 apps × 5, one of them in 万元."""
    from gongjiang.orgs import facts

    facts._metrics.clear()
    facts._sources.clear()
    keys = []
    for a in range(APPS):
        for m in range(PER_APP):
            key = f"bench{a}.m{m}"
            facts.register_metric(facts.Metric(key, f"指标{a}-{m}", "项", "基准测试指标", places=2 if m == 4 else 0,
                                               wan=m == 4, order=m))
            keys.append(key)
    return keys


def build_tree() -> dict[str, Any]:
    from django.db import transaction

    from gongjiang.orgs.choices import OrgKind
    from gongjiang.orgs.models import Org

    with transaction.atomic():
        province = Org.objects.add_root(create_kwargs={"name": "山东省总工会", "code": "37", "kind": OrgKind.PROVINCE})
        industries = [Org.objects.add_child(province, create_kwargs={
            "name": f"省第{i + 1}产业工会", "code": f"I{i}", "kind": OrgKind.INDUSTRY}) for i in range(INDUSTRIES)]
        cities, counties, units = [], [], []
        n = 0
        for c in range(CITIES):
            city = Org.objects.add_child(province, create_kwargs={"name": f"第{c + 1}市总工会", "code": f"C{c:02d}",
                                                                  "kind": OrgKind.CITY})
            cities.append(city)
            for k in range(COUNTIES):
                county = Org.objects.add_child(city, create_kwargs={
                    "name": f"第{c + 1}市第{k + 1}县总工会", "code": f"C{c:02d}K{k}", "kind": OrgKind.COUNTY})
                counties.append(county)
                for e in range(UNITS):
                    industry = industries[n // 4 % INDUSTRIES] if n % 4 == 0 else None
                    units.append(Org.objects.add_child(county, create_kwargs={
                        "name": f"第{c + 1}市第{k + 1}县第{e + 1}企业工会", "code": f"C{c:02d}K{k}E{e}",
                        "kind": OrgKind.GRASSROOTS, "industry_union": industry,
                        "industry_path": industry.path if industry else ""}))
                    n += 1
    return {"province": province, "industries": industries, "cities": cities, "counties": counties, "units": units}


def generate(tree: dict[str, Any], keys: list[str], days: int) -> dict[str, float]:
    """The enterprises' daily figures (`days` days from FIRST_DAY), then every ancestor's days, then every org's
    months and years — set-based statements, the rows in key order."""
    from django.db import connection

    from gongjiang.orgs import facts

    pg = connection.vendor == "postgresql"
    timings: dict[str, float] = {}
    units = tree["units"]
    with connection.cursor() as cursor:
        for table in ("bench_units", "bench_metrics", "bench_days", "bench_reach"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute("CREATE TABLE bench_units (n integer PRIMARY KEY, id bigint)")
        cursor.executemany("INSERT INTO bench_units VALUES (%s, %s)", [(i, u.pk) for i, u in enumerate(units)])
        cursor.execute("CREATE TABLE bench_metrics (n integer PRIMARY KEY, k varchar(48))")
        cursor.executemany("INSERT INTO bench_metrics VALUES (%s, %s)", list(enumerate(keys)))
        cursor.execute("CREATE TABLE bench_days (n integer PRIMARY KEY, d date, m date, y date)")
        cursor.executemany("INSERT INTO bench_days VALUES (%s, %s, %s, %s)", [
            (i, d, d.replace(day=1), d.replace(month=1, day=1))
            for i, d in ((i, FIRST_DAY + datetime.timedelta(days=i)) for i in range(days))])
        # every (enterprise, org above it): regionally and through its industry union (facts.reach)
        reach = facts.reach(units)
        cursor.execute("CREATE TABLE bench_reach (unit_id bigint, org_id bigint)")
        cursor.executemany("INSERT INTO bench_reach VALUES (%s, %s)",
                           [(u, o) for u, orgs in reach.items() for o in orgs if o != u])
        cursor.execute("CREATE INDEX bench_reach_unit ON bench_reach (unit_id)")

        t = time.perf_counter()
        # the enterprises' days: value a function of (unit, metric, day), 0–40 (0, one in 41, is not stored)
        value = "((u.n * 7 + m.n * 13 + d.n * 3) % 41)"  # no parameters: the % goes to the database as it is
        cursor.execute(f"""
            INSERT INTO orgs_fact (org_id, metric, period, start, value)
            SELECT u.id, m.k, 'D', d.d, {value}
            FROM bench_units u CROSS JOIN bench_metrics m CROSS JOIN bench_days d
            WHERE {value} <> 0
            ORDER BY u.id, m.k, d.d""")
        timings["unit_days"] = round(time.perf_counter() - t, 1)
        print(f"  enterprises' days in {timings['unit_days']} s", flush=True)
        t = time.perf_counter()
        cursor.execute("""
            INSERT INTO orgs_fact (org_id, metric, period, start, value)
            SELECT r.org_id, f.metric, 'D', f.start, SUM(f.value)
            FROM orgs_fact f JOIN bench_reach r ON r.unit_id = f.org_id
            WHERE f.period = 'D'
            GROUP BY r.org_id, f.metric, f.start
            ORDER BY r.org_id, f.metric, f.start""")
        timings["rollup_days"] = round(time.perf_counter() - t, 1)
        print(f"  the days above them in {timings['rollup_days']} s", flush=True)
        t = time.perf_counter()
        for period, column in (("M", "m"), ("Y", "y")):
            cursor.execute(f"""
                INSERT INTO orgs_fact (org_id, metric, period, start, value)
                SELECT f.org_id, f.metric, '{period}', d.{column}, SUM(f.value)
                FROM orgs_fact f JOIN bench_days d ON d.d = f.start
                WHERE f.period = 'D'
                GROUP BY f.org_id, f.metric, d.{column}
                ORDER BY f.org_id, f.metric, d.{column}""")
        timings["months_years"] = round(time.perf_counter() - t, 1)
        print(f"  months and years in {timings['months_years']} s", flush=True)
        for table in ("bench_metrics", "bench_days", "bench_reach"):
            cursor.execute(f"DROP TABLE {table}")
        # PostgreSQL: VACUUM too, as autovacuum would soon after such a load: the visibility map lets the readers'
        # index-only scans skip the heap (the fact index INCLUDEs the value)
        cursor.execute("ANALYZE" if not pg else "VACUUM ANALYZE orgs_fact")
    return timings


def percentiles(fn: Any, n: int) -> dict[str, float]:
    fn()  # warm-up
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
            "max_ms": round(times[-1], 2), "runs": n}


def ours(tree: dict[str, Any], last_day: datetime.date) -> dict[str, Any]:
    """The dashboard's reads (what the page calls), per scope and period."""
    from gongjiang.orgs import facts
    from gongjiang.stats.queries import dashboard as q
    from gongjiang.stats.queries.periods import Chosen

    year = Chosen("Y", last_day.replace(month=1, day=1))
    month = Chosen("M", last_day.replace(day=1))
    group = [m for m in facts.metrics() if m.app == "bench0"]
    scopes = {"province": tree["province"], "city": tree["cities"][3], "industry": tree["industries"][2],
              "county": tree["counties"][40]}
    keys = [m.key for m in group]
    out = {}
    for scope, org in scopes.items():
        ids = [org.pk, *(k.pk for k in q.children(org, q.trees(org)[0]))]
        for label, p in (("year", year), ("month", month)):
            out[f"{scope}_{label}_tiles"] = lambda org=org, p=p: q.tiles(org, p)
            out[f"{scope}_{label}_trend"] = lambda org=org, p=p: q.trend(org, p, group)
            out[f"{scope}_{label}_breakdown"] = lambda org=org, p=p: q.breakdown(org, p, group)
            # the same when the org's children are not kept from a moment ago (the first read of a process, or
            # after an org changed): the children of both trees read with the figures
            out[f"{scope}_{label}_breakdown_cold"] = lambda org=org, p=p: (q._KEPT.clear(), q.breakdown(org, p, group))
            # the breakdown's figures alone, for the ids DuckDB is given (its reference does not read the children)
            out[f"{scope}_{label}_figures"] = lambda ids=ids, p=p: facts.values(ids, keys, p.kind, p.start)
    return out


def export_csv(path: str) -> int:
    """The store's rows as CSV (for DuckDB), streamed."""
    from django.db import connection

    n = 0
    with open(path, "w", newline="") as f, connection.cursor() as cursor:
        w = csv.writer(f)
        w.writerow(["org_id", "metric", "period", "start", "value"])
        cursor.execute("SELECT org_id, metric, period, start, value FROM orgs_fact")
        while rows := cursor.fetchmany(100_000):
            w.writerows(rows)
            n += len(rows)
    return n


def duckdb_reads(tree: dict[str, Any], last_day: datetime.date, path: str) -> tuple[dict[str, Any], float]:
    """The same reads answered by DuckDB from the same facts: a scan of its fact table each (no index)."""
    import duckdb

    from gongjiang.orgs import facts
    from gongjiang.stats.queries import dashboard as q
    from gongjiang.stats.queries.periods import Chosen

    con = duckdb.connect()  # its default threads: every core (2 here)
    t = time.perf_counter()
    con.execute(f"CREATE TABLE fact AS SELECT * FROM read_csv('{path}', header = true, columns = {{'org_id': "
                "'BIGINT', 'metric': 'VARCHAR', 'period': 'VARCHAR', 'start': 'DATE', 'value': 'DECIMAL(20,2)'})")
    loaded = time.perf_counter() - t
    keys = [m.key for m in facts.metrics()]
    group = [m.key for m in facts.metrics() if m.app == "bench0"]
    year, month = last_day.replace(month=1, day=1), last_day.replace(day=1)
    scopes = {"province": tree["province"], "city": tree["cities"][3], "industry": tree["industries"][2],
              "county": tree["counties"][40]}

    def values(org_ids: list[int], ks: list[str], period: str, start: datetime.date) -> list[Any]:
        return con.execute("SELECT org_id, metric, value FROM fact WHERE org_id IN (SELECT unnest(?)) AND metric IN "
                           "(SELECT unnest(?)) AND period = ? AND start = ?", [org_ids, ks, period, start]).fetchall()

    def series(org_id: int, ks: list[str], period: str, first: datetime.date, last: datetime.date) -> list[Any]:
        return con.execute("SELECT metric, start, value FROM fact WHERE org_id = ? AND metric IN (SELECT unnest(?)) "
                           "AND period = ? AND start BETWEEN ? AND ?", [org_id, ks, period, first, last]).fetchall()

    out = {}
    for scope, org in scopes.items():
        kids = [k.pk for k in q.children(org, q.trees(org)[0])]
        for label, period, start in (("year", "Y", year), ("month", "M", month)):
            before = start.replace(year=start.year - 1)
            first = Chosen(period, start).trend()[0].start
            out[f"{scope}_{label}_tiles"] = lambda org=org, p=period, s=start, b=before: (
                values([org.pk], keys, p, s), values([org.pk], keys, p, b))
            out[f"{scope}_{label}_trend"] = lambda org=org, p=period, s=start, f=first: series(org.pk, group, p, f, s)
            out[f"{scope}_{label}_breakdown"] = lambda org=org, p=period, s=start, kids=kids: values(
                [org.pk, *kids], group, p, s)
    return out, loaded


def raw_group_by(tree: dict[str, Any], last_day: datetime.date) -> dict[str, Any]:
    """The province's breakdown by city and its tiles for the year, summed per request from the enterprises' daily
    figures up through the tree (a GROUP BY over the raw rows: what the fact store keeps ahead)."""
    from django.db import connection

    from gongjiang.orgs import facts

    province = tree["province"]
    first, last = last_day.replace(month=1, day=1), last_day.replace(month=12, day=31)
    keys = [m.key for m in facts.metrics()]
    group = [m.key for m in facts.metrics() if m.app == "bench0"]
    marks = ", ".join(["%s"] * len(keys))
    gmarks = ", ".join(["%s"] * len(group))
    width = len(province.path) + 4  # a city's path

    def run(sql: str, params: list[Any]) -> Any:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    return {
        "province_year_tiles": lambda: run(
            f"SELECT f.metric, SUM(f.value) FROM orgs_fact f JOIN orgs_org o ON o.id = f.org_id "
            f"WHERE o.kind = 'grassroots' AND f.period = 'D' AND f.start BETWEEN %s AND %s AND f.metric IN ({marks}) "
            f"GROUP BY f.metric", [first, last, *keys]),
        "province_year_breakdown": lambda: run(
            f"SELECT substr(o.path, 1, {width}), f.metric, SUM(f.value) FROM orgs_fact f JOIN orgs_org o "
            f"ON o.id = f.org_id WHERE o.kind = 'grassroots' AND f.period = 'D' AND f.start BETWEEN %s AND %s "
            f"AND f.metric IN ({gmarks}) GROUP BY 1, 2", [first, last, *group]),
    }


def main() -> None:
    db = setup(db_arg(), "stats_dashboard")
    from django.db import connection

    from gongjiang.orgs.models import Fact

    load_start = os.getloadavg()[0]
    wanted = int(os.environ.get("BENCH_FACTS", "10000000"))
    runs = int(os.environ.get("BENCH_N", "200"))
    keys = register_metrics()
    t_tree, tree = timed(build_tree)
    n_orgs = 1 + INDUSTRIES + CITIES * (1 + COUNTIES * (1 + UNITS))
    # every org × metric × day holds a row (40/41 of the enterprises' days are non-zero), plus months and years
    days = max(31, round(wanted / (n_orgs * len(keys) * 1.03)))
    last_day = FIRST_DAY + datetime.timedelta(days=days - 1)
    print(f"  tree of {n_orgs} orgs in {t_tree:.1f} s; making {days} days of facts to {last_day}", flush=True)
    t_facts, made = timed(lambda: generate(tree, keys, days))
    total = Fact.objects.count()
    print(f"  {total:,} facts in {t_facts:.0f} s", flush=True)

    ours_reads = {name: percentiles(fn, runs) for name, fn in ours(tree, last_day).items()}
    with tempfile.TemporaryDirectory(prefix="stats-bench-") as tmp:
        path = os.path.join(tmp, "facts.csv")
        t_csv, exported = timed(lambda: export_csv(path))
        assert exported == total, (exported, total)
        duck, duck_load = duckdb_reads(tree, last_day, path)
        duck_reads = {name: percentiles(fn, max(10, runs // 4)) for name, fn in duck.items()}
    raw = {name: percentiles(fn, 3) for name, fn in raw_group_by(tree, last_day).items()}
    worst = max(v["p95_ms"] for v in ours_reads.values())
    # the figures alone are compared with DuckDB's breakdown (the same ids, metrics and period)
    def ref(k: str) -> str:
        return k.replace("_figures", "_breakdown").removesuffix("_cold")

    ratios = {k: round(duck_reads[ref(k)]["p95_ms"] / v["p95_ms"], 1) for k, v in ours_reads.items() if v["p95_ms"]}
    ratios_p50 = {k: round(duck_reads[ref(k)]["p50_ms"] / v["p50_ms"], 1) for k, v in ours_reads.items()
                  if v["p50_ms"]}
    raw_ratio = {k: round(v["p50_ms"] / ours_reads[k]["p50_ms"], 0) for k, v in raw.items()}
    data = {"database": db, "facts": total, "orgs": n_orgs, "metrics": len(keys), "days": days,
            "generate_seconds": made, "ours": ours_reads, "duckdb": duck_reads, "duckdb_load_seconds": round(
                duck_load, 1), "csv_seconds": round(t_csv, 1), "raw_group_by": raw, "worst_p95_ms": worst,
            "duckdb_over_ours_p95": ratios, "duckdb_over_ours_p50": ratios_p50, "raw_over_ours_p50": raw_ratio,
            "target_p95_ms": 50,
            "load_average_start": load_start, "load_average": os.getloadavg()[0], "vendor": connection.vendor}
    line = ", ".join(f"{k} {v['p95_ms']}" for k, v in ours_reads.items() if k.startswith("province"))
    emit("stats_dashboard", data, f"stats_dashboard[{db}, {total:,} facts, {n_orgs} orgs]: worst p95 {worst} ms "
         f"(target < 50; province p95 ms: {line}); DuckDB scan of the same facts: p95 {min(ratios.values())}–"
         f"{max(ratios.values())}× ours; GROUP BY over the enterprises' days: "
         + ", ".join(f"{k} p50 {v['p50_ms']:.0f} ms ({raw_ratio[k]:.0f}×)" for k, v in raw.items()))


if __name__ == "__main__":
    main()
