"""The rights app's 建制率/覆盖率 page (issue 15) for a province of 20,000 enterprises: 16 cities, 10 counties each,
125 enterprise unions per county (every fourth affiliated to one of 8 industry unions); about three quarters with a
congress term over the year, most with items made public, contracts of the four kinds with their coverage.

The orgs and the rights rows are written in bulk; the fact store is then filled by `facts.rebuild(["rights"])`, the
same rows the verbs keep (the source the tests check them against). Timed (p50, p95 of BENCH_N runs):
- `queries.rate_rows` for the province, a city, an industry union and a county (the figures of the page: the org and
  its children from one fact-store statement, the denominators from the org counters);
- the whole page (`GET /rights/?org=…&year=…` through the test client, as the province administrator);
- the reference: the same figures by GROUP BY over the raw rows (the congresses' enterprises, the items made public,
  the contracts' coverage) per city, what the page would cost without the store.
Target (issue 15): the province's page under 100 ms.

    python -m bench.rights_rates sqlite|postgresql      (BENCH_N=100 runs of each read)
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import time
from typing import Any

from bench.common import db_arg, emit, setup, timed

CITIES, COUNTIES, UNITS, INDUSTRIES = 16, 10, 125, 8
YEAR = 2026
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def seg(n: int) -> str:
    out = ""
    for _ in range(4):
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out


def build() -> dict[str, Any]:
    """The org tree in bulk (paths made here as treebeard makes them), with the counters the page reads."""
    from django.db import transaction

    from gongjiang.orgs.choices import OrgKind
    from gongjiang.orgs.models import Org

    rng = random.Random(15)
    with transaction.atomic():
        province = Org(path=seg(1), depth=1, numchild=CITIES + INDUSTRIES, name="山东省总工会", code="37",
                       kind=OrgKind.PROVINCE)
        industries = [Org(path=province.path + seg(CITIES + 1 + i), depth=2, name=f"省第{i + 1}产业工会",
                          code=f"I{i}", kind=OrgKind.INDUSTRY) for i in range(INDUSTRIES)]
        orgs, units = [province, *industries], []
        cities, counties = [], []
        n = 0
        for c in range(CITIES):
            city = Org(path=province.path + seg(c + 1), depth=2, numchild=COUNTIES, name=f"第{c + 1}市总工会",
                       code=f"C{c:02d}", kind=OrgKind.CITY)
            cities.append(city)
            for k in range(COUNTIES):
                county = Org(path=city.path + seg(k + 1), depth=3, numchild=UNITS, name=f"第{c + 1}市第{k + 1}县总工会",
                             code=f"C{c:02d}K{k}", kind=OrgKind.COUNTY)
                counties.append(county)
                for e in range(UNITS):
                    industry = industries[n // 4 % INDUSTRIES] if n % 4 == 0 else None
                    people = rng.randint(20, 800)
                    units.append(Org(path=county.path + seg(e + 1), depth=4,
                                     name=f"第{c + 1}市第{k + 1}县第{e + 1}企业工会",
                                     code=f"C{c:02d}K{k}E{e}", kind=OrgKind.GRASSROOTS,
                                     ownership=rng.choice(["state", "private", "private", "foreign", "collective"]),
                                     employee_count=people, person_count=people, tree_people=people,
                                     industry_path=industry.path if industry else "",
                                     tree_grassroots=1))
                    n += 1
                county.tree_grassroots = UNITS
                county.tree_people = sum(u.tree_people for u in units[-UNITS:])
            city.tree_grassroots = COUNTIES * UNITS
            city.tree_people = sum(k.tree_people for k in counties[-COUNTIES:])
        province.tree_grassroots = len(units)
        province.tree_people = sum(c.tree_people for c in cities)
        Org.objects.bulk_create([*orgs, *cities, *counties, *units], batch_size=5000)
        by_path = dict(Org.objects.values_list("path", "pk"))
        for u in units:
            u.pk = by_path[u.path]
        for o in [*orgs, *cities, *counties]:
            o.pk = by_path[o.path]
    return {"province": province, "industries": industries, "cities": cities, "counties": counties, "units": units}


def fill(tree: dict[str, Any]) -> dict[str, int]:
    """The rights rows of every enterprise (bulk), then the fact store from them."""
    from django.db import transaction

    from gongjiang.orgs import facts
    from gongjiang.rights.models import Congress, Contract, Coverage, OpennessItem

    rng = random.Random(2026)
    D = datetime.date
    with transaction.atomic():
        congresses, items, contracts, covered = [], [], [], []
        for u in tree["units"]:
            if rng.random() < 0.75:
                start = D(YEAR - rng.randint(0, 2), rng.randint(1, 12), 1)
                congresses.append((Congress(org=u, form="congress", term=1, established_on=start,
                                            ends_on=start.replace(year=start.year + 3) - datetime.timedelta(days=1)),
                                   u))
            if rng.random() < 0.8:
                items.append(OpennessItem(enterprise=u, topic="wages", channel="board", title="薪酬公开",
                                          published_on=D(YEAR, rng.randint(1, 11), 1)))
            for kind, share in (("comprehensive", 0.7), ("wages", 0.6), ("women", 0.5), ("safety", 0.3)):
                if rng.random() < share:
                    start = D(YEAR - rng.randint(0, 1), rng.randint(1, 12), 1)
                    contracts.append(Contract(org=u, kind=kind, title=f"{kind}合同", employer_party="企业",
                                              starts_on=start, ends_on=start.replace(year=start.year + 2)
                                              - datetime.timedelta(days=1), state="signed", signed_on=start,
                                              covered_workers=u.tree_people))
                    covered.append((u, u.tree_people))
        Congress.objects.bulk_create([c for c, _u in congresses], batch_size=5000)
        through = Congress.enterprises.through
        through.objects.bulk_create([through(congress_id=c.pk, org_id=u.pk) for c, u in congresses], batch_size=5000)
        OpennessItem.objects.bulk_create(items, batch_size=5000)
        Contract.objects.bulk_create(contracts, batch_size=5000)
        Coverage.objects.bulk_create([Coverage(contract=c, enterprise=u, workers=w) for c, (u, w)
                                      in zip(contracts, covered, strict=True)], batch_size=5000)
        rows = facts.rebuild(["rights"])
    return {"congresses": len(congresses), "items": len(items), "contracts": len(contracts), "fact_rows": rows}


REFERENCE = """
SELECT substr(o.path, 1, 8) AS city,
       (SELECT COUNT(DISTINCT t.org_id) FROM rights_congress_enterprises t
         JOIN rights_congress c ON c.id = t.congress_id JOIN orgs_org e ON e.id = t.org_id
         WHERE substr(e.path, 1, 8) = substr(o.path, 1, 8)
         AND c.established_on <= %s AND c.ends_on >= %s) AS congress,
       (SELECT COUNT(DISTINCT i.enterprise_id) FROM rights_opennessitem i JOIN orgs_org e ON e.id = i.enterprise_id
         WHERE substr(e.path, 1, 8) = substr(o.path, 1, 8) AND i.published_on BETWEEN %s AND %s) AS openness
FROM orgs_org o WHERE o.depth = 2 AND o.kind = 'city' GROUP BY substr(o.path, 1, 8)
"""
REFERENCE_CONTRACTS = """
SELECT substr(e.path, 1, 8) AS city, c.kind, COUNT(DISTINCT v.enterprise_id), SUM(v.workers)
FROM rights_coverage v JOIN rights_contract c ON c.id = v.contract_id JOIN orgs_org e ON e.id = v.enterprise_id
WHERE c.state IN ('signed', 'filed') AND c.starts_on <= %s AND c.ends_on >= %s
GROUP BY substr(e.path, 1, 8), c.kind
"""


def reference() -> list[Any]:
    from django.db import connection

    first, last = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE, [last, first, first, last])
        rows = cursor.fetchall()
        cursor.execute(REFERENCE_CONTRACTS, [last, first])
        return rows + cursor.fetchall()


def percentiles(fn: Any, n: int) -> dict[str, float]:
    fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50": round(statistics.median(times), 2), "p95": round(times[int(len(times) * 0.95) - 1], 2)}


def main() -> None:
    db = setup(db_arg(), "rights_rates")
    from django.test import Client

    from gongjiang.orgs.choices import Role
    from gongjiang.orgs.models import RoleGrant, User
    from gongjiang.rights import queries

    runs = int(os.environ.get("BENCH_N", "100"))
    t_tree, tree = timed(build)
    t_fill, filled = timed(lambda: fill(tree))
    print(f"  tree in {t_tree:.1f} s, rows and facts in {t_fill:.1f} s: {filled}", flush=True)
    admin = User.objects.create_user(username="bench_admin", password="Bench-2026-x")
    RoleGrant.objects.create(user=admin, org=tree["province"], role=Role.ADMIN)
    client = Client()
    client.force_login(admin)
    # the store and the rows agree (checked once: what the page shows is what the reference counts)
    own, _rows = queries.rate_rows(tree["province"], YEAR)
    ref = reference()
    ref_congress = sum(r[1] for r in ref if len(r) == 3)
    assert own.counts["congress"] == ref_congress, (own.counts, ref_congress)
    results: dict[str, Any] = {}
    for name, org in (("province", tree["province"]), ("city", tree["cities"][3]),
                      ("industry", tree["industries"][2]), ("county", tree["counties"][17])):
        results[f"figures_{name}"] = percentiles(lambda o=org: queries.rate_rows(o, YEAR), runs)
    url = f"/rights/?org={tree['province'].pk}&year={YEAR}"
    assert client.get(url).status_code == 200
    results["page_province"] = percentiles(lambda: client.get(url), runs)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        cProfile.runctx("client.get(url)", globals(), {"client": client, "url": url}, "/tmp/rights_page.prof")
        pstats.Stats("/tmp/rights_page.prof").sort_stats("cumulative").print_stats(25)
    results["reference_group_by"] = percentiles(reference, max(5, runs // 10))
    page = results["page_province"]["p95"]
    emit("rights_rates", {"db": db, "enterprises": len(tree["units"]), "filled": filled, **results},
         f"rights rates ({db}, {len(tree['units'])} enterprises): province page p95 {page} ms "
         f"(figures p95 {results['figures_province']['p95']} ms), GROUP BY reference p50 "
         f"{results['reference_group_by']['p50']} ms — target < 100 ms: {'met' if page < 100 else 'NOT met'}")


if __name__ == "__main__":
    main()
