"""The import pages: upload a roster, read the per-row errors and the error report, correct the file and
import again; large files run in the background and the status page polls; jobs stay in their scope."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gongjiang.core.models import ImportJob
from gongjiang.orgs.models import Membership, Person
from gongjiang.orgs.tests.factories import id_number, xlsx_upload

HEADERS = ["姓名", "身份证号", "手机号码", "工种", "技能等级", "一线职工", "入会日期"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def xlsx(rows: list[list[str]], headers: list[str] = HEADERS, name: str = "名册.xlsx") -> SimpleUploadedFile:
    return xlsx_upload(headers, rows, name)


def upload_url(org) -> str:
    return reverse("core:import_list") + f"?org={org.pk}"


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_the_upload_page_explains_the_columns_and_links_the_template(client, sd):
    client.force_login(sd.enterprise_cadre)
    response = client.get(upload_url(sd.steel))
    page = response.content.decode()
    assert response.context["form"] is not None
    assert reverse("core:import_template", args=["roster"]) in page
    assert "身份证号" in page and "GB 11643" in page  # the column help of the spec
    template = client.get(reverse("core:import_template", args=["roster"]))
    assert load_workbook(io.BytesIO(template.content)).active.cell(1, 1).value == "姓名"


@pytest.mark.parametrize("upload", [
    SimpleUploadedFile("名册.csv", "姓名,身份证号\n张三,370102199003071234\n".encode()),
    SimpleUploadedFile("名册.xlsx", b"this is not a workbook"),
    SimpleUploadedFile("名册.xlsx", b""),
])
def test_a_file_that_is_not_an_xlsx_is_refused_and_nothing_is_stored(client, sd, media, upload):
    client.force_login(sd.enterprise_cadre)
    response = client.post(upload_url(sd.steel), {"file": upload})
    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not ImportJob.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("headers, rows", [
    (["姓名", "身份证"], [["赵一", "x"]]),  # unknown / missing required header
    (HEADERS, []),  # a header row and no data
])
def test_header_problems_and_empty_sheets_are_shown_on_the_form(client, sd, media, headers, rows):
    client.force_login(sd.enterprise_cadre)
    response = client.post(upload_url(sd.steel), {"file": xlsx(rows, headers)})
    assert response.status_code == 400 and "file" in response.context["form"].errors
    assert not ImportJob.objects.exists() and stored_files(media) == []


def test_a_file_over_the_size_limit_is_refused(client, sd, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(sd.enterprise_cadre)
    rows = [[f"职工{i}", id_number(), "", "", "", "", ""] for i in range(100)]
    response = client.post(upload_url(sd.steel), {"file": xlsx(rows)})
    assert "file" in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_a_bad_row_is_reported_then_the_corrected_file_is_imported(client, sd):
    client.force_login(sd.enterprise_cadre)
    good, other = id_number(), id_number()
    bad = other[:17] + ("0" if other[17] != "0" else "1")
    response = client.post(upload_url(sd.steel), {"file": xlsx([
        ["赵一", good, "13900000001", "车工", "四级/中级工", "是", "2015-09-01"],
        ["钱二", bad, "12345", "车工", "技师", "否", ""],
    ])})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:import_status", args=[job.pk])
    assert job.state == ImportJob.State.INVALID
    assert not Person.objects.filter(employer=sd.steel).exists()  # all or nothing

    status = client.get(reverse("core:import_status", args=[job.pk]))
    errors = {(e["row"], e["column"]) for e in status.context["errors"]}
    assert errors == {(3, "身份证号"), (3, "手机号码")}
    page = status.content.decode()
    assert reverse("core:import_error_report", args=[job.pk]) in page
    assert 'hx-trigger="every 1s"' not in page  # finished: no polling

    report = client.get(reverse("core:import_error_report", args=[job.pk]))
    assert report.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(report.streaming_content))).active
    assert ws.cell(row=2, column=1).value == 3  # the spreadsheet row of the bad line
    id_col = [c.value for c in ws[1]].index("身份证号") + 1
    assert ws.cell(row=2, column=id_col).fill.fgColor.rgb.endswith("FFC7CE")  # the bad cell is marked

    # The cadre corrects the row and uploads again.
    response = client.post(upload_url(sd.steel), {"file": xlsx([
        ["赵一", good, "13900000001", "车工", "四级/中级工", "是", "2015-09-01"],
        ["钱二", other, "13900000002", "车工", "技师", "否", ""],
    ])})
    fixed = ImportJob.objects.exclude(pk=job.pk).get()
    assert fixed.state == ImportJob.State.DONE, fixed.message
    assert fixed.summary == {"created": 2, "updated": 0, "members": 1}
    assert Person.objects.filter(employer=sd.steel).count() == 2
    assert Membership.objects.filter(union=sd.steel).count() == 1
    page = client.get(reverse("core:import_status", args=[fixed.pk])).content.decode()
    assert 'hx-trigger="every 1s"' not in page
    assert client.get(reverse("core:import_error_report", args=[fixed.pk])).status_code == 404  # no errors, no report


def test_a_large_file_runs_in_the_background_and_the_status_page_polls(client, sd, settings,
                                                                       django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 1
    client.force_login(sd.enterprise_cadre)
    rows = [[f"职工{i}", id_number(), "", "", "", "是", ""] for i in range(3)]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(upload_url(sd.steel), {"file": xlsx(rows)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.state == ImportJob.State.PENDING and len(callbacks) == 1

    page = client.get(reverse("core:import_status", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'class="progress"' in page
    fragment = client.get(reverse("core:import_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert [t.name for t in fragment.templates] == [
        "core/_import_status.html", "core/_import_status_base.html", "core/_import_state_badge.html"]
    assert 'hx-trigger="every 1s"' in fragment.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        callbacks[0]()  # the task queue runs the import (the immediate backend in tests)
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.summary["created"] == 3
    fragment = client.get(reverse("core:import_status", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' not in fragment


def test_another_citys_cadre_cannot_see_the_job(client, sd):
    client.force_login(sd.enterprise_cadre)
    client.post(upload_url(sd.steel), {"file": xlsx([["赵一", "370102", "", "", "", "", ""]])})
    job = ImportJob.objects.get()
    assert job.state == ImportJob.State.INVALID
    client.force_login(sd.qingdao_cadre)
    assert client.get(reverse("core:import_status", args=[job.pk])).status_code == 404
    assert client.get(reverse("core:import_error_report", args=[job.pk])).status_code == 404
    assert list(client.get(reverse("core:import_list")).context["page"].object_list) == []
    assert client.get(upload_url(sd.steel)).status_code == 404
    client.force_login(sd.jinan_cadre)
    assert client.get(reverse("core:import_status", args=[job.pk])).status_code == 200
    assert [j.pk for j in client.get(reverse("core:import_list")).context["page"].object_list] == [job.pk]


def test_a_viewer_gets_no_upload_form_and_cannot_upload(client, sd, media):
    client.force_login(sd.jinan_viewer)
    response = client.get(upload_url(sd.steel))
    assert response.context["form"] is None and response.context["refusal"]
    response = client.post(upload_url(sd.steel), {"file": xlsx([["赵一", id_number(), "", "", "", "", ""]])})
    assert response.status_code == 403
    assert not ImportJob.objects.exists() and stored_files(media) == []


def test_a_roster_goes_into_a_unit_that_employs_people(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.get(upload_url(sd.lixia))
    assert response.context["form"] is None and response.context["refusal"]
    found = client.get(reverse("core:import_list"), {"find": "炼钢"}).context["found"]
    assert {o.pk for o in found} == {sd.workshop.pk, sd.team.pk}


def test_the_import_pages_need_a_login(client, sd):
    assert client.get(reverse("core:import_list")).status_code == 302
