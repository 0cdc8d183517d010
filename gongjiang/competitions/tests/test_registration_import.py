"""The bulk registration import (批量报名导入) as a specification: 济钢's cadre registers workers from an .xlsx
(身份证号, 姓名, 赛项, 备注). Every row is checked before anything is written and every bad cell is named by row
and column; the rows of one file count together against the unit quota; one bad row and nobody is registered;
big files run in the background; the rows of a team event form the unit's team."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gongjiang.competitions import services
from gongjiang.competitions.choices import CompetitionState, EntrySource, EntryStatus
from gongjiang.competitions.models import Entry, Team
from gongjiang.competitions.registration_import import KIND, start_registration_import
from gongjiang.competitions.tests.factories import season, worker
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, ImportJob
from gongjiang.orgs.models import Person
from gongjiang.orgs.tests.factories import id_number, xlsx_upload

HEADERS = ["身份证号", "姓名", "赛项", "备注"]


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def s(sd):
    return season(sd)


def xlsx(rows: list[list[str]], headers: list[str] = HEADERS, name: str = "报名表.xlsx") -> SimpleUploadedFile:
    return xlsx_upload(headers, rows, name)


def row(person: Person, event: str = "车工", note: str = "", name: str | None = None) -> list[str]:
    return [person.id_number, person.name if name is None else name, event, note]


def run(sd: Any, s: Any, rows: list[list[str]], actor: Any = None, org: Any = None) -> ImportJob:
    return start_registration_import(actor=actor or sd.enterprise_cadre, org=org or sd.steel,
                                     competition=s.competition, upload=xlsx(rows))


def refused_cells(sd: Any, s: Any, rows: list[list[str]]) -> dict[tuple[int, str], str]:
    """The job must be refused whole, nothing written. Returns {(row, column): message}."""
    before = Entry.objects.count(), Team.objects.count(), AuditEvent.objects.count()
    job = run(sd, s, rows)
    assert job.state == ImportJob.State.INVALID, (job.state, job.message)
    assert (Entry.objects.count(), Team.objects.count(), AuditEvent.objects.count()) == before
    return {(e["row"], e["column"]): e["message"] for e in job.errors}


def test_a_clean_file_registers_every_row_with_its_remark(sd, s):
    a, b = worker(sd.team, "赵一"), worker(sd.workshop, "钱二")
    job = run(sd, s, [row(sd.worker_person), row(a, note="去年市赛第三名"), row(b)])
    assert job.state == ImportJob.State.DONE, (job.message, job.errors)
    assert job.summary == {"registered": 3, "pending": 0, "waitlisted": 0, "teams": 0, "competition": s.competition.pk}
    entries = Entry.objects.filter(round=s.jinan_round)
    assert set(entries.values_list("person__name", flat=True)) == {"李强", "赵一", "钱二"}
    assert set(entries.values_list("source", flat=True)) == {EntrySource.IMPORT}
    assert set(entries.values_list("unit", flat=True)) == {sd.steel.pk}
    zhao = entries.get(person=a)
    assert zhao.notes == [{"code": "remark", "template": "%(text)s", "params": {"text": "去年市赛第三名"}}]
    assert zhao.created_by == sd.enterprise_cadre and zhao.city_path == sd.jinan.path
    assert AuditEvent.objects.filter(verb="competitions.entry.registered").count() == 3
    assert AuditEvent.objects.filter(verb=f"import.{KIND}", object_id=str(job.pk)).exists()


def test_every_kind_of_bad_row_is_reported_in_its_row_and_column(sd):
    s = season(sd, max_age=55, front_line_only=True)
    fine = worker(sd.team, "赵一", is_front_line=True)
    old = worker(sd.team, "老张", birth_date=datetime.date(1960, 1, 1), post="总经理")
    other = worker(sd.team, "孙三", is_front_line=True)
    services.register(actor=sd.enterprise_cadre, person=other, rnd=s.jinan_round)
    good_id = id_number()
    bad_id = good_id[:17] + ("0" if good_id[17] != "0" else "1")
    errors = refused_cells(sd, s, [
        row(fine),                                   # 2: fine
        [bad_id, "某人", "车工", ""],                  # 3: check digit
        row(sd.qd_person),                           # 4: not in my units (Qingdao)
        row(fine, name="赵二"),                       # 5: name does not match the ID
        row(sd.worker_person, event="钳工"),           # 6: no such event
        row(old),                                    # 7: too old, not front-line, a leader
        row(fine),                                   # 8: the same worker and event as row 2
        row(other),                                  # 9: already registered
        [sd.worker_person.id_number, "", "车工", ""],  # 10: name missing
    ])
    assert sorted(errors) == [(3, "身份证号"), (4, "身份证号"), (5, "姓名"), (6, "赛项"), (7, "身份证号"),
                              (8, "身份证号"), (9, "赛项"), (10, "姓名")]
    assert "check" in errors[(3, "身份证号")].lower() or "校验" in errors[(3, "身份证号")]
    assert "No worker with this ID number in 济南钢铁集团有限公司工会" in errors[(4, "身份证号")]
    assert "the roster has 赵一" in errors[(5, "姓名")]
    assert "“钳工” is not an event of" in errors[(6, "赛项")] and "车工" in errors[(6, "赛项")]
    too_old = errors[(7, "身份证号")]
    assert "above the maximum age of 55" in too_old and "front-line" in too_old and "leaders" in too_old
    assert "Row 2 already registers this worker" in errors[(8, "身份证号")]
    assert "Already registered for this event." in errors[(9, "赛项")]
    assert "required" in errors[(10, "姓名")]


def test_the_error_report_marks_the_bad_cells(client, sd, s):
    job = run(sd, s, [row(sd.worker_person), row(sd.qd_person)])
    assert job.state == ImportJob.State.INVALID
    client.force_login(sd.enterprise_cadre)
    response = client.get(reverse("core:import_error_report", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[1][0] == 3 and values[1][2] == "王芳"  # row number, then the row as uploaded
    marked = [c for c in sheet[2] if c.fill and c.fill.fgColor and c.fill.fgColor.rgb == "00FFC7CE"]
    assert any(c.column == 2 for c in marked)  # the 身份证号 cell (after the added 行 column)


def test_nothing_is_written_when_one_row_is_bad(sd, s):
    people = [worker(sd.team, f"工{i}") for i in range(4)]
    rows = [row(p) for p in people]
    rows[3][2] = "不存在的赛项"
    assert list(refused_cells(sd, s, rows)) == [(5, "赛项")]
    assert not Entry.objects.exists()


def test_rows_of_one_file_count_together_against_the_unit_quota(sd, s):
    services.update_event(actor=sd.province_admin, event=s.event, unit_quota=3)
    people = [worker(sd.team, f"工{i}") for i in range(5)]
    errors = refused_cells(sd, s, [row(p) for p in people])
    assert sorted(errors) == [(5, "赛项"), (6, "赛项")]  # data rows 4 and 5
    assert all("quota of 3" in m for m in errors.values())
    # with one place already taken, only two rows fit
    services.register(actor=sd.enterprise_cadre, person=sd.worker_person, rnd=s.jinan_round)
    assert sorted(refused_cells(sd, s, [row(p) for p in people[:3]])) == [(4, "赛项")]
    job = run(sd, s, [row(p) for p in people[:2]])
    assert job.state == ImportJob.State.DONE and Entry.objects.count() == 3


def test_a_full_event_puts_the_last_rows_on_the_waiting_list_in_order(sd, s):
    services.update_event(actor=sd.province_admin, event=s.event, capacity=2)
    people = [worker(sd.team, f"工{i}") for i in range(4)]
    job = run(sd, s, [row(p) for p in people])
    assert job.state == ImportJob.State.DONE
    assert job.summary["registered"] == 2 and job.summary["waitlisted"] == 2
    statuses = dict(Entry.objects.values_list("person__name", "status"))
    assert statuses == {"工0": EntryStatus.REGISTERED, "工1": EntryStatus.REGISTERED,
                        "工2": EntryStatus.WAITLISTED, "工3": EntryStatus.WAITLISTED}
    positions = [e.notes[0]["params"]["position"] for e in Entry.objects.filter(status=EntryStatus.WAITLISTED)
                 .order_by("person__name")]
    assert positions == [1, 2]


def test_an_exclusive_competition_refuses_a_second_event_in_the_same_file(sd, s):
    services.add_event(actor=sd.province_admin, competition=s.competition, name="焊工", members_only=False)
    services.open_rounds(actor=sd.province_admin, stage=s.qualifier)
    errors = refused_cells(sd, s, [row(sd.worker_person), row(sd.worker_person, event="焊工")])
    assert list(errors) == [(3, "赛项")] and "only one event per competition" in errors[(3, "赛项")]


def test_a_cadre_of_another_city_or_a_closed_competition_is_refused_before_anything_is_stored(sd, s):
    with pytest.raises(PermissionDeniedError):
        run(sd, s, [row(sd.worker_person)], actor=sd.qingdao_cadre)
    # A Qingdao cadre importing into Qingdao does not reach Jinan workers.
    errors = {(e["row"], e["column"]) for e in run(sd, s, [row(sd.worker_person)], actor=sd.qingdao_cadre,
                                                         org=sd.qd_enterprise).errors}
    assert errors == {(2, "身份证号")}
    with pytest.raises(DomainError, match="header row"):
        start_registration_import(actor=sd.enterprise_cadre, org=sd.steel, competition=s.competition,
                                  upload=xlsx([["x"]], headers=["姓名", "工号"]))
    services.change_state(actor=sd.province_admin, competition=s.competition, state=CompetitionState.CLOSED)
    with pytest.raises(DomainError, match="not open"):
        run(sd, s, [row(sd.worker_person)])
    assert ImportJob.objects.count() == 1 and not Entry.objects.exists()


def test_a_big_file_runs_in_the_background(sd, s, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 2
    people = [worker(sd.team, f"工{i}") for i in range(4)]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = run(sd, s, [row(p) for p in people])
        assert job.state == ImportJob.State.PENDING and not Entry.objects.exists()
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE, job.message
    assert job.summary["registered"] == 4 and job.summary["competition"] == s.competition.pk
    assert Entry.objects.count() == 4


def test_register_bulk_decides_again_under_lock(sd, s):
    """Registrations made between the check and the commit are counted: the commit is refused whole."""
    services.update_event(actor=sd.province_admin, event=s.event, unit_quota=1)
    services.register(actor=sd.enterprise_cadre, person=sd.worker_person, rnd=s.jinan_round)
    other = worker(sd.team, "赵一")
    with pytest.raises(DomainError, match="quota of 1"):
        services.register_bulk(actor=sd.enterprise_cadre, competition=s.competition,
                              items=[(other, s.event, "")])
    with pytest.raises(PermissionDeniedError):
        services.register_bulk(actor=sd.qingdao_cadre, competition=s.competition, items=[(other, s.event, "")])
    assert Entry.objects.count() == 1


def test_the_check_s_decisions_stand_only_if_nothing_moved_before_the_commit(sd, s):
    """The import decides its file once (the check) and the commit, under the rounds' locks, keeps those decisions
    only when it reads everything they depend on as the check read it; a registration made in between is counted,
    and the commit is refused whole."""
    from gongjiang.competitions.queries.planner import Planner, planning_people

    services.update_event(actor=sd.province_admin, event=s.event, unit_quota=1)
    s.event.refresh_from_db()

    def checked(person: Person) -> Planner:
        planner = Planner(s.competition, planning_people(Person.objects.filter(pk=person.pk)), loaded=True)
        assert not planner.decide(planner.person(person.pk), s.event).refused
        return planner

    other = worker(sd.team, "赵一")
    first = checked(other)
    services.register(actor=sd.enterprise_cadre, person=sd.worker_person, rnd=s.jinan_round)  # meanwhile
    with pytest.raises(DomainError, match="quota of 1"):
        services.register_bulk(actor=sd.enterprise_cadre, competition=s.competition, loaded=True, checked_by=first,
                               items=[(first.person(other.pk), s.event, "")])
    assert Entry.objects.count() == 1
    Entry.objects.all().delete()
    second = checked(other)
    locked = Planner(s.competition, [second.person(other.pk)], lock=True, loaded=True)
    assert second.decisions_hold(locked, [(second.person(other.pk), s.event, "")])
    assert not second.decisions_hold(locked, [(second.person(other.pk), s.event, ""), (sd.qd_person, s.event, "")])
    summary = services.register_bulk(actor=sd.enterprise_cadre, competition=s.competition, loaded=True,
                                     checked_by=second, items=[(second.person(other.pk), s.event, "")])
    assert summary["registered"] == 1 and Entry.objects.get().person == other


def test_a_withdrawn_registration_is_renewed_by_the_import(sd, s):
    entry = services.register(actor=sd.enterprise_cadre, person=sd.worker_person, rnd=s.jinan_round)
    services.withdraw_entry(actor=sd.enterprise_cadre, entry=entry)
    job = run(sd, s, [row(sd.worker_person)])
    assert job.state == ImportJob.State.DONE, job.errors
    entry.refresh_from_db()
    assert Entry.objects.count() == 1
    assert (entry.status, entry.source) == (EntryStatus.REGISTERED, EntrySource.IMPORT)


# ---------------------------------------------------------------------------------------------
# Team events


@pytest.fixture
def team_event(sd, s):
    event = services.add_event(actor=sd.province_admin, competition=s.competition, name="电工团体", is_team=True,
                               team_size=3, team_drawn=1, members_only=False)
    services.update_competition(actor=sd.province_admin, competition=s.competition, exclusive=False)
    services.open_rounds(actor=sd.province_admin, stage=s.qualifier)
    return event


def test_a_unit_imports_its_team(sd, s, team_event):
    a, b = worker(sd.team, "赵一"), worker(sd.team, "钱二")
    job = run(sd, s, [row(a, "电工团体"), row(b, "电工团体"), row(sd.worker_person)])
    assert job.state == ImportJob.State.DONE, job.errors
    team = Team.objects.get()
    assert (team.unit, team.round.event) == (sd.steel, team_event)
    assert set(team.members.values_list("person__name", flat=True)) == {"赵一", "钱二"}
    assert job.summary["teams"] == 1
    assert AuditEvent.objects.filter(verb="competitions.team.formed").count() == 1


def test_a_team_of_the_wrong_size_or_a_second_team_is_refused(sd, s, team_event):
    a, b, c = (worker(sd.team, n) for n in ["赵一", "钱二", "孙三"])
    errors = refused_cells(sd, s, [row(a, "电工团体")])
    assert list(errors) == [(2, "赛项")] and "has 2 selected contestants" in errors[(2, "赛项")]
    errors = refused_cells(sd, s, [row(p, "电工团体") for p in (a, b, c)])
    assert sorted(errors) == [(2, "赛项"), (3, "赛项"), (4, "赛项")]
    assert run(sd, s, [row(a, "电工团体"), row(b, "电工团体")]).state == ImportJob.State.DONE
    d, e = worker(sd.team, "李四"), worker(sd.team, "周五")
    errors = refused_cells(sd, s, [row(d, "电工团体"), row(e, "电工团体")])
    assert all("already has a team" in m for m in errors.values()) and len(errors) == 2


# ---------------------------------------------------------------------------------------------
# The pages


def test_the_upload_page_leads_to_the_status_with_the_errors(client, sd, s):
    url = reverse("competitions:unit_import")
    client.force_login(sd.enterprise_cadre)
    page = client.get(url)
    assert page.status_code == 200 and [o.pk for o in page.context["orgs"]] == [sd.steel.pk]
    response = client.post(url, {"competition": s.competition.pk, "org": sd.steel.pk,
                                 "file": xlsx([row(sd.worker_person), row(sd.qd_person)])})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "competitions:unit_import_status", args=[job.pk]
    )
    status = client.get(response["Location"])
    assert [(e["row"], e["column"]) for e in status.context["errors"]] == [(3, "身份证号")]
    text = status.content.decode()
    assert "Nobody was registered" in text and reverse("core:import_error_report", args=[job.pk]) in text
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert fragment.templates[0].name == "competitions/worker/_import_status.html"
    assert not Entry.objects.exists()
    # a clean file
    response = client.post(url, {"competition": s.competition.pk, "org": sd.steel.pk,
                                 "file": xlsx([row(sd.worker_person)])})
    done = client.get(response["Location"])
    assert done.context["job"].state == ImportJob.State.DONE and "Registered: 1" in done.content.decode()
    # another city's cadre does not see the jobs
    client.force_login(sd.qingdao_cadre)
    assert client.get(reverse("competitions:unit_import_status", args=[job.pk])).status_code == 404
    assert client.get(url).context["jobs"] == []


def test_a_bad_upload_is_refused_on_the_form(client, sd, s):
    url = reverse("competitions:unit_import")
    client.force_login(sd.enterprise_cadre)
    response = client.post(url, {"competition": s.competition.pk, "org": sd.steel.pk,
                                 "file": SimpleUploadedFile("名单.xls", b"not a workbook")})
    assert response.status_code == 400 and "file" in response.context["form"].errors
    response = client.post(url, {"competition": s.competition.pk, "org": sd.qd_enterprise.pk,
                                 "file": xlsx([row(sd.worker_person)])})
    assert response.status_code == 400 and "org" in response.context["form"].errors
    assert not ImportJob.objects.exists()
    client.force_login(sd.worker)
    assert client.get(url).status_code == 403


def test_the_template_lists_the_competitions_events(client, sd, s, team_event):
    client.force_login(sd.enterprise_cadre)
    response = client.get(reverse("competitions:unit_import_template"), {"competition": s.competition.pk})
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == HEADERS
    events = list(wb.worksheets[-1].values)
    assert events[0][0] == "Event" and [r[0] for r in events[1:]] == [str(s.event), str(team_event)]
    assert events[2][3] == 2  # a team of 3 with 1 drawn: two selected contestants per unit
