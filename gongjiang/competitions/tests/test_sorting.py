"""Sortable columns of the competitions' lists (core.pages.Sorting): the skills and labour competitions, a round's
registrations and judges, a unit's entries, the appeals, the grade promotions and the rounds on public notice. For
each: ?sort=<column> and ?sort=-<column> list the rows in that order (ties by id, in the column's direction), the
header shows the order and links to the other direction, a ?sort= naming no column shows the default order, the
export follows the order shown, and the number of queries depends neither on the order nor on the number of rows."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gongjiang.competitions import services
from gongjiang.competitions.choices import (
    AppealState,
    CompetitionState,
    EntrySource,
    EntryStatus,
    JudgeRole,
    Level,
    PeriodState,
    PromotionState,
    RoundState,
)
from gongjiang.competitions.models import (
    Appeal,
    CompetingUnit,
    Competition,
    Entry,
    Event,
    Period,
    Promotion,
    Round,
    RoundJudge,
)
from gongjiang.competitions.tests.factories import Season, judge, season, worker
from gongjiang.core.tests.sorting import check_column, check_unknown_sorts, get, headers, pks, queries_by_sort


def by(rows: list[Any], key: Callable[[Any], Any]) -> list[int]:
    """The pks of `rows` by `key`, ties by pk (numbers, dates, ranks: the same in Python and in the database)."""
    return [r.pk for r in sorted(rows, key=lambda r: (key(r), r.pk))]


def db_order(qs: QuerySet[Any], *fields: str) -> list[int]:
    """The pks in the database's own order of `fields` (text: the database's collation decides), ties by pk."""
    return list(qs.order_by(*fields, "pk").values_list("pk", flat=True))


def exported_names(response: Any, column: int = 0) -> list[Any]:
    sheet = load_workbook(BytesIO(response.content)).active
    return [row[column] for row in list(sheet.iter_rows(values_only=True))[1:]]


# ---------------------------------------------------------------------------------------------
# Skills competitions


@pytest.fixture
def competitions(sd: Any) -> Season:
    """The provincial competition (2026, registration open, one event, two registrations) and three others of other
    years, organisers, levels, classes, states and numbers of events."""
    s = season(sd)
    for name in ("赵一", "钱二"):
        Entry.objects.create(round=s.jinan_round, person=worker(sd.team, name), unit=sd.steel)
    admin = sd.province_admin
    jinan = services.create_competition(actor=admin, organiser=sd.jinan, name="济南市职工技能大赛", year=2025,
                                        level=Level.CITY, klass=2)
    for name in ("焊工", "电工"):
        services.add_event(actor=admin, competition=jinan, name=name)
    services.create_competition(actor=admin, organiser=sd.lixia, name="历下区职工技能竞赛", year=2026,
                                level=Level.COUNTY, klass=2)
    older = services.create_competition(actor=admin, organiser=sd.province, name="山东省第九届职工职业技能大赛",
                                        year=2024, level=Level.PROVINCE, klass=1)
    services.add_event(actor=admin, competition=older, name="钳工")
    Competition.objects.filter(pk=older.pk).update(state=CompetitionState.FINISHED)
    return s


def test_the_competition_list_sorts_by_each_column(client, sd, competitions):
    client.force_login(sd.province_admin)
    url = reverse("competitions:competition_list")
    default = get(client, url)
    rows = list(default.context["rows"])
    assert len(rows) == 4
    assert pks(default) == by(rows, lambda c: (-c.year, -c.pk))  # the latest year first
    assert headers(default)["Year"] == ("year", "descending")  # the default order shows on its column
    shown = Competition.objects.filter(pk__in=[c.pk for c in rows])
    columns = {
        "name": ("Competition", db_order(shown, "name")),
        "year": ("Year", by(rows, lambda c: c.year)),
        "organiser": ("Organiser", by(rows, lambda c: c.organiser.path)),
        "level": ("Level", by(rows, lambda c: Level.values.index(c.level))),
        "class": ("Class", by(rows, lambda c: c.klass)),
        "state": ("State", by(rows, lambda c: CompetitionState.values.index(c.state))),
        "events": ("Events", by(rows, lambda c: c.event_count)),
        "registered": ("Registered", by(rows, lambda c: c.entry_count)),
    }
    assert [c.event_count for c in rows] != [0] * 4 and {c.entry_count for c in rows} == {0, 2}
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending, default="-year")
    # the headers a cadre reaches first: the newest year, the most events and registrations first
    assert {label: link for label, (link, _aria) in headers(default).items()} == {
        "Competition": "name", "Year": "year", "Organiser": "organiser", "Level": "level", "Class": "class",
        "State": "state", "Events": "-events", "Registered": "-registered"}
    assert check_unknown_sorts(client, url, extra=("created_by", "organiser__name")) == pks(default)


def test_the_competition_list_keeps_its_filters_and_exports_in_the_order_shown(client, sd, competitions):
    client.force_login(sd.province_admin)
    url = reverse("competitions:competition_list")
    sorted_page = get(client, url, {"sort": "-registered", "level": "province"})
    assert [c.level for c in sorted_page.context["rows"]] == ["province", "province"]
    assert [c.entry_count for c in sorted_page.context["rows"]] == [2, 0]
    # the header links keep the filter
    assert "level=province" in sorted_page.content.decode().split('title="Sorted by Registered')[0].rsplit("<th", 1)[1]
    for sort in ("name", "-name", "-registered", "state"):
        page = get(client, url, {"sort": sort})
        export = get(client, url, {"sort": sort, "export": "xlsx"})
        assert exported_names(export) == [c.name for c in page.context["rows"]], sort


def test_the_competition_list_runs_the_same_queries_in_every_order_and_size(client, sd, competitions):
    client.force_login(sd.province_admin)
    url = reverse("competitions:competition_list")
    keys = ("name", "year", "organiser", "level", "class", "state", "events", "registered")
    before = queries_by_sort(client, url, keys)
    for i in range(6):
        c = services.create_competition(actor=sd.province_admin, organiser=sd.jinan, name=f"济南竞赛{i}",
                                        year=2015 + i, level=Level.CITY)
        services.add_event(actor=sd.province_admin, competition=c, name=f"赛项{i}")
    assert queries_by_sort(client, url, keys) == before
    assert len(set(before.values())) == 1  # sorting by a count is the same one query as by a field


# ---------------------------------------------------------------------------------------------
# Labour competitions


@pytest.fixture
def labour(sd: Any) -> list[Competition]:
    """Three labour competitions of other years, organisers, states, funds, units and periods."""
    made = []
    for organiser, name, year, fund, units, periods, closed, state in (
            (sd.jinan, "济南市重点工程劳动竞赛", 2026, "10000.00", 3, 2, 1, CompetitionState.RUNNING),
            (sd.province, "山东省重点工程劳动竞赛", 2025, "500000.00", 1, 4, 4, CompetitionState.FINISHED),
            (sd.qingdao, "青岛港劳动竞赛", 2026, "0.00", 0, 1, 0, CompetitionState.PREPARING)):
        c = services.create_labour_competition(actor=sd.province_admin, organiser=organiser, name=name, year=year,
                                               fund_amount=Decimal(fund))
        for i in range(units):
            CompetingUnit.objects.create(competition=c, name=f"项目部{i}")
        for i in range(periods):
            Period.objects.create(competition=c, label=f"{i + 1}月", starts_on=datetime.date(year, i + 1, 1),
                                  ends_on=datetime.date(year, i + 1, 28),
                                  state=PeriodState.CLOSED if i < closed else PeriodState.OPEN)
        Competition.objects.filter(pk=c.pk).update(state=state)
        made.append(c)
    return made


def test_the_labour_list_sorts_by_each_column(client, sd, labour):
    client.force_login(sd.province_admin)
    url = reverse("competitions:labour_list")
    default = get(client, url)
    rows = list(default.context["rows"])
    assert len(rows) == 3 and pks(default) == by(rows, lambda c: (-c.year, -c.pk))
    shown = Competition.objects.filter(pk__in=[c.pk for c in rows])
    columns = {
        "name": ("Competition", db_order(shown, "name")),
        "year": ("Year", by(rows, lambda c: c.year)),
        "organiser": ("Organiser", by(rows, lambda c: c.organiser.path)),
        "state": ("State", by(rows, lambda c: CompetitionState.values.index(c.state))),
        "units": ("Competing units", by(rows, lambda c: c.unit_count)),
        "periods": ("Periods closed", by(rows, lambda c: (c.closed_count, c.period_count))),
        "fund": ("Competition fund (yuan)", by(rows, lambda c: c.fund_amount)),
    }
    assert [c.unit_count for c in rows] != [0] * 3
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending, default="-year")
    check_unknown_sorts(client, url, extra=("fund_amount", "unit_count"))
    for sort in ("-fund", "organiser"):
        page = get(client, url, {"sort": sort})
        assert exported_names(get(client, url, {"sort": sort, "export": "xlsx"})) == [
            c.name for c in page.context["rows"]]
    before = queries_by_sort(client, url, list(columns))
    services.create_labour_competition(actor=sd.province_admin, organiser=sd.jinan, name="济南市第二劳动竞赛",
                                       year=2024)
    assert queries_by_sort(client, url, list(columns)) == before


# ---------------------------------------------------------------------------------------------
# A round's registrations


@pytest.fixture
def registrations(sd: Any) -> Season:
    """Four registrations in the Jinan round with other names, units, states, sources, numbers and stations (one
    without a number yet)."""
    s = season(sd)
    for name, unit, status, source, number, station in (
            ("赵一", sd.steel, EntryStatus.REGISTERED, EntrySource.UNIT, "003", "12"),
            ("钱二", sd.qd_enterprise, EntryStatus.PENDING, EntrySource.SELF, "001", ""),
            ("孙三", sd.steel, EntryStatus.WAITLISTED, EntrySource.IMPORT, "", "03"),
            ("李四", sd.workshop, EntryStatus.WITHDRAWN, EntrySource.UNIT, "002", "07")):
        Entry.objects.create(round=s.jinan_round, person=worker(sd.team, name), unit=unit, status=status,
                             source=source, contestant_no=number, station_no=station)
    return s


def test_a_rounds_registrations_sort_by_each_column(client, sd, registrations):
    client.force_login(sd.province_admin)
    url = reverse("competitions:round_detail", args=[registrations.jinan_round.pk])
    default = get(client, url)
    rows = list(default.context["rows"])
    assert len(rows) == 4
    entries = Entry.objects.filter(round=registrations.jinan_round)
    assert pks(default) == db_order(entries, "contestant_no")  # by number, as drawn (none yet first)
    assert headers(default)["Contestant number"] == ("-number", "ascending")
    columns = {
        "number": ("Contestant number", db_order(entries, "contestant_no")),
        "name": ("Name", db_order(entries, "person__name")),
        "unit": ("Unit", by(rows, lambda e: e.unit.path)),
        "status": ("Status", by(rows, lambda e: EntryStatus.values.index(e.status))),
        "source": ("Source", by(rows, lambda e: EntrySource.values.index(e.source))),
        "station": ("Station", db_order(entries, "station_no")),
    }
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending, default="number")
    check_unknown_sorts(client, url, extra=("person__id_hash", "code"))
    # the filters and the order go together; the export follows the order shown
    filtered = get(client, url, {"sort": "-name", "unit": sd.steel.pk})
    assert pks(filtered) == db_order(entries.filter(unit=sd.steel), "person__name")[::-1]
    for sort in ("name", "-status", "unit"):
        page = get(client, url, {"sort": sort})
        assert exported_names(get(client, url, {"sort": sort, "export": "xlsx"})) == [
            e.person.name for e in page.context["rows"]], sort
    before = queries_by_sort(client, url, list(columns))
    for i in range(5):
        Entry.objects.create(round=registrations.jinan_round, person=worker(sd.team, f"周{i}"), unit=sd.steel,
                             contestant_no=f"01{i}")
    assert queries_by_sort(client, url, list(columns)) == before


def test_the_order_survives_a_decision_on_a_registration(client, sd, registrations):
    """Approving a registration goes back to the list as it was shown (its address is the form's `next`)."""
    client.force_login(sd.province_admin)
    url = reverse("competitions:round_detail", args=[registrations.jinan_round.pk])
    page = get(client, url, {"sort": "-status"})
    pending = Entry.objects.get(round=registrations.jinan_round, status=EntryStatus.PENDING)
    assert f'name="next" value="{url}?sort=-status"' in page.content.decode()
    response = client.post(reverse("competitions:round_entry_approve", args=[registrations.jinan_round.pk,
                                                                              pending.pk]),
                           {"next": f"{url}?sort=-status"})
    assert response.status_code == 302 and response["Location"] == f"{url}?sort=-status"


# ---------------------------------------------------------------------------------------------
# A unit's entries (the registration desk)


def test_a_units_entries_sort_by_each_column(client, sd):
    s = season(sd)
    fitting = services.add_event(actor=sd.province_admin, competition=s.competition, name="钳工", members_only=False)
    services.open_rounds(actor=sd.province_admin, stage=s.qualifier)
    fitting_round = Round.objects.get(event=fitting, organiser=sd.jinan)
    for rnd, name, unit, status in ((s.jinan_round, "赵一", sd.team, EntryStatus.REGISTERED),
                                    (fitting_round, "钱二", sd.steel, EntryStatus.PENDING),
                                    (s.jinan_round, "孙三", sd.workshop, EntryStatus.WAITLISTED),
                                    (fitting_round, "李四", sd.team, EntryStatus.CHECKED_IN)):
        Entry.objects.create(round=rnd, person=worker(sd.team, name), unit=unit, status=status)
    client.force_login(sd.enterprise_cadre)
    url = reverse("competitions:unit_registrations")
    params = {"competition": s.competition.pk}
    default = get(client, url, params)
    rows = list(default.context["rows"])
    assert len(rows) == 4
    assert pks(default) == by(rows, lambda e: (e.round.event.order, e.round.event_id, e.unit.path))
    entries = Entry.objects.filter(pk__in=[e.pk for e in rows])
    columns = {
        "worker": ("Worker", db_order(entries, "person__name")),
        "event": ("Event", pks(default)),
        "unit": ("Unit", by(rows, lambda e: e.unit.path)),
        "status": ("Status", by(rows, lambda e: EntryStatus.values.index(e.status))),
    }
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending, default="event", params=params)
    check_unknown_sorts(client, url, params, extra=("person__id_hash",))
    page = get(client, url, {**params, "sort": "-worker"})
    export = get(client, url, {**params, "sort": "-worker", "export": "xlsx"})
    assert exported_names(export, column=5) == [e.person.name for e in page.context["rows"]]
    before = queries_by_sort(client, url, list(columns), params)
    for i in range(4):
        Entry.objects.create(round=s.jinan_round, person=worker(sd.team, f"周{i}"), unit=sd.team)
    assert queries_by_sort(client, url, list(columns), params) == before


# ---------------------------------------------------------------------------------------------
# A round's judges


def test_a_rounds_judges_sort_by_each_column(client, sd):
    s = season(sd)
    rnd = s.jinan_round
    for username, name, unit, role in (("j_b", "裁判乙", sd.qd_enterprise, JudgeRole.JUDGE),
                                       ("j_a", "裁判甲", sd.steel, JudgeRole.SUPERVISOR),
                                       ("j_c", "裁判丙", sd.metallurgy, JudgeRole.CHIEF),
                                       ("j_d", "裁判丁", sd.steel, JudgeRole.JUDGE)):
        services.assign_judge(actor=sd.province_admin, rnd=rnd, judge=judge(sd, username, unit, name=name),
                              role=role)
    client.force_login(sd.province_admin)
    url = reverse("competitions:round_judges", args=[rnd.pk])

    def assigned(response: Any) -> list[Any]:
        return list(response.context["assigned"])

    default = get(client, url)
    panel = RoundJudge.objects.filter(round=rnd)
    rows = assigned(default)
    # the panel as it reads: the chief judge, the judges by name, the supervisor
    assert pks(default, assigned) == [panel.get(role=JudgeRole.CHIEF).pk, *db_order(
        panel.filter(role=JudgeRole.JUDGE), "judge__name"), panel.get(role=JudgeRole.SUPERVISOR).pk]
    columns = {
        "name": ("Name", db_order(panel, "judge__name")),
        "unit": ("Works at", by(rows, lambda rj: rj.judge.unit.path)),
        "role": ("Role", pks(default, assigned)),
    }
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending, default="role", rows=assigned)
    check_unknown_sorts(client, url, rows=assigned, extra=("judge__user__password",))
    # a form sent from the page shows the list again at the POST's address: the headers still link to the page
    response = client.post(reverse("competitions:round_judge_assign", args=[rnd.pk]), {"judge": "", "role": "judge"})
    assert response.status_code == 400
    assert f'href="{url}?sort=name"' in response.content.decode()
    before = queries_by_sort(client, url, list(columns))
    services.assign_judge(actor=sd.province_admin, rnd=rnd, judge=judge(sd, "j_e", sd.jinan, name="裁判戊"))
    assert queries_by_sort(client, url, list(columns)) == before


# ---------------------------------------------------------------------------------------------
# Appeals and grade promotions


def _contestants(sd: Any, s: Season) -> list[Entry]:
    """Three checked-in contestants of the Jinan round with their places."""
    made = []
    for name, place in (("赵一", 2), ("钱二", 1), ("孙三", 3)):
        made.append(Entry.objects.create(round=s.jinan_round, person=worker(sd.team, name), unit=sd.steel,
                                         status=EntryStatus.CHECKED_IN, place=place))
    return made


def test_the_appeals_sort_by_each_column_waiting_ones_first_by_default(client, sd):
    s = season(sd)
    zhao, qian, sun = _contestants(sd, s)
    now = timezone.now()
    waiting = Appeal.objects.create(entry=zhao, reason="计时有误", filed_by=sd.province_admin)
    upheld = Appeal.objects.create(entry=qian, reason="尺寸测量有误", state=AppealState.UPHELD, decision="复核更正",
                                   decided_at=now - datetime.timedelta(days=1))
    dismissed = Appeal.objects.create(entry=sun, reason="评分过严", state=AppealState.DISMISSED, decision="维持",
                                      decided_at=now)
    for appeal, days in ((waiting, 1), (upheld, 3), (dismissed, 2)):
        Appeal.objects.filter(pk=appeal.pk).update(filed_at=now - datetime.timedelta(days=days))
    client.force_login(sd.province_admin)
    url = reverse("competitions:appeal_list", args=[s.jinan_round.pk])
    default = get(client, url)
    assert pks(default) == [waiting.pk, dismissed.pk, upheld.pk]  # waiting first, then the latest decided
    appeals = Appeal.objects.filter(entry__round=s.jinan_round)
    columns = {
        "contestant": ("Contestant", db_order(appeals, "entry__person__name")),
        "filed": ("Filed", [upheld.pk, dismissed.pk, waiting.pk]),
        "state": ("State", [waiting.pk, upheld.pk, dismissed.pk]),
        "place": ("Place", [upheld.pk, waiting.pk, dismissed.pk]),
    }
    assert headers(default)["Filed"] == ("-filed", "")  # the latest first on the first click
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending)
    check_unknown_sorts(client, url, extra=("waiting", "decided_at"))
    assert pks(get(client, url, {"state": "upheld", "sort": "-place"})) == [upheld.pk]
    before = queries_by_sort(client, url, list(columns))
    for i in range(3):
        e = Entry.objects.create(round=s.jinan_round, person=worker(sd.team, f"周{i}"), unit=sd.steel, place=4 + i,
                                 status=EntryStatus.CHECKED_IN)
        Appeal.objects.create(entry=e, reason="复核", state=AppealState.DISMISSED, decided_at=now)
    assert queries_by_sort(client, url, list(columns)) == before


def test_the_grade_promotions_sort_by_each_column_and_keep_the_order_after_a_decision(client, sd):
    s = season(sd)
    zhao, qian, sun = _contestants(sd, s)
    made = {e.person.name: Promotion.objects.create(entry=e, current_grade=current, proposed_grade=proposed,
                                                    state=state)
            for e, current, proposed, state in ((zhao, 3, 2, PromotionState.PROPOSED),
                                                (qian, 4, 3, PromotionState.APPROVED),
                                                (sun, 3, 1, PromotionState.REJECTED))}
    client.force_login(sd.province_admin)
    url = reverse("competitions:promotion_list", args=[s.competition.pk])
    default = get(client, url)
    assert pks(default) == [made["钱二"].pk, made["赵一"].pk, made["孙三"].pk]  # the round's contestants by place
    rows = list(default.context["rows"])
    promotions = Promotion.objects.filter(pk__in=[p.pk for p in rows])
    columns = {
        "worker": ("Worker", db_order(promotions, "entry__person__name")),
        "round": ("Round", pks(default)),
        "place": ("Place", pks(default)),
        "current": ("Current grade", by(rows, lambda p: p.current_grade)),
        "proposed": ("Proposed grade", by(rows, lambda p: p.proposed_grade)),
        "state": ("State", by(rows, lambda p: PromotionState.values.index(p.state))),
    }
    for key, (label, ascending) in columns.items():
        check_column(client, url, key, label, ascending, default="round")
    check_unknown_sorts(client, url, extra=("entry__person__id_hash",))
    page = get(client, url, {"sort": "-worker"})
    assert exported_names(get(client, url, {"sort": "-worker", "export": "xlsx"})) == [
        p.entry.person.name for p in page.context["rows"]]
    # deciding one goes back to the list in its order
    assert '<input type="hidden" name="sort" value="-worker">' in page.content.decode()
    response = client.post(reverse("competitions:promotion_decide", args=[made["赵一"].pk]),
                           {"approve": "1", "state": "", "sort": "-worker"})
    assert response["Location"] == f"{url}?sort=-worker"
    response = client.post(reverse("competitions:promotion_decide", args=[made["钱二"].pk]),
                           {"approve": "0", "state": "proposed", "sort": "id_hash"})
    assert response["Location"] == f"{url}?state=proposed"
    before = queries_by_sort(client, url, list(columns))
    e = Entry.objects.create(round=s.jinan_round, person=worker(sd.team, "周五"), unit=sd.steel, place=4,
                             status=EntryStatus.CHECKED_IN)
    Promotion.objects.create(entry=e, current_grade=5, proposed_grade=4)
    assert queries_by_sort(client, url, list(columns)) == before


# ---------------------------------------------------------------------------------------------
# Results on public notice (no log-in)


def test_the_rounds_on_public_notice_sort_by_each_column(sd):
    s = season(sd)
    fitting = services.add_event(actor=sd.province_admin, competition=s.competition, name="钳工")
    services.open_rounds(actor=sd.province_admin, stage=s.qualifier)
    today = timezone.localdate()
    on_notice = [(s.jinan_round, 5), (s.qingdao_round, 2), (s.final_round, 9),
                 (Round.objects.get(event=fitting, organiser=sd.jinan), 2)]
    for rnd, days in on_notice:
        Round.objects.filter(pk=rnd.pk).update(state=RoundState.PUBLICITY,
                                               publicity_until=today + datetime.timedelta(days=days))
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("competitions:public_notices")
    default = get(visitor, url)
    rows = list(default.context["rows"])
    assert len(rows) == 4
    events = {e.pk: e for e in Event.objects.filter(competition=s.competition)}
    rounds = Round.objects.filter(pk__in=[r.pk for r in rows])
    columns = {
        "until": ("Notice until", db_order(rounds, "publicity_until", "event__competition__name", "event__name")),
        "competition": ("Competition", db_order(rounds, "event__competition__name", "event__order")),
        "event": ("Event", db_order(rounds, "event__name")),
        "stage": ("Stage", by(rows, lambda r: r.stage.order)),
        "organiser": ("Organised by", by(rows, lambda r: r.organiser.path)),
    }
    assert pks(default) == columns["until"][1] and len(events) == 2  # the soonest end first
    for key, (label, ascending) in columns.items():
        check_column(visitor, url, key, label, ascending, default="until")
    check_unknown_sorts(visitor, url)
    before = queries_by_sort(visitor, url, list(columns))
    Round.objects.filter(event=fitting, organiser=sd.qingdao).update(state=RoundState.PUBLICITY,
                                                                     publicity_until=today)
    assert queries_by_sort(visitor, url, list(columns)) == before
