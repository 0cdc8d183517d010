"""Journey: a migrant worker's unpaid wages, from his phone to the money recovered.

李强 (炼钢一班, 济钢) opens 我的维权 on a 390 px phone and files a 欠薪 complaint: twelve workers of his team, ten of
them migrant workers, owed 36,000 元 for two months; he ticks the box that sends it to the county union, so that his
enterprise union is not told who complained. The page says it was received; the case shows 待受理 at 历下区总工会.
历下区's officer finds it on the cases list, accepts it, moves it straight to mediation (the facts are not in
dispute) and closes it: resolved in full, 36,000 元 recovered, twelve workers helped. Back on his phone 李强 sees the
steps ticked, the result and the amount, and in his inbox the message that the case is closed."""

from __future__ import annotations

from playwright.sync_api import expect

from gongjiang.rights.models import Case

from .helpers import either, follow

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 860}
SUMMARY = "班组12人（其中农民工10人）2026年10月、11月工资共36000元至今未发，多次找车间主任未果。"


def _fits_the_phone(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _step(page, case: Case, step: str, note: str) -> None:
    page.select_option("#step-form select[name=step]", step)
    page.fill("#step-form textarea[name=note]", note)
    follow(page, "#step-form button")
    expect(page.locator(".messages")).to_contain_text(either("Saved", "已保存"))


def test_a_migrant_worker_s_unpaid_wages_are_recovered(page, live_server, province, login, logout, shot):
    sd = province

    # 李强 on his phone: 我的维权 → 我要维权.
    page.set_viewport_size(PHONE)
    login("worker")
    page.goto(f"{live_server.url}/rights/my/cases/")
    expect(page.locator(".card.empty")).to_be_visible()
    _fits_the_phone(page)
    shot("my-cases-empty")
    follow(page, "a[href='/rights/my/cases/new/']")
    page.select_option("#id_kind", "wages")
    page.fill("#id_summary", SUMMARY)
    expect(page.locator("#id_own_employer")).to_be_checked()
    page.fill("#id_worker_phone", "13912345678")
    page.fill("#id_people", "12")
    page.fill("#id_migrants", "10")
    page.fill("#id_claimed", "36000")
    page.check("#id_ask_county")
    _fits_the_phone(page)
    shot("complaint-form")
    follow(page, "#case-form button[type=submit]")
    case = Case.objects.get()
    assert page.url.endswith(f"/rights/my/cases/{case.pk}/")
    expect(page.locator(".messages")).to_contain_text(case.number)
    expect(page.locator("#case-step")).to_contain_text(either("Waiting for acceptance", "待受理"))
    expect(page.locator(".phone-first")).to_contain_text("历下区总工会")
    assert case.handler_id == sd.lixia.pk and case.ask_county and case.migrants == 10
    _fits_the_phone(page)
    shot("complaint-received")
    logout()

    # 历下区's officer: the list, the case, accepted, mediated, closed with the money recovered.
    page.set_viewport_size(DESK)
    login("county_cadre")
    page.goto(f"{live_server.url}/rights/cases/")
    follow(page, f"a[href='/rights/cases/{case.pk}/']")
    expect(page.locator("#case-worker")).to_contain_text("李强")
    expect(page.locator("#case-summary")).to_contain_text("36000元")
    shot("case-waiting-for-acceptance")
    _step(page, case, "accepted", "已电话联系李强，核实欠薪人数与金额。")
    _step(page, case, "mediating", "事实清楚，企业认可欠薪，约定三方协调。")
    expect(page.locator("#case-step")).to_contain_text(either("Coordination and mediation", "协调"))
    expect(page.locator("#close-form")).to_be_visible()
    page.select_option("#close-form select[name=result]", "resolved")
    page.fill("#close-form input[name=recovered]", "36000")
    page.fill("#close-form input[name=helped]", "12")
    page.fill("#close-form textarea[name=note]", "企业已于协调当日足额支付拖欠工资。")
    shot("closing-the-case")
    follow(page, "#close-form button")
    expect(page.locator("#case-result")).to_contain_text(either("Resolved in full", "全部解决"))
    expect(page.locator("#case-step")).to_contain_text(either("Case closed", "结案"))
    expect(page.locator("#step-form")).to_have_count(0)
    case.refresh_from_db()
    assert case.step == "closed" and case.recovered == 36000 and case.helped == 12
    shot("case-closed")
    logout()

    # 李强 on his phone: the steps, the result, the amount; the inbox says the case is closed.
    page.set_viewport_size(PHONE)
    login("worker")
    page.goto(f"{live_server.url}/rights/my/cases/")
    expect(page.locator(f"#case-{case.pk}")).to_contain_text(either("Case closed", "结案"))
    follow(page, f"a#case-{case.pk}")
    steps = page.locator("#case-steps li")
    expect(steps.nth(1)).to_have_class("done")
    expect(steps.nth(3)).to_have_class("done")
    expect(steps.last).to_have_class("current")
    expect(page.locator("#case-result")).to_contain_text(either("Resolved in full", "全部解决"))
    expect(page.locator("#case-facts")).to_contain_text("36000")
    expect(page.locator("#documents-form")).to_have_count(0)
    _fits_the_phone(page)
    shot("case-closed-on-the-phone")
    follow(page, "header a.inbox-link")
    closed = page.locator("ul.inbox-list li.inbox-item").first
    expect(closed.locator(".inbox-title")).to_contain_text(either("Rights case closed", "结案"))
    expect(closed.locator(".inbox-title")).to_contain_text(case.number)
    expect(page.locator("ul.inbox-list li.inbox-item")).to_have_count(4)  # received, accepted, mediation, closed
    _fits_the_phone(page)
    shot("inbox-on-the-phone")
