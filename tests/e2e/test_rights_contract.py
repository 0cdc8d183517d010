"""Journey: a wage contract is signed and filed, and ten months later flagged as expiring.

济钢's union cadre records the enterprise's 工资专项集体合同 from its record (a first try with a four-year term is
refused — at most three — nothing saved), a one-year term from today with its key clauses; records the signing and the
filing with the labour authority; the county's list of contracts expiring is empty. Ten months later (the test moves
the rights app's day) 历下区's officer finds on the to-do that one contract ends within 90 days; the list shows it,
and the contract's page asks to start bargaining its renewal."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.rights import queries
from gongjiang.rights.models import Contract

from .helpers import either, follow

TITLE = "济南钢铁集团有限公司工资专项集体合同"


def _one_year_on(day: datetime.date) -> datetime.date:
    """The last day of a one-year term starting `day`."""
    try:
        return day.replace(year=day.year + 1) - datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def test_a_wage_contract_is_signed_filed_and_later_flagged_as_expiring(page, live_server, province, login, logout,
                                                                      shot, monkeypatch):
    sd = province
    today = timezone.localdate()
    last_day = _one_year_on(today)

    # 济钢's cadre: the enterprise's record → a new collective contract.
    login("enterprise_cadre")
    page.goto(f"{live_server.url}/rights/")
    follow(page, f"a[href='/rights/enterprises/{sd.steel.pk}/']")
    follow(page, f"a[href='/rights/enterprises/{sd.steel.pk}/contracts/new/']")
    expect(page.locator("#id_employer_party")).to_have_value("济南钢铁集团有限公司")
    page.select_option("#id_kind", "wages")
    page.fill("#id_title", TITLE)
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_ends_on", today.replace(year=today.year + 4, day=min(today.day, 28)).isoformat())
    page.fill("#id_workers", "3000")
    page.fill("#id_min_wage", "2600")
    page.fill("#id_wage_increase", "5")
    page.fill("#id_weekly_hours", "40")
    with page.expect_navigation():
        page.click("#rights-form button[type=submit]")
    expect(page.locator("#rights-form")).to_contain_text(either("at most three years", "最长为三年"))
    assert not Contract.objects.exists()
    shot("four-years-refused")
    page.fill("#id_ends_on", last_day.isoformat())
    follow(page, "#rights-form button[type=submit]")
    contract = Contract.objects.get()
    assert page.url.endswith(f"/rights/contracts/{contract.pk}/")
    expect(page.locator(".messages")).to_contain_text(either("recorded as a draft", "草案"))

    # Signed today, filed with the labour authority.
    follow(page, f"a[href='/rights/contracts/{contract.pk}/sign/']")
    page.fill("#id_on", today.isoformat())
    follow(page, "#rights-form button[type=submit]")
    follow(page, f"a[href='/rights/contracts/{contract.pk}/file/']")
    page.fill("#id_on", today.isoformat())
    page.fill("#id_filed_with", "济南市历下区人力资源和社会保障局")
    shot("file-with-the-labour-authority")
    follow(page, "#rights-form button[type=submit]")
    facts = page.locator("#contract-facts")
    expect(facts).to_contain_text(either("Filed with the labour authority", "已报人社部门备案"))
    expect(facts).to_contain_text("济南市历下区人力资源和社会保障局")
    expect(facts).to_contain_text("2600")
    expect(page.locator("#expiring-note")).to_have_count(0)
    contract.refresh_from_db()
    assert contract.state == "filed" and contract.signed_on == contract.filed_on == today
    shot("signed-and-filed")
    logout()

    # Today the county has nothing expiring.
    login("county_cadre")
    page.goto(f"{live_server.url}/rights/contracts/expiring/")
    expect(page.locator("#expiring")).to_have_count(0)
    logout()

    # Ten months on, sixty days before the end: the to-do, the list, the contract's page.
    later = last_day - datetime.timedelta(days=60)
    monkeypatch.setattr(queries, "today", lambda: later)
    login("county_cadre")
    page.goto(f"{live_server.url}/todo/")
    todo = page.locator("main .todo-list a[href='/rights/contracts/expiring/']")
    expect(todo).to_contain_text(either("1 collective contracts end within 90 days", "1份集体合同将在90天内到期"))
    shot("expiring-in-the-todo")
    follow(page, "main .todo-list a[href='/rights/contracts/expiring/']")
    rows = page.locator("#expiring tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(TITLE)
    expect(rows).to_contain_text(last_day.isoformat())
    expect(rows).to_contain_text("济南钢铁集团有限公司工会")
    shot("expiring-list")
    follow(page, f"#expiring a[href='/rights/contracts/{contract.pk}/']")
    expect(page.locator("#expiring-note")).to_contain_text(last_day.isoformat())
    shot("contract-flagged-as-expiring")
