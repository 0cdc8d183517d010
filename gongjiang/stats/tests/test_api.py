"""The fact store in the API (/api/v1/stats/…) for users who build their own reports: the metrics, an org's facts
(filtered, paginated) and the dashboard's data — under the same scopes as the pages, bad input a 422 in Chinese."""

from __future__ import annotations

import pytest

from gongjiang.orgs.models import Fact
from gongjiang.orgs.tests.test_api import Api, assert_error, token_for


def test_the_metrics_are_listed_with_their_unit_and_definition(filled):
    got = Api(token=token_for(filled.jinan_cadre)).get("/stats/metrics")
    assert got.status_code == 200
    assert [m["key"] for m in got.json()] == ["alpha.held", "alpha.people", "beta.benefit"]
    benefit = got.json()[2]
    assert benefit == {"key": "beta.benefit", "app": "beta", "app_label": "beta", "label": "经济效益",
                       "unit": "万元", "stored_unit": "元", "definition": "创造的经济效益", "places": 2, "wan": True}


def test_anonymous_gets_401(filled):
    assert_error(Api().get("/stats/metrics"), 401, "unauthenticated")
    assert_error(Api().get("/stats/facts", org=filled.province.pk), 401)


def test_an_orgs_facts_are_filtered_by_metric_kind_and_range_and_paginated(filled):
    sd = filled
    api = Api(token=token_for(sd.jinan_cadre))
    got = api.get("/stats/facts", org=sd.jinan.pk, metric="alpha.held", period="month")
    assert got.status_code == 200
    body = got.json()
    assert [(f["start"], f["end"], f["value"]) for f in body["items"]] == [
        ("2025-03-01", "2025-03-31", "1.00"), ("2026-01-01", "2026-01-31", "1.00"),
        ("2026-03-01", "2026-03-31", "2.00")]
    assert body["items"][0]["period"] == "month" and body["items"][0]["org_id"] == sd.jinan.pk
    ranged = api.get("/stats/facts", org=sd.jinan.pk, metric="alpha.held", period="month", start="2026-01",
                     end="2026-02").json()
    assert [f["start"] for f in ranged["items"]] == ["2026-01-01"]
    every = api.get("/stats/facts", org=sd.jinan.pk, limit=2).json()
    assert every["count"] == Fact.objects.filter(org=sd.jinan).exclude(value=0).count() and every["next"]
    assert len(every["items"]) == 2
    years = api.get("/stats/facts", org=sd.jinan.pk, period="year", start="2024").json()["items"]
    assert {(f["metric"], f["start"], f["value"]) for f in years} >= {("beta.benefit", "2024-01-01", "50000.00")}


def test_the_dashboards_data(filled):
    sd = filled
    got = Api(sd.province_admin).get("/stats/dashboard", org=sd.province.pk, period="2026", metric="beta.benefit")
    assert got.status_code == 200
    body = got.json()
    assert body["period"] == {"kind": "year", "code": "2026", "label": "2026年", "start": "2026-01-01",
                              "end": "2026-12-31", "year_before": "2025"}
    assert body["tiles"][0]["items"][0] == {"metric": "alpha.held", "label": "举办次数", "unit": "次", "value": 7,
                                            "year_before": 1, "change_percent": 600.0}
    assert [r["org"]["id"] for r in body["breakdown"]["rows"]] == [sd.jinan.pk, sd.qingdao.pk]
    assert body["breakdown"]["rows"][1]["values"] == {"beta.benefit": 123.46}
    industry = Api(sd.province_admin).get("/stats/dashboard", org=sd.province.pk, period="2026", tree="industry")
    assert [r["org"]["id"] for r in industry.json()["breakdown"]["rows"]] == [sd.metallurgy.pk]


@pytest.mark.parametrize(("persona", "other"), [("jinan_cadre", "qingdao"), ("jinan_cadre", "province"),
                                                 ("industry_cadre", "qingdao"), ("worker", "steel")])
def test_another_subtree_is_404(filled, persona, other):
    api = Api(token=token_for(getattr(filled, persona))) if persona != "worker" else Api(filled.worker)
    org = getattr(filled, other).pk
    assert_error(api.get("/stats/facts", org=org), 404, "not_found")
    assert_error(api.get("/stats/dashboard", org=org), 404, "not_found")


def test_the_industry_union_reads_its_affiliates(filled):
    api = Api(token=token_for(filled.industry_cadre))
    got = api.get("/stats/dashboard", org=filled.metallurgy.pk, period="2026").json()
    assert [r["org"]["id"] for r in got["breakdown"]["rows"]] == [filled.steel.pk]
    assert api.get("/stats/facts", org=filled.steel.pk).status_code == 200


@pytest.mark.parametrize(("path", "params", "field", "says"), [
    ("/stats/facts", {"metric": "alpha.nothing"}, "metric", "没有指标"),
    ("/stats/facts", {"period": "week"}, "period", "期间类型"),
    ("/stats/facts", {"start": "2025"}, "period", "期间类型"),
    ("/stats/facts", {"period": "month", "start": "2026-13"}, "start", "不是月份"),
    ("/stats/facts", {"period": "month", "start": "2025"}, "start", "2026-03"),
    ("/stats/facts", {"period": "year", "start": "1999"}, "start", "2000"),
    ("/stats/facts", {"period": "year", "start": "2026", "end": "2025"}, "end", "早于"),
    ("/stats/facts", {"org": "abc"}, "org", "整数"),
    ("/stats/facts", {"org": None}, "org", "必填"),
    ("/stats/dashboard", {"period": "2026-13"}, "period", "不是月份"),
    ("/stats/dashboard", {"period": "2026-02-30"}, "period", "不是日历上的日期"),
    ("/stats/dashboard", {"tree": "forest"}, "tree", "region"),
    ("/stats/dashboard", {"metric": "x"}, "metric", "没有指标"),
    ("/stats/dashboard", {"org": 2**64}, "org", ""),
])
def test_bad_input_is_a_422_naming_the_field_in_chinese(filled, path, params, field, says):
    params = {"org": filled.jinan.pk, **params}
    params = {k: v for k, v in params.items() if v is not None}
    got = Api(token=token_for(filled.jinan_cadre)).get(path, **params)
    body = assert_error(got, 422, "invalid", field)
    assert says in body["detail"]
