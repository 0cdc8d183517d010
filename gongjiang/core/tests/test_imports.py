"""The import framework, specified through the roster import: bad files are refused with a clear message
and nothing is written; bad rows are reported per row and column (also as a marked-up .xlsx); exports
escape formula-like cells; large files run as a background task."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from gongjiang.core import imports
from gongjiang.core.errors import DomainError
from gongjiang.core.ids import make_id_card
from gongjiang.core.imports import safe_cell, start_import, write_xlsx
from gongjiang.core.models import AuditEvent, ImportJob
from gongjiang.orgs.models import Person
from gongjiang.orgs.tests.factories import id_number

HEADERS = ["姓名", "身份证号", "手机号码", "技能等级"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def xlsx_bytes(rows: list[list[object]], headers: list[str] | None = HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    if headers is not None:
        ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def upload(data: bytes, name: str = "名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refused(sd, file: SimpleUploadedFile) -> DomainError:
    """Import `file` as the enterprise cadre; it must be refused with nothing stored."""
    people = Person.objects.count()
    with translation.override("en"), pytest.raises(DomainError) as e:
        start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=file)
    assert Person.objects.count() == people
    assert ImportJob.objects.count() == 0
    assert e.value.field == "file"
    return e.value


# ---------------------------------------------------------------------------------------------
# Files that are not what they should be


def test_a_csv_file_is_refused_by_its_name(sd):
    error = refused(sd, upload("姓名,身份证号\n张三,11010519491231002X\n".encode(), "名册.csv"))
    assert "名册.csv" in error.message


def test_a_csv_renamed_to_xlsx_is_refused_by_its_content(sd):
    error = refused(sd, upload("姓名,身份证号\n张三,11010519491231002X\n".encode(), "名册.xlsx"))
    assert ".xlsx" in error.message


def test_an_old_xls_workbook_is_refused(sd):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    refused(sd, upload(ole, "名册.xls"))
    error = refused(sd, upload(ole, "名册.xlsx"))  # renamed: the content gives it away
    assert ".xls" in error.message


def test_a_zip_that_is_not_a_workbook_is_refused(sd):
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    refused(sd, upload(buf.getvalue()))


def test_an_empty_file_is_refused(sd):
    refused(sd, upload(b""))


def test_a_file_over_the_size_limit_is_refused(sd, settings):
    data = xlsx_bytes([["张三", id_number(), "", ""]])
    settings.IMPORT_MAX_BYTES = len(data) - 1
    error = refused(sd, upload(data))
    assert "MB" in error.message


def test_a_file_at_the_size_limit_is_accepted(sd, settings):
    data = xlsx_bytes([["张三", id_number(), "", ""]])
    settings.IMPORT_MAX_BYTES = len(data)
    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=upload(data))
    assert job.state == ImportJob.State.DONE, job.message


def test_an_empty_sheet_is_refused(sd):
    refused(sd, upload(xlsx_bytes([], headers=None)))


def test_a_sheet_with_only_the_header_row_is_refused(sd):
    error = refused(sd, upload(xlsx_bytes([])))
    assert error.message


# ---------------------------------------------------------------------------------------------
# Header rows


def test_missing_required_headers_are_named(sd):
    error = refused(sd, upload(xlsx_bytes([["张三"]], headers=["姓名"])))
    assert "身份证号" in error.message


def test_unknown_headers_are_named(sd):
    error = refused(sd, upload(xlsx_bytes([["张三", id_number(), "济南"]], headers=["姓名", "身份证号", "籍贯"])))
    assert "籍贯" in error.message


def test_a_repeated_header_is_named(sd):
    error = refused(sd, upload(xlsx_bytes([["张三", id_number(), "李四"]], headers=["姓名", "身份证号", "姓名"])))
    assert "姓名" in error.message


def test_required_marks_and_aliases_in_headers_are_understood(sd):
    data = xlsx_bytes([["张三", id_number(), sd.workshop.code]], headers=["*姓名", "身份证号*", "单位编码"])
    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=upload(data))
    assert job.state == ImportJob.State.DONE, job.message
    assert Person.objects.get(name="张三").employer == sd.workshop


# ---------------------------------------------------------------------------------------------
# Error reports


def test_the_error_report_marks_the_bad_cells_and_lists_the_rows(sd):
    good, bad = id_number(), id_number()
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=upload(xlsx_bytes([
        ["张三", good, "13900000001", "四级/中级工"],
        ["李四", bad, "12345", "四级/中级工"],
        ["王五", id_number(), "13900000003", "特级"],
    ])))
    assert job.state == ImportJob.State.INVALID
    assert not Person.objects.filter(name__in=["张三", "李四", "王五"]).exists()
    assert job.error_count == 3
    assert {(e["row"], e["column"]) for e in job.errors} == {(3, "身份证号"), (3, "手机号码"), (4, "技能等级")}
    assert "2" in job.message and "3" in job.message  # "3 errors in 2 rows"
    assert job.progress_percent == 100

    ws = load_workbook(job.error_report.open("rb")).active
    header = [c.value for c in ws[1]]
    assert header[1:5] == HEADERS  # column A is the row number, then the uploaded columns
    assert [ws.cell(row=r, column=1).value for r in (2, 3)] == [3, 4]  # only the bad rows, by number
    assert ws.cell(row=2, column=2).value == "李四"
    id_cell, phone_cell, name_cell = ws.cell(row=2, column=3), ws.cell(row=2, column=4), ws.cell(row=2, column=2)
    assert id_cell.value == bad
    for cell in (id_cell, phone_cell):
        assert cell.fill.fgColor.rgb.endswith("FFC7CE")
        assert cell.comment is not None and cell.comment.text
    assert name_cell.comment is None and not name_cell.fill.fgColor.rgb.endswith("FFC7CE")
    grade_cell = ws.cell(row=3, column=5)
    assert grade_cell.value == "特级" and grade_cell.comment is not None
    description = ws.cell(row=2, column=len(header)).value
    assert "身份证号" in description and "手机号码" in description


def test_the_error_report_escapes_formulas_typed_into_the_upload(sd):
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    ws.append(["", "123", "", ""])
    ws["A2"].value = "=HYPERLINK(\"http://example.com\",\"点此\")"
    ws["A2"].data_type = "s"  # text that looks like a formula, as a spreadsheet program may store it
    buf = io.BytesIO()
    wb.save(buf)
    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=upload(buf.getvalue()))
    assert job.state == ImportJob.State.INVALID
    ws = load_workbook(job.error_report.open("rb")).active
    cell = ws.cell(row=2, column=2)
    assert cell.data_type != "f" and cell.value.startswith("'=")


def test_the_error_report_can_be_downloaded_only_in_scope(sd, client):
    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel,
                       upload=upload(xlsx_bytes([["张三", "123", "", ""]])))
    url = reverse("core:import_error_report", args=[job.pk])
    client.force_login(sd.enterprise_cadre)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")
    client.force_login(sd.qingdao_cadre)
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------------------------
# Templates and exports


def test_the_template_has_the_headers_an_example_and_an_instructions_sheet(sd, client):
    spec = imports.get_spec("roster")
    client.force_login(sd.enterprise_cadre)
    response = client.get(reverse("core:import_template", args=["roster"]))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 2
    sheet = wb.worksheets[0]
    assert [c.value for c in sheet[1]] == [c.header for c in spec.columns]
    assert sheet.cell(row=2, column=1).value == "张三"  # an example row
    instructions = wb.worksheets[1]
    listed = [instructions.cell(row=r, column=1).value for r in range(2, len(spec.columns) + 2)]
    assert listed == [c.header for c in spec.columns]
    id_help = instructions.cell(row=3, column=3).value
    assert "GB 11643" in id_help
    assert client.get(reverse("core:import_template", args=["no-such-import"])).status_code == 404


def test_the_template_itself_imports_cleanly_once_the_example_is_real(sd):
    spec = imports.get_spec("roster")
    wb = load_workbook(io.BytesIO(imports.template(spec)))
    ws = wb.worksheets[0]
    ws.cell(row=2, column=2).value = make_id_card("370102", datetime.date(1990, 3, 7), 123)  # as the example
    buf = io.BytesIO()
    wb.save(buf)
    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=upload(buf.getvalue()))
    assert job.state == ImportJob.State.DONE, (job.message, job.errors)


def test_an_unknown_import_type_is_refused(sd):
    with pytest.raises(DomainError):
        start_import(actor=sd.enterprise_cadre, kind="no-such-import", target=sd.steel,
                     upload=upload(xlsx_bytes([["张三", id_number(), "", ""]])))


@pytest.mark.parametrize("text", ["=1+1", "+86 139", "-2", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_like_text_is_escaped(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["张三", "13912345678", "a=b", "", None, -2, 3.5])
def test_other_values_are_left_alone(value):
    assert safe_cell(value) == value


def test_exports_write_formula_like_cells_as_text():
    data = write_xlsx("名册", ["姓名", "备注"], [["=cmd|' /C calc'!A0", "@SUM(1)"], ["张三", -5], ["+1", "-1"]])
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == ["姓名", "备注"]
    assert ws.cell(row=1, column=1).font.bold
    assert ws.cell(row=2, column=1).value == "'=cmd|' /C calc'!A0"
    assert ws.cell(row=2, column=2).value == "'@SUM(1)"
    assert ws.cell(row=3, column=2).value == -5  # numbers stay numbers
    assert [ws.cell(row=4, column=i).value for i in (1, 2)] == ["'+1", "'-1"]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


# ---------------------------------------------------------------------------------------------
# Large files: a background task with progress


def test_a_large_file_runs_as_a_task_and_ends_done_with_full_progress(sd, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 5
    rows = [[f"职工{i}", id_number(), f"139000000{i:02d}", "四级/中级工"] for i in range(12)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=upload(xlsx_bytes(rows)))
        assert job.state == ImportJob.State.PENDING  # not run inline: queued for after the commit
        assert Person.objects.filter(employer=sd.steel).count() == 0
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.message
    assert job.total_rows == 12 and job.progress_percent == 100
    assert job.summary["created"] == 12
    assert Person.objects.filter(employer=sd.steel).count() == 12
    assert AuditEvent.objects.filter(verb="import.roster", object_id=str(job.pk)).exists()


def test_a_large_file_with_errors_ends_invalid_with_nothing_imported(sd, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 5
    rows = [[f"职工{i}", id_number(), "", ""] for i in range(8)]
    rows[6][2] = "12345"
    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=upload(xlsx_bytes(rows)))
    job.refresh_from_db()
    assert job.state == ImportJob.State.INVALID
    assert [(e["row"], e["column"]) for e in job.errors] == [(8, "手机号码")]
    assert job.progress_percent == 100
    assert Person.objects.filter(employer=sd.steel).count() == 0


def test_a_job_runs_only_once(sd):
    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel,
                       upload=upload(xlsx_bytes([["张三", id_number(), "", ""]])))
    assert job.state == ImportJob.State.DONE
    imports.run_import(job.pk)  # a task delivered twice does nothing the second time
    assert Person.objects.filter(name="张三").count() == 1


def test_the_template_formats_its_columns_as_text(sd):
    wb = load_workbook(io.BytesIO(imports.template(imports.get_spec("roster"))))
    assert wb.worksheets[0].column_dimensions["B"].number_format == "@"  # 身份证号: no 3.70102E+17


def test_an_unexpected_failure_while_committing_ends_the_job_failed_with_nothing_imported(sd, monkeypatch):
    from django.db import IntegrityError

    spec = imports.get_spec("roster")

    def clash(job, rows, ctx):
        Person.objects.filter(pk=sd.worker_person.pk).update(name="改了")
        raise IntegrityError("UNIQUE constraint failed: orgs_person.id_hash")

    monkeypatch.setattr(spec, "commit", clash)
    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel,
                       upload=upload(xlsx_bytes([["张三", id_number(), "", ""]])))
    assert job.state == ImportJob.State.FAILED and job.finished_at
    assert job.message
    sd.worker_person.refresh_from_db()
    assert sd.worker_person.name == "李强"  # the partial write was rolled back
    assert not AuditEvent.objects.filter(verb="import.roster").exists()
