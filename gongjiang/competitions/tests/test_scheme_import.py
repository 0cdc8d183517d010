"""The marking-scheme import and export (.xlsx): the same columns both ways, so an export imports back to the same
scheme; a bad file is refused whole with its errors per row and column (and a report with the cells marked), the
scheme unchanged."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongjiang.competitions import queries, services
from gongjiang.competitions.imports import TEMPLATE_ROWS, scheme_import
from gongjiang.competitions.models import Scheme
from gongjiang.competitions.tests.factories import season
from gongjiang.core import imports
from gongjiang.core.errors import DomainError
from gongjiang.core.models import ImportJob

HEADERS = [c.header for c in scheme_import.columns]


@pytest.fixture
def client(client: Any) -> Any:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def s(sd: Any) -> Any:
    return season(sd)


def workbook(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers or HEADERS)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client: Any, event: Any, data: bytes, name: str = "评分标准.xlsx") -> Any:
    return client.post(reverse("competitions:scheme_import", args=[event.pk]), {"file": SimpleUploadedFile(name, data)})


def stored(event: Any) -> list[dict[str, Any]]:
    return queries.aspect_rows(list(Scheme.objects.get(event=event).aspects.all()))


def errors_of(response: Any) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in response.context["job"].errors]


def test_an_exported_scheme_imports_back_unchanged(client, sd, s):
    client.force_login(sd.province_admin)
    before = stored(s.event)
    export = client.get(reverse("competitions:scheme_export", args=[s.event.pk]))
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS == ["分项代码", "分项名称", "评分项代码", "评分项名称", "细则代码", "评分细则",
                                        "类型", "满分", "步长", "公差档", "扣分项"]
    assert rows[1][6:10] == ("测量-公差", 20, 1, "0.02:20; 0.05:10")
    assert rows[3][6] == "测量-扣分" and rows[3][10] == "S1:2:未戴护目镜; S2:5:违规操作"
    assert rows[4][6:9] == ("评价", 30, 0.5)
    # Change the scheme, then import the export: the original comes back.
    services.set_scheme(actor=sd.province_admin, event=s.event, expected_total=Decimal(100), aspects=[
        {"section_code": "X", "section_name": "临时", "criterion_code": "X1", "criterion_name": "临时",
         "code": "X1.1", "description": "临时", "kind": "direct", "max_mark": "100", "step": "1"}])
    response = upload(client, s.event, export.content)
    assert response.status_code == 302, response.context and errors_of(response)
    assert stored(s.event) == before
    job = ImportJob.objects.get(kind="scheme")
    assert job.state == ImportJob.State.DONE and job.summary["aspects"] == 5
    # …and exporting again gives the same file contents.
    again = load_workbook(
        io.BytesIO(client.get(reverse("competitions:scheme_export", args=[s.event.pk])).content)
    ).active
    assert list(again.iter_rows(values_only=True)) == rows


def test_the_template_is_a_complete_scheme_that_imports(client, sd, s):
    client.force_login(sd.province_admin)
    response = client.get(reverse("competitions:scheme_template"))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS and len(book.worksheets) == 2  # with its instructions sheet
    assert sheet.max_row == 1 + len(TEMPLATE_ROWS)
    assert upload(client, s.event, response.content).status_code == 302
    rows = stored(s.event)
    # Merged-style blank section and criterion cells repeat the row above.
    assert [(r["section_code"], r["criterion_code"], r["code"]) for r in rows] == [
        ("A", "A1", "A1.1"), ("A", "A1", "A1.2"), ("A", "A2", "A2.1"), ("B", "B1", "B1.1"), ("B", "B1", "B1.2")]
    assert rows[2]["section_name"] == "尺寸精度" and rows[4]["criterion_name"] == "表面质量"
    assert rows[2]["deductions"] == [["S1", "2", "未戴护目镜"], ["S2", "5", "违规操作"]]


GOOD = [list(r) for r in TEMPLATE_ROWS]


def with_changes(*changes: tuple[int, int, Any]) -> list[list[Any]]:
    rows = [list(r) for r in GOOD]
    for r, c, value in changes:
        rows[r][c] = value
    return rows


@pytest.mark.parametrize(("rows", "expected"), [
    (with_changes((1, 6, "测量-估算")), [(3, "类型", "is not a kind of aspect")]),
    (with_changes((4, 7, "25")), [(6, "满分", "total 95, not the 100")]),
    (with_changes((1, 4, "A1.1")), [(3, "细则代码", "already used in row 2")]),
    (with_changes((0, 9, "0.02-20; 0.05:10")), [(2, "公差档", "is not a tolerance band")]),
    (with_changes((0, 9, "0.02:10; 0.05:20")), [(2, "公差档", "must give the full mark 20")]),
    (with_changes((2, 10, "S1:二:未戴护目镜")), [(4, "扣分项", "must be a number")]),
    (with_changes((1, 9, "0.1:5")), [(3, "公差档", "Only a 测量-公差 aspect")]),
    (with_changes((3, 7, "30.005")), [(5, "满分", "more than two decimals")]),
    (with_changes((3, 8, "0.7")), [(5, "步长", "not a multiple of the step")]),
    (with_changes((0, 0, "")), [(2, "分项代码", "Give the section code")]),
    (with_changes((3, 1, "工艺")), []),  # control: the first row of a section names it, blank cells repeat it
    (with_changes((4, 1, "别的名称")), [(6, "分项名称", "is named “工艺评价” in row 5")]),
    # The first use of a code counts even when its own row has another error.
    (with_changes((0, 9, "0.02-20"), (1, 4, "A1.1")), [(2, "公差档", "is not a tolerance band"),
                                                      (3, "细则代码", "already used in row 2")]),
    (with_changes((1, 4, "A1")), [(3, "细则代码", "already used for a section or a criterion")]),
    (with_changes((2, 2, "A1")), [(4, "评分项名称", "is named “外圆” in row 2")]),
])
def test_a_bad_file_is_refused_with_its_errors_by_row_and_column(client, sd, s, rows, expected):
    client.force_login(sd.province_admin)
    before = stored(s.event)
    response = upload(client, s.event, workbook(rows))
    if not expected:  # control cases: a first mention defines the name; the file is fine
        assert response.status_code == 302
        return
    assert response.status_code == 400
    found = errors_of(response)
    for row, column, message in expected:
        assert any(r == row and c == column and message in m for r, c, m in found), found
    assert stored(s.event) == before
    job = response.context["job"]
    assert job.state == ImportJob.State.INVALID and job.error_report
    # The report marks the bad cells; it is served to the organiser only.
    report = client.get(reverse("core:import_error_report", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    assert sheet.cell(row=1, column=1).value == "Row"
    assert sheet.cell(row=2, column=1).value == min(r for r, _c, _m in found)
    client.force_login(sd.qingdao_cadre)
    assert client.get(reverse("core:import_error_report", args=[job.pk])).status_code == 404


def test_a_file_that_is_not_a_workbook_or_has_other_headers_is_refused_before_anything_is_stored(client, sd, s):
    client.force_login(sd.province_admin)
    before = stored(s.event)
    response = upload(client, s.event, "分项代码,分项名称\nA,尺寸".encode(), name="scheme.csv")
    assert response.status_code == 400 and ".xlsx" in " ".join(response.context["import_form"].errors["file"])
    response = upload(client, s.event, b"PK\x03\x04 not really a zip")
    assert response.status_code == 400 and "cannot be read" in " ".join(response.context["import_form"].errors["file"])
    response = upload(client, s.event, workbook(GOOD, headers=["代码", *HEADERS[1:]]))
    assert response.status_code == 400 and "代码" in " ".join(response.context["import_form"].errors["file"])
    response = upload(client, s.event, workbook([]))
    assert response.status_code == 400 and "no data rows" in " ".join(response.context["import_form"].errors["file"])
    assert not ImportJob.objects.exists()
    assert stored(s.event) == before


def test_the_declared_total_decides_and_a_locked_scheme_is_not_replaced(client, sd, s):
    client.force_login(sd.province_admin)
    assert client.post(reverse("competitions:scheme_settings", args=[s.event.pk]), {
        "expected_total": "100", "judgement_method": "worldskills", "trim": 0, "rounding_mode": "half_up",
        "rounding_places": 2, "rounding_level": "criterion", "judges_per_entry": 3}).status_code == 302
    # The import keeps the scheme's settings.
    assert upload(client, s.event, workbook(GOOD)).status_code == 302
    scheme = Scheme.objects.get(event=s.event)
    assert (scheme.judgement_method, scheme.rounding_level) == ("worldskills", "criterion")
    # Once marking has started nothing is stored.
    type(s.jinan_round).objects.filter(pk=s.jinan_round.pk).update(state="marking")
    response = upload(client, s.event, workbook(with_changes((0, 5, "改过的细则"))))
    assert response.status_code == 400 and "Marking has started" in str(response.context["import_form"].errors)
    assert stored(s.event)[0]["description"] == "外圆直径 Φ40±0.02"


def test_only_the_organiser_imports(client, sd, s):
    client.force_login(sd.county_cadre)
    assert upload(client, s.event, workbook(GOOD)).status_code == 403
    client.force_login(sd.qingdao_cadre)
    assert (
        client.get(reverse("competitions:scheme_detail", args=[s.event.pk])).status_code == 200
    )  # above Qingdao: visible
    assert upload(client, s.event, workbook(GOOD)).status_code == 403
    assert not ImportJob.objects.exists()


def test_the_generic_import_pages_refuse_a_scheme(sd, s):
    """A scheme needs its event: the shared upload (page or API) refuses the kind."""
    with pytest.raises(DomainError, match="scheme page"):
        imports.start_import(actor=sd.province_admin, kind="scheme", target=sd.province,
                             upload=SimpleUploadedFile("s.xlsx", workbook(GOOD)))
    assert not ImportJob.objects.exists()
