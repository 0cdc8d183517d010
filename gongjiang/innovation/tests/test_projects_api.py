"""The innovation projects in the API under /api/v1: the same verbs and scopes as the pages — a cadre registers a
project from an adopted proposal and decides its stages one by one, a skipped stage is a 400 naming the stages
missing, out of scope is a 404, a viewer's decision a 403, nothing changed by any refusal; OpenAPI documents it."""

from __future__ import annotations

from gongjiang.innovation.choices import State
from gongjiang.innovation.rules import projects as rules
from gongjiang.orgs.tests.test_api import API, Api, assert_error, token_for

from .project_factories import project
from .test_services import rows


def _payload(inn, **kw):
    return {"org_id": inn.sd.team.pk, "holder": "team", "title": "转炉氧枪喷头寿命攻关",
            "problem": "氧枪喷头寿命只有80炉，更换频繁。", "leader_id": inn.sd.worker_person.pk,
            "requested": "30000.00", **kw}


def test_a_cadre_registers_a_project_from_a_proposal_and_moves_it_to_promotion(inn):
    proposal = inn.bring(inn.submit(), State.ADOPTED)
    cadre = Api(token=token_for(inn.sd.enterprise_cadre))
    r = cadre.post("/innovation/projects", _payload(inn, proposal_id=proposal.pk))
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["stage"], body["proposal_id"], body["requested"]) == ("finding", proposal.pk, "30000.00")
    assert body["members"] == [{"person_id": inn.sd.worker_person.pk, "name": "李强", "role": "leader"}]
    assert body["stage_label"]
    for stage in rules.ORDER[1:]:
        r = cadre.post(f"/innovation/projects/{body['id']}/stage", {"stage": stage, "reason": "同意"})
        assert r.status_code == 200 and r.json()["stage"] == stage
    got = cadre.get(f"/innovation/projects/{body['id']}").json()
    assert [d["stage"] for d in got["decisions"]] == list(rules.ORDER)
    listed = cadre.get("/innovation/projects", stage="transferred").json()
    assert listed["count"] == 1 and listed["items"][0]["number"] == body["number"]


def test_refusals_name_their_field_and_change_nothing(inn):
    p = project(inn)
    not_adopted = inn.submit()
    cadre = Api(inn.sd.enterprise_cadre)
    before = rows()
    body = assert_error(cadre.post(f"/innovation/projects/{p.pk}/stage", {"stage": "trial", "reason": "跳过"}), 400,
                        "stage_skipped", "stage")
    assert "Tackling" in body["detail"] or "项目攻关" in body["detail"]
    assert_error(cadre.post(f"/innovation/projects/{p.pk}/stage", {"stage": "approved"}), 400, "invalid", "reason")
    assert_error(cadre.post(f"/innovation/projects/{p.pk}/stage", {"stage": "done", "reason": "x"}), 422, "invalid",
                 "stage")
    assert_error(Api(inn.sd.qingdao_cadre).post(f"/innovation/projects/{p.pk}/stage",
                                                {"stage": "approved", "reason": "x"}), 404, "not_found")
    assert_error(Api(inn.sd.jinan_viewer).post(f"/innovation/projects/{p.pk}/stage",
                                               {"stage": "approved", "reason": "x"}), 403, "forbidden")
    assert_error(cadre.post("/innovation/projects", _payload(inn, proposal_id=not_adopted.pk)), 400, "not_adopted",
                 "proposal")
    assert_error(cadre.post("/innovation/projects", _payload(inn, holder="enterprise")), 400, "invalid", "org")
    assert_error(cadre.post("/innovation/projects", _payload(inn, requested="-1")), 422, "invalid", "requested")
    assert_error(cadre.post("/innovation/projects", _payload(inn, leader_id=inn.sd.qd_person.pk)), 404, "not_found",
                 "leader_id")
    assert_error(Api(inn.sd.qingdao_cadre).post("/innovation/projects", _payload(inn)), 404, "not_found", "org_id")
    assert_error(Api().get("/innovation/projects"), 401)
    assert rows() == before


def test_the_rest_of_the_project_page_through_the_api(inn):
    """Progress, milestones, members, the subsidy, spending and files: what the page does, with the page's refusals
    (a 400 naming the field, nothing changed) and scopes (another city: a 404)."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from .factories import PDF

    p = project(inn)
    base = f"/innovation/projects/{p.pk}"
    cadre = Api(token=token_for(inn.sd.enterprise_cadre))
    assert cadre.put(f"{base}/progress", {"progress": 40, "note": "样机完成"}).json()["progress"] == 40
    r = cadre.post(f"{base}/milestones", {"title": "完成现场调研", "due": "2030-06-30"})
    assert r.status_code == 201
    [milestone] = r.json()["milestones"]
    today = datetime.date.today().isoformat()
    r = cadre.post(f"{base}/milestones/{milestone['id']}/done", {"done_on": today})
    assert r.json()["milestones"][0]["done_on"] == today
    colleague = inn.colleague.pk
    r = cadre.put(f"{base}/members/{colleague}", {"role": "core"})
    assert {"person_id": colleague, "name": "周明", "role": "core"} in r.json()["members"]
    r = cadre.put(f"{base}/funding", {"requested": "30000", "granted": "20000"})
    assert r.json()["granted"] == "20000.00"
    r = cadre.post(f"{base}/spending", {"spent_on": today, "amount": "8600", "purpose": "紫铜喷头试制材料"})
    assert r.status_code == 201 and r.json()["spent"] == "8600.00"
    r = cadre.upload(f"{base}/files", {"files": [SimpleUploadedFile("调研报告.pdf", PDF, "application/pdf")]})
    assert r.status_code == 201 and [f["name"] for f in r.json()["files"]] == ["调研报告.pdf"]
    assert cadre.delete(f"{base}/members/{colleague}").json()["members"] == [
        {"person_id": inn.sd.worker_person.pk, "name": "李强", "role": "leader"}]

    before = rows()
    assert_error(cadre.put(f"{base}/progress", {"progress": 101}), 400, None, "progress")
    assert_error(cadre.post(f"{base}/spending", {"spent_on": today, "amount": "20000", "purpose": "超支"}), 400,
                 None, "amount")
    assert_error(cadre.put(f"{base}/funding", {"requested": "30000", "granted": "5000"}), 400, None, "granted")
    assert_error(cadre.delete(f"{base}/members/{inn.sd.worker_person.pk}"), 400)  # the leader stays
    assert_error(cadre.post(f"{base}/milestones/999999/done", {"done_on": today}), 404, "not_found", "milestone_id")
    assert_error(cadre.upload(f"{base}/files", {"files": [SimpleUploadedFile("a.exe", b"MZ", "application/pdf")]}),
                 400, None, "files")
    assert_error(Api(inn.sd.qingdao_cadre).put(f"{base}/progress", {"progress": 50}), 404)
    assert_error(Api(inn.sd.jinan_viewer).put(f"{base}/progress", {"progress": 50}), 403)
    assert rows() == before


def test_another_city_lists_nothing_and_the_leader_sees_their_own(inn):
    project(inn)
    assert Api(inn.sd.qingdao_cadre).get("/innovation/projects").json()["count"] == 0
    assert Api(inn.sd.jinan_cadre).get("/innovation/projects").json()["count"] == 1
    assert Api(inn.sd.worker).get("/innovation/projects").json()["count"] == 1  # 李强 leads it
    assert Api(inn.colleague_user).get("/innovation/projects").json()["count"] == 0


def test_the_endpoints_are_in_the_openapi_document(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    assert {"/api/v1/innovation/projects", "/api/v1/innovation/projects/{project_id}",
            "/api/v1/innovation/projects/{project_id}/stage", "/api/v1/innovation/projects/{project_id}/progress",
            "/api/v1/innovation/projects/{project_id}/milestones",
            "/api/v1/innovation/projects/{project_id}/milestones/{milestone_id}/done",
            "/api/v1/innovation/projects/{project_id}/members/{person_id}",
            "/api/v1/innovation/projects/{project_id}/funding", "/api/v1/innovation/projects/{project_id}/spending",
            "/api/v1/innovation/projects/{project_id}/files"} <= set(paths)
    assert "post" in paths["/api/v1/innovation/projects"]
