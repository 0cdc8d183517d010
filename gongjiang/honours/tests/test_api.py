"""The honours in the API under /api/v1: the same verbs and scopes as the pages — the province opens a campaign
and shares out its quota, a city splits its share, an enterprise nominates a team, attaches its materials and
submits it; refusals name their fields with every reason (codes `quota`, `ineligible`, `incomplete`,
`duplicate`, `file_type`), out of scope is a 404, nothing changed by any refusal."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gongjiang.honours.models import HonourType
from gongjiang.orgs.tests.test_api import Api, assert_error, token_for

from .factories import DEEDS, PDF
from .test_services import rows


def test_the_types_are_listed_and_only_the_province_defines_one(hw):
    listed = Api(hw.sd.jinan_cadre).get("/honours/types").json()
    assert {"province_pioneer", "national_model_worker"} <= {t["code"] for t in listed}
    payload = {"code": "city_model_worker", "name": "市劳动模范", "level": "city", "subject": "person",
               "term_years": 5, "min_years": 5, "excludes": ["city_model_worker"]}
    assert_error(Api(hw.sd.jinan_cadre).post("/honours/types", payload), 403, "forbidden")
    made = Api(hw.sd.province_admin).post("/honours/types", payload)
    assert made.status_code == 201 and made.json()["excludes"] == ["city_model_worker"]
    before = rows()
    assert_error(Api(hw.sd.province_admin).post("/honours/types", {**payload, "code": "y", "name": "乙",
                                                                    "requires_any": ["nothing"]}),
                 400, "invalid", "requires_any")
    assert rows() == before


def test_the_province_opens_a_campaign_and_shares_out_its_quota(hw):
    admin = Api(token=token_for(hw.sd.province_admin))
    today = timezone.localdate().isoformat()
    award = HonourType.objects.get(code="province_may_day_award")
    r = admin.post("/honours/campaigns", {"honour_type_id": award.pk, "org_id": hw.sd.province.pk,
                                          "year": timezone.localdate().year, "title": "省五一劳动奖状评选",
                                          "opens_on": today, "submit_until": today, "total": 10,
                                          "reserves": {"non_public": 2}, "materials": ["form", "deeds"]})
    assert r.status_code == 201, r.content
    cid = r.json()["id"]
    table = admin.get(f"/honours/campaigns/{cid}/quotas").json()
    root = table["allocation"]
    assert (root["quota"], root["reserves"]["non_public"], table["children"]) == (10, 2, [])
    before = rows()
    body = assert_error(admin.put(f"/honours/campaigns/{cid}/quotas/{root['id']}", {"shares": [
        {"org_id": hw.sd.jinan.pk, "quota": 7}, {"org_id": hw.sd.qingdao.pk, "quota": 5}]}), 400, "invalid", "quota")
    assert "12" in body["detail"]
    assert rows() == before
    ok = admin.put(f"/honours/campaigns/{cid}/quotas/{root['id']}", {"shares": [
        {"org_id": hw.sd.jinan.pk, "quota": 5, "reserves": {"non_public": 1}},
        {"org_id": hw.sd.qingdao.pk, "quota": 4, "reserves": {"non_public": 1}}]})
    assert ok.status_code == 200, ok.content
    assert [(c["org"]["name"], c["quota"]) for c in ok.json()["children"]] == [("济南市总工会", 5), ("青岛市总工会", 4)]
    qd = Api(hw.sd.qingdao_cadre)
    assert qd.get(f"/honours/campaigns/{cid}/quotas").json()["allocation"]["org"]["name"] == "青岛市总工会"
    assert_error(qd.get(f"/honours/campaigns/{cid}/quotas", org_id=hw.sd.jinan.pk), 404, "not_found")
    assert_error(qd.put(f"/honours/campaigns/{cid}/quotas/{root['id']}", {"shares": []}), 404, "not_found")


def test_an_enterprise_nominates_a_team_and_every_refusal_names_its_field(hw):
    cadre = Api(hw.sd.enterprise_cadre)
    before = rows()
    assert_error(cadre.post(f"/honours/campaigns/{hw.pioneer.pk}/nominations", {
        "unit_id": hw.sd.steel.pk, "nominee_org_id": hw.sd.qd_enterprise.pk}), 404, "not_found", "nominee_org_id")
    assert rows() == before
    r = cadre.post(f"/honours/campaigns/{hw.pioneer.pk}/nominations", {
        "unit_id": hw.sd.steel.pk, "nominee_org_id": hw.sd.team.pk, "front_line": True})
    assert r.status_code == 201, r.content
    n = r.json()
    assert (n["name"], n["state"], n["allocation_org"]["name"]) == ("炼钢一班", "draft", "历下区总工会")
    assert_error(cadre.post(f"/honours/campaigns/{hw.pioneer.pk}/nominations", {
        "unit_id": hw.sd.steel.pk, "nominee_org_id": hw.sd.team.pk}), 400, "duplicate", "nominee_org")
    body = assert_error(cadre.post(f"/honours/nominations/{n['id']}/submit"), 400, "incomplete", "materials")
    assert "deeds" in body["detail"] or "主要事迹" in body["detail"]
    exe = SimpleUploadedFile("表.pdf", b"MZ" + b"\0" * 40)
    assert_error(cadre.upload(f"/honours/nominations/{n['id']}/files", {"files": [exe], "kind": "form"}), 400,
                 "file_type", "files")
    for kind in ("form", "deeds"):
        up = cadre.upload(f"/honours/nominations/{n['id']}/files",
                          {"files": [SimpleUploadedFile("表.pdf", PDF)], "kind": kind})
        assert up.status_code == 201, up.content
    assert cadre.put(f"/honours/nominations/{n['id']}", {"deeds": DEEDS}).status_code == 200
    done = cadre.post(f"/honours/nominations/{n['id']}/submit")
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    assert Api(hw.sd.province_admin).get(f"/honours/campaigns/{hw.pioneer.pk}/quotas").json()["children"][0][
        "nominated"] == 1
    assert_error(Api(hw.sd.qingdao_cadre).get(f"/honours/nominations/{n['id']}"), 404, "not_found")
    listed = Api(hw.sd.jinan_cadre).get(f"/honours/campaigns/{hw.pioneer.pk}/nominations").json()
    assert listed["count"] == 1 and listed["items"][0]["files"][0]["kind"] == "form"


def test_an_ineligible_person_gets_every_reason_in_the_api(hw):
    cadre = Api(hw.sd.enterprise_cadre)
    r = cadre.post(f"/honours/campaigns/{hw.medal.pk}/nominations", {
        "unit_id": hw.sd.steel.pk, "person_id": hw.sd.worker_person.pk, "years_in_trade": 1,
        "disciplinary_record": True, "deeds": DEEDS})
    assert r.status_code == 201, r.content
    nid = r.json()["id"]
    cadre.upload(f"/honours/nominations/{nid}/files", {"files": [SimpleUploadedFile("表.pdf", PDF)], "kind": "form"})
    before = rows()
    body = assert_error(cadre.post(f"/honours/nominations/{nid}/submit"), 400, "ineligible")
    assert {"years_in_trade", "disciplinary_record"} <= set(body["errors"])
    assert rows() == before


def test_the_api_is_documented(hw):
    schema = Api(hw.sd.province_admin).client.get("/api/v1/openapi.json").json()
    assert "/api/v1/honours/campaigns/{campaign_id}/quotas" in schema["paths"]
