"""Journeys: the yearly assessment of the lower unions' economic and technical work (考核).

The province opens its assessment of the cities on the sample rubric (100 points, base 10, bonuses up to 10, a
deduction and a veto), the cities' figures read from the platform. 济南's cadre fills in the city's sheet — the
counted items already hold the platform's figures with their source —, attaches the minutes of its joint meeting
and submits; the sheet is locked after (a change sent from a tab left open on the form is refused). The province
reviews it item by item: an adjustment without a reason is refused, one with a reason lowers the total; it
confirms. 济南 assesses its own counties on the province's rubric: 历下区 answers the veto (a serious safety
accident) and scores 0, graded 不合格. Three cities confirmed, the province ranks (济南 and 青岛 tie for first, 淄博
third; the Excel export says the same), publishes; 济南 reads its result and appeals, and the province upholds the
appeal with the item it changes — the total and the ranking follow.

The campaigns are built through the assessments' services (gongjiang/assessments/tests/factories.py); the steps a
person would take in the browser are taken in the browser."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gongjiang.assessments import services
from gongjiang.assessments.models import Campaign, Sheet
from gongjiang.assessments.samples import city_rubric
from gongjiang.assessments.tests.factories import FULL, ensure_metrics
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind, Role
from gongjiang.orgs.tests.factories import org, user

from .helpers import follow, read_xlsx

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
VETO_NOTE = "6月12日辖区内一家化工企业发生爆炸事故，造成3人死亡，经调查认定为重大安全生产责任事故。"


def _answers(**changes: str) -> dict[str, dict[str, str]]:
    values = {**FULL, **changes}
    return {k: {"value": v, "note": VETO_NOTE if k == "V1" and v == "是" else ""} for k, v in values.items()}


def _submit(actor, sheet: Sheet, **changes: str) -> Sheet:
    sheet = services.save_answers(actor=actor, sheet=sheet, answers=_answers(**changes))
    return services.submit_sheet(actor=actor, sheet=sheet)


def _accept_all(actor, sheet: Sheet, but: tuple[str, ...] = ()) -> None:
    for a in sheet.answers.exclude(item__in=but):
        services.review_item(actor=actor, sheet=sheet, item=a.item, decision="accepted")


@pytest.fixture
def world(province):
    """The province's rubric and its assessment of 济南, 青岛 and 淄博 (a third city, for a tie and a third place)
    on this year's figures: 济南 held 7 competitions and had 900 new learners this year."""
    added = ensure_metrics()
    sd = province
    sd.zibo = org(sd.province, "淄博市总工会", OrgKind.CITY, "3703", region_code="370300")
    sd.zibo_cadre = user("zibo_cadre", (sd.zibo, Role.ADMIN))
    sd.shizhong = org(sd.jinan, "市中区总工会", OrgKind.COUNTY, "370103", region_code="370103")
    sd.shizhong_cadre = user("shizhong_cadre", (sd.shizhong, Role.ADMIN))
    year = datetime.date.today().year
    facts.add(sd.steel, datetime.date(year, 1, 5), {"competitions.held": 7, "learning.learners": 900})
    rubric = services.define_rubric(actor=sd.province_admin, org=sd.province, title="全省经济技术工作考核细则",
                                    definition=city_rubric(facts._metrics))
    sd.campaign = services.open_campaign(
        actor=sd.province_admin, rubric=rubric, org=sd.province, year=year,
        title=f"{year}年度市总工会经济技术工作考核", assessed=[sd.jinan, sd.qingdao, sd.zibo])
    sd.rubric = rubric
    sd.year = year
    yield sd
    for key in added:
        facts._metrics.pop(key, None)


def _sheet(campaign: Campaign, o) -> Sheet:
    return Sheet.objects.get(campaign=campaign, org=o)


def _review(page, key: str, decision: str, value: str = "", reason: str = "") -> None:
    """Press 审核 on the item's row: its form opens right under it; decide and record."""
    form = page.locator(f"#review-{key}")
    if not form.is_visible():
        page.locator(f"#item-{key} a", has_text="审核").click()  # opens the row under the item (#review-row-…)
    expect(form).to_be_visible()
    form.locator("select[name=decision]").select_option(decision)
    if value:
        form.locator("input[name=value]").fill(value)
    if reason:
        form.locator("input[name=reason]").fill(reason)
    with page.expect_navigation():
        form.locator("button").click()


def test_a_city_fills_in_its_sheet_with_evidence_and_submits_it(page, live_server, world, login, shot, tmp_path):
    sd = world
    sheet = _sheet(sd.campaign, sd.jinan)
    login("jinan_cadre")
    page.goto(f"{live_server.url}/assessments/")
    expect(page.locator("#my-sheets")).to_contain_text(sd.campaign.title)
    follow(page, "#my-sheets a")
    expect(page.locator("h1")).to_contain_text("济南市总工会")
    # the counted items hold the platform's figures of the year, with their source
    b1 = page.locator("#item-B1")
    expect(b1.locator("input[name=item_B1]")).to_have_value("7")
    expect(b1.locator(".provenance")).to_contain_text(f"平台数据：举办赛区场次，{sd.year}年度：7 场")
    expect(page.locator("#item-D1 .provenance")).to_contain_text("新增学员")
    expect(page.locator("#item-D1 input[name=item_D1]")).to_have_value("900")
    shot("prefilled-from-the-platform")

    # submitting before answering every item is refused, naming what is missing
    stale = page.context.new_page()  # a second tab, left open on the form
    stale.goto(page.url)
    follow(page, "#submit-sheet")
    expect(page.locator(".messages")).to_contain_text("未填")
    expect(page.locator(".messages")).to_contain_text("A1")
    assert Sheet.objects.get(pk=sheet.pk).state == "draft"

    page.select_option("select[name=item_A1]", "优")
    page.fill("input[name=note_A1]", "市委将经济技术工作纳入年度工作要点")
    page.select_option("select[name=item_A2]", "是")
    page.select_option("select[name=item_B2]", "良")
    page.fill("input[name=item_C1]", "100")
    page.select_option("select[name=item_C2]", "优")
    page.fill("input[name=item_E1]", "1")
    page.fill("input[name=item_X1]", "1")
    page.fill("input[name=item_X2]", "0")
    page.select_option("select[name=item_V1]", "否")
    follow(page, "#save-answers")
    expect(page.locator(".messages")).to_contain_text("自评已保存")
    # 10 + A1 10 + A2 10 + B1 7 + B2 12 + C1 10 + C2 10 + D1 9 − E1 1 + X1 2
    expect(page.locator("#score")).to_contain_text("总成绩 79")
    expect(page.locator("#item-B1 .provenance")).not_to_contain_text("已手工修改")  # 7 as the platform has it
    expect(page.locator("#item-C1 .provenance")).to_contain_text("已手工修改")  # 100 typed over the platform's 0

    # the minutes of the joint meeting, attached to A2
    minutes = tmp_path / "联席会议纪要.pdf"
    minutes.write_bytes(PDF)
    page.select_option("#evidence-form select[name=item]", "A2")
    page.set_input_files("#evidence-form input[type=file]", str(minutes))
    follow(page, "#evidence-form button")
    expect(page.locator("#item-A2")).to_contain_text("联席会议纪要.pdf")
    shot("answered-with-evidence")

    follow(page, "#submit-sheet")
    expect(page.locator(".messages")).to_contain_text("自评已提交")
    expect(page.locator("h1 .badge")).to_contain_text("已提交")
    expect(page.locator("#answers-form")).to_have_count(0)
    expect(page.locator("#items select, #items input")).to_have_count(0)
    expect(page.locator("#evidence-form")).to_have_count(0)
    expect(page.locator("#item-A1")).to_contain_text("优")
    shot("submitted-and-locked")

    # the tab left open still shows the form: a change from it is refused and nothing changes
    stale.select_option("select[name=item_A1]", "差")
    with stale.expect_navigation():
        stale.click("#save-answers")
    expect(stale.locator("[role=alert]")).to_contain_text("自评已提交并锁定")
    shot("a-change-after-submission-is-refused", target=stale.locator("main"))
    stale.close()
    done = Sheet.objects.get(pk=sheet.pk)
    assert done.state == "submitted" and done.total == Decimal("79")
    assert done.answers.get(item="A1").value == "优"


def test_the_province_adjusts_an_item_with_a_reason_and_confirms(page, live_server, world, login, shot):
    sd = world
    sheet = _submit(sd.jinan_cadre, _sheet(sd.campaign, sd.jinan))  # 87 points (FULL)
    login("province_admin")
    page.goto(f"{live_server.url}/assessments/")
    expect(page.locator("#to-review")).to_contain_text("济南市总工会")
    follow(page, "#to-review a")
    expect(page.locator("#score")).to_contain_text("总成绩 87")
    shot("submitted-sheet")

    for key in ("A1", "A2", "B1", "C1", "C2", "D1", "E1", "X1", "X2", "V1"):
        _review(page, key, "accepted")
    expect(page.locator("#item-A1")).to_contain_text("已认可")

    # B2 良 (12) → 中 (9): without a reason it is refused and nothing changes
    _review(page, "B2", "adjusted", value="中")
    expect(page.locator("#review-B2 [role=alert]")).to_contain_text("请填写调整理由")
    expect(page.locator("#review-B2 input[name=value]")).to_have_value("中")  # what was typed stays
    expect(page.locator("#review-A1")).to_be_hidden()
    assert sheet.answers.get(item="B2").review == "pending"
    expect(page.locator("#score")).to_contain_text("总成绩 87")
    shot("adjustment-without-a-reason-refused")
    _review(page, "B2", "adjusted", value="中", reason="竞赛只覆盖3个县区，覆盖面一般")
    expect(page.locator("#item-B2")).to_contain_text("调整：中")
    expect(page.locator("#item-B2")).to_contain_text("覆盖面一般")
    expect(page.locator("#score")).to_contain_text("总成绩 84")

    follow(page, "#confirm-sheet")
    expect(page.locator(".messages")).to_contain_text("考核表已确认")
    expect(page.locator("h1 .badge")).to_contain_text("已确认")
    expect(page.locator("#score")).to_contain_text("总成绩 84")
    expect(page.locator("#review-B2")).to_have_count(0)
    shot("confirmed")
    assert Sheet.objects.get(pk=sheet.pk).total == Decimal("84")


def test_a_veto_zeroes_a_county(page, live_server, world, login, logout, shot):
    sd = world
    campaign = services.open_campaign(actor=sd.jinan_cadre, rubric=sd.rubric, org=sd.jinan, year=sd.year,
                                      title=f"{sd.year}年度县区总工会经济技术工作考核",
                                      assessed=[sd.lixia, sd.shizhong])
    lixia = _sheet(campaign, sd.lixia)
    services.save_answers(actor=sd.county_cadre, sheet=lixia,
                          answers={k: v for k, v in _answers().items() if k != "V1"})
    shizhong = _submit(sd.shizhong_cadre, _sheet(campaign, sd.shizhong))
    _accept_all(sd.jinan_cadre, shizhong)
    services.confirm_sheet(actor=sd.jinan_cadre, sheet=shizhong)

    # 历下区 answers the veto: without what happened it is refused
    login("county_cadre")
    page.goto(f"{live_server.url}/assessments/sheets/{lixia.pk}/")
    expect(page.locator("#item-V1")).to_contain_text("发生重大安全生产责任事故")
    page.select_option("select[name=item_V1]", "是")
    follow(page, "#save-answers")
    expect(page.locator("#item-V1 [role=alert]")).to_contain_text("请说明发生的情况")
    assert lixia.answers.get(item="V1").value is None
    shot("veto-without-what-happened-refused")
    page.select_option("select[name=item_V1]", "是")
    page.fill("input[name=note_V1]", VETO_NOTE)
    follow(page, "#save-answers")
    expect(page.locator("#score")).to_contain_text("总成绩 0")
    expect(page.locator("#score .badge")).to_contain_text("一票否决")
    expect(page.locator("#score")).to_contain_text("否决前")
    follow(page, "#submit-sheet")
    expect(page.locator("h1 .badge")).to_contain_text("已提交")
    logout()

    # 济南 accepts the veto and confirms; every other item accepted (the services, as a reviewer would)
    _accept_all(sd.jinan_cadre, lixia, but=("V1",))
    login("jinan_cadre")
    page.goto(f"{live_server.url}/assessments/sheets/{lixia.pk}/")
    expect(page.locator("#item-V1")).to_contain_text("化工企业发生爆炸事故")
    _review(page, "V1", "accepted")
    follow(page, "#confirm-sheet")
    expect(page.locator("#score")).to_contain_text("总成绩 0")
    page.goto(f"{live_server.url}/assessments/{campaign.pk}/")
    follow(page, "form[action$='/rank/'] button")
    rows = page.locator("#sheets tbody tr")
    expect(rows.nth(0)).to_contain_text("市中区总工会")
    expect(rows.nth(1)).to_contain_text("历下区总工会")
    expect(rows.nth(1)).to_contain_text("一票否决")
    expect(rows.nth(1).locator("td").nth(0)).to_have_text("2")
    expect(rows.nth(1).locator("td").nth(3)).to_contain_text("0")
    expect(rows.nth(1).locator("td").nth(6)).to_have_text("不合格")
    shot("ranking-with-the-vetoed-county")
    follow(page, "#sheets a:has-text('历下区总工会')")
    expect(page.locator("#score")).to_contain_text("不合格")
    expect(page.locator("#veto-reason")).to_contain_text("考核结果为零分")  # the rule of the veto
    expect(page.locator("#item-V1")).to_contain_text(VETO_NOTE)
    shot("vetoed-sheet")
    assert Sheet.objects.get(pk=lixia.pk).total == 0


def test_the_province_ranks_publishes_and_decides_an_appeal(page, live_server, world, login, logout, shot,
                                                            tmp_path):
    sd = world
    for o, actor, changes in ((sd.jinan, sd.jinan_cadre, {}), (sd.qingdao, sd.qingdao_cadre, {}),
                              (sd.zibo, sd.zibo_cadre, {"A1": "差"})):  # 87, 87, 79
        sheet = _submit(actor, _sheet(sd.campaign, o), **changes)
        _accept_all(sd.province_admin, sheet)
        services.confirm_sheet(actor=sd.province_admin, sheet=sheet)
    jinan = _sheet(sd.campaign, sd.jinan)

    login("province_admin")
    page.goto(f"{live_server.url}/assessments/{sd.campaign.pk}/")
    expect(page.locator("#completeness")).to_contain_text("100%")
    follow(page, "form[action$='/rank/'] button")
    expect(page.locator(".messages")).to_contain_text("已排名评级")
    rows = page.locator("#sheets tbody tr")
    ranks = [rows.nth(i).locator("td").nth(0).inner_text() for i in range(3)]
    names = [rows.nth(i).locator("td").nth(1).inner_text() for i in range(3)]
    assert ranks == ["1", "1", "3"], ranks
    assert names[2] == "淄博市总工会" and set(names[:2]) == {"济南市总工会", "青岛市总工会"}
    expect(rows.nth(0).locator("td").nth(6)).to_have_text("良好")
    expect(rows.nth(2).locator("td").nth(6)).to_have_text("合格")
    shot("ranked")
    with page.expect_download() as got:
        page.locator(".page-head a[href='?export=xlsx']").click()
    assert got.value.suggested_filename.endswith(".xlsx")
    got.value.save_as(tmp_path / "ranking.xlsx")
    sheet_rows = read_xlsx(tmp_path / "ranking.xlsx")
    body = [r for r in sheet_rows if r and r[0] in (1, 3, "1", "3")]
    assert [(str(r[0]), r[1], r[7]) for r in body] == [
        ("1", names[0], "良好"), ("1", names[1], "良好"), ("3", "淄博市总工会", "合格")], sheet_rows
    follow(page, "form[action$='/publish/'] button")
    expect(page.locator("h1 .badge")).to_contain_text("已发布")
    logout()

    # 济南 reads the published ranking and its own result, and appeals
    login("jinan_cadre")
    page.goto(f"{live_server.url}/assessments/{sd.campaign.pk}/")
    expect(page.locator("#sheets")).to_contain_text("淄博市总工会")
    shot("published-ranking-seen-by-the-city")
    page.goto(f"{live_server.url}/assessments/sheets/{jinan.pk}/")
    expect(page.locator("#score")).to_contain_text("排名 1")
    expect(page.locator("#score")).to_contain_text("良好")
    page.fill("#appeal-form textarea[name=reason]", "B2竞赛覆盖全部10个县区，附件已补充，请求按“优”评定。")
    follow(page, "#appeal-form button")
    expect(page.locator(".messages")).to_contain_text("申诉已提交")
    shot("appeal-filed")
    logout()

    # the province upholds it: B2 良 → 优 (+3)
    login("province_admin")
    page.goto(f"{live_server.url}/assessments/sheets/{jinan.pk}/")
    form = page.locator("form[action*='/assessments/appeals/']")
    form.locator("select[name=outcome]").select_option("upheld")
    form.locator("textarea[name=reply]").fill("经核实，竞赛覆盖全市10个县区，予以认可。")
    form.locator("textarea[name=adjustments]").fill("B2=优")
    shot("decide-the-appeal")
    with page.expect_navigation():
        form.locator("button").click()
    expect(page.locator(".messages")).to_contain_text("申诉处理结果已记录")
    expect(page.locator("main")).to_contain_text("87 → 90")
    expect(page.locator("#score")).to_contain_text("总成绩 90")
    expect(page.locator("#score")).to_contain_text("优秀")
    page.goto(f"{live_server.url}/assessments/{sd.campaign.pk}/")
    first = page.locator("#sheets tbody tr").nth(0)
    expect(first).to_contain_text("济南市总工会")
    expect(page.locator("#sheets tbody tr").nth(1).locator("td").nth(0)).to_have_text("2")
    shot("ranking-after-the-appeal")
