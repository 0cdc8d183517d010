"""Rights cases through the API: the same verbs and scopes; bad input a 422 naming the field with nothing changed;
the worker's identity only for the handling union and those above it."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from gongjiang.core.models import AuditEvent
from gongjiang.orgs.tests.test_api import Api, assert_error
from gongjiang.rights.models import Case

from .case_factories import PDF, accepted, phone_case


def _hotline(sd, **kw):
    return {"channel": "hotline", "kind": "wages", "summary": "工地拖欠工资", "employer_name": "泉城建筑劳务队",
            "region_id": sd.town.pk, "worker_name": "赵大勇", "worker_phone": "13712345678", "people": 4,
            "migrants": 4, "claimed": "32000", **kw}


def test_the_flow(sd):
    county = Api(sd.county_cadre)
    r = county.post("/rights/cases", _hotline(sd))
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    assert r.json()["handler"]["id"] == sd.lixia.pk and r.json()["identified"]
    assert county.post(f"/rights/cases/{cid}/step", {"step": "accepted"}).json()["step"] == "accepted"
    assert county.post(f"/rights/cases/{cid}/step", {"step": "mediating"}).json()["step"] == "mediating"
    assert county.post(f"/rights/cases/{cid}/notes", {"text": "约谈劳务队负责人", "public": True}).status_code == 201
    up = county.upload(f"/rights/cases/{cid}/documents", {"files": [SimpleUploadedFile("调解协议.pdf", PDF)]})
    assert up.status_code == 201 and up.json() == ["调解协议.pdf"]
    done = county.post(f"/rights/cases/{cid}/close", {"result": "resolved", "recovered": "32000", "helped": 4})
    assert done.status_code == 200 and Decimal(done.json()["recovered"]) == 32000
    listed = county.get("/rights/cases", org_id=sd.lixia.pk).json()
    assert listed["items"][0]["worker_name"] == "赵**" and listed["items"][0]["summary"] is None
    assert county.get(f"/rights/cases/{cid}").json()["worker_name"] == "赵大勇"
    assert AuditEvent.objects.filter(verb="rights.case.viewed", object_id=str(cid)).exists()
    steps = [e["step"] for e in county.get(f"/rights/cases/{cid}/entries").json() if e["kind"] == "step"]
    assert steps == ["filed", "accepted", "mediating", "closed"]
    fig = county.get("/rights/cases/figures", org_id=sd.lixia.pk).json()
    assert Decimal(fig["recovered"]) == 32000 and fig["closed"] == 1 and fig["median_days"] == 0


def test_the_employer_union_gets_nulls(sd):
    case = accepted(sd, phone_case(sd, ask_county=True))
    steel = Api(sd.enterprise_cadre)
    got = steel.get(f"/rights/cases/{case.pk}").json()
    assert got["identified"] is False and got["worker_name"] is None and got["summary"] is None
    assert got["claimed"] is None and got["filed_on"] is None and "李强" not in str(got)
    items = steel.get("/rights/cases", org_id=sd.steel.pk).json()["items"]
    assert [i["id"] for i in items] == [case.pk] and items[0]["worker_name"] is None
    assert steel.get("/rights/cases", org_id=sd.steel.pk, migrant=True).json()["items"] == []
    entries = steel.get(f"/rights/cases/{case.pk}/entries").json()
    assert all(e["text"] is None and len(e["on"]) == 7 for e in entries)
    assert_error(steel.post(f"/rights/cases/{case.pk}/step", {"step": "investigating"}), 403)
    assert_error(Api(sd.qingdao_cadre).get(f"/rights/cases/{case.pk}"), 404)
    mine = Api(sd.worker).get("/rights/cases/mine").json()
    assert [c["id"] for c in mine] == [case.pk] and mine[0]["worker_name"] == "李强"


def test_bad_input_is_a_422_naming_the_field_and_changes_nothing(sd):
    county = Api(sd.county_cadre)
    for data, field in ((_hotline(sd, claimed="-5"), "claimed"), (_hotline(sd, migrants=9), "migrants"),
                        (_hotline(sd, kind="x"), "kind"), (_hotline(sd, employer_name=""), "employer_name")):
        assert_error(county.post("/rights/cases", data), 422, field=field)
    assert not Case.objects.exists()
    cid = county.post("/rights/cases", _hotline(sd)).json()["id"]
    body = assert_error(county.post(f"/rights/cases/{cid}/step", {"step": "legal"}), 422, field="step")
    assert "受理" in body["detail"] or "Accept" in body["detail"]
    county.post(f"/rights/cases/{cid}/step", {"step": "accepted"})
    assert_error(county.post(f"/rights/cases/{cid}/close", {}), 422, field="result")
    assert_error(county.post(f"/rights/cases/{cid}/close", {"result": "resolved", "recovered": "40000"}), 422,
                 field="reason")
    assert_error(county.upload(f"/rights/cases/{cid}/documents",
                               {"files": [SimpleUploadedFile("a.pdf", b"MZ\x90")]}), 422, field="files")
    assert Case.objects.get(pk=cid).step == "accepted"
    assert_error(county.get("/rights/cases/figures", org_id=sd.lixia.pk, year=2**62), 422, field="year")
