"""Building a province-wide aid cycle over 100,000 household files (issue 14) — target under 10 s for the eligibility
of every file, the list and the totals per org; measured against a single SQL statement selecting the same rows.

Measured, with the reference in the same run:

- `care.services.build_cycle` for a 金秋助学-like programme whose rule reads the members (grades 深度/相对困难 AND a
  child at university this year): the active files under the province (one query), their members (one query), the
  pure rules in memory, the budget check, one bulk insert of the list, the audit event; then
  `care.queries.aid.totals` (the board's totals per budgeted union: one grouped query);
- the reference: one SELECT of the same files (the same conditions written in SQL, the members by EXISTS), whose
  ids are asserted equal to the list's.

The archive is written with plain executemany (encryption is not what is measured): 100,000 files in 400 enterprise
unions under 16 counties of 4 cities, three members each (a third of the households with a child at university);
the cities and the province hold budgets.

    python -m bench.care_cycle [sqlite|postgresql]   (BENCH_FILES=100000)
"""

from __future__ import annotations

import datetime
import os
import sys

from bench.common import emit, setup, timed, timed_cpu


def build(files: int) -> tuple[object, object, list[object], float]:
    from django.db import connection

    from gongjiang.care.models import HouseholdFile, Member
    from gongjiang.orgs.choices import OrgKind
    from gongjiang.orgs.models import Org, Person

    province = Org.objects.add_root(create_kwargs={"name": "山东省总工会", "code": "37", "kind": OrgKind.PROVINCE})
    cities, unions = [], []
    for c in range(4):
        city = Org.objects.add_child(province, create_kwargs={"name": f"市{c}", "code": f"37{c:02d}",
                                                              "kind": OrgKind.CITY})
        cities.append(city)
        for k in range(4):
            county = Org.objects.add_child(city, create_kwargs={"name": f"县{c}{k}", "code": f"37{c:02d}{k:02d}",
                                                                "kind": OrgKind.COUNTY})
            for u in range(25):
                unions.append((Org.objects.add_child(county, create_kwargs={
                    "name": f"工会{c}{k}{u}", "code": f"E{c}{k}{u:03d}", "kind": OrgKind.GRASSROOTS}), county))
    person = Person.objects.create(name="职工", id_encrypted="x", id_hash="h", id_masked="**************0001",
                                   gender="M", birth_date=datetime.date(1980, 1, 1), employer=unions[0][0])
    today = datetime.date.today()
    f_table, m_table = HouseholdFile._meta.db_table, Member._meta.db_table
    grades = ("deep", "relative", "sudden", "relative")

    def write() -> None:
        with connection.cursor() as c:
            rows = [(person.pk, unions[i % len(unions)][0].pk, unions[i % len(unions)][1].pk, "rented",
                     ",illness,schooling,", "", "active" if i % 10 else "exited", grades[i % 4], "[]", grades[i % 4],
                     None, today, None, None, None, "", today) for i in range(files)]
            c.executemany(
                f"INSERT INTO {f_table} (person_id, union_id, approver_id, housing, causes_text, note, status, "
                "grade, grade_reasons, entry_grade, threshold, entered_on, next_review, reviewed_on, exited_on, "
                "exit_reason, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "%s, %s)", rows)
            ids = list(HouseholdFile.objects.order_by("pk").values_list("pk", flat=True))
            members = []
            for n, pk in enumerate(ids):
                members.append((pk, "self", "本人", "x", f"s{n}", "*", "M", datetime.date(1980, 1, 1), "healthy",
                                "none", "employed", 0))
                members.append((pk, "spouse", "配偶", "x", f"p{n}", "*", "F", datetime.date(1982, 1, 1), "healthy",
                                "none", "employed", 0))
                members.append((pk, "child", "子女", "x", f"c{n}", "*", "F", datetime.date(2006, 1, 1), "healthy",
                                "university" if n % 3 == 0 else "high", "student", 0))
            c.executemany(
                f"INSERT INTO {m_table} (file_id, relation, name, id_encrypted, id_hash, id_masked, gender, "
                "birth_date, health, schooling, work, monthly_income) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "%s, %s, %s)", members)
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute(f"ANALYZE {f_table}")
                c.execute(f"ANALYZE {m_table}")

    seconds, _ = timed(write)
    return province, person, cities, seconds


def main() -> None:
    db = setup(sys.argv[1] if len(sys.argv) > 1 else "sqlite", "care_cycle")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongjiang.care import services
    from gongjiang.care.models import Entitlement, HouseholdFile, Member
    from gongjiang.care.queries.aid import totals
    from gongjiang.orgs.models import User

    files = int(os.environ.get("BENCH_FILES", "100000"))
    province, _person, cities, write_s = build(files)
    admin = User.objects.create_superuser(username="bench", password="x")
    programme = services.create_programme(
        actor=admin, owner=province, name="金秋助学", kind="schooling",
        eligibility_rule={"grades": ["deep", "relative"], "university_child": True},
        amount_rule={"kind": "by_grade", "amounts": {"deep": "3000", "relative": "2000"}},
        starts_on=datetime.date(2026, 7, 1), ends_on=datetime.date(2026, 9, 30))
    cycle = services.create_cycle(actor=admin, programme=programme, name="金秋助学", year=2026, budget="1000000000")
    for city in cities:
        services.set_budget(actor=admin, cycle=cycle, org=city, amount="200000000")

    with CaptureQueriesContext(connection) as ctx:
        build_s, build_cpu, listed = timed_cpu(lambda: services.build_cycle(actor=admin, cycle=cycle))
    build_queries = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        totals_s, found = timed(lambda: totals(cycle))
    totals_queries = len(ctx.captured_queries)
    f_table, m_table = HouseholdFile._meta.db_table, Member._meta.db_table
    sql = (f"SELECT f.id, f.union_id, f.grade FROM {f_table} f JOIN orgs_org o ON o.id = f.union_id "
           "WHERE f.status = 'active' AND o.path LIKE %s AND f.grade IN ('deep', 'relative') AND EXISTS "
           f"(SELECT 1 FROM {m_table} m WHERE m.file_id = f.id AND m.relation = 'child' "
           "AND m.schooling = 'university')")

    def reference() -> list[tuple[object, ...]]:
        with connection.cursor() as c:
            c.execute(sql, [province.path + "%"])
            return c.fetchall()

    ref_s, rows = timed(reference)
    ours = set(Entitlement.objects.filter(cycle=cycle).values_list("file_id", flat=True))
    assert ours == {r[0] for r in rows}, (len(ours), len(rows))
    assert sum(t.listed for t in found if t.budget.org_id != province.pk) == listed
    total_s = build_s + totals_s
    data = {"db": db, "files": files, "write_s": round(write_s, 1), "listed": listed,
            "build_s": round(build_s, 2), "build_cpu_s": round(build_cpu, 2), "build_queries": build_queries,
            "totals_s": round(totals_s, 3),
            "totals_queries": totals_queries, "total_s": round(total_s, 2), "reference_s": round(ref_s, 3),
            "ratio": round(total_s / ref_s, 1) if ref_s else None}
    emit("care_cycle", data, f"care_cycle [{db}] {files:,} files: the cycle built ({listed:,} households listed) "
         f"in {build_s:.2f} s (CPU {build_cpu:.2f} s) / {build_queries} queries, "
         f"totals per org {totals_s * 1000:.0f} ms / {totals_queries} "
         f"queries — {total_s:.2f} s in all (target < 10 s) vs the one SELECT of the same rows {ref_s:.3f} s")


if __name__ == "__main__":
    main()
