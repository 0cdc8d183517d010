"""The roster import (职工名册导入), row by row: every bad cell is named by row and column and nothing is
written; known people are matched by ID number and updated, never duplicated; people of other unions
are refused with the transfer hint."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from gongjiang.core.errors import PermissionDeniedError
from gongjiang.core.imports import start_import
from gongjiang.core.models import AuditEvent, ImportJob
from gongjiang.orgs.models import Membership, Person, SkillGradeRecord
from gongjiang.orgs.tests.factories import id_number, xlsx_upload

HEADERS = ["姓名", "身份证号", "性别", "出生日期", "手机号码", "所在单位编码", "工种", "技能等级", "发证日期",
           "入会日期"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def row(name: str = "赵一", id_no: str | None = None, **cells: str) -> list[str]:
    values = dict.fromkeys(HEADERS, "")
    values.update({"姓名": name, "身份证号": id_no or id_number()})
    keys = {"gender": "性别", "birth": "出生日期", "mobile": "手机号码", "unit": "所在单位编码", "trade": "工种",
            "grade": "技能等级", "certified": "发证日期", "joined": "入会日期"}
    for k, v in cells.items():
        values[keys[k]] = v
    return [values[h] for h in HEADERS]


def roster(rows: list[list[str]]) -> SimpleUploadedFile:
    return xlsx_upload(HEADERS, rows, "名册.xlsx")


def run(actor, org, rows: list[list[str]]) -> ImportJob:
    with translation.override("en"):
        return start_import(actor=actor, kind="roster", target=org, upload=roster(rows))


def refused_cells(sd, rows: list[list[str]], org=None) -> dict[tuple[int, str], str]:
    """Import as the enterprise cadre; the job must be refused whole. Returns {(row, column): message}."""
    before = Person.objects.count(), Membership.objects.count(), SkillGradeRecord.objects.count()
    job = run(sd.enterprise_cadre, org or sd.steel, rows)
    assert job.state == ImportJob.State.INVALID, job.message
    assert (Person.objects.count(), Membership.objects.count(), SkillGradeRecord.objects.count()) == before
    assert not AuditEvent.objects.filter(verb="orgs.person.imported").exists()
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


def test_a_clean_roster_lands_in_the_units_named_with_grades_and_memberships(sd):
    job = run(sd.enterprise_cadre, sd.steel, [
        row("赵一", gender="男", mobile="13900000001", unit=sd.workshop.code, trade="车工", grade="四级/中级工",
            certified="2020-06-01", joined="2015-09-01"),
        row("钱二", unit=sd.team.code, trade="6-18-02-04", grade="技师"),
        row("孙三"),
    ])
    assert job.state == ImportJob.State.DONE, (job.message, job.errors)
    assert job.summary == {"created": 3, "updated": 0, "members": 1}
    zhao = Person.objects.get(name="赵一")
    assert zhao.employer == sd.workshop and zhao.trade.name == "车工" and zhao.skill_grade == 4
    assert zhao.grade_records.get().certified_on == datetime.date(2020, 6, 1)
    assert zhao.membership.union == sd.steel  # membership is held in the grassroots union
    assert Person.objects.get(name="孙三").employer == sd.steel  # no unit code: the imported unit
    sd.workshop.refresh_from_db()
    sd.steel.refresh_from_db()
    assert sd.workshop.person_count == 1 and sd.steel.person_count == 1 and sd.steel.member_count == 1
    assert AuditEvent.objects.filter(verb="orgs.person.imported").count() == 3
    assert AuditEvent.objects.filter(verb="import.roster", object_id=str(job.pk)).exists()


def test_an_unknown_unit_code_is_reported_in_its_cell(sd):
    errors = refused_cells(sd, [row(), row(unit="NO-SUCH-UNIT")])
    assert list(errors) == [(3, "所在单位编码")]
    assert "NO-SUCH-UNIT" in errors[(3, "所在单位编码")]


@pytest.mark.parametrize("outside", ["qd_enterprise", "jinan", "town"])
def test_a_unit_outside_the_imported_unit_is_refused(sd, outside):
    errors = refused_cells(sd, [row(unit=getattr(sd, outside).code)])
    assert list(errors) == [(2, "所在单位编码")]


def test_a_unit_code_above_a_department_import_is_refused(sd):
    errors = refused_cells(sd, [row(unit=sd.steel.code)], org=sd.workshop)
    assert list(errors) == [(2, "所在单位编码")]


def test_the_same_person_twice_in_one_file_is_marked_on_the_id_cell_of_the_repeat(sd):
    same = id_number()
    errors = refused_cells(sd, [row("赵一", same), row("钱二"), row("赵一", same)])
    assert list(errors) == [(4, "身份证号")]
    assert "2" in errors[(4, "身份证号")]  # it names the first row


def test_the_same_id_written_in_lowercase_is_still_the_same_person(sd):
    same = "11010519491231002X"
    errors = refused_cells(sd, [row("赵一", same), row("赵一", same.lower())])
    assert list(errors) == [(3, "身份证号")]


def test_an_id_number_with_a_wrong_check_digit_is_reported(sd):
    good = id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    errors = refused_cells(sd, [row(id_no=bad)])
    assert list(errors) == [(2, "身份证号")]
    assert "check" in errors[(2, "身份证号")]


def test_a_birth_date_or_gender_that_disagrees_with_the_id_is_reported(sd):
    number = id_number(birth=datetime.date(1990, 3, 7), seq=10)  # a man born on 1990-03-07
    assert number[6:14] == "19900307"
    errors = refused_cells(sd, [row(id_no=number, birth="1991-03-07", gender="女")])
    assert set(errors) == {(2, "出生日期"), (2, "性别")}
    # Not the date in the ID number: every viewer of the job reads the message, and the date beside the number's
    # last four characters would rebuild it (core/tests/test_import_error_report.py).
    assert "1990-03-07" not in errors[(2, "出生日期")] and "1991-03-07" not in errors[(2, "出生日期")]


def test_a_birth_date_and_gender_that_agree_are_accepted(sd):
    number = id_number(birth=datetime.date(1990, 3, 7), seq=10)
    job = run(sd.enterprise_cadre, sd.steel, [row(id_no=number, birth="1990/3/7", gender="男")])
    assert job.state == ImportJob.State.DONE, job.errors


@pytest.mark.parametrize("cells, column", [
    ({"mobile": "12345"}, "手机号码"),
    ({"mobile": "0531-88888888"}, "手机号码"),
    ({"trade": "宇航员驾驶员"}, "工种"),
    ({"trade": "6-99-99-99"}, "工种"),
    ({"grade": "特级"}, "技能等级"),
    ({"grade": "六级"}, "技能等级"),
    ({"joined": "2015-13-01"}, "入会日期"),
    ({"joined": "2015-02-30"}, "入会日期"),
    ({"joined": "去年"}, "入会日期"),
    ({"joined": "2999-01-01"}, "入会日期"),
    ({"certified": "2020-01-01"}, "技能等级"),  # a certification date needs a grade
    ({"gender": "未知"}, "性别"),
])
def test_a_bad_cell_is_reported_by_row_and_column(sd, cells, column):
    errors = refused_cells(sd, [row("赵一"), row("钱二", **cells)])
    assert list(errors) == [(3, column)]
    assert errors[(3, column)]


def test_a_date_in_the_future_says_so(sd):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    errors = refused_cells(sd, [row(joined=tomorrow)])
    assert "future" in errors[(2, "入会日期")]


def test_a_missing_required_cell_is_reported(sd):
    errors = refused_cells(sd, [row(""), row("钱二", id_no=" ")])
    assert set(errors) == {(2, "姓名"), (3, "身份证号")}


def test_every_error_of_a_file_is_reported_at_once(sd):
    errors = refused_cells(sd, [row(mobile="1"), row(grade="x"), row(unit="x"), row(joined="x")])
    assert {r for r, _c in errors} == {2, 3, 4, 5}


def test_a_person_already_known_by_id_is_updated_not_duplicated(sd):
    li = sd.worker_person
    people = Person.objects.count()
    job = run(sd.enterprise_cadre, sd.steel, [
        row("李强", li.id_number, mobile="13900000099", trade="车工", grade="三级/高级工", joined="2010-05-04"),
        row("周五"),
    ])
    assert job.state == ImportJob.State.DONE, job.errors
    assert job.summary == {"created": 1, "updated": 1, "members": 1}
    assert Person.objects.count() == people + 1
    li.refresh_from_db()
    assert li.mobile == "13900000099" and li.skill_grade == 3 and li.trade.name == "车工"
    assert li.employer == sd.team  # no unit code given: they stay where they work
    assert li.grade_records.filter(grade=3).exists()
    assert li.membership.union == sd.steel
    sd.team.refresh_from_db()
    assert sd.team.person_count == 1
    assert AuditEvent.objects.filter(verb="orgs.person.imported", object_id=str(li.pk)).exists()


def test_importing_the_same_roster_twice_creates_nobody_the_second_time(sd):
    rows = [row("赵一", id_number(), joined="2015-09-01"), row("钱二", id_number())]
    first = run(sd.enterprise_cadre, sd.steel, rows)
    second = run(sd.enterprise_cadre, sd.steel, rows)
    assert first.summary == {"created": 2, "updated": 0, "members": 1}
    assert second.summary == {"created": 0, "updated": 2, "members": 0}
    sd.steel.refresh_from_db()
    assert sd.steel.person_count == 2 and sd.steel.member_count == 1


def test_a_known_person_can_be_moved_between_units_of_the_same_union(sd):
    li = sd.worker_person
    job = run(sd.enterprise_cadre, sd.steel, [row("李强", li.id_number, unit=sd.workshop.code)])
    assert job.state == ImportJob.State.DONE, job.errors
    li.refresh_from_db()
    sd.team.refresh_from_db()
    sd.workshop.refresh_from_db()
    assert li.employer == sd.workshop
    assert (sd.team.person_count, sd.workshop.person_count) == (0, 1)


def test_a_person_of_another_union_is_refused_with_the_transfer_hint(sd):
    errors = refused_cells(sd, [row("王芳", sd.qd_person.id_number)])
    assert list(errors) == [(2, "身份证号")]
    assert "transfer" in errors[(2, "身份证号")]
    sd.qd_person.refresh_from_db()
    assert sd.qd_person.name == "王芳" and sd.qd_person.employer == sd.qd_enterprise


def test_a_department_import_cannot_touch_people_of_other_units_of_the_union(sd):
    """A workshop cadre importing the workshop's roster must not change a person of another workshop."""
    from gongjiang.orgs.tests.factories import org, person

    rolling = org(sd.steel, "轧钢车间", "department", "E0001-02")
    zhang = person(rolling, "张伟", mobile="13900000077")
    errors = refused_cells(sd, [row("张伟", zhang.id_number, mobile="13900000000")], org=sd.workshop)
    assert list(errors) == [(2, "身份证号")]
    zhang.refresh_from_db()
    assert zhang.mobile == "13900000077" and zhang.employer == rolling


def test_only_cadres_of_the_unit_may_import_into_it(sd):
    for actor in (sd.qingdao_cadre, sd.jinan_viewer, sd.worker):
        with pytest.raises(PermissionDeniedError):
            run(actor, sd.steel, [row()])
    assert not ImportJob.objects.exists()
    assert run(sd.jinan_cadre, sd.steel, [row("赵一")]).state == ImportJob.State.DONE
    assert run(sd.industry_cadre, sd.steel, [row("钱二")]).state == ImportJob.State.DONE  # affiliated


def test_a_roster_goes_into_a_grassroots_union_or_below_never_a_federation(sd):
    with pytest.raises(PermissionDeniedError):
        run(sd.jinan_cadre, sd.lixia, [row()])
    assert not ImportJob.objects.exists()


def test_the_number_of_queries_does_not_grow_with_the_rows(sd):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongjiang.orgs.tests.factories import person

    def queries_for(n: int) -> int:
        known = [person(sd.team, f"老职工{i}") for i in range(n)]
        rows = [row(p.name, p.id_number, trade="车工", grade="技师", joined="2015-09-01") for p in known]
        rows += [row(f"新职工{i}", trade="车工", grade="四级/中级工", joined="2015-09-01") for i in range(n)]
        with CaptureQueriesContext(connection) as ctx:
            job = run(sd.enterprise_cadre, sd.steel, rows)
        assert job.state == ImportJob.State.DONE, job.errors
        return len(ctx.captured_queries)

    queries_for(1)  # warm the per-process caches (content types)
    assert queries_for(30) == queries_for(3)
