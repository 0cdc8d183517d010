"""The assessments in the API under /api/v1: the same verbs and scopes as the pages — the province defines a rubric
and opens an assessment, Jinan answers and submits, the province reviews and confirms, ranks and publishes;
refusals are 400s naming their fields (codes `bad_rubric`, `locked`, `no_reason`), a review by another union a 403,
out of scope a 404, nothing changed by any refusal."""

from __future__ import annotations

import copy

from gongjiang.assessments.samples import CITY_RUBRIC
from gongjiang.orgs.tests.test_api import Api, assert_error

from .test_services import snapshot


def test_rubrics_are_defined_and_a_broken_one_lists_every_problem(sd):
    admin = Api(sd.province_admin)
    data = copy.deepcopy(CITY_RUBRIC)
    data["items"][6]["cap"] = 30
    before = snapshot()
    body = assert_error(admin.post("/assessments/rubrics", {"org_id": sd.province.pk, "title": "细则",
                                                            "definition": data}), 400, "bad_rubric", "definition")
    assert "超过了加分总上限" in body["errors"]["definition"]  # the API answers in Chinese
    assert snapshot() == before
    made = admin.post("/assessments/rubrics", {"org_id": sd.province.pk, "title": "细则", "definition": CITY_RUBRIC})
    assert made.status_code == 201 and float(made.json()["maximum"]) == 100
    assert_error(Api(sd.jinan_cadre).post("/assessments/rubrics", {"org_id": sd.province.pk, "title": "细则",
                                                                   "definition": CITY_RUBRIC}), 404, None, "org_id")
    assert_error(Api(sd.jinan_viewer).post("/assessments/rubrics", {"org_id": sd.jinan.pk, "title": "细则",
                                                                    "definition": CITY_RUBRIC}), 403)


def test_the_flow_through_the_api(aw):
    sd = aw.sd
    admin, jinan = Api(sd.province_admin), Api(sd.jinan_cadre)
    campaign = admin.get(f"/assessments/campaigns/{aw.campaign.pk}").json()
    assert campaign["sheets"] == 2 and campaign["submitted"] == 0
    sheet_id = aw.sheet(sd.jinan).pk
    detail = jinan.get(f"/assessments/sheets/{sheet_id}").json()
    b1 = next(i for i in detail["items"] if i["key"] == "B1")
    assert b1["value"] == "7.00" and b1["provenance"]["metric"] == "competitions.held"
    before = snapshot()
    body = assert_error(jinan.put(f"/assessments/sheets/{sheet_id}/answers",
                                  {"answers": {"A1": {"value": "特优"}, "B1": {"value": "-1"}}}), 400, None, "item_A1")
    assert "不小于 0" in body["errors"]["item_B1"]
    assert snapshot() == before
    answers = {k: {"value": v} for k, v in {"A1": "优", "A2": True, "B2": "良", "C2": "优", "E1": 0, "X1": 1,
                                             "X2": 0, "V1": False}.items()}
    assert jinan.put(f"/assessments/sheets/{sheet_id}/answers", {"answers": answers}).status_code == 200
    assert jinan.post(f"/assessments/sheets/{sheet_id}/submit").json()["state"] == "submitted"
    assert_error(jinan.put(f"/assessments/sheets/{sheet_id}/answers", {"answers": {"A1": {"value": "差"}}}),
                 400, "locked")
    assert_error(jinan.post(f"/assessments/sheets/{sheet_id}/items/B1/review", {"decision": "accepted"}),
                 403, "not_assessing")
    assert_error(admin.post(f"/assessments/sheets/{sheet_id}/items/B1/review",
                            {"decision": "adjusted", "value": "5"}), 400, "no_reason", "reason")
    item = admin.post(f"/assessments/sheets/{sheet_id}/items/B1/review",
                      {"decision": "adjusted", "value": "5", "reason": "两项为上年举办"}).json()
    assert item["review"] == "adjusted" and item["points"] == "5.00"
    for key in ["A1", "A2", "B2", "C1", "C2", "D1", "E1", "X1", "X2", "V1"]:
        admin.post(f"/assessments/sheets/{sheet_id}/items/{key}/review", {"decision": "accepted"})
    assert admin.post(f"/assessments/sheets/{sheet_id}/confirm").json()["state"] == "confirmed"
    aw.fill(sd.qingdao, V1="是")
    aw.confirm(sd.qingdao)
    assert admin.post(f"/assessments/campaigns/{aw.campaign.pk}/rank").json()["state"] == "ranked"
    ranked = jinan.get(f"/assessments/campaigns/{aw.campaign.pk}/sheets").json()
    assert [s["rank"] for s in ranked] == [None]  # not out yet for Jinan
    admin.post(f"/assessments/campaigns/{aw.campaign.pk}/publish")
    ranked = jinan.get(f"/assessments/campaigns/{aw.campaign.pk}/sheets").json()
    assert [(s["org"]["name"], s["rank"], s["grade"]) for s in ranked] == [
        ("济南市总工会", 1, "pass"), ("青岛市总工会", 2, "fail")]
    appeal = jinan.post(f"/assessments/sheets/{sheet_id}/appeals", {"reason": "B1 有误"})
    assert appeal.status_code == 201
    decided = admin.post(f"/assessments/appeals/{appeal.json()['id']}/decision",
                         {"outcome": "upheld", "reply": "予以更正", "adjustments": {"B1": "7"}}).json()
    assert (decided["total_before"], decided["total_after"]) == ("68.00", "70.00")  # 10 + 10+10+5+12+0+10+9 + 2


def test_out_of_scope_is_a_404(aw):
    county = Api(aw.sd.county_cadre)
    assert county.get(f"/assessments/campaigns/{aw.campaign.pk}").status_code == 404
    assert county.get(f"/assessments/sheets/{aw.sheet(aw.sd.jinan).pk}").status_code == 404
    assert Api(aw.sd.qingdao_cadre).get(f"/assessments/sheets/{aw.sheet(aw.sd.jinan).pk}").status_code == 404
    assert county.get("/assessments/campaigns").json()["count"] == 0
