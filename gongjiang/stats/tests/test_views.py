"""The 统计 dashboard page: scoped like every cadre page (anonymous → login, another subtree → 404, a worker → 403),
the tiles, trend and breakdown of the fact store, drilling down to a child, the tree switch, a bad period answered in
Chinese, each chart exported to Excel with formula-like names escaped, and the overview's panel with its chart."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongjiang.orgs.tests.factories import org

from .conftest import D, did

URL = reverse("stats:dashboard")


def chart(page) -> dict:
    found = re.search(r'<script id="stats-chart" type="application/json">(.*?)</script>', page.content.decode(), re.S)
    assert found, "the page carries its charts' data"
    return json.loads(found[1])


def test_anonymous_is_sent_to_log_in(client, filled):
    page = client.get(URL, {"org": filled.province.pk})
    assert page.status_code == 302 and "login" in page["Location"]


@pytest.mark.parametrize(("persona", "other"), [("jinan_cadre", "qingdao"), ("jinan_cadre", "province"),
                                                 ("county_cadre", "jinan"), ("industry_cadre", "qingdao"),
                                                 ("enterprise_cadre", "metallurgy")])
def test_another_subtree_is_not_found(client, filled, persona, other):
    client.force_login(getattr(filled, persona))
    assert client.get(URL, {"org": getattr(filled, other).pk, "period": "2026"}).status_code == 404
    assert client.get(URL, {"org": "x"}).status_code == 404


def test_a_worker_without_a_role_is_refused(client, filled):
    client.force_login(filled.worker)
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"org": filled.steel.pk}).status_code == 404


def test_a_city_cadre_reads_the_citys_figures_and_drills_down_to_a_county(client, filled):
    sd = filled
    client.force_login(sd.jinan_cadre)
    page = client.get(URL, {"org": sd.jinan.pk, "period": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "统计" in html and "济南市总工会" in html and "2026年" in html and "举办次数" in html
    alpha = {t.metric.key: t for t in page.context["groups"][0].tiles}
    assert (alpha["alpha.held"].value, alpha["alpha.held"].before) == (3, 1)
    data = chart(page)
    assert data["breakdown"]["labels"] == ["历下区总工会"] and data["breakdown"]["data"] == [3]
    drill = data["breakdown"]["urls"][0]
    assert f"org={sd.lixia.pk}" in drill and "period=2026" in drill and drill.replace("&", "&amp;") in html
    assert len(data["trend"]["labels"]) == 5 and data["trend"]["series"][0]["data"][-1] == 3
    county = client.get(drill)
    assert county.status_code == 200 and county.context["org"] == sd.lixia
    trail = [o.display_name for o, _url in county.context["trail"]]
    assert trail == ["济南市总工会", "历下区总工会"]  # not the province, outside the cadre's scope


def test_the_province_switches_between_the_regional_and_the_industry_tree(client, filled):
    sd = filled
    client.force_login(sd.province_admin)
    page = client.get(URL, {"org": sd.province.pk, "period": "2026"})
    assert chart(page)["breakdown"]["labels"] == ["济南市总工会", "青岛市总工会"]
    html = page.content.decode()
    assert "按地区" in html and "按产业" in html and "本级及未列出的单位" in html
    industry = client.get(URL, {"org": sd.province.pk, "period": "2026", "tree": "industry"})
    assert chart(industry)["breakdown"]["labels"] == ["山东省冶金工会"]
    union = client.get(chart(industry)["breakdown"]["urls"][0])
    assert union.context["org"] == sd.metallurgy and chart(union)["breakdown"]["labels"] == [sd.steel.name]


def test_an_app_and_a_metric_are_chosen_and_amounts_are_in_wan(client, filled):
    sd = filled
    client.force_login(sd.province_admin)
    page = client.get(URL, {"org": sd.province.pk, "period": "2026", "metric": "beta.benefit"})
    data = chart(page)
    assert data["breakdown"]["name"] == "经济效益（万元）" and data["breakdown"]["data"] == [0, 123.46]
    assert "123.46" in page.content.decode()
    month = client.get(URL, {"org": sd.province.pk, "period": "2026-05", "app": "beta"})
    assert month.context["period"].code == "2026-05" and len(chart(month)["trend"]["labels"]) == 12


@pytest.mark.parametrize(("asked", "says"), [
    ({"period": "2026-13"}, "“2026-13”不是月份：月份应为 01 至 12。"),
    ({"period": "1999"}, "统计数据仅覆盖 2000 年至"),
    ({"period": "2026-02-30"}, "不是日历上的日期"),
    ({"metric": "alpha.nothing"}, "没有指标“alpha.nothing”"),
])
def test_a_bad_period_or_metric_is_answered_in_chinese_and_this_year_shown(client, filled, asked, says):
    client.force_login(filled.province_admin)
    page = client.get(URL, {"org": filled.province.pk, **asked})
    assert page.status_code == 200
    assert says in page.content.decode()
    assert page.context["error"]


def test_the_page_reads_a_handful_of_queries_whatever_the_number_of_children(client, filled):
    sd = filled
    client.force_login(sd.province_admin)
    client.get(URL, {"org": sd.province.pk, "period": "2026"})
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"org": sd.province.pk, "period": "2026"})
    for i in range(6):
        city = org(sd.province, f"第{i}市总工会", "city", f"39{i:02d}")
        did(city, D(2026, 4, 1), "alpha.held", i)
    with CaptureQueriesContext(connection) as more:
        page = client.get(URL, {"org": sd.province.pk, "period": "2026"})
    assert len(chart(page)["breakdown"]["labels"]) == 8
    assert len(more) == len(few)


def test_each_chart_exports_to_excel_with_formula_like_names_escaped(client, filled):
    sd = filled
    bad = org(sd.province, "=HYPERLINK(\"http://x\")", "city", "3799")
    did(bad, D(2026, 6, 1), "alpha.held", 4)
    client.force_login(sd.province_admin)

    def sheet(chart_name, **more):
        got = client.get(URL, {"org": sd.province.pk, "period": "2026", "export": "xlsx", "chart": chart_name,
                               **more})
        assert got.status_code == 200 and got["Content-Type"].startswith("application/vnd.openxmlformats")
        return list(openpyxl.load_workbook(io.BytesIO(got.content)).active.iter_rows(values_only=True))

    tiles = sheet("tiles")
    assert tiles[0][:4] == ("业务领域", "指标", "计量单位", "2026年")
    assert ("alpha", "举办次数", "次", 11, 1, 1000) in [r[:6] for r in tiles]
    assert next(r for r in tiles if r[1] == "经济效益")[2:4] == ("万元", 123.46)
    trend = sheet("trend")
    assert trend[0] == ("统计期间", "举办次数（次）", "参与人次（人次）") and trend[-1] == ("2026", 11, 40)
    rows = sheet("breakdown")
    names = [r[0] for r in rows]
    assert names[:4] == ["组织", "济南市总工会", "青岛市总工会", "'=HYPERLINK(\"http://x\")"]
    assert rows[-1] == ("省总工会合计", 11, 40)
    assert sheet("breakdown", tree="industry")[1][0] == "山东省冶金工会"


def test_the_overview_shows_the_scopes_main_figures_with_a_chart(client, filled):
    sd = filled
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("orgs:home"))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="stats-figures"' in html and "stats-home-data" in html
    panel = next(p for p in page.context["panels"] if p["key"] == "stats")
    assert [t.metric.key for t in panel["tiles"]] == ["alpha.held", "beta.benefit"]
    assert len(panel["chart"]["trend"]["labels"]) == 12
    client.force_login(sd.worker)
    assert "stats-figures" not in client.get(reverse("orgs:home"), follow=True).content.decode()


def test_nothing_registered_shows_an_explanation(client, sd):
    from gongjiang.orgs import facts

    facts._metrics.clear()
    client.force_login(sd.province_admin)
    page = client.get(URL, {"org": sd.province.pk})
    assert page.status_code == 200 and "尚无统计数据" in page.content.decode()
