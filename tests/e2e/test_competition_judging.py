"""Journeys: judging a round of 山东省第十届职工职业技能大赛 (车工, 济南 city qualifier) and what follows it.

Registration, the draws and check-in are done through the services (their own journeys show them), so each
journey starts with the round's sheets open for marking:

1. two judges, each on their own phone, mark the same contestant side by side, by 加密号 only;
2. the chief judge locks every entry on the board and decrypts with the supervisor;
3. the organiser publishes the results (公示), 李强 appeals from his phone, the upheld appeal moves him up;
4. after the notice the organiser confirms the results, and 李强's certificate is verified by its QR link."""

from __future__ import annotations

import datetime
import re
import zlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import segno
from django.utils import timezone
from playwright.sync_api import Page, expect

from gongjiang.competitions import services
from gongjiang.competitions.choices import AppealState, RoundState, SheetState
from gongjiang.competitions.models import Appeal, Certificate, Entry, Mark, Round, Sheet
from gongjiang.competitions.tests.factories import FULL_MARKS, assigned, end_notice, season, to_marking
from gongjiang.competitions.tests.test_services import graded, lock_all, mark_all, register_many

from .conftest import PASSWORD
from .helpers import either, follow

PHONE = {"width": 390, "height": 844}
JINAN_NAMES = ["李强", "济钢0", "济钢1", "济钢2"]  # the contestants of the 济南 round (register_many)


def at_marking(sd: Any) -> tuple[Round, dict[str, Any]]:
    """The 济南 round with its four contestants checked in, codes drawn and three judges' sheets open."""
    s = season(sd, theory_weight=0, practical_weight=100)  # practical only: no theory scores to enter
    register_many(sd, s)
    found = to_marking(sd, s.jinan_round)
    rnd = Round.objects.get(pk=s.jinan_round.pk)
    assert rnd.state == RoundState.MARKING
    return rnd, found


def decrypted(sd: Any, points: dict[str, str]) -> tuple[Round, dict[str, Any]]:
    """The round marked (B1.1 as `points` says, everything else full), locked and decrypted."""
    rnd, found = at_marking(sd)
    mark_all(rnd, graded(points))
    lock_all(rnd, found["chief"])
    services.decrypt(actor=found["chief"].user, rnd=rnd, supervisor_username=found["supervisor"].user.username,
                     supervisor_password=PASSWORD)
    rnd.refresh_from_db()
    return rnd, found


def aspect_pks(rnd: Round) -> dict[str, int]:
    return {a.code: a.pk for a in rnd.event.scheme.aspects.all()}


def sign_in(p: Page, live_server: Any, username: str) -> None:
    p.goto(f"{live_server.url}/login/")
    p.fill("input[name=username]", username)
    p.fill("input[name=password]", PASSWORD)
    p.click("button[type=submit]")
    p.wait_for_url(lambda url: "/login/" not in url)


class FullPage:
    """`shot(name, target=FullPage(p))`: a full-page screenshot of a page of another browser context."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def screenshot(self, path: str) -> None:
        self.page.screenshot(path=path, full_page=True)


@pytest.fixture
def phone(browser, browser_context_args) -> Iterator[Any]:
    """phone() opens a new browser context (its own cookies: one per judge) with a 390 px page."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(**{**browser_context_args, "viewport": PHONE})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def assert_no_names(p: Page, names: list[str]) -> None:
    """None of the names anywhere in the page: not in its text, nor hidden in its HTML."""
    html = p.content()
    for name in names:
        assert name not in html, f"{name} is on {p.url}"


def red(p: Page, selector: str) -> bool:
    rgb = p.eval_on_selector(selector, "el => getComputedStyle(el).color")
    r, g, b = (int(x) for x in re.findall(r"\d+", rgb)[:3])
    return r > 150 and g < 90 and b < 90


# ---------------------------------------------------------------------------------------------
# 1. Two judges mark the same contestant side by side, each on their own phone


def test_two_judges_mark_the_same_contestant_side_by_side_on_their_phones(
        live_server, province, phone, shot):
    rnd, _found = at_marking(province)
    li = Entry.objects.get(round=rnd, person=province.worker_person)
    names = [*JINAN_NAMES, li.unit.name]
    aspects = aspect_pks(rnd)
    judges = [rj.judge for rj in assigned(rnd)][:2]  # two of the three judges of the panel
    pages = [phone(), phone()]
    for p, j in zip(pages, judges, strict=True):
        sign_in(p, live_server, j.user.username)

    # Each opens 我的评分表 and finds 李强's sheet by its 加密号 only: no name, unit or contestant number.
    sheets = []
    for p, j in zip(pages, judges, strict=True):
        p.goto(f"{live_server.url}/judging/")
        expect(p.locator("h1")).to_have_text(either("My mark sheets", "我的评分"))
        expect(p.locator(".sheet-list a")).to_have_count(4)
        assert_no_names(p, names)
        sheet = Sheet.objects.get(entry=li, judge__judge=j)
        link = p.locator(".sheet-list a", has_text=li.code)
        expect(link).to_have_attribute("href", f"/judging/sheets/{sheet.pk}/")
        with p.expect_navigation():
            link.click()
        expect(p.locator(".sheet-head .code")).to_have_text(li.code)
        assert_no_names(p, names)
        assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "no sideways scrolling"
        sheets.append(sheet)
    shot("judge1-sheet", target=FullPage(pages[0]))

    def aspect(p: Page, code: str, rest: str = "") -> Any:
        return p.locator(f"#aspect-{aspects[code]} {rest}".strip())

    def saved(p: Page, code: str, text: str) -> None:
        status = p.locator(f"#status-{aspects[code]} .saved")
        expect(status).to_contain_text("✓")
        expect(status).to_contain_text(text)

    # The two judges work side by side on the same 加密号, aspect by aspect. (Their saves are interleaved, not
    # sent in the same millisecond: the test database, SQLite in memory, refuses truly parallel writes.)
    judgement = [("28.5", "27"), ("29", "26.5")]  # each judge's B1.1 and B1.2
    for p in pages:
        # A1.1 公差: the measured deviation, saved when the judge leaves the box.
        aspect(p, "A1.1", "input[name=deviation]").fill("0.01")
        aspect(p, "A1.1", "input[name=deviation]").blur()
        saved(p, "A1.1", "20")
    for p in pages:
        # A1.2 达标: a tap on 达标.
        aspect(p, "A1.2", "label.choice-btn:has(input[name=achieved][value='1'])").click()
        saved(p, "A1.2", "5")
    for p in pages:
        # A2.1 扣分: one 未戴护目镜 (−2) on the counter.
        aspect(p, "A2.1", ".counter:has(input[name=fault_S1]) button[data-counter='1']").click()
        saved(p, "A2.1", "13")
        expect(aspect(p, "A2.1", "input[name=fault_S1]")).to_have_value("1")
    for p, (b11, b12) in zip(pages, judgement, strict=True):
        # B1 评价分: each judge's own marks.
        aspect(p, "B1.1", "input[name=mark]").fill(b11)
        aspect(p, "B1.1", "input[name=mark]").blur()
        saved(p, "B1.1", b11)
        aspect(p, "B1.2", "input[name=mark]").fill(b12)
        aspect(p, "B1.2", "input[name=mark]").blur()
        saved(p, "B1.2", b12)
    expect(pages[0].locator("#sheet-total")).to_have_text("93.5")
    expect(pages[0].locator("#sheet-progress")).to_have_text("5/5")
    expect(pages[1].locator("#sheet-total")).to_have_text("93.5")
    shot("judge1-marked", target=FullPage(pages[0]))

    # A mark above the maximum is refused in red beside the aspect; the saved 27 stays.
    p = pages[0]
    aspect(p, "B1.2", "input[name=mark]").fill("35")
    aspect(p, "B1.2", "input[name=mark]").blur()
    error = p.locator(f"#status-{aspects['B1.2']} .error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("30")  # the maximum
    assert red(p, f"#status-{aspects['B1.2']} .error")
    saved(p, "B1.2", "27")
    expect(p.locator("#sheet-total")).to_have_text("93.5")
    error.scroll_into_view_if_needed()
    shot("judge1-refused", target=pages[0])  # the refusal as the judge sees it on the screen
    assert Mark.objects.get(sheet=sheets[0], aspect_id=aspects["B1.2"]).value == 2700

    # Neither judge lost a mark of the other: both sheets hold their five marks.
    for sheet, (b11, b12) in zip(sheets, judgement, strict=True):
        marks = dict(Mark.objects.filter(sheet=sheet).values_list("aspect_id", "value"))
        assert marks == {aspects["A1.1"]: 2000, aspects["A1.2"]: 500, aspects["A2.1"]: 1300,
                         aspects["B1.1"]: int(Decimal(b11) * 100), aspects["B1.2"]: int(Decimal(b12) * 100)}

    # The page closes and comes back: every mark is kept.
    for p, (b11, b12) in zip(pages, judgement, strict=True):
        p.reload()
        expect(aspect(p, "A1.1", "input[name=deviation]")).to_have_value("0.01")
        expect(aspect(p, "A1.2", "input[name=achieved][value='1']")).to_be_checked()
        expect(aspect(p, "A2.1", "input[name=fault_S1]")).to_have_value("1")
        expect(aspect(p, "B1.1", "input[name=mark]")).to_have_value(b11)
        expect(aspect(p, "B1.2", "input[name=mark]")).to_have_value(b12)
        expect(p.locator(".mark-status .saved")).to_have_count(5)
        expect(p.locator(".mark-status .error")).to_have_count(0)

    # 签字提交 (confirmed): the sheet is read-only and the next open sheet comes up.
    for p, sheet in zip(pages, sheets, strict=True):
        p.once("dialog", lambda dialog: dialog.accept())
        follow(p, f"form[action='/judging/sheets/{sheet.pk}/sign/'] button[type=submit]")
        expect(p.locator(".messages")).to_contain_text(li.code)
        assert p.url != f"{live_server.url}/judging/sheets/{sheet.pk}/"
        sheet.refresh_from_db()
        assert sheet.state == SheetState.SIGNED
    shot("judge1-signed", target=FullPage(pages[0]))
    first, second = pages
    first.goto(f"{live_server.url}/judging/sheets/{sheets[0].pk}/")
    expect(first.locator(".sheet-head .badge")).to_have_text(either("Signed", "已签字"))
    expect(first.locator("input[name=mark]")).to_have_count(0)  # read-only once signed
    assert_no_names(first, names)
    shot("judge1-signed-sheet", target=FullPage(first))
    # A judge never opens another judge's sheet: it does not exist for them.
    assert second.goto(f"{live_server.url}/judging/sheets/{sheets[0].pk}/").status == 404

    # The other sheets are marked through the services: everything is signed, nothing of theirs was lost.
    for rj in assigned(rnd):
        for sheet in Sheet.objects.filter(judge=rj, state=SheetState.OPEN):
            for code, pk in aspects.items():
                services.save_mark(actor=rj.judge.user, sheet_id=sheet.pk, aspect_id=pk, data=FULL_MARKS[code])
            services.sign_sheet(actor=rj.judge.user, sheet_id=sheet.pk)
    assert set(Sheet.objects.filter(round=rnd).values_list("state", flat=True)) == {SheetState.SIGNED}
    assert Mark.objects.get(sheet=sheets[1], aspect_id=aspects["B1.1"]).value == 2900
    first.goto(f"{live_server.url}/judging/")
    expect(first.locator(".sheet-list .badge-ok")).to_have_count(4)
    shot("judge1-all-signed", target=FullPage(first))


# ---------------------------------------------------------------------------------------------
# 2. The chief judge locks, then decrypts with the supervisor


def test_the_chief_judge_locks_the_round_and_decrypts_it_with_the_supervisor(
        page, live_server, province, login, logout, shot):
    rnd, found = at_marking(province)
    mark_all(rnd, graded({"济钢0": "25", "济钢1": "22", "济钢2": "20"}))
    chief, supervisor = found["chief"].user, found["supervisor"].user
    entries = list(Entry.objects.filter(round=rnd).order_by("code"))
    page.set_viewport_size(PHONE)

    # The chief judge's board: every entry by 加密号, its three signed sheets, a 锁定 button each.
    login(chief.username)
    page.goto(f"{live_server.url}/judging/")
    follow(page, f"#round-{rnd.pk} a[href='/judging/rounds/{rnd.pk}/chief/']")
    expect(page.locator("h1")).to_have_text(either("Chief judge's board", "裁判长工作台"))
    for e in entries:
        expect(page.locator(f"#code-{e.code}")).to_contain_text(e.code)
    assert_no_names(page, JINAN_NAMES)
    shot("board-signed")
    # Decryption is refused while sheets are unlocked (the page says how many).
    page.goto(f"{live_server.url}/judging/rounds/{rnd.pk}/decrypt/")
    expect(page.locator(".alert-warn")).to_contain_text("12")  # 4 entries × 3 judges
    page.goto(f"{live_server.url}/judging/rounds/{rnd.pk}/chief/")

    for e in entries:
        follow(page, f"form[action='/judging/rounds/{rnd.pk}/codes/{e.code}/lock/'] button[type=submit]")
        expect(page.locator(".messages")).to_contain_text(e.code)
        expect(page.locator(f"#code-{e.code} .badge").first).to_have_text(either("Locked", "已锁定"))
    expect(page.locator(".messages")).to_contain_text(either("Every sheet of the round is locked", "全部锁定"))
    assert set(Sheet.objects.filter(round=rnd).values_list("state", flat=True)) == {SheetState.LOCKED}
    rnd.refresh_from_db()
    assert rnd.state == RoundState.LOCKED and rnd.decrypted_at is None
    assert_no_names(page, JINAN_NAMES)
    shot("board-locked")

    # 解密: the supervisor types their user name and password; a wrong password is refused.
    follow(page, f".page-head a[href='/judging/rounds/{rnd.pk}/decrypt/']")
    expect(page.locator(".alert-warn")).to_have_count(0)
    page.fill("input[name=supervisor_username]", supervisor.username)
    page.fill("input[name=supervisor_password]", "not-the-password")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "form.stacked button[type=submit]")
    expect(page.locator(".alert-error")).to_contain_text(
        either("user name or password is incorrect", "用户名或密码错误"))
    rnd.refresh_from_db()
    assert rnd.decrypted_at is None and rnd.state == RoundState.LOCKED
    shot("decrypt-wrong-password")
    expect(page.locator("input[name=supervisor_password]")).to_have_value("")  # never sent back
    page.fill("input[name=supervisor_username]", supervisor.username)
    page.fill("input[name=supervisor_password]", PASSWORD)
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "form.stacked button[type=submit]")
    assert page.url.endswith(f"/judging/rounds/{rnd.pk}/chief/")
    expect(page.locator(".alert-ok")).to_be_visible()  # decrypted on …
    rnd.refresh_from_db()
    assert rnd.state == RoundState.DECRYPTED and rnd.decrypted_at is not None
    shot("decrypted")
    logout()

    # The organiser's results page now ranks the contestants by name.
    login("jinan_cadre")
    page.goto(f"{live_server.url}/competitions/rounds/{rnd.pk}/results/")
    ranking = page.locator("#ranking-rows tbody tr")
    expect(ranking).to_have_count(4)
    expect(ranking.first).to_contain_text("李强")
    for name in JINAN_NAMES:
        expect(page.locator("#ranking-rows")).to_contain_text(name)
    expect(page.locator(f"form[action='/competitions/rounds/{rnd.pk}/results/publish/']")).to_be_visible()
    shot("results-with-names")


# ---------------------------------------------------------------------------------------------
# 3. 公示, and an appeal that changes a rank


def test_the_results_go_on_public_notice_and_an_upheld_appeal_moves_li_qiang_up(
        page, live_server, province, login, logout, shot):
    rnd, _found = decrypted(province, {"李强": "20", "济钢0": "25", "济钢1": "22", "济钢2": "24"})
    li = Entry.objects.get(round=rnd, person=province.worker_person)
    assert li.place == 4
    until = timezone.localdate() + datetime.timedelta(days=5)

    # The organiser publishes the ranking until a chosen day.
    login("jinan_cadre")
    page.goto(f"{live_server.url}/competitions/rounds/{rnd.pk}/results/")
    publish = f"form[action='/competitions/rounds/{rnd.pk}/results/publish/']"
    week = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    expect(page.locator(f"{publish} input[name=publicity_until]")).to_have_value(week)  # a week, by default
    page.fill(f"{publish} input[name=publicity_until]", until.isoformat())
    shot("publish")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, f"{publish} button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(until.isoformat())
    rnd.refresh_from_db()
    assert rnd.state == RoundState.PUBLICITY and rnd.publicity_until == until
    logout()

    # The public notice: no log-in, the ranking with names and units, and how to object.
    page.goto(f"{live_server.url}/public/results/{rnd.pk}/")
    assert "/login/" not in page.url
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(3)).to_contain_text("李强")
    expect(rows.nth(3).locator("td").first).to_have_text("4")
    expect(page.locator(".alert-info")).to_contain_text(until.isoformat())
    assert li.person.id_number not in page.content()
    shot("public-notice")

    # 李强, on his phone, appeals from his entry.
    page.set_viewport_size(PHONE)
    login("worker")
    page.goto(f"{live_server.url}/competitions/my/")
    card = page.locator(f"#entry-{li.pk}")
    expect(card).to_contain_text("4")  # his place
    shot("worker-entry")
    follow(page, f"#entry-{li.pk} a[href='/competitions/entries/{li.pk}/appeal/']")
    page.fill("textarea[name=reason]", "B1.1 表面质量评分有误，请复核")
    shot("worker-appeal")
    follow(page, "form.stacked button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator(".card", has_text="B1.1 表面质量评分有误").locator(".badge-warn")).to_be_visible()
    appeal = Appeal.objects.get(entry=li)
    assert appeal.state == AppealState.FILED
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot("worker-appealed")
    logout()

    # The organiser upholds it on the decision page: B1.1 becomes 30 on both judges' sheets.
    page.set_viewport_size({"width": 1280, "height": 860})
    login("jinan_cadre")
    page.goto(f"{live_server.url}/competitions/rounds/{rnd.pk}/results/")
    follow(page, f"a[href='/competitions/rounds/{rnd.pk}/appeals/?state=filed']")
    follow(page, f"a[href='/competitions/appeals/{appeal.pk}/']")
    page.check("input[name=outcome][value=upheld]")
    page.fill("textarea[name=decision]", "经复议，B1.1 应为 30 分")
    b11 = aspect_pks(rnd)["B1.1"]
    sheets = list(Sheet.objects.filter(entry=li))
    for sheet in sheets:
        page.fill(f"input[name='m{sheet.pk}-{b11}']", "30")
    shot("appeal-decision")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, "form button[type=submit].btn-primary")
    expect(page.locator(".messages")).to_contain_text(re.compile(r"4\s*→\s*1"))
    shot("appeal-decided")

    # The ranking shows his new place.
    li.refresh_from_db()
    appeal.refresh_from_db()
    assert appeal.state == AppealState.UPHELD
    assert li.place == 1 and li.total == 10000
    page.goto(f"{live_server.url}/competitions/rounds/{rnd.pk}/results/")
    first = page.locator("#ranking-rows tbody tr").first
    expect(first).to_contain_text("李强")
    expect(first.locator("td").first).to_contain_text("1")
    shot("ranking-after-appeal")
    logout()
    page.goto(f"{live_server.url}/public/results/{rnd.pk}/")
    expect(page.locator("table.list tbody tr").first).to_contain_text("李强")
    expect(page.locator("table.list tbody tr").nth(3)).not_to_contain_text("李强")


# ---------------------------------------------------------------------------------------------
# 4. A certificate verified by its QR link


def qr_modules_in(pdf: bytes) -> set[tuple[int, int]]:
    """The dark modules (row, column) of the QR code drawn on the certificate. The view embeds segno's SVG,
    which WeasyPrint draws as one stroked path in the page's content: a line `x y m x2 y l` per run of dark
    modules, with y = row + 2.5 and x = column + 2 (a border of two modules)."""
    for m in re.finditer(rb"/Filter\s*/FlateDecode/Length (\d+)>>\s*stream\r?\n", pdf):
        try:
            content = zlib.decompress(pdf[m.end():m.end() + int(m.group(1))]).decode("latin-1")
        except zlib.error:
            continue
        start = content.find("3 0 0 3 0 0 cm")  # segno's scale=3
        if start < 0:
            continue
        path = content[start:content.index("\nB\n", start)]
        found = set()
        for x1, y, x2 in re.findall(r"^(\d+) (\d+)\.5 m\n(\d+) \2\.5 l$", path, re.M):
            found |= {(int(y) - 2, x - 2) for x in range(int(x1), int(x2))}
        return found
    return set()


def qr_modules_of(text: str) -> set[tuple[int, int]]:
    qr = segno.make(text, error="m")
    return {(r, c) for r, row in enumerate(qr.matrix) for c, dark in enumerate(row) if dark}


def test_a_certificate_is_verified_by_its_qr_link(page, live_server, province, login, logout, shot):
    rnd, _found = decrypted(province, {"济钢0": "25", "济钢1": "22", "济钢2": "20"})
    services.publish_results(actor=province.jinan_cadre, rnd=rnd, publicity_until=timezone.localdate())
    # The notice has run its course.
    end_notice(rnd)
    li = Entry.objects.get(round=rnd, person=province.worker_person)

    # The organiser confirms the results: the prize winners get their certificates.
    login("jinan_cadre")
    page.goto(f"{live_server.url}/competitions/rounds/{rnd.pk}/results/")
    page.once("dialog", lambda dialog: dialog.accept())
    follow(page, f"form[action='/competitions/rounds/{rnd.pk}/results/finalise/'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(either("certificates issued", "颁发获奖证书"))
    rnd.refresh_from_db()
    assert rnd.state == RoundState.FINAL
    cert = Certificate.objects.get(entry=li)
    shot("final")

    # His certificate, from the ranking: a PDF.
    link = page.locator(f"#ranking-rows a[href='/competitions/certificates/{cert.pk}.pdf']")
    expect(link).to_have_text(cert.number)
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    # Its QR code is the code of the verification link of the certificate's token (and of no other link).
    verify_url = f"{live_server.url}/public/certificates/{cert.token}/"
    drawn = qr_modules_in(pdf)
    assert drawn == qr_modules_of(verify_url), "the QR code on the certificate is not its verification link"
    assert drawn != qr_modules_of(f"{live_server.url}/public/certificates/{'x' * 16}/")
    logout()

    # Scanned on a phone, logged out: the certificate is valid, with its particulars.
    page.set_viewport_size(PHONE)
    page.goto(verify_url)
    assert "/login/" not in page.url
    expect(page.locator(".alert-ok")).to_be_visible()
    expect(page.locator("dl.props")).to_contain_text(cert.number)
    expect(page.locator("dl.props")).to_contain_text("李强")
    expect(page.locator("dl.props")).to_contain_text(cert.get_prize_display())
    shot("verified")

    # A made-up token: unknown.
    response = page.goto(f"{live_server.url}/public/certificates/{'x' * 24}/")
    assert response.status == 404
    expect(page.locator(".alert-error")).to_be_visible()
    expect(page.locator(".alert-ok")).to_have_count(0)
    shot("unknown")

