"""Roster import of N rows (default 100,000) through the real path — `core.imports.start_import` with the
roster spec, inline: read, validate every row, encrypt and hash ID numbers, insert people, grade records,
memberships and audit events, update counters — against a raw reference in the same database and run:
the same .xlsx parsed with calamine and its rows inserted as they are (COPY on PostgreSQL, executemany
INSERT on SQLite) into the same tables, without validation, encryption or audit.

    python -m bench.import_roster sqlite|postgresql   (BENCH_ROWS, BENCH_PROFILE=1 for a profile)
"""

from __future__ import annotations

import datetime
import io
import os
import random
from pathlib import Path
from typing import Any

from bench.common import db_arg, emit, setup, timed, timed_cpu

HEADERS = ["姓名", "身份证号", "性别", "出生日期", "手机号码", "民族", "文化程度", "政治面貌", "岗位", "工种",
           "技能等级",
           "发证日期", "一线职工", "农民工", "入职日期", "入会日期"]
TRADES = [("6-18-01-01", "车工"), ("6-18-02-04", "焊工"), ("6-31-01-03", "电工"), ("6-31-01-02", "机修钳工"),
          ("6-18-01-02", "铣工"), ("4-12-01-01", "汽车维修工")]
GRADES = ["五级/初级工", "四级/中级工", "三级/高级工", "技师", "高级技师", ""]


def roster_file(n: int) -> bytes:
    """A realistic roster of n workers (valid, unique ID numbers), cached between runs."""
    cache = Path(os.environ.get("BENCH_CACHE_DIR", "/tmp")) / f"gongjiang-bench-roster-{n}.xlsx"
    if cache.exists():
        return cache.read_bytes()
    from openpyxl import Workbook

    from gongjiang.core.ids import make_id_card
    from gongjiang.orgs.demo.vocabulary import FEMALE_CHARS, MALE_CHARS, SURNAMES

    rng = random.Random(7)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("职工名册")
    ws.append(HEADERS)
    seen: set[str] = set()
    while len(seen) < n:
        male = rng.random() < 0.6
        birth = datetime.date(rng.randint(1965, 2004), rng.randint(1, 12), rng.randint(1, 28))
        number = make_id_card("370102", birth, rng.randrange(500) * 2 + (1 if male else 0))
        if number in seen:
            continue
        seen.add(number)
        chars = MALE_CHARS if male else FEMALE_CHARS
        code, trade = rng.choice(TRADES)
        grade = rng.choice(GRADES)
        start = datetime.date(min(2024, birth.year + 20), rng.randint(1, 12), 1)
        ws.append([
            rng.choice(SURNAMES) + rng.choice(chars) + rng.choice(chars), number, "男" if male else "女",
            birth.isoformat(), f"139{rng.randrange(10**8):08d}", "汉族", rng.choice(["大专", "本科", "高中", "中专"]),
            rng.choice(["群众", "中共党员", "共青团员"]), trade, rng.choice([code, trade]), grade,
            f"{start.year + 2}-06-30" if grade else "", rng.choice(["是", "否"]), rng.choice(["是", "否", "否"]),
            start.isoformat(), (start + datetime.timedelta(days=60)).isoformat() if rng.random() < 0.9 else "",
        ])
    out = io.BytesIO()
    wb.save(out)
    cache.write_bytes(out.getvalue())
    return out.getvalue()


def build_target() -> tuple[Any, Any]:
    from gongjiang.orgs.choices import OrgKind as K
    from gongjiang.orgs.models import Org, User
    from gongjiang.orgs.tests.factories import credit_code

    province = Org.objects.add_root(create_kwargs={"name": "山东省总工会", "code": "37", "kind": K.PROVINCE})
    city = Org.objects.add_child(province, create_kwargs={"name": "济南市总工会", "code": "3701", "kind": K.CITY})
    county = Org.objects.add_child(city, create_kwargs={"name": "历下区总工会", "code": "370102", "kind": K.COUNTY})
    town = Org.objects.add_child(county, create_kwargs={"name": "解放路街道总工会", "code": "370102001",
                                                        "kind": K.TOWN})
    ent = Org.objects.add_child(town, create_kwargs={"name": "济南钢铁集团有限公司工会", "code": "370102001001",
                                                     "kind": K.GRASSROOTS, "credit_code": credit_code(1)})
    actor = User.objects.create_superuser("bench", password="Gongjiang-2026")
    return ent, actor


def reference(data: bytes, ent: Any) -> int:
    """Parse with calamine and insert the same rows as they are (people, and memberships where given)."""
    from django.db import transaction
    from django.utils import timezone
    from python_calamine import CalamineWorkbook

    from gongjiang.core.bulk import insert_rows, reset_sequences
    from gongjiang.orgs.demo.people import MEMBER_FIELDS, PERSON_FIELDS, _next_id
    from gongjiang.orgs.models import Membership, Person

    table = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    now = timezone.now()
    pid, mid = _next_id(Person), _next_id(Membership)
    people, members = [], []
    for r in table[1:]:
        (name, number, gender, birth, mobile, ethnicity, education, political, post, _trade, _grade, _certified,
         front, migrant, start, since) = (str(v) for v in r)
        people.append((pid, name, number, "raw:" + number, number, "M" if gender == "男" else "F", birth, mobile,
                       ethnicity, education, political, ent.pk, post, None, 0, front == "是", migrant == "是",
                       start or None, now, now))
        if since:
            members.append((mid, pid, ent.pk, since, "", "active", now))
            mid += 1
        pid += 1
    with transaction.atomic():
        insert_rows(Person, PERSON_FIELDS, people)
        insert_rows(Membership, MEMBER_FIELDS, members)
        reset_sequences(Person, Membership)
    return len(people)


def ours(data: bytes, ent: Any, actor: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongjiang.core.imports import start_import

    return start_import(actor=actor, kind="roster", target=ent, upload=SimpleUploadedFile("职工名册.xlsx", data))


def main() -> None:
    db = setup(db_arg(), "import")
    n = int(os.environ.get("BENCH_ROWS", "100000"))
    t_file, data = timed(lambda: roster_file(n))
    ent, actor = build_target()
    t_ref, cpu_ref, ref_rows = timed_cpu(lambda: reference(data, ent))
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        t_ours, cpu_ours, job = timed_cpu(lambda: ours(data, ent, actor))
        prof.disable()
        pstats.Stats(prof).sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(45)
    else:
        t_ours, cpu_ours, job = timed_cpu(lambda: ours(data, ent, actor))
    if job.state != "done":
        raise SystemExit(f"the import did not succeed: {job.state} {job.message} {job.errors[:5]}")
    from gongjiang.core.models import AuditEvent
    from gongjiang.orgs.models import Membership, Person, SkillGradeRecord

    written = {"people": Person.objects.exclude(id_hash__startswith="raw:").count(),
               "memberships": Membership.objects.filter(person__id_hash__startswith="raw:").count(),
               "grade_records": SkillGradeRecord.objects.count(), "audit_events": AuditEvent.objects.count()}
    result = {
        "database": db, "rows": n, "file_mb": round(len(data) / 1048576, 2), "file_build_s": round(t_file, 1),
        "reference_s": round(t_ref, 2), "reference_rows_per_s": round(ref_rows / t_ref),
        "ours_s": round(t_ours, 2), "ours_rows_per_s": round(n / t_ours), "ratio": round(t_ours / t_ref, 2),
        "reference_cpu_s": round(cpu_ref, 2), "ours_cpu_s": round(cpu_ours, 2),
        "load_average": os.getloadavg()[0],
        "summary": job.summary, "rows_written_by_ours": written,
    }
    emit("import_roster", result,
         f"import_roster[{db}]: {n:,} rows — ours {n / t_ours:,.0f} rows/s ({t_ours:.1f} s), raw reference "
         f"{ref_rows / t_ref:,.0f} rows/s ({t_ref:.1f} s), ratio {t_ours / t_ref:.2f}× (target ≤ 3×); "
         f"client CPU {cpu_ours:.1f} s vs {cpu_ref:.1f} s; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
