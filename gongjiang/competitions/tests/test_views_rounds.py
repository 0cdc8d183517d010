"""The organiser's round pages as a specification: the Jinan round of the provincial competition's city
qualifier, run by the Jinan federation (or the province), seen but not run by the Lixia county federation,
invisible to Qingdao; registrations, witnessed draws and their re-runs, check-in at the door with the
admission ticket's QR code, judges and the opening of the marking."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongjiang.competitions import services
from gongjiang.competitions.choices import EntryStatus, JudgeRole, RoundState
from gongjiang.competitions.models import Conflict, Draw, Entry, Judge, Round, RoundJudge, Sheet
from gongjiang.competitions.tests.factories import WITNESSES, panel, season, worker
from gongjiang.competitions.tests.factories import judge as make_judge
from gongjiang.competitions.views import rounds as views
from gongjiang.orgs.models import User
from gongjiang.orgs.tests.factories import user

PAGES = ["round_detail", "round_draws", "round_checkin", "round_judges"]


@pytest.fixture
def client(client):
    """Pages in English, so that messages can be matched (the suite's language is zh-hans)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def s(sd):
    return season(sd, theory_weight=0, practical_weight=100)


@pytest.fixture
def jinan(sd, s):
    """The Jinan round with 李强 (registering himself) and two of his colleagues (registered by the unit)."""
    entries = [services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)]
    for i in range(2):
        entries.append(services.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, f"济钢{i}"),
                                         rnd=s.jinan_round))
    services.register(actor=sd.qingdao_cadre, person=sd.qd_person, rnd=s.qingdao_round)
    return s.jinan_round


def witnesses(kind: str, *people: tuple[str, str]) -> dict[str, str]:
    data = {}
    for i, (name, number) in enumerate(people):
        data[f"{kind}-name_{i}"] = name
        data[f"{kind}-number_{i}"] = number
    return data


TWO = (("监督员王某", "17"), ("选手代表李某", "42"))


def to_checkin(sd: Any, rnd: Round, *, check_in: bool = True) -> None:
    services.draw_contestant_numbers(actor=sd.province_admin, rnd=rnd, witnesses=WITNESSES)
    if check_in:
        for e in Entry.objects.filter(round=rnd, status=EntryStatus.REGISTERED):
            services.check_in(actor=sd.province_admin, entry=e)


def to_codes(sd: Any, rnd: Round) -> None:
    to_checkin(sd, rnd)
    services.draw_stations(actor=sd.province_admin, rnd=rnd, witnesses=WITNESSES)
    services.draw_codes(actor=sd.province_admin, rnd=rnd, witnesses=WITNESSES)


# ---------------------------------------------------------------------------------------------
# Permission matrix


def test_anonymous_users_are_sent_to_log_in(client, jinan):
    for name in PAGES:
        response = client.get(reverse(f"competitions:{name}", args=[jinan.pk]))
        assert response.status_code == 302 and "/login" in response["Location"]
    entry = Entry.objects.filter(round=jinan).first()
    assert client.get(reverse("competitions:entry_ticket", args=[entry.pk])).status_code == 302
    assert client.post(reverse("competitions:round_draw", args=[jinan.pk, "numbers"]), witnesses("numbers", *TWO)
                       ).status_code == 302
    assert not Draw.objects.exists()


def test_qingdao_never_sees_the_jinan_round(client, sd, jinan):
    client.force_login(sd.qingdao_cadre)
    for name in PAGES:
        assert client.get(reverse(f"competitions:{name}", args=[jinan.pk])).status_code == 404
    assert client.post(reverse("competitions:round_draw", args=[jinan.pk, "numbers"]), witnesses("numbers", *TWO)
                       ).status_code == 404
    draw = services.draw_contestant_numbers(actor=sd.province_admin, rnd=jinan, witnesses=WITNESSES)
    assert client.get(reverse("competitions:draw_detail", args=[draw.pk])).status_code == 404
    assert client.get(reverse("competitions:draw_rerun", args=[draw.pk])).status_code == 404
    # ... but its own round, and the provincial final above it
    for rnd in Round.objects.exclude(organiser=sd.jinan):
        assert client.get(reverse("competitions:round_detail", args=[rnd.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["jinan_cadre", "province_admin"])
def test_the_jinan_federation_and_the_province_run_the_jinan_round(client, sd, jinan, persona):
    client.force_login(getattr(sd, persona))
    for name in PAGES:
        response = client.get(reverse(f"competitions:{name}", args=[jinan.pk]))
        assert response.status_code == 200
        assert response.context["can_change"] is True
    page = client.get(reverse("competitions:round_draws", args=[jinan.pk])).content.decode()
    assert reverse("competitions:round_draw", args=[jinan.pk, "numbers"]) in page
    response = client.post(reverse("competitions:round_draw", args=[jinan.pk, "numbers"]), witnesses("numbers", *TWO))
    assert response.status_code == 302
    jinan.refresh_from_db()
    assert jinan.state == RoundState.CHECKIN
    assert set(Entry.objects.filter(round=jinan).values_list("contestant_no", flat=True)) == {"001", "002", "003"}


def test_a_county_cadre_sees_the_round_of_their_city_but_cannot_act(client, sd, jinan):
    client.force_login(sd.county_cadre)
    for name in PAGES:
        response = client.get(reverse(f"competitions:{name}", args=[jinan.pk]))
        assert response.status_code == 200
        assert response.context["can_change"] is False
    page = client.get(reverse("competitions:round_draws", args=[jinan.pk])).content.decode()
    assert reverse("competitions:round_draw", args=[jinan.pk, "numbers"]) not in page
    judges_page = client.get(reverse("competitions:round_judges", args=[jinan.pk])).content.decode()
    assert reverse("competitions:round_open_marking", args=[jinan.pk]) not in judges_page
    entry = Entry.objects.filter(round=jinan).first()
    posts = [
        (reverse("competitions:round_detail", args=[jinan.pk]), {"venue": "济南技师学院"}),
        (reverse("competitions:round_draw", args=[jinan.pk, "numbers"]), witnesses("numbers", *TWO)),
        (reverse("competitions:round_entry_approve", args=[jinan.pk, entry.pk]), {}),
        (reverse("competitions:round_entry_refuse", args=[jinan.pk, entry.pk]), {"reason": "不符合"}),
        (reverse("competitions:round_checkin", args=[jinan.pk]), {"no": "001"}),
        (reverse("competitions:round_judge_assign", args=[jinan.pk]), {}),
        (reverse("competitions:round_judge_add", args=[jinan.pk]), {}),
        (reverse("competitions:round_judge_conflict", args=[jinan.pk]), {}),
        (reverse("competitions:round_open_marking", args=[jinan.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    jinan.refresh_from_db()
    assert jinan.venue == "" and jinan.state == RoundState.REGISTRATION
    assert not Draw.objects.exists()
    # Anyone who can see the round can re-run its draws.
    draw = services.draw_contestant_numbers(actor=sd.province_admin, rnd=jinan, witnesses=WITNESSES)
    response = client.get(reverse("competitions:draw_rerun", args=[draw.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response.context["report"].ok


def test_the_registrations_a_county_cadre_sees_are_those_of_their_units(client, sd, s, jinan):
    from gongjiang.orgs.tests.factories import org

    elsewhere = org(sd.jinan, "市中区总工会", "county")
    unit = org(elsewhere, "济南机床厂工会", "grassroots")
    services.register(actor=sd.jinan_cadre, person=worker(unit, "外区职工"), rnd=jinan)
    client.force_login(sd.county_cadre)
    names = {e.person.name for e in client.get(reverse("competitions:round_detail", args=[jinan.pk])).context["rows"]}
    assert names == {"李强", "济钢0", "济钢1"}
    client.force_login(sd.jinan_cadre)
    names = {e.person.name for e in client.get(reverse("competitions:round_detail", args=[jinan.pk])).context["rows"]}
    assert names == {"李强", "济钢0", "济钢1", "外区职工"}


# ---------------------------------------------------------------------------------------------
# Header: venue and dates


def test_the_organiser_sets_the_venue_and_dates(client, sd, jinan):
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:round_detail", args=[jinan.pk])
    response = client.post(url, {"venue": "济南技师学院实训楼", "starts_on": "2026-10-10",
                                 "publicity_until": "2026-10-01"})
    assert response.status_code == 400
    assert "cannot end before the contest" in str(response.context["details_form"].errors)
    jinan.refresh_from_db()
    assert (jinan.venue, jinan.starts_on, jinan.publicity_until) == ("", None, None)
    assert client.post(url, {"venue": "济南技师学院实训楼", "starts_on": "2026-10-10",
                             "publicity_until": "2026-10-20"}).status_code == 302
    jinan.refresh_from_db()
    assert jinan.venue == "济南技师学院实训楼" and str(jinan.starts_on) == "2026-10-10"
    page = client.get(url).content.decode()
    assert "济南技师学院实训楼" in page and 'aria-current="step"' in page


# ---------------------------------------------------------------------------------------------
# Registrations tab


def test_the_registrations_filter_by_status_unit_source_and_search(client, sd, jinan):
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:round_detail", args=[jinan.pk])
    response = client.get(url)
    assert response.context["total"] == 3
    assert [(v, n) for v, _label, n in response.context["counts"]] == [(EntryStatus.REGISTERED, 3)]

    def names(**params: Any) -> set[str]:
        return {e.person.name for e in client.get(url, params).context["rows"]}

    assert names(source="self") == {"李强"}
    assert names(source="unit") == {"济钢0", "济钢1"}
    assert names(q="济钢") == {"济钢0", "济钢1"}
    assert names(unit=sd.steel.pk) == {"李强", "济钢0", "济钢1"}
    assert names(status="pending") == set()
    to_checkin(sd, jinan, check_in=False)
    number = Entry.objects.get(person=sd.worker_person).contestant_no
    assert names(q=number) == {"李强"}
    # The HTMX search answers with the rows only.
    fragment = client.get(url, {"q": "济钢"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and "济钢0" in fragment.content.decode()


def test_the_organiser_approves_and_refuses_with_a_reason(client, sd):
    s = season(sd, requires_approval=True)
    li = services.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    other = services.register(actor=sd.enterprise_cadre, person=worker(sd.workshop, "济钢0"), rnd=s.jinan_round)
    assert li.status == other.status == EntryStatus.PENDING
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("competitions:round_detail", args=[s.jinan_round.pk])).content.decode()
    assert reverse("competitions:round_entry_approve", args=[s.jinan_round.pk, li.pk]) in page
    assert client.post(reverse("competitions:round_entry_approve", args=[s.jinan_round.pk, li.pk])).status_code == 302
    li.refresh_from_db()
    assert li.status == EntryStatus.REGISTERED
    refuse = reverse("competitions:round_entry_refuse", args=[s.jinan_round.pk, other.pk])
    response = client.post(refuse, {"reason": "  "})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    other.refresh_from_db()
    assert other.status == EntryStatus.PENDING
    assert client.post(refuse, {"reason": "未取得中级工证书"}).status_code == 302
    other.refresh_from_db()
    assert other.status == EntryStatus.REFUSED
    # Approving what is no longer pending is refused with a message, nothing changed.
    response = client.post(reverse("competitions:round_entry_approve", args=[s.jinan_round.pk, other.pk]), follow=True)
    assert "Only a registration awaiting approval" in response.content.decode()
    other.refresh_from_db()
    assert other.status == EntryStatus.REFUSED


def test_the_organiser_and_the_unit_withdraw_a_registration(client, sd, jinan):
    entry = Entry.objects.get(round=jinan, person__name="济钢0")
    client.force_login(sd.enterprise_cadre)  # the unit: sees the round through its city, may withdraw its people
    url = reverse("competitions:round_entry_withdraw", args=[jinan.pk, entry.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": "工作调整"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN
    response = client.post(url, {"reason": "again"})
    assert response.status_code == 400 and "not active" in str(response.context["form"].errors)


def test_the_export_masks_ids_and_has_no_anonymous_code_before_decryption(client, sd, jinan):
    to_codes(sd, jinan)
    codes = set(Entry.objects.filter(round=jinan).values_list("code", flat=True))
    assert all(codes)
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("competitions:round_detail", args=[jinan.pk]), {"export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("Name", "ID number", "Unit", "Status", "Source", "Contestant number", "Station")
    cells = {str(c) for row in rows for c in row if c is not None}
    assert not cells & codes
    li = next(r for r in rows if r[0] == "李强")
    assert li[1] == sd.worker_person.id_masked and "*" in li[1]
    assert li[5] and li[6]
    # The page does not show the codes either.
    assert not any(
        c in client.get(reverse("competitions:round_detail", args=[jinan.pk])).content.decode() for c in codes
    )
    Round.objects.filter(pk=jinan.pk).update(decrypted_at=timezone.now(), state=RoundState.DECRYPTED)
    rows = list(
        load_workbook(
            io.BytesIO(client.get(reverse("competitions:round_detail", args=[jinan.pk]), {"export": "xlsx"}).content)
        ).active.iter_rows(values_only=True)
    )
    assert rows[0][-1] == "Anonymous code" and {r[-1] for r in rows[1:]} == codes


def test_the_registrations_tab_uses_a_constant_number_of_queries(client, sd, s, jinan):
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:round_detail", args=[jinan.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as few_filtered:
        client.get(url, {"status": "registered", "q": "济"})
    for i in range(12):
        services.register(actor=sd.enterprise_cadre, person=worker(sd.team if i % 2 else sd.workshop, f"工{i}"),
                          rnd=jinan)
    Entry.objects.filter(round=jinan, person__name="工3").update(status=EntryStatus.PENDING)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 15
    assert len(many.captured_queries) == len(few.captured_queries)
    with CaptureQueriesContext(connection) as many_filtered:
        client.get(url, {"status": "registered", "q": "济"})
    assert len(many_filtered.captured_queries) == len(few_filtered.captured_queries)


# ---------------------------------------------------------------------------------------------
# Draws


def test_a_draw_with_fewer_than_two_witnesses_is_refused_and_nothing_drawn(client, sd, jinan):
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:round_draw", args=[jinan.pk, "numbers"])
    response = client.post(url, witnesses("numbers", ("监督员王某", "17")))
    assert response.status_code == 400
    assert "at least two witnesses" in response.content.decode()
    response = client.post(url, witnesses("numbers", ("监督员王某", "1x"), ("选手代表", "")))
    assert response.status_code == 400 and "digits only" in response.content.decode()
    assert not Draw.objects.exists()
    jinan.refresh_from_db()
    assert jinan.state == RoundState.REGISTRATION
    assert not Entry.objects.exclude(contestant_no="").exists()


def test_the_witnesses_numbers_go_into_the_seed(client, sd, jinan):
    client.force_login(sd.jinan_cadre)
    client.post(reverse("competitions:round_draw", args=[jinan.pk, "numbers"]),
                witnesses("numbers", ("监督员王某", "17"), ("选手代表李某", ""), ("公证员", "2026")))
    draw = Draw.objects.get()
    assert draw.seed_parts[1:] == ["17", "2026"]
    assert [w["name"] for w in draw.witnesses] == ["监督员王某", "选手代表李某", "公证员"]
    assert draw.drawn_by == sd.jinan_cadre


def test_a_second_draw_is_refused_and_the_refusal_shown(client, sd, jinan):
    to_checkin(sd, jinan)
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:round_draw", args=[jinan.pk, "stations"])
    assert client.post(url, witnesses("stations", *TWO)).status_code == 302
    stations = dict(Entry.objects.filter(round=jinan).values_list("pk", "station_no"))
    response = client.post(url, witnesses("stations", ("另一监督", "99"), ("另一代表", "1")))
    assert response.status_code == 400
    assert "already made" in response.content.decode()
    assert Draw.objects.filter(purpose__endswith="/ station").count() == 1
    assert dict(Entry.objects.filter(round=jinan).values_list("pk", "station_no")) == stations
    # Drawing the numbers again is refused too (registration is closed).
    response = client.post(reverse("competitions:round_draw", args=[jinan.pk, "numbers"]), witnesses("numbers", *TWO))
    assert response.status_code == 400
    assert Draw.objects.filter(purpose__endswith="/ contestant_no").count() == 1


def test_a_draw_re_runs_consistently_and_a_tampered_record_does_not(client, sd, jinan):
    draw = services.draw_contestant_numbers(actor=sd.province_admin, rnd=jinan, witnesses=WITNESSES)
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("competitions:draw_rerun", args=[draw.pk]), HTTP_HX_REQUEST="true")
    assert response.context["report"].ok and "Consistent" in response.content.decode()
    page = client.get(
        reverse("competitions:draw_rerun", args=[draw.pk])
    )  # without JavaScript: the record page with the verdict
    assert page.status_code == 200 and "Consistent" in page.content.decode()
    tampered = [list(pair) for pair in draw.result]
    tampered[0][1], tampered[1][1] = tampered[1][1], tampered[0][1]  # two numbers swapped in the database
    Draw.objects.filter(pk=draw.pk).update(result=tampered)
    response = client.get(reverse("competitions:draw_rerun", args=[draw.pk]), HTTP_HX_REQUEST="true")
    report = response.context["report"]
    assert not report.ok and report.seed_ok and report.inputs_ok and not report.result_ok
    assert "Inconsistent" in response.content.decode()
    Draw.objects.filter(pk=draw.pk).update(result=draw.result, seed_parts=["someone else's seed"])
    report = client.get(reverse("competitions:draw_rerun", args=[draw.pk]), HTTP_HX_REQUEST="true").context["report"]
    assert not report.ok and not report.seed_ok


def test_the_draw_record_page_describes_the_algorithm_and_seals_the_codes(client, sd, jinan):
    to_codes(sd, jinan)
    client.force_login(sd.county_cadre)
    station = Draw.objects.get(purpose__endswith="/ station")
    page = client.get(reverse("competitions:draw_detail", args=[station.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert station.seed in text and station.input_digest in text and "gongjiang-draw-v1" in text
    assert "How to re-run this draw independently" in text
    record = client.get(reverse("competitions:draw_detail", args=[station.pk]), {"format": "json"}).json()
    assert record["seed"] == station.seed and record["result"] == station.result
    from gongjiang.competitions.rules import draws as rules

    assert rules.verify_record(record) and rules.seed_from(*record["seed_parts"]) == record["seed"]
    code = Draw.objects.get(purpose__endswith="/ code")
    text = client.get(reverse("competitions:draw_detail", args=[code.pk])).content.decode()
    assert code.seed not in text and not any(label in text for _item, label in code.result)
    assert client.get(reverse("competitions:draw_detail", args=[code.pk]), {"format": "json"}).status_code == 403
    tab = client.get(reverse("competitions:round_draws", args=[jinan.pk])).content.decode()
    assert code.seed[:10] not in tab and not any(label in tab for _item, label in code.result)
    # Its re-run still works, on the server.
    assert client.get(reverse("competitions:draw_rerun", args=[code.pk]), HTTP_HX_REQUEST="true").context["report"].ok
    Round.objects.filter(pk=jinan.pk).update(decrypted_at=timezone.now(), state=RoundState.DECRYPTED)
    assert code.seed in client.get(reverse("competitions:draw_detail", args=[code.pk])).content.decode()


def test_the_draw_records_say_whom_each_item_stands_for_and_never_name_a_code(client, sd, jinan):
    """The contestant-number draw was made from entry numbers: its record names each entry's contestant (masked
    ID tail, unit) as far as the reader sees them. The station and code draws show numbers only; the contestant
    number beside a code only to the organiser, once decrypted. The re-run still checks the recorded items."""
    to_codes(sd, jinan)
    numbers, stations, codes = (Draw.objects.get(purpose__endswith=f"/ {what}")
                                for what in ("contestant_no", "station", "code"))
    entries = {e.pk: e for e in Entry.objects.filter(round=jinan).select_related("person", "unit")}
    li = Entry.objects.get(round=jinan, person=sd.worker_person)
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("competitions:draw_detail", args=[numbers.pk]))
    rows = page.context["draw"].rows
    assert [r[0] for r in rows] == numbers.inputs  # the input list, in its recorded order
    assert [li.pk, "李强", sd.worker_person.id_masked[-4:], li.unit.display_name, li.contestant_no] in rows
    assert sd.worker_person.id_masked not in page.content.decode()  # the tail only
    tab = client.get(reverse("competitions:round_draws", args=[jinan.pk])).context["records"]
    assert f"李强→{li.contestant_no}" in tab[0].preview
    client.force_login(sd.county_cadre)  # sees the round, and the names of their own units' people only
    seen = set(Entry.objects.for_user(sd.county_cadre, "view").filter(round=jinan).values_list("pk", flat=True))
    rows = client.get(reverse("competitions:draw_detail", args=[numbers.pk])).context["draw"].rows
    assert [r[1] for r in rows] == [entries[pk].person.name if pk in seen else "—" for pk in numbers.inputs]

    client.force_login(sd.jinan_cadre)
    by_number = {e.contestant_no: e for e in entries.values()}
    page = client.get(reverse("competitions:draw_detail", args=[stations.pk]))
    assert page.context["draw"].rows == [[no, by_number[no].station_no] for no in stations.inputs]
    assert not any(e.person.name in page.content.decode() for e in entries.values())
    page = client.get(reverse("competitions:draw_detail", args=[codes.pk]))  # sealed: the stations, nothing else
    assert page.context["draw"].rows == [[station] for station in codes.inputs]
    Round.objects.filter(pk=jinan.pk).update(decrypted_at=timezone.now(), state=RoundState.DECRYPTED)
    by_station = {e.station_no: e for e in entries.values()}
    page = client.get(reverse("competitions:draw_detail", args=[codes.pk]))
    assert page.context["draw"].rows == [[by_station[st].contestant_no, st, by_station[st].code] for st in codes.inputs]
    assert not any(e.person.name in page.content.decode() for e in entries.values())
    client.force_login(sd.county_cadre)  # not the organiser: stations and codes only
    assert client.get(reverse("competitions:draw_detail", args=[codes.pk])).context["draw"].rows == [
        [st, by_station[st].code] for st in codes.inputs]
    for draw in (numbers, stations, codes):
        response = client.get(reverse("competitions:draw_rerun", args=[draw.pk]), HTTP_HX_REQUEST="true")
        assert response.context["report"].ok and "the same result" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# Check-in and the admission ticket


def test_check_in_at_the_door(client, sd, jinan):
    to_checkin(sd, jinan, check_in=False)
    li = Entry.objects.get(round=jinan, person=sd.worker_person)
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:round_checkin", args=[jinan.pk])
    response = client.get(url, {"no": li.contestant_no})  # what the ticket's QR code opens
    assert [e.pk for e in response.context["found"]] == [li.pk]
    assert sd.worker_person.id_masked in response.content.decode()
    assert len(response.context["missing"]) == 3
    last4 = sd.worker_person.id_masked[-4:]
    assert li.pk in [e.pk for e in client.get(url, {"q": last4}).context["found"]]
    assert client.post(url, {"no": li.contestant_no}).status_code == 302
    li.refresh_from_db()
    assert li.status == EntryStatus.CHECKED_IN and li.checked_in_at
    response = client.get(url)
    assert response.context["checked_in"] == 1 and len(response.context["missing"]) == 2
    # Checking in twice is refused with the reason.
    response = client.post(url, {"no": li.contestant_no})
    assert response.status_code == 400 and "cannot be checked in" in response.context["error"]


def test_check_in_of_an_unknown_number_changes_nothing(client, sd, jinan):
    to_checkin(sd, jinan, check_in=False)
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:round_checkin", args=[jinan.pk])
    response = client.post(url, {"no": "999"})
    assert response.status_code == 400
    assert response.context["error"] == "No contestant of this round has the number 999."
    assert client.post(url, {"no": ""}).status_code == 400
    assert not Entry.objects.filter(status=EntryStatus.CHECKED_IN).exists()
    assert "matches “999”" in client.get(url, {"q": "999"}).content.decode()
    # A number of another round is unknown here.
    qd = Round.objects.get(organiser=sd.qingdao)
    services.draw_contestant_numbers(actor=sd.province_admin, rnd=qd, witnesses=WITNESSES)
    response = client.post(url, {"no": Entry.objects.get(round=qd).contestant_no + "0"})
    assert response.status_code == 400


def test_the_station_draw_follows_check_in_on_the_same_page(client, sd, jinan):
    to_checkin(sd, jinan, check_in=False)
    first = Entry.objects.filter(round=jinan).order_by("contestant_no").first()
    services.check_in(actor=sd.jinan_cadre, entry=first)
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("competitions:round_checkin", args=[jinan.pk])).content.decode()
    assert reverse("competitions:round_draw", args=[jinan.pk, "stations"]) in page
    response = client.post(reverse("competitions:round_draw", args=[jinan.pk, "stations"]),
                           {**witnesses("stations", *TWO), "next": "checkin"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "competitions:round_checkin", args=[jinan.pk]
    )
    assert Entry.objects.filter(round=jinan, status=EntryStatus.ABSENT).count() == 2


def test_the_admission_ticket_is_a_pdf_for_the_worker_with_a_qr_code_to_check_in(client, sd, jinan, monkeypatch):
    li = Entry.objects.get(round=jinan, person=sd.worker_person)
    client.force_login(sd.worker)
    url = reverse("competitions:entry_ticket", args=[li.pk])
    assert client.get(url).status_code == 409  # no contestant number yet
    to_checkin(sd, jinan, check_in=False)
    li.refresh_from_db()
    encoded = []
    original = views.qr_data_uri
    monkeypatch.setattr(views, "qr_data_uri", lambda text, **kw: encoded.append(text) or original(text, **kw))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert encoded == [
        f"http://testserver{reverse('competitions:round_checkin', args=[jinan.pk])}?no={li.contestant_no}"
    ]
    # The unit's cadre and the organiser get it too; another worker does not.
    for persona in (sd.enterprise_cadre, sd.jinan_cadre):
        client.force_login(persona)
        assert client.get(url).content.startswith(b"%PDF")
    colleague = Entry.objects.get(round=jinan, person__name="济钢0")
    client.force_login(user("colleague", person=colleague.person))
    assert client.get(url).status_code == 404
    assert client.get(reverse("competitions:entry_ticket", args=[colleague.pk])).content.startswith(b"%PDF")
    client.force_login(sd.qingdao_cadre)
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------------------------
# Judges


def test_the_organiser_adds_a_new_judge_with_a_password_shown_once(client, sd, jinan):
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:round_judge_add", args=[jinan.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["pool"].queryset) == [sd.jinan]  # the province's pool is not the Jinan cadre's
    data = {"account": "new", "username": "judge_zhang", "name": "张师傅", "pool": sd.jinan.pk,
            "unit": "不存在的工会", "trades": "车工", "qualification": "考评员", "role": "judge"}
    response = client.post(url, data)
    assert response.status_code == 400 and "unit" in response.context["form"].errors
    assert not User.objects.filter(username="judge_zhang").exists() and not Judge.objects.exists()
    response = client.post(url, {**data, "unit": sd.qd_enterprise.code})
    assert response.status_code == 200
    password = response.context["password"]
    assert len(password) == 14 and password in response.content.decode()
    judge = Judge.objects.get(name="张师傅")
    assert judge.pool == sd.jinan and judge.unit == sd.qd_enterprise
    assert [t.name for t in judge.trades.all()] == ["车工"]
    assert judge.user.check_password(password)
    assert RoundJudge.objects.get(round=jinan, judge=judge).role == JudgeRole.JUDGE
    # The same user name again: refused, nothing created.
    response = client.post(url, {**data, "unit": sd.qd_enterprise.code, "name": "另一个"})
    assert response.status_code == 400 and "taken" in str(response.context["form"].errors)
    assert Judge.objects.count() == 1


def test_an_existing_account_joins_the_pool_and_a_failed_assignment_rolls_back(client, sd, jinan):
    User.objects.create_user(username="expert_li", password="Gongjiang-2026", full_name="李专家")
    make_judge(sd, "chief_old", sd.qd_enterprise, name="老裁判长")
    services.assign_judge(actor=sd.province_admin, rnd=jinan, judge=Judge.objects.get(name="老裁判长"),
                          role=JudgeRole.CHIEF)
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:round_judge_add", args=[jinan.pk])
    data = {"account": "existing", "username": "expert_li", "name": "李专家", "pool": sd.jinan.pk,
            "unit": sd.steel.code, "role": "chief"}
    response = client.post(url, data)  # a second chief judge is refused: the judge is not added either
    assert response.status_code == 400 and "already has a chief judge" in str(response.context["form"].errors)
    assert not Judge.objects.filter(name="李专家").exists()
    response = client.post(url, {**data, "role": "supervisor"})
    assert response.status_code == 200 and response.context["password"] == ""
    assert RoundJudge.objects.get(judge__name="李专家").role == JudgeRole.SUPERVISOR
    assert client.post(url, {**data, "username": "nobody", "role": ""}).status_code == 400


def test_assigning_judges_of_the_pool_and_declaring_a_conflict(client, sd, jinan):
    province_judge = make_judge(sd, "pj", sd.qd_enterprise, name="省库裁判")
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("competitions:round_judges", args=[jinan.pk]))
    assert province_judge in page.context["assign_form"].fields["judge"].queryset  # lent by the province
    url = reverse("competitions:round_judge_assign", args=[jinan.pk])
    assert client.post(url, {"judge": province_judge.pk, "role": "judge"}).status_code == 302
    assert client.post(url, {"judge": province_judge.pk, "role": "chief"}).status_code == 302
    assert RoundJudge.objects.get(judge=province_judge).role == JudgeRole.CHIEF
    assert client.post(url, {"judge": "", "role": "judge"}).status_code == 400
    # Conflicts are declared for the judges of the Jinan pool (the province declares its own judges').
    account = User.objects.create_user(username="jn_judge", password="Gongjiang-2026")
    own = services.add_judge(actor=sd.jinan_cadre, pool=sd.jinan, user=account, unit=sd.qd_enterprise, name="济南裁判")
    services.assign_judge(actor=sd.jinan_cadre, rnd=jinan, judge=own)
    offered = (
        client.get(reverse("competitions:round_judges", args=[jinan.pk]))
        .context["conflict_form"]
        .fields["judge"]
        .queryset
    )
    assert list(offered) == [own]
    conflict = reverse("competitions:round_judge_conflict", args=[jinan.pk])
    li = sd.worker_person
    response = client.post(conflict, {"judge": own.pk, "person": li.pk, "reason": ""})
    assert response.status_code == 400 and not Conflict.objects.exists()
    response = client.post(conflict, {"judge": own.pk, "person": li.pk, "unit": sd.steel.pk, "reason": "亲属"})
    assert response.status_code == 400 and "either a contestant or a unit" in response.content.decode()
    assert client.post(conflict, {"judge": province_judge.pk, "person": li.pk, "reason": "亲属"}).status_code == 400
    assert not Conflict.objects.exists()
    assert client.post(conflict, {"judge": own.pk, "person": li.pk, "reason": "亲属"}).status_code == 302
    assert Conflict.objects.get().person == li
    assert "亲属" in client.get(reverse("competitions:round_judges", args=[jinan.pk])).content.decode()


def test_opening_the_marking_shows_the_refusal_naming_the_codes(client, sd, jinan):
    found = panel(sd, jinan, judges=2)
    colleague = make_judge(sd, "steel_judge", sd.steel, name="济钢裁判")
    services.assign_judge(actor=sd.province_admin, rnd=jinan, judge=colleague)
    to_codes(sd, jinan)
    codes = sorted(Entry.objects.filter(round=jinan).values_list("code", flat=True))
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:round_open_marking", args=[jinan.pk])
    response = client.post(url)
    assert response.status_code == 400
    error = response.context["marking_error"]
    assert "too few for" in error and all(code in error for code in codes)
    assert error in response.content.decode()
    assert not Sheet.objects.exists()
    jinan.refresh_from_db()
    assert jinan.state == RoundState.CHECKIN
    extra = make_judge(sd, "extra", sd.qd_enterprise, name="外地裁判")
    services.assign_judge(actor=sd.province_admin, rnd=jinan, judge=extra)
    assert client.post(url).status_code == 302
    jinan.refresh_from_db()
    assert jinan.state == RoundState.MARKING and Sheet.objects.filter(round=jinan).count() == 9
    assert found["chief"]


def test_opening_the_marking_before_the_codes_is_refused(client, sd, jinan):
    panel(sd, jinan, judges=3)
    to_checkin(sd, jinan)
    client.force_login(sd.province_admin)
    response = client.post(reverse("competitions:round_open_marking", args=[jinan.pk]))
    assert response.status_code == 400 and "anonymous codes" in response.context["marking_error"]
    jinan.refresh_from_db()
    assert jinan.state == RoundState.CHECKIN
