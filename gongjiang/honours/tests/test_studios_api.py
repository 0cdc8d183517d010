"""The studios in the API under /api/v1: the registry and a studio within the scope (outside: 404), registering,
members, funding, the self-assessment with evidence, the confirmation (an adjustment without a reason refused with
code `no_reason`), two fails suspending the studio and its revocation — nothing changed by a refusal — and the
registry's list in a constant number of queries."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjiang.orgs.tests.factories import person
from gongjiang.orgs.tests.test_api import Api, assert_error

from .factories import PDF
from .studio_factories import FAIR, GOOD, POOR
from .test_services import rows

YEAR = timezone.localdate().year


def test_the_registry_and_a_studio_within_the_scope(st):
    listed = Api(st.sd.jinan_cadre).get("/honours/studios", level="province").json()
    assert [s["name"] for s in listed["items"]] == ["李强劳模创新工作室"]
    assert listed["items"][0]["lead_name"] == "李强"
    assert Api(st.sd.qingdao_cadre).get("/honours/studios").json()["items"] == []
    assert Api(st.sd.qingdao_cadre).get(f"/honours/studios/{st.studio.pk}").status_code == 404
    one = Api(st.sd.enterprise_cadre).get(f"/honours/studios/{st.studio.pk}").json()
    assert {m["name"] for m in one["members"]} == {"赵磊", "孙浩"}


def test_registering_members_and_funding(st):
    sd = st.sd
    payload = {"name": "新工作室", "kind": "skilled", "level": "province", "year": YEAR, "host_id": sd.steel.pk,
               "lead_id": sd.worker_person.pk, "recognised_by_id": sd.jinan.pk}
    before = rows()
    assert_error(Api(sd.jinan_cadre).post("/honours/studios", payload), 400, "invalid", "recognised_by")
    assert rows() == before
    made = Api(sd.province_admin).post("/honours/studios", {**payload, "recognised_by_id": sd.province.pk})
    assert made.status_code == 201
    pk = made.json()["id"]
    new = person(sd.team, "钱进")
    changed = Api(sd.enterprise_cadre).put(f"/honours/studios/{pk}/members",
                                           {"add": [{"person_id": new.pk, "role": "core"}]})
    assert changed.status_code == 200 and [m["name"] for m in changed.json()["members"]] == ["钱进"]
    assert_error(Api(sd.enterprise_cadre).post(f"/honours/studios/{pk}/funding",
                                               {"year": YEAR, "amount": "0", "source": "企业"}), 400, None, "amount")
    ok = Api(sd.enterprise_cadre).post(f"/honours/studios/{pk}/funding",
                                       {"year": YEAR, "amount": "5.5", "source": "企业配套"})
    assert ok.status_code == 201 and ok.json()["funding"][0]["amount"] == "5.50"


def test_assessing_suspending_and_revoking(st):
    sd, pk = st.sd, st.studio.pk
    host, province = Api(sd.enterprise_cadre), Api(sd.province_admin)
    for year in (YEAR - 1, YEAR):
        r = host.post(f"/honours/studios/{pk}/assessments", {"year": year, "points": POOR})
        assert r.status_code == 200 and r.json()["self_total"] == "41.00"
        scores = {x["item"]: x for x in r.json()["scores"]}
        assert scores["projects"]["max_points"] == "25" and scores["projects"]["mode"] == "points"
        assert scores["fraud"]["self_answer"] is False and "弄虚作假" in scores["fraud"]["veto_reason"]
        if year == YEAR:
            before = rows()
            assert_error(province.post(f"/honours/studios/{pk}/assessments/{year}/confirm",
                                       {"points": {"projects": 5}}), 400, "no_reason", "reason_projects")
            assert rows() == before
            assert_error(Api(sd.jinan_cadre).post(f"/honours/studios/{pk}/assessments/{year}/confirm", {}), 403)
        done = province.post(f"/honours/studios/{pk}/assessments/{year}/confirm", {})
        assert done.json()["result"] == "fail"
    # a bonus, a deduction and a veto answered through the API; a veto adjusted without its reason is refused
    host.post(f"/honours/studios/{pk}/assessments", {"year": YEAR - 2, "points": {
        **GOOD, "national_honour": 1, "funds_misused": 1}})
    a = host.get(f"/honours/studios/{pk}/assessments/{YEAR - 2}").json()
    assert a["self_total"] == "91.00"  # 91 + 5 − 5
    assert_error(province.post(f"/honours/studios/{pk}/assessments/{YEAR - 2}/confirm",
                               {"points": {"safety": True}}), 400, "no_reason", "reason_safety")
    vetoed = province.post(f"/honours/studios/{pk}/assessments/{YEAR - 2}/confirm",
                           {"points": {"safety": True}, "reasons": {"safety": "当年发生重大安全生产责任事故"}})
    assert vetoed.json()["total"] == "0.00" and vetoed.json()["result"] == "fail"
    files = host.client.post(f"/api/v1/honours/studios/{pk}/assessments/{YEAR}/files",
                             {"item": "projects", "files": [SimpleUploadedFile("a.pdf", PDF)]})
    assert_error(files, 400, "confirmed")
    studio = province.get(f"/honours/studios/{pk}").json()
    assert studio["status"] == "suspended" and studio["status_changes"][0]["after"] == "suspended"
    assert_error(province.post(f"/honours/studios/{pk}/revoke", {"reason": "连续两年考核不合格"}), 400, None,
                 "decision")
    revoked = province.post(f"/honours/studios/{pk}/revoke", {"reason": "连续两年考核不合格",
                                                               "decision": "鲁工发〔2026〕12号"})
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert_error(host.post(f"/honours/studios/{pk}/assessments", {"year": YEAR - 2, "points": FAIR}), 400,
                 "revoked")


def test_the_registry_list_costs_a_constant_number_of_queries(st):
    api = Api(st.sd.province_admin)
    api.get("/honours/studios")
    with CaptureQueriesContext(connection) as small:
        api.get("/honours/studios")
    from .test_studios_views import _many

    _many(st, 10)
    with CaptureQueriesContext(connection) as big:
        assert len(api.get("/honours/studios").json()["items"]) == 12
    assert len(big) == len(small)
