"""Journeys of issue 8's pages (a chief judge's bulk lock, a worker registering on the phone) and two things only a
browser shows: the evaluator's veto box beside its indicator on a phone, every city labelled on the participation
chart.

1. The chief judge ticks several contestants on the board and locks their sheets in one action: the button counts
   the ticks, the question says how many, a cancelled question changes nothing, a contestant whose sheet was
   returned in the meantime is left as it was and named with the reason, the header box ticks the page.
2. 李强, logged out on his phone, finds the 登录 link (no menu button that opens nothing), logs in, reads the
   one-event rule before registering, registers, and is told what happens next; the other event now says why it is
   closed (不可报名：每人限报一项).
3. An evaluator on a phone: the safety indicator's veto box sits on its input's row, and ticking it is saved.
4. The participation chart of twenty organisations (as many as it shows) gives each its label."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from playwright.sync_api import Page, expect

from gongjiang.competitions import services
from gongjiang.competitions.choices import EntryStatus, RoundState, SheetState
from gongjiang.competitions.models import Entry, Evaluation, Round, Sheet
from gongjiang.competitions.tests.factories import season, to_marking, worker
from gongjiang.competitions.tests.test_labour import project
from gongjiang.competitions.tests.test_services import register_many
from gongjiang.competitions.tests.test_views_judging import mark_sheet
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.tests.factories import org

from .conftest import PASSWORD
from .helpers import either, follow

PHONE = {"width": 390, "height": 844}


def states(entry: Entry) -> list[str]:
    return sorted(Sheet.objects.filter(entry=entry).values_list("state", flat=True))


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the page scrolls sideways"


# ---------------------------------------------------------------------------------------------
# 1. 锁定所选


def test_the_chief_judge_ticks_several_contestants_and_locks_their_sheets_in_one_action(
        page, live_server, province, login, shot):
    s = season(province, theory_weight=0, practical_weight=100)
    register_many(province, s)  # four contestants in the Jinan round
    found = to_marking(province, s.jinan_round)
    rnd = Round.objects.get(pk=s.jinan_round.pk)
    chief = found["chief"].user
    first, second, third, last = Entry.objects.filter(round=rnd).order_by("code")
    unsigned = Sheet.objects.filter(entry=last).order_by("pk").first()
    for sheet in Sheet.objects.filter(round=rnd).select_related("judge__judge__user").order_by("pk"):
        # every sheet marked and signed, but one of the last contestant's, which its judge has not signed yet
        mark_sheet(sheet.judge.judge.user, sheet, sign=sheet.pk != unsigned.pk)
    assert states(last).count(SheetState.OPEN) == 1
    asked: list[str] = []

    login(chief.username)
    page.goto(f"{live_server.url}/judging/rounds/{rnd.pk}/chief/")
    bar = page.locator("form#bulk-lock")
    button = bar.locator("button[data-batch-button]")
    expect(bar).to_be_visible()
    # A box for each contestant ready to lock: signed by every judge and agreeing — not the last one.
    boxes = page.locator("input[name=codes][form=bulk-lock]")
    expect(boxes).to_have_count(3)
    expect(page.locator(f"#code-{last.code} input[name=codes]")).to_have_count(0)
    expect(button).to_be_disabled()
    expect(button).to_contain_text("(0)")
    page.check(f"#code-{first.code} input[name=codes]")
    page.check(f"#code-{second.code} input[name=codes]")
    expect(button).to_be_enabled()
    expect(button).to_contain_text("(2)")
    shot("two-ticked")

    # The question names the number ticked; "cancel" changes nothing.
    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    button.click()
    page.wait_for_timeout(300)
    assert asked and "2" in asked[-1]
    assert either("Lock the sheets of the 2 selected contestants", "锁定所选 2 名选手").search(asked[-1])
    assert page.url.endswith(f"/judging/rounds/{rnd.pk}/chief/")
    assert states(first) == states(second) == [SheetState.SIGNED] * 3

    # Meanwhile the chief judge (on another device) returns one of the second contestant's sheets to its judge.
    returned = Sheet.objects.filter(entry=second).first()
    services.return_sheet(actor=chief, sheet_id=returned.pk, reason="复核测量")

    def accept(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    with page.expect_navigation():
        button.click()
    assert "2" in asked[-1]
    messages = page.locator(".messages")
    expect(messages.locator(".msg-success")).to_contain_text(first.code)
    expect(messages.locator(".msg-error").first).to_contain_text(either("1 contestant was not locked",
                                                                       "1 名选手未锁定"))
    expect(messages.locator(".msg-error", has_text=second.code)).to_contain_text(
        either("not signed yet", "尚未签字", "未签字"))
    assert states(first) == [SheetState.LOCKED] * 3
    assert SheetState.LOCKED not in states(second)  # left as it was, the returned sheet open again
    expect(page.locator(f"#code-{first.code} .badge").first).to_have_text(either("Locked", "已锁定"))
    shot("locked-and-report")

    # The returned sheet is signed again; the header box ticks every contestant of the page ready to lock.
    mark_sheet(returned.judge.judge.user, returned)
    page.reload()
    expect(boxes).to_have_count(2)  # the second and third (the first is locked, the last not ready)
    page.check("input[data-batch-all][form=bulk-lock]")
    expect(button).to_contain_text("(2)")
    shot("page-ticked")
    page.once("dialog", accept)
    with page.expect_navigation():
        button.click()
    assert "2" in asked[-1]
    expect(page.locator(".messages .msg-success")).to_contain_text(second.code)
    expect(page.locator(".messages .msg-success")).to_contain_text(third.code)
    assert states(second) == states(third) == [SheetState.LOCKED] * 3
    assert Round.objects.get(pk=rnd.pk).state == RoundState.MARKING  # the last contestant still waits
    expect(page.locator("input[name=codes][form=bulk-lock]")).to_have_count(0)
    shot("three-locked")


# ---------------------------------------------------------------------------------------------
# 2. A worker registers on his phone


def test_a_worker_registers_on_his_phone_and_reads_what_happens_next(page, live_server, province, shot):
    s = season(province)  # one event per worker
    fitting = services.add_event(actor=province.province_admin, competition=s.competition, name="钳工",
                                 members_only=False)
    services.open_rounds(actor=province.province_admin, stage=s.qualifier)
    page.set_viewport_size(PHONE)
    asked: list[str] = []

    # Logged out: no menu button (there is no menu to open), a 登录 link instead.
    page.goto(f"{live_server.url}/public/results/")
    expect(page.locator("label.nav-burger")).to_have_count(0)
    login_link = page.locator("header a.login-link")
    expect(login_link).to_be_visible()
    expect(login_link).to_have_text(either("Log in", "登录"))
    box = login_link.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    no_sideways_scroll(page)
    shot("logged-out")
    follow(page, "header a.login-link")
    page.fill("input[name=username]", "worker")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url.endswith("/public/results/")  # back where he was

    # 我的竞赛, from the menu: the one-event rule is said before he registers.
    page.click("label.nav-burger")
    follow(page, "aside.sidenav a[href='/competitions/my/']")
    card = page.locator("article.comp-card", has_text=s.competition.name)
    expect(card.locator(".one-event")).to_contain_text(either("One event per worker", "每人限报一个赛项"))
    turning = card.locator(".event-row", has_text="车工")
    fitting_row = card.locator(".event-row", has_text="钳工")
    expect(turning.locator("form button[type=submit]")).to_be_visible()
    expect(fitting_row.locator("form button[type=submit]")).to_be_visible()
    no_sideways_scroll(page)
    shot("before-registering")

    def accept(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    with page.expect_navigation():
        turning.locator("form button[type=submit]").click()
    assert either("only one event", "每人限报一项").search(asked[-1]), asked
    assert "  " not in asked[-1] and asked[-1] == asked[-1].strip()  # no stray spaces in the question
    entry = Entry.objects.get(person=province.worker_person)
    assert entry.round_id == s.jinan_round.pk and entry.status == EntryStatus.REGISTERED

    # What happens next: in the message, and on his registration.
    message = page.locator(".messages .msg-success")
    expect(message).to_contain_text("车工")
    expect(message).to_contain_text(either("Next:", "下一步"))
    expect(message).to_contain_text(either("admission ticket", "准考证"))
    mine = page.locator(f"#my-entries #entry-{entry.pk}")
    expect(mine.locator(".next-step")).to_contain_text(either("Next:", "下一步"))
    # 钳工 is now closed, and says why.
    expect(fitting_row.locator(".badge")).to_have_text(either("Closed: one event per worker", "不可报名：每人限报一项"))
    expect(fitting_row.locator("form")).to_have_count(0)
    assert not Entry.objects.filter(round__event=fitting).exists()
    no_sideways_scroll(page)
    shot("registered")
    mine.scroll_into_view_if_needed()
    shot("next-step", full_page=False)


# ---------------------------------------------------------------------------------------------
# 3. The evaluator's veto on a phone


def test_the_evaluators_veto_box_sits_beside_its_indicator_on_a_phone(page, live_server, province, login, shot):
    p = project(province)
    page.set_viewport_size(PHONE)
    login(p.a.username)
    page.goto(live_server.url + reverse("competitions:labour_evaluate", args=[p.competition.pk, p.periods[0].pk]))
    cell = page.locator(".lc-cell.lc-safety").first
    value = cell.locator("input[type=number]").bounding_box()
    veto = cell.locator(".lc-veto input[type=checkbox]").bounding_box()
    words = cell.locator(".lc-veto").bounding_box()
    middle = veto["y"] + veto["height"] / 2
    assert value["y"] <= middle <= value["y"] + value["height"], (value, veto)  # on the input's row
    assert veto["x"] >= value["x"] + value["width"], (value, veto)  # right beside it
    assert veto["x"] - (value["x"] + value["width"]) < 40
    assert words["x"] + words["width"] <= PHONE["width"]
    no_sideways_scroll(page)
    cell.scroll_into_view_if_needed()
    shot("veto", target=cell.locator("xpath=ancestor::fieldset[1]"))
    cell.locator(".lc-veto").click()  # the words tick the box too
    expect(cell.locator(".lc-status")).not_to_be_empty()
    assert Evaluation.objects.filter(period=p.periods[0], veto=True).count() == 1


# ---------------------------------------------------------------------------------------------
# 4. Every city on the participation chart


def test_the_participation_chart_labels_every_city(page, live_server, province, login, shot):
    s = season(province)
    register_many(province, s, n_jinan=2, n_qingdao=2)
    for i in range(18):  # with 济南 and 青岛: twenty, as many as the chart holds
        city = org(province.province, f"第{i + 1}市总工会", OrgKind.CITY, f"39{i:02d}")
        unit = org(city, f"第{i + 1}市企业工会", OrgKind.GRASSROOTS)
        for j in range(i % 3 + 1):
            Entry.objects.create(round=s.qingdao_round, person=worker(unit, f"职工{i}-{j}"), unit=unit,
                                 status=EntryStatus.REGISTERED)
    login("province_admin")
    for width in (1280, PHONE["width"]):
        page.set_viewport_size({"width": width, "height": 860})
        page.goto(f"{live_server.url}/competitions/{s.competition.pk}/participation/")
        rows = page.locator("table.list tbody tr")
        expect(rows).to_have_count(20)
        names = rows.locator("td:first-child").all_inner_texts()
        page.wait_for_function("() => window.echarts && echarts.getInstanceByDom("
                               "document.querySelector('[data-chart=participation]'))")
        shown = page.evaluate("""() => {
            const chart = echarts.getInstanceByDom(document.querySelector('[data-chart=participation]'));
            const axis = chart.getModel().getComponent('yAxis', 0).axis;
            return axis.getViewLabels().map((l) => l.formattedLabel);
        }""")
        assert sorted(shown) == sorted(n.strip() for n in names), (width, shown)
        page.wait_for_timeout(1500)  # the bars grow in (ECharts' animation)
        shot(f"participation-{width}")
