"""The organiser's set-up pages as a specification: who sees and changes which competition, creating and
editing a competition, its states, stages with per-city quotas, rounds, events with their rules, and the
marking-scheme settings — every form refusing bad input with a message and nothing changed, and the list and
competition pages running a constant number of queries whatever their size."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongjiang.competitions import services
from gongjiang.competitions.choices import CompetitionState, EntryStatus, Level
from gongjiang.competitions.models import Competition, Entry, Event, Round, Scheme, Stage
from gongjiang.competitions.tests.factories import season, worker
from gongjiang.core.models import AuditEvent
from gongjiang.orgs.models import Occupation


@pytest.fixture
def client(client: Any) -> Any:
    """Pages in English, so the tests read the msgids (the Chinese is in locale/zh/competitions_setup.json)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def provincial(sd: Any) -> Any:
    """山东省第十届职工职业技能大赛 (organised by the province; registration open)."""
    return season(sd)


@pytest.fixture
def jinan_competition(sd: Any) -> Competition:
    """济南市职工技能大赛, organised by the Jinan federation, still in preparation."""
    return services.create_competition(actor=sd.jinan_cadre, organiser=sd.jinan, name="济南市职工技能大赛",
                                       year=2026, level=Level.CITY)


def competition_data(organiser: Any, **overrides: Any) -> dict[str, Any]:
    data = {"organiser": organiser.pk, "name": "2026年济南市焊工技能竞赛", "year": 2026, "kind": "skills",
            "level": "city", "klass": 2, "co_organisers": "济南市人社局", "description": "",
            "registration_opens": "2026-03-01", "registration_closes": "2026-05-31", "exclusive": "on",
            "fund_amount": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def event_data(trade: Occupation | None = None, **overrides: Any) -> dict[str, Any]:
    data = {"trade": trade.pk if trade else "", "name": "", "group": "workers", "team_size": 1, "team_drawn": 0,
            "theory_weight": 30, "practical_weight": 70, "min_age": 18, "max_age": 50,
            "age_reference_date": "2026-09-01", "min_grade": 4, "max_grade": 2, "members_only": "on",
            "exclude_leaders": "on", "unit_quota": 3, "capacity": 60, "waitlist": "on", "tie_break_1": "practical",
            "tie_break_2": "time_used", "tie_break_3": "", "first_value": 10, "first_unit": "percent",
            "second_value": 20, "second_unit": "percent", "third_value": 30, "third_unit": "percent",
            "merit_value": "", "merit_unit": "percent", "min_total": "", "recheck_top_percent": 30,
            "recheck_sample_percent": 15}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def snapshot(obj: Any) -> dict[str, Any]:
    type(obj).objects.get(pk=obj.pk)
    return {f.attname: getattr(type(obj).objects.get(pk=obj.pk), f.attname) for f in obj._meta.concrete_fields}


# ---------------------------------------------------------------------------------------------
# Permission matrix


def all_urls(competition: Competition, event: Event, stage: Stage) -> dict[str, str]:
    pk = competition.pk
    return {
        "detail": reverse("competitions:competition_detail", args=[pk]),
        "edit": reverse("competitions:competition_edit", args=[pk]),
        "stage": reverse("competitions:stage_create", args=[pk]),
        "rounds": reverse("competitions:rounds_open", args=[stage.pk]),
        "event_new": reverse("competitions:event_create", args=[pk]),
        "event_edit": reverse("competitions:event_edit", args=[event.pk]),
        "scheme": reverse("competitions:scheme_detail", args=[event.pk]),
        "export": reverse("competitions:scheme_export", args=[event.pk]),
    }


def test_anonymous_visitors_are_sent_to_log_in(client, provincial):
    s = provincial
    urls = [
        reverse("competitions:competition_list"),
        reverse("competitions:competition_create"),
        reverse("competitions:trade_search"),
        reverse("competitions:scheme_template"),
        *all_urls(s.competition, s.event, s.final).values(),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    for name, pk in (("competition_state", s.competition.pk), ("scheme_settings", s.event.pk),
                     ("scheme_import", s.event.pk)):
        response = client.post(reverse(f"competitions:{name}", args=[pk]), {"state": "closed"})
        assert response.status_code == 302 and "/login" in response["Location"], name
    assert Competition.objects.get(pk=s.competition.pk).state == CompetitionState.REGISTRATION


def test_a_qingdao_cadre_neither_sees_nor_changes_a_jinan_competition(client, sd, jinan_competition, provincial):
    event = services.add_event(actor=sd.jinan_cadre, competition=jinan_competition, name="焊工")
    stage = services.add_stage(actor=sd.jinan_cadre, competition=jinan_competition, name="市级决赛",
                               level=Level.CITY, direct_registration=True)
    client.force_login(sd.qingdao_cadre)
    listed = client.get(reverse("competitions:competition_list")).context["page"].object_list
    assert [c.pk for c in listed] == [provincial.competition.pk]  # the provincial one is above Qingdao
    for name, url in all_urls(jinan_competition, event, stage).items():
        assert client.get(url).status_code == 404, name
    before = snapshot(jinan_competition)
    assert client.post(reverse("competitions:competition_state", args=[jinan_competition.pk]),
                       {"state": "registration"}).status_code == 404
    assert client.post(reverse("competitions:competition_edit", args=[jinan_competition.pk]),
                       competition_data(sd.jinan, name="改名")).status_code == 404
    assert snapshot(jinan_competition) == before


def test_a_county_cadre_sees_the_provincial_competition_but_cannot_change_it(client, sd, provincial):
    s = provincial
    client.force_login(sd.county_cadre)
    assert [c.pk for c in client.get(reverse("competitions:competition_list")).context["page"].object_list] == [
        s.competition.pk]
    urls = all_urls(s.competition, s.event, s.final)
    page = client.get(urls["detail"])
    assert page.status_code == 200 and not page.context["can_change"] and not page.context["next_states"]
    html = page.content.decode()
    assert urls["edit"] not in html and reverse("competitions:competition_state", args=[s.competition.pk]) not in html
    assert client.get(urls["scheme"]).status_code == 200  # the marking scheme is no secret
    assert not client.get(urls["scheme"]).context["editable"]
    assert client.get(urls["export"]).status_code == 200
    for name in ("edit", "stage", "rounds", "event_new", "event_edit"):
        assert client.get(urls[name]).status_code == 403, name
    before = snapshot(s.competition)
    assert (
        client.post(reverse("competitions:competition_state", args=[s.competition.pk]), {"state": "closed"}).status_code
        == 403
    )
    assert client.post(urls["edit"], competition_data(sd.province, name="改名")).status_code == 403
    assert client.post(reverse("competitions:scheme_settings", args=[s.event.pk]), {
        "expected_total": "100", "judgement_method": "mean", "trim": 0, "rounding_mode": "half_up",
        "rounding_places": 2, "rounding_level": "aspect", "judges_per_entry": 5}).status_code == 403
    assert snapshot(s.competition) == before
    assert Scheme.objects.get(event=s.event).judges_per_entry == 3
    # They may organise a competition of their own county (a staff role allows changes there)…
    assert client.get(reverse("competitions:competition_list")).context["can_organise"]
    assert client.get(reverse("competitions:competition_create")).status_code == 200
    # … but a viewer may not.
    client.force_login(sd.jinan_viewer)
    assert not client.get(reverse("competitions:competition_list")).context["can_organise"]
    assert client.get(reverse("competitions:competition_create")).status_code == 403


def test_the_province_admin_changes_the_provincial_and_the_jinan_competitions(client, sd, provincial,
                                                                              jinan_competition):
    client.force_login(sd.province_admin)
    listed = {c.pk for c in client.get(reverse("competitions:competition_list")).context["page"].object_list}
    assert listed == {provincial.competition.pk, jinan_competition.pk}
    for competition, event, stage in ((provincial.competition, provincial.event, provincial.final),):
        for name, url in all_urls(competition, event, stage).items():
            assert client.get(url).status_code == 200, name
    assert client.get(reverse("competitions:competition_detail", args=[jinan_competition.pk])).context["can_change"]
    response = client.post(reverse("competitions:competition_edit", args=[jinan_competition.pk]),
                           competition_data(sd.jinan, name="济南市第五届职工技能大赛", level="city"))
    assert response.status_code == 302
    assert Competition.objects.get(pk=jinan_competition.pk).name == "济南市第五届职工技能大赛"
    # The Jinan cadre may change their own competition but not the provincial one.
    client.force_login(sd.jinan_cadre)
    assert client.get(reverse("competitions:competition_edit", args=[jinan_competition.pk])).status_code == 200
    assert client.get(reverse("competitions:competition_edit", args=[provincial.competition.pk])).status_code == 403


# ---------------------------------------------------------------------------------------------
# The list


def test_the_list_filters_counts_and_exports(client, sd, provincial, jinan_competition):
    s = provincial
    Entry.objects.create(round=s.jinan_round, person=sd.worker_person, unit=sd.steel)
    Entry.objects.create(round=s.jinan_round, person=worker(sd.workshop, "张伟"), unit=sd.steel,
                         status=EntryStatus.WITHDRAWN)  # a withdrawn registration does not count
    services.create_competition(actor=sd.province_admin, organiser=sd.province, name="2025年劳动竞赛", year=2025,
                                kind="labour")
    services.create_competition(actor=sd.province_admin, organiser=sd.province, name="2025年职工技能大赛", year=2025)
    client.force_login(sd.province_admin)
    page = client.get(reverse("competitions:competition_list")).context["page"]
    rows = {c.name: c for c in page.object_list}
    assert "2025年劳动竞赛" not in rows  # labour competitions have their own list
    assert (rows[s.competition.name].event_count, rows[s.competition.name].entry_count) == (1, 1)
    assert (rows[jinan_competition.name].event_count, rows[jinan_competition.name].entry_count) == (0, 0)
    assert [c.name for c in client.get(reverse("competitions:competition_list"), {"year": 2025}).context["page"]
            .object_list] == ["2025年职工技能大赛"]
    assert [c.name for c in client.get(reverse("competitions:competition_list"), {"level": "city"}).context["page"]
            .object_list] == [jinan_competition.name]
    assert [
        c.name
        for c in client.get(reverse("competitions:competition_list"), {"state": "registration"})
        .context["page"]
        .object_list
    ] == [s.competition.name]
    fragment = client.get(reverse("competitions:competition_list"), {"year": 2025}, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and "2025年职工技能大赛" in fragment.content.decode()
    bad = client.get(reverse("competitions:competition_list"), {"year": "1999"})
    assert bad.status_code == 200 and bad.context["form"].errors  # an unknown year is shown, not applied

    from io import BytesIO

    from openpyxl import load_workbook
    export = client.get(reverse("competitions:competition_list"), {"export": "xlsx", "level": "province"})
    sheet = load_workbook(BytesIO(export.content)).active
    rows_out = list(sheet.iter_rows(values_only=True))
    assert len(rows_out) == 3 and {r[0] for r in rows_out[1:]} == {s.competition.name, "2025年职工技能大赛"}
    assert next(r for r in rows_out if r[0] == s.competition.name)[6:8] == (1, 1)


def test_the_list_runs_a_constant_number_of_queries(client, sd, provincial, settings):
    settings.PAGE_SIZE = 50
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:competition_list")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(12):
        c = services.create_competition(actor=sd.jinan_cadre, organiser=sd.jinan, name=f"济南竞赛{i}", year=2020 + i,
                                        level=Level.CITY)
        services.add_event(actor=sd.jinan_cadre, competition=c, name=f"赛项{i}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["page"].object_list) == 13
    assert len(many.captured_queries) == len(few.captured_queries)


# ---------------------------------------------------------------------------------------------
# Creating and editing a competition


def test_a_city_cadre_creates_a_competition_of_their_city(client, sd):
    client.force_login(sd.jinan_cadre)
    form = client.get(reverse("competitions:competition_create")).context["form"]
    assert [o.pk for o in form.fields["organiser"].queryset] == [sd.jinan.pk]
    assert form.initial["level"] == Level.CITY
    assert "grade promotion" in str(form.fields["klass"].help_text)
    response = client.post(reverse("competitions:competition_create"), competition_data(sd.jinan, klass=1))
    competition = Competition.objects.get(name="2026年济南市焊工技能竞赛")
    assert response.status_code == 302 and response["Location"] == reverse("competitions:competition_detail",
                                                                             args=[competition.pk])
    assert (competition.organiser, competition.level, competition.klass, competition.state, competition.exclusive) == (
        sd.jinan, Level.CITY, 1, CompetitionState.PREPARING, True)
    assert competition.registration_closes == datetime.date(2026, 5, 31)
    assert AuditEvent.objects.filter(verb="competitions.competition.created", object_id=str(competition.pk)).exists()
    page = client.get(response["Location"])
    assert page.context["can_change"] and [s.value for s in page.context["next_states"]] == ["registration"]


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"name": ""}, "name", "Please enter the name of the competition."),
    ({"year": "1890"}, "year", "is not plausible"),
    ({"registration_opens": "2026-06-01"}, "registration_closes", "cannot close"),
    ({"fund_amount": "-5"}, "fund_amount", "cannot be negative"),
    ({"year": "二〇二六"}, "year", "whole number"),
])
def test_a_bad_competition_is_refused_and_nothing_is_created(client, sd, overrides, field, message):
    client.force_login(sd.jinan_cadre)
    response = client.post(reverse("competitions:competition_create"), competition_data(sd.jinan, **overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Competition.objects.exists()


def test_a_cadre_cannot_organise_in_another_scope_by_forging_the_form(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.post(reverse("competitions:competition_create"), competition_data(sd.province))
    assert response.status_code == 400 and "organiser" in response.context["form"].errors
    assert not Competition.objects.exists()


def test_editing_keeps_the_organiser_and_refuses_bad_input(client, sd, jinan_competition):
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:competition_edit", args=[jinan_competition.pk])
    form = client.get(url).context["form"]
    assert "organiser" not in form.fields and "kind" not in form.fields
    before = snapshot(jinan_competition)
    response = client.post(url, competition_data(sd.jinan, name="  "))
    assert response.status_code == 400 and "name" in response.context["form"].errors
    response = client.post(url, competition_data(sd.jinan, registration_closes="2026-01-01"))
    assert response.status_code == 400 and "registration_closes" in response.context["form"].errors
    assert snapshot(jinan_competition) == before
    response = client.post(url, competition_data(sd.province, fund_amount="500000"))
    assert response.status_code == 302
    jinan_competition.refresh_from_db()
    assert jinan_competition.fund_amount == Decimal("500000") and jinan_competition.organiser == sd.jinan


# ---------------------------------------------------------------------------------------------
# States


def test_the_state_buttons_follow_the_allowed_transitions(client, sd, provincial):
    s = provincial
    client.force_login(sd.province_admin)
    url = reverse("competitions:competition_state", args=[s.competition.pk])
    assert client.post(url, {"state": "closed"}).status_code == 302
    s.competition.refresh_from_db()
    assert s.competition.state == CompetitionState.CLOSED
    page = client.get(reverse("competitions:competition_detail", args=[s.competition.pk]))
    assert [st.value for st in page.context["next_states"]] == ["registration", "running"]
    # A move that is not allowed is refused with the reason, nothing changes.
    response = client.post(url, {"state": "finished"}, follow=True)
    assert "cannot go from" in " ".join(str(m) for m in response.context["messages"])
    response = client.post(url, {"state": "nonsense"}, follow=True)
    assert "Unknown state" in " ".join(str(m) for m in response.context["messages"])
    s.competition.refresh_from_db()
    assert s.competition.state == CompetitionState.CLOSED
    timeline = client.get(reverse("competitions:competition_detail", args=[s.competition.pk])).context["timeline"]
    assert timeline[0].verb == "competitions.competition.state_changed"


def test_registration_cannot_open_without_stages_and_events(client, sd, jinan_competition):
    client.force_login(sd.jinan_cadre)
    response = client.post(
        reverse("competitions:competition_state", args=[jinan_competition.pk]), {"state": "registration"}, follow=True
    )
    assert "at least one stage and one event" in " ".join(str(m) for m in response.context["messages"])
    assert Competition.objects.get(pk=jinan_competition.pk).state == CompetitionState.PREPARING


# ---------------------------------------------------------------------------------------------
# Stages and rounds


def stage_data(**overrides: Any) -> dict[str, Any]:
    data = {"name": "市级选拔赛", "level": "city", "direct_registration": "on", "mode": "top_n", "n": 3,
            "percent": "", "ties": "include"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_stage_with_per_city_quotas_for_the_final(client, sd):
    competition = services.create_competition(actor=sd.province_admin, organiser=sd.province, name="省赛",
                                              year=2026, level=Level.PROVINCE)
    client.force_login(sd.province_admin)
    url = reverse("competitions:stage_create", args=[competition.pk])
    form = client.get(url).context["form"]
    assert [f.label for f in form.quota_fields()] == ["济南市总工会", "青岛市总工会"]  # the cities, one number each
    fragment = client.get(url, {"level": "province"}, HTTP_HX_REQUEST="true")
    assert "quota_" not in fragment.content.decode()  # a provincial stage is one round: no quotas
    assert "quota_" in client.get(url, {"level": "city"}, HTTP_HX_REQUEST="true").content.decode()
    response = client.post(url, stage_data(**{f"quota_{sd.jinan.pk}": 4, f"quota_{sd.qingdao.pk}": 2}))
    assert response.status_code == 302
    stage = Stage.objects.get(competition=competition)
    assert stage.advancement == {"mode": "top_n", "n": 3, "ties": "include",
                                 "city_quotas": {str(sd.jinan.pk): 4, str(sd.qingdao.pk): 2}}
    page = client.get(reverse("competitions:competition_detail", args=[competition.pk]))
    summary = page.context["stages"][0].advancement_summary
    assert "济南市总工会 4" in summary and "青岛市总工会 2" in summary


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"name": ""}, "name", "Please name the stage."),
    ({"mode": "top_n", "n": ""}, "n", "How many"),
    ({"mode": "percent", "n": "", "percent": "150"}, "percent", "100"),
    ({"direct_registration": None}, "direct_registration", "first stage takes its entries by registration"),
    ({"mode": ""}, None, ""),
])
def test_a_bad_stage_is_refused_and_nothing_is_added(client, sd, jinan_competition, overrides, field, message):
    client.force_login(sd.jinan_cadre)
    if field is None:  # a valid stage, to show the case list ends with a success
        assert client.post(reverse("competitions:stage_create", args=[jinan_competition.pk]),
                           stage_data(**overrides)).status_code == 302
        return
    response = client.post(reverse("competitions:stage_create", args=[jinan_competition.pk]), stage_data(**overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert not Stage.objects.exists()


def test_a_negative_city_quota_is_refused(client, sd):
    competition = services.create_competition(actor=sd.province_admin, organiser=sd.province, name="省赛",
                                              year=2026, level=Level.PROVINCE)
    client.force_login(sd.province_admin)
    response = client.post(
        reverse("competitions:stage_create", args=[competition.pk]), stage_data(**{f"quota_{sd.jinan.pk}": -1})
    )
    assert response.status_code == 400
    assert "0" in " ".join(response.context["form"].errors[f"quota_{sd.jinan.pk}"])
    assert not Stage.objects.exists()


def test_rounds_open_with_the_default_units_or_chosen_ones(client, sd):
    competition = services.create_competition(actor=sd.province_admin, organiser=sd.province, name="省赛",
                                              year=2026, level=Level.PROVINCE)
    qualifier = services.add_stage(actor=sd.province_admin, competition=competition, name="市级选拔赛",
                                   level=Level.CITY, direct_registration=True)
    county = services.add_stage(actor=sd.province_admin, competition=competition, name="县级赛",
                                level=Level.COUNTY)
    lathe = services.add_event(actor=sd.province_admin, competition=competition, name="车工")
    welder = services.add_event(actor=sd.province_admin, competition=competition, name="焊工")
    client.force_login(sd.province_admin)
    page = client.get(reverse("competitions:competition_detail", args=[competition.pk]))
    defaults = {s.pk: [o.pk for o in s.defaults] for s in page.context["stages"]}
    assert defaults[qualifier.pk] == [sd.jinan.pk, sd.qingdao.pk]
    # The button on the competition page: the default units.
    response = client.post(
        reverse("competitions:rounds_open", args=[qualifier.pk]), {"who": "default", "from": "detail"}
    )
    assert response.status_code == 302
    assert Round.objects.filter(stage=qualifier).count() == 4
    # Chosen units: Qingdao only, for the lathe event only; then by code.
    url = reverse("competitions:rounds_open", args=[county.pk])
    assert client.post(url, {"who": "chosen", "codes": "370102", "events": [lathe.pk]}).status_code == 302
    assert list(Round.objects.filter(stage=county).values_list("organiser__code", "event_id")) == [
        ("370102", lathe.pk)]
    # Refusals: nothing chosen, an unknown code, a unit of the wrong kind.
    for data, field, message in (
            ({"who": "chosen"}, "orgs", "Choose at least one unit"),
            ({"who": "chosen", "codes": "9999"}, "codes", "9999"),
            ({"who": "chosen", "codes": "E0001"}, "orgs", "does not run"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400
        assert message in " ".join(response.context["form"].errors[field]), data
    assert Round.objects.filter(stage=county).count() == 1
    assert welder.rounds.count() == 2
    rounds = (
        client.get(reverse("competitions:competition_detail", args=[competition.pk])).context["stages"][0].rounds_shown
    )
    assert f'/competitions/rounds/{rounds[0].pk}/' in client.get(
        reverse("competitions:competition_detail", args=[competition.pk])).content.decode()


# ---------------------------------------------------------------------------------------------
# Events


def test_the_trade_is_found_by_typing_its_name(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("competitions:trade_search"), {"trade_q": "车工"})
    trades = response.context["trades"]
    assert trades[0].code == "6-18-01-01" and all("车工" in t.name for t in trades)
    assert 'name="trade"' in response.content.decode()
    assert client.get(reverse("competitions:trade_search"), {"trade_q": "不存在的工种"}).context["trades"] == []


def test_an_event_with_its_rules_is_added_and_edited(client, sd, jinan_competition):
    lathe = Occupation.objects.get(code="6-18-01-01")
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:event_create", args=[jinan_competition.pk])
    page = client.get(url)
    choices = dict(page.context["form"].fields["min_grade"].choices)
    assert list(choices)[1:] == [5, 4, 3, 2, 1]  # grade names from 初级工 up to 高级技师
    # Searching without JavaScript re-renders the form with the matches, saving nothing.
    searched = client.post(url, {**event_data(), "trade_q": "车工", "search_trade": "1"})
    assert searched.status_code == 200 and searched.context["trades"][0] == lathe
    assert not Event.objects.exists()
    response = client.post(url, event_data(lathe, is_team="on", team_size=3, team_drawn=1, merit_value=5,
                                           tie_break_2="theory", tie_break_3="time_used"))
    event = Event.objects.get(competition=jinan_competition)
    assert response.status_code == 302 and response["Location"] == reverse(
        "competitions:scheme_detail", args=[event.pk]
    )
    assert (event.name, event.trade, event.is_team, event.team_size, event.team_drawn) == ("车工", lathe, True, 3, 1)
    assert (event.min_grade, event.max_grade, event.unit_quota, event.capacity) == (4, 2, 3, 60)
    assert event.tie_breaks == ["practical", "theory", "time_used"]
    assert event.prize_rule == {"bands": [{"prize": "first", "percent": 10}, {"prize": "second", "percent": 20},
                                          {"prize": "third", "percent": 30}, {"prize": "merit", "percent": 5}]}
    # The competition page summarises it.
    detail = client.get(reverse("competitions:competition_detail", args=[jinan_competition.pk]))
    [row] = detail.context["events"]
    assert any("Level 4" in r and "Level 2" in r for r in row.rules_summary)
    # Editing shows the stored values and changes them.
    edit = reverse("competitions:event_edit", args=[event.pk])
    form = client.get(edit).context["form"]
    assert form.initial["tie_break_2"] == "theory" and form.initial["merit_value"] == 5
    assert client.get(edit).context["selected"] == lathe.pk
    response = client.post(edit, event_data(lathe, name="数控车工", first_value=3, first_unit="count",
                                            merit_value="60", merit_unit="score", min_total="40"))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.name == "数控车工"
    assert event.prize_rule == {"bands": [{"prize": "first", "count": 3}, {"prize": "second", "percent": 20},
                                          {"prize": "third", "percent": 30}], "merit_from": "60",
                                "min_total": "40"}


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"theory_weight": 40}, "theory_weight", "add up to 100"),
    ({"min_grade": 1, "max_grade": 5}, "max_grade", "below the lowest grade"),
    ({"min_age": 50, "max_age": 30}, "max_age", "below the minimum age"),
    ({"is_team": "on", "team_size": 3, "team_drawn": 3}, "team_drawn", "selected by the unit"),
    ({"is_team": "on", "team_size": 1}, "team_size", "at least two"),
    ({"first_value": 60, "second_value": 30, "third_value": 30}, "first_value", "more than 100"),
    ({"tie_break_2": "practical"}, "tie_break_1", "once"),
    ({"trade": "999999"}, "trade", "choose it from the list"),
    ({"trade": "", "name": ""}, "name", "Please name the event."),
    ({"recheck_top_percent": 130}, "recheck_top_percent", "100"),
])
def test_a_bad_event_is_refused_and_nothing_changes(client, sd, provincial, overrides, field, message):
    s = provincial
    lathe = Occupation.objects.get(code="6-18-01-01")
    client.force_login(sd.province_admin)
    data = {**event_data(lathe), **overrides}
    response = client.post(reverse("competitions:event_create", args=[s.competition.pk]), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert Event.objects.count() == 1
    before = snapshot(s.event)
    response = client.post(reverse("competitions:event_edit", args=[s.event.pk]), data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert snapshot(s.event) == before


# ---------------------------------------------------------------------------------------------
# The competition page


def test_the_competition_page_runs_a_constant_number_of_queries(client, sd, provincial):
    s = provincial
    client.force_login(sd.province_admin)
    url = reverse("competitions:competition_detail", args=[s.competition.pk])
    # The cities of the quotas are named with one query for all of them (there from the start, as in the end).
    Stage.objects.filter(pk=s.qualifier.pk).update(advancement={
        "mode": "top_n", "n": 2, "ties": "include", "city_quotas": {str(sd.jinan.pk): 3, str(sd.qingdao.pk): 1}})
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for i in range(6):
        services.add_event(actor=sd.province_admin, competition=s.competition, name=f"赛项{i}",
                           min_grade=3, unit_quota=2)
    services.open_rounds(actor=sd.province_admin, stage=s.qualifier)
    services.open_rounds(actor=sd.province_admin, stage=s.final)
    for i in range(8):
        Entry.objects.create(round=s.jinan_round, person=worker(sd.workshop, f"选手{i}"), unit=sd.steel)
    services.change_state(actor=sd.province_admin, competition=s.competition, state=CompetitionState.CLOSED)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["events"]) == 7 and Round.objects.count() == 21
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.context["events"][0].entry_count == 8
    by_stage = {st.pk: st for st in response.context["stages"]}
    assert by_stage[s.qualifier.pk].round_count == 14
    assert "济南市总工会 3" in by_stage[s.qualifier.pk].advancement_summary


# ---------------------------------------------------------------------------------------------
# Marking-scheme settings


def settings_data(**overrides: Any) -> dict[str, Any]:
    data = {"expected_total": "100", "judgement_method": "mean", "trim": 0, "rounding_mode": "half_up",
            "rounding_places": 2, "rounding_level": "aspect", "judges_per_entry": 3}
    data.update(overrides)
    return data


def test_the_scheme_page_shows_the_tree_with_subtotals(client, sd, provincial):
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("competitions:scheme_detail", args=[provincial.event.pk]))
    tree = page.context["tree"]
    assert [(s["code"], s["max"]) for s in tree] == [("A", "40"), ("B", "60")]
    assert [(c["code"], c["max"]) for c in tree[0]["criteria"]] == [("A1", "25"), ("A2", "15")]
    a11 = tree[0]["criteria"][0]["aspects"][0]
    assert (a11["code"], a11["max"], a11["bands"]) == ("A1.1", "20", "0.02:20; 0.05:10")
    assert tree[0]["criteria"][1]["aspects"][0]["deductions"] == "S1:2:未戴护目镜; S2:5:违规操作"
    assert page.context["total"] == "100" and not page.context["editable"]


def test_the_marking_settings_change_and_bad_settings_are_refused(client, sd, provincial):
    s = provincial
    client.force_login(sd.province_admin)
    url = reverse("competitions:scheme_settings", args=[s.event.pk])
    response = client.post(url, settings_data(judgement_method="trimmed_mean", trim=1, judges_per_entry=5,
                                              rounding_level="criterion", rounding_places=1))
    assert response.status_code == 302
    scheme = Scheme.objects.get(event=s.event)
    assert (scheme.judgement_method, scheme.trim, scheme.judges_per_entry, scheme.rounding_level,
            scheme.rounding_places) == ("trimmed_mean", 1, 5, "criterion", 1)
    assert scheme.aspects.count() == 5
    before = snapshot(scheme)
    for data, field, message in (
            (settings_data(judgement_method="trimmed_mean", trim=0), "trim", "at least the highest and the lowest"),
            (settings_data(trim=2), "trim", "trims nothing"),
            (settings_data(judgement_method="worldskills", judges_per_entry=5), "judges_per_entry", "three"),
            (settings_data(judgement_method="trimmed_mean", trim=2, judges_per_entry=4), "judges_per_entry",
             "more than 4"),
            (settings_data(expected_total="90"), "expected_total", "total 100, not 90"),
            (settings_data(judges_per_entry=0), "judges_per_entry", "greater than or equal to 1"),
    ):
        response = client.post(url, data)
        assert response.status_code == 400, data
        assert message in " ".join(response.context["settings_form"].errors[field]), data
    assert snapshot(scheme) == before


def test_a_new_event_gets_its_settings_before_its_aspects(client, sd, jinan_competition):
    event = services.add_event(actor=sd.jinan_cadre, competition=jinan_competition, name="焊工")
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("competitions:scheme_detail", args=[event.pk]))
    assert page.context["editable"] and page.context["scheme"] is None
    response = client.post(reverse("competitions:scheme_settings", args=[event.pk]),
                           settings_data(expected_total="60", judgement_method="worldskills"))
    assert response.status_code == 302
    scheme = Scheme.objects.get(event=event)
    assert (scheme.expected_total, scheme.judgement_method, scheme.aspects.count()) == (6000, "worldskills", 0)


def test_the_scheme_is_locked_once_marking_starts(client, sd, provincial):
    s = provincial
    Round.objects.filter(pk=s.jinan_round.pk).update(state="marking")
    client.force_login(sd.province_admin)
    page = client.get(reverse("competitions:scheme_detail", args=[s.event.pk]))
    assert page.context["locked"] and not page.context["editable"]
    response = client.post(
        reverse("competitions:scheme_settings", args=[s.event.pk]), settings_data(judges_per_entry=5)
    )
    assert response.status_code == 400 and "Marking has started" in str(response.context["settings_form"].errors)
    assert Scheme.objects.get(event=s.event).judges_per_entry == 3
