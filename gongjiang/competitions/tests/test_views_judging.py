"""The judging pages as a specification: judges mark on phones by 加密号 only, every mark saved at once over
HTMX and shown back; the chief judge locks, returns, sees disagreements and calibration, draws the re-check,
changes locked marks with a reason and decrypts with the supervisor's own password. Every refusal shows its
message and changes nothing."""

from __future__ import annotations

import ast
import json
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongjiang.competitions import services
from gongjiang.competitions.choices import EntryStatus, RoundState, SheetState
from gongjiang.competitions.models import Draw, Entry, Mark, Round, Sheet
from gongjiang.competitions.tests.factories import FULL_MARKS, assigned, panel, season, to_marking, worker
from gongjiang.core.models import AuditEvent
from gongjiang.orgs.models import LoginAttempt

HX = {"HTTP_HX_REQUEST": "true"}
PASSWORD = "Gongjiang-2026"


def build(sd: Any, n: int = 3, scheme: dict[str, Any] | None = None) -> SimpleNamespace:
    """The Jinan round of the city qualifier in marking: `n` entries (李强 and colleagues of 济钢), three
    judges, a chief judge and a supervisor; a Qingdao panel exists too (judges of another round)."""
    s = season(sd, theory_weight=0, practical_weight=100)
    if scheme:
        services.set_scheme(actor=sd.province_admin, event=s.event, expected_total=Decimal(100), **scheme)
    services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    for i in range(n - 1):
        services.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, f"济钢{i}"), rnd=s.jinan_round)
    rnd = s.jinan_round
    found = to_marking(sd, rnd)
    other = panel(sd, s.qingdao_round, 1)
    judges = [rj.judge.user for rj in assigned(rnd)]
    aspects = {a.code: a for a in s.event.scheme.aspects.all()}
    first = Sheet.objects.filter(judge__judge__user=judges[0]).order_by("entry__code").first()
    return SimpleNamespace(s=s, rnd=rnd, judges=judges, chief=found["chief"].user,
                           supervisor=found["supervisor"].user, stranger=other["judges"][0].user, aspects=aspects,
                           sheet=first)


@pytest.fixture
def m(sd):
    return build(sd)


def mark_sheet(user: Any, sheet: Sheet, marks: dict[str, Any] | None = None, sign: bool = True) -> None:
    for aspect in sheet.round.event.scheme.aspects.all():
        services.save_mark(actor=user, sheet_id=sheet.pk, aspect_id=aspect.pk, data=(marks or FULL_MARKS)[aspect.code])
    if sign:
        services.sign_sheet(actor=user, sheet_id=sheet.pk)


def mark_all(rnd: Round, marks_for: Any = None) -> None:
    for sheet in Sheet.objects.filter(round=rnd).select_related("judge__judge__user", "round__event__scheme"):
        mark_sheet(sheet.judge.judge.user, sheet, marks_for(sheet) if marks_for else None)


def save(client: Any, sheet: Sheet, aspect: Any, htmx: bool = True, **data: Any) -> Any:
    return client.post(
        reverse("competitions:sheet_mark", args=[sheet.pk]), {"aspect": aspect.pk, **data}, **(HX if htmx else {})
    )


def value(sheet: Sheet, aspect: Any) -> int | None:
    return Mark.objects.filter(sheet=sheet, aspect=aspect).values_list("value", flat=True).first()


def messages_of(response: Any) -> list[str]:
    return [str(msg) for msg in response.wsgi_request._messages]


# ---------------------------------------------------------------------------------------------
# Who sees what


def test_anonymous_visitors_are_sent_to_log_in(client, m):
    for url in [
        reverse("competitions:judge_home"),
        reverse("competitions:sheet_mark", args=[m.sheet.pk]),
        reverse("competitions:chief_board", args=[m.rnd.pk]),
        reverse("competitions:round_recheck", args=[m.rnd.pk]),
        reverse("competitions:round_decrypt", args=[m.rnd.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("orgs:login") in response["Location"], url
    assert save(client, m.sheet, m.aspects["B1.1"], mark="20").status_code == 302
    assert not Mark.objects.exists()


def test_a_cadre_without_a_judge_role_opens_no_judging_page(client, sd, m):
    for cadre in (sd.province_admin, sd.jinan_cadre):
        client.force_login(cadre)
        assert client.get(reverse("competitions:judge_home")).status_code == 403
        assert client.get(reverse("competitions:sheet_mark", args=[m.sheet.pk])).status_code == 404
        assert save(client, m.sheet, m.aspects["B1.1"], mark="20").status_code == 404
        assert client.get(reverse("competitions:chief_board", args=[m.rnd.pk])).status_code == 404
        assert client.get(reverse("competitions:round_decrypt", args=[m.rnd.pk])).status_code == 404
    assert not Mark.objects.exists()


def test_a_judge_of_another_round_cannot_open_or_mark_a_sheet(client, m):
    client.force_login(m.stranger)
    assert client.get(reverse("competitions:judge_home")).status_code == 200
    assert client.get(reverse("competitions:sheet_mark", args=[m.sheet.pk])).status_code == 404
    assert save(client, m.sheet, m.aspects["B1.1"], mark="20").status_code == 404
    assert client.post(reverse("competitions:sheet_sign", args=[m.sheet.pk])).status_code == 404
    assert client.get(reverse("competitions:chief_board", args=[m.rnd.pk])).status_code == 404
    assert not Mark.objects.exists()


def test_a_judge_sees_only_their_own_sheets_and_not_the_chiefs_pages(client, m):
    other = Sheet.objects.filter(round=m.rnd).exclude(judge__judge__user=m.judges[0]).first()
    client.force_login(m.judges[0])
    assert client.get(reverse("competitions:sheet_mark", args=[other.pk])).status_code == 404
    assert save(client, other, m.aspects["B1.1"], mark="20").status_code == 404
    for name in ("chief_board", "round_recheck", "round_decrypt"):
        assert client.get(reverse(f"competitions:{name}", args=[m.rnd.pk])).status_code == 403, name
    entry = other.entry
    assert client.post(reverse("competitions:entry_lock", args=[m.rnd.pk, entry.code])).status_code == 403
    assert not Mark.objects.exists()


def test_the_supervisor_reads_the_board_and_the_sheets_but_changes_nothing(client, m):
    mark_all(m.rnd)
    client.force_login(m.supervisor)
    board = client.get(reverse("competitions:chief_board", args=[m.rnd.pk]))
    assert board.status_code == 200 and not board.context["is_chief"]
    page = board.content.decode()
    assert reverse("competitions:entry_lock", args=[m.rnd.pk, m.sheet.entry.code]) not in page
    assert reverse("competitions:sheet_return", args=[m.sheet.pk]) not in page
    sheet = client.get(reverse("competitions:sheet_mark", args=[m.sheet.pk]))
    assert sheet.status_code == 200 and not sheet.context["editable"] and "hx-post" not in sheet.content.decode()
    assert client.post(reverse("competitions:entry_lock", args=[m.rnd.pk, m.sheet.entry.code])).status_code == 403
    assert client.post(reverse("competitions:sheet_return", args=[m.sheet.pk]), {"reason": "复核"}).status_code == 403
    assert client.get(reverse("competitions:round_decrypt", args=[m.rnd.pk])).status_code == 403
    assert client.get(reverse("competitions:round_recheck", args=[m.rnd.pk])).status_code == 200
    assert (
        client.post(
            reverse("competitions:round_recheck", args=[m.rnd.pk]), {"name_1": "甲", "name_2": "乙"}
        ).status_code
        == 403
    )
    assert set(Sheet.objects.filter(round=m.rnd).values_list("state", flat=True)) == {SheetState.SIGNED}


def test_the_chief_judge_reads_a_judges_sheet_but_cannot_mark_it(client, m):
    client.force_login(m.chief)
    response = client.get(reverse("competitions:sheet_mark", args=[m.sheet.pk]))
    assert response.status_code == 200 and not response.context["editable"]
    assert save(client, m.sheet, m.aspects["B1.1"], mark="20").status_code == 403
    assert not Mark.objects.exists()


# ---------------------------------------------------------------------------------------------
# A judge's home and sheet


def test_the_judges_home_lists_their_rounds_and_sheets_by_anonymous_code_only(client, sd, m):
    client.force_login(m.judges[0])
    services.save_mark(actor=m.judges[0], sheet_id=m.sheet.pk, aspect_id=m.aspects["B1.1"].pk, data={"mark": "20"})
    response = client.get(reverse("competitions:judge_home"))
    assert response.status_code == 200
    [card] = response.context["cards"]
    assert card["round"] == m.rnd and not card["leading"]
    codes = set(Sheet.objects.filter(judge__judge__user=m.judges[0]).values_list("entry__code", flat=True))
    assert {s["code"] for s in card["sheets"]} == codes
    first = next(s for s in card["sheets"] if s["pk"] == m.sheet.pk)
    assert (first["marked"], first["total"]) == (1, 5)
    assert str(first["state_label"]) in ("Being marked", "评分中")  # the page's language
    page = response.content.decode()
    assert all(code in page for code in codes)
    entries = Entry.objects.filter(round=m.rnd).select_related("person", "unit")
    for e in entries:  # never a name, a unit, a contestant number or a station
        assert e.person.name not in page and e.unit.name not in page
        assert f">{e.contestant_no}<" not in page and f">{e.station_no}<" not in page


def test_the_chief_judges_home_leads_to_the_board(client, m):
    client.force_login(m.chief)
    response = client.get(reverse("competitions:judge_home"))
    [card] = response.context["cards"]
    assert card["leading"] and card["progress"][SheetState.OPEN] == Sheet.objects.filter(round=m.rnd).count()
    assert reverse("competitions:chief_board", args=[m.rnd.pk]) in response.content.decode()


def test_the_sheet_shows_every_aspect_by_section_and_criterion_with_an_input_of_its_kind(client, m):
    client.force_login(m.judges[0])
    response = client.get(reverse("competitions:sheet_mark", args=[m.sheet.pk]))
    assert response.status_code == 200 and response.context["editable"]
    view = response.context["view"]
    assert [s["code"] for s in view.sections] == ["A", "B"]
    assert [c["code"] for c in view.sections[0]["criteria"]] == ["A1", "A2"]
    page = response.content.decode()
    assert m.sheet.entry.code in page and m.sheet.entry.person.name not in page
    for field in ('name="deviation"', 'name="achieved" value="1"', 'name="fault_S1"', 'name="fault_S2"',
                  'name="mark"', 'hx-post="' + reverse("competitions:sheet_mark", args=[m.sheet.pk]) + '"'):
        assert field in page, field
    assert reverse("competitions:sheet_sign", args=[m.sheet.pk]) in page


def test_every_mark_is_saved_over_htmx_and_shown_back_and_survives_a_reload(client, m):
    client.force_login(m.judges[0])
    a = m.aspects
    response = save(client, m.sheet, a["A1.1"], deviation="0.03")
    assert response.status_code == 200
    body = response.content.decode()
    assert "✓" in body and "Saved: 10 points" in body and 'id="sheet-total" hx-swap-oob="true">10<' in body
    assert value(m.sheet, a["A1.1"]) == 1000
    assert save(client, m.sheet, a["A1.2"], achieved="1").status_code == 200
    response = save(client, m.sheet, a["A2.1"], fault_S1="2", fault_S2="0")
    assert "Saved: 11 points" in response.content.decode()  # 15 − 2 × 2
    assert save(client, m.sheet, a["B1.1"], mark="27.5").status_code == 200
    response = save(client, m.sheet, a["B1.1"], mark="28")  # saved over, never duplicated
    assert Mark.objects.filter(sheet=m.sheet, aspect=a["B1.1"]).count() == 1 and value(m.sheet, a["B1.1"]) == 2800
    assert 'id="sheet-progress" hx-swap-oob="true">4/5<' in response.content.decode()
    # The page closes; reloading shows every saved mark in its input.
    page = client.get(reverse("competitions:sheet_mark", args=[m.sheet.pk]))
    html = page.content.decode()
    assert 'name="deviation" value="0.03"' in html
    assert re.search(r'name="achieved" value="1"\s+checked', html)
    assert 'name="fault_S1" value="2"' in html and 'name="mark" value="28"' in html
    assert page.context["view"].total == "54" and page.context["view"].marked == 4  # 10 + 5 + 11 + 28


def test_without_javascript_a_save_reloads_the_page(client, m):
    client.force_login(m.judges[0])
    response = save(client, m.sheet, m.aspects["B1.1"], htmx=False, mark="20")
    assert response.status_code == 302 and response["Location"].endswith(f"#aspect-{m.aspects['B1.1'].pk}")
    refused = save(client, m.sheet, m.aspects["B1.1"], htmx=False, mark="40")
    assert refused.status_code == 400 and "above its maximum 30" in refused.content.decode()
    assert value(m.sheet, m.aspects["B1.1"]) == 2000


@pytest.mark.parametrize(("code", "data", "message"), [
    ("B1.1", {"mark": "31"}, "is above its maximum 30"),
    ("B1.1", {"mark": "7.3"}, "is not a multiple of the step 0.5"),
    ("B1.1", {"mark": "-1"}, "is below zero"),
    ("B1.1", {"mark": "abc"}, "is not a number"),
    ("B1.1", {"mark": ""}, "enter a mark"),
    ("A1.1", {"deviation": ""}, "enter the measured deviation"),
    ("A1.2", {}, "say whether it is achieved"),
    ("A2.1", {"fault_S1": "x"}, "must be a whole number"),
])
def test_a_bad_mark_is_refused_in_red_and_the_saved_mark_stays(client, m, code, data, message):
    client.force_login(m.judges[0])
    aspect = m.aspects[code]
    services.save_mark(actor=m.judges[0], sheet_id=m.sheet.pk, aspect_id=aspect.pk, data=FULL_MARKS[code])
    before = value(m.sheet, aspect)
    response = save(client, m.sheet, aspect, **data)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body and 'class="error"' in body and "the saved mark is unchanged" in body
    assert value(m.sheet, aspect) == before


def test_an_aspect_of_another_scheme_is_refused(client, m):
    client.force_login(m.judges[0])
    response = client.post(
        reverse("competitions:sheet_mark", args=[m.sheet.pk]), {"aspect": "999999", "mark": "1"}, **HX
    )
    assert response.status_code == 422 and "not part of the event" in response.content.decode()
    assert not Mark.objects.exists()


def test_signing_is_refused_with_the_unmarked_aspects_named_then_the_sheet_is_read_only(client, m):
    client.force_login(m.judges[0])
    save(client, m.sheet, m.aspects["B1.1"], mark="20")
    response = client.post(reverse("competitions:sheet_sign", args=[m.sheet.pk]), follow=True)
    [message] = messages_of(response)
    assert "Not every aspect is marked yet" in message and "A1.2 倒角完整" in message and "B1.1" not in message
    assert Sheet.objects.get(pk=m.sheet.pk).state == SheetState.OPEN
    mark_sheet(m.judges[0], m.sheet, sign=False)
    response = client.post(reverse("competitions:sheet_sign", args=[m.sheet.pk]))
    assert response.status_code == 302
    assert Sheet.objects.get(pk=m.sheet.pk).state == SheetState.SIGNED
    page = client.get(reverse("competitions:sheet_mark", args=[m.sheet.pk]))
    assert not page.context["editable"] and "hx-post" not in page.content.decode()
    refused = save(client, m.sheet, m.aspects["B1.1"], mark="1")
    assert refused.status_code == 422 and "ask the chief judge to return it" in refused.content.decode()
    assert value(m.sheet, m.aspects["B1.1"]) == 3000


def test_a_mark_after_the_lock_is_refused(client, m):
    mark_all(m.rnd)
    client.force_login(m.chief)
    assert client.post(reverse("competitions:entry_lock", args=[m.rnd.pk, m.sheet.entry.code])).status_code == 302
    assert Sheet.objects.get(pk=m.sheet.pk).state == SheetState.LOCKED
    client.force_login(m.judges[0])
    response = save(client, m.sheet, m.aspects["B1.1"], mark="1")
    assert response.status_code == 422 and "This sheet is locked" in response.content.decode()
    assert value(m.sheet, m.aspects["B1.1"]) == 3000


def test_a_conflicted_judge_loses_the_sheet_and_cannot_mark_it(client, m):
    entry = m.sheet.entry
    judge = m.sheet.judge.judge
    services.declare_conflict(actor=m.judges[0], judge=judge, person=entry.person, reason="亲属关系")
    client.force_login(m.judges[0])
    assert client.get(reverse("competitions:sheet_mark", args=[m.sheet.pk])).status_code == 404
    assert save(client, m.sheet, m.aspects["B1.1"], mark="20").status_code == 404
    assert entry.code not in client.get(reverse("competitions:judge_home")).content.decode()
    assert not Mark.objects.exists()


def test_two_judges_saving_at_the_same_moment_keep_each_others_marks(client, m):
    """Each save locks only the judge's own sheet: interleaved saves on the same entry lose nothing."""
    from django.test import Client

    entry = m.sheet.entry
    sheets = list(Sheet.objects.filter(entry=entry).select_related("judge__judge__user").order_by("pk"))[:2]
    clients = []
    for sheet in sheets:
        c = Client()
        c.force_login(sheet.judge.judge.user)
        clients.append(c)
    plan = [("B1.1", "20", "25"), ("B1.2", "21", "26.5"), ("B1.1", "22", "27"), ("B1.2", "23", "28")]
    for code, first, second in plan:
        assert save(clients[0], sheets[0], m.aspects[code], mark=first).status_code == 200
        assert save(clients[1], sheets[1], m.aspects[code], mark=second).status_code == 200
    assert (value(sheets[0], m.aspects["B1.1"]), value(sheets[0], m.aspects["B1.2"])) == (2200, 2300)
    assert (value(sheets[1], m.aspects["B1.1"]), value(sheets[1], m.aspects["B1.2"])) == (2700, 2800)
    assert Mark.objects.filter(sheet__entry=entry).count() == 4


# ---------------------------------------------------------------------------------------------
# The chief judge's board


def test_the_board_shows_every_entry_by_code_with_its_judges_totals_and_locks_it(client, m):
    mark_all(m.rnd)
    client.force_login(m.chief)
    response = client.get(reverse("competitions:chief_board", args=[m.rnd.pk]))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [e["code"] for e in entries] == sorted(Entry.objects.filter(round=m.rnd).values_list("code", flat=True))
    assert all(len(e["sheets"]) == 3 and e["lockable"] and not e["flags"] for e in entries)
    assert {s["total_display"] for e in entries for s in e["sheets"]} == {"100"}
    page = response.content.decode()
    for e in Entry.objects.filter(round=m.rnd).select_related("person"):
        assert e.person.name not in page
    for e in Entry.objects.filter(round=m.rnd):
        response = client.post(reverse("competitions:entry_lock", args=[m.rnd.pk, e.code]), follow=True)
        assert any(f"{e.code} is locked" in msg for msg in messages_of(response))
    assert Round.objects.get(pk=m.rnd.pk).state == RoundState.LOCKED
    board = client.get(reverse("competitions:chief_board", args=[m.rnd.pk]), {"show": "locked"})
    assert len(board.context["entries"]) == 3 and board.context["entries"][0]["practical_display"] == "100"


def test_the_board_filters_entries_over_htmx(client, m):
    mark_sheet(m.judges[0], m.sheet)
    client.force_login(m.chief)
    response = client.get(reverse("competitions:chief_board", args=[m.rnd.pk]), {"show": "open"}, **HX)
    assert response.status_code == 200 and "<h1" not in response.content.decode()
    assert len(response.context["entries"]) == 3


def test_measurements_that_differ_are_flagged_and_the_lock_is_refused(client, m):
    def marks(sheet):
        return {**FULL_MARKS, "A1.1": {"deviation": "0.04"}} if sheet.pk == m.sheet.pk else FULL_MARKS
    mark_all(m.rnd, marks)
    client.force_login(m.chief)
    board = client.get(reverse("competitions:chief_board", args=[m.rnd.pk]))
    entry = next(e for e in board.context["entries"] if e["pk"] == m.sheet.entry_id)
    assert [f["aspect"].code for f in entry["flags"]] == ["A1.1"] and "measurements differ (10、20)" in \
        board.content.decode()
    response = client.post(reverse("competitions:entry_lock", args=[m.rnd.pk, m.sheet.entry.code]), follow=True)
    assert any("cannot be locked" in msg and "must agree" in msg for msg in messages_of(response))
    assert not Sheet.objects.filter(entry=m.sheet.entry_id, state=SheetState.LOCKED).exists()


def test_worldskills_scores_more_than_one_apart_ask_for_a_re_score_and_cannot_be_locked(client, sd):
    rows = [{"section_code": "J", "section_name": "评价", "criterion_code": "J0", "criterion_name": "综合",
             "code": code, "description": f"综合评价{code}", "kind": "judgement", "max_mark": "50", "step": "0.01"}
            for code in ("J1", "J2")]
    m = build(sd, n=2, scheme={"aspects": rows, "judgement_method": "worldskills"})
    entry = Entry.objects.filter(round=m.rnd).order_by("code").first()
    sheets = list(Sheet.objects.filter(entry=entry).select_related("judge__judge__user").order_by("pk"))
    for sheet, score in zip(sheets, ["0", "2", "3"], strict=True):
        client.force_login(sheet.judge.judge.user)
        page = client.get(reverse("competitions:sheet_mark", args=[sheet.pk])).content.decode()
        assert 'name="score" value="3"' in page and 'name="mark"' not in page
        for code in ("J1", "J2"):
            response = save(client, sheet, m.aspects[code], score=score)
            assert response.status_code == 200 and f"Saved: score {score}" in response.content.decode()
        assert client.post(reverse("competitions:sheet_sign", args=[sheet.pk])).status_code == 302
    bad = save(client, sheets[-1], m.aspects["J1"], score="4")
    assert bad.status_code == 422
    client.force_login(m.chief)
    board = client.get(reverse("competitions:chief_board", args=[m.rnd.pk]))
    row = next(e for e in board.context["entries"] if e["pk"] == entry.pk)
    assert all(f["rescore"] for f in row["flags"]) and "re-score required" in board.content.decode()
    response = client.post(reverse("competitions:entry_lock", args=[m.rnd.pk, entry.code]), follow=True)
    assert any("re-score required" in msg for msg in messages_of(response))
    assert not Sheet.objects.filter(entry=entry, state=SheetState.LOCKED).exists()


def test_the_chief_judge_returns_a_signed_sheet_only_with_a_reason(client, m):
    mark_sheet(m.judges[0], m.sheet)
    client.force_login(m.chief)
    url = reverse("competitions:sheet_return", args=[m.sheet.pk])
    response = client.post(url, {"reason": "  "}, follow=True)
    assert any("give the reason" in msg for msg in messages_of(response))
    assert Sheet.objects.get(pk=m.sheet.pk).state == SheetState.SIGNED
    assert client.post(url, {"reason": "A1.1 请复测"}).status_code == 302
    assert Sheet.objects.get(pk=m.sheet.pk).state == SheetState.OPEN
    assert AuditEvent.objects.filter(verb="competitions.sheet.returned", note="A1.1 请复测").exists()
    response = client.post(url, {"reason": "再次退回"}, follow=True)  # an open sheet cannot be returned
    assert any("Only a signed sheet" in msg for msg in messages_of(response))


def test_calibration_shows_each_judges_deviation_and_each_judge_their_distribution(client, m):
    generous = m.judges[0]

    def marks(sheet):
        if sheet.judge.judge.user_id == generous.pk:
            return FULL_MARKS
        return {**FULL_MARKS, "B1.1": {"mark": "24"}, "B1.2": {"mark": "24"}}
    mark_all(m.rnd, marks)
    client.force_login(m.chief)
    board = client.get(reverse("competitions:chief_board", args=[m.rnd.pk]))
    rows = {c["name"]: c for c in board.context["calibration"]}
    name = generous.judge.name
    assert rows[name]["value"] > 0 and all(c["value"] < 0 for n, c in rows.items() if n != name)
    assert rows[name]["signed"] == "+13.3"  # 100 % against a panel mean of 80 % on each shared item
    assert 'id="calibration-chart"' in board.content.decode() and "echarts" in board.content.decode()
    client.force_login(generous)
    home = client.get(reverse("competitions:judge_home"))
    [card] = home.context["cards"]
    assert card["deviation_signed"] == "+13.3"
    chart = home.context["charts"][str(m.rnd.pk)]
    assert chart["mine"][-1] == 100.0 and chart["panel"][8] > 0  # all mine full; the panel's include 80 %
    assert 'id="judging-charts"' in home.content.decode()


# ---------------------------------------------------------------------------------------------
# Re-check and decryption


def lock_everything(client: Any, m: SimpleNamespace) -> None:
    mark_all(m.rnd)
    client.force_login(m.chief)
    for e in Entry.objects.filter(round=m.rnd):
        client.post(reverse("competitions:entry_lock", args=[m.rnd.pk, e.code]))
    assert Round.objects.get(pk=m.rnd.pk).state == RoundState.LOCKED


def test_the_re_check_is_drawn_before_witnesses_once_every_sheet_is_locked(client, m):
    client.force_login(m.chief)
    page = client.get(reverse("competitions:round_recheck", args=[m.rnd.pk]))
    assert not page.context["can_draw"] and page.context["not_locked"] == Sheet.objects.filter(round=m.rnd).count()
    lock_everything(client, m)
    url = reverse("competitions:round_recheck", args=[m.rnd.pk])
    assert client.get(url).context["can_draw"]
    refused = client.post(url, {"name_1": "监督员王某", "number_1": "17"})
    assert refused.status_code == 400 and "two witnesses" in refused.content.decode()
    assert not Draw.objects.filter(purpose__endswith="/ recheck").exists()
    response = client.post(url, {"name_1": "监督员王某", "number_1": "17", "name_2": "选手代表李某", "number_2": "42"})
    assert response.status_code == 302
    page = client.get(url)
    selected = [code for _label, items in page.context["groups"] for code, _sheets in items]
    assert selected and set(selected) <= set(Entry.objects.filter(round=m.rnd).values_list("code", flat=True))
    assert all(len(sheets) == 3 for _label, items in page.context["groups"] for _code, sheets in items)
    assert "监督员王某" in page.content.decode() and not page.context["can_draw"]


def test_the_chief_judge_changes_a_locked_mark_with_a_reason_and_it_is_listed(client, m):
    lock_everything(client, m)
    aspect = m.aspects["B1.1"]
    url = reverse("competitions:sheet_amend", args=[m.sheet.pk])
    page = client.get(reverse("competitions:sheet_mark", args=[m.sheet.pk]))
    assert page.context["amendable"] and url in page.content.decode()
    refused = client.post(url, {"aspect": aspect.pk, "mark": "25", "reason": ""}, **HX)
    assert refused.status_code == 422 and "reason for the change" in refused.content.decode()
    refused = client.post(url, {"aspect": aspect.pk, "mark": "25.3", "reason": "复核"}, **HX)
    assert refused.status_code == 422 and "not a multiple of the step" in refused.content.decode()
    assert value(m.sheet, aspect) == 3000
    response = client.post(url, {"aspect": aspect.pk, "mark": "25", "reason": "复核：表面有划痕"}, **HX)
    assert response.status_code == 200 and "Saved: 25 points" in response.content.decode()
    assert value(m.sheet, aspect) == 2500
    entry = Entry.objects.get(pk=m.sheet.entry_id)
    assert entry.aspect_marks["B1.1"] == 2833  # the mean of 25, 30, 30, recomputed at once
    listed = client.get(reverse("competitions:round_recheck", args=[m.rnd.pk]))
    [event] = listed.context["amendments"]
    assert event.code == entry.code and event.note == "复核：表面有划痕"
    assert event.changes == [{"aspect": "B1.1", "before": "30", "after": "25"}]
    client.force_login(m.judges[0])  # a judge cannot change a locked mark
    assert client.post(url, {"aspect": aspect.pk, "mark": "1", "reason": "x"}, **HX).status_code == 403
    assert value(m.sheet, aspect) == 2500


def test_decryption_is_refused_before_every_sheet_is_locked_saying_how_many(client, m):
    mark_sheet(m.judges[0], m.sheet)
    client.force_login(m.chief)
    url = reverse("competitions:round_decrypt", args=[m.rnd.pk])
    page = client.get(url)
    total = Sheet.objects.filter(round=m.rnd).count()
    assert page.context["not_locked"] == total
    response = client.post(url, {"supervisor_username": m.supervisor.username, "supervisor_password": PASSWORD})
    assert response.status_code == 400 and f"({total} not yet)" in response.content.decode()
    assert Round.objects.get(pk=m.rnd.pk).decrypted_at is None


def test_decryption_needs_the_supervisors_own_password_and_a_wrong_one_counts(client, m):
    lock_everything(client, m)
    url = reverse("competitions:round_decrypt", args=[m.rnd.pk])
    response = client.post(url, {"supervisor_username": m.supervisor.username, "supervisor_password": "wrong"})
    assert response.status_code == 400 and "supervisor of this round must confirm" in response.content.decode()
    assert "wrong" not in response.content.decode()
    # Counted against the chief judge's tries (orgs.throttle), not rolled back with the refusal.
    failures = LoginAttempt.objects.filter(client=f"user:{m.chief.pk}", target=f"account:{m.supervisor.pk}",
                                           succeeded=False)
    assert failures.count() == 1
    response = client.post(url, {"supervisor_username": m.judges[0].username, "supervisor_password": PASSWORD})
    assert response.status_code == 400  # a judge is not the supervisor
    rnd = Round.objects.get(pk=m.rnd.pk)
    assert rnd.decrypted_at is None and rnd.state == RoundState.LOCKED
    response = client.post(url, {"supervisor_username": m.supervisor.username, "supervisor_password": PASSWORD})
    assert response.status_code == 302
    rnd.refresh_from_db()
    assert rnd.state == RoundState.DECRYPTED and rnd.decrypted_by == m.chief and rnd.decryption_witness == m.supervisor
    assert AuditEvent.objects.filter(verb="competitions.round.decrypted").count() == 1
    assert "Decrypted on" in client.get(reverse("competitions:chief_board", args=[m.rnd.pk])).content.decode()


# ---------------------------------------------------------------------------------------------
# Query counts do not grow with the number of entries


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_number_of_entries(client, sd):
    m = build(sd, n=2)
    mark_all(m.rnd)

    def measure() -> tuple[int, int, int]:
        client.force_login(m.judges[0])
        home, sheet = (
            queries(client, reverse("competitions:judge_home")),
            queries(client, reverse("competitions:sheet_mark", args=[m.sheet.pk])),
        )
        client.force_login(m.chief)
        return home, sheet, queries(client, reverse("competitions:chief_board", args=[m.rnd.pk]))

    small = measure()
    for i in range(5):  # a bigger round: more entries, sheets and marks
        e = Entry.objects.create(round=m.rnd, person=worker(sd.workshop, f"后加{i}"), unit=sd.steel,
                                 status=EntryStatus.CHECKED_IN, code=f"9{i:05d}")
        for rj in assigned(m.rnd):
            mark_sheet(rj.judge.user, Sheet.objects.create(round=m.rnd, entry=e, judge=rj))
    assert Sheet.objects.filter(round=m.rnd).count() == 3 * 7
    assert measure() == small


def test_a_save_costs_the_same_queries_whatever_the_number_of_entries(client, sd):
    m = build(sd, n=2)
    client.force_login(m.judges[0])
    save(client, m.sheet, m.aspects["B1.1"], mark="19")
    with CaptureQueriesContext(connection) as first:
        save(client, m.sheet, m.aspects["B1.1"], mark="20")
    for i in range(4):
        e = Entry.objects.create(round=m.rnd, person=worker(sd.workshop, f"后加{i}"), unit=sd.steel,
                                 status=EntryStatus.CHECKED_IN, code=f"8{i:05d}")
        for rj in assigned(m.rnd):
            Sheet.objects.create(round=m.rnd, entry=e, judge=rj)
    with CaptureQueriesContext(connection) as second:
        save(client, m.sheet, m.aspects["B1.1"], mark="21")
    assert len(second.captured_queries) == len(first.captured_queries)


# ---------------------------------------------------------------------------------------------
# Translations


def test_every_msgid_of_the_judging_pages_has_its_chinese():
    """The msgids of the templates and views are in one of the JSON catalogues (zh)."""
    root = Path(__file__).resolve().parents[2]
    known: dict[str, str] = {}
    for f in (root / "locale" / "zh").glob("*.json"):
        known.update(json.loads(f.read_text("utf-8")))
    texts = [p.read_text("utf-8") for p in (root / "competitions" / "templates" / "competitions" / "judging").glob(
        "*.html")]
    msgids = set()
    for text in texts:
        for quote, ctx_quote in ((r'"', r'"'), (r"'", r"'")):
            for mid, ctx in re.findall(rf'{{% translate {quote}(.+?){quote}(?: context {ctx_quote}(.+?){ctx_quote})?',
                                       text):
                msgids.add(f"{ctx}|{mid}" if ctx else mid)
        for block in re.findall(r"{% blocktranslate(.*?)%}(.*?){% endblocktranslate %}", text, re.S):
            _head, body = block
            msgids.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", body.split("{% plural %}")[0]))
    for module in ("views/judging.py", "forms/judging.py", "services/judging.py", "services/chief.py"):
        msgids |= python_msgids(root / "competitions" / module)
    missing = sorted(mid for mid in msgids if mid not in known)
    assert not missing, missing


def python_msgids(path: Path) -> set[str]:
    """The gettext msgids of a Python module (`_`, `gettext_lazy`, `pgettext_lazy` with literal strings)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if node.func.id in {"_", "gettext", "gettext_lazy"} and len(args) == 1:
            found.add(args[0])
        elif node.func.id in {"pgettext", "pgettext_lazy"} and len(args) == 2:
            found.add(f"{args[0]}|{args[1]}")
    return found
