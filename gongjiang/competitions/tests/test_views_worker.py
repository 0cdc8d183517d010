"""The registration pages as a specification: 李强 (a front-line worker of 济钢's 炼钢一班) registers himself on
his phone for the provincial competition and follows his entry; the 济钢 and 济南 cadres register their workers
(a Qingdao cadre never reaches them), list, export and withdraw their entries; a unit enters a team whose
other members the round's organiser draws before witnesses."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongjiang.competitions import queries, services
from gongjiang.competitions.choices import CompetitionState, EntrySource, EntryStatus, Prize, RoundState
from gongjiang.competitions.models import Certificate, Draw, Entry, Round, Team
from gongjiang.competitions.tests.factories import WITNESSES, season, worker
from gongjiang.core import certificates as core_certificates
from gongjiang.core.models import AuditEvent, IssuedCertificate
from gongjiang.orgs.choices import MembershipStatus
from gongjiang.orgs.models import Membership
from gongjiang.orgs.tests.factories import user

MY = reverse("competitions:my_competitions")
UNIT = reverse("competitions:unit_registrations")


@pytest.fixture
def client(client):
    """Pages in English, so that messages can be matched (the suite's language is zh-hans)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def s(sd):
    return season(sd)


def cards(response: Any) -> dict[str, Any]:
    """{event name: Planned} of the worker's page."""
    return {e.name: p for c in response.context["competitions"] for e, p in c.cards}


def page_text(response: Any) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# Permission matrix


def test_anonymous_visitors_are_sent_to_log_in(client, sd, s):
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    team_event = services.add_event(actor=sd.province_admin, competition=s.competition, name="电工团体",
                                    is_team=True, team_size=3, team_drawn=1, members_only=False)
    gets = [MY, UNIT, reverse("competitions:unit_import"), reverse("competitions:unit_import_template"),
            reverse("competitions:team_form", args=[team_event.pk])]
    posts = [
        reverse("competitions:my_register", args=[s.event.pk]),
        reverse("competitions:my_withdraw", args=[entry.pk]),
        reverse("competitions:unit_register"),
        reverse("competitions:unit_withdraw", args=[entry.pk]),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url
    for url in posts:
        response = client.post(url, {"person": sd.worker_person.pk, "event": s.event.pk})
        assert response.status_code == 302 and "/login/" in response["Location"], url
    assert Entry.objects.get().status == EntryStatus.REGISTERED


def test_a_worker_sees_only_their_own_entries_and_cannot_withdraw_another(client, sd, s):
    mine = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    theirs = services.register(actor=sd.qingdao_cadre, person=sd.qd_person, rnd=s.qingdao_round)
    client.force_login(sd.worker)
    response = client.get(MY)
    assert [e.pk for e in response.context["entries"]] == [mine.pk]
    assert "王芳" not in page_text(response)
    assert client.post(reverse("competitions:my_withdraw", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("competitions:unit_withdraw", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == EntryStatus.REGISTERED


def test_a_worker_cannot_register_someone_else_nor_use_the_unit_pages(client, sd, s):
    colleague = worker(sd.team, "张伟", is_front_line=True)
    client.force_login(sd.worker)
    assert client.get(UNIT).status_code == 403
    assert client.get(reverse("competitions:unit_import")).status_code == 403
    response = client.post(reverse("competitions:unit_register"), {"person": colleague.pk, "event": s.event.pk})
    assert response.status_code == 404
    # my_register registers the worker themself, never anyone named in the request
    client.post(reverse("competitions:my_register", args=[s.event.pk]), {"person": colleague.pk})
    assert list(Entry.objects.values_list("person__name", flat=True)) == ["李强"]


def test_a_qingdao_cadre_cannot_register_jinan_workers(client, sd, s):
    client.force_login(sd.qingdao_cadre)
    response = client.post(reverse("competitions:unit_register"), {"person": sd.worker_person.pk, "event": s.event.pk})
    assert response.status_code == 404
    assert not Entry.objects.exists()
    # nor find them
    response = client.get(UNIT, {"competition": s.competition.pk, "event": s.event.pk, "q": "李强"})
    assert response.context["found"] == []


def test_a_qingdao_cadre_does_not_see_nor_withdraw_jinan_entries(client, sd, s):
    jinan = services.register(actor=sd.enterprise_cadre, person=sd.worker_person, rnd=s.jinan_round)
    qingdao = services.register(actor=sd.qingdao_cadre, person=sd.qd_person, rnd=s.qingdao_round)
    client.force_login(sd.qingdao_cadre)
    response = client.get(UNIT, {"competition": s.competition.pk})
    assert [e.pk for e in response.context["rows"]] == [qingdao.pk]
    assert client.post(reverse("competitions:unit_withdraw", args=[jinan.pk])).status_code == 404
    jinan.refresh_from_db()
    assert jinan.status == EntryStatus.REGISTERED


@pytest.mark.parametrize("persona", ["enterprise_cadre", "county_cadre", "jinan_cadre", "province_admin"])
def test_the_cadres_above_a_worker_register_them(client, sd, s, persona):
    client.force_login(getattr(sd, persona))
    response = client.get(UNIT, {"competition": s.competition.pk, "event": s.event.pk, "q": "李"})
    assert [p.name for p, _planned in response.context["found"]] == ["李强"]
    response = client.post(reverse("competitions:unit_register"), {"person": sd.worker_person.pk, "event": s.event.pk,
                                                      "next": UNIT + "?q=li"})
    assert response.status_code == 302 and response["Location"] == UNIT + "?q=li"
    entry = Entry.objects.get(person=sd.worker_person)
    assert (entry.round, entry.status, entry.source, entry.unit) == (s.jinan_round, EntryStatus.REGISTERED,
                                                                      EntrySource.UNIT, sd.steel)


def test_a_viewer_sees_the_entries_but_registers_nobody(client, sd, s):
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    client.force_login(sd.jinan_viewer)
    response = client.get(UNIT, {"competition": s.competition.pk, "event": s.event.pk, "q": "李"})
    assert response.status_code == 200 and not response.context["can_register"]
    assert [e.pk for e in response.context["rows"]] == [entry.pk]
    assert not response.context["rows"][0].can_withdraw
    assert reverse("competitions:unit_withdraw", args=[entry.pk]) not in page_text(response)
    other = worker(sd.team, "张伟")
    assert (
        client.post(reverse("competitions:unit_register"), {"person": other.pk, "event": s.event.pk}).status_code == 404
    )
    assert client.post(reverse("competitions:unit_withdraw", args=[entry.pk])).status_code == 404
    assert Entry.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# The worker's page


def test_the_worker_sees_each_event_with_a_register_button_and_registers(client, sd, s):
    client.force_login(sd.worker)
    response = client.get(MY)
    verdict = cards(response)["车工"]
    assert not verdict.refused and verdict.rnd == s.jinan_round and verdict.messages == []
    assert reverse("competitions:my_register", args=[s.event.pk]) in page_text(response)
    response = client.post(reverse("competitions:my_register", args=[s.event.pk]), follow=True)
    entry = Entry.objects.get()
    assert (entry.person, entry.round, entry.source) == (sd.worker_person, s.jinan_round, EntrySource.SELF)
    # the worker is told where they are entered and what happens next
    assert "You are registered for 车工 (" in page_text(response)
    assert "Next: when registration closes" in page_text(response)
    # now the event says why a second registration is refused, and the entry is listed
    assert [r.code for r in cards(response)["车工"].reasons] == ["duplicate"]
    assert [e.pk for e in response.context["entries"]] == [entry.pk]


def test_a_round_closed_to_registration_is_shown_as_not_open_rather_than_not_eligible(client, sd, s):
    Round.objects.filter(pk=s.jinan_round.pk).update(state=RoundState.CHECKIN)
    client.force_login(sd.worker)
    response = client.get(MY)
    verdict = cards(response)["车工"]
    assert verdict.problem is not None and verdict.refused
    text = page_text(response)
    assert "Registration for this round is closed." in text
    assert "Not open to you" in text and "Not eligible" not in text
    assert reverse("competitions:my_register", args=[s.event.pk]) not in text


def test_the_worker_sees_every_reason_before_trying(client, sd):
    s = season(sd, max_age=30, front_line_only=True, members_only=True)
    old = worker(sd.team, "老张", birth_date=datetime.date(1960, 1, 1), post="副厂长")
    Membership.objects.create(person=old, union=sd.steel, status=MembershipStatus.SUSPENDED)
    account = user("laozhang", person=old)
    client.force_login(account)
    response = client.get(MY)
    verdict = cards(response)["车工"]
    assert [r.code for r in verdict.reasons] == ["too_old", "membership_not_active", "not_front_line", "leader"]
    text = page_text(response)
    assert "Age 66, above the maximum age of 30 (on 2026-09-01)." in text
    assert "Not a front-line worker; this event is open to front-line workers only." in text
    assert "Enterprise leaders may not enter this event." in text
    assert "Not eligible" in text
    assert reverse("competitions:my_register", args=[s.event.pk]) not in text
    # trying anyway is refused with the same reasons, and nothing is written
    response = client.post(reverse("competitions:my_register", args=[s.event.pk]), follow=True)
    assert "above the maximum age of 30" in page_text(response)
    assert not Entry.objects.exists()


def test_the_preview_is_what_registering_gives(sd, s):
    """The page's planner decides as `queries.preview` does (same reasons, same status)."""
    services.update_event(actor=sd.province_admin, event=s.event, unit_quota=1, capacity=2)
    services.register(actor=sd.enterprise_cadre, person=worker(sd.team, "甲"), rnd=s.jinan_round)
    for p in [sd.worker_person, worker(sd.team, "乙"), worker(sd.team, "丙", birth_date=datetime.date(1950, 1, 1))]:
        planned = queries.preview_events(p, [s.event])[s.event.pk]
        decision = queries.preview(person=p, rnd=s.jinan_round)
        assert (planned.decision.status, [r.code for r in planned.reasons]) == (
            decision.status, [r.code for r in decision.reasons])


def test_a_full_round_puts_the_worker_on_the_waiting_list_and_a_withdrawal_promotes_them(client, sd, s):
    services.update_event(actor=sd.province_admin, event=s.event, capacity=1)
    first = services.register(actor=sd.enterprise_cadre, person=worker(sd.team, "甲"), rnd=s.jinan_round)
    client.force_login(sd.worker)
    verdict = cards(client.get(MY))["车工"]
    assert verdict.status == EntryStatus.WAITLISTED and [r.code for r in verdict.reasons] == ["waitlisted"]
    response = client.post(reverse("competitions:my_register", args=[s.event.pk]), follow=True)
    mine = Entry.objects.get(person=sd.worker_person)
    assert mine.status == EntryStatus.WAITLISTED
    assert "waiting list" in page_text(response)
    assert "number 1 on the waiting list" in page_text(response)  # the note kept with the entry
    client.force_login(sd.enterprise_cadre)
    response = client.post(reverse("competitions:unit_withdraw", args=[first.pk]), {"reason": "生病", "next": UNIT})
    assert response.status_code == 302
    first.refresh_from_db()
    mine.refresh_from_db()
    assert first.status == EntryStatus.WITHDRAWN and mine.status == EntryStatus.REGISTERED
    assert AuditEvent.objects.filter(verb="competitions.entry.withdrawn", note="生病").exists()


def test_the_worker_withdraws_while_allowed_and_not_after_the_contest_starts(client, sd, s):
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    client.force_login(sd.worker)
    assert client.get(MY).context["entries"][0].can_withdraw
    Round.objects.filter(pk=s.jinan_round.pk).update(state=RoundState.MARKING)
    response = client.get(MY)
    assert not response.context["entries"][0].can_withdraw
    response = client.post(reverse("competitions:my_withdraw", args=[entry.pk]), follow=True)
    assert "The contest has started" in page_text(response)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.REGISTERED
    Round.objects.filter(pk=s.jinan_round.pk).update(state=RoundState.REGISTRATION)
    client.post(reverse("competitions:my_withdraw", args=[entry.pk]), {"reason": "工作安排冲突"})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN


def test_my_entry_shows_numbers_ticket_results_and_certificate(client, sd, s):
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    services.draw_contestant_numbers(actor=sd.province_admin, rnd=s.jinan_round, witnesses=WITNESSES)
    client.force_login(sd.worker)
    entry.refresh_from_db()
    text = page_text(client.get(MY))
    assert entry.contestant_no in text and f"/competitions/entries/{entry.pk}/ticket.pdf" in text
    assert "Place" not in text  # no results before they are published
    Entry.objects.filter(pk=entry.pk).update(station_no="07", total=9650, place=1, prize=Prize.FIRST)
    Round.objects.filter(pk=s.jinan_round.pk).update(state=RoundState.PUBLICITY)
    [doc] = core_certificates.issue(actor=None, kind="competitions.prize", issuer_path=s.jinan_round.organiser.path,
                                   issuer_name="济南市总工会", year=2026, statements=[core_certificates.Statement(
                                       owner=entry, holder_name="李强", title="First prize")])
    cert = Certificate.objects.create(entry=entry, document=doc, prize=Prize.FIRST)
    response = client.get(MY)
    text = page_text(response)
    assert "96.50" in text and "First prize" in text and "07" in text
    assert f"/competitions/certificates/{cert.pk}.pdf" in text
    IssuedCertificate.objects.filter(pk=doc.pk).update(revoked_at=timezone.now())
    assert f"/competitions/certificates/{cert.pk}.pdf" not in page_text(client.get(MY))


def test_a_worker_without_a_record_is_told_so(client, sd, s):
    account = user("nobody")
    client.force_login(account)
    response = client.get(MY)
    assert response.status_code == 200 and response.context["person"] is None
    assert client.post(reverse("competitions:my_register", args=[s.event.pk])).status_code == 403


def test_competitions_that_are_not_open_are_not_offered(client, sd):
    s = season(sd, state=CompetitionState.PREPARING)
    client.force_login(sd.worker)
    assert client.get(MY).context["competitions"] == []
    client.post(reverse("competitions:my_register", args=[s.event.pk]))
    assert not Entry.objects.exists()


def test_the_worker_page_uses_a_constant_number_of_queries(client, sd, s):
    services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    client.force_login(sd.worker)
    with CaptureQueriesContext(connection) as before:
        client.get(MY)
    for i in range(4):
        services.add_event(actor=sd.province_admin, competition=s.competition, name=f"焊工{i}", members_only=False)
    services.update_competition(actor=sd.province_admin, competition=s.competition, exclusive=False)
    services.open_rounds(actor=sd.province_admin, stage=s.qualifier)
    for event in s.competition.events.exclude(pk=s.event.pk)[:2]:
        services.register(actor=sd.worker, person=sd.worker_person,
                          rnd=queries.round_for(event, sd.worker_person))
    with CaptureQueriesContext(connection) as after:
        response = client.get(MY)
    assert len(cards(response)) == 5 and len(response.context["entries"]) == 3
    assert len(after.captured_queries) == len(before.captured_queries)


# ---------------------------------------------------------------------------------------------
# The unit's page


def test_the_unit_finds_a_worker_by_name_mobile_or_the_last_digits_of_the_id(client, sd, s):
    client.force_login(sd.enterprise_cadre)
    base = {"competition": s.competition.pk, "event": s.event.pk}
    last4 = sd.worker_person.id_masked[-4:]
    for q in ["李", "强", "2345678", "13912345678", last4]:  # the one people search (orgs.queries.people)
        found = client.get(UNIT, {**base, "q": q}).context["found"]
        assert [p.name for p, _planned in found] == ["李强"], q
    assert client.get(UNIT, {**base, "q": "王芳"}).context["found"] == []


def test_the_unit_sees_the_reasons_of_a_worker_it_cannot_register(client, sd):
    s = season(sd, front_line_only=True)
    worker(sd.team, "张伟", is_front_line=False)
    client.force_login(sd.enterprise_cadre)
    response = client.get(UNIT, {"competition": s.competition.pk, "event": s.event.pk, "q": "张伟"})
    [(person, planned)] = response.context["found"]
    assert [r.code for r in planned.reasons] == ["not_front_line"]
    text = page_text(response)
    assert "open to front-line workers only" in text
    response = client.post(
        reverse("competitions:unit_register"), {"person": person.pk, "event": s.event.pk}, follow=True
    )
    assert "张伟 cannot be registered" in page_text(response)
    assert not Entry.objects.exists()


def test_the_unit_quota_refuses_the_next_registration(client, sd, s):
    services.update_event(actor=sd.province_admin, event=s.event, unit_quota=1)
    client.force_login(sd.enterprise_cadre)
    client.post(reverse("competitions:unit_register"), {"person": sd.worker_person.pk, "event": s.event.pk})
    other = worker(sd.team, "张伟")
    response = client.get(UNIT, {"competition": s.competition.pk, "event": s.event.pk, "q": "张伟"})
    assert [r.code for r in response.context["found"][0][1].reasons] == ["unit_quota"]
    response = client.post(
        reverse("competitions:unit_register"), {"person": other.pk, "event": s.event.pk}, follow=True
    )
    assert "quota of 1" in page_text(response)
    assert list(Entry.objects.values_list("person__name", flat=True)) == ["李强"]


def test_the_unit_filters_and_exports_its_entries(client, sd, s):
    services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    gone = services.register(actor=sd.enterprise_cadre, person=worker(sd.team, "=HYPERLINK(1)"),
                             rnd=s.jinan_round)
    services.withdraw_entry(actor=sd.enterprise_cadre, entry=gone)
    client.force_login(sd.enterprise_cadre)
    base = {"competition": s.competition.pk}
    assert len(client.get(UNIT, base).context["rows"]) == 2
    assert [e.person.name for e in client.get(UNIT, {**base, "status": "withdrawn"}).context["rows"]] == [
        "=HYPERLINK(1)"]
    assert [e.person.name for e in client.get(UNIT, {**base, "name": "李"}).context["rows"]] == ["李强"]
    fragment = client.get(UNIT, {**base, "name": "李"}, HTTP_HX_REQUEST="true")
    assert fragment.templates[0].name == "competitions/worker/_unit_entries.html"
    response = client.get(UNIT, {**base, "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Competition" and len(rows) == 3
    names = {r[5] for r in rows[1:]}
    assert names == {"李强", "'=HYPERLINK(1)"}  # formula-like text is escaped
    assert sd.worker_person.id_masked in {r[6] for r in rows[1:]}


def test_the_unit_list_uses_a_constant_number_of_queries(client, sd, s):
    services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    client.force_login(sd.enterprise_cadre)
    params = {"competition": s.competition.pk, "event": s.event.pk, "q": "济钢"}
    worker(sd.team, "济钢甲")
    with CaptureQueriesContext(connection) as before:
        response = client.get(UNIT, params)
    assert len(response.context["rows"]) == 1 and len(response.context["found"]) == 1
    for i in range(12):
        p = worker(sd.team if i % 2 else sd.workshop, f"济钢{i}")
        if i % 3:
            services.register(actor=sd.enterprise_cadre, person=p, rnd=s.jinan_round)
    with CaptureQueriesContext(connection) as after:
        response = client.get(UNIT, params)
    assert len(response.context["rows"]) == 9 and len(response.context["found"]) == 13
    assert len(after.captured_queries) == len(before.captured_queries)


def test_registration_closed_shows_the_entries_without_the_search(client, sd, s):
    entry = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    services.change_state(actor=sd.province_admin, competition=s.competition, state=CompetitionState.CLOSED)
    client.force_login(sd.enterprise_cadre)
    response = client.get(UNIT)
    assert response.context["competition"] == s.competition and not response.context["can_register"]
    assert [e.pk for e in response.context["rows"]] == [entry.pk]
    response = client.post(
        reverse("competitions:unit_register"), {"person": worker(sd.team, "张伟").pk, "event": s.event.pk}, follow=True
    )
    assert "not open" in page_text(response)
    assert Entry.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Teams


@pytest.fixture
def team_event(sd, s):
    event = services.add_event(actor=sd.province_admin, competition=s.competition, name="电工团体", is_team=True,
                               team_size=3, team_drawn=1, members_only=False, exclude_leaders=False)
    services.update_competition(actor=sd.province_admin, competition=s.competition, exclusive=False)
    services.open_rounds(actor=sd.province_admin, stage=s.qualifier)
    return event


def test_a_unit_enters_its_team_and_the_organiser_draws_the_rest(client, sd, s, team_event):
    a, b = worker(sd.team, "赵一"), worker(sd.workshop, "钱二")
    for i in range(3):
        worker(sd.team, f"候选{i}")
    client.force_login(sd.enterprise_cadre)
    url = reverse("competitions:team_form", args=[team_event.pk])
    response = client.get(url)
    assert [o.pk for o in response.context["units"]] == [sd.steel.pk]
    response = client.post(url, {"unit": sd.steel.pk, "q": "赵一", "members": [a.pk], "search": "1"})
    assert response.status_code == 200 and [p.pk for p in response.context["chosen"]] == [a.pk]
    response = client.post(url, {"unit": sd.steel.pk, "members": [a.pk], "save": "1"})
    assert response.status_code == 400 and "members" in response.context["form"].errors
    assert not Team.objects.exists()
    response = client.post(url, {"unit": sd.steel.pk, "members": [a.pk, b.pk], "name": "济钢电工队", "save": "1"})
    team = Team.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("competitions:team_detail", args=[team.pk])
    assert team.name == "济钢电工队" and set(team.members.values_list("person__name", flat=True)) == {"赵一", "钱二"}
    # the unit sees the team but may not draw
    response = client.get(reverse("competitions:team_detail", args=[team.pk]))
    assert not response.context["can_draw"]
    assert (
        client.post(
            reverse("competitions:team_detail", args=[team.pk]), {"name_0": "王某", "name_1": "李某"}
        ).status_code
        == 403
    )
    # the same unit cannot enter a second team: the form leads to the team
    assert client.get(url, {"unit": sd.steel.pk})["Location"] == reverse("competitions:team_detail", args=[team.pk])
    # the Jinan round's organiser draws, before two witnesses
    client.force_login(sd.jinan_cadre)
    detail = reverse("competitions:team_detail", args=[team.pk])
    response = client.get(detail)
    assert response.context["can_draw"]
    response = client.post(detail, {"name_0": "监督员王某"})
    assert response.status_code == 400 and "two witnesses" in page_text(response)
    assert not Draw.objects.exists()
    response = client.post(detail, {"name_0": "监督员王某", "number_0": "17", "name_1": "职工代表李某"})
    assert response.status_code == 302
    drawn = Entry.objects.get(team=team, source=EntrySource.DRAWN)
    assert drawn.person.name not in {"赵一", "钱二"} and drawn.unit == sd.steel  # from the unit's roster
    response = client.get(detail)
    assert response.context["draw"] is not None and not response.context["can_draw"]
    assert "Drawn" in page_text(response) and "监督员王某" in page_text(response)
    # a second draw is refused
    response = client.post(detail, {"name_0": "监督员王某", "name_1": "职工代表李某"})
    assert response.status_code == 400
    assert Draw.objects.count() == 1


def test_another_city_does_not_see_the_team(client, sd, s, team_event):
    rnd = queries.round_for_unit(team_event, sd.steel)
    team = services.form_team(actor=sd.enterprise_cadre, rnd=rnd, unit=sd.steel,
                              members=[worker(sd.team, "赵一"), worker(sd.team, "钱二")])
    client.force_login(sd.qingdao_cadre)
    assert client.get(reverse("competitions:team_detail", args=[team.pk])).status_code == 404
    assert client.get(reverse("competitions:team_form", args=[team_event.pk]), {"unit": sd.steel.pk}).status_code == 404
    client.force_login(sd.province_admin)
    assert client.get(reverse("competitions:team_detail", args=[team.pk])).context["can_draw"]


def test_the_unit_page_sends_team_events_to_the_team_form(client, sd, s, team_event):
    client.force_login(sd.enterprise_cadre)
    response = client.get(UNIT, {"competition": s.competition.pk, "event": team_event.pk})
    assert reverse("competitions:team_form", args=[team_event.pk]) in page_text(response)
    response = client.post(
        reverse("competitions:unit_register"), {"person": sd.worker_person.pk, "event": team_event.pk}, follow=True
    )
    assert "team event" in page_text(response)
    assert not Entry.objects.exists()
