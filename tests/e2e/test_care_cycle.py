"""Journey: the province's Spring Festival 送温暖 cycle, from the archive's list to the bank's return.

The archive holds three households: 李强 (济钢) and 王芳 (青岛港) in deep hardship, 张伟 (济钢) in relative
hardship; the province's 春节送温暖 programme admits deep hardship only (1000 元 a household). The province's
administrator creates the cycle 2027年春节送温暖 on the programme's page with a budget of 2000 元 and builds the list
over the archive: 李强 and 王芳, 2000 元, nothing left. Adding 张伟 (600 元) is refused with the budget, the amount
listed and the overspend in Chinese, nothing listed; 王芳 is removed with her reason (she is helped by 青岛's own
cycle), and 张伟 is added with his. The administrator confirms the list (the board tells her that another cadre
approves it); the second administrator of the province approves it, makes the bank batch, downloads the bank's
Excel (references, holders, accounts, amounts — no ID number) and uploads the bank's return with both transfers
paid; the cycle is closed and shows 已对账."""

from __future__ import annotations

from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from gongjiang.care import services
from gongjiang.care.models import Cycle, Entitlement, HouseholdFile, Payment
from gongjiang.care.tests.factories import care, member, programme, second_admin
from gongjiang.orgs.tests.factories import id_number, person

from .helpers import either, follow, read_xlsx

NAME = "2027年春节送温暖"


def _act(page, cycle: Cycle, action: str) -> None:
    follow(page, f"form[action='/care/cycles/{cycle.pk}/{action}/'] button")


def test_a_warmth_cycle_is_built_adjusted_approved_paid_and_reconciled(page, live_server, province, login, logout,
                                                                       shot, tmp_path):
    sd = province
    cw = care(sd)
    li = cw.active()
    wang = cw.active(person=sd.qd_person)
    zhang_person = person(sd.steel, "张伟")
    zhang = cw.active(
        person=zhang_person, union=sd.steel, actor=sd.enterprise_cadre, causes=("unemployment",), members=[
        member("self", "张伟", zhang_person.id_number, "1500"),
        member("spouse", "刘敏", id_number(female=True), "0", work="unemployed"),
        member("child", "张晓", id_number(), "0", schooling="compulsory", work="student")])
    assert (li.grade, wang.grade, zhang.grade) == ("deep", "deep", "relative")
    warmth = programme(cw, eligibility_rule={"grades": ["deep"]})
    for f, holder, number in ((li, "李强", "6222020200112233445"), (zhang, "张伟", "6222020200998877665")):
        services.set_payee_account(actor=sd.enterprise_cadre, file=f, holder=holder, bank_name="中国工商银行",
                                   number=number)
    second = second_admin(cw)

    # The province's administrator: the programme's page → a new cycle with its budget.
    login("province_admin")
    page.goto(f"{live_server.url}/care/programmes/")
    follow(page, f"a[href='/care/programmes/{warmth.pk}/']")
    page.fill("#id_name", NAME)
    page.fill("#id_year", "2027")
    page.fill("#id_budget", "2000")
    shot("new-cycle")
    follow(page, "#cycle-form button[type=submit]")
    cycle = Cycle.objects.get(name=NAME)
    assert page.url.endswith(f"/care/cycles/{cycle.pk}/")

    # The list over the archive: the two households in deep hardship, the whole budget.
    _act(page, cycle, "build")
    expect(page.locator(".messages")).to_contain_text(either("2 households", "2户"))
    rows = page.locator("#entitlements tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#entitlements")).to_contain_text("李强")
    expect(page.locator("#entitlements")).to_contain_text("王芳")
    expect(page.locator("#entitlements")).not_to_contain_text("张伟")
    expect(page.locator("#totals tbody tr").first).to_contain_text("2000")
    shot("list-built")

    # 张伟 added by the province: 600 元 more than the budget holds — refused, nothing listed.
    page.select_option("#add-form select[name=org]", str(sd.province.pk))
    page.fill("#add-form input[name=file]", str(zhang.pk))
    page.fill("#add-form input[name=reason]", "妻子失业，子女就学，春节前走访核实")
    follow(page, "#add-form button")
    expect(page.locator(".messages")).to_contain_text(either("Over budget", "超出预算"))
    expect(page.locator(".messages")).to_contain_text(either("600", "再增加600"))
    assert not Entitlement.objects.filter(cycle=cycle, file=zhang).exists()
    shot("addition-over-budget-refused")

    # 王芳 removed with the reason, then 张伟 added with his.
    gone = Entitlement.objects.get(cycle=cycle, file=wang)
    form = page.locator(f"#entitlement-{gone.pk} form")
    form.locator("select[name=org]").select_option(str(sd.province.pk))
    form.locator("input[name=reason]").fill("已列入青岛市总工会春节送温暖批次")
    with page.expect_navigation():
        form.locator("button").click()
    expect(page.locator(".messages")).to_contain_text(either("removed from the list", "移出"))
    expect(page.locator(f"#entitlement-{gone.pk}")).to_contain_text("已列入青岛市总工会春节送温暖批次")
    page.select_option("#add-form select[name=org]", str(sd.province.pk))
    page.fill("#add-form input[name=file]", str(zhang.pk))
    page.fill("#add-form input[name=reason]", "妻子失业，子女就学，春节前走访核实")
    follow(page, "#add-form button")
    expect(page.locator(".messages")).to_contain_text(either("added to the list", "增补"))
    added = Entitlement.objects.get(cycle=cycle, file=zhang)
    expect(page.locator(f"#entitlement-{added.pk}")).to_contain_text("妻子失业，子女就学，春节前走访核实")
    expect(page.locator("#totals tbody tr").first).to_contain_text("1600")
    shot("list-adjusted")

    # Confirmed by this administrator, who is not offered the approval: another cadre of the province approves.
    _act(page, cycle, "confirm")
    expect(page.locator(".page-head .badge")).to_contain_text(either("List confirmed", "名单确认"))
    expect(page.locator(f"form[action='/care/cycles/{cycle.pk}/approve/']")).to_have_count(0)
    expect(page.locator("#approval-note")).to_contain_text(either("another cadre of", "另一名干部审批"))
    assert Cycle.objects.get(pk=cycle.pk).state == "listed"
    shot("confirmed-awaiting-another-cadre")
    logout()

    # The second administrator approves, makes the bank batch and downloads the bank's Excel.
    login(second.username)
    page.goto(f"{live_server.url}/care/cycles/{cycle.pk}/")
    _act(page, cycle, "approve")
    expect(page.locator(".messages")).to_contain_text(either("Cycle approved", "已批准"))
    page.select_option("#payments select[name=org]", str(sd.province.pk))
    follow(page, "#payments form[action$='/batch/'] button")
    batch = cycle.batches.get()
    expect(page.locator("#batches tbody tr")).to_have_count(1)
    shot("approved-with-the-bank-batch")
    with page.expect_download() as info:
        page.click(f"#batches a[href='/care/batches/{batch.pk}/export/']")
    assert info.value.suggested_filename.endswith(".xlsx")
    info.value.save_as(tmp_path / "代发表.xlsx")
    sheet = read_xlsx(tmp_path / "代发表.xlsx")
    header, body = sheet[0], sheet[1:]
    assert "付款参考号" in header and len(body) == 2
    assert {str(r[header.index("付款参考号")]) for r in body} == set(batch.payments.values_list("reference", flat=True))
    flat = " ".join(str(v) for r in sheet for v in r)
    assert "6222020200112233445" in flat
    assert li.person.id_number not in flat and zhang_person.id_number not in flat

    # The bank's return: both transfers paid today; uploaded on the batch's row.
    wb = Workbook()
    ws = wb.active
    ws.append(["付款参考号", "结果", "日期", "说明"])
    for r in body:
        ws.append([r[header.index("付款参考号")], "成功", timezone.localdate().isoformat(), ""])
    returned = tmp_path / "银行回单.xlsx"
    wb.save(returned)
    page.set_input_files(f"form[action='/care/batches/{batch.pk}/reconcile/'] input[type=file]", str(returned))
    follow(page, f"form[action='/care/batches/{batch.pk}/reconcile/'] button")
    expect(page.locator(".messages")).to_contain_text(either("2 paid", "成功2"))
    assert set(Payment.objects.filter(batch=batch).values_list("state", flat=True)) == {"paid"}
    shot("reconciled-from-the-return")

    # Every household on the list paid: the cycle is closed as reconciled.
    _act(page, cycle, "close")
    expect(page.locator(".page-head .badge")).to_contain_text(either("Reconciled", "已对账"))
    assert Cycle.objects.get(pk=cycle.pk).state == "reconciled"
    assert HouseholdFile.objects.filter(pk=wang.pk, status="active").exists()
    shot("cycle-reconciled")
