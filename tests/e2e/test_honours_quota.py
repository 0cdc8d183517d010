"""Journey: the province allocates a 工人先锋号 campaign's quota, a city splits its share, an enterprise nominates.

The province's administrator opens 省工人先锋号 for the year with 20 places, 4 of them for non-public enterprises and
14 for front-line teams, and shares them out: a split over the total is refused with its reason and nothing saved,
then Jinan 8, Qingdao 6 and the metallurgy union 4, each with its reserves. Jinan's cadre sees only Jinan's share
and gives 3 of its places to 历下区 (its reserves carried down). 济钢's union nominates 炼钢一班: the draft cannot be
submitted before its materials are attached (the page lists what is missing); a renamed executable is refused;
with the nomination form and the account of deeds attached it is submitted, and the province's quota table shows
Jinan's nomination from the counters."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from gongjiang.honours import standard
from gongjiang.honours.models import Allocation, Campaign, HonourType, Nomination

from .helpers import either, follow

DEEDS = "炼钢一班全年安全生产无事故，开展技术攻关五项，完成合理化建议三十条，创造经济效益一百二十万元。"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _fill_share(page, org, quota: int, non_public: int, front_line: int) -> None:
    page.fill(f"#id_q{org.pk}", str(quota))
    page.fill(f"#id_r{org.pk}_non_public", str(non_public))
    page.fill(f"#id_r{org.pk}_front_line", str(front_line))


def test_the_province_allocates_a_city_splits_and_an_enterprise_nominates(page, live_server, province, login,
                                                                         logout, shot, tmp_path):
    standard.load(HonourType)  # a transactional test before this one emptied the migration's rows
    sd, today = province, timezone.localdate()

    # The province opens the campaign.
    login("province_admin")
    page.goto(f"{live_server.url}/honours/campaigns/")
    shot("campaigns-empty")
    follow(page, "a[href^='/honours/campaigns/new/']")
    page.select_option("#id_honour_type", str(HonourType.objects.get(code="province_pioneer").pk))
    page.fill("#id_title", f"{today.year}年山东省工人先锋号评选")
    page.fill("#id_opens_on", (today - datetime.timedelta(days=1)).isoformat())
    page.fill("#id_submit_until", (today + datetime.timedelta(days=30)).isoformat())
    page.fill("#id_total", "20")
    page.fill("#id_reserve_non_public", "4")
    page.fill("#id_reserve_front_line", "14")
    page.check("input[name=materials][value=form]")
    page.check("input[name=materials][value=deeds]")
    shot("new-campaign")
    follow(page, "#campaign-form button[type=submit]")
    campaign = Campaign.objects.get()
    assert page.url.endswith(f"/honours/campaigns/{campaign.pk}/")
    expect(page.locator("#quota-table")).to_contain_text("20")

    # A split over the total is refused, nothing saved; then the right one.
    follow(page, "#allocate")
    _fill_share(page, sd.jinan, 12, 2, 6)
    _fill_share(page, sd.qingdao, 9, 1, 4)
    follow(page, "#allocation-form button[type=submit]")
    expect(page.locator("#allocation-form")).to_contain_text(either("more than the 20 to share", "超过可分配的20个"))
    assert not Allocation.objects.filter(parent__isnull=False).exists()
    shot("split-over-the-total-refused")
    _fill_share(page, sd.jinan, 8, 2, 6)
    _fill_share(page, sd.qingdao, 6, 1, 4)
    _fill_share(page, sd.metallurgy, 4, 1, 3)
    follow(page, "#allocation-form button[type=submit]")
    rows = page.locator("#quotas tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("济南市总工会")
    shot("province-quota-table")
    logout()

    # Jinan splits its share: it sees only its own.
    login("jinan_cadre")
    page.goto(f"{live_server.url}/honours/campaigns/{campaign.pk}/")
    expect(page.locator("#quota-table h2")).to_contain_text("济南市总工会")
    expect(page.locator("#quota-table")).not_to_contain_text("青岛市总工会")
    follow(page, "#allocate")
    _fill_share(page, sd.lixia, 3, 1, 3)
    shot("jinan-splits")
    follow(page, "#allocation-form button[type=submit]")
    expect(page.locator("#quotas tbody tr")).to_have_count(1)
    expect(page.locator("#quotas tbody tr").first).to_contain_text("历下区总工会")
    shot("jinan-quota-table")
    logout()

    # 济钢 nominates 炼钢一班.
    login("enterprise_cadre")
    page.goto(f"{live_server.url}/honours/campaigns/{campaign.pk}/")
    follow(page, "#nominate")
    page.select_option("#id_nominee_org", str(sd.team.pk))
    page.check("#id_front_line")
    page.fill("#id_deeds", DEEDS)
    shot("nomination-form")
    follow(page, "#nomination-form button[type=submit]")
    nomination = Nomination.objects.get()
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "#submit button")
    expect(page.locator(".messages")).to_contain_text(either("incomplete", "不完整"))
    shot("incomplete-refused")
    exe = tmp_path / "事迹材料.pdf"
    exe.write_bytes(b"MZ" + b"\0" * 64)
    page.select_option("#id_kind", "deeds")
    page.set_input_files("#id_files", str(exe))
    follow(page, "#files-form button[type=submit]")
    expect(page.locator("#files-form")).to_contain_text(either("only these file types", "只接受"))
    for kind, name in (("form", "推荐审批表.pdf"), ("deeds", "先进事迹材料.pdf")):
        f = tmp_path / name
        f.write_bytes(PDF)
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_files", str(f))
        follow(page, "#files-form button[type=submit]")
    expect(page.locator("#materials li")).to_have_count(2)
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "#submit button")
    expect(page.locator(".page-head .badge")).to_contain_text(either("Submitted", "已提交", "已上报"))
    nomination.refresh_from_db()
    assert nomination.state == "submitted"
    shot("submitted")
    logout()

    # The province's table reads Jinan's nomination from the counters.
    login("province_admin")
    page.goto(f"{live_server.url}/honours/campaigns/{campaign.pk}/")
    jinan_row = page.locator("#quotas tbody tr").first
    expect(jinan_row.locator("td").nth(5)).to_have_text("1")
    shot("province-sees-the-nomination")
