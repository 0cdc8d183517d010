"""The JSON API under /api/v1, as a specification: who may do what, what a refusal looks like, and that a
refused write changes nothing.

Personas come from the `sd` fixture (a small 山东 province). Messages are checked by their code and the
field they name, not by their Chinese text (the catalogue may not be compiled in tests).
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from gongjiang.core import imports
from gongjiang.core.models import AuditEvent, ImportJob
from gongjiang.orgs import services
from gongjiang.orgs.choices import OrgKind, Role
from gongjiang.orgs.imports import roster_import
from gongjiang.orgs.models import ApiToken, MembershipTransfer, Org, Person, SkillGradeRecord
from gongjiang.orgs.tests.factories import credit_code, id_number, org, xlsx_upload

API = "/api/v1"


# ---------------------------------------------------------------------------------------------
# Helpers


class Api:
    """A client speaking JSON to the API as one persona (session, or a bearer token)."""

    def __init__(self, user: Any = None, *, token: str | None = None, client: Client | None = None) -> None:
        self.client = client or Client()
        self.headers: dict[str, str] = {}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        elif user is not None:
            self.client.force_login(user)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(API + path, params, headers=self.headers)

    def post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(API + path, json.dumps(data or {}), content_type="application/json",
                                headers=self.headers)

    def patch(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.patch(API + path, json.dumps(data), content_type="application/json",
                                 headers=self.headers)

    def put(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.put(API + path, json.dumps(data), content_type="application/json", headers=self.headers)

    def delete(self, path: str) -> Any:
        return self.client.delete(API + path, headers=self.headers)

    def upload(self, path: str, data: dict[str, Any]) -> Any:
        return self.client.post(API + path, data, headers=self.headers)


def token_for(user: Any) -> str:
    return services.issue_api_token(actor=user, name="测试")[1]


def assert_error(response: Any, status: int, code: str | None = None, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert body["detail"]
    if code:
        assert body["code"] == code
    if field:
        assert field in body["errors"], body
        assert body["errors"][field]
    return body


def xlsx(rows: list[list[str]], headers: list[str] | None = None, name: str = "名册.xlsx") -> Any:
    return xlsx_upload(headers or ["姓名", "身份证号", "手机号码", "技能等级", "入会日期"], rows, name)


def bad_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def org_payload(parent: Org, **kw: Any) -> dict[str, Any]:
    return {"parent": parent.pk, "name": "新成立企业工会", "code": "NEW-001", "kind": "grassroots",
            "credit_code": credit_code(77), "industry": "C", "ownership": "private", **kw}


def person_payload(employer: Org, **kw: Any) -> dict[str, Any]:
    return {"name": "孙丽", "id_number": id_number(female=True), "employer": employer.pk, "mobile": "13700000001",
            "ethnicity": "汉族", "education": "college", "trade": "6-18-01-01", "skill_grade": 4,
            "is_front_line": True, **kw}


@pytest.fixture
def member(sd: Any) -> Any:
    """李强 (the worker of 炼钢一班) as a member of 济钢's union."""
    services.join_union(actor=sd.province_admin, person=sd.worker_person, member_since=datetime.date(2015, 9, 1))
    return sd.worker_person


# ---------------------------------------------------------------------------------------------
# Authentication: anonymous, tokens, session and CSRF


@pytest.mark.parametrize("method,path", [
    ("get", "/me"), ("get", "/orgs"), ("get", "/orgs/1"), ("get", "/orgs/1/children"), ("post", "/orgs"),
    ("patch", "/orgs/1"), ("post", "/orgs/1/move"), ("get", "/people"), ("get", "/people/1"), ("post", "/people"),
    ("post", "/people/1/reveal-id"), ("get", "/transfers"), ("post", "/transfers"), ("get", "/imports"),
    ("get", "/imports/1"), ("get", "/imports/template/roster.xlsx"), ("get", "/tokens"), ("post", "/tokens"),
])
def test_anonymous_callers_get_401_in_the_error_format(sd, method, path):
    api = Api()
    response = api.patch(path, {}) if method == "patch" else getattr(api, method)(path)
    assert_error(response, 401, "unauthenticated")


def test_an_issued_token_works_and_is_stored_only_hashed(sd):
    response = Api(sd.jinan_cadre).post("/tokens", {"name": "人事系统同步"})
    assert response.status_code == 201
    key = response.json()["key"]
    assert key.startswith("gj_") and len(key) > 30
    token = ApiToken.objects.get(user=sd.jinan_cadre)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert key not in stored and key[3:] not in stored
    me = Api(token=key).get("/me")
    assert me.status_code == 200 and me.json()["username"] == "jinan_cadre"
    token.refresh_from_db()
    assert token.last_used_at is not None
    # The key is shown once: the list never carries it.
    listed = Api(sd.jinan_cadre).get("/tokens").json()
    assert listed["count"] == 1 and "key" not in listed["items"][0]


def test_a_tokens_last_use_is_kept_to_the_minute_without_a_write_per_request(sd):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    key = token_for(sd.jinan_cadre)
    token = ApiToken.objects.get(user=sd.jinan_cadre)
    recent = timezone.now() - datetime.timedelta(seconds=20)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)
    with CaptureQueriesContext(connection) as queries:
        assert Api(token=key).get("/me").status_code == 200
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    token.refresh_from_db()
    assert token.last_used_at == recent  # used 20 s ago: not written again
    old = timezone.now() - datetime.timedelta(minutes=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=old)
    assert Api(token=key).get("/me").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > old + datetime.timedelta(minutes=4)


def test_a_revoked_token_is_refused_with_401(sd):
    key = token_for(sd.jinan_cadre)
    token = ApiToken.objects.get(user=sd.jinan_cadre)
    assert Api(token=key).get("/orgs").status_code == 200
    response = Api(token=key).post(f"/tokens/{token.pk}/revoke")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert_error(Api(token=key).get("/orgs"), 401, "unauthenticated")
    assert_error(Api(sd.jinan_cadre).post(f"/tokens/{token.pk}/revoke"), 400)  # already revoked


def test_unknown_tokens_and_tokens_of_deactivated_accounts_are_refused(sd):
    assert_error(Api(token="gj_not-a-real-token").get("/orgs"), 401)
    key = token_for(sd.qingdao_cadre)
    sd.qingdao_cadre.is_active = False
    sd.qingdao_cadre.save(update_fields=["is_active"])
    assert_error(Api(token=key).get("/orgs"), 401)


def test_someone_elses_token_cannot_be_revoked_and_a_token_cannot_mint_tokens(sd):
    token_for(sd.qingdao_cadre)
    other = ApiToken.objects.get(user=sd.qingdao_cadre)
    assert_error(Api(sd.jinan_cadre).post(f"/tokens/{other.pk}/revoke"), 404, "not_found")
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None
    key = token_for(sd.jinan_cadre)
    assert_error(Api(token=key).post("/tokens", {"name": "再来一个"}), 403, "session_required")
    assert ApiToken.objects.filter(user=sd.jinan_cadre).count() == 1
    assert_error(Api(sd.jinan_cadre).post("/tokens", {"name": "  "}), 400, field="name")


def test_a_session_needs_the_csrf_token_for_unsafe_methods_but_a_bearer_token_does_not(sd):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(sd.jinan_cadre)
    assert browser.get(f"{API}/orgs").status_code == 200  # safe methods need no CSRF token
    response = browser.post(f"{API}/tokens", json.dumps({"name": "x"}), content_type="application/json")
    assert_error(response, 403, "csrf_failed")
    assert not ApiToken.objects.exists()
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    response = browser.post(f"{API}/tokens", json.dumps({"name": "x"}), content_type="application/json",
                            headers={"X-CSRFToken": secret})
    assert response.status_code == 201
    # Without any credentials the answer is 401, not a CSRF refusal.
    anonymous = Client(enforce_csrf_checks=True)
    assert_error(anonymous.post(f"{API}/orgs", "{}", content_type="application/json"), 401, "unauthenticated")
    # A bearer token is not an ambient credential: no CSRF token needed.
    key = response.json()["key"]
    api = Api(token=key, client=Client(enforce_csrf_checks=True))
    assert api.post("/orgs", org_payload(sd.lixia)).status_code == 201


def test_messages_follow_the_request_language(sd):
    response = Client().get(f"{API}/orgs", headers={"Accept-Language": "en"})
    assert response.json()["detail"] == "Please log in or send a valid API token."
    api = Api(sd.jinan_cadre)
    body = api.client.get(f"{API}/orgs/{sd.jinan.pk}", headers={"Accept-Language": "en"}).json()
    assert body["kind"] == "city" and body["kind_label"] == "City federation"


def test_docs_and_openapi_respond(client):
    assert client.get("/api/docs").status_code == 200
    assert client.get(f"{API}/docs").status_code == 200
    schema = client.get(f"{API}/openapi.json").json()
    assert "/api/v1/people" in schema["paths"] and "/api/v1/imports" in schema["paths"]
    assert "ErrorOut" in schema["components"]["schemas"]
    assert "pre-aggregated" in schema["paths"]["/api/v1/people"]["get"]["description"]


# ---------------------------------------------------------------------------------------------
# Orgs


def test_scope_roots_search_and_detail(sd):
    api = Api(token=token_for(sd.jinan_cadre))
    roots = api.get("/orgs").json()
    assert [o["name"] for o in roots["items"]] == ["济南市总工会"] and roots["count"] == 1
    found = api.get("/orgs", q="钢铁").json()
    assert [o["code"] for o in found["items"]] == ["E0001"]
    assert api.get("/orgs", q="青岛").json()["count"] == 0  # out of scope: not found by search either
    detail = api.get(f"/orgs/{sd.steel.pk}").json()
    assert [a["name"] for a in detail["ancestors"]] == ["山东省总工会", "济南市总工会", "历下区总工会",
                                                        "解放路街道总工会"]
    assert detail["parent_id"] == sd.town.pk
    assert detail["subtree_people"] == 1 and detail["can_change"] is True and detail["can_manage"] is True
    assert Api(sd.province_admin).get("/orgs").json()["items"][0]["name"] == "山东省总工会"


def test_org_reads_are_scoped(sd):
    qingdao = Api(token=token_for(sd.qingdao_cadre))
    for path in (f"/orgs/{sd.jinan.pk}", f"/orgs/{sd.steel.pk}/children"):
        assert_error(qingdao.get(path), 404, "not_found")
    assert qingdao.get(f"/orgs/{sd.qd_enterprise.pk}").status_code == 200
    viewer = Api(sd.jinan_viewer).get(f"/orgs/{sd.steel.pk}").json()
    assert viewer["can_change"] is False
    # The industry union's cadre sees its affiliated enterprise along the industry tree.
    assert Api(sd.industry_cadre).get(f"/orgs/{sd.steel.pk}").status_code == 200
    assert_error(Api(sd.industry_cadre).get(f"/orgs/{sd.qd_enterprise.pk}"), 404)


def test_children_carry_subtree_totals(sd, member):
    api = Api(sd.jinan_cadre)
    children = api.get(f"/orgs/{sd.lixia.pk}/children").json()
    assert children["count"] == 1
    town = children["items"][0]
    assert town["name"] == "解放路街道总工会" and town["has_children"] is True
    assert town["subtree_people"] == 1 and town["subtree_members"] == 1
    assert town["person_count"] == 0  # its own (direct) count


def test_the_right_role_creates_updates_moves_deactivates_and_reactivates(sd):
    api = Api(token=token_for(sd.county_cadre))  # staff on 历下区
    response = api.post("/orgs", org_payload(sd.town, contact_phone="0531-88886666"))
    assert response.status_code == 201, response.content
    new = response.json()
    assert new["kind_label"] and new["parent_id"] == sd.town.pk and new["ancestors"][-1]["id"] == sd.town.pk
    response = api.patch(f"/orgs/{new['id']}", {"short_name": "新企业", "employee_count": 120})
    assert response.status_code == 200 and response.json()["short_name"] == "新企业"
    assert response.json()["employee_count"] == 120 and response.json()["name"] == "新成立企业工会"
    response = api.post(f"/orgs/{new['id']}/move", {"parent": sd.lixia.pk})
    assert response.status_code == 200 and response.json()["parent_id"] == sd.lixia.pk
    response = api.post(f"/orgs/{new['id']}/deactivate", {"reason": "企业注销"})
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert_error(api.post(f"/orgs/{new['id']}/deactivate", {}), 400)  # already deactivated
    response = api.post(f"/orgs/{new['id']}/reactivate")
    assert response.status_code == 200 and response.json()["is_active"] is True
    verbs = set(AuditEvent.objects.filter(object_id=str(new["id"])).values_list("verb", flat=True))
    assert {"orgs.org.created", "orgs.org.updated", "orgs.org.moved", "orgs.org.deactivated"} <= verbs


def test_org_writes_are_refused_by_role_and_scope_and_change_nothing(sd):
    before = Org.objects.count()
    viewer = Api(sd.jinan_viewer)
    assert_error(viewer.post("/orgs", org_payload(sd.town)), 403, "forbidden")
    assert_error(viewer.patch(f"/orgs/{sd.steel.pk}", {"name": "改名"}), 403)
    assert_error(viewer.post(f"/orgs/{sd.team.pk}/move", {"parent": sd.steel.pk}), 403)
    assert_error(viewer.post(f"/orgs/{sd.team.pk}/deactivate", {}), 403)
    qingdao = Api(token=token_for(sd.qingdao_cadre))
    assert_error(qingdao.post("/orgs", org_payload(sd.town)), 404, "not_found", field="parent")
    assert_error(qingdao.patch(f"/orgs/{sd.steel.pk}", {"name": "改名"}), 404)
    assert_error(qingdao.post(f"/orgs/{sd.qd_enterprise.pk}/move", {"parent": sd.town.pk}), 404, field="parent")
    # A county staff member cannot move an enterprise out of their county.
    county = Api(sd.county_cadre)
    assert_error(county.post(f"/orgs/{sd.steel.pk}/move", {"parent": sd.qingdao.pk}), 404, field="parent")
    assert Org.objects.count() == before
    sd.steel.refresh_from_db()
    assert sd.steel.name == "济南钢铁集团有限公司工会" and sd.steel.is_active


@pytest.mark.parametrize("payload,status,field", [
    ({"credit_code": "wrong check character"}, 400, "credit_code"),
    ({"code": "E0001"}, 400, "code"),  # the code of 济钢
    ({"kind": "city"}, 400, "kind"),  # a city federation cannot sit under a town union
    ({"kind": "nonsense"}, 422, "kind"),
    ({"name": ""}, 400, "name"),
    ({"region_code": "37A"}, 400, "region_code"),
    ({"employee_count": -1}, 422, "employee_count"),
    ({"industry_union": 999999}, 400, "industry_union"),
])
def test_bad_org_input_names_the_field_and_creates_nothing(sd, payload, status, field):
    if "credit_code" in payload:
        good = credit_code(78)
        payload = {"credit_code": good[:17] + ("0" if good[17] != "0" else "1")}
    body = org_payload(sd.town, **payload)
    before = Org.objects.count()
    assert_error(Api(sd.jinan_cadre).post("/orgs", body), status, field=field)
    assert Org.objects.count() == before


def test_a_missing_field_is_a_422_naming_it(sd):
    body = org_payload(sd.town)
    del body["name"]
    assert_error(Api(sd.jinan_cadre).post("/orgs", body), 422, "invalid", field="name")


def test_a_body_that_is_not_json_is_refused_in_the_error_format(sd):
    api = Api(sd.jinan_cadre)
    response = api.client.post(f"{API}/orgs", "name=x", content_type="application/json")
    assert_error(response, 400, "bad_request")
    assert_error(api.client.post(f"{API}/orgs", "[1]", content_type="application/json"), 422, "invalid")


def test_a_duplicate_credit_code_is_refused_on_update(sd):
    response = Api(sd.jinan_cadre).patch(f"/orgs/{sd.steel.pk}", {"credit_code": sd.qd_enterprise.credit_code})
    assert_error(response, 400, field="credit_code")
    assert_error(Api(sd.jinan_cadre).patch(f"/orgs/{sd.steel.pk}", {"name": None}), 422, field="name")
    sd.steel.refresh_from_db()
    assert sd.steel.credit_code != sd.qd_enterprise.credit_code


def test_an_org_cannot_be_moved_under_its_own_descendant(sd):
    paths = dict(Org.objects.values_list("pk", "path"))
    assert_error(Api(sd.jinan_cadre).post(f"/orgs/{sd.lixia.pk}/move", {"parent": sd.steel.pk}), 400,
                 field="parent")
    assert dict(Org.objects.values_list("pk", "path")) == paths


# ---------------------------------------------------------------------------------------------
# People


def test_people_reads_are_scoped_and_ids_masked(sd):
    qingdao = Api(token=token_for(sd.qingdao_cadre))
    assert_error(qingdao.get(f"/people/{sd.worker_person.pk}"), 404, "not_found")
    assert_error(qingdao.patch(f"/people/{sd.worker_person.pk}", {"post": "炉长"}), 404)
    assert_error(qingdao.post(f"/people/{sd.worker_person.pk}/reveal-id"), 404)
    assert [p["name"] for p in qingdao.get("/people").json()["items"]] == ["王芳"]
    detail = Api(sd.jinan_viewer).get(f"/people/{sd.worker_person.pk}")
    assert detail.status_code == 200
    body = detail.json()
    clear = sd.worker_person.id_number
    assert clear not in detail.content.decode()
    assert body["id_masked"] == sd.worker_person.id_masked and "*" in body["id_masked"]
    assert body["mobile"] is None and body["mobile_masked"] != "13912345678"  # a viewer sees it masked
    assert body["can_change"] is False and body["can_see_id"] is False
    assert Api(sd.enterprise_cadre).get(f"/people/{sd.worker_person.pk}").json()["mobile"] == "13912345678"
    listing = Api(sd.jinan_cadre).get("/people")
    assert clear not in listing.content.decode() and "13912345678" not in listing.content.decode()
    # A worker sees only their own record.
    worker = Api(sd.worker)
    assert [p["name"] for p in worker.get("/people").json()["items"]] == ["李强"]
    assert_error(worker.get(f"/people/{sd.qd_person.pk}"), 404)


def test_only_administrators_reveal_the_id_number_and_each_reveal_is_audited(sd):
    assert_error(Api(sd.county_cadre).post(f"/people/{sd.worker_person.pk}/reveal-id"), 403, "forbidden")
    assert_error(Api(sd.jinan_viewer).post(f"/people/{sd.worker_person.pk}/reveal-id"), 403)
    assert not AuditEvent.objects.filter(verb="orgs.person.id_revealed").exists()
    response = Api(token=token_for(sd.jinan_cadre)).post(f"/people/{sd.worker_person.pk}/reveal-id")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert response.json()["id_number"] == sd.worker_person.id_number
    event = AuditEvent.objects.get(verb="orgs.person.id_revealed")
    assert event.actor == sd.jinan_cadre and event.object_id == str(sd.worker_person.pk)


def test_the_right_role_registers_and_corrects_a_person(sd):
    api = Api(token=token_for(sd.enterprise_cadre))
    payload = person_payload(sd.workshop, membership={"member_since": "2020-05-01", "card_no": "JG-001"})
    response = api.post("/people", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["gender"] == "F" and body["gender_label"] and body["trade"]["code"] == "6-18-01-01"
    assert body["skill_grade"] == 4 and body["skill_grade_label"] and body["education_label"]
    assert body["membership"]["union"]["id"] == sd.steel.pk and body["membership"]["status"] == "active"
    assert body["membership_status_label"] and body["grade_records"][0]["grade"] == 4
    assert payload["id_number"] not in response.content.decode()
    person = Person.objects.get(pk=body["id"])
    assert person.id_number == payload["id_number"]
    response = api.patch(f"/people/{person.pk}", {"post": "炉前工", "mobile": "13700000002", "employer": sd.team.pk})
    assert response.status_code == 200, response.content
    assert response.json()["post"] == "炉前工" and response.json()["employer"]["id"] == sd.team.pk
    response = api.post(f"/people/{person.pk}/grades", {"grade": 3, "certificate_no": "S-2024-1",
                                                        "certified_on": "2024-06-01"})
    assert response.status_code == 201 and response.json()["grade_label"]
    person.refresh_from_db()
    assert person.skill_grade == 3 and person.grade_records.count() == 2


def test_a_worker_corrects_their_own_phone_but_not_their_grade(sd):
    worker = Api(sd.worker)
    assert worker.patch(f"/people/{sd.worker_person.pk}", {"mobile": "13912340000"}).status_code == 200
    assert_error(worker.patch(f"/people/{sd.worker_person.pk}", {"skill_grade": 1}), 403)
    sd.worker_person.refresh_from_db()
    assert sd.worker_person.mobile == "13912340000" and sd.worker_person.skill_grade == 0


def _birth_other_than(number: str) -> str:
    return (datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
            + datetime.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("change,status,field", [
    ("bad_check_digit", 400, "id_number"),
    ("birth_date", 400, "birth_date"),
    ("gender", 400, "gender"),
    ("mobile", 400, "mobile"),
    ("duplicate", 400, "id_number"),
    ("ethnicity", 400, "ethnicity"),
    ("trade", 400, "trade"),
    ("employer_kind", 400, "employer"),
    ("education", 422, "education"),
    ("missing_id", 422, "id_number"),
])
def test_bad_person_input_names_the_field_and_registers_nobody(sd, change, status, field):
    payload = person_payload(sd.steel)
    if change == "bad_check_digit":
        payload["id_number"] = bad_check_digit(payload["id_number"])
    elif change == "birth_date":
        payload["birth_date"] = _birth_other_than(payload["id_number"])
    elif change == "gender":
        payload["gender"] = "M"  # the ID number is a woman's
    elif change == "mobile":
        payload["mobile"] = "12345"
    elif change == "duplicate":
        payload["id_number"] = sd.qd_person.id_number
    elif change == "ethnicity":
        payload["ethnicity"] = "火星族"
    elif change == "trade":
        payload["trade"] = "9-99-99-99"
    elif change == "employer_kind":
        payload["employer"] = sd.lixia.pk
    elif change == "education":
        payload["education"] = "kindergarten"
    elif change == "missing_id":
        del payload["id_number"]
    before = (Person.objects.count(), SkillGradeRecord.objects.count())
    assert_error(Api(sd.jinan_cadre).post("/people", payload), status, field=field)
    assert (Person.objects.count(), SkillGradeRecord.objects.count()) == before
    sd.steel.refresh_from_db()
    assert sd.steel.person_count == 0


def test_person_writes_are_refused_by_role_and_scope(sd):
    before = Person.objects.count()
    viewer = Api(sd.jinan_viewer)
    assert_error(viewer.post("/people", person_payload(sd.steel)), 403, "forbidden")
    assert_error(viewer.patch(f"/people/{sd.worker_person.pk}", {"post": "炉长"}), 403)
    assert_error(viewer.post(f"/people/{sd.worker_person.pk}/grades", {"grade": 3}), 403)
    assert_error(Api(sd.qingdao_cadre).post("/people", person_payload(sd.steel)), 404, field="employer")
    # Moving a worker to another union is a transfer, not an edit.
    assert_error(Api(sd.province_admin).patch(f"/people/{sd.worker_person.pk}", {"employer": sd.qd_enterprise.pk}),
                 400, field="employer")
    assert Person.objects.count() == before
    sd.worker_person.refresh_from_db()
    assert sd.worker_person.post == "" and sd.worker_person.employer == sd.team


def test_bad_corrections_change_nothing(sd):
    api = Api(sd.enterprise_cadre)
    pk = sd.worker_person.pk
    assert_error(api.patch(f"/people/{pk}", {"mobile": "999"}), 400, field="mobile")
    assert_error(api.patch(f"/people/{pk}", {"id_number": bad_check_digit(sd.worker_person.id_number)}), 400,
                 field="id_number")
    assert_error(api.patch(f"/people/{pk}", {"birth_date": "1970-01-01"}), 400, field="birth_date")
    assert_error(api.patch(f"/people/{pk}", {"name": None}), 422, field="name")
    assert_error(api.post(f"/people/{pk}/grades", {"grade": 3, "certified_on": "2999-01-01"}), 400,
                 field="certified_on")
    assert_error(api.post(f"/people/{pk}/grades", {"grade": 9}), 422, field="grade")
    person = Person.objects.get(pk=pk)
    assert (person.mobile, person.id_hash, person.birth_date, person.skill_grade) == (
        "13912345678", sd.worker_person.id_hash, sd.worker_person.birth_date, 0)
    assert not SkillGradeRecord.objects.filter(person_id=pk).exists()


def test_people_search_by_exact_id_number_and_filters(sd):
    api = Api(token=token_for(sd.jinan_cadre))
    clear = sd.worker_person.id_number
    found = api.get("/people", id_number=clear.lower()).json()
    assert [p["id"] for p in found["items"]] == [sd.worker_person.pk] and found["count"] == 1
    assert api.get("/people", id_number=sd.qd_person.id_number).json()["count"] == 0  # out of scope
    assert_error(api.get("/people", id_number=bad_check_digit(clear)), 400, field="id_number")
    assert api.get("/people", name="李").json()["count"] == 1
    assert api.get("/people", mobile="13912345678").json()["count"] == 1
    assert api.get("/people", front_line="true").json()["count"] == 1
    assert api.get("/people", front_line="false").json()["count"] == 0
    assert api.get("/people", org=sd.workshop.pk).json()["count"] == 1
    assert api.get("/people", org=sd.lixia.pk, migrant="true").json()["count"] == 0
    assert_error(api.get("/people", org=sd.qd_enterprise.pk), 404, field="org")
    assert_error(api.get("/people", grade=9), 422, field="grade")
    # Along the industry tree: the metallurgy union's cadre finds 济钢's workers.
    assert Api(sd.industry_cadre).get("/people", org=sd.metallurgy.pk).json()["count"] == 1


# ---------------------------------------------------------------------------------------------
# Pagination


def test_limit_offset_and_totals(sd):
    for i in range(5):
        org(sd.town, f"企业工会{i}", OrgKind.GRASSROOTS)
    api = Api(sd.jinan_cadre)
    first = api.get(f"/orgs/{sd.town.pk}/children", limit=4).json()
    assert (len(first["items"]), first["count"], first["next"], first["limit"], first["offset"]) == (4, 6, True, 4, 0)
    rest = api.get(f"/orgs/{sd.town.pk}/children", limit=4, offset=4).json()
    assert (len(rest["items"]), rest["count"], rest["next"]) == (2, 6, False)
    assert {o["id"] for o in first["items"]}.isdisjoint({o["id"] for o in rest["items"]})
    assert_error(api.get(f"/orgs/{sd.town.pk}/children", limit=0), 422, field="limit")
    assert_error(api.get(f"/orgs/{sd.town.pk}/children", limit=1000), 422, field="limit")


def _register(sd: Any, n: int, employer: Org | None = None, **kw: Any) -> None:
    for i in range(n):
        services.create_person(actor=sd.province_admin, employer=employer or sd.workshop, name=f"职工{i}",
                               id_number=id_number(), **kw)


def test_the_unfiltered_people_total_comes_from_the_pre_aggregated_counts(sd):
    _register(sd, 4)
    api = Api(sd.jinan_cadre)
    page = api.get("/people", limit=2).json()
    assert (page["count"], len(page["items"]), page["next"]) == (5, 2, True)
    assert api.get("/people", limit=2, offset=4).json()["next"] is False
    # The total is the sum of Org.person_count over the scope (no COUNT over the people table).
    Org.objects.filter(pk=sd.workshop.pk).update(person_count=1000)
    assert api.get("/people", limit=2).json()["count"] == 1001
    assert api.get("/people", limit=2, org=sd.team.pk).json()["count"] == 1
    # A filtered search counts its matches, exactly.
    assert api.get("/people", limit=2, name="职工").json()["count"] == 4


def test_a_broad_filtered_search_stops_counting_at_the_cap(sd, monkeypatch):
    from gongjiang.orgs import api as orgs_api

    _register(sd, 4, is_front_line=True)
    monkeypatch.setattr(orgs_api, "PEOPLE_COUNT_CAP", 3)
    api = Api(sd.jinan_cadre)
    page = api.get("/people", front_line="true", limit=2).json()
    assert page["count"] is None and page["next"] is True and len(page["items"]) == 2
    assert api.get("/people", name="职工1").json()["count"] == 1


def test_list_endpoints_use_a_constant_number_of_queries(sd, member, django_assert_max_num_queries):
    api = Api(sd.jinan_cadre)
    made = [0]

    def grow(n: int) -> None:
        """n more enterprise unions in the town, each with two members, one transfer, an import and a token."""
        for _ in range(n):
            made[0] += 1
            child = org(sd.town, f"企业工会{made[0]}", OrgKind.GRASSROOTS, credit_code=credit_code(200 + made[0]))
            _register(sd, 2, employer=child, membership={"member_since": datetime.date(2020, 1, 1)})
            services.request_transfer(actor=sd.province_admin, person=Person.objects.filter(employer=child).first(),
                                      to_employer=sd.qd_enterprise)
            imports.new_job(roster_import, child, filename="名册.xlsx", created_by=sd.jinan_cadre).save()
            token_for(sd.jinan_cadre)

    # Pages of 2, so every list has a next page and its total is computed.
    paths = [f"/orgs/{sd.town.pk}/children", "/people", "/people?front_line=false", f"/people?org={sd.town.pk}",
             "/transfers", "/transfers?direction=outgoing", "/orgs?q=工会", "/imports", "/tokens"]

    def measure() -> list[int]:
        counts = []
        for path in paths:
            # Session (2 queries, 3 to save it) + scopes (2) + the page, its total and one aggregate at most.
            with django_assert_max_num_queries(11) as ctx:
                response = api.client.get(API + path + ("&" if "?" in path else "?") + "limit=2")
                assert response.status_code == 200 and response.json()["next"] is True, (path, response.json())
            counts.append(len(ctx.captured_queries))
        return counts

    grow(3)
    small = measure()
    grow(30)  # ten times the data: the same number of queries
    assert measure() == small
    children = api.get(f"/orgs/{sd.town.pk}/children", limit=100).json()
    assert children["count"] == 34
    assert all(c["subtree_people"] == 2 and c["subtree_members"] == 2 for c in children["items"][1:])


# ---------------------------------------------------------------------------------------------
# Transfers


def test_a_transfer_is_requested_seen_by_both_sides_and_accepted(sd, member):
    origin = Api(token=token_for(sd.jinan_cadre))
    response = origin.post("/transfers", {"person": member.pk, "to_employer": sd.qd_enterprise.pk,
                                          "reason": "工作调动"})
    assert response.status_code == 201, response.content
    transfer = response.json()
    assert transfer["state"] == "requested" and transfer["state_label"] and transfer["can_cancel"] is True
    assert transfer["can_decide"] is False
    destination = Api(sd.qingdao_cadre)
    incoming = destination.get("/transfers", direction="incoming").json()
    assert [t["id"] for t in incoming["items"]] == [transfer["id"]] and incoming["items"][0]["can_decide"]
    assert destination.get("/transfers", direction="outgoing").json()["count"] == 0
    assert origin.get("/transfers", direction="outgoing", state="requested").json()["count"] == 1
    assert_error(destination.post(f"/transfers/{transfer['id']}/cancel", {}), 403)  # only the origin withdraws
    assert_error(destination.post(f"/transfers/{transfer['id']}/refuse", {"note": " "}), 400, field="decision_note")
    response = destination.post(f"/transfers/{transfer['id']}/accept", {"note": "欢迎"})
    assert response.status_code == 200 and response.json()["state"] == "accepted"
    member.refresh_from_db()
    assert member.employer == sd.qd_enterprise and member.membership.union == sd.qd_enterprise
    assert_error(destination.post(f"/transfers/{transfer['id']}/refuse", {"note": "晚了"}), 400)


def test_transfer_refusals_change_nothing(sd, member):
    assert_error(Api(sd.jinan_viewer).post("/transfers", {"person": member.pk, "to_employer": sd.qd_enterprise.pk}),
                 403)
    assert_error(Api(sd.qingdao_cadre).post("/transfers", {"person": member.pk, "to_employer": sd.qd_enterprise.pk}),
                 404, field="person")
    jinan = Api(sd.jinan_cadre)
    assert_error(jinan.post("/transfers", {"person": member.pk, "to_employer": sd.team.pk}), 400, field="to_employer")
    assert_error(jinan.post("/transfers", {"person": member.pk, "to_employer": 999999}), 404, field="to_employer")
    assert_error(jinan.post("/transfers", {"person": sd.qd_person.pk, "to_employer": sd.steel.pk}), 404,
                 field="person")
    assert not MembershipTransfer.objects.exists()
    transfer = services.request_transfer(actor=sd.jinan_cadre, person=member, to_employer=sd.qd_enterprise)
    assert_error(Api(sd.county_cadre).post(f"/transfers/{transfer.pk}/accept", {}), 403)
    outsider = Api(sd.industry_cadre)
    MembershipTransfer.objects.filter(pk=transfer.pk).update(to_union=sd.qd_enterprise)
    assert_error(outsider.post(f"/transfers/{transfer.pk}/accept", {}), 403)  # sees the origin side only
    transfer.refresh_from_db()
    assert transfer.state == "requested"


# ---------------------------------------------------------------------------------------------
# Imports


def test_an_import_that_is_not_an_xlsx_is_refused_naming_the_file(sd):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api = Api(token=token_for(sd.enterprise_cadre))
    upload = SimpleUploadedFile("名册.txt", b"name,id\n")
    assert_error(api.upload("/imports", {"kind": "roster", "org": sd.steel.pk, "file": upload}), 400, field="file")
    renamed = SimpleUploadedFile("名册.xlsx", b"not a zip at all")
    assert_error(api.upload("/imports", {"kind": "roster", "org": sd.steel.pk, "file": renamed}), 400, field="file")
    wrong_headers = xlsx([["赵一", id_number()]], headers=["姓名", "身份证"])
    assert_error(api.upload("/imports", {"kind": "roster", "org": sd.steel.pk, "file": wrong_headers}), 400,
                 field="file")
    assert_error(api.upload("/imports", {"kind": "nonsense", "org": sd.steel.pk, "file": xlsx([])}), 400,
                 field="kind")
    assert_error(api.upload("/imports", {"kind": "roster", "org": sd.steel.pk}), 422, field="file")
    assert not ImportJob.objects.exists()


def test_an_import_is_refused_outside_scope_and_to_viewers(sd):
    rows = [["赵一", id_number(), "13900000001", "四级/中级工", ""]]
    assert_error(Api(sd.qingdao_cadre).upload("/imports", {"kind": "roster", "org": sd.steel.pk,
                                                           "file": xlsx(rows)}), 404, field="org")
    assert_error(Api(sd.jinan_viewer).upload("/imports", {"kind": "roster", "org": sd.steel.pk,
                                                          "file": xlsx(rows)}), 403)
    assert not ImportJob.objects.exists() and Person.objects.count() == 2


def test_a_roster_with_a_bad_row_reports_errors_then_the_fixed_file_imports(sd):
    api = Api(token=token_for(sd.enterprise_cadre))
    good, other = id_number(), id_number()
    response = api.upload("/imports", {"kind": "roster", "org": sd.steel.pk, "file": xlsx([
        ["赵一", good, "13900000001", "四级/中级工", "2015-09-01"],
        ["钱二", bad_check_digit(other), "12345", "技师", ""],
    ])})
    assert response.status_code == 201, response.content
    job = response.json()
    assert job["state"] == "invalid" and job["finished"] and job["error_count"] == 2
    assert {(e["row"], e["column"]) for e in job["errors"]} == {(3, "身份证号"), (3, "手机号码")}
    assert Person.objects.filter(employer=sd.steel).count() == 0
    report = api.client.get(job["error_report_url"], headers=api.headers)
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(report.streaming_content)))
    assert wb.active.cell(row=2, column=1).value == 3
    assert Api(token=token_for(sd.enterprise_cadre)).get(f"/imports/{job['id']}").json()["state"] == "invalid"
    assert_error(Api(sd.qingdao_cadre).get(f"/imports/{job['id']}"), 404)
    assert_error(Api(sd.qingdao_cadre).get(f"/imports/{job['id']}/errors.xlsx"), 404)

    response = api.upload("/imports", {"kind": "roster", "org": sd.steel.pk, "file": xlsx([
        ["赵一", good, "13900000001", "四级/中级工", "2015-09-01"],
        ["钱二", other, "13900000002", "技师", ""],
    ])})
    job = response.json()
    assert response.status_code == 201 and job["state"] == "done", job
    assert job["summary"] == {"created": 2, "updated": 0, "members": 1} and job["error_report_url"] is None
    assert Person.objects.filter(employer=sd.steel).count() == 2
    assert_error(api.get(f"/imports/{job['id']}/errors.xlsx"), 404)
    assert api.get("/imports").json()["count"] == 2


def test_an_import_shows_its_union_as_it_is_now_and_its_start_parameters(sd):
    """The job keeps the union's id, paths and name of the upload (no foreign key: core knows no orgs); the API
    shows the union's current name and code, and the parameters the import was started with."""
    job = imports.new_job(roster_import, sd.steel, filename="名册.xlsx", created_by=sd.enterprise_cadre)
    job.save()
    services.update_org(actor=sd.province_admin, org=sd.steel, name="济钢集团工会")
    api = Api(sd.enterprise_cadre)
    shown = api.get(f"/imports/{job.pk}").json()
    assert shown["org"] == {"id": sd.steel.pk, "name": "济钢集团工会", "code": "E0001"} and shown["params"] == {}
    assert [j["org"]["name"] for j in api.get("/imports").json()["items"]] == ["济钢集团工会"]


def test_the_import_template_downloads(sd):
    api = Api(sd.enterprise_cadre)
    response = api.get("/imports/template/roster.xlsx")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.active.cell(row=1, column=1).value == "姓名"
    assert_error(api.get("/imports/template/nonsense.xlsx"), 404)


def test_me_lists_the_roles(sd):
    me = Api(sd.jinan_cadre).get("/me").json()
    assert me["grants"] == [{"org": {"id": sd.jinan.pk, "name": "济南市总工会", "code": "3701"}, "role": Role.ADMIN,
                             "role_label": me["grants"][0]["role_label"]}]
    assert me["grants"][0]["role_label"]
