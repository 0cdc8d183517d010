"""The public roster of honour holders (荣誉榜, issue 11) at 100,000 holders: the page anybody opens without logging
in — every holder by honour, year, city and industry union, 50 a page, with its total — timed through Django's test
client (URL, view, queries, template), against the floor in the same run: the same two statements (the page's rows
and its count) sent straight to the database. Also the cadres' statistics by city read from the counters
(`HolderCount`) against the reference of a GROUP BY over the holders themselves, and a city cadre's roster page.
Target: the public roster under 100 ms.

    python -m bench.honours_roster sqlite|postgresql   (BENCH_HOLDERS, BENCH_N)
"""

from __future__ import annotations

import os
import random
import time
from typing import Any

from bench.common import db_arg, emit, median_ms, setup, timed

CITIES, INDUSTRIES, ENTERPRISES = 16, 8, 40  # enterprises per city


def build(n: int) -> dict[str, Any]:
    """A province of 16 cities (40 enterprises each, every fourth affiliated to one of 8 industry unions) and `n`
    holders of every honour over ten years (plain rows), a few thousand moved, retired, deceased or revoked; the
    counters rebuilt."""
    from gongjiang.core.bulk import insert_rows, reserve_ids
    from gongjiang.honours import counters
    from gongjiang.honours.models import Holder, HonourType
    from gongjiang.orgs.choices import OrgKind, Role
    from gongjiang.orgs.models import Org, RoleGrant, User

    province = Org.objects.add_root(create_kwargs={"name": "山东省总工会", "code": "37", "kind": OrgKind.PROVINCE})
    industries = [Org.objects.add_child(province, create_kwargs={"name": f"省第{i + 1}产业工会", "code": f"I{i}",
                                                                 "kind": OrgKind.INDUSTRY}) for i in range(INDUSTRIES)]
    cities, units = [], []
    for c in range(CITIES):
        city = Org.objects.add_child(province, create_kwargs={"name": f"第{c + 1}市总工会", "code": f"C{c:02d}",
                                                              "kind": OrgKind.CITY})
        cities.append(city)
        for e in range(ENTERPRISES):
            industry = industries[(e // 4) % INDUSTRIES] if e % 4 == 0 else None
            units.append((Org.objects.add_child(city, create_kwargs={
                "name": f"第{c + 1}市第{e + 1}企业工会", "code": f"C{c:02d}E{e:02d}", "kind": OrgKind.GRASSROOTS,
                "industry_union": industry, "industry_path": industry.path if industry else ""}), city, industry))
    admin = User.objects.create_user(username="province", password="x")
    RoleGrant.objects.create(user=admin, org=province, role=Role.ADMIN)
    cadre = User.objects.create_user(username="city", password="x")
    RoleGrant.objects.create(user=cadre, org=cities[0], role=Role.ADMIN)
    types = list(HonourType.objects.values_list("pk", "subject"))
    rng = random.Random(11)
    statuses = ["active"] * 90 + ["moved"] * 3 + ["retired"] * 5 + ["deceased"] + ["revoked"]
    ids = reserve_ids(Holder, n)

    def rows() -> Any:
        for pk in ids:
            unit, city, industry = units[rng.randrange(len(units))]
            type_pk, subject = types[rng.randrange(len(types))]
            person = subject == "person"
            status = rng.choice(statuses) if person else rng.choice(["active"] * 99 + ["revoked"])
            yield (pk, type_pk, 2016 + rng.randrange(10), None, None, f"获得者{pk}", unit.pk, status == "revoked",
                   status, None, rng.random() < 0.7, rng.choice("MF") if person else "",
                   1960 + rng.randrange(40) if person else None, city.pk, industry.pk if industry else None)

    t_rows, _ = timed(lambda: insert_rows(Holder, [
        "id", "honour_type", "year", "person", "org", "name", "unit", "revoked", "status", "status_on", "front_line",
        "gender", "birth_year", "city", "industry"], rows()))
    t_counters, written = timed(counters.rebuild)
    return {"admin": admin, "cadre": cadre, "province": province, "cities": cities, "industries": industries,
            "types": [t for t, _s in types], "t_rows": t_rows, "t_counters": t_counters, "counters": written}


def statements(params: dict[str, Any], page: int, counted: bool, after: str = "") -> Any:
    """The public page's statements sent straight to the database: its 50 rows, and its total — from the counters
    as the page reads it (`counted` False: the floor of the page), or by counting the holders (`counted` True: what
    the page would cost without the counters)."""
    from django.db import connection

    from gongjiang.honours.models import HolderCount
    from gongjiang.honours.queries import roster

    filters = roster.Filters.parse(params, public=True)
    qs = roster.public_roster(filters)
    cursor = roster.Cursor.parse(after)
    if cursor is not None:  # the page's keyset statement (its 51 rows after the cursor)
        sql, args = roster.seek_after(qs, cursor)[:51].query.sql_with_params()
    else:
        sql, args = qs[(page - 1) * 50:page * 50].query.sql_with_params()
    if counted:
        total_sql, total_args = qs.order_by().values("pk").query.sql_with_params()
        total_sql = f"SELECT COUNT(*) FROM ({total_sql}) AS q"
    else:  # the aggregate of counted_total, captured once
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            roster.counted_total(filters)
        total_sql, total_args = captured[0]["sql"], ()
        assert HolderCount._meta.db_table in total_sql

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, args)
            cursor.fetchall()
            cursor.execute(total_sql, total_args)
            cursor.fetchone()

    return run


def _cursor_of_row(n: int) -> str:
    """The keyset cursor of the public roster's row `n` (page 200 starts after row 9,949: ?after=year.id)."""
    from gongjiang.honours.queries import roster

    row = roster.public_roster(roster.Filters())[n]
    return str(roster.Cursor(row["year"], row["id"]))


def grouped_by_city(province: Any) -> Any:
    """The reference of the statistics: holders, alive and active per city by a GROUP BY over the holders."""
    from django.db.models import Count, Q

    from gongjiang.honours.models import Holder

    def run() -> None:
        list(Holder.objects.filter(unit__path__startswith=province.path).values("city_id").order_by()
             .annotate(h=Count("pk", filter=~Q(status="revoked")),
                       a=Count("pk", filter=~Q(status__in=["revoked", "deceased"])),
                       c=Count("pk", filter=Q(status="active"))))

    return run


def main() -> None:
    db = db_arg()
    label = setup(db, "honours_roster")
    n = int(os.environ.get("BENCH_HOLDERS", "100000"))
    reps = int(os.environ.get("BENCH_N", "30"))
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from gongjiang.honours.queries import roster

    with transaction.atomic():
        world = build(n)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    url = reverse("honours:public_roster")
    anonymous = Client()
    city, industry, t = world["cities"][3], world["industries"][2], world["types"][5]
    cases = {"everything": {}, "a type and a year": {"type": t, "year": 2021}, "a city": {"city": city.pk},
             "an industry union": {"industry": industry.pk},
             "a city, a type and a year": {"city": city.pk, "type": t, "year": 2021},
             "everything, page 200": {"after": _cursor_of_row(199 * 50 - 1)}}
    results: dict[str, Any] = {"db": label, "holders": n, "load_rows_s": round(world["t_rows"], 1),
                               "counters_rebuild_s": round(world["t_counters"], 2), "counter_rows": world["counters"]}
    lines = [f"honours_roster[{label}]: {n:,} holders loaded in {world['t_rows']:.1f} s, counters rebuilt "
             f"({world['counters']:,} rows) in {world['t_counters']:.2f} s"]
    for name, params in cases.items():
        query = {k: v for k, v in params.items() if k not in ("page", "after")}
        number = int(params.get("page", 1))
        after = str(params.get("after", ""))

        def page(p: dict[str, Any] = params) -> None:
            assert anonymous.get(url, p).status_code == 200

        ms, _times = median_ms(page, reps)
        base_ms, _ = median_ms(statements(query, number, counted=False, after=after), reps)
        naive_ms, _ = median_ms(statements(query, number, counted=True, after=after), reps)
        results[name] = {"page_ms": round(ms, 1), "floor_ms": round(base_ms, 2), "counting_ms": round(naive_ms, 1),
                         "page_vs_floor": round(ms / max(base_ms, 0.01), 1)}
        lines.append(f"  public roster, {name:26}: page {ms:5.1f} ms; its statements alone {base_ms:5.2f} ms "
                     f"(the page ×{ms / max(base_ms, 0.01):.0f}: Django and the template); counting the holders "
                     f"instead of the counters {naive_ms:6.1f} ms")
    # the cadres' statistics by city: the counters against a GROUP BY over the holders
    counters_ms, _ = median_ms(lambda: roster.by_units(world["province"], "city"), reps)
    group_ms, _ = median_ms(grouped_by_city(world["province"]), max(reps // 3, 3))
    results["by_city"] = {"counters_ms": round(counters_ms, 2), "group_by_ms": round(group_ms, 1),
                          "ratio": round(group_ms / counters_ms, 1)}
    lines.append(f"  statistics by city: from the counters {counters_ms:.2f} ms, a GROUP BY over the holders "
                 f"{group_ms:.1f} ms (×{group_ms / counters_ms:.0f})")
    cadre = Client()
    cadre.force_login(world["cadre"])
    roster_url = reverse("honours:roster")

    def cadre_page() -> None:
        assert cadre.get(roster_url, {"org": world["cities"][0].pk}).status_code == 200

    ms, _ = median_ms(cadre_page, reps)
    results["city_cadre_roster_ms"] = round(ms, 1)
    lines.append(f"  a city cadre's roster (its {n // CITIES:,} holders, first page): {ms:.1f} ms")
    t0 = time.perf_counter()
    emit("honours_roster", {**results, "load": os.getloadavg()[0], "emit_s": time.perf_counter() - t0},
         "\n".join(lines))


if __name__ == "__main__":
    main()
