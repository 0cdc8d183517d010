"""Journey: a report request is filled and its completeness reaches 100 % (报表).

The province admin sends 报表 "2026年主要指标快报" to Jinan and Qingdao from the page: the platform's 举办次数
and 经济效益, and 培训期数 that only the cities know. Jinan's cadre finds it in the to-do, sees the platform's
figures already in the return, types 三 for 培训期数 and is refused in Chinese with nothing saved, corrects it and
reports. The province sees 50 %, reminds Qingdao (whose cadre gets the message), Qingdao reports; the request reaches
100 %, on time, with the totals and an Excel of every return."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.core.models import Notification
from gongjiang.orgs import facts
from gongjiang.orgs.tests.factories import own_metrics

D = datetime.date


@pytest.fixture
def figures(province):
    with own_metrics(
        facts.Metric("alpha.held", "举办次数", "次", "举办的活动次数", order=1),
        facts.Metric("beta.benefit", "经济效益", "元", "创造的经济效益", places=2, wan=True, order=1),
    ):
        sd = province
        year = timezone.localdate().year
        facts.add(sd.team, D(year, 3, 14), {"alpha.held": 5})
        facts.add(sd.qd_enterprise, D(year, 5, 1), {"alpha.held": 2, "beta.benefit": 1234567})
        yield sd


def test_a_report_request_is_filled_and_reaches_100_percent(page, live_server, figures, login, logout, shot):
    sd = figures
    year = timezone.localdate().year
    login("province_admin")
    page.goto(f"{live_server.url}/stats/requests/new/?org={sd.province.pk}")
    page.fill("input[name=title]", f"{year}年主要指标快报")
    page.fill("input[name=period]", str(year))
    page.fill("input[name=due]", (timezone.localdate() + datetime.timedelta(days=7)).isoformat())
    page.get_by_label("举办次数", exact=False).check()
    page.get_by_label("经济效益", exact=False).check()
    page.fill("input[name=extra_1_label]", "培训期数")
    page.fill("input[name=extra_1_unit]", "期")
    page.get_by_label("山东省冶金工会").uncheck()
    shot("new-request")
    with page.expect_navigation():
        page.locator("#request-form button[type=submit]").click()
    expect(page.locator(".msg-success")).to_contain_text("报表已下发")
    expect(page.locator("#rate")).to_have_text("0.0%")
    request_url = page.url
    logout()

    # Jinan: the to-do, the prefilled return, a bad figure refused, then reported
    login("jinan_cadre")
    page.goto(f"{live_server.url}/")
    expect(page.locator("body")).to_contain_text("份报表等待本单位填报")
    page.goto(f"{live_server.url}/stats/requests/")
    with page.expect_navigation():
        page.locator("#to-fill a", has_text="主要指标快报").click()
    expect(page.locator("#f-alpha\\.held")).to_have_value("5")
    expect(page.locator("#f-beta\\.benefit")).to_have_value("0.00")
    page.fill("#f-c1", "三")
    with page.expect_navigation():
        page.locator("button[name=report]").click()
    expect(page.locator("#figures")).to_contain_text("第3项「培训期数」：请填写数字，而不是“三”。")
    expect(page.locator("#state")).to_have_text("未上报")
    shot("refused")
    page.fill("#f-c1", "12")
    with page.expect_navigation():
        page.locator("button[name=report]").click()
    expect(page.locator(".msg-success")).to_contain_text("已上报省总工会")
    expect(page.locator("#state")).to_have_text("已上报")
    expect(page.locator("button[name=report]")).to_have_count(0)
    shot("reported")
    logout()

    # the province: 50 %, reminds Qingdao
    login("province_admin")
    page.goto(request_url)
    expect(page.locator("#rate")).to_have_text("50.0%")
    with page.expect_navigation():
        page.locator("#remind").click()
    expect(page.locator(".msg-success")).to_contain_text("已催报 1 家")
    assert Notification.objects.filter(verb="stats.request.reminded", recipient=sd.qingdao_cadre).exists()
    logout()

    login("qingdao_cadre")
    page.goto(f"{live_server.url}/stats/requests/")
    with page.expect_navigation():
        page.locator("#to-fill a").first.click()
    expect(page.locator("#f-beta\\.benefit")).to_have_value("123.46")
    page.fill("#f-c1", "8")
    with page.expect_navigation():
        page.locator("button[name=report]").click()
    expect(page.locator("#state")).to_have_text("已上报")
    logout()

    login("province_admin")
    page.goto(request_url)
    expect(page.locator("#rate")).to_have_text("100.0%")
    expect(page.locator("#completeness")).to_contain_text("100.0%")
    expect(page.locator("#returns tfoot")).to_contain_text("20")  # 12 + 8 training sessions
    shot("complete")
    with page.expect_download() as got:
        page.locator("a", has_text="导出Excel").click()
    rows = list(openpyxl.load_workbook(io.BytesIO(got.value.path().read_bytes())).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["济南市总工会", "青岛市总工会"] and all(r[3] == "是" for r in rows[1:])
