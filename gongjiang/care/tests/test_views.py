"""The archive's pages: who sees them (404 out of scope, every opening of a file audited), the list's filters, the
forms refusing bad input in Chinese with nothing changed, the Excel export (masked unless allowed, audited), the
queue's buttons and the threshold page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongjiang.care import services
from gongjiang.care.models import CareRequest, HouseholdFile
from gongjiang.core.models import AuditEvent
from gongjiang.orgs.tests.factories import id_number


def _login(client, user):
    client.force_login(user)
    return client


def _views(f):
    return AuditEvent.objects.filter(verb="care.file.viewed", object_id=str(f.pk)).count()


def test_a_file_s_page_is_for_its_unions_only_and_every_opening_is_audited(sd, cw, client):
    f = cw.active()
    url = reverse("care:file_detail", args=[f.pk])
    assert client.get(url).status_code == 302  # anonymous: to the log-in
    for outsider in (sd.qingdao_cadre, sd.industry_cadre):
        assert _login(client, outsider).get(url).status_code == 404
    assert _views(f) == 0
    r = _login(client, sd.jinan_viewer).get(url)
    assert r.status_code == 200 and "李强" in r.content.decode() and _views(f) == 1
    html = r.content.decode()
    assert sd.worker_person.id_number not in html and "**************" in html
    assert _login(client, sd.jinan_viewer).get(url + "?ids=clear").status_code == 403
    r = _login(client, sd.enterprise_cadre).get(url + "?ids=clear")
    html = r.content.decode()
    assert sd.worker_person.id_number in html, html[html.find("<table"):html.find("</table>")]
    assert _views(f) == 2
    assert AuditEvent.objects.filter(verb="care.file.viewed", after__clear_ids=True).count() == 1


def test_the_list_filters_by_grade_cause_status_and_due(sd, cw, client):
    f = cw.active()
    cw.file(person=sd.qd_person)
    c = _login(client, sd.province_admin)
    base = reverse("care:file_list")
    assert f"/care/{f.pk}/" in c.get(base + "?grade=deep").content.decode()
    assert f"/care/{f.pk}/" not in c.get(base + "?grade=sudden").content.decode()
    assert f"/care/{f.pk}/" in c.get(base + "?cause=schooling").content.decode()
    assert f"/care/{f.pk}/" not in c.get(base + "?cause=disaster").content.decode()
    assert f"/care/{f.pk}/" not in c.get(base + "?status=filing").content.decode()
    assert f"/care/{f.pk}/" not in c.get(base + "?due=1").content.decode()
    qd = _login(client, sd.qingdao_cadre).get(base).content.decode()
    assert f"/care/{f.pk}/" not in qd and "王芳" in qd


def test_the_export_masks_ids_unless_the_role_may_see_them_and_is_audited(sd, cw, client):
    f = cw.active()
    url = reverse("care:file_list") + f"?org={sd.steel.pk}&export=xlsx"
    r = _login(client, sd.jinan_viewer).get(url)
    cells = [c for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True) for c in row]
    assert "李强" in cells and sd.worker_person.id_number not in cells
    assert AuditEvent.objects.filter(verb="care.file.exported").count() == 1
    assert _login(client, sd.jinan_viewer).get(url + "&ids=clear").status_code == 403
    assert AuditEvent.objects.filter(verb="care.file.exported").count() == 1
    r = _login(client, sd.enterprise_cadre).get(url + "&ids=clear")
    cells = [c for row in load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True) for c in row]
    assert sd.worker_person.id_number in cells
    assert f.pk


def _post_household(client, worker_id, members):
    data = {"worker_id": worker_id, "housing": "rented", "causes": ["illness", "schooling"]}
    for i, m in enumerate(members):
        for k, v in m.items():
            data[f"m{i}-{k}"] = v
    return client.post(reverse("care:file_new"), data)


def test_filing_through_the_form_and_the_queue(sd, cw, client):
    c = _login(client, sd.enterprise_cadre)
    r = _post_household(c, sd.worker_person.id_number, cw.household())
    assert r.status_code == 302
    request = CareRequest.objects.get()
    assert f'id="request-{request.pk}"' in c.get(reverse("care:queue")).content.decode()
    c.post(reverse("care:request_decide", args=[request.pk, "check"]))
    c = _login(client, sd.county_cadre)
    assert f'id="request-{request.pk}"' in c.get(reverse("care:queue")).content.decode()
    c.post(reverse("care:request_decide", args=[request.pk, "approve"]))
    assert HouseholdFile.objects.get().status == "active"


@pytest.mark.parametrize("field, value, message", [
    ("monthly_income", "abc", "月收入必须是以元为单位的数字"),
    ("monthly_income", "-10", "月收入不能为负数"),
    ("id_number", "37010219850307123", "身份证号"),
])
def test_the_form_refuses_bad_input_in_chinese_and_changes_nothing(sd, cw, client, field, value, message):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    members = cw.household()
    members[1][field] = value
    r = _post_household(_login(client, sd.enterprise_cadre), sd.worker_person.id_number, members)
    assert r.status_code == 400 and message in r.content.decode() and "王秀英" in r.content.decode()
    assert HouseholdFile.objects.count() == 0


def test_the_form_refuses_a_member_already_in_another_file(sd, cw, client):
    shared = id_number()
    cw.active(person=sd.qd_person, members=[
        {"relation": "self", "name": "王芳", "id_number": sd.qd_person.id_number, "monthly_income": "300",
         "work": "unemployed"}, {"relation": "child", "name": "王小雨", "id_number": shared,
                                 "monthly_income": "0", "work": "student"}])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    members = cw.household()
    members[2].update(id_number=shared, name="王小雨")
    r = _post_household(_login(client, sd.enterprise_cadre), sd.worker_person.id_number, members)
    html = r.content.decode()
    assert r.status_code == 400 and "王小雨" in html and "同一人只能在一份档案中" in html
    assert f"**************{shared[-4:]}" in html
    assert HouseholdFile.objects.count() == 1


def test_approval_by_the_wrong_level_through_the_page_is_refused(sd, cw, client):
    request = services.check_request(actor=sd.enterprise_cadre, request=cw.file())
    r = _login(client, sd.enterprise_cadre).post(reverse("care:request_decide", args=[request.pk, "approve"]))
    assert r.status_code == 403
    assert CareRequest.objects.get().state == "checked"


def test_the_threshold_page(sd, cw, client):
    c = _login(client, sd.jinan_cadre)
    url = reverse("care:threshold") + f"?org={sd.lixia.pk}"
    r = c.get(url)
    assert r.status_code == 200 and "1012" in r.content.decode()
    assert c.post(url, {"monthly_minimum": "abc"}).status_code == 400
    assert c.post(url, {"monthly_minimum": "1100"}).status_code == 302
    assert "1100" in c.get(url).content.decode()


def test_change_exit_and_review_pages(sd, cw, client):
    f = cw.active()
    c = _login(client, sd.enterprise_cadre)
    assert c.get(reverse("care:file_change", args=[f.pk])).status_code == 200
    assert c.post(reverse("care:file_review", args=[f.pk])).status_code == 302
    assert c.post(reverse("care:file_exit", args=[f.pk]), {"reason": "已再就业"}).status_code == 302
    assert CareRequest.objects.filter(kind="exit").exists()
    assert _login(client, sd.qingdao_cadre).get(reverse("care:file_change", args=[f.pk])).status_code == 404
