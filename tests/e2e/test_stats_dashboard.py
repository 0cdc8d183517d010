"""Journey: a cadre drills from the province dashboard to a county (统计).

The province admin opens 统计看板 for 2026: the tiles of every registered metric beside 2025, the trend and the cities'
bars. Clicking 济南's bar opens Jinan's dashboard; clicking 历下区 in the table opens the county's, whose trail leads
back up. At the province the switch 按产业 lists the metallurgy union; a month typed as 2026-13 is refused with the
reason in Chinese; the tiles are exported to Excel. The overview page carries the main figures with their chart.
(The apps' own metrics are few on this branch: the journey registers its own, as the unit tests do.)"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import expect

from gongjiang.orgs import facts
from gongjiang.orgs.tests.factories import own_metrics

D = datetime.date


@pytest.fixture
def figures(province):
    with own_metrics(
        facts.Metric("alpha.held", "举办次数", "次", "举办的活动次数", order=1),
        facts.Metric("alpha.people", "参与人次", "人次", "参与活动的人次", order=2),
        facts.Metric("beta.benefit", "经济效益", "元", "创造的经济效益", places=2, wan=True, order=1),
    ):
        sd = province
        facts.add(sd.team, D(2026, 3, 14), {"alpha.held": 5, "alpha.people": 120})
        facts.add(sd.steel, D(2025, 3, 2), {"alpha.held": 2})
        facts.add(sd.qd_enterprise, D(2026, 5, 1), {"alpha.held": 2, "beta.benefit": Decimal("1234567.89")})
        yield sd


def test_a_cadre_drills_from_the_province_dashboard_to_a_county(page, live_server, figures, login, shot):
    sd = figures
    login("province_admin")
    page.goto(f"{live_server.url}/stats/?org={sd.province.pk}&period=2026")
    expect(page.locator("h1")).to_contain_text("统计")
    expect(page.locator("#tiles")).to_contain_text("举办次数")
    expect(page.locator("#tiles")).to_contain_text("123.46")
    chart = page.locator("[data-stats-chart=breakdown] canvas")
    expect(chart).to_be_visible()
    expect(page.locator("[data-stats-chart=trend] canvas")).to_be_visible()
    shot("province")

    # a click on Jinan's bar (the first and longest) opens Jinan's dashboard
    bars = page.locator("[data-stats-chart=breakdown]")
    bars.scroll_into_view_if_needed()
    box = bars.bounding_box()
    with page.expect_navigation():
        page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + 65)
    assert f"org={sd.jinan.pk}" in page.url
    expect(page.locator("h1")).to_contain_text("济南市总工会")
    shot("city")
    with page.expect_navigation():
        page.locator("#breakdown table a", has_text="历下区总工会").click()
    expect(page.locator("h1")).to_contain_text("历下区总工会")
    expect(page.locator("#tiles")).to_contain_text("+150.0%")  # 5 this year, 2 in 2025
    expect(page.locator(".breadcrumbs")).to_contain_text("省总工会")
    shot("county")

    # the industry tree of the province, a month that does not exist, the export
    page.goto(f"{live_server.url}/stats/?org={sd.province.pk}&period=2026")
    with page.expect_navigation():
        page.locator("#breakdown nav a", has_text="按产业").click()
    expect(page.locator("#breakdown table")).to_contain_text("山东省冶金工会")
    page.fill("input[name=period]", "2026-13")
    with page.expect_navigation():
        page.locator("form.filters button").click()
    expect(page.locator(".alert-error")).to_contain_text("“2026-13”不是月份")
    shot("bad-month")
    with page.expect_download() as got:
        page.locator("a[data-chart-export=tiles]").click()
    assert got.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(got.value.path().read_bytes())).active
    assert ("alpha", "举办次数", "次", 7, 2) in [r[:5] for r in sheet.iter_rows(values_only=True)]

    page.goto(f"{live_server.url}/")
    expect(page.locator("#stats-figures")).to_contain_text("主要指标")
    expect(page.locator("#stats-figures canvas")).to_be_visible()
    shot("overview")
