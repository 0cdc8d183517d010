"""Journey: a city cadre keeps the roster of honour holders, and the public roll shows a revoked title marked.

Jinan's cadre opens 荣誉获得者名册: the holders of Jinan only (not Qingdao's). Filtered to 省五一劳动奖章, 李强 is the
one row; on his record the cadre records his retirement (a date in the future is refused first, nothing saved). Then the
city's own 市工人先锋号 of 炼钢一班 is revoked by Jinan's decision: without a document number it is refused with the
reason, then with the reason, the decision's number and Jinan as the revoking union it is revoked, and the record
lists the change. Logged out, the public honour roll lists 炼钢一班 marked 已撤销, and never an ID number or a birth
date."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.honours import standard
from gongjiang.honours.models import Holder, HonourType
from gongjiang.honours.tests.factories import holder

from .helpers import either, follow


def test_a_city_cadre_keeps_the_roster_and_the_public_roll_marks_a_revocation(page, live_server, province, login,
                                                                                logout, shot):
    standard.load(HonourType)  # a transactional test before this one emptied the migration's rows
    sd, today = province, timezone.localdate()
    medal = holder("province_may_day_medal", person=sd.worker_person, year=2020)
    holder("gold_worker", person=sd.qd_person, year=2022)
    pioneer = holder("city_pioneer", org_=sd.team, year=2021)

    login("jinan_cadre")
    page.goto(f"{live_server.url}/honours/roster/")
    rows = page.locator("#holders tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#holders")).not_to_contain_text(sd.qd_person.name)
    shot("roster")
    page.select_option("#roster-filters select[name=type]", str(medal.honour_type_id))
    follow(page, "#roster-filters button[type=submit]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(sd.worker_person.name)
    shot("roster-filtered")

    # His record: a retirement dated tomorrow is refused, then recorded today.
    follow(page, f"#holders a[href='/honours/holders/{medal.pk}/']")
    page.select_option("#id_status", "retired")
    page.fill("#id_on", (today + datetime.timedelta(days=1)).isoformat())
    follow(page, "#status-form button[type=submit]")
    expect(page.locator("#status-form")).to_contain_text(either("cannot be in the future", "不能晚于今天"))
    medal.refresh_from_db()
    assert medal.status == "active"
    page.fill("#id_on", today.isoformat())
    page.fill("#id_reason", "到龄退休")
    follow(page, "#status-form button[type=submit]")
    expect(page.locator("#holder-status")).to_contain_text(either("Retired", "退休"))
    expect(page.locator("#events")).to_contain_text("到龄退休")
    assert not page.locator("#revoke").count()  # a provincial title: Jinan does not revoke it
    shot("retirement-recorded")

    # The city's own 市工人先锋号: revoked by Jinan's decision.
    page.goto(f"{live_server.url}/honours/holders/{pioneer.pk}/")
    page.fill("#id_reason", "发生重大安全生产责任事故，不再符合荣誉称号条件。")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "#revoke-form button[type=submit]")
    expect(page.locator("#revoke-form")).to_contain_text(either("This field is required", "这个字段是必填项", "必填"))
    assert Holder.objects.get(pk=pioneer.pk).status == "active"
    shot("revocation-without-decision-refused")
    page.fill("#id_document", "济工发〔2026〕8号")
    page.select_option("#id_body", str(sd.jinan.pk))
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "#revoke-form button[type=submit]")
    expect(page.locator("#holder-status")).to_contain_text(either("Revoked", "已撤销"))
    expect(page.locator("#events")).to_contain_text("济工发〔2026〕8号")
    shot("title-revoked")
    page.goto(f"{live_server.url}/honours/roster/stats/?org={sd.jinan.pk}")
    expect(page.locator("#by-city")).to_contain_text("济南市总工会")
    shot("statistics")
    page.goto(f"{live_server.url}/")
    expect(page.locator("#honours-holders")).to_contain_text(either("Honour holders", "荣誉获得者"))
    shot("home-panel")
    logout()

    # The public honour roll: the revoked title marked; no ID number, no birth date.
    page.goto(f"{live_server.url}/public/honours/")
    row = page.locator("#public-holders tr", has_text="市工人先锋号")
    expect(row).to_contain_text(either("Title revoked", "已撤销"))
    html = page.content()
    for secret in (sd.worker_person.id_number, sd.worker_person.id_masked, sd.worker_person.birth_date.isoformat()):
        assert secret not in html
    shot("public-roll")
