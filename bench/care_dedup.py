"""The de-duplication check at filing (issue 14): a household's members looked up by their ID hashes in every
active file of the province, at 1,000,000 household members (about 330,000 files) — target under 50 ms, in a
constant number of queries (one IN over the hashes, on the indexed `id_hash`).

Measured, with the reference in the same run:

- `care.household.duplicates(hashes)` — what `file_household` and `approve_request` call — for households of four
  members, two of them already in other files (half the look-ups hit); its number of queries (asserted: 1,
  whatever the archive's size) and its median time;
- the reference: the single indexed SELECT of the same rows written by hand (raw SQL, same joins, the members
  found by their hashes alone).

Rows are written with plain executemany (the encrypted number is a placeholder: encryption is not what is
measured); the files belong to one enterprise union under a county of a city.

    python -m bench.care_dedup [sqlite|postgresql]   (BENCH_MEMBERS=1000000, BENCH_N=200)
"""

from __future__ import annotations

import datetime
import hashlib
import os
import random
import sys

from bench.common import emit, median_ms, setup, timed


def _hash(i: int) -> str:
    return hashlib.sha256(f"member-{i}".encode()).hexdigest()


def build(members: int) -> tuple[int, float]:
    """The tree, one worker, and `members` members in files of three; returns the number of files and the seconds."""
    from django.db import connection

    from gongjiang.care.models import HouseholdFile, Member
    from gongjiang.orgs.choices import OrgKind
    from gongjiang.orgs.models import Org, Person

    province = Org.objects.add_root(create_kwargs={"name": "山东省总工会", "code": "37", "kind": OrgKind.PROVINCE})
    city = Org.objects.add_child(province, create_kwargs={"name": "济南市总工会", "code": "3701", "kind": OrgKind.CITY})
    county = Org.objects.add_child(city, create_kwargs={"name": "历下区总工会", "code": "370102",
                                                        "kind": OrgKind.COUNTY})
    union = Org.objects.add_child(county, create_kwargs={"name": "济钢工会", "code": "E1",
                                                         "kind": OrgKind.GRASSROOTS})
    person = Person.objects.create(name="李强", id_encrypted="x", id_hash=_hash(-1), id_masked="**************0001",
                                   gender="M", birth_date=datetime.date(1980, 1, 1), employer=union)
    files = members // 3
    today = datetime.date.today()
    f_table, m_table = HouseholdFile._meta.db_table, Member._meta.db_table

    def write() -> None:
        with connection.cursor() as c:
            step = 50_000
            for start in range(0, files, step):
                rows = [(person.pk, union.pk, county.pk, "rented", ",illness,", "", "active" if i % 10 else "exited",
                         "relative", "[]", "relative", None, today, None, None, None, "", today)
                        for i in range(start, min(start + step, files))]
                c.executemany(
                    f"INSERT INTO {f_table} (person_id, union_id, approver_id, housing, causes_text, note, status, "
                    "grade, grade_reasons, entry_grade, threshold, entered_on, next_review, reviewed_on, exited_on, "
                    "exit_reason, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                    "%s, %s)", rows)
            first = HouseholdFile.objects.order_by("pk").values_list("pk", flat=True).first() or 0
            for start in range(0, members, step):
                rows = [(first + i // 3, "self" if i % 3 == 0 else "child", f"成员{i}", "x", _hash(i),
                         "**************0000", "M", datetime.date(1990, 1, 1), "healthy", "none", "employed", 0)
                        for i in range(start, min(start + step, files * 3))]
                if rows:
                    c.executemany(
                        f"INSERT INTO {m_table} (file_id, relation, name, id_encrypted, id_hash, id_masked, gender, "
                        "birth_date, health, schooling, work, monthly_income) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, "
                        "%s, %s, %s, %s)", rows)
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute(f"ANALYZE {f_table}")
                c.execute(f"ANALYZE {m_table}")

    seconds, _ = timed(write)
    return files, seconds


def main() -> None:
    db = setup(sys.argv[1] if len(sys.argv) > 1 else "sqlite", "care_dedup")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongjiang.care.household import duplicates
    from gongjiang.care.models import HouseholdFile, Member

    members = int(os.environ.get("BENCH_MEMBERS", "1000000"))
    n = int(os.environ.get("BENCH_N", "200"))
    files, write_s = build(members)
    rng = random.Random(14)
    households = [[_hash(rng.randrange(members)), _hash(rng.randrange(members)), _hash(-1000 - 4 * k),
                   _hash(-1001 - 4 * k)] for k in range(n)]
    it = iter(range(10**9))

    def ours() -> list[dict[str, object]]:
        return duplicates(households[next(it) % n])

    with CaptureQueriesContext(connection) as ctx:
        found = duplicates(households[0])
    queries = len(ctx.captured_queries)
    assert queries == 1, ctx.captured_queries
    hits = sum(len(duplicates(h)) for h in households[:20])
    f_table, m_table = HouseholdFile._meta.db_table, Member._meta.db_table
    sql = (f"SELECT m.name, m.id_masked, m.id_hash, m.file_id, o.name, f.status FROM {m_table} m "
           f"JOIN {f_table} f ON f.id = m.file_id JOIN orgs_org o ON o.id = f.union_id "
           "WHERE m.id_hash IN (%s, %s, %s, %s)")
    it2 = iter(range(10**9))

    def reference() -> list[tuple[object, ...]]:
        with connection.cursor() as c:
            c.execute(sql, households[next(it2) % n])
            return c.fetchall()

    ours_ms, _ = median_ms(ours, n)
    ref_ms, _ = median_ms(reference, n)
    data = {"db": db, "members": members, "files": files, "write_s": round(write_s, 1), "queries": queries,
            "hits_in_20": hits, "first_found": len(found), "dedup_ms": round(ours_ms, 3),
            "reference_ms": round(ref_ms, 3), "ratio": round(ours_ms / ref_ms, 2) if ref_ms else None}
    emit("care_dedup", data, f"care_dedup [{db}] {members:,} members in {files:,} files: the de-duplication check "
         f"{ours_ms:.2f} ms in {queries} query (target < 50 ms) vs the bare indexed SELECT {ref_ms:.2f} ms "
         f"(ratio {data['ratio']})")


if __name__ == "__main__":
    main()
