"""Bulk registration of N workers (default 100,000) from .xlsx through the real path — the registration
import (`competitions.registration_import.start_registration_import`, inline): read, validate every row
(the person known by ID number and name, in the unit's scope; the event; every eligibility rule of the event;
quotas and capacity counted across the file; duplicates), decide each registration, insert the entries and
their audit — against a raw reference in the same database and run: the same .xlsx parsed with calamine and
its rows inserted as entries as they are (COPY on PostgreSQL, executemany INSERT on SQLite) and committed,
without any check.

    python -m bench.import_registrations sqlite|postgresql   (BENCH_ROWS)
"""

from __future__ import annotations

import datetime
import io
import os
import random
from typing import Any

from bench.common import db_arg, emit, setup, timed, timed_cpu

EVENTS = ["车工", "铣工", "焊工", "电工", "汽车维修工", "装配钳工", "机修钳工", "电梯安装维修工", "砌筑工",
          "养老护理员"]


def build(n: int) -> tuple[Any, Any, Any, list[tuple[str, str, str]]]:
    """A province, a big enterprise with n workers (plain rows), a provincial competition open to
    registration with ten events, and the file's rows (ID number, name, event)."""
    from django.utils import timezone

    from gongjiang.competitions import services
    from gongjiang.competitions.choices import CompetitionState, Level
    from gongjiang.core.bulk import insert_rows, reserve_ids
    from gongjiang.core.crypto import lookup_hash
    from gongjiang.core.ids import make_id_card
    from gongjiang.orgs.choices import OrgKind
    from gongjiang.orgs.demo.vocabulary import FEMALE_CHARS, MALE_CHARS, SURNAMES
    from gongjiang.orgs.models import Org, Person, User

    province = Org.objects.add_root(create_kwargs={"name": "山东省总工会", "code": "37", "kind": OrgKind.PROVINCE})
    unit = Org.objects.add_child(province, create_kwargs={"name": "山东能源集团有限公司工会", "code": "E1",
                                                          "kind": OrgKind.GRASSROOTS})
    actor = User.objects.create_superuser("bench", password="Gongjiang-2026")
    rng = random.Random(3)
    now = timezone.now()
    ids = reserve_ids(Person, n)
    rows, people, seen = [], [], set()
    for pk in ids:
        while True:
            male = rng.random() < 0.6
            birth = datetime.date(rng.randint(1972, 2004), rng.randint(1, 12), rng.randint(1, 28))
            number = make_id_card("370102", birth, rng.randrange(500) * 2 + (1 if male else 0))
            if number not in seen:
                seen.add(number)
                break
        chars = MALE_CHARS if male else FEMALE_CHARS
        name = rng.choice(SURNAMES) + rng.choice(chars) + rng.choice(chars)
        people.append((pk, name, "x", lookup_hash(number), number[:4] + "**********" + number[-4:],
                       "M" if male else "F", birth, "", "", "", "", unit.pk, "", 0, True, False, now, now))
        rows.append((number, name, rng.choice(EVENTS)))
    insert_rows(Person, ["id", "name", "id_encrypted", "id_hash", "id_masked", "gender", "birth_date", "mobile",
                         "ethnicity", "education", "political_status", "employer", "post", "skill_grade",
                         "is_front_line", "is_migrant", "created_at", "updated_at"], people)
    competition = services.create_competition(actor=actor, organiser=province, name="基准技能大赛", year=2026,
                                              level=Level.PROVINCE)
    stage = services.add_stage(actor=actor, competition=competition, name="省级决赛", level=Level.PROVINCE,
                               direct_registration=True)
    for name in EVENTS:
        services.add_event(actor=actor, competition=competition, name=name, members_only=False,
                           exclude_leaders=True, min_age=18, max_age=60, age_reference_date=datetime.date(2026, 9, 1))
    services.open_rounds(actor=actor, stage=stage)
    services.change_state(actor=actor, competition=competition, state=CompetitionState.REGISTRATION)
    return unit, actor, competition, rows


def workbook(rows: list[tuple[str, str, str]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("报名表")
    ws.append(["身份证号", "姓名", "赛项", "备注"])
    for number, name, event in rows:
        ws.append([number, name, event, ""])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def reference(data: bytes, unit: Any, competition: Any) -> int:
    """Parse with calamine and insert the rows as entries, as they are: the person by ID hash, the event's
    round by name; no eligibility, quota, duplicate or scope check, no audit."""
    from django.db import transaction
    from django.utils import timezone
    from python_calamine import CalamineWorkbook

    from gongjiang.competitions.models import Entry, Round
    from gongjiang.core.bulk import insert_rows
    from gongjiang.core.crypto import lookup_hash
    from gongjiang.orgs.models import Person

    table = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    rounds = dict(Round.objects.filter(event__competition=competition).values_list("event__name", "pk"))
    people = dict(Person.objects.filter(employer=unit).values_list("id_hash", "pk"))
    now = timezone.now()
    rows = [(rounds[str(event)], people[lookup_hash(str(number))], unit.pk, "", "registered", "import", "[]", "",
             "", "", "{}", "", False, now, now) for number, _name, event, *_rest in table[1:]]
    with transaction.atomic():  # committed, like ours: PostgreSQL checks the deferred foreign keys at COMMIT
        insert_rows(Entry, ["round", "person", "unit", "city_path", "status", "source", "notes", "contestant_no",
                            "station_no", "code", "aspect_marks", "prize", "advanced", "created_at", "updated_at"],
                    rows)
    return len(rows)


def clear_reference() -> None:
    """Remove the reference's rows (untimed): the same rows are imported by our path next."""
    from django.db import connection

    from gongjiang.competitions.models import Entry

    with connection.cursor() as cursor:  # the benchmark's database holds nothing else that refers to entries
        cursor.execute(f"DELETE FROM {Entry._meta.db_table}")


def ours(data: bytes, unit: Any, actor: Any, competition: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongjiang.competitions.registration_import import start_registration_import

    return start_registration_import(actor=actor, org=unit, competition=competition,
                                     upload=SimpleUploadedFile("报名表.xlsx", data))


def main() -> None:
    db = setup(db_arg(), "registrations")
    n = int(os.environ.get("BENCH_ROWS", "100000"))
    from django.db import transaction

    def built() -> Any:
        with transaction.atomic():
            return build(n)

    t_build, (unit, actor, competition, rows) = timed(built)
    data = workbook(rows)
    t_ref, cpu_ref, ref_rows = timed_cpu(lambda: reference(data, unit, competition))
    clear_reference()
    t_ours, cpu_ours, job = timed_cpu(lambda: ours(data, unit, actor, competition))
    if job.state != "done":
        raise SystemExit(f"the import did not succeed: {job.state} {job.message} {job.errors[:5]}")
    from gongjiang.competitions.models import Entry

    written = Entry.objects.count()
    result = {"database": db, "rows": n, "file_mb": round(len(data) / 1048576, 2), "build_s": round(t_build, 1),
              "reference_s": round(t_ref, 2), "reference_rows_per_s": round(ref_rows / t_ref),
              "ours_s": round(t_ours, 2), "ours_rows_per_s": round(n / t_ours), "ratio": round(t_ours / t_ref, 2),
              "reference_cpu_s": round(cpu_ref, 2), "ours_cpu_s": round(cpu_ours, 2), "entries_written": written,
              "summary": job.summary, "load_average": os.getloadavg()[0]}
    emit("import_registrations", result,
         f"import_registrations[{db}]: {n:,} rows — ours {n / t_ours:,.0f} rows/s ({t_ours:.1f} s), raw reference "
         f"{ref_rows / t_ref:,.0f} rows/s ({t_ref:.1f} s), ratio {t_ours / t_ref:.2f}×; {written:,} entries written;"
         f" load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
