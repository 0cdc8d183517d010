"""Issue 8, pages: what a new user found on the competitions' pages, each as a behaviour that fails when it breaks.

- 6: every round page and tab has breadcrumbs back to its competition; the participation page is linked from the
  competition's page for those who may open it (its chart's labels: tests/e2e/test_pages_issue8.py).
- 10: the chief judge locks the ticked contestants' sheets in one action (锁定所选): the board offers only the
  entries ready to lock and asks with the number ticked; those not locked are named with the reason; nothing
  changes on bad input or for anybody but the round's chief judge.
- 11: labour competitions are not listed among the skills competitions.
- 12: worker registration on the phone — the one-event rule before registering and as the reason other events are
  closed, what happens next, the menu the public notice names, the log-in link and no dead menu button for a
  visitor, the 承办单位 label, the evaluator's veto beside its indicator, a favicon.
- 13: a person's page shows their competitions, places, prizes, certificates and promotions — only what the viewer
  may see, never a 加密号, at a constant number of queries.
"""

from __future__ import annotations

import datetime
import io
import re
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongjiang.competitions import services
from gongjiang.competitions.choices import EntryStatus, JudgeRole, PromotionState, RoundState, SheetState
from gongjiang.competitions.models import Draw, Entry, Promotion, Round, RoundJudge, Sheet
from gongjiang.competitions.tests.factories import FULL_MARKS, season, to_marking
from gongjiang.competitions.tests.test_labour import project
from gongjiang.competitions.tests.test_services import graded, lock_all, mark_all, register_many
from gongjiang.competitions.tests.test_views_judging import build, mark_sheet, messages_of
from gongjiang.competitions.tests.test_views_results import decrypt, end_notice
from gongjiang.core.models import AuditEvent
from gongjiang.orgs.models import Person

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def crumbs(html: str) -> list[tuple[str, str]]:
    """The page's breadcrumbs (the first nav.breadcrumbs) as (text, href — "" for a crumb that is not a link)."""
    nav = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', html, re.S)
    assert nav, "the page has no breadcrumbs"
    found = []
    for li in re.findall(r"<li>(.*?)</li>", nav.group(1), re.S):
        link = re.search(r'<a href="([^"]+)"', li)
        found.append((unescape(re.sub(r"<[^>]+>", "", li)).strip(), link.group(1) if link else ""))
    return found


def chief_of(rnd: Round) -> Any:
    return RoundJudge.objects.get(round=rnd, role=JudgeRole.CHIEF).judge.user


def decrypted_season(sd: Any, points: dict[str, str]) -> Any:
    """The Jinan round of the city qualifier (李强, 济钢0, 济钢1) marked as `points` say, locked and decrypted."""
    s = season(sd, theory_weight=0, practical_weight=100)
    register_many(sd, s, n_jinan=3, n_qingdao=1)
    found = to_marking(sd, s.jinan_round)
    mark_all(s.jinan_round, graded(points))
    lock_all(s.jinan_round, found["chief"])
    decrypt(found, s.jinan_round)
    s.jinan_round.refresh_from_db()
    return s


@pytest.fixture
def decrypted(sd):
    return decrypted_season(sd, {"李强": "20", "济钢0": "25", "济钢1": "22"})


@pytest.fixture
def published(sd, decrypted):
    """The decrypted round on public notice."""
    services.publish_results(actor=sd.province_admin, rnd=decrypted.jinan_round,
                             publicity_until=timezone.localdate() + datetime.timedelta(days=5))
    decrypted.jinan_round.refresh_from_db()
    return decrypted


# ---------------------------------------------------------------------------------------------
# 6. Round pages lead back to their competition; the participation page is linked


def test_every_round_page_and_tab_has_breadcrumbs_back_to_its_competition(client, sd, published):
    rnd, competition = published.jinan_round, published.competition
    to_competition = (competition.name, reverse("competitions:competition_detail", args=[competition.pk]))
    round_crumb = (f"{rnd.event.name} · {rnd.organiser.display_name}",
                   reverse("competitions:round_detail", args=[rnd.pk]))
    draw = Draw.objects.filter(round=rnd).first()
    pages_of_the_organiser = {
        "round_detail": "Registrations", "round_draws": "Draws", "round_checkin": "Check-in",
        "round_judges": "Judges", "round_results": "Results", "round_analysis": "Analysis", "appeal_list": "Appeals",
    }
    client.force_login(sd.jinan_cadre)
    for name, here in pages_of_the_organiser.items():
        response = client.get(reverse(f"competitions:{name}", args=[rnd.pk]))
        assert response.status_code == 200, name
        trail = crumbs(response.content.decode())
        assert trail[0] == ("Skills competitions", reverse("competitions:competition_list")), name
        assert to_competition in trail and round_crumb in trail, (name, trail)
        assert trail[-1] == (here, ""), (name, trail)  # the page itself, not a link
    trail = crumbs(client.get(reverse("competitions:draw_detail", args=[draw.pk])).content.decode())
    assert to_competition in trail and round_crumb in trail and trail[-1] == ("Draw record", "")
    # The round's tabs themselves: every tab of the round's header, the results among them once published.
    html = client.get(reverse("competitions:round_detail", args=[rnd.pk])).content.decode()
    tabs = re.search(r'<nav class="round-tabs".*?</nav>', html, re.S).group(0)
    for name in ("round_detail", "round_draws", "round_checkin", "round_judges", "round_results"):
        assert f'href="{reverse(f"competitions:{name}", args=[rnd.pk])}"' in tabs, name

    # The chief judge's pages: their mark sheets, the competition, the board below the round.
    client.force_login(chief_of(rnd))
    board = reverse("competitions:chief_board", args=[rnd.pk])
    for url, here in ((board, "Chief judge's board"),
                      (reverse("competitions:round_decrypt", args=[rnd.pk]), "Decryption"),
                      (reverse("competitions:round_recheck", args=[rnd.pk]), "Re-check")):
        trail = crumbs(client.get(url).content.decode())
        assert trail[0] == ("My mark sheets", reverse("competitions:judge_home")), (url, trail)
        assert trail[-1] == (here, ""), (url, trail)
        if url != board:
            assert ("Chief judge's board", board) in trail, (url, trail)

    # The contestant's appeal page: their competitions, the competition, the round's published results.
    client.force_login(sd.worker)
    entry = Entry.objects.get(round=rnd, person=sd.worker_person)
    trail = crumbs(client.get(reverse("competitions:appeal_file", args=[entry.pk])).content.decode())
    assert trail[0] == ("My competitions", reverse("competitions:my_competitions"))
    assert to_competition in trail
    assert round_crumb[0] in [label for label, _href in trail]
    for label, href in trail[:-1]:  # every link of the trail opens for them
        assert client.get(href.split("#")[0]).status_code == 200, (label, href)


def test_the_participation_page_is_linked_from_the_competition_page_for_those_who_may_open_it(
        client, sd, published):
    competition = published.competition
    detail = reverse("competitions:competition_detail", args=[competition.pk])
    participation = reverse("competitions:competition_participation", args=[competition.pk])
    for persona in ("province_admin", "jinan_cadre", "county_cadre", "enterprise_cadre"):
        client.force_login(getattr(sd, persona))
        assert f'href="{participation}"' in client.get(detail).content.decode(), persona
        assert client.get(participation).status_code == 200, persona
    # A worker reads the competition's page, but the figures are not for them: no link that would answer 403.
    client.force_login(sd.worker)
    page = client.get(detail)
    assert page.status_code == 200 and client.get(participation).status_code == 403
    assert participation not in page.content.decode()


# ---------------------------------------------------------------------------------------------
# 10. The chief judge locks the ticked contestants' sheets in one action


@pytest.fixture
def board(sd):
    """The Jinan round in marking with four contestants, by 加密号: the first two signed by every judge and agreeing
    (ready), the third with a sheet still open, the fourth signed but with the judges' measurements differing."""
    m = build(sd, n=4)
    entries = list(Entry.objects.filter(round=m.rnd).order_by("code"))
    ready, unsigned, disagreeing = entries[:2], entries[2], entries[3]
    for e in ready:
        for sheet in Sheet.objects.filter(entry=e).select_related("judge__judge__user"):
            mark_sheet(sheet.judge.judge.user, sheet)
    for i, sheet in enumerate(Sheet.objects.filter(entry=unsigned).select_related("judge__judge__user")):
        mark_sheet(sheet.judge.judge.user, sheet, sign=i > 0)
    for i, sheet in enumerate(Sheet.objects.filter(entry=disagreeing).select_related("judge__judge__user")):
        mark_sheet(sheet.judge.judge.user, sheet, {**FULL_MARKS, "A1.1": {"deviation": "0.04" if i else "0.01"}})
    m.ready, m.unsigned, m.disagreeing = ready, unsigned, disagreeing
    return m


def sheet_states(rnd: Round) -> dict[str, list[str]]:
    states: dict[str, list[str]] = {}
    for code, state in Sheet.objects.filter(round=rnd).order_by("entry__code", "pk").values_list("entry__code",
                                                                                               "state"):
        states.setdefault(code, []).append(state)
    return states


def test_the_board_offers_the_entries_ready_to_lock_and_asks_with_the_number_ticked(client, board):
    client.force_login(board.chief)
    html = client.get(reverse("competitions:chief_board", args=[board.rnd.pk])).content.decode()
    form = re.search(r'<form id="bulk-lock"[^>]*>', html).group(0)
    assert f'action="{reverse("competitions:entries_lock", args=[board.rnd.pk])}"' in form
    # The question the page asks on submit: the number of contestants ticked at that moment ({n}, judging.js).
    assert "Lock the sheets of the {n} selected contestants?" in unescape(form)
    ticks = re.findall(r'<input type="checkbox" name="codes" value="([^"]+)" form="bulk-lock"', html)
    assert ticks == [e.code for e in board.ready]  # not the unsigned one, not the disagreeing one
    assert 'data-batch-all form="bulk-lock"' in html
    # The supervisor reads the board: nothing to tick.
    client.force_login(board.supervisor)
    html = client.get(reverse("competitions:chief_board", args=[board.rnd.pk])).content.decode()
    assert 'id="bulk-lock"' not in html and 'name="codes"' not in html


def test_the_chief_judge_locks_the_ticked_entries_and_is_told_which_were_not_and_why(client, board):
    client.force_login(board.chief)
    codes = [e.code for e in (*board.ready, board.unsigned, board.disagreeing)] + ["999999"]
    response = client.post(reverse("competitions:entries_lock", args=[board.rnd.pk]), {"codes": codes})
    assert response.status_code == 302
    assert response.url == reverse("competitions:chief_board", args=[board.rnd.pk])
    states = sheet_states(board.rnd)
    for e in board.ready:
        assert states[e.code] == [SheetState.LOCKED] * 3
    assert sorted(states[board.unsigned.code]) == [SheetState.OPEN, SheetState.SIGNED, SheetState.SIGNED]
    assert states[board.disagreeing.code] == [SheetState.SIGNED] * 3  # left as it was
    said = messages_of(response)
    locked = "、".join(e.code for e in board.ready)
    assert f"2 contestants' sheets are locked: {locked}." in said
    assert "3 contestants were not locked and are left as they were:" in said
    reasons = " | ".join(said)
    assert f"{board.unsigned.code}: 1 sheets are not signed yet." in reasons
    assert re.search(rf"{board.disagreeing.code}.*must agree", reasons)
    assert "999999 is not an anonymous code of this round." in reasons
    # Each locked entry is audited as a single lock is; the round waits for the others.
    audited = AuditEvent.objects.filter(verb="competitions.entry.locked").values_list("after", flat=True)
    assert sorted(a["code"] for a in audited) == [e.code for e in board.ready]
    assert Round.objects.get(pk=board.rnd.pk).state == RoundState.MARKING


def test_the_bulk_lock_reports_in_the_chief_judges_language(board):
    """The report in Chinese: a catalogue entry with other placeholders than the English once made it a 500."""
    zh = Client(**ZH)
    zh.force_login(board.chief)
    codes = [board.ready[0].code, board.unsigned.code]
    response = zh.post(reverse("competitions:entries_lock", args=[board.rnd.pk]), {"codes": codes})
    assert response.status_code == 302
    said = messages_of(response)
    assert f"已锁定 1 名选手的评分表：{board.ready[0].code}。" in said
    assert "1 名选手未锁定，保持原状：" in said
    html = zh.get(response.url).content.decode()
    assert "确定锁定所选 {n} 名选手的评分表吗？" in unescape(html)


@pytest.mark.parametrize("codes", [[], [""], ["   "]])
def test_a_bulk_lock_with_nothing_ticked_is_refused_and_changes_nothing(client, board, codes):
    before = sheet_states(board.rnd)
    client.force_login(board.chief)
    response = client.post(reverse("competitions:entries_lock", args=[board.rnd.pk]), {"codes": codes})
    assert response.status_code == 302
    assert messages_of(response) == ["Choose the contestants whose sheets you lock."]
    assert sheet_states(board.rnd) == before
    assert not AuditEvent.objects.filter(verb="competitions.entry.locked").exists()


def test_only_the_rounds_chief_judge_locks_in_bulk(client, sd, board):
    before = sheet_states(board.rnd)
    url = reverse("competitions:entries_lock", args=[board.rnd.pk])
    codes = {"codes": [e.code for e in board.ready]}
    assert client.post(url, codes).status_code == 302  # anonymous: to the log-in page
    for user, status in ((board.judges[0], 403), (board.supervisor, 403), (board.stranger, 404),
                         (sd.jinan_cadre, 404), (sd.province_admin, 404), (sd.worker, 404)):
        client.force_login(user)
        assert client.post(url, codes).status_code == status, user
    client.force_login(board.chief)
    assert client.get(url).status_code == 405  # a lock is a POST
    assert sheet_states(board.rnd) == before
    # The codes of this round are for this round: the chief judge of the Qingdao round locks nothing here.
    other = RoundJudge.objects.filter(round=board.s.qingdao_round, role=JudgeRole.JUDGE).first().judge.user
    client.force_login(other)
    assert client.post(url, codes).status_code == 404
    assert sheet_states(board.rnd) == before


def test_locking_the_last_entries_in_one_action_locks_the_round_and_a_second_try_changes_nothing(client, board):
    for sheet in Sheet.objects.filter(round=board.rnd, state=SheetState.OPEN).select_related("judge__judge__user"):
        mark_sheet(sheet.judge.judge.user, sheet)
    for sheet in Sheet.objects.filter(entry=board.disagreeing).select_related("judge__judge__user"):
        services.return_sheet(actor=board.chief, sheet_id=sheet.pk, reason="复核测量")
        mark_sheet(sheet.judge.judge.user, sheet)
    client.force_login(board.chief)
    url = reverse("competitions:entries_lock", args=[board.rnd.pk])
    codes = list(Entry.objects.filter(round=board.rnd).values_list("code", flat=True))
    response = client.post(url, {"codes": codes})
    assert "Every sheet of the round is locked: draw the re-check, then decrypt." in messages_of(response)
    assert Round.objects.get(pk=board.rnd.pk).state == RoundState.LOCKED
    assert set(Sheet.objects.filter(round=board.rnd).values_list("state", flat=True)) == {SheetState.LOCKED}
    events = AuditEvent.objects.count()
    again = client.post(url, {"codes": codes})
    assert messages_of(again)[-1] == "This cannot be done while the state is “All sheets locked”."
    assert AuditEvent.objects.count() == events  # refused, nothing written
    html = client.get(reverse("competitions:chief_board", args=[board.rnd.pk])).content.decode()
    assert 'id="bulk-lock"' not in html  # nothing left to lock: no bar


# ---------------------------------------------------------------------------------------------
# 11. Labour competitions are not skills competitions


def test_a_labour_competition_is_listed_with_the_labour_competitions_not_the_skills_ones(client, sd):
    skills = season(sd).competition
    labour = project(sd).competition
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("competitions:competition_list"))
    assert [c.pk for c in response.context["rows"]] == [skills.pk]
    html = response.content.decode()
    assert skills.name in html and labour.name not in html
    assert "kind" not in response.context["form"].fields  # no "kind" filter that would bring it back
    assert f'href="{reverse("competitions:labour_list")}"' in html  # where the labour competitions are
    assert "1 skills competition" in html
    export = client.get(reverse("competitions:competition_list"), {"export": "xlsx"})
    names = [row[0] for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(min_row=2, values_only=True)]
    assert names == [skills.name]
    labour_list = client.get(reverse("competitions:labour_list"))
    assert labour.name in labour_list.content.decode() and skills.name not in labour_list.content.decode()


# ---------------------------------------------------------------------------------------------
# 12. A worker registers on the phone


@pytest.fixture
def two_events(sd):
    """The competition (one event per worker) with 车工 and 钳工, both open to 李强 in the Jinan round."""
    s = season(sd)
    fitting = services.add_event(actor=sd.province_admin, competition=s.competition, name="钳工", members_only=False)
    services.open_rounds(actor=sd.province_admin, stage=s.qualifier)
    return s, fitting


def event_row(html: str, name: str) -> str:
    rows = re.findall(r'<div class="event-row">.*?(?=<div class="event-row">|</article>)', html, re.S)
    [row] = [r for r in rows if f"<strong>{name}" in r]
    return row


def test_the_worker_is_told_the_one_event_rule_before_registering_and_why_the_others_are_closed_after(
        client, sd, two_events):
    s, fitting = two_events
    client.force_login(sd.worker)
    url = reverse("competitions:my_competitions")
    html = client.get(url).content.decode()
    card = re.search(r'<article class="card comp-card">.*?</article>', html, re.S).group(0)
    assert '<p class="one-event small"><strong>One event per worker</strong>' in card
    for event in (s.event, fitting):  # both open, and the question before registering repeats the rule
        row = event_row(html, event.name)
        assert reverse("competitions:my_register", args=[event.pk]) in row
        assert "You may enter only one event of this competition: the others will be closed to you." in row

    response = client.post(reverse("competitions:my_register", args=[s.event.pk]))
    [said] = messages_of(response)
    assert said.startswith("You are registered for 车工 (市级选拔赛 · 济南市总工会). Next: when registration closes,")
    assert "admission ticket" in said

    html = client.get(url).content.decode()
    closed = event_row(html, fitting.name)
    assert '<span class="badge">Closed: one event per worker</span>' in closed
    assert "Not eligible" not in closed and "Not open to you" not in closed
    assert reverse("competitions:my_register", args=[fitting.pk]) not in closed  # no button
    entry = Entry.objects.get(person=sd.worker_person)
    card = re.search(rf'<article class="card entry-card" id="entry-{entry.pk}">.*?</article>', html, re.S).group(0)
    assert '<p class="next-step small">Next: when registration closes the contestant numbers are drawn' in card
    # In the worker's language: 不可报名：每人限报一项.
    zh = Client(**ZH)
    zh.force_login(sd.worker)
    assert "不可报名：每人限报一项" in event_row(zh.get(url).content.decode(), fitting.name)


def test_a_competition_without_the_rule_says_nothing_of_it(client, sd, two_events):
    s, fitting = two_events
    services.update_competition(actor=sd.province_admin, competition=s.competition, exclusive=False)
    client.force_login(sd.worker)
    services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    html = client.get(reverse("competitions:my_competitions")).content.decode()
    assert "one-event" not in html and "Closed: one event per worker" not in html
    assert reverse("competitions:my_register", args=[fitting.pk]) in event_row(html, fitting.name)


def test_what_happens_next_follows_the_registration(client, sd, two_events):
    _s, fitting = two_events
    services.update_event(actor=sd.province_admin, event=fitting, requires_approval=True)
    client.force_login(sd.worker)
    response = client.post(reverse("competitions:my_register", args=[fitting.pk]))
    [said] = messages_of(response)
    assert said == ("You are registered for 钳工 (市级选拔赛 · 济南市总工会). Next: 济南市总工会 checks and approves "
                    "the registration; you are told the decision in your messages.")
    html = client.get(reverse("competitions:my_competitions")).content.decode()
    assert ('<p class="next-step small">Next: the organiser checks and approves the registration; you are told the '
            'decision in your messages.</p>') in html


def nav_label(html: str, href: str) -> str:
    link = re.search(rf'<aside class="sidenav".*?<a href="{re.escape(href)}"[^>]*>(.*?)</a>', html, re.S)
    assert link, f"no menu item to {href}"
    return unescape(re.sub(r"<[^>]+>", "", link.group(1))).strip()


def test_the_public_notice_names_the_menu_item_where_the_contestant_appeals(sd, published):
    rnd = published.jinan_round
    worker_client = Client(**ZH)
    worker_client.force_login(sd.worker)
    menu = nav_label(worker_client.get(reverse("competitions:my_competitions")).content.decode(),
                     reverse("competitions:my_competitions"))
    assert menu == "我的竞赛"
    notice = Client(**ZH).get(reverse("competitions:public_notice", args=[rnd.pk])).content.decode()
    how = re.search(r'<div class="alert alert-info">(.*?)</div>', notice, re.S).group(1)
    assert f"“{menu}”" in unescape(how) and "我的参赛" not in notice
    # The round's organiser under its label (承办单位), the competition's organiser under its own (主办单位).
    assert re.search(r"<dt>承办单位</dt><dd>济南市总工会</dd>", notice)
    assert re.search(r"<dt>主办单位</dt><dd>山东省总工会</dd>", notice)


def test_the_worker_pages_label_the_round_organiser(sd, two_events):
    zh = Client(**ZH)
    zh.force_login(sd.worker)
    services.register(actor=sd.worker, person=sd.worker_person, rnd=two_events[0].jinan_round)
    html = zh.get(reverse("competitions:my_competitions")).content.decode()
    assert "市级选拔赛 · 承办单位：济南市总工会" in html  # the event rows
    assert "<dt>承办单位</dt><dd>济南市总工会</dd>" in html  # the registration card
    assert "主办单位：山东省总工会" in html  # the competition


def test_a_visitor_gets_a_log_in_link_and_no_menu_button_that_opens_nothing(sd, published):
    visitor = Client(**ZH)
    url = reverse("competitions:public_notice", args=[published.jinan_round.pk])
    html = visitor.get(url).content.decode()
    header = re.search(r'<header class="topbar">.*?</header>', html, re.S).group(0)
    assert "nav-toggle" not in header and "nav-burger" not in header
    assert 'class="sidenav"' not in html  # there is no menu to open
    assert f'<a class="login-link" href="{reverse("orgs:login")}?next={url}">登录</a>' in header
    login_page = visitor.get(reverse("orgs:login")).content.decode()
    assert "login-link" not in login_page and "nav-burger" not in login_page  # the form itself is the way in
    member = Client(**ZH)
    member.force_login(sd.worker)
    header = re.search(r'<header class="topbar">.*?</header>', member.get(url).content.decode(), re.S).group(0)
    assert "nav-burger" in header and "login-link" not in header  # a user has a menu to open


def test_a_favicon_is_served(sd):
    visitor = Client()
    html = visitor.get(reverse("orgs:login")).content.decode()
    icons = re.findall(r'<link rel="icon" href="([^"]+)"', html)
    assert len(icons) == 2
    for href in icons:
        response = visitor.get(href)
        assert response.status_code == 200 and response["Content-Type"].startswith("image/"), href
        assert b"".join(response.streaming_content if response.streaming else [response.content])
    # Browsers ask for /favicon.ico by themselves (a PDF, a JSON answer): it leads to the icon too.
    response = visitor.get("/favicon.ico")
    assert response.status_code in (301, 302) and response.url == icons[1]


def test_the_evaluators_veto_sits_in_its_indicators_cell(client, sd):
    p = project(sd)
    client.force_login(p.a)
    html = client.get(reverse("competitions:labour_evaluate", args=[p.competition.pk, p.periods[0].pk])
                      ).content.decode()
    cells = re.findall(r'<div class="lc-cell[^"]*".*?</div>\s*(?=<div class="lc-cell|</div>)', html, re.S)
    safety = [c for c in cells if 'name="x-' in c]
    assert len(safety) == 4 and all('class="lc-cell lc-safety' in c for c in safety)
    for c in safety:  # the indicator's input, then its veto box with its words, in the same cell
        key = re.search(r'name="v-([^"]+)"', c).group(1)
        assert re.search(rf'name="v-{key}".*<label class="lc-veto"><input type="checkbox" name="x-{key}"', c, re.S)
    css = (client.get("/static/competitions/competitions.css"))
    text = b"".join(css.streaming_content).decode()
    assert ".lc-cell.lc-safety { grid-column: 1 / -1;" in text


# ---------------------------------------------------------------------------------------------
# 13. A person's competitions on their page


def panel_of(html: str) -> str:
    found = re.search(r'<section class="card person-competitions" id="competitions">.*?</section>', html, re.S)
    assert found, "no competitions panel"
    return found.group(0)


@pytest.fixture
def promoted(sd):
    """李强 came first in the Jinan round, now final (certificate), and was proposed for a promotion (三级 → 二级)."""
    final = decrypted_season(sd, {"李强": "30", "济钢0": "25", "济钢1": "22"})
    services.publish_results(actor=sd.province_admin, rnd=final.jinan_round, publicity_until=timezone.localdate())
    end_notice(final.jinan_round)
    services.finalise_round(actor=sd.province_admin, rnd=final.jinan_round)
    final.jinan_round.refresh_from_db()
    li = Entry.objects.get(round=final.jinan_round, person=sd.worker_person)
    Promotion.objects.create(entry=li, current_grade=3, proposed_grade=2, title="济南市技术能手")
    return final


def test_a_persons_page_shows_their_competitions_places_prizes_certificates_and_promotions(client, sd, promoted):
    li = Entry.objects.select_related("certificate__document").get(round=promoted.jinan_round,
                                                                   person=sd.worker_person)
    assert li.place == 1 and li.prize
    url = reverse("orgs:person_detail", args=[sd.worker_person.pk])
    for persona in ("province_admin", "jinan_cadre", "county_cadre", "enterprise_cadre"):
        client.force_login(getattr(sd, persona))
        panel = panel_of(client.get(url).content.decode())
        assert promoted.competition.name in panel and "车工" in panel and "市级选拔赛" in panel, persona
        assert "Place 1" in panel and li.get_prize_display() in panel, persona
        assert li.certificate.document.number in panel, persona
        assert reverse("competitions:certificate_pdf", args=[li.certificate.pk]) in panel, persona
        assert "Grade promotion" in panel and "→" in panel and "Proposed" in panel, persona
        assert li.code not in panel, persona  # never a 加密号
    # The worker's own record: "My competitions", with the way to their registration.
    client.force_login(sd.worker)
    panel = panel_of(client.get(reverse("orgs:my_record")).content.decode())
    assert "My competitions" in panel and "Place 1" in panel
    assert f'{reverse("competitions:my_competitions")}#entry-{li.pk}' in panel
    Promotion.objects.filter(entry=li).update(state=PromotionState.APPROVED)
    client.force_login(sd.jinan_cadre)
    assert "Approved" in panel_of(client.get(url).content.decode())


def test_before_publication_the_page_shows_the_entry_but_no_result_and_never_the_code(client, sd, decrypted):
    li = Entry.objects.get(round=decrypted.jinan_round, person=sd.worker_person)
    assert li.place is not None  # decrypted: the place exists, but is not published
    client.force_login(sd.enterprise_cadre)
    panel = panel_of(client.get(reverse("orgs:person_detail", args=[sd.worker_person.pk])).content.decode())
    assert decrypted.competition.name in panel and "results not published yet" in panel
    assert "Place" not in panel and li.code not in panel and li.contestant_no not in panel


def test_a_viewer_sees_only_the_entries_their_scope_allows(client, sd, promoted):
    """李强 moves to 青岛港: Qingdao sees him, but not Jinan's competition entries; the province sees both."""
    Person.objects.filter(pk=sd.worker_person.pk).update(employer=sd.qd_enterprise)
    url = reverse("orgs:person_detail", args=[sd.worker_person.pk])
    client.force_login(sd.qingdao_cadre)
    panel = panel_of(client.get(url).content.decode())
    assert promoted.competition.name not in panel and "Place" not in panel and "Certificate" not in panel
    assert "No skills competition entries that you may see." in panel
    client.force_login(sd.jinan_cadre)
    assert client.get(url).status_code == 404  # no longer Jinan's worker
    client.force_login(sd.province_admin)
    assert "Place 1" in panel_of(client.get(url).content.decode())


def test_the_persons_page_costs_the_same_queries_whatever_the_number_of_entries(client, sd, promoted):
    url = reverse("orgs:person_detail", args=[sd.worker_person.pk])
    client.force_login(sd.jinan_cadre)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    li = Entry.objects.get(round=promoted.jinan_round, person=sd.worker_person)
    for rnd in (promoted.final_round, promoted.qingdao_round):
        entry = Entry.objects.create(round=rnd, person=sd.worker_person, unit=li.unit, status=EntryStatus.CHECKED_IN,
                                     place=2, prize=li.prize)
        Promotion.objects.create(entry=entry, current_grade=3, proposed_grade=2)
    Round.objects.filter(pk__in=[promoted.final_round.pk, promoted.qingdao_round.pk]).update(
        state=RoundState.FINAL, publicity_until=timezone.localdate() - datetime.timedelta(days=1))
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert panel_of(response.content.decode()).count("Grade promotion") == 3
    assert len(three.captured_queries) == len(one.captured_queries)

