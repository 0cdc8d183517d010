"""The technical associations in the API under /api/v1: the same verbs and scopes as the pages — the network of a
cadre's scope, an association with its council and figures, a member registered (a member elsewhere refused unless it
is a transfer), a council with one chair, activities with a 四技服务 contract closed; every refusal a 400 naming its
field, out of scope a 404, a reader's write a 403, nothing changed by any refusal; OpenAPI documents it."""

from __future__ import annotations

from gongjiang.orgs.tests.test_api import API, Api, assert_error, token_for

from .techassoc_factories import Tech
from .test_services import rows


def test_a_cadre_runs_an_association_through_the_api(ta: Tech):
    sd = ta.sd
    cadre = Api(token=token_for(sd.enterprise_cadre))
    network = cadre.get("/innovation/techassoc").json()
    assert [(a["name"], a["level"]) for a in network["items"]] == [("济钢职工技术协会", 0)]
    base = f"/innovation/techassoc/{ta.steel.pk}"
    r = cadre.post(f"{base}/members", {"person_id": sd.worker_person.pk, "trade": "炼钢工", "joined_on": "2024-03-01",
                                       "honours": [{"honour": "tech_expert", "year": 2022, "conferred_by": "济南市"}]})
    assert r.status_code == 201, r.content
    li = r.json()
    assert li["name"] == "李强" and li["honours"][0]["honour"] == "tech_expert"
    r = cadre.post(f"{base}/councils", {"number": 1, "starts_on": "2024-06-01", "ends_on": "2029-05-31",
                                        "chair_member_id": li["id"]})
    assert r.status_code == 201 and r.json()[0]["seats"][0]["post"] == "chair"
    r = cadre.post(f"{base}/activities", {"kind": "service", "title": "诊断服务", "held_on": "2025-03-02",
                                          "unit_id": sd.steel.pk, "client": "章丘锻压", "value": "80000.00",
                                          "member_ids": [li["id"]]})
    assert r.status_code == 201, r.content
    x = r.json()
    assert (x["state"], x["value"], x["kind_label"]) == ("held", "80000.00", "技术服务")
    r = cadre.post(f"{base}/activities/{x['id']}/close", {"outcome": "验收合格"})
    assert r.json()["state"] == "closed"
    detail = cadre.get(base).json()
    assert detail["member_count"] == 1 and detail["parent_id"] == ta.jinan.pk
    figures = Api(token=token_for(sd.jinan_cadre)).get(
        f"/innovation/techassoc/figures?org_id={sd.jinan.pk}&year=2025").json()
    assert figures["figures"]["contracts"] == 1 and figures["figures"]["contract_value"] == "80000.00"
    assert figures["own"]["contracts"] == 0  # Jinan's own association held none
    members = cadre.get(f"{base}/members").json()
    assert [m["name"] for m in members["items"]] == ["李强"]


def test_every_refusal_names_its_field_and_changes_nothing(ta: Tech):
    sd = ta.sd
    li = ta.join()
    council = ta.council(li)
    welder = ta.join(ta.welder)
    cadre = Api(token=token_for(sd.enterprise_cadre))
    base = f"/innovation/techassoc/{ta.steel.pk}"
    jinan = Api(token=token_for(sd.jinan_cadre))
    before = rows()
    assert_error(jinan.post(f"/innovation/techassoc/{ta.jinan.pk}/members", {
        "person_id": sd.worker_person.pk, "trade": "炼钢工", "joined_on": "2025-01-01"}), 400, "member_elsewhere",
        "person")
    assert_error(cadre.put(f"{base}/councils/current/seats/{welder.pk}", {"post": "chair"}), 400, "second_chair",
                 "post")
    assert_error(cadre.post(f"{base}/councils", {"number": 2, "starts_on": council.starts_on.isoformat(),
                                                 "ends_on": "2030-01-01", "chair_member_id": li.pk}), 400, "overlap",
                 "starts_on")
    activity = {"kind": "consulting", "title": "咨询", "held_on": "2025-03-02", "unit_id": sd.steel.pk}
    assert_error(cadre.post(f"{base}/activities", {**activity, "value": "100.00"}), 400, field="client")
    assert_error(cadre.post(f"{base}/activities", {**activity, "client": "某厂", "value": "-1.00"}), 400,
                 field="value")
    assert_error(cadre.post(f"{base}/activities", {**activity, "client": "某厂", "value": "1.00",
                                                   "unit_id": sd.qd_enterprise.pk}), 400, field="unit")
    assert rows() == before
    # a transfer when asked for
    r = jinan.post(f"/innovation/techassoc/{ta.jinan.pk}/members", {
        "person_id": sd.worker_person.pk, "trade": "炼钢工", "joined_on": "2025-01-01", "transfer": True})
    assert r.status_code == 400 and r.json()["errors"].get("member")  # 李强 chairs 济钢's council: refused too


def test_out_of_scope_is_a_404_and_a_readers_write_a_403(ta: Tech):
    sd = ta.sd
    ta.join()
    qingdao = Api(token=token_for(sd.qingdao_cadre))
    viewer = Api(token=token_for(sd.jinan_viewer))
    before = rows()
    assert qingdao.get(f"/innovation/techassoc/{ta.steel.pk}").status_code == 404
    assert qingdao.post(f"/innovation/techassoc/{ta.steel.pk}/activities", {
        "kind": "exchange", "title": "交流", "held_on": "2025-01-01", "unit_id": sd.steel.pk}).status_code == 404
    assert viewer.get(f"/innovation/techassoc/{ta.steel.pk}").status_code == 200
    assert_error(viewer.post(f"/innovation/techassoc/{ta.steel.pk}/members", {
        "person_id": ta.welder.pk, "trade": "焊工", "joined_on": "2025-01-01"}), 403)
    assert rows() == before


def test_the_openapi_documents_the_endpoints(client):
    spec = client.get(f"{API}/openapi.json").json()
    assert "/api/v1/innovation/techassoc/{association_id}/members" in spec["paths"]
    assert "technical associations" in str(spec["paths"]["/api/v1/innovation/techassoc"])
    assert "JoinIn" in spec["components"]["schemas"]
