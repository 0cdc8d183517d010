"""The innovation API under /api/v1: the same verbs and scopes as the pages (a worker submits with a token, the
union decides, out of scope is a 404, a refusal names its field and changes nothing)."""

from __future__ import annotations

from decimal import Decimal

from gongjiang.innovation.choices import State
from gongjiang.innovation.models import Proposal
from gongjiang.orgs.tests.test_api import Api, assert_error, token_for

from .factories import pdf
from .test_services import rows

SUBMIT = {"title": "转炉氧枪喷头改进延长使用寿命", "problem": "氧枪喷头平均寿命只有80炉，更换频繁。",
          "solution": "喷头改用铸造紫铜并优化冷却水道。", "category": "cost",
          "co_proposers": [{"name": "周明", "share": 30}]}


def test_a_worker_submits_and_follows_with_a_token(inn):
    worker = Api(token=token_for(inn.sd.worker))
    r = worker.post("/innovation/proposals", SUBMIT)
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["state"] == "submitted" and [p["share"] for p in body["proposers"]] == [70, 30]
    assert body["valuations"] == []
    mine = worker.get("/innovation/my-proposals").json()
    assert mine["count"] == 1 and mine["items"][0]["number"] == body["number"]
    files = worker.client.post(f"/api/v1/innovation/proposals/{body['id']}/files", {"files": [pdf()]},
                               headers=worker.headers)
    assert files.status_code == 201 and files.json()[0]["name"] == "图纸.pdf"
    similar = worker.get("/innovation/similar", title="改进转炉氧枪喷头").json()
    assert [s["id"] for s in similar] == [body["id"]] and similar[0]["openable"] is True


def test_the_union_runs_the_steps_and_the_figures_follow(inn):
    sd = inn.sd
    p = inn.submit()
    cadre = Api(sd.enterprise_cadre)
    assert cadre.post(f"/innovation/proposals/{p.pk}/accept", {"department_id": sd.workshop.pk}).json()[
        "department"]["id"] == sd.workshop.pk
    assert cadre.post("/innovation/assignments", {"proposal_ids": [p.pk], "valuator_ids": [inn.valuator.pk]}
                      ).status_code == 201
    v = Api(inn.valuator).post(f"/innovation/proposals/{p.pk}/valuation", {"opinion": "adopt", "score": 90})
    assert v.status_code == 200, v.content
    assert cadre.post(f"/innovation/proposals/{p.pk}/adopt", {"forecast": "200000"}).json()["state"] == "adopted"
    cadre.post(f"/innovation/proposals/{p.pk}/implement")
    cadre.client.post(f"/api/v1/innovation/proposals/{p.pk}/files", {"files": [pdf()], "kind": "evidence"})
    b = cadre.post(f"/innovation/proposals/{p.pk}/benefit", {"gross": "260000", "cost": "40000"})
    assert b.json()["benefit"]["net"] == "220000.00"
    assert_error(cadre.post(f"/innovation/proposals/{p.pk}/sign-off"), 403, "forbidden")
    assert Api(inn.finance).post(f"/innovation/proposals/{p.pk}/sign-off").json()["state"] == "accounted"
    paid = cadre.post(f"/innovation/proposals/{p.pk}/reward", {"voucher": "JL-1"})
    assert paid.status_code == 201 and paid.json() == [{"person": "李强", "amount": "11000.00", "grade": 2,
                                                        "mode": "share"}]
    f = cadre.get("/innovation/figures", org_id=sd.steel.pk, year=p.year).json()
    assert (f["submitted"], f["adopted"], f["benefit_wan"], f["rewards"]) == (1, 1, "22.00", "11000.00")
    listed = cadre.get("/innovation/proposals", state="rewarded").json()
    assert listed["count"] == 1 and listed["items"][0]["state_label"]


def test_refusals_name_their_field_and_change_nothing(inn):
    sd = inn.sd
    p = inn.bring(inn.submit(), State.IMPLEMENTING)
    cadre = Api(sd.enterprise_cadre)
    before = rows()
    assert_error(cadre.post(f"/innovation/proposals/{p.pk}/reward", {}), 400, "not_accounted", "benefit")
    assert_error(cadre.post(f"/innovation/proposals/{p.pk}/benefit", {"gross": "-5"}), 422, "invalid", "gross")
    assert_error(Api(sd.qingdao_cadre).post(f"/innovation/proposals/{p.pk}/archive"), 404, "not_found")
    assert_error(Api(sd.jinan_viewer).post(f"/innovation/proposals/{p.pk}/implement"), 403, "forbidden")
    assert_error(Api(sd.worker).post("/innovation/proposals", {**SUBMIT, "category": "weather"}), 422, "invalid",
                 "category")
    bad_file = cadre.client.post(f"/api/v1/innovation/proposals/{p.pk}/files",
                                 {"files": [pdf("病毒.exe", b"MZ\x90\x00")]})
    assert_error(bad_file, 400, "file_type", "files")
    assert_error(Api().get("/innovation/proposals"), 401)
    assert rows() == before
    assert Proposal.objects.get(pk=p.pk).benefit.forecast == Decimal(200000)


def test_another_city_lists_nothing(inn):
    inn.submit()
    assert Api(inn.sd.qingdao_cadre).get("/innovation/proposals").json()["count"] == 0
    assert Api(inn.sd.jinan_cadre).get("/innovation/proposals").json()["count"] == 1
