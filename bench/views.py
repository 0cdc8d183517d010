"""The tree browser, the org page and the person list on a large province: response times through the
Django test client (median of N), query counts, against a reference in the same run (a bare SELECT of
the same first page).

    python -m bench.views sqlite|postgresql   (BENCH_SCALE=province|demo, BENCH_PEOPLE=N, BENCH_N=15,
                                               BENCH_INNOVATION=1: the innovation demo too)

With BENCH_INNOVATION (the default) the province also gets the innovation demo — 30,000 proposals, projects, the
achievement calls, the 6·18 exhibition and the 技协 network, the yearly figures rebuilt — so the overview carries its
innovation panel over real counters, and the innovation figures page is measured too.
"""

from __future__ import annotations

import os
from typing import Any

from bench.common import db_arg, emit, median_ms, setup, timed


def measure(client: Any, url: str, n: int, htmx: bool = False) -> dict[str, Any]:
    from django.db import connection

    headers = {"HX-Request": "true"} if htmx else {}
    queries: list[str] = []

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        response = client.get(url, headers=headers)
    med, times = median_ms(lambda: client.get(url, headers=headers), n)
    return {"url": url, "status": response.status_code, "queries": len(queries),
            "median_ms": round(med, 1), "max_ms": round(max(times), 1), "bytes": len(response.content)}


def reference(sql: str, params: list[Any], n: int) -> dict[str, Any]:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    med, _times = median_ms(run, n)
    return {"sql": sql, "median_ms": round(med, 2)}


def main() -> None:
    db = setup(db_arg(), "views")
    n = int(os.environ.get("BENCH_N", "15"))
    scale = os.environ.get("BENCH_SCALE", "province")
    people = int(os.environ["BENCH_PEOPLE"]) if os.environ.get("BENCH_PEOPLE") else None
    from django.test import Client

    from gongjiang.orgs import demo
    from gongjiang.orgs.models import Org, Person, User

    t_load, result = timed(lambda: demo.load(scale, people=people))
    with_innovation = os.environ.get("BENCH_INNOVATION", "1") == "1"
    t_innovation = 0.0
    if with_innovation:
        from gongjiang.innovation import demo as innovation_demo
        from gongjiang.innovation import demo_techassoc

        t_innovation, _figures = timed(lambda: (innovation_demo.load(proposals=30000), demo_techassoc.load()))
    province = Org.objects.get(code=demo.PROVINCE_CODE)
    jinan = Org.objects.get(code="3701")
    lixia = Org.objects.get(code="370102")
    yejin = Org.objects.get(code="37-YJ")
    steel = Org.objects.get(code="370102001001")
    client = Client()
    client.force_login(User.objects.get(username="province_admin"))
    pages = {
        "overview_province": measure(client, "/", n),
        "tree_page": measure(client, "/orgs/", n),
        "tree_fragment_province": measure(client, f"/orgs/{province.pk}/children/", n, htmx=True),
        "tree_fragment_county": measure(client, f"/orgs/{lixia.pk}/children/", n, htmx=True),
        "tree_fragment_industry_union": measure(client, f"/orgs/{yejin.pk}/children/", n, htmx=True),
        "org_page_province": measure(client, f"/orgs/{province.pk}/", n),
        "org_page_city": measure(client, f"/orgs/{jinan.pk}/", n),
        "org_page_enterprise": measure(client, f"/orgs/{steel.pk}/", n),
        "person_list_province": measure(client, "/people/", n),
        "person_list_city": measure(client, f"/people/?org={jinan.pk}", n),
        "person_list_fragment": measure(client, f"/people/?org={jinan.pk}&page=3", n, htmx=True),
    }
    if with_innovation:
        pages["innovation_figures_province"] = measure(client, "/innovation/figures/", n)
        pages["innovation_figures_city"] = measure(client, f"/innovation/figures/?org={jinan.pk}", n)
        pages["achievement_calls"] = measure(client, "/innovation/calls/", n)
        pages["techassoc_network"] = measure(client, "/innovation/techassoc/", n)
    jinan_client = Client()
    jinan_client.force_login(User.objects.get(username="jinan"))
    pages["person_list_as_jinan_cadre"] = measure(jinan_client, "/people/", n)
    pages["tree_fragment_as_jinan_cadre"] = measure(jinan_client, f"/orgs/{jinan.pk}/children/", n, htmx=True)
    refs = {
        "first_page_of_people": reference(
            "SELECT id, name, id_masked, mobile, employer_id FROM orgs_person ORDER BY id DESC LIMIT 50", [], n),
        "children_of_province": reference(
            "SELECT id, name, path, numchild, person_count FROM orgs_org WHERE path LIKE %s AND depth = %s "
            "ORDER BY path LIMIT 50", [province.path + "%", 2], n),
        "org_by_pk": reference("SELECT * FROM orgs_org WHERE id = %s", [jinan.pk], n),
    }
    data = {"database": db, "scale": scale, "people": Person.objects.count(), "orgs": Org.objects.count(),
            "load_s": round(t_load, 1), "innovation_load_s": round(t_innovation, 1), "load": result,
            "pages": pages, "references": refs, "n": n,
            "load_average": os.getloadavg()[0]}
    worst = max(pages.items(), key=lambda kv: kv[1]["median_ms"])
    emit("views", data,
         f"views[{db}, {data['people']:,} people, {data['orgs']:,} orgs]: loaded in {t_load:.0f} s; "
         + "; ".join(f"{k} {v['median_ms']:.0f} ms/{v['queries']}q" for k, v in pages.items())
         + f"; slowest {worst[0]} {worst[1]['median_ms']:.0f} ms; bare first page "
         f"{refs['first_page_of_people']['median_ms']:.1f} ms")


if __name__ == "__main__":
    main()
