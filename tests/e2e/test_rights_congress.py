"""Journey: a county rights officer finds an enterprise without a workers' congress and records one.

历下区's officer opens 建制率与覆盖率: of the county's two enterprise unions (济钢 and a small private firm) none has a
职代会 this year. She follows “未建 2” to the list of enterprises lacking it, opens 济钢's record and records its
congress (a three-year term from last month), elects nine delegates from the works' roster and records the first
session on her phone: five present is refused with the quorum named (two thirds of nine is six), nothing saved;
seven is recorded. Back on the rates page the county has one enterprise with a congress (50 %), and the lacking
list holds only the small firm."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.rights.models import Congress, Session
from gongjiang.rights.tests.factories import rights

from .helpers import either, follow

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}


def test_a_county_officer_records_a_congress_for_an_enterprise_lacking_one(page, live_server, province, login,
                                                                          shot):
    sd = province
    r = rights(sd)  # 济钢's roster of ten; 济南小微科技 under the same town, no roster
    today = timezone.localdate()
    established = today - datetime.timedelta(days=30)
    year = today.year

    # The rates page of 历下区: no enterprise has a congress; “未建 2” leads to the list.
    login("county_cadre")
    page.goto(f"{live_server.url}/rights/")
    own = page.locator("#rates tbody tr.total")
    expect(own).to_contain_text("历下区总工会")
    lacking = own.locator("a[href*='item=congress']")
    expect(lacking).to_contain_text("2")
    shot("rates-before")
    follow(page, "#rates tbody tr.total a[href*='item=congress']")
    rows = page.locator("#lacking tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#lacking")).to_contain_text("济南钢铁集团有限公司工会")
    expect(page.locator("#lacking")).to_contain_text("济南小微科技有限公司工会")
    shot("lacking-a-congress")

    # 济钢's record: record the congress, then its delegates.
    follow(page, f"#lacking a[href='/rights/enterprises/{sd.steel.pk}/']")
    expect(page.locator("main")).to_contain_text(either("No workers' congress recorded", "未登记职代会"))
    shot("enterprise-record-without-a-congress")
    follow(page, f"a[href='/rights/orgs/{sd.steel.pk}/congresses/new/']")
    page.select_option("#id_form", "congress")
    page.fill("#id_established_on", established.isoformat())
    page.fill("#id_term_years", "3")
    shot("record-the-congress")
    follow(page, "#rights-form button[type=submit]")
    congress = Congress.objects.get(org=sd.steel)
    expect(page.locator(".messages")).to_contain_text(either("now add its delegates", "请继续登记职工代表"))
    follow(page, f"a[href='/rights/congresses/{congress.pk}/delegates/']")
    boxes = page.locator("input[name=people]")
    expect(boxes).to_have_count(len(r.people))
    for i in range(9):
        boxes.nth(i).check()
    page.fill("#id_elected_on", established.isoformat())
    shot("elect-nine-delegates")
    follow(page, "#rights-form button[type=submit]")
    expect(page.locator("#delegates tbody tr")).to_have_count(9)
    expect(page.locator("#shares")).to_contain_text("9")
    expect(page.locator("#shares")).to_contain_text("56%")  # five front-line workers of nine

    # The first session, recorded on a phone at the meeting (the form is phone-first): five present is below the
    # quorum of six — refused, nothing saved; seven is recorded.
    page.set_viewport_size(PHONE)
    follow(page, f"a[href='/rights/congresses/{congress.pk}/sessions/new/']")
    page.fill("#id_held_on", today.isoformat())
    page.fill("#id_present", "5")
    with page.expect_navigation():
        page.click("#rights-form button[type=submit]")
    expect(page.locator("#rights-form")).to_contain_text(either("a session needs two thirds", "三分之二"))
    expect(page.locator("#rights-form")).to_contain_text("6")
    assert not Session.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot("session-below-the-quorum-refused")
    page.fill("#id_present", "7")
    follow(page, "#rights-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(either("Session recorded", "会议已登记"))
    expect(page.locator("main")).to_contain_text("7/9")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot("session-recorded")
    page.set_viewport_size(DESKTOP)

    # The county's rates: one enterprise of two has a congress; only the small firm is left to follow up.
    page.goto(f"{live_server.url}/rights/?org={sd.lixia.pk}&year={year}")
    expect(own.locator("td").nth(1)).to_contain_text("50")
    expect(own.locator("a[href*='item=congress']")).to_contain_text("1")
    shot("rates-after")
    follow(page, "#rates tbody tr.total a[href*='item=congress']")
    expect(rows).to_have_count(1)
    expect(page.locator("#lacking")).to_contain_text("济南小微科技有限公司工会")
    expect(page.locator("#lacking")).not_to_contain_text("济南钢铁集团有限公司工会")
    shot("lacking-after")
