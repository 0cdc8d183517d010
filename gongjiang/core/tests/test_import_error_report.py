"""The import error report repeats the uploaded rows, ID numbers (身份证号) included. Clear numbers go only to the
uploader and to those who may reveal ID numbers in the import's unit (its administrators: the "manage" action,
as `Person.can_see_id`); everyone else who may see the job gets the report with every ID cell showing only its
last four characters. The import declares which columns hold ID numbers (`Column(sensitive=True)`) and answers
who may see them (`ImportSpec.can_see_sensitive`). The birth date is masked too, and left out of the messages:
beside the last four characters it would rebuild the number. Every download, page or API, is audited."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from gongjiang.core import imports
from gongjiang.core.imports import start_import
from gongjiang.core.models import AuditEvent, ImportJob
from gongjiang.core.verbs import verb_label
from gongjiang.orgs.choices import Role
from gongjiang.orgs.models import RoleGrant, User
from gongjiang.orgs.tests.factories import id_number

VERB = "core.import.error_report_downloaded"


def birth(number: str) -> str:
    return f"{number[6:10]}-{number[10:12]}-{number[12:14]}"


@pytest.fixture
def job(sd):
    """The steel works' cadre (staff, not an administrator) uploads a roster with three bad rows: a good ID number
    and its birth date next to a bad phone, an ID number with a wrong check character, and a birth date that is
    not the one in the ID number."""
    good, bad, third = id_number(), id_number(), id_number()
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "*身份证号", "手机号码", "出生日期"])
    ws.append(["张三", good, "12345", birth(good)])
    ws.append(["李四", bad, "13900000002", ""])
    ws.append(["王五", third, "13900000003", "1970-01-01"])
    buf = io.BytesIO()
    wb.save(buf)
    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel,
                       upload=SimpleUploadedFile("名册.xlsx", buf.getvalue()))
    assert job.state == ImportJob.State.INVALID and job.error_count == 3, job.errors
    job.numbers = [good, bad, third]
    return job


def id_cells(data: bytes) -> list[str]:
    """The 身份证号 column of a downloaded report (column A is the row number)."""
    ws = load_workbook(io.BytesIO(data)).active
    column = [c.value for c in ws[1]].index("*身份证号") + 1
    return [ws.cell(row=r, column=column).value for r in range(2, ws.max_row + 1)]


def download(client, user, job) -> bytes:
    client.force_login(user)
    response = client.get(reverse("core:import_error_report", args=[job.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def masked(numbers: list[str]) -> list[str]:
    return ["*" * 14 + n[-4:] for n in numbers]


@pytest.mark.parametrize(("persona", "clear"), [
    ("enterprise_cadre", True),  # the uploader (staff of the unit, not an administrator)
    ("jinan_cadre", True),  # administrator of the city the unit lies in
    ("industry_cadre", True),  # administrator of the industry union the unit is affiliated to
    ("province_admin", True),
    ("county_cadre", False),  # staff of the county: sees the job, may not reveal ID numbers
    ("jinan_viewer", False),  # a viewer of the city
])
def test_only_the_uploader_and_administrators_of_the_unit_get_clear_id_numbers(client, sd, job, persona, clear):
    cells = id_cells(download(client, getattr(sd, persona), job))
    assert cells == (job.numbers if clear else masked(job.numbers))


def test_another_staff_member_of_the_same_unit_gets_the_masked_report(client, sd, job):
    colleague = User.objects.create_user("steel_staff2", password="x-Password-1")
    RoleGrant.objects.create(user=colleague, org=sd.steel, role=Role.STAFF)
    assert id_cells(download(client, colleague, job)) == masked(job.numbers)


def test_the_masked_report_keeps_the_marks_and_the_other_columns(client, sd, job):
    ws = load_workbook(io.BytesIO(download(client, sd.jinan_viewer, job))).active
    header = [c.value for c in ws[1]]
    assert header[1:5] == ["姓名", "*身份证号", "手机号码", "出生日期"]
    assert [ws.cell(row=r, column=2).value for r in (2, 3, 4)] == ["张三", "李四", "王五"]
    bad_id = ws.cell(row=3, column=3)
    assert bad_id.comment is not None and bad_id.fill.fgColor.rgb.endswith("FFC7CE")  # still marked as wrong
    assert ws.cell(row=2, column=4).value == "12345"
    assert [ws.cell(row=r, column=5).value for r in (2, 4)] == [birth(job.numbers[0])[:4] + "-**-**", "1970-**-**"]


def test_nothing_a_viewer_reads_rebuilds_an_id_number(client, sd, job):
    """The attack: the last four characters beside the birth date (and the region, known from the unit) leave a
    handful of candidates. Neither the masked report nor the job's messages give a birth date."""
    ws = load_workbook(io.BytesIO(download(client, sd.jinan_viewer, job))).active
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    texts += [c.comment.text for row in ws.iter_rows() for c in row if c.comment]
    texts += [e["message"] for e in job.errors]
    for number in job.numbers:
        for secret in (number, number[:14], number[6:14], birth(number)):
            assert not any(secret in t for t in texts), secret


def test_every_download_is_audited_with_whether_it_was_masked(client, sd, job):
    download(client, sd.enterprise_cadre, job)
    download(client, sd.jinan_viewer, job)
    events = AuditEvent.objects.filter(verb=VERB).order_by("id")
    assert [(e.actor, e.object_id, e.after) for e in events] == [
        (sd.enterprise_cadre, str(job.pk), {"masked": False}),
        (sd.jinan_viewer, str(job.pk), {"masked": True}),
    ]
    assert all(e.org_path == sd.steel.path for e in events)  # in the unit's timeline scope
    with translation.override("zh-hans"):
        assert verb_label(VERB) == "下载导入错误报告"


def test_out_of_scope_gets_nothing_and_nothing_is_audited(client, sd, job):
    client.force_login(sd.qingdao_cadre)
    assert client.get(reverse("core:import_error_report", args=[job.pk])).status_code == 404
    assert not AuditEvent.objects.filter(verb=VERB).exists()


def test_the_api_download_follows_the_same_rule_and_is_audited(client, sd, job):
    url = reverse("api:import_error_report", args=[job.pk])
    for user, clear in ((sd.jinan_viewer, False), (sd.jinan_cadre, True)):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        data = b"".join(response.streaming_content) if response.streaming else response.content
        assert id_cells(data) == (job.numbers if clear else masked(job.numbers))
    assert list(AuditEvent.objects.filter(verb=VERB).values_list("after", flat=True)) == [
        {"masked": True}, {"masked": False}]


def test_imports_declare_their_id_columns_instead_of_the_framework_guessing():
    import gongjiang.competitions.registration_import  # noqa: F401  (registers its import)

    declared = {kind: [c.header for c in spec.columns if c.sensitive] for kind, spec in imports.REGISTRY.items()}
    assert declared["roster"] == ["身份证号", "出生日期"]  # the birth date would rebuild a masked number
    assert declared["competition_registrations"] == ["身份证号"]
    assert declared["scheme"] == []
    for spec in imports.REGISTRY.values():  # a column named after ID numbers is declared as holding them
        assert all(c.sensitive for c in spec.columns if "身份证" in c.header), spec.kind


def test_the_registration_import_lets_the_units_administrators_see_id_numbers(sd):
    spec = imports.get_spec("competition_registrations")
    job = imports.new_job(spec, sd.steel, created_by=sd.enterprise_cadre)
    assert spec.can_see_sensitive(sd.jinan_cadre, job)
    assert not spec.can_see_sensitive(sd.county_cadre, job)
    assert not spec.can_see_sensitive(sd.jinan_viewer, job)
