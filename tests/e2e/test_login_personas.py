"""Journey: logging in. Every persona lands on their own page — cadres on the overview of their union,
the worker on their own record; a wrong password says so; five wrong passwords pause log-in from this address
(not the account); a cadre may log in with the mobile number of the account; the worker's page works on a
phone."""

from __future__ import annotations

from playwright.sync_api import expect

from gongjiang.orgs.models import User

from .helpers import either


def landing_path(page, live_server) -> str:
    return page.url.removeprefix(live_server.url).split("?")[0]


def test_each_persona_lands_on_the_overview_of_their_own_union(page, live_server, province, login, logout, shot):
    cadres = [("province_admin", province.province), ("jinan_cadre", province.jinan),
              ("qingdao_cadre", province.qingdao), ("county_cadre", province.lixia),
              ("enterprise_cadre", province.steel)]
    for username, org in cadres:
        login(username)
        assert landing_path(page, live_server) == "/", username
        expect(page.locator("h1")).to_contain_text(org.name)
        expect(page.locator("header .scope-label")).to_have_text(org.name)
        expect(page.locator("header .usermenu")).to_contain_text(username)
        shot(username)
        logout()
        expect(page.locator(".messages")).to_be_visible()  # "You have logged out."

    # The worker has no union role: he lands on his own record, and sees no cadre menu.
    login("worker")
    assert landing_path(page, live_server) == "/me/"
    expect(page.locator("h1")).to_have_text("李强")
    expect(page.locator("main")).to_contain_text("炼钢一班")
    expect(page.locator("aside.sidenav a[href='/people/']")).to_have_count(0)
    shot("worker")


def test_a_wrong_password_is_refused_and_five_pause_this_address(page, live_server, province, login, shot):
    login("county_cadre", "wrong-password", expect_ok=False)
    error = page.locator("main .alert-error")
    expect(error).to_contain_text(either("wrong", "错误"))
    assert landing_path(page, live_server) == "/login/"
    expect(page.locator("input[name=username]")).to_have_value("county_cadre")  # kept for the next try
    shot("wrong-password")

    for _ in range(4):
        login("county_cadre", "wrong-password", expect_ok=False)
    # Five failures from this address: even the right password is refused from here for a while, with the
    # same message as a wrong one (it never says whether the account exists, nor that it is "locked").
    login("county_cadre", expect_ok=False)
    expect(error).to_contain_text(either("too many attempts", "尝试过于频繁"))
    shot("throttled")
    assert landing_path(page, live_server) == "/login/"
    # The account itself is not locked (its owner gets in from their own address: test_login_throttle.py), and
    # someone else on the same machine is not affected.
    assert User.objects.get(username="county_cadre").is_active
    login("jinan_cadre")
    assert landing_path(page, live_server) == "/"


def test_a_cadre_logs_in_with_the_mobile_number_of_the_account(page, live_server, province, login, shot):
    login("13800000001")
    assert landing_path(page, live_server) == "/"
    expect(page.locator("header .usermenu")).to_contain_text("jinan_cadre")
    expect(page.locator("h1")).to_contain_text("济南市总工会")
    shot("by-mobile")


def test_the_worker_reads_his_record_on_a_phone(page, live_server, province, login, shot):
    page.set_viewport_size({"width": 375, "height": 740})
    login("worker")
    shot("login-done")
    expect(page.locator("h1")).to_have_text("李强")
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # The masked ID number is shown; the full one only after he asks for it.
    main = page.locator("main")
    expect(main).to_contain_text(province.worker_person.id_masked)
    assert province.worker_person.id_number not in main.inner_text()
    # The side menu is folded away behind the ☰ button.
    expect(page.locator("aside.sidenav")).not_to_be_in_viewport()
    page.click("label.nav-burger")
    expect(page.locator("aside.sidenav")).to_be_in_viewport(ratio=1)  # slid in completely
    expect(page.locator("aside.sidenav a[href='/me/']")).to_be_visible()
    shot("menu-open", full_page=False)
