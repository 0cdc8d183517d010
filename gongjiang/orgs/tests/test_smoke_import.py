"""The roster import end to end through the framework (small files run inline)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from gongjiang.core.errors import DomainError
from gongjiang.core.imports import start_import
from gongjiang.core.models import ImportJob
from gongjiang.orgs.models import Membership, Person
from gongjiang.orgs.tests.factories import id_number, xlsx_upload

HEADERS = ["姓名", "身份证号", "手机号码", "工种", "技能等级", "一线职工", "入会日期"]


def xlsx(rows: list[list[str]], headers: list[str] = HEADERS, name: str = "名册.xlsx") -> SimpleUploadedFile:
    return xlsx_upload(headers, rows, name)


def test_a_clean_roster_is_imported_and_members_join(sd):
    a, b = id_number(), id_number()
    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=xlsx([
        ["赵一", a, "13900000001", "车工", "四级/中级工", "是", "2015-09-01"],
        ["钱二", b, "", "6-18-02-04", "技师", "否", ""],
    ]))
    assert job.state == ImportJob.State.DONE, job.message
    assert job.summary == {"created": 2, "updated": 0, "members": 1}
    assert Person.objects.filter(employer=sd.steel).count() == 2
    assert Membership.objects.filter(union=sd.steel).count() == 1
    sd.steel.refresh_from_db()
    assert sd.steel.person_count == 2 and sd.steel.member_count == 1


def test_a_bad_row_imports_nothing_and_reports_the_cell(sd):
    good = id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=xlsx([
        ["赵一", good, "13900000001", "车工", "四级/中级工", "是", ""],
        ["钱二", bad, "12345", "车工", "四级/中级工", "是", ""],
    ]))
    assert job.state == ImportJob.State.INVALID
    assert Person.objects.filter(employer=sd.steel).count() == 0
    cols = {(e["row"], e["column"]) for e in job.errors}
    assert (3, "身份证号") in cols and (3, "手机号码") in cols
    assert any("校验" in e["message"] or "check" in e["message"] for e in job.errors)
    wb = load_workbook(job.error_report.open("rb"))
    assert wb.active.cell(row=2, column=1).value == 3


def test_the_same_person_twice_in_one_file_is_refused(sd):
    a = id_number()
    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=xlsx([
        ["赵一", a, "", "", "", "", ""], ["赵一", a, "", "", "", "", ""]]))
    assert job.state == ImportJob.State.INVALID
    assert job.errors[0]["row"] == 3


def test_unknown_headers_are_refused_before_anything_is_stored(sd):
    with pytest.raises(DomainError) as e:
        start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel,
                     upload=xlsx([["赵一", id_number()]], headers=["姓名", "身份证"]))
    assert "身份证号" in e.value.message
    assert not ImportJob.objects.exists()
