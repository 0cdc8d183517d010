"""Aid pages and API: who sees a cycle (404 out of scope), the board's buttons through to the bank's Excel and the
reconciliation from the bank's returned Excel (an unknown reference refused, nothing changed), the programme form
refusing a share above 100%; the API's flow and its refusals in Chinese (400 naming the field, 422 for a body of the
wrong shape)."""

from __future__ import annotations

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongjiang.care import services
from gongjiang.care.models import Cycle, Entitlement, HouseholdFile, Payment, Programme
from gongjiang.orgs.tests.factories import xlsx_upload
from gongjiang.orgs.tests.test_api import Api, assert_error

from .factories import approved, cycle, second_admin


def _login(client, user):
    client.force_login(user)
    return client


def test_the_board_from_the_build_to_the_bank_and_back(sd, cw, client):
    cw.active()
    cw.active(person=sd.qd_person)
    c = cycle(cw)
    board = reverse("care:cycle_board", args=[c.pk])
    assert _login(client, sd.worker).get(board).status_code == 403
    jinan_cycle = services.create_cycle(actor=sd.jinan_cadre, programme=services.create_programme(
        actor=sd.jinan_cadre, owner=sd.jinan, name="济南送温暖", kind="warmth", eligibility_rule={},
        amount_rule={"kind": "fixed", "amount": "500"}, starts_on=c.programme.starts_on,
        ends_on=c.programme.ends_on), name="济南2027", year=2027, budget="5000")
    assert _login(client, sd.qingdao_cadre).get(reverse("care:cycle_board", args=[jinan_cycle.pk])).status_code == 404
    admin = _login(client, sd.province_admin)
    admin.post(reverse("care:cycle_act", args=[c.pk, "build"]))
    assert Entitlement.objects.filter(cycle=c).count() == 2
    r = admin.get(board)
    assert r.status_code == 200 and "李强" in r.content.decode()
    admin.post(reverse("care:cycle_act", args=[c.pk, "confirm"]))
    _login(client, second_admin(cw)).post(reverse("care:cycle_act", args=[c.pk, "approve"]))
    assert Cycle.objects.get(pk=c.pk).state == "approved"
    li = HouseholdFile.objects.get(person=sd.worker_person)
    services.set_payee_account(actor=sd.enterprise_cadre, file=li, holder="李强", bank_name="工商银行",
                               number="6222020200112233445")
    admin = _login(client, sd.province_admin)
    admin.post(reverse("care:cycle_act", args=[c.pk, "batch"]), {"org": sd.province.pk})
    batch = c.batches.get()
    r = admin.get(reverse("care:batch_export", args=[batch.pk]))
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert sheet["A1"].value == "付款参考号"
    assert _login(client, sd.county_cadre).get(reverse("care:batch_export", args=[batch.pk])).status_code == 404
    ref = batch.payments.get().reference
    before = list(Payment.objects.values_list("state", flat=True))
    bad = xlsx_upload(["付款参考号", "结果"], [[ref, "成功"], ["GJ00000-00000000", "成功"]], "回单.xlsx")
    r = _login(client, sd.province_admin).post(reverse("care:batch_reconcile", args=[batch.pk]), {"file": bad},
                                               follow=True)
    assert "GJ00000-00000000" in r.content.decode()
    assert list(Payment.objects.values_list("state", flat=True)) == before
    good = xlsx_upload(["结果", "付款参考号", "日期"], [["成功", ref, timezone.localdate().isoformat()]], "回单.xlsx")
    client.post(reverse("care:batch_reconcile", args=[batch.pk]), {"file": good})
    assert Payment.objects.get(reference=ref).state == "paid"
    wang = HouseholdFile.objects.get(person=sd.qd_person)
    client.post(reverse("care:cycle_act", args=[c.pk, "pay"]), {
        "file": wang.pk, "method": "cash", "signed_by": "王芳", "paid_on": timezone.localdate().isoformat()})
    client.post(reverse("care:cycle_act", args=[c.pk, "close"]))
    assert Cycle.objects.get(pk=c.pk).state == "reconciled"
    assert _login(client, sd.jinan_cadre).get(reverse("care:programme_list")).status_code == 200


def test_the_programme_form_refuses_a_share_above_100_percent(sd, cw, client):
    url = reverse("care:programme_new") + f"?org={sd.province.pk}"
    r = _login(client, sd.province_admin).post(url, {
        "name": "医疗救助", "kind": "medical", "amount_kind": "by_cost", "share": "150%", "cap": "5000",
        "starts_on": "2027-01-01", "ends_on": "2027-12-31"})
    assert r.status_code == 400 and Programme.objects.count() == 0


def test_the_api_flow_and_its_refusals(sd, cw):
    c = approved(cw)
    api = Api(sd.province_admin)
    listed = api.get(f"/care/cycles/{c.pk}").json()
    assert listed["state"] == "approved" and listed["totals"][0]["listed"] == 2
    li = HouseholdFile.objects.get(person=sd.worker_person)
    ok = api.post(f"/care/cycles/{c.pk}/payments", {"file_id": li.pk, "method": "cash", "signed_by": "李强",
                                                    "paid_on": timezone.localdate().isoformat()})
    assert ok.status_code == 201, ok.content
    body = assert_error(api.post(f"/care/cycles/{c.pk}/payments", {
        "file_id": li.pk, "method": "cash", "signed_by": "李强", "paid_on": timezone.localdate().isoformat()}),
        400, "paid_twice", "file")
    assert "重复发放" in body["detail"]
    assert_error(api.post(f"/care/cycles/{c.pk}/payments", {"file_id": li.pk}), 422)
    assert_error(api.post("/care/programmes", {
        "owner_id": sd.province.pk, "name": "医疗救助", "kind": "medical", "amount_rule": {
            "kind": "by_cost", "share": "0.5", "cap": "-1"}, "starts_on": "2027-01-01", "ends_on": "2027-12-31"}),
        400, None, "cap")
    assert Api(sd.qingdao_cadre).get(f"/care/cycles/{c.pk}/entitlements").json()["count"] == 1
    assert Api(sd.worker).get(f"/care/cycles/{c.pk}").status_code in (403, 404)
