"""Journeys: registering for 山东省第十届职工职业技能大赛 and preparing a round for marking.

1. 李强 registers himself on his phone: he sees every event with what registering would give him (one event
   refuses him and says why), registers for 车工 and finds the entry under 我的报名.
2. 济钢's cadre enters the company's 电工团体 team from Excel: a bad row is reported cell by cell and nothing is
   registered; after the correction the team's entries appear on the unit page; the Jinan round's organiser
   draws the team's third member from the roster before two witnesses.
3. The Jinan cadre runs the Jinan round of 车工: approves and refuses registrations, draws the contestant
   numbers, checks contestants in at the door (on a phone), draws the stations and the 加密号, re-runs a draw
   record (一致), assigns the chief judge and opens the marking. The registrations export never holds a 加密号
   before decryption."""

from __future__ import annotations

import datetime
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from gongjiang.competitions import services
from gongjiang.competitions.choices import EntrySource, EntryStatus, JudgeRole, RoundState
from gongjiang.competitions.models import Draw, Entry, Sheet, Team
from gongjiang.competitions.tests.factories import judge, season, worker
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org
from gongjiang.orgs.tests import factories as of

from .helpers import either, follow, read_xlsx

PHONE = {"width": 390, "height": 844}
WITNESSES = [("监督员王某", "17"), ("选手代表李某", "42")]


def accept_confirmations(page) -> None:
    """The pages ask before irreversible steps (data-confirm → window.confirm): the user says yes."""
    page.on("dialog", lambda dialog: dialog.accept())


def fill_witnesses(form) -> None:
    for i, (name, number) in enumerate(WITNESSES):
        form.locator(f"input[name$='name_{i}']").fill(name)
        form.locator(f"input[name$='number_{i}']").fill(number)


def no_sideways_scroll(page, width: int = PHONE["width"]) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


# ---------------------------------------------------------------------------------------------
# 1. A worker registers


def test_a_worker_registers_himself_on_his_phone(page, live_server, province, login, shot):
    s = season(province)  # 车工: open to non-members, ages 18–55
    welding = services.add_event(actor=province.province_admin, competition=s.competition, name="焊工",
                                 members_only=True, min_grade=3)  # members only, 高级工 or above
    services.open_rounds(actor=province.province_admin, stage=s.qualifier)
    li = province.worker_person
    accept_confirmations(page)

    page.set_viewport_size(PHONE)
    login("worker")
    page.click("label.nav-burger")
    follow(page, "aside.sidenav a[href='/competitions/my/']")
    card = page.locator("article.comp-card", has_text=s.competition.name)
    expect(card).to_be_visible()
    no_sideways_scroll(page)
    shot("open-competitions")

    # 车工: eligible, with a register button, in the Jinan round of the city qualifier.
    register = f"form[action='/competitions/my/events/{s.event.pk}/register/']"
    turning = card.locator(".event-row", has=page.locator(register))
    expect(turning.locator(".badge-ok")).to_have_text(either("Eligible", "符合条件"))
    expect(turning).to_contain_text("济南市总工会")
    # 焊工: refused, with every reason, and no button.
    welding_row = card.locator(".event-row", has_text="焊工")
    expect(welding_row.locator(".badge-err")).to_have_text(either("Not eligible", "不符合条件"))
    reasons = welding_row.locator("ul.reasons li")
    expect(reasons).to_have_count(2)
    expect(reasons.filter(has_text=either("union member", "工会会员"))).to_have_count(1)
    expect(reasons.filter(has_text=either("skill grade", "技能等级"))).to_have_count(1)
    expect(welding_row.locator("form")).to_have_count(0)
    expect(page.locator("#my-entries .empty")).to_be_visible()

    # He registers for 车工 (the page asks first).
    follow(page, f"{register} button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("车工")
    entry = Entry.objects.get(person=li)
    assert (entry.round, entry.status, entry.source) == (s.jinan_round, EntryStatus.REGISTERED, EntrySource.SELF)
    assert not Entry.objects.filter(round__event=welding).exists()
    shot("registered")

    # 我的报名: the entry with its event, stage and status; the event card points to it.
    mine = page.locator(f"#my-entries #entry-{entry.pk}")
    expect(mine).to_contain_text("车工")
    expect(mine).to_contain_text("市级选拔赛")
    expect(mine.locator(".badge-ok")).to_be_visible()
    turning = card.locator(".event-row", has=page.locator(f"a[href='#entry-{entry.pk}']"))
    expect(turning).to_contain_text("车工")
    expect(turning.locator("form")).to_have_count(0)  # no second registration
    # one event per worker: 焊工 now also gives that reason
    expect(welding_row.locator("ul.reasons li")).to_have_count(3)
    no_sideways_scroll(page)
    shot("my-registration", target=mine)


# ---------------------------------------------------------------------------------------------
# 2. A unit imports a team


def test_a_unit_imports_its_team_from_excel_and_the_organiser_draws_the_rest(
        page, live_server, province, login, logout, shot, tmp_path):
    s = season(province)
    admin = province.province_admin
    electric = services.add_event(actor=admin, competition=s.competition, name="电工团体", is_team=True, team_size=3,
                                  team_drawn=1, members_only=False, exclude_leaders=False)
    services.update_competition(actor=admin, competition=s.competition, exclusive=False)
    services.open_rounds(actor=admin, stage=s.qualifier)
    ids = {"赵一": of.id_number(birth=datetime.date(1988, 6, 1)),
           "钱二": of.id_number(birth=datetime.date(1993, 2, 14))}
    for name, number in ids.items():
        of.person(province.team, name, id_number=number, is_front_line=True)
    for i in range(3):  # the rest of the roster, from which the third member is drawn
        worker(province.workshop, f"候选{i}")
    accept_confirmations(page)

    login("enterprise_cadre")
    follow(page, "aside.sidenav a[href='/competitions/unit/']")
    follow(page, "main .page-head a[href^='/competitions/unit/import/']")
    expect(page.locator("select[name=competition]")).to_have_value(str(s.competition.pk))
    expect(page.locator("select[name=org]")).to_have_value(str(province.steel.pk))
    shot("import-page")

    # The template: 身份证号, 姓名, 赛项, 备注 and an example row; a second sheet lists the events, the team
    # event with its two selected contestants per unit.
    with page.expect_download() as download:
        page.click(f"a[href='/competitions/unit/import/template.xlsx?competition={s.competition.pk}']")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    rows = read_xlsx(template)
    assert rows[0] == ["身份证号", "姓名", "赛项", "备注"] and len(rows) == 2
    events = {r[0]: r for r in read_xlsx(template, sheet=-1)[1:]}
    assert set(events) == {str(s.event), str(electric)}
    assert events[str(electric)][3] == 2

    def fill(path, *, typo: bool) -> None:
        wb = load_workbook(template)
        ws = wb.worksheets[0]
        ws.delete_rows(2)  # the example row
        ws.append([ids["赵一"], "赵一", "电工团体", "班组长"])
        ws.append([ids["钱二"], "钱贰" if typo else "钱二", "电工团体", ""])
        wb.save(path)

    # First upload: 钱二's name is mistyped.
    upload = tmp_path / "济钢电工团体报名.xlsx"
    fill(upload, typo=True)
    page.set_input_files("input[name=file]", str(upload))
    follow(page, "form[enctype='multipart/form-data'] button[type=submit]")
    status = page.locator("#import-status")
    expect(status.locator(".badge-err")).to_have_text(either("Has errors", "有错误"))
    errors = status.locator("tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.locator("td").nth(0)).to_have_text("3")
    expect(errors.locator("td").nth(1)).to_have_text("姓名")
    expect(errors.locator("td").nth(2)).to_contain_text("钱二")  # the roster's name
    expect(status.locator("a[href$='/errors.xlsx']")).to_be_visible()
    assert not Entry.objects.exists() and not Team.objects.exists(), "nothing is registered"
    shot("row-errors")

    # Corrected and uploaded again: the team is entered.
    follow(page, "#import-status a[href^='/competitions/unit/import/?competition=']")
    fill(upload, typo=False)
    page.set_input_files("input[name=file]", str(upload))
    follow(page, "form[enctype='multipart/form-data'] button[type=submit]")
    status = page.locator("#import-status")
    expect(status.locator(".badge-ok")).to_have_text(either("Done", "已完成"))
    expect(status.locator(".alert-ok")).to_contain_text(re.compile(r"2\D+0\D+0\D+1"))  # 2 registered, 1 team
    team = Team.objects.get()
    assert team.unit == province.steel and team.round.event == electric
    shot("imported")

    # The unit page: both selected contestants, in the team, waiting for the draw of the third.
    follow(page, f"#import-status a[href='/competitions/unit/?competition={s.competition.pk}']")
    table = page.locator("#unit-entries table")
    for name in ids:
        row = table.locator("tbody tr", has_text=name)
        expect(row).to_have_count(1)
        expect(row.locator(f"a[href='/competitions/teams/{team.pk}/']")).to_be_visible()
    expect(table).to_contain_text("班组长")  # the 备注 kept as a remark
    shot("unit-entries")
    follow(page, f"#unit-entries a[href='/competitions/teams/{team.pk}/']")
    expect(page.locator(f"form[action='/competitions/teams/{team.pk}/']")).to_have_count(0)  # the unit does not draw
    shot("team-before-draw")
    logout()

    # The Jinan round's organiser opens the team from the entries of her city and draws before witnesses.
    login("jinan_cadre")
    follow(page, "aside.sidenav a[href='/competitions/unit/']")
    follow(page, f"#unit-entries a[href='/competitions/teams/{team.pk}/']")
    form = page.locator(f"form[action='/competitions/teams/{team.pk}/']")
    fill_witnesses(form)
    shot("draw-form")
    follow(page, f"form[action='/competitions/teams/{team.pk}/'] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(team.name)
    members = page.locator("table.list tbody tr")
    expect(members).to_have_count(3)
    drawn = Entry.objects.get(team=team, source=EntrySource.DRAWN)
    assert drawn.person.name not in ids and drawn.person.employer.path.startswith(province.steel.path)
    expect(members.filter(has_text=drawn.person.name).locator(".badge-red")).to_be_visible()
    expect(page.locator("main")).to_contain_text("监督员王某")
    expect(page.locator("main")).to_contain_text("选手代表李某")
    expect(form).to_have_count(0)  # a draw is never repeated
    draw = Draw.objects.get(round=team.round)
    assert [w["name"] for w in draw.witnesses] == [w for w, _ in WITNESSES]
    shot("members-drawn")
    logout()

    # 济钢's cadre checks the draw from its record: re-run, it gives the same member (一致).
    login("enterprise_cadre")
    follow(page, "aside.sidenav a[href='/competitions/unit/']")
    expect(page.locator("#unit-entries tbody tr", has_text=drawn.person.name).locator(".badge-red")).to_be_visible()
    follow(page, f"#unit-entries a[href='/competitions/teams/{team.pk}/']")
    page.click(f"a[href='/competitions/draws/{draw.pk}/rerun/']")
    expect(page.locator(f"#rerun-{draw.pk} .badge-ok")).to_have_text(either("Consistent", "一致"))
    shot("team-draw-rerun")


# ---------------------------------------------------------------------------------------------
# 3. The organiser draws and anonymises


def test_the_organiser_draws_checks_in_anonymises_and_opens_marking(
        page, live_server, province, login, shot, tmp_path):
    s = season(province, requires_approval=True, theory_weight=0, practical_weight=100)
    rnd = s.jinan_round
    li = province.worker_person
    services.register(actor=province.worker, person=li, rnd=rnd)
    for name in ("赵一", "钱二", "孙三"):
        services.register(actor=province.enterprise_cadre, person=worker(province.workshop, name), rnd=rnd)
    # The judges come from the province's pool (the industry union, outside every city); the chief judge is
    # assigned in the browser.
    outside = Org.objects.get(kind=OrgKind.INDUSTRY)
    for i in range(3):
        services.assign_judge(actor=province.province_admin, rnd=rnd, judge=judge(province, f"judge{i}", outside,
                                                                                  name=f"裁判{i + 1}"))
    services.assign_judge(actor=province.province_admin, rnd=rnd, judge=judge(province, "super", outside, name="监督"),
                          role=JudgeRole.SUPERVISOR)
    chief = judge(province, "chief", outside, name="裁判长")
    accept_confirmations(page)
    round_url = f"/competitions/rounds/{rnd.pk}/"

    # The Jinan cadre finds her round from the competition page.
    login("jinan_cadre")
    follow(page, "aside.sidenav a[href='/competitions/']")
    follow(page, f"a[href='/competitions/{s.competition.pk}/']")
    follow(page, f"a[href='{round_url}']")
    assert page.url.endswith(round_url)
    rows = page.locator("#entry-rows tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.locator(".badge-warn")).to_have_count(4)  # all awaiting approval
    shot("registrations-pending")

    # 孙三 is refused with a reason; the other three are approved.
    sun = Entry.objects.get(round=rnd, person__name="孙三")
    follow(page, f"#entry-rows a[href='{round_url}entries/{sun.pk}/refuse/']")
    page.fill("[name=reason]", "未提交单位推荐表")
    shot("refuse")
    follow(page, "main form[method=post] button[type=submit]")
    for e in Entry.objects.filter(round=rnd, status=EntryStatus.PENDING).order_by("pk"):
        follow(page, f"form[action='{round_url}entries/{e.pk}/approve/'] button[type=submit]")
        expect(page.locator(".messages")).to_contain_text(e.person.name)
    statuses = dict(Entry.objects.filter(round=rnd).values_list("person__name", "status"))
    assert statuses == {"李强": "registered", "赵一": "registered", "钱二": "registered", "孙三": "refused"}
    expect(rows.locator(".badge-ok")).to_have_count(3)
    shot("registrations-decided")

    # 参赛号, before two witnesses (registration closes).
    follow(page, f"nav.round-tabs a[href='{round_url}draws/']")
    shot("draws-tab")
    numbers_form = page.locator(f"form[action='{round_url}draws/numbers/']")
    fill_witnesses(numbers_form)
    follow(page, f"form[action='{round_url}draws/numbers/'] button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#draw-numbers .badge-ok")).to_be_visible()
    rnd.refresh_from_db()
    assert rnd.state == RoundState.CHECKIN
    numbers = dict(Entry.objects.filter(round=rnd, status=EntryStatus.REGISTERED)
                   .values_list("person__name", "contestant_no"))
    assert len(numbers) == 3 and all(numbers.values()) and len(set(numbers.values())) == 3
    shot("numbers-drawn")

    # 检录 at the door, on a phone: 李强 by his number, 赵一 from the list of those missing; 钱二 never comes.
    page.set_viewport_size(PHONE)
    follow(page, f"nav.round-tabs a[href='{round_url}checkin/']")
    page.fill("#checkin-q", numbers["李强"])
    follow(page, "form[role=search] button[type=submit]")
    person = page.locator(".checkin-person")
    expect(person).to_contain_text("李强")
    shot("checkin-found", full_page=False)
    follow(page, f"form[action='{round_url}checkin/'][method=post] button[type=submit]")
    expect(page.locator(".messages")).to_contain_text(numbers["李强"])
    follow(page, f"main table a[href='?no={numbers['赵一']}']")
    follow(page, f".checkin-person form[action='{round_url}checkin/'] button[type=submit]")
    checked = set(Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).values_list("person__name", flat=True))
    assert checked == {"李强", "赵一"}
    expect(page.locator("main table tbody tr")).to_have_count(1)  # 钱二 still missing
    no_sideways_scroll(page)
    shot("checkin-two-of-three")

    # 赛位号 (first encryption) from the check-in page: 钱二 is marked absent.
    stations_form = page.locator(f"form[action='{round_url}draws/stations/']")
    fill_witnesses(stations_form)
    follow(page, f"form[action='{round_url}draws/stations/'] button[type=submit]")
    assert page.url.endswith(f"{round_url}checkin/")
    assert Entry.objects.get(round=rnd, person__name="钱二").status == EntryStatus.ABSENT
    assert all(Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).values_list("station_no", flat=True))
    shot("stations-drawn")

    # 加密号 (second encryption) on the draws tab; the record is sealed.
    page.set_viewport_size({"width": 1280, "height": 860})
    follow(page, f"nav.round-tabs a[href='{round_url}draws/']")
    codes_form = page.locator(f"form[action='{round_url}draws/codes/']")
    fill_witnesses(codes_form)
    follow(page, f"form[action='{round_url}draws/codes/'] button[type=submit]")
    codes = list(Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).values_list("code", flat=True))
    assert len(codes) == 2 and all(codes)
    content = page.locator("main").inner_text()
    assert not any(code in content for code in codes), "a 加密号 is shown before decryption"
    records = page.locator("main table.list tbody tr")
    expect(records).to_have_count(3)
    code_draw = Draw.objects.get(round=rnd, purpose__endswith="/ code")
    expect(records.filter(has=page.locator(f"a[href='/competitions/draws/{code_draw.pk}/']")).locator(".sealed")
           ).to_have_count(2)
    shot("codes-drawn-sealed")

    # Anyone may re-run a record: the contestant numbers come out the same (一致).
    number_draw = Draw.objects.get(round=rnd, purpose__endswith="/ contestant_no")
    page.click(f"a[href='/competitions/draws/{number_draw.pk}/rerun/']")
    expect(page.locator(f"#rerun-{number_draw.pk} .badge-ok")).to_have_text(either("Consistent", "一致"))
    shot("rerun-consistent", target=page.locator("main table.list"))
    follow(page, f"a[href='/competitions/draws/{number_draw.pk}/']")
    page.click(f"a[href='/competitions/draws/{number_draw.pk}/rerun/']")
    expect(page.locator(f"#rerun-{number_draw.pk} .badge-ok")).to_have_text(either("Consistent", "一致"))
    for name in ("监督员王某", "选手代表李某"):
        expect(page.locator("main")).to_contain_text(name)
    shot("draw-record")
    page.go_back()

    # The registrations export before decryption: stations yes, 加密号 no.
    page.goto(f"{live_server.url}{round_url}")
    with page.expect_download() as download:
        page.click("main .page-head a[href*='export=xlsx']")
    export = tmp_path / "export.xlsx"
    download.value.save_as(export)
    exported = read_xlsx(export)
    header, body = exported[0], exported[1:]
    assert len(body) == 4 and ("姓名" in header or "Name" in header)
    assert not any(h in ("加密号", "Anonymous code") for h in header)
    cells = {str(c) for r in exported for c in r if c is not None}
    assert not cells & set(codes), "the export holds a 加密号 before decryption"
    assert {numbers["李强"], numbers["赵一"]} <= cells

    # Judges: the chief judge is assigned here, then the marking opens.
    follow(page, f"nav.round-tabs a[href='{round_url}judges/']")
    page.select_option("select[name=judge]", str(chief.pk))
    page.select_option("select[name=role]", JudgeRole.CHIEF)
    follow(page, f"form[action='{round_url}judges/assign/'] button[type=submit]")
    expect(page.locator("main table.list tbody tr", has_text="裁判长").locator(".badge-red")).to_be_visible()
    shot("judges")
    follow(page, f"form[action='{round_url}marking/open/'] button[type=submit]")
    expect(page.locator(".messages")).to_be_visible()
    rnd.refresh_from_db()
    assert rnd.state == RoundState.MARKING
    assert Sheet.objects.filter(round=rnd).count() == 2 * 3  # two contestants, three judges each
    expect(page.locator("ol.round-steps [aria-current=step]")).to_have_text(either("Marking", "评分"))
    shot("marking-open")
