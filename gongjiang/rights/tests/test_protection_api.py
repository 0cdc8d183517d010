"""The labour-protection API under /api/v1/rights/: a check with hazards closed and the check closed, the 安康杯 year
entered, recorded, evaluated and awarded; bad input a 422 naming its field in Chinese with nothing changed, another
union's records a 404, a viewer's write a 403."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from gongjiang.core.models import AuditEvent
from gongjiang.orgs.tests.test_api import Api, assert_error
from gongjiang.rights.models import AnkangAward, AnkangEntry, Hazard, SafetyCheck

from .factories import rights
from .journey_protection import INDICATORS, TEAM, YEAR

D = datetime.date


@pytest.fixture
def rw(sd):
    return rights(sd)


def _zh(text):
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_checks_and_hazards(rw, sd):
    county = Api(sd.county_cadre)
    today = timezone.localdate()
    soon = (today + datetime.timedelta(days=10)).isoformat()
    body = {"org_id": sd.lixia.pk, "enterprise_id": sd.steel.pk, "kind": "heat", "checked_on": today.isoformat(),
            "inspectors": "王建国", "hazards": [{"description": "无防暑药品", "deadline": soon}]}
    past = {**body, "hazards": [{"description": "无防暑药品", "deadline": (today - datetime.timedelta(days=1))
                                 .isoformat()}]}
    before = AuditEvent.objects.count()
    err = assert_error(county.post("/rights/checks", past), 422, field="hazards")
    assert _zh(err["detail"]) and SafetyCheck.objects.count() == 0 and AuditEvent.objects.count() == before
    made = county.post("/rights/checks", body)
    assert made.status_code == 201, made.content
    check = made.json()
    assert check["hazards"][0]["overdue"] is False
    assert_error(county.post(f"/rights/checks/{check['id']}/close", {"closed_on": today.isoformat()}), 422,
                 field="state")
    assert SafetyCheck.objects.get().closed_on is None
    hid = check["hazards"][0]["id"]
    assert Api(sd.qingdao_cadre).post(f"/rights/hazards/{hid}/close", {"closed_on": today.isoformat(),
                                                                      "evidence": "照片"}).status_code == 404
    assert Api(sd.jinan_viewer).post(f"/rights/hazards/{hid}/close", {"closed_on": today.isoformat(),
                                                                     "evidence": "照片"}).status_code == 403
    r = Api(sd.enterprise_cadre).post(f"/rights/hazards/{hid}/close", {"closed_on": today.isoformat(),
                                                                      "evidence": "照片"})
    assert r.status_code == 200 and r.json()["closed_on"] == today.isoformat()
    assert county.post(f"/rights/checks/{check['id']}/close", {"closed_on": today.isoformat()}).status_code == 200
    assert county.get("/rights/checks", open=False).json()["count"] == 1
    Hazard.objects.update(closed_on=None, deadline=today - datetime.timedelta(days=3))  # time passes, reopened
    assert [h["id"] for h in county.get("/rights/hazards/overdue").json()["items"]] == [hid]
    assert Api(sd.qingdao_cadre).get("/rights/hazards/overdue").json()["items"] == []


def test_the_ankang_year(rw, sd):
    county = Api(sd.county_cadre)
    made = county.post("/rights/ankang", {"org_id": sd.lixia.pk, "year": YEAR, "title": "安康杯",
                                          "quota_enterprises": 1, "quota_teams": 1, "quota_organisers": 1})
    assert made.status_code == 201, made.content
    cid = made.json()["id"]
    out = county.post(f"/rights/ankang/{cid}/entries", {"unit_ids": [sd.qd_enterprise.pk],
                                                        "registered_on": f"{YEAR}-03-01"})
    assert out.status_code == 404  # not even visible to the county cadre
    out = Api(sd.province_admin).post(f"/rights/ankang/{cid}/entries", {"unit_ids": [sd.qd_enterprise.pk],
                                                                        "registered_on": f"{YEAR}-03-01"})
    assert _zh(assert_error(out, 422, field="units")["detail"]) and AnkangEntry.objects.count() == 0
    entries = county.post(f"/rights/ankang/{cid}/entries", {"unit_ids": [sd.steel.pk, rw.small.pk, sd.team.pk],
                                                            "registered_on": f"{YEAR}-03-01"}).json()
    by = {e["unit"]["id"]: e["id"] for e in entries}
    bad = county.post(f"/rights/ankang/entries/{by[sd.steel.pk]}/indicators",
                      {**INDICATORS, "accidents": -1, "people_trained": 5000})
    errors = assert_error(bad, 422)["errors"]
    assert {"accidents"} <= set(errors) and AnkangEntry.objects.exclude(workers=None).count() == 0
    for unit, values in ((sd.steel, INDICATORS), (rw.small, {**INDICATORS, "workers": 40, "people_trained": 40}),
                         (sd.team, TEAM)):
        r = county.post(f"/rights/ankang/entries/{by[unit.pk]}/indicators", values)
        assert r.status_code == 200, r.content
    r = county.post(f"/rights/ankang/{cid}/evaluate", {"evaluated_on": f"{YEAR + 1}-01-10"})
    assert r.status_code == 200, r.content
    ranked = county.get(f"/rights/ankang/{cid}/entries").json()["items"]
    assert all(e["score"] is not None and e["reasons"] for e in ranked)
    over = county.post(f"/rights/ankang/{cid}/awards", {"kind": "enterprise", "org_ids": [sd.steel.pk, rw.small.pk],
                                                        "conferred_on": f"{YEAR + 1}-01-11"})
    assert _zh(assert_error(over, 422, field="orgs")["detail"]) and AnkangAward.objects.count() == 0
    assert Api(sd.jinan_viewer).post(f"/rights/ankang/{cid}/awards", {
        "kind": "enterprise", "org_ids": [sd.steel.pk], "conferred_on": f"{YEAR + 1}-01-11"}).status_code == 403
    ok = county.post(f"/rights/ankang/{cid}/awards", {"kind": "enterprise", "org_ids": [sd.steel.pk],
                                                      "conferred_on": f"{YEAR + 1}-01-11"})
    assert ok.status_code == 201 and ok.json()[0]["kind"] == "enterprise"
    assert Api(sd.qingdao_cadre).get(f"/rights/ankang/{cid}/entries").status_code == 404
    mine = Api(sd.enterprise_cadre).get(f"/rights/ankang/{cid}/entries").json()["items"]
    assert {e["unit"]["id"] for e in mine} == {sd.steel.pk, sd.team.pk}  # the steel works' own entries only
