"""The rights API under /api/v1/rights/: the same verbs and scopes as the pages; bad input a 422 naming its field in
Chinese with nothing changed, another union's records a 404, a viewer's write a 403."""

from __future__ import annotations

import datetime

import pytest

from gongjiang.orgs.tests.test_api import Api, assert_error
from gongjiang.rights.models import Congress, Contract, Delegate, Session

from .factories import rights

D = datetime.date


@pytest.fixture
def rw(sd):
    return rights(sd)


def _contract(sd, **kw):
    return {"org_id": sd.steel.pk, "kind": "wages", "title": "济钢工资专项集体合同", "employer_party": "济钢",
            "starts_on": "2025-01-01", "ends_on": "2026-12-31", "coverage": [{"enterprise_id": sd.steel.pk,
                                                                              "workers": 3000}], **kw}


def test_the_flow_and_the_rates(rw, sd):
    steel = Api(sd.enterprise_cadre)
    made = steel.post("/rights/congresses", {"org_id": sd.steel.pk, "form": "congress",
                                             "established_on": "2024-03-01", "term_years": 3})
    assert made.status_code == 201, made.content
    cid = made.json()["id"]
    r = steel.post(f"/rights/congresses/{cid}/delegates", {"person_ids": [p.pk for p in rw.people[:6]],
                                                           "elected_on": "2024-03-01"})
    assert r.status_code == 201 and len(r.json()) == 6
    assert steel.get(f"/rights/congresses/{cid}").json()["delegates"] == 6
    s = steel.post(f"/rights/congresses/{cid}/sessions", {"held_on": "2025-03-01", "present": 4})
    assert s.status_code == 201
    c = steel.post("/rights/contracts", _contract(sd))
    assert c.status_code == 201 and c.json()["state"] == "draft"
    assert steel.post(f"/rights/contracts/{c.json()['id']}/sign", {"on": "2025-01-01"}).json()["state"] == "signed"
    rates = Api(sd.county_cadre).get("/rights/rates", org_id=sd.lixia.pk, year=2026).json()
    assert rates["own"]["counts"]["congress"] == 1 and rates["own"]["counts"]["wages"] == 1
    assert rates["own"]["enterprises"] == 2 and float(rates["own"]["rates"]["congress"]) == 50
    gaps = Api(sd.county_cadre).get("/rights/lacking", org_id=sd.lixia.pk, item="congress", year=2026).json()
    assert [g["id"] for g in gaps["items"]] == [rw.small.pk]
    assert_error(Api(sd.qingdao_cadre).get("/rights/rates", org_id=sd.lixia.pk), 404)


def test_bad_input_is_a_422_in_chinese_and_changes_nothing(rw, sd):
    steel = Api(sd.enterprise_cadre)
    body = assert_error(steel.post("/rights/contracts", _contract(sd, starts_on="2026-01-01",
                                                                  ends_on="2025-12-31")), 422, None, "ends_on")
    assert "合同" in body["errors"]["ends_on"] and "早于" in body["errors"]["ends_on"]
    assert steel.post("/rights/contracts", _contract(sd)).status_code == 201
    body = assert_error(steel.post("/rights/contracts", _contract(sd, title="重叠", starts_on="2026-06-01",
                                                                  ends_on="2027-05-31")), 422, None, "starts_on")
    assert "重叠" in body["errors"]["starts_on"]
    assert Contract.objects.count() == 1
    c = Congress.objects.create(org=sd.steel, form="congress", established_on=D(2024, 3, 1),
                                ends_on=D(2027, 2, 28))
    c.enterprises.set([sd.steel])
    r = steel.post(f"/rights/congresses/{c.pk}/delegates", {"person_ids": [p.pk for p in rw.people[:9]],
                                                            "elected_on": "2024-03-01"})
    assert r.status_code == 201
    body = assert_error(steel.post(f"/rights/congresses/{c.pk}/sessions", {"held_on": "2025-03-01", "present": 5}),
                        422, None, "present")
    assert "三分之二" in body["errors"]["present"]
    assert not Session.objects.exists()
    other = Api(sd.province_admin)
    body = assert_error(other.post(f"/rights/congresses/{c.pk}/delegates", {
        "person_ids": [sd.qd_person.pk], "elected_on": "2024-03-01"}), 422, None, "people")
    assert "不是" in body["errors"]["people"] and "职工" in body["errors"]["people"]
    assert Delegate.objects.count() == 9
    assert_error(Api(sd.jinan_viewer).post("/rights/contracts", _contract(sd, kind="women")), 403)
    assert_error(Api(sd.qingdao_cadre).get(f"/rights/congresses/{c.pk}"), 404)
