"""Training and mentorship in the API under /api/v1: sessions within the scope (outside: 404), recording one, adding
attendees (someone outside the union's reach refused, code `out_of_scope`, nothing added), the Excel roll, pairs
(mentor = apprentice refused, a duplicate refused with code `duplicate`, finishing), materials for a cadre and a
learner, marking one learnt once."""

from __future__ import annotations

import pytest

from gongjiang.learning.models import Attendance, MentorPair
from gongjiang.learning.services import training as services
from gongjiang.learning.training_choices import MaterialKind
from gongjiang.orgs.tests.test_api import Api, assert_error

from .test_training_services import rows
from .training_factories import TODAY, build, id_of, pdf, xlsx


@pytest.fixture(autouse=True)
def _english_messages():
    """This part's tests read the Chinese messages the users get (overrides the package's English switch)."""
    yield


@pytest.fixture
def tr(sd):
    return build(sd)


def test_sessions_within_the_scope(tr):
    s = tr.session()
    listed = Api(tr.sd.jinan_cadre).get("/learning/training/sessions", year=TODAY.year, trade="6-18-02-04").json()
    assert [x["topic"] for x in listed["items"]] == ["焊接安全操作规程培训"]
    assert Api(tr.sd.qingdao_cadre).get("/learning/training/sessions").json()["items"] == []
    assert Api(tr.sd.qingdao_cadre).get(f"/learning/training/sessions/{s.pk}").status_code == 404
    assert_error(Api(tr.sd.jinan_cadre).get("/learning/training/sessions", trade="x"), 400, None, "trade")


def test_recording_a_session_and_its_attendees(tr):
    api = Api(tr.sd.enterprise_cadre)
    payload = {"org_id": tr.sd.steel.pk, "topic": "电工安全培训", "starts_on": "2026-05-11", "ends_on": "2026-05-10",
               "hours": "4"}
    before = rows()
    assert_error(api.post("/learning/training/sessions", payload), 400, None, "ends_on")
    assert rows() == before
    made = api.post("/learning/training/sessions", {**payload, "ends_on": "2026-05-11"})
    assert made.status_code == 201
    pk = made.json()["id"]
    before = rows()
    e = assert_error(api.post(f"/learning/training/sessions/{pk}/attendees",
                              {"person_ids": [tr.zhang.pk, tr.sd.qd_person.pk]}), 404, "not_found", "person_ids")
    assert e["detail"]
    assert_error(Api(tr.sd.province_admin).post(f"/learning/training/sessions/{pk}/attendees",
                                                {"person_ids": [tr.zhang.pk, tr.sd.qd_person.pk]}), 400,
                 "out_of_scope", "people")
    assert rows() == before
    added = api.post(f"/learning/training/sessions/{pk}/attendees", {"person_ids": [tr.zhang.pk], "hours": "3.5"})
    assert added.status_code == 201 and added.json()["person_hours"] == "3.5"
    roll = api.get(f"/learning/training/sessions/{pk}/attendees").json()["items"]
    assert [(a["name"], a["hours"]) for a in roll] == [("张伟", "3.5")]
    removed = api.delete(f"/learning/training/sessions/{pk}/attendees/{tr.zhang.pk}")
    assert removed.status_code == 200 and removed.json()["attendee_count"] == 0


def test_importing_a_roll(tr):
    s = tr.session()
    api = Api(tr.sd.enterprise_cadre)
    bad = api.upload(f"/learning/training/sessions/{s.pk}/imports",
                     {"file": xlsx([["赵磊", "370102199001011234", "8"]])})
    assert bad.status_code == 201 and bad.json()["state"] == "invalid"
    assert Attendance.objects.count() == 0
    ok = api.upload(f"/learning/training/sessions/{s.pk}/imports",
                    {"file": xlsx([["赵磊", id_of(tr.zhao), "8"]])})
    assert ok.json()["state"] == "done" and Attendance.objects.count() == 1


def test_pairs(tr):
    api = Api(tr.sd.enterprise_cadre)
    payload = {"org_id": tr.sd.steel.pk, "mentor_id": tr.zhao.pk, "apprentice_id": tr.zhao.pk, "goals": "出师",
               "starts_on": TODAY.isoformat()}
    assert_error(api.post("/learning/mentor-pairs", payload), 400, None, "apprentice")
    made = api.post("/learning/mentor-pairs", {**payload, "mentor_id": tr.mentor.pk})
    assert made.status_code == 201 and made.json()["grade_before"] == 5
    assert_error(api.post("/learning/mentor-pairs", {**payload, "mentor_id": tr.mentor.pk}), 400, "duplicate",
                 "apprentice")
    assert MentorPair.objects.count() == 1
    pk = made.json()["id"]
    assert Api(tr.sd.qingdao_cadre).get(f"/learning/mentor-pairs/{pk}").status_code == 404
    done = api.post(f"/learning/mentor-pairs/{pk}/finish",
                    {"on": TODAY.isoformat(), "result": "晋升", "grade_after": 4})
    assert done.json()["state"] == "finished" and done.json()["grade_after"] == 4
    assert_error(api.post(f"/learning/mentor-pairs/{pk}/end", {"on": TODAY.isoformat(), "reason": "调岗"}), 400,
                 "wrong_state", "state")
    assert [p["id"] for p in api.get("/learning/mentor-pairs", state="finished").json()["items"]] == [pk]
    assert_error(api.get("/learning/mentor-pairs", state="x"), 400, None, "state")


def test_materials_for_a_cadre_and_a_learner(tr):
    made = Api(tr.sd.province_admin).post("/learning/materials", {
        "org_id": tr.sd.province.pk, "title": "安全生产法解读", "kind": "video", "url": "https://video.example.cn/1"})
    assert made.status_code == 201
    pk = made.json()["id"]
    assert_error(Api(tr.sd.province_admin).post("/learning/materials", {
        "org_id": tr.sd.province.pk, "title": "x", "kind": "link", "url": "javascript:alert(1)"}), 400, None, "url")
    doc = Api(tr.sd.enterprise_cadre).upload("/learning/materials/documents", {
        "org_id": tr.sd.steel.pk, "title": "焊接工艺手册", "file": pdf(), "tags": "焊接,工艺"})
    assert doc.status_code == 201 and doc.json()["tags"] == ["焊接", "工艺"]
    learner = Api(tr.sd.worker)
    titles = {m["title"]: m["completed_at"] for m in learner.get("/learning/materials").json()["items"]}
    assert titles == {"安全生产法解读": None, "焊接工艺手册": None}
    first = learner.post(f"/learning/materials/{pk}/done").json()
    again = learner.post(f"/learning/materials/{pk}/done").json()
    assert first["completed_at"] == again["completed_at"] and again["completions"] == 1
    assert Api(tr.sd.jinan_cadre).get("/learning/materials").json()["items"][-1]["completions"] == 1
    assert Api(tr.sd.qingdao_cadre).post(f"/learning/materials/{doc.json()['id']}/done").status_code == 404
    services.add_material(actor=tr.sd.qingdao_cadre, org=tr.sd.qingdao, title="港口", kind=MaterialKind.LINK,
                          url="https://example.cn/p")
    assert "港口" not in {m["title"] for m in learner.get("/learning/materials").json()["items"]}
