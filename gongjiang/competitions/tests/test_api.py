"""The competitions API under /api/v1, as a specification: who may do what (anonymous, another subtree, own
subtree, the right role), what a refusal looks like, that a refused write changes nothing, and that a judge
never learns who is behind a 加密号.

Personas come from the `sd` fixture; the season from `factories.season` (山东省第十届职工职业技能大赛: a city
qualifier with a Jinan and a Qingdao round, then a provincial final). Refusals are checked by status, code
and field; message texts in English (Accept-Language: en), since the catalogue may not be compiled in tests.
"""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gongjiang.competitions import services
from gongjiang.competitions.choices import CompetitionState, EntryStatus, Level, RoundState, SheetState
from gongjiang.competitions.models import (
    Appeal,
    Aspect,
    Certificate,
    Competition,
    Draw,
    Entry,
    Event,
    Mark,
    Promotion,
    Round,
    Sheet,
    Stage,
)
from gongjiang.competitions.tests.factories import (
    FULL_MARKS,
    SCHEME,
    WITNESSES,
    assigned,
    end_notice,
    panel,
    season,
    to_marking,
    worker,
)
from gongjiang.core.models import IssuedCertificate
from gongjiang.orgs.choices import Role
from gongjiang.orgs.models import RoleGrant, User
from gongjiang.orgs.tests.test_api import API, Api, assert_error, token_for

# ---------------------------------------------------------------------------------------------
# Helpers


def english(api: Api) -> Api:
    api.headers["Accept-Language"] = "en"
    return api


def put(api: Api, path: str, data: dict[str, Any]) -> Any:
    return api.client.put(API + path, json.dumps(data), content_type="application/json", headers=api.headers)


@pytest.fixture
def s(sd: Any) -> Any:
    return season(sd, theory_weight=0, practical_weight=100)


@pytest.fixture
def jinan_competition(sd: Any) -> Competition:
    """A competition organised by the Jinan federation: outside Qingdao's reach."""
    return services.create_competition(actor=sd.jinan_cadre, organiser=sd.jinan, name="济南市职工技能大赛",
                                       year=2026, level=Level.CITY)


def register_jinan(sd: Any, s: Any, n: int = 3) -> list[Entry]:
    """李强 (by himself) and n-1 more workers of 炼钢车间 (by their unit) in the Jinan round."""
    entries = [services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)]
    for i in range(n - 1):
        entries.append(services.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, f"济钢{i}"),
                                         rnd=s.jinan_round))
    return entries


def mark_all(rnd: Round, points: dict[str, str] | None = None) -> None:
    """Every judge marks every sheet (B1.1 from `points` by name, everything else full) and signs."""
    points = points or {}
    aspects = list(Aspect.objects.filter(scheme__event=rnd.event_id))
    for rj in assigned(rnd):
        for sheet in Sheet.objects.filter(judge=rj).select_related("entry__person"):
            marks = {**FULL_MARKS, "B1.1": {"mark": points.get(sheet.entry.person.name, "30")}}
            for a in aspects:
                services.save_mark(actor=rj.judge.user, sheet_id=sheet.pk, aspect_id=a.pk, data=marks[a.code])
            services.sign_sheet(actor=rj.judge.user, sheet_id=sheet.pk)


def lock_all(rnd: Round, chief: Any) -> None:
    for e in Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN):
        services.lock_entry(actor=chief.user, entry=e)


def decrypt(rnd: Round, found: dict[str, Any]) -> None:
    services.decrypt(actor=found["chief"].user, rnd=rnd, supervisor_username=found["supervisor"].user.username,
                     supervisor_password="Gongjiang-2026")


def end_publicity(rnd: Round) -> None:
    end_notice(rnd)


# ---------------------------------------------------------------------------------------------
# Authentication and the OpenAPI schema


@pytest.mark.parametrize("method,path", [
    ("get", "/competitions"), ("post", "/competitions"), ("get", "/competitions/1"), ("patch", "/competitions/1"),
    ("post", "/competitions/1/state"), ("post", "/competitions/1/stages"), ("post", "/competitions/1/events"),
    ("get", "/competitions/1/rounds"), ("get", "/competitions/events/1"), ("patch", "/competitions/events/1"),
    ("get", "/competitions/events/1/scheme"), ("put", "/competitions/events/1/scheme"),
    ("post", "/competitions/stages/1/rounds"), ("get", "/competitions/rounds/1"),
    ("get", "/competitions/rounds/1/entries"), ("post", "/competitions/rounds/1/entries"),
    ("get", "/competitions/rounds/1/eligibility"), ("get", "/competitions/my-entries"),
    ("get", "/competitions/entries/1"), ("post", "/competitions/entries/1/approve"),
    ("post", "/competitions/entries/1/refuse"), ("post", "/competitions/entries/1/withdraw"),
    ("post", "/competitions/entries/1/check-in"), ("post", "/competitions/rounds/1/draws/codes"),
    ("get", "/competitions/rounds/1/draws"), ("get", "/competitions/draws/1"),
    ("post", "/competitions/draws/1/rerun"), ("get", "/judging/rounds"), ("get", "/judging/rounds/1"),
    ("get", "/judging/sheets"), ("get", "/judging/sheets/1"), ("put", "/judging/sheets/1/marks/1"),
    ("post", "/judging/sheets/1/sign"), ("post", "/judging/sheets/1/return"),
    ("post", "/judging/rounds/1/entries/ABC123/lock"), ("post", "/judging/rounds/1/decrypt"),
    ("get", "/competitions/rounds/1/ranking"), ("put", "/competitions/rounds/1/theory"),
    ("post", "/competitions/rounds/1/publish"), ("post", "/competitions/entries/1/appeals"),
    ("get", "/competitions/rounds/1/appeals"), ("post", "/competitions/appeals/1/decide"),
    ("post", "/competitions/rounds/1/finalise"), ("get", "/competitions/rounds/1/promotions"),
    ("post", "/competitions/promotions/1/decide"),
])
def test_anonymous_callers_get_401_in_the_error_format(db, method, path):
    api = Api()
    if method == "patch":
        response = api.patch(path, {})
    elif method == "put":
        response = put(api, path, {})
    else:
        response = getattr(api, method)(path)
    assert_error(response, 401, "unauthenticated")


def test_the_openapi_schema_builds_and_lists_the_competition_paths(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/competitions", "/competitions/{competition_id}", "/competitions/rounds/{round_id}/entries",
                 "/competitions/rounds/{round_id}/draws/{what}", "/judging/sheets/{sheet_id}/marks/{aspect_id}",
                 "/judging/rounds/{round_id}/decrypt", "/competitions/rounds/{round_id}/ranking",
                 "/competitions/certificates/{token}", "/competitions/events/{event_id}/scheme"):
        assert f"/api/v1{path}" in paths, path
    tags = {t for ops in paths.values() for op in ops.values() for t in op.get("tags", [])}
    assert {"competitions", "registrations", "draws", "judging", "results"} <= tags
    # the certificate check is public: no security requirement
    assert paths["/api/v1/competitions/certificates/{token}"]["get"].get("security") in (None, [])
    assert client.get("/api/docs").status_code == 200


def test_every_message_of_the_api_has_its_chinese():
    """Each msgid written in the api and schemas packages is in locale/zh/competitions_api.json (in Chinese)."""
    here = Path(__file__).resolve().parent.parent
    root = here.parent
    catalogue = json.loads((root / "locale" / "zh" / "competitions_api.json").read_text(encoding="utf-8"))
    msgids = set()
    for source in [*(here / "api").glob("*.py"), *(here / "schemas").glob("*.py")]:
        msgids |= set(re.findall(r'\b_\("((?:[^"\\]|\\.)+)"\)', source.read_text(encoding="utf-8")))
    known: dict[str, str] = {}
    for f in (root / "locale" / "zh").glob("*.json"):
        known.update(json.loads(f.read_text(encoding="utf-8")))
    missing = sorted(m for m in msgids if m not in known)
    assert not missing, missing
    assert all(re.search(r"[\u4e00-\u9fff]", v) for v in catalogue.values())


# ---------------------------------------------------------------------------------------------
# Competitions: reads and the permission matrix


def test_a_worker_and_cadres_see_the_competitions_of_their_reach(sd, s, jinan_competition):
    qingdao_only = services.create_competition(actor=sd.qingdao_cadre, organiser=sd.qingdao, name="青岛市职工技能大赛",
                                               year=2025, level=Level.CITY)
    assert {c["name"] for c in Api(sd.worker).get("/competitions").json()["items"]} == {
        "山东省第十届职工职业技能大赛", "济南市职工技能大赛"}
    qingdao = Api(token=token_for(sd.qingdao_cadre))
    listed = qingdao.get("/competitions").json()
    assert {c["id"] for c in listed["items"]} == {s.competition.pk, qingdao_only.pk} and listed["count"] == 2
    assert qingdao.get("/competitions", year=2025).json()["count"] == 1
    assert qingdao.get("/competitions", state="registration").json()["items"][0]["id"] == s.competition.pk
    assert qingdao.get("/competitions", kind="labour").json()["count"] == 0
    assert_error(qingdao.get("/competitions", kind="nonsense"), 422, field="kind")
    body = Api(sd.province_admin).get(f"/competitions/{s.competition.pk}").json()
    assert [st["name"] for st in body["stages"]] == ["市级选拔赛", "省级决赛"]
    assert body["stages"][0]["advancement"]["n"] == 2 and body["events"][0]["has_scheme"] is True
    assert body["state"] == "registration" and body["state_label"] and body["next_states"] == ["closed"]
    assert body["can_change"] is True and body["organiser"]["name"] == "山东省总工会"


def test_a_competition_of_another_subtree_is_a_404_for_every_verb(sd, jinan_competition):
    qingdao = Api(token=token_for(sd.qingdao_cadre))
    pk = jinan_competition.pk
    assert_error(qingdao.get(f"/competitions/{pk}"), 404, "not_found")
    assert_error(qingdao.patch(f"/competitions/{pk}", {"name": "改名"}), 404)
    assert_error(qingdao.post(f"/competitions/{pk}/state", {"state": "registration"}), 404)
    assert_error(qingdao.post(f"/competitions/{pk}/stages", {"name": "决赛", "level": "city",
                                                              "direct_registration": True}), 404)
    assert_error(qingdao.post(f"/competitions/{pk}/events", {"name": "焊工"}), 404)
    assert_error(qingdao.get(f"/competitions/{pk}/rounds"), 404)
    jinan_competition.refresh_from_db()
    assert jinan_competition.name == "济南市职工技能大赛" and not jinan_competition.stages.exists()


def test_own_subtree_viewers_read_but_only_the_organisers_staff_write(sd, jinan_competition):
    pk = jinan_competition.pk
    viewer = Api(sd.jinan_viewer)
    body = viewer.get(f"/competitions/{pk}").json()
    assert body["can_change"] is False
    assert_error(viewer.patch(f"/competitions/{pk}", {"name": "改名"}), 403, "forbidden")
    assert_error(viewer.post(f"/competitions/{pk}/stages", {"name": "选拔赛", "level": "city",
                                                             "direct_registration": True}), 403)
    # A county cadre below the organiser sees it (their units may enter) but does not run it.
    assert_error(Api(sd.county_cadre).patch(f"/competitions/{pk}", {"name": "改名"}), 403)
    response = Api(token=token_for(sd.jinan_cadre)).patch(f"/competitions/{pk}", {"name": "济南市第五届职工技能大赛",
                                                                                   "co_organisers": "济南市人社局"})
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "济南市第五届职工技能大赛" and response.json()["co_organisers"] == "济南市人社局"


def test_the_organiser_builds_a_competition_stage_by_stage(sd):
    api = Api(token=token_for(sd.jinan_cadre))
    response = api.post("/competitions", {"name": "济南市焊工技能竞赛", "organiser": sd.jinan.pk, "level": "city",
                                          "klass": 2, "year": 2026, "registration_opens": "2026-03-01",
                                          "registration_closes": "2026-04-30"})
    assert response.status_code == 201, response.content
    competition = response.json()
    assert competition["state"] == "preparing" and competition["klass_label"] and competition["stages"] == []
    pk = competition["id"]
    assert_error(api.post(f"/competitions/{pk}/state", {"state": "registration"}), 400, field="state")
    stage = api.post(f"/competitions/{pk}/stages", {"name": "县区选拔赛", "level": "county",
                                                    "direct_registration": True,
                                                    "advancement": {"mode": "percent", "percent": 20}})
    assert stage.status_code == 201 and stage.json()["advancement"]["percent"] == 20
    final = api.post(f"/competitions/{pk}/stages", {"name": "市级决赛", "level": "city"})
    assert final.status_code == 201 and final.json()["order"] == 2
    event = api.post(f"/competitions/{pk}/events", {
        "name": "焊工", "trade": "6-18-02-04", "theory_weight": 20, "practical_weight": 80, "min_age": 18,
        "max_age": 50, "unit_quota": 3, "prize_rule": {"bands": [{"prize": "first", "count": 1},
                                                                  {"prize": "second", "percent": 20}]}})
    assert event.status_code == 201, event.content
    body = event.json()
    assert body["trade"]["code"] == "6-18-02-04" and body["prize_rule"]["bands"][0] == {
        "prize": "first", "percent": None, "count": 1}
    assert body["has_scheme"] is False and body["group_label"]
    updated = api.patch(f"/competitions/events/{body['id']}", {"unit_quota": 5, "trade": None})
    assert updated.status_code == 200 and updated.json()["unit_quota"] == 5 and updated.json()["trade"] is None
    assert api.get(f"/competitions/events/{body['id']}").json()["name"] == "焊工"
    # the county round of 历下区 and the city final run by Jinan itself
    rounds = api.post(f"/competitions/stages/{stage.json()['id']}/rounds", {})
    assert rounds.status_code == 200, rounds.content
    assert [r["organiser"]["name"] for r in rounds.json()] == ["历下区总工会"]
    final_rounds = api.post(f"/competitions/stages/{final.json()['id']}/rounds", {"organisers": [sd.jinan.pk]})
    assert [r["stage"]["name"] for r in final_rounds.json()] == ["市级决赛"]
    response = api.post(f"/competitions/{pk}/state", {"state": "registration", "note": "开始报名"})
    assert response.status_code == 200 and response.json()["state"] == "registration"
    listed = api.get(f"/competitions/{pk}/rounds").json()
    assert listed["count"] == 2 and listed["items"][0]["state"] == "registration"
    assert api.get(f"/competitions/{pk}/rounds", stage=final.json()["id"]).json()["count"] == 1
    detail = api.get(f"/competitions/rounds/{listed['items'][0]['id']}").json()
    assert detail["competition"]["id"] == pk and detail["can_change"] is True
    assert detail["entry_counts"]["registered"] == 0 and detail["sheet_counts"] == {"open": 0, "signed": 0, "locked": 0}


@pytest.mark.parametrize("payload,status,field", [
    ({"name": "  "}, 400, "name"),
    ({"year": 1900}, 400, "year"),
    ({"registration_opens": "2026-05-01", "registration_closes": "2026-04-01"}, 400, "registration_closes"),
    ({"fund_amount": "-1"}, 400, "fund_amount"),
    ({"kind": "nonsense"}, 422, "kind"),
    ({"level": "galaxy"}, 422, "level"),
    ({"registration_opens": "soon"}, 422, "registration_opens"),
    ({"organiser": 0}, 404, "organiser"),
])
def test_bad_competition_input_names_the_field_and_creates_nothing(sd, payload, status, field):
    body = {"name": "济南市职工技能大赛", "organiser": sd.jinan.pk, "level": "city", **payload}
    if field == "organiser":
        body["organiser"] = sd.qingdao.pk  # outside the Jinan cadre's scope
    before = Competition.objects.count()
    assert_error(Api(sd.jinan_cadre).post("/competitions", body), status, field=field)
    assert Competition.objects.count() == before


def test_competition_writes_are_refused_by_role_and_state_and_change_nothing(sd, s, jinan_competition):
    assert_error(Api(sd.jinan_viewer).post("/competitions", {"name": "x", "organiser": sd.jinan.pk}), 403)
    assert_error(Api(sd.worker).post("/competitions", {"name": "x", "organiser": sd.steel.pk}), 404,
                 field="organiser")
    api = english(Api(sd.province_admin))
    body = assert_error(api.post(f"/competitions/{s.competition.pk}/state", {"state": "finished"}), 400, "state",
                        field="state")
    assert "cannot go from" in body["detail"]
    assert_error(api.patch(f"/competitions/{s.competition.pk}", {"name": None}), 422, field="name")
    assert_error(api.post(f"/competitions/{s.competition.pk}/stages", {"name": "加赛", "level": "city",
                                                                        "advancement": {"mode": "best"}}), 400,
                 field="advancement")
    assert_error(api.post(f"/competitions/{s.competition.pk}/events", {"name": "电工", "theory_weight": 50}), 400,
                 field="theory_weight")
    assert_error(api.post(f"/competitions/{s.competition.pk}/events", {"name": "电工", "trade": "9-99-99-99"}), 400,
                 field="trade")
    assert_error(api.post(f"/competitions/{s.competition.pk}/events", {
        "name": "电工", "prize_rule": {"bands": [{"prize": "first", "percent": 10}, {"prize": "first", "count": 2}]}}),
        400, field="prize_rule")
    assert_error(api.post(f"/competitions/{s.competition.pk}/events", {"name": "电工", "team_size": 0}), 422,
                 field="team_size")
    assert_error(api.patch(f"/competitions/events/{s.event.pk}", {"min_age": 60, "max_age": 30}), 400,
                 field="max_age")
    s.competition.refresh_from_db()
    assert s.competition.state == CompetitionState.REGISTRATION and s.competition.stages.count() == 2
    assert s.competition.events.count() == 1 and Event.objects.get(pk=s.event.pk).max_age == 55
    assert_error(Api(sd.qingdao_cadre).patch(f"/competitions/events/{s.event.pk}", {"name": "改名"}), 403)
    hidden = Event.objects.create(competition=jinan_competition, name="焊工")
    assert_error(Api(sd.qingdao_cadre).get(f"/competitions/events/{hidden.pk}"), 404)


# ---------------------------------------------------------------------------------------------
# Marking schemes


def test_the_marking_scheme_reads_and_is_replaced_whole(sd, s):
    api = Api(sd.province_admin)
    scheme = api.get(f"/competitions/events/{s.event.pk}/scheme").json()
    assert scheme["expected_total"] == "100.00" and len(scheme["aspects"]) == len(SCHEME)
    tolerance = scheme["aspects"][0]
    assert tolerance["bands"] == [{"upto": "0.02", "mark": "20"}, {"upto": "0.05", "mark": "10"}]
    assert scheme["aspects"][2]["deductions"][0] == {"item": "S1", "amount": "2", "description": "未戴护目镜"}
    # a worker may read the technical documents of a competition open to them
    assert Api(sd.worker).get(f"/competitions/events/{s.event.pk}/scheme").status_code == 200
    new = {"aspects": [
        {"section_code": "A", "section_name": "实操", "criterion_code": "A1", "criterion_name": "尺寸", "code": "A1.1",
         "description": "外径", "kind": "tolerance", "max_mark": "60", "step": "1",
         "bands": [{"upto": "0.02", "mark": "60"}, {"upto": "0.05", "mark": "30"}]},
        {"section_code": "B", "section_name": "评价", "criterion_code": "B1", "criterion_name": "工艺", "code": "B1.1",
         "description": "工艺", "kind": "judgement", "max_mark": "40", "step": "0.5"}],
        "judgement_method": "trimmed_mean", "trim": 1, "judges_per_entry": 5}
    response = put(api, f"/competitions/events/{s.event.pk}/scheme", new)
    assert response.status_code == 200, response.content
    assert [a["code"] for a in response.json()["aspects"]] == ["A1.1", "B1.1"]
    assert response.json()["judgement_method"] == "trimmed_mean" and response.json()["judges_per_entry"] == 5


def test_a_scheme_whose_marks_do_not_add_up_is_refused_and_the_old_one_kept(sd, s):
    api = english(Api(sd.province_admin))
    short = {"aspects": [{**{k: v for k, v in a.items() if k not in {"bands", "deductions"}},
                          "bands": [{"upto": u, "mark": m} for u, m in a.get("bands", [])],
                          "deductions": [{"item": d[0], "amount": d[1], "description": d[2]}
                                         for d in a.get("deductions", [])]} for a in SCHEME[:-1]]}
    body = assert_error(put(api, f"/competitions/events/{s.event.pk}/scheme", short), 400)
    assert "do not add up" in body["detail"]
    assert_error(put(api, f"/competitions/events/{s.event.pk}/scheme", {**short, "judgement_method": "vote"}), 422,
                 field="judgement_method")
    assert_error(put(api, f"/competitions/events/{s.event.pk}/scheme", {"aspects": [{"code": "A"}]}), 422)
    assert_error(put(Api(sd.jinan_cadre), f"/competitions/events/{s.event.pk}/scheme", short), 403)
    assert Aspect.objects.filter(scheme__event=s.event).count() == len(SCHEME)
    event = Event.objects.create(competition=s.competition, name="电工")
    assert_error(api.get(f"/competitions/events/{event.pk}/scheme"), 404, "not_found")


# ---------------------------------------------------------------------------------------------
# Registration


def test_a_worker_registers_themself_and_sees_their_entries(sd, s):
    worker_api = Api(token=token_for(sd.worker))
    preview = worker_api.get(f"/competitions/rounds/{s.jinan_round.pk}/eligibility").json()
    assert preview["status"] == "eligible" and preview["reasons"] == [] and preview["person"]["name"] == "李强"
    response = worker_api.post(f"/competitions/rounds/{s.jinan_round.pk}/entries", {})
    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["status"] == "registered" and entry["source"] == "self" and entry["unit"]["id"] == sd.steel.pk
    assert entry["person"]["id_masked"] == sd.worker_person.id_masked and entry["code"] is None
    mine = worker_api.get("/competitions/my-entries").json()
    assert mine["count"] == 1 and mine["items"][0]["competition"]["name"] == "山东省第十届职工职业技能大赛"
    assert mine["items"][0]["round_state"] == "registration" and mine["items"][0]["certificate_token"] is None
    assert Api(sd.jinan_cadre).get("/competitions/my-entries").json()["count"] == 0  # a cadre without a person
    assert worker_api.get(f"/competitions/entries/{entry['id']}").status_code == 200
    # a duplicate is refused, naming why
    body = assert_error(english(worker_api).post(f"/competitions/rounds/{s.jinan_round.pk}/entries", {}), 400,
                        "ineligible")
    assert "Already registered" in body["detail"]
    assert Entry.objects.count() == 1


def test_a_registration_breaking_the_rules_is_refused_with_every_reason_and_nothing_written(sd):
    s = season(sd, max_age=30, front_line_only=True)
    old = worker(sd.qd_enterprise, "老张", birth_date=datetime.date(1960, 1, 1), post="总经理")
    api = english(Api(token=token_for(sd.qingdao_cadre)))
    preview = api.get(f"/competitions/rounds/{s.qingdao_round.pk}/eligibility", person=old.pk).json()
    assert preview["status"] == "refused"
    assert {(r["code"], r["field"]) for r in preview["reasons"]} == {
        ("too_old", "birth_date"), ("not_front_line", "is_front_line"), ("leader", "post")}
    assert all(set(r) == {"code", "field", "message"} and r["message"] for r in preview["reasons"])
    body = assert_error(api.post(f"/competitions/rounds/{s.qingdao_round.pk}/entries", {"person": old.pk}), 400,
                        "ineligible")
    assert "maximum age of 30" in body["detail"] and set(body["errors"]) == {"birth_date", "is_front_line", "post"}
    assert not Entry.objects.exists()


def test_who_may_register_whom(sd, s):
    # a worker cannot name somebody else (not visible to them: 404 naming the field)
    assert_error(Api(sd.worker).post(f"/competitions/rounds/{s.jinan_round.pk}/entries",
                                     {"person": sd.qd_person.pk}), 404, field="person")
    # another city's cadre sees neither 李强 nor the Jinan round
    assert_error(Api(sd.qingdao_cadre).post(f"/competitions/rounds/{s.jinan_round.pk}/entries",
                                            {"person": sd.worker_person.pk}), 404)
    assert_error(Api(sd.qingdao_cadre).get(f"/competitions/rounds/{s.jinan_round.pk}/eligibility",
                                           person=sd.worker_person.pk), 404)
    # a viewer sees him but may not register him; a cadre must name the worker
    assert_error(Api(sd.jinan_viewer).post(f"/competitions/rounds/{s.jinan_round.pk}/entries",
                                           {"person": sd.worker_person.pk}), 403, "forbidden")
    assert_error(Api(sd.enterprise_cadre).post(f"/competitions/rounds/{s.jinan_round.pk}/entries", {}), 400,
                 field="person")
    # his own city's round only: another city's round is out of his sight
    assert_error(Api(sd.worker).post(f"/competitions/rounds/{s.qingdao_round.pk}/entries", {}), 404, "not_found")
    assert_error(Api(sd.worker).post("/competitions/rounds/999999/entries", {}), 404, "not_found")
    assert not Entry.objects.exists()
    response = Api(sd.enterprise_cadre).post(f"/competitions/rounds/{s.jinan_round.pk}/entries",
                                             {"person": sd.worker_person.pk})
    assert response.status_code == 201 and response.json()["source"] == "unit"


def test_registration_is_refused_before_the_competition_opens_it(sd):
    s = season(sd, state=CompetitionState.PREPARING)
    assert_error(Api(sd.worker).post(f"/competitions/rounds/{s.jinan_round.pk}/entries", {}), 400, "state")
    assert not Entry.objects.exists()


def test_entries_are_listed_to_the_organisers_and_each_unit_sees_its_own(sd, s):
    register_jinan(sd, s, 3)
    other = worker(sd.town, "街道职工")  # not of 济钢
    services.register(actor=sd.county_cadre, person=other, rnd=s.jinan_round)
    path = f"/competitions/rounds/{s.jinan_round.pk}/entries"
    assert Api(sd.jinan_cadre).get(path).json()["count"] == 4  # the round's organiser
    assert Api(sd.province_admin).get(path).json()["count"] == 4  # the competition's organiser
    assert Api(sd.enterprise_cadre).get(path).json()["count"] == 3  # 济钢's entries
    assert [e["person"]["name"] for e in Api(sd.worker).get(path).json()["items"]] == ["李强"]
    assert_error(Api(token=token_for(sd.qingdao_cadre)).get(path), 404)  # another city's round: out of sight
    assert Api(sd.jinan_cadre).get(path, status="registered", name="济钢").json()["count"] == 2
    assert Api(sd.jinan_cadre).get(path, unit=sd.steel.pk).json()["count"] == 3
    assert_error(Api(sd.jinan_cadre).get(path, status="nonsense"), 422, field="status")
    entry = Entry.objects.get(person=other)
    assert_error(Api(sd.enterprise_cadre).get(f"/competitions/entries/{entry.pk}"), 404)
    assert_error(Api(sd.qingdao_cadre).get(f"/competitions/entries/{entry.pk}"), 404)
    detail = Api(sd.county_cadre).get(f"/competitions/rounds/{s.jinan_round.pk}").json()
    assert detail["entry_counts"]["registered"] == 4 and detail["can_change"] is False


def test_the_entries_list_paginates_with_a_constant_number_of_queries(sd, s):
    api = Api(sd.jinan_cadre)
    path = f"/competitions/rounds/{s.jinan_round.pk}/entries"
    register_jinan(sd, s, 5)
    first = api.get(path, limit=2).json()
    assert (len(first["items"]), first["count"], first["next"], first["limit"], first["offset"]) == (2, 5, True, 2, 0)
    rest = api.get(path, limit=2, offset=4).json()
    assert (len(rest["items"]), rest["count"], rest["next"]) == (1, 5, False)
    seen = [e["id"] for e in first["items"]] + [e["id"] for e in api.get(path, limit=2, offset=2).json()["items"]]
    assert len(set([*seen, rest["items"][0]["id"]])) == 5
    assert_error(api.get(path, limit=0), 422, field="limit")
    assert_error(api.get(path, limit=1000), 422, field="limit")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.client.get(f"{API}{path}?limit=50").status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for i in range(15):
        services.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, f"加{i}"), rnd=s.jinan_round)
    assert queries() == small


def test_approval_refusal_and_withdrawal(sd):
    s = season(sd, requires_approval=True)
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    assert entry.status == EntryStatus.PENDING
    assert_error(Api(token=token_for(sd.qingdao_cadre)).post(f"/competitions/entries/{entry.pk}/approve"), 404)
    assert_error(Api(sd.enterprise_cadre).post(f"/competitions/entries/{entry.pk}/approve"), 403)  # the unit
    assert_error(Api(sd.worker).post(f"/competitions/entries/{entry.pk}/approve"), 403)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING
    jinan = Api(sd.jinan_cadre)
    assert_error(jinan.post(f"/competitions/entries/{entry.pk}/refuse", {"reason": " "}), 400, field="reason")
    response = jinan.post(f"/competitions/entries/{entry.pk}/approve")
    assert response.status_code == 200 and response.json()["status"] == "registered"
    assert_error(jinan.post(f"/competitions/entries/{entry.pk}/approve"), 400, "state")
    other = services.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, "待审"), rnd=s.jinan_round)
    response = jinan.post(f"/competitions/entries/{other.pk}/refuse", {"reason": "名额已满"})
    assert response.status_code == 200 and response.json()["status"] == "refused"
    # the worker withdraws their own registration
    response = Api(sd.worker).post(f"/competitions/entries/{entry.pk}/withdraw", {"reason": "生病"})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert_error(Api(sd.worker).post(f"/competitions/entries/{entry.pk}/withdraw", {}), 400, "state")
    assert_error(Api(sd.worker).post(f"/competitions/entries/{other.pk}/withdraw", {}), 404)


def test_waiting_list_reasons_are_shown_on_the_entry(sd):
    s = season(sd, capacity=1)
    services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    late = worker(sd.workshop, "迟到")
    preview = english(Api(sd.enterprise_cadre)).get(f"/competitions/rounds/{s.jinan_round.pk}/eligibility",
                                                    person=late.pk).json()
    assert preview["status"] == "waitlisted" and preview["reasons"][0]["code"] == "waitlisted"
    response = english(Api(sd.enterprise_cadre)).post(f"/competitions/rounds/{s.jinan_round.pk}/entries",
                                                      {"person": late.pk})
    assert response.status_code == 201 and response.json()["status"] == "waitlisted"
    reason = response.json()["reasons"][0]
    assert reason["code"] == "waitlisted" and reason["field"] == "event" and "1" in reason["message"]


# ---------------------------------------------------------------------------------------------
# Draws


def test_witnessed_draws_are_made_once_listed_and_re_run(sd, s):
    register_jinan(sd, s, 3)
    api = Api(token=token_for(sd.jinan_cadre))
    path = f"/competitions/rounds/{s.jinan_round.pk}/draws"
    assert_error(api.post(f"{path}/contestant-numbers", {"witnesses": [{"name": "王某"}]}), 400, field="witnesses")
    assert_error(Api(sd.enterprise_cadre).post(f"{path}/contestant-numbers", {"witnesses": WITNESSES}), 403)
    assert_error(Api(sd.qingdao_cadre).post(f"{path}/contestant-numbers", {"witnesses": WITNESSES}), 404)
    assert_error(api.post(f"{path}/lottery", {"witnesses": WITNESSES}), 422, field="what")
    assert_error(api.post(f"{path}/stations", {"witnesses": WITNESSES}), 400, "state")  # numbers first
    assert not Draw.objects.exists()
    response = api.post(f"{path}/contestant-numbers", {"witnesses": WITNESSES})
    assert response.status_code == 201, response.content
    draw = response.json()
    assert draw["sealed"] is False and len(draw["result"]) == 3 and draw["seed"]
    assert [w["name"] for w in draw["witnesses"]] == ["监督员王某", "选手代表李某"]
    assert_error(api.post(f"{path}/contestant-numbers", {"witnesses": WITNESSES}), 400, "state")
    assert Draw.objects.count() == 1
    s.jinan_round.refresh_from_db()
    assert s.jinan_round.state == RoundState.CHECKIN
    numbers = {e["contestant_no"] for e in api.get(f"/competitions/rounds/{s.jinan_round.pk}/entries").json()["items"]}
    assert len(numbers) == 3 and "" not in numbers
    for e in Entry.objects.filter(round=s.jinan_round):
        assert api.post(f"/competitions/entries/{e.pk}/check-in").json()["status"] == "checked_in"
    assert api.post(f"{path}/stations", {"witnesses": WITNESSES}).status_code == 201
    listed = api.get(path).json()
    assert listed["count"] == 2 and {"inputs", "result", "seed"}.isdisjoint(listed["items"][0])
    # anyone who sees the round may re-run a draw from its record
    assert Api(sd.worker).post(f"/competitions/draws/{draw['id']}/rerun").json() == {"consistent": True}
    Draw.objects.filter(pk=draw["id"]).update(result=[[i, "999"] for i, _n in Draw.objects.get(pk=draw["id"]).result])
    assert api.post(f"/competitions/draws/{draw['id']}/rerun").json() == {"consistent": False}
    outside = Draw.objects.create(competition=services.create_competition(
        actor=sd.jinan_cadre, organiser=sd.jinan, name="济南赛", year=2026, level=Level.CITY), purpose="x",
        kind="shuffle", algorithm="a", seed="s", input_digest="d")
    assert_error(Api(sd.qingdao_cadre).get(f"/competitions/draws/{outside.pk}"), 404)
    assert_error(Api(sd.qingdao_cadre).post(f"/competitions/draws/{outside.pk}/rerun"), 404)


def test_the_code_draw_is_sealed_until_decryption(sd, s):
    register_jinan(sd, s, 3)
    found = to_marking(sd, s.jinan_round)
    code_draw = Draw.objects.get(round=s.jinan_round, kind="codes")
    api = Api(sd.province_admin)
    sealed = api.get(f"/competitions/draws/{code_draw.pk}").json()
    assert sealed["sealed"] is True and sealed["result"] is None and sealed["seed"] is None
    assert sealed["seed_parts"] is None and len(sealed["inputs"]) == 3  # station numbers only
    assert api.post(f"/competitions/draws/{code_draw.pk}/rerun").json() == {"consistent": True}
    codes = set(Entry.objects.filter(round=s.jinan_round).values_list("code", flat=True))
    assert not any(c in api.get(f"/competitions/draws/{code_draw.pk}").content.decode() for c in codes)
    mark_all(s.jinan_round)
    lock_all(s.jinan_round, found["chief"])
    decrypt(s.jinan_round, found)
    opened = api.get(f"/competitions/draws/{code_draw.pk}").json()
    assert opened["sealed"] is False and {label for _item, label in opened["result"]} == codes


def test_draws_are_read_through_their_round_exactly_as_the_draw_pages_do(sd, s):
    """A Qingdao cadre, a Qingdao worker and a Qingdao enterprise's staff see the provincial competition, but not
    the Jinan round: none of them reads its draws, not even the decrypted 赛位号 → 加密号 draw."""
    register_jinan(sd, s, 3)
    found = to_marking(sd, s.jinan_round)
    mark_all(s.jinan_round)
    lock_all(s.jinan_round, found["chief"])
    decrypt(s.jinan_round, found)
    qd_worker = User.objects.create_user(username="qd_worker", password="Gongjiang-2026", person=sd.qd_person)
    qd_staff = User.objects.create_user(username="qd_staff", password="Gongjiang-2026")
    RoleGrant.objects.create(user=qd_staff, org=sd.qd_enterprise, role=Role.STAFF)
    draws = list(Draw.objects.filter(round=s.jinan_round))
    assert {d.kind for d in draws} == {"numbers", "codes"} and len(draws) == 3
    for outsider in (sd.qingdao_cadre, qd_worker, qd_staff):
        api = Api(outsider)
        assert api.get(f"/competitions/{s.competition.pk}").status_code == 200  # the competition is theirs too
        assert_error(api.get(f"/competitions/rounds/{s.jinan_round.pk}/draws"), 404)
        for d in draws:
            assert_error(api.get(f"/competitions/draws/{d.pk}"), 404)
            assert_error(api.post(f"/competitions/draws/{d.pk}/rerun"), 404)
            assert Client().get(f"/competitions/draws/{d.pk}/").status_code == 302  # the page: log in first
    # those who open the Jinan round read them, on the page and through the API alike
    for insider in (sd.jinan_cadre, sd.county_cadre, sd.enterprise_cadre, sd.worker):
        client = Client()
        client.force_login(insider)
        for d in draws:
            assert Api(insider).get(f"/competitions/draws/{d.pk}").status_code == 200
            assert client.get(f"/competitions/draws/{d.pk}/").status_code == 200


def test_the_rounds_a_user_may_open_are_one_list_for_pages_and_api(sd, s):
    """Qingdao sees the provincial competition's rounds of Qingdao and of the province, never Jinan's; the
    running pages and the API ask the same question (`Round.objects.for_user(user, "open")`)."""
    from gongjiang.competitions.api import common as api_common
    from gongjiang.competitions.views import common as view_common

    for user in (sd.province_admin, sd.qingdao_cadre, sd.county_cadre, sd.enterprise_cadre, sd.worker):
        opened = set(Round.objects.for_user(user, "open").values_list("pk", flat=True))
        assert set(view_common.visible_rounds(user).values_list("pk", flat=True)) == opened
        assert set(api_common._rounds(user).values_list("pk", flat=True)) == opened
    assert s.jinan_round.pk not in set(Round.objects.for_user(sd.qingdao_cadre, "open").values_list("pk", flat=True))
    assert {s.qingdao_round.pk, s.final_round.pk} <= set(
        Round.objects.for_user(sd.qingdao_cadre, "open").values_list("pk", flat=True))


# ---------------------------------------------------------------------------------------------
# Judging


@pytest.fixture
def marking(sd: Any, s: Any) -> dict[str, Any]:
    register_jinan(sd, s, 3)
    found = to_marking(sd, s.jinan_round)
    judge = assigned(s.jinan_round)[0]
    sheet = Sheet.objects.filter(judge=judge).select_related("entry").first()
    aspects = {a.code: a for a in Aspect.objects.filter(scheme__event=s.event)}
    return {**found, "judge": judge.judge.user, "sheet": sheet, "aspects": aspects, "round": s.jinan_round}


def test_a_judge_sees_only_their_sheets_by_code_and_never_a_name(sd, s, marking):
    api = Api(token=token_for(marking["judge"]))
    listed = api.get("/judging/sheets")
    assert listed.status_code == 200
    sheets = listed.json()["items"]
    mine = Sheet.objects.filter(judge__judge__user=marking["judge"])
    assert {x["id"] for x in sheets} == set(mine.values_list("pk", flat=True))
    assert all(x["code"] and x["is_mine"] and x["state"] == "open" and x["marked"] == 0 for x in sheets)
    detail = api.get(f"/judging/sheets/{marking['sheet'].pk}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["code"] == marking["sheet"].entry.code and body["judgement_method"] == "mean"
    assert [a["code"] for a in body["aspects"]] == [a["code"] for a in SCHEME] and body["aspects"][0]["mark"] is None
    rounds = api.get("/judging/rounds").json()
    assert rounds["items"][0]["role"] == "judge" and rounds["items"][0]["round"]["id"] == s.jinan_round.pk
    progress = api.get(f"/judging/rounds/{s.jinan_round.pk}").json()
    assert progress["sheet_counts"]["open"] == 9
    # No name, ID or entry id in anything the judge can read.
    entries = list(Entry.objects.filter(round=s.jinan_round).select_related("person"))
    texts = [listed.content.decode(), detail.content.decode(), api.get("/judging/rounds").content.decode(),
             api.get(f"/judging/rounds/{s.jinan_round.pk}").content.decode()]
    for text in texts:
        for e in entries:
            assert e.person.name not in text
            assert e.person.id_masked not in text
            # as a JSON value: a drawn 加密号 such as "187003" may well contain the digits of contestant no. "003"
            assert f'"{e.contestant_no}"' not in text
        assert '"entry_id"' not in text and '"person"' not in text
    # Nor through the organisers' endpoints: a judge has no scope there.
    for path in (f"/competitions/rounds/{s.jinan_round.pk}", f"/competitions/rounds/{s.jinan_round.pk}/entries",
                 f"/competitions/rounds/{s.jinan_round.pk}/ranking", f"/competitions/entries/{entries[0].pk}",
                 f"/competitions/{s.competition.pk}"):
        assert_error(api.get(path), 404)
    # Another round's judge does not even see the sheet.
    stranger = panel(sd, s.qingdao_round, judges=1)["judges"][0].user
    assert_error(Api(stranger).get(f"/judging/sheets/{marking['sheet'].pk}"), 404)
    assert Api(stranger).get("/judging/sheets").json()["count"] == 0


def test_marks_are_saved_validated_and_shown_back(sd, marking):
    api = english(Api(token=token_for(marking["judge"])))
    sheet, aspects = marking["sheet"], marking["aspects"]
    path = f"/judging/sheets/{sheet.pk}/marks"
    response = put(api, f"{path}/{aspects['B1.1'].pk}", {"mark": "7.5"})
    assert response.status_code == 200, response.content
    assert response.json()["value"] == "7.50" and response.json()["aspect_code"] == "B1.1"
    assert put(api, f"{path}/{aspects['B1.1'].pk}", {"mark": 8}).json()["value"] == "8.00"
    assert put(api, f"{path}/{aspects['A1.1'].pk}", {"deviation": "0.03"}).json()["value"] == "10.00"
    assert put(api, f"{path}/{aspects['A1.2'].pk}", {"achieved": False}).json()["raw"] == {"achieved": False}
    assert put(api, f"{path}/{aspects['A2.1'].pk}", {"faults": {"S1": 2}}).json()["value"] == "11.00"
    body = assert_error(put(api, f"{path}/{aspects['B1.1'].pk}", {"mark": "31"}), 400, field="B1.1")
    assert "above its maximum 30" in body["detail"]
    assert_error(put(api, f"{path}/{aspects['B1.1'].pk}", {"mark": "7.3"}), 400, field="B1.1")
    assert_error(put(api, f"{path}/{aspects['B1.1'].pk}", {"mark": "abc"}), 400, field="B1.1")
    assert_error(put(api, f"{path}/{aspects['A1.2'].pk}", {"achieved": "perhaps"}), 422, field="achieved")
    assert_error(put(api, f"{path}/999999", {"mark": "1"}), 400, field="aspect")
    assert Mark.objects.get(sheet=sheet, aspect=aspects["B1.1"]).value == 800
    assert Mark.objects.filter(sheet=sheet).count() == 4
    shown = api.get(f"/judging/sheets/{sheet.pk}").json()
    assert {a["code"]: (a["mark"] or {}).get("value") for a in shown["aspects"]} == {
        "A1.1": "10.00", "A1.2": "0.00", "A2.1": "11.00", "B1.1": "8.00", "B1.2": None}
    listed = {x["id"]: x["marked"] for x in api.get("/judging/sheets", mine="true").json()["items"]}
    assert listed[sheet.pk] == 4 and sum(listed.values()) == 4
    # another judge of the same round cannot write on this sheet
    other = assigned(marking["round"])[1].judge.user
    assert_error(put(Api(other), f"{path}/{aspects['B1.1'].pk}", {"mark": "1"}), 404)
    assert Mark.objects.get(sheet=sheet, aspect=aspects["B1.1"]).value == 800


def test_signing_returning_locking_and_decryption(sd, s, marking):
    judge_api = english(Api(marking["judge"]))
    sheet, aspects = marking["sheet"], marking["aspects"]
    assert_error(judge_api.post(f"/judging/sheets/{sheet.pk}/sign"), 400, "incomplete")
    for code, data in FULL_MARKS.items():
        assert put(judge_api, f"/judging/sheets/{sheet.pk}/marks/{aspects[code].pk}", data).status_code == 200
    response = judge_api.post(f"/judging/sheets/{sheet.pk}/sign")
    assert response.status_code == 200 and response.json()["state"] == "signed"
    assert_error(put(judge_api, f"/judging/sheets/{sheet.pk}/marks/{aspects['B1.1'].pk}", {"mark": "1"}), 400,
                 "signed")
    chief = Api(token=token_for(marking["chief"].user))
    assert chief.get("/judging/sheets").json()["count"] == 9  # the chief sees the whole round
    assert chief.get("/judging/sheets", mine="true").json()["count"] == 0
    assert_error(judge_api.post(f"/judging/sheets/{sheet.pk}/return", {"reason": "请复核"}), 403)
    assert_error(chief.post(f"/judging/sheets/{sheet.pk}/return", {"reason": " "}), 400, field="reason")
    response = chief.post(f"/judging/sheets/{sheet.pk}/return", {"reason": "请复核 B1.1"})
    assert response.status_code == 200 and response.json()["state"] == "open"
    rnd = marking["round"]
    mark_all_open(rnd)
    # decryption before every sheet is locked is refused
    decrypt_body = {"supervisor_username": marking["supervisor"].user.username,
                    "supervisor_password": "Gongjiang-2026"}
    assert_error(chief.post(f"/judging/rounds/{rnd.pk}/decrypt", decrypt_body), 400, "state")
    code = sheet.entry.code
    assert_error(judge_api.post(f"/judging/rounds/{rnd.pk}/entries/{code}/lock"), 403)
    assert_error(chief.post(f"/judging/rounds/{rnd.pk}/entries/NOPE/lock"), 404)
    assert_error(Api(sd.province_admin).post(f"/judging/rounds/{rnd.pk}/entries/{code}/lock"), 404)
    response = chief.post(f"/judging/rounds/{rnd.pk}/entries/{code}/lock")
    assert response.status_code == 200 and response.json() == {"code": code, "locked_sheets": 3,
                                                                 "round_state": "marking"}
    assert_error(chief.post(f"/judging/rounds/{rnd.pk}/entries/{code}/lock"), 400, "state")
    assert_error(put(judge_api, f"/judging/sheets/{sheet.pk}/marks/{aspects['B1.1'].pk}", {"mark": "1"}), 400,
                 "locked")
    for e in Entry.objects.filter(round=rnd).exclude(code=code):
        last = chief.post(f"/judging/rounds/{rnd.pk}/entries/{e.code}/lock").json()
    assert last["round_state"] == "locked"
    # before decryption the organiser's lists link no code to a name
    entries = Api(sd.jinan_cadre).get(f"/competitions/rounds/{rnd.pk}/entries").json()["items"]
    assert all(e["code"] is None and e["practical"] is None and e["place"] is None for e in entries)
    ranking = Api(sd.jinan_cadre).get(f"/competitions/rounds/{rnd.pk}/ranking").json()
    assert ranking["count"] == 3 and all(r["name"] is None and r["entry_id"] is None and r["unit"] is None
                                         and r["contestant_no"] is None and r["code"] for r in ranking["items"])
    assert all(r["practical"] == "100.00" and r["total"] is None for r in ranking["items"])
    # the supervisor's own password, then decryption (by the chief only)
    wrong = {**decrypt_body, "supervisor_password": "wrong"}
    assert_error(chief.post(f"/judging/rounds/{rnd.pk}/decrypt", wrong), 403, field="supervisor")
    assert_error(judge_api.post(f"/judging/rounds/{rnd.pk}/decrypt", decrypt_body), 403)
    assert_error(chief.post(f"/judging/rounds/{rnd.pk}/decrypt", {"supervisor_username": "x"}), 422,
                 field="supervisor_password")
    rnd.refresh_from_db()
    assert rnd.decrypted_at is None
    response = chief.post(f"/judging/rounds/{rnd.pk}/decrypt", decrypt_body)
    assert response.status_code == 200 and response.json()["round"]["decrypted"] is True
    assert "Gongjiang-2026" not in response.content.decode()
    ranking = Api(sd.jinan_cadre).get(f"/competitions/rounds/{rnd.pk}/ranking").json()
    assert {r["name"] for r in ranking["items"]} == {"李强", "济钢0", "济钢1"}
    assert all(r["place"] == 1 and r["total"] == "100.00" for r in ranking["items"])
    entries = Api(sd.jinan_cadre).get(f"/competitions/rounds/{rnd.pk}/entries").json()["items"]
    assert all(e["code"] and e["total"] == "100.00" for e in entries)
    # the judge still sees codes only
    text = judge_api.get("/judging/sheets").content.decode()
    assert "李强" not in text


def mark_all_open(rnd: Round) -> None:
    """Every judge marks and signs every sheet still open."""
    aspects = list(Aspect.objects.filter(scheme__event=rnd.event_id))
    for sheet in Sheet.objects.filter(round=rnd, state=SheetState.OPEN).select_related("judge__judge__user"):
        user = sheet.judge.judge.user
        for a in aspects:
            services.save_mark(actor=user, sheet_id=sheet.pk, aspect_id=a.pk, data=FULL_MARKS[a.code])
        services.sign_sheet(actor=user, sheet_id=sheet.pk)


# ---------------------------------------------------------------------------------------------
# Results


@pytest.fixture
def decrypted(sd: Any, s: Any) -> dict[str, Any]:
    register_jinan(sd, s, 3)
    rnd = s.jinan_round
    found = to_marking(sd, rnd)
    mark_all(rnd, {"李强": "20", "济钢0": "25", "济钢1": "22"})
    lock_all(rnd, found["chief"])
    decrypt(rnd, found)
    return {**found, "round": rnd}


def test_results_are_published_appealed_decided_and_finalised(sd, s, decrypted):
    rnd = decrypted["round"]
    path = f"/competitions/rounds/{rnd.pk}"
    # before 公示 only the organisers see the ranking
    assert_error(Api(sd.enterprise_cadre).get(f"{path}/ranking"), 403, "not_published")
    assert_error(Api(sd.worker).get(f"{path}/ranking"), 403, "not_published")
    mine = Api(sd.worker).get("/competitions/my-entries").json()["items"][0]
    assert mine["place"] is None and mine["total"] is None and mine["code"] is None
    ranking = Api(sd.jinan_cadre).get(f"{path}/ranking").json()["items"]
    assert [(r["place"], r["name"]) for r in ranking] == [(1, "济钢0"), (2, "济钢1"), (3, "李强")]
    assert ranking[0]["prize"] == "first" and ranking[0]["prize_label"]
    today = timezone.localdate()
    assert_error(Api(sd.enterprise_cadre).post(f"{path}/publish", {"publicity_until": str(today)}), 403)
    assert_error(Api(sd.jinan_cadre).post(f"{path}/publish", {"publicity_until": "2020-01-01"}), 400,
                 field="publicity_until")
    assert_error(Api(sd.jinan_cadre).post(f"{path}/publish", {}), 422, field="publicity_until")
    response = Api(sd.jinan_cadre).post(f"{path}/publish", {"publicity_until": str(today)})
    assert response.status_code == 200 and response.json()["state"] == "publicity"
    # 公示: every unit that sees the round sees the ranking with names; the worker their place
    public = Api(sd.county_cadre).get(f"{path}/ranking").json()["items"]
    assert [r["name"] for r in public] == ["济钢0", "济钢1", "李强"]
    mine = Api(sd.worker).get("/competitions/my-entries").json()["items"][0]
    assert mine["place"] == 3 and mine["total"] == "90.00" and mine["code"] is None
    li = Entry.objects.get(round=rnd, person=sd.worker_person)
    # appeals: the contestant (or their unit), with grounds, once
    assert_error(Api(sd.worker).post(f"/competitions/entries/{li.pk}/appeals", {"reason": " "}), 400,
                 field="reason")
    assert_error(Api(sd.qingdao_cadre).post(f"/competitions/entries/{li.pk}/appeals", {"reason": "不服"}), 404)
    response = Api(token=token_for(sd.worker)).post(f"/competitions/entries/{li.pk}/appeals",
                                                     {"reason": "表面质量评分有误"})
    assert response.status_code == 201, response.content
    appeal = response.json()
    assert appeal["state"] == "filed" and appeal["person"]["name"] == "李强"
    assert_error(Api(sd.worker).post(f"/competitions/entries/{li.pk}/appeals", {"reason": "再申诉"}), 400,
                 "duplicate")
    assert Api(sd.jinan_cadre).get(f"{path}/appeals").json()["count"] == 1
    assert_error(Api(sd.qingdao_cadre).get(f"{path}/appeals"), 404)
    assert_error(Api(sd.enterprise_cadre).post(f"/competitions/appeals/{appeal['id']}/decide",
                                               {"upheld": True, "decision": "x"}), 403)
    assert_error(Api(sd.qingdao_cadre).post(f"/competitions/appeals/{appeal['id']}/decide",
                                            {"upheld": True, "decision": "x"}), 404)
    assert_error(Api(sd.jinan_cadre).post(f"/competitions/appeals/{appeal['id']}/decide",
                                          {"upheld": False, "decision": " "}), 400, field="decision")
    assert_error(Api(sd.jinan_cadre).post(f"{path}/finalise"), 400, "state")  # the notice still runs
    response = Api(sd.jinan_cadre).post(f"/competitions/appeals/{appeal['id']}/decide",
                                        {"upheld": False, "decision": "经复议，维持原评分"})
    assert response.status_code == 200 and response.json()["state"] == "dismissed"
    assert Appeal.objects.get(pk=appeal["id"]).decided_by == sd.jinan_cadre
    end_publicity(rnd)
    assert_error(Api(sd.worker).post(f"/competitions/entries/{li.pk}/appeals", {"reason": "晚了"}), 400,
                 "window_closed")
    assert_error(Api(sd.enterprise_cadre).post(f"{path}/finalise"), 403)
    response = Api(sd.jinan_cadre).post(f"{path}/finalise")
    assert response.status_code == 200, response.content
    assert response.json()["certificates"] >= 1 and response.json()["promotions"] == 0


def test_a_certificate_is_verified_publicly_by_its_token(sd, s, decrypted):
    rnd = decrypted["round"]
    Api(sd.jinan_cadre).post(f"/competitions/rounds/{rnd.pk}/publish", {"publicity_until": str(timezone.localdate())})
    end_publicity(rnd)
    Api(sd.jinan_cadre).post(f"/competitions/rounds/{rnd.pk}/finalise")
    cert = Certificate.objects.select_related("entry__person").get(entry__place=1)
    response = Client().get(f"{API}/competitions/certificates/{cert.token}")  # nobody logged in
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == cert.number and body["valid"] is True and body["name"] == cert.entry.person.name
    assert body["competition"] == "山东省第十届职工职业技能大赛" and body["stage"] == "市级选拔赛"
    assert body["prize"] == "first" and body["place"] == 1
    assert_error(Client().get(f"{API}/competitions/certificates/forged-token"), 404, "not_found")
    IssuedCertificate.objects.filter(pk=cert.document_id).update(revoked_at=timezone.now())
    assert Client().get(f"{API}/competitions/certificates/{cert.token}").json()["valid"] is False
    # 李强 (third prize) finds his own certificate among his entries
    mine = Api(sd.worker).get("/competitions/my-entries").json()["items"][0]
    assert mine["prize"] == "third" and mine["certificate_token"] == Certificate.objects.get(
        entry__person=sd.worker_person).token


def test_theory_scores_are_entered_whole_or_not_at_all(sd):
    s = season(sd)  # 30:70
    entries = register_jinan(sd, s, 2)
    api = english(Api(sd.jinan_cadre))
    path = f"/competitions/rounds/{s.jinan_round.pk}/theory"
    scores = {"scores": [{"entry": entries[0].pk, "score": "86.5"}, {"entry": entries[1].pk, "score": "101"}]}
    body = assert_error(put(api, path, scores), 400, field=str(entries[1].pk))
    assert "between 0 and 100" in body["detail"]
    assert_error(put(api, path, {"scores": [{"entry": 999999, "score": "50"}]}), 400, field="999999")
    assert_error(put(api, path, {"scores": []}), 422, field="scores")
    assert_error(put(Api(sd.enterprise_cadre), path, {"scores": [{"entry": entries[0].pk, "score": "80"}]}), 403)
    assert not Entry.objects.filter(theory__isnull=False).exists()
    response = put(api, path, {"scores": [{"entry": entries[0].pk, "score": "86.5"},
                                          {"entry": entries[1].pk, "score": 90}]})
    assert response.status_code == 200 and response.json() == {"updated": 2}
    assert Entry.objects.get(pk=entries[0].pk).theory == 8650
    listed = api.get(f"/competitions/rounds/{s.jinan_round.pk}/entries").json()["items"]
    assert listed[0]["theory"] == "86.50"


def test_promotions_are_listed_and_decided_by_the_organiser(sd, s):
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    Entry.objects.create(round=s.final_round, person=entry.person, unit=entry.unit, status=EntryStatus.REGISTERED,
                         source="advanced")
    rnd = s.final_round
    found = to_marking(sd, rnd)
    mark_all(rnd)
    lock_all(rnd, found["chief"])
    decrypt(rnd, found)
    admin = Api(token=token_for(sd.province_admin))
    admin.post(f"/competitions/rounds/{rnd.pk}/publish", {"publicity_until": str(timezone.localdate())})
    end_publicity(rnd)
    figures = admin.post(f"/competitions/rounds/{rnd.pk}/finalise").json()
    assert figures["promotions"] == 1
    listed = admin.get(f"/competitions/rounds/{rnd.pk}/promotions").json()
    assert listed["count"] == 1
    promotion = listed["items"][0]
    assert promotion["person"]["name"] == "李强" and promotion["proposed_grade"] == 1
    assert promotion["proposed_grade_label"] and promotion["state"] == "proposed"
    assert Api(sd.enterprise_cadre).get(f"/competitions/rounds/{rnd.pk}/promotions").json()["count"] == 1
    assert Api(sd.qingdao_cadre).get(f"/competitions/rounds/{rnd.pk}/promotions").json()["count"] == 0
    assert_error(Api(sd.qingdao_cadre).post(f"/competitions/promotions/{promotion['id']}/decide",
                                            {"approve": True}), 404)
    assert_error(Api(sd.enterprise_cadre).post(f"/competitions/promotions/{promotion['id']}/decide",
                                               {"approve": True}), 403)
    assert_error(admin.post(f"/competitions/promotions/{promotion['id']}/decide", {"approve": "maybe"}), 422,
                 field="approve")
    assert Promotion.objects.get().state == "proposed"
    response = admin.post(f"/competitions/promotions/{promotion['id']}/decide", {"approve": True})
    assert response.status_code == 200 and response.json()["state"] == "approved"
    sd.worker_person.refresh_from_db()
    assert sd.worker_person.skill_grade == 1
    assert_error(admin.post(f"/competitions/promotions/{promotion['id']}/decide", {"approve": False}), 400, "state")


def test_the_ranking_costs_a_constant_number_of_queries(sd, s, decrypted):
    rnd = decrypted["round"]
    api = Api(sd.jinan_cadre)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.client.get(f"{API}/competitions/rounds/{rnd.pk}/ranking?limit=50").status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for i in range(10):
        p = worker(sd.workshop, f"排名{i}")
        Entry.objects.create(round=rnd, person=p, unit=sd.steel, status=EntryStatus.CHECKED_IN, code=f"X{i:05d}",
                             practical=9000 - i, total=9000 - i, place=4 + i)
    assert queries() == small


def test_stage_and_round_reads_are_scoped(sd, jinan_competition):
    stage = services.add_stage(actor=sd.jinan_cadre, competition=jinan_competition, name="市赛", level=Level.CITY,
                               direct_registration=True)
    services.add_event(actor=sd.jinan_cadre, competition=jinan_competition, name="电工")
    [rnd] = services.open_rounds(actor=sd.jinan_cadre, stage=stage)
    qingdao = Api(sd.qingdao_cadre)
    assert_error(qingdao.post(f"/competitions/stages/{stage.pk}/rounds", {}), 404)
    assert_error(qingdao.get(f"/competitions/rounds/{rnd.pk}"), 404)
    assert_error(qingdao.get(f"/competitions/rounds/{rnd.pk}/entries"), 404)
    assert_error(qingdao.get(f"/competitions/rounds/{rnd.pk}/draws"), 404)
    assert_error(qingdao.get(f"/competitions/rounds/{rnd.pk}/ranking"), 404)
    assert_error(Api(sd.jinan_viewer).post(f"/competitions/stages/{stage.pk}/rounds", {}), 403)
    assert_error(Api(sd.jinan_cadre).post(f"/competitions/stages/{stage.pk}/rounds",
                                          {"organisers": [sd.qingdao.pk]}), 404, field="organisers")
    assert_error(Api(sd.jinan_cadre).post(f"/competitions/stages/{stage.pk}/rounds",
                                          {"organisers": [sd.steel.pk]}), 400, field="organisers")
    assert Round.objects.filter(stage=stage).count() == 1 and Stage.objects.filter(competition=jinan_competition)
    assert Api(sd.jinan_viewer).get(f"/competitions/rounds/{rnd.pk}").json()["can_change"] is False


def test_amounts_and_marks_travel_as_exact_decimal_strings(sd, s):
    body = Api(sd.province_admin).get(f"/competitions/{s.competition.pk}").json()
    assert body["fund_amount"] == "0.00"
    assert Decimal(Api(sd.province_admin).get(f"/competitions/events/{s.event.pk}/scheme").json()[
        "aspects"][3]["max_mark"]) == Decimal(30)


def test_the_judges_sheet_list_costs_a_constant_number_of_queries(sd, s, marking):
    api = Api(marking["judge"])
    rj = assigned(marking["round"])[0]

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = api.client.get(f"{API}/judging/sheets?limit=50")
            assert response.status_code == 200
        assert all(x["code"] for x in response.json()["items"])
        return len(ctx.captured_queries)

    small = queries()
    for i in range(10):
        entry = Entry.objects.create(round=marking["round"], person=worker(sd.workshop, f"加密{i}"), unit=sd.steel,
                                     status=EntryStatus.CHECKED_IN, code=f"Z{i:05d}")
        Sheet.objects.create(round=marking["round"], entry=entry, judge=rj)
    assert queries() == small
    assert api.get("/judging/sheets").json()["count"] == 13
