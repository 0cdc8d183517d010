"""Journey: logging in. Every persona lands on their own page — cadres on the overview of their union,
the worker on their own record; a wrong password says so; five wrong passwords pause log-in from this address
(not the account), so an attacker paused at their address does not lock the account's owner out at theirs; a
cadre may log in with the mobile number of the account; the worker's page works on a phone."""

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


def test_judges_and_evaluators_land_on_their_work_and_see_only_their_menus(page, live_server, province, login,
                                                                            logout, shot):
    """A judge, the chief judge, the supervisor and a labour-competition evaluator hold no union role: each lands
    on their own work (the sheets, the periods), with a menu of what they can use — no cadre entries, no page
    that would refuse them — and what waits for them in the to-do list."""
    from gongjiang.competitions.tests.factories import season, to_marking
    from gongjiang.competitions.tests.test_labour import project
    from gongjiang.competitions.tests.test_services import register_many

    s = season(province, theory_weight=0, practical_weight=100)
    register_many(province, s)
    found = to_marking(province, s.jinan_round)
    p = project(province)
    judge, chief, supervisor = found["judges"][0].user, found["chief"].user, found["supervisor"].user
    for user, where in [(judge, "/judging/"), (chief, "/judging/"), (supervisor, "/judging/"),
                        (p.a, "/labour/")]:
        login(user.username)
        assert landing_path(page, live_server) == where, user.username
        menu = page.locator("aside.sidenav")
        for cadre_only in ("/people/", "/orgs/", "/accounts/", "/competitions/unit/", "/account/tokens/"):
            expect(menu.locator(f"a[href='{cadre_only}']")).to_have_count(0)
        for link in menu.locator("a").all():  # every entry opens
            href = link.get_attribute("href")
            assert page.request.get(f"{live_server.url}{href}").status < 400, (user.username, href)
        shot(user.username)
        logout()
    # the judge's sheets are waiting: the to-do list says how many, and leads to them
    login(judge.username)
    page.goto(f"{live_server.url}/todo/")
    expect(page.locator("main .todo-list")).to_contain_text(either("mark sheets", "评分表"))
    shot("judge-todo")


def test_an_attacker_locked_out_at_their_address_does_not_lock_the_victim(browser, live_server, province, settings,
                                                                          shot):
    """Behind the site's proxy (LOGIN_TRUSTED_PROXIES = 1: nginx appends the client's address to X-Forwarded-For),
    an attacker guesses the county cadre's password from their own address until log-in from there is paused; the
    cadre, at their desk, logs in at once with the right password."""
    settings.LOGIN_TRUSTED_PROXIES = 1

    def visitor(address: str):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860},
                                      extra_http_headers={"X-Forwarded-For": address})
        return context, context.new_page()

    def log_in(page, password: str) -> None:
        page.goto(f"{live_server.url}/login/")
        page.fill("input[name=username]", "county_cadre")
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    attacker_context, attacker = visitor("203.0.113.66")
    for guess in range(6):
        log_in(attacker, f"guess-{guess}")
    expect(attacker.locator("main .alert-error")).to_contain_text(either("too many attempts", "尝试过于频繁"))
    log_in(attacker, "Gongjiang-2026")  # even the right password is refused from the attacker's address now
    assert landing_path(attacker, live_server) == "/login/"
    shot("attacker-paused", target=attacker.locator("main"))

    victim_context, victim = visitor("198.51.100.23")
    log_in(victim, "Gongjiang-2026")
    assert landing_path(victim, live_server) == "/"
    expect(victim.locator("header .usermenu")).to_contain_text("county_cadre")
    shot("victim-in", target=victim.locator("main"))
    assert User.objects.get(username="county_cadre").is_active
    attacker_context.close()
    victim_context.close()
