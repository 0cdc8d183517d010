"""Journey: an enterprise's union imports its nominees from Excel, then nominates a worker the platform suggests.

The province runs the 省五一劳动奖章 campaign; 李强 of 济钢's 炼钢一班 won the provincial final of 车工. 济钢's union
cadre opens the campaign, goes to 批量导入, downloads the template and fills in two workers — the second with a name
that is not the roster's. The upload is refused whole: the page names row 3 and the column 姓名 with the roster's
name, and nothing is saved. With the name corrected the file is imported: two drafts. Then 推荐建议 lists 李强
(职业技能竞赛: first in the final) — not the two just nominated — and 推荐 opens the nomination form with 李强 and the
reason filled in; with the years in the trade it is saved as a draft."""

from __future__ import annotations

import datetime

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from gongjiang.competitions.choices import Prize, RoundState
from gongjiang.competitions.models import Entry, Round
from gongjiang.competitions.tests.factories import season
from gongjiang.honours import services, standard
from gongjiang.honours.choices import Material
from gongjiang.honours.models import HonourType, Nomination
from gongjiang.orgs.tests.factories import id_number, person

from .helpers import either, follow


def test_an_enterprise_imports_its_nominees_and_nominates_a_suggested_worker(page, live_server, province, login,
                                                                           shot, tmp_path):
    standard.load(HonourType)  # a transactional test before this one emptied the migration's rows
    sd, today = province, timezone.localdate()
    campaign = services.create_campaign(
        actor=sd.province_admin, honour_type=HonourType.objects.get(code="province_may_day_medal"), org=sd.province,
        year=today.year, title=f"{today.year}年山东省五一劳动奖章评选", opens_on=today - datetime.timedelta(days=3),
        submit_until=today + datetime.timedelta(days=30), total=10, reserves={"front_line": 4},
        materials=[Material.FORM])
    s = season(sd)
    s.competition.year = today.year
    s.competition.save(update_fields=["year"])
    Entry.objects.create(round=s.final_round, person=sd.worker_person, unit=sd.steel, place=1, prize=Prize.FIRST)
    Round.objects.filter(pk=s.final_round.pk).update(state=RoundState.FINAL)
    zhou_id, wang_id = id_number(), id_number()
    person(sd.team, "周明", id_number=zhou_id, is_front_line=True)
    person(sd.workshop, "王刚", id_number=wang_id)

    # 济钢's cadre opens the campaign and its import page, and downloads the template.
    login("enterprise_cadre")
    page.goto(f"{live_server.url}/honours/campaigns/{campaign.pk}/")
    shot("campaign-with-import-and-suggestions")
    follow(page, "#import")
    expect(page.locator("h1")).to_contain_text(either("Import nominations", "批量导入推荐"))
    shot("import-page")
    with page.expect_download() as download:
        page.click("#template")
    template = tmp_path / "模板.xlsx"
    download.value.save_as(template)
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["推荐对象类型", "身份证号", "姓名"]
    ws.delete_rows(2)  # the example row
    deeds = "长期扎根生产一线，带头攻克技术难题五项，累计创造经济效益两百万元，培养徒弟十余名。"
    ws.append(["个人", zhou_id, "周明", "", "", "", "否", "12", "无", deeds])
    ws.append(["个人", wang_id, "王钢", "", "", "", "否", "8", "无", deeds])
    filled = tmp_path / "推荐名单.xlsx"
    wb.save(filled)

    # One bad row: the whole file is refused, row and column named.
    page.set_input_files("#id_file", str(filled))
    follow(page, "#import-form button[type=submit]")
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("td").nth(0)).to_have_text("3")
    expect(errors.first.locator("td").nth(1)).to_have_text("姓名")
    expect(errors.first).to_contain_text("王刚")
    assert not Nomination.objects.exists()
    shot("bad-row-named")

    # Corrected, the file is imported: two drafts.
    ws.cell(row=3, column=3).value = "王刚"
    wb.save(filled)
    follow(page, "#import-status a.btn-primary")
    page.set_input_files("#id_file", str(filled))
    follow(page, "#import-form button[type=submit]")
    expect(page.locator("#import-status .alert")).to_contain_text("2")
    assert sorted(Nomination.objects.values_list("name", flat=True)) == ["周明", "王刚"]
    shot("imported")

    # The suggestions: 李强 from the final; nominated through the prefilled form.
    page.goto(f"{live_server.url}/honours/campaigns/{campaign.pk}/")
    follow(page, "#suggestions")
    rows = page.locator("#suggestions tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("李强")
    expect(rows.first).to_contain_text(either("Skills competition", "职业技能竞赛"))
    shot("suggestions")
    follow(page, "#suggestions tbody tr a.btn-primary")
    expect(page.locator("#chosen-nominee")).to_contain_text("李强")
    expect(page.locator("#id_deeds")).to_have_value(either("Place 1", "第1名"))
    page.fill("#id_years_in_trade", "10")
    shot("prefilled-form")
    follow(page, "#nomination-form button[type=submit]")
    made = Nomination.objects.get(person=sd.worker_person)
    assert made.unit == sd.steel and made.state == "draft" and made.years_in_trade == 10
    shot("suggested-worker-nominated")
