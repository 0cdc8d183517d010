"""The Excel import of a batch of nominations, as specifications: 济钢's union imports its nominees for the
省五一劳动奖章 (persons) and the 省工人先锋号 (collectives) from real .xlsx files built here; each row becomes a draft
through the nomination verb. Every bad input is its own file: the job ends `invalid` with the row and the column
named in a clear message, and nothing is written (no nomination, no audit event)."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, ImportJob
from gongjiang.honours import imports
from gongjiang.honours.choices import NominationState, Subject
from gongjiang.honours.models import Holder, HonourType, Nomination
from gongjiang.orgs.tests.factories import id_number, person, xlsx_upload
from gongjiang.orgs.tests.test_api import Api

from .factories import DEEDS
from .test_services import rows

HEADERS = [c.header for c in imports.nomination_import.columns]


def line(subject: str = "个人", number: str = "", name: str = "", collective: str = "", code: str = "",
         front: str = "", leader: str = "否", years: Any = "8", record: str = "无", deeds: str = DEEDS) -> list[Any]:
    return [subject, number, name, collective, code, front, leader, years, record, deeds]


def upload(hw: Any, lines: list[list[Any]], campaign: Any = None, actor: Any = None, unit: Any = None,
           headers: list[str] | None = None) -> ImportJob:
    return imports.start_nomination_import(actor=actor or hw.sd.enterprise_cadre, unit=unit or hw.sd.steel,
                                           campaign=campaign or hw.medal,
                                           upload=xlsx_upload(headers or HEADERS, lines, "推荐名单.xlsx"))


def worker(hw: Any, name: str = "周明", **kw: Any) -> tuple[Any, str]:
    number = id_number()
    return person(hw.sd.team, name, id_number=number, **kw), number


def refused(hw: Any, lines: list[list[Any]], **kw: Any) -> list[dict[str, Any]]:
    """Import `lines`: the job is invalid and nothing changed; its errors."""
    before = rows()
    job = upload(hw, lines, **kw)
    assert job.state == ImportJob.State.INVALID, (job.state, job.message, job.errors)
    assert rows() == before
    return job.errors


def test_a_union_imports_its_nominees_as_drafts(hw):
    zhou, zhou_id = worker(hw)
    wang, wang_id = worker(hw, "王刚")
    job = upload(hw, [line(number=zhou_id, name="周明", years=12, leader="是"),
                      line(number=wang_id, name="王刚", years="5", record="", deeds="")])
    assert job.state == ImportJob.State.DONE, job.errors
    assert job.summary == {"created": 2, "campaign": hw.medal.pk}
    made = {n.person_id: n for n in Nomination.objects.filter(campaign=hw.medal)}
    assert set(made) == {zhou.pk, wang.pk}
    assert made[zhou.pk].state == NominationState.DRAFT and made[zhou.pk].is_leader
    assert made[zhou.pk].years_in_trade == 12 and made[zhou.pk].deeds == DEEDS and made[zhou.pk].unit == hw.sd.steel
    assert made[wang.pk].deeds == "" and not made[wang.pk].disciplinary_record
    assert AuditEvent.objects.filter(verb="honours.nomination.created").count() == 2
    assert AuditEvent.objects.filter(verb="import.honour_nominations").count() == 1


def test_collectives_are_imported_by_code_or_by_name(hw):
    job = upload(hw, [line("集体", code=hw.sd.team.code, front="是", leader="", years=""),
                      line("集体", collective="质量攻关小组", front="否", leader="", years="")],
                 campaign=hw.pioneer)
    assert job.state == ImportJob.State.DONE, job.errors
    made = list(Nomination.objects.filter(campaign=hw.pioneer).order_by("id"))
    assert [(n.subject, n.nominee_org, n.name, n.front_line) for n in made] == [
        (Subject.COLLECTIVE, hw.sd.team, "炼钢一班", True), (Subject.COLLECTIVE, None, "质量攻关小组", False)]


# ---------------------------------------------------------------------------------------------
# Bad rows: one file each, the row and column named, nothing written


def test_a_bad_id_number_is_refused_on_its_cell(hw):
    good = id_number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    errors = refused(hw, [line(number=bad, name="周明")])
    assert [(e["row"], e["column"]) for e in errors] == [(2, "身份证号")]
    assert "check" in errors[0]["message"].lower()
    assert bad not in errors[0]["message"]


def test_an_id_number_of_the_wrong_length_or_date_is_refused(hw):
    errors = refused(hw, [line(number="37010219900307123", name="周明"),
                          line(number="370102199013071234", name="李四")])
    assert [(e["row"], e["column"]) for e in errors] == [(2, "身份证号"), (3, "身份证号")]


def test_an_unknown_person_is_refused(hw):
    errors = refused(hw, [line(number=id_number(), name="周明")])
    assert errors == [{"row": 2, "column": "身份证号", "message": "No one with this ID number is on the roster of "
                       "济南钢铁集团有限公司工会 or of the units below it."}]


def test_a_person_outside_the_union_is_refused_as_unknown(hw):
    """Qingdao's worker exists, but not on 济钢's roster: the same message as an unknown number (the file must not
    tell who is on another union's roster)."""
    number = id_number("370202")
    person(hw.sd.qd_enterprise, "孙红", id_number=number)
    errors = refused(hw, [line(number=number, name="孙红")])
    assert errors[0]["column"] == "身份证号" and "No one with this ID number" in errors[0]["message"]


def test_a_name_not_matching_the_roster_is_refused(hw):
    _zhou, number = worker(hw)
    errors = refused(hw, [line(number=number, name="周敏")])
    assert errors == [{"row": 2, "column": "姓名",
                       "message": "The name does not match the ID number: the roster has 周明."}]


def test_the_same_person_twice_in_the_file_is_refused(hw):
    _zhou, number = worker(hw)
    errors = refused(hw, [line(number=number, name="周明"), line(number=number, name="周明")])
    assert errors == [{"row": 3, "column": "身份证号", "message": "Row 2 already nominates 周明."}]


def test_a_person_already_nominated_in_the_campaign_is_refused(hw):
    zhou, number = worker(hw)
    hw.person_nomination(zhou)
    errors = refused(hw, [line(number=number, name="周明")])
    assert errors == [{"row": 2, "column": "身份证号", "message": "周明 is already nominated in this campaign."}]


def test_an_ineligible_nominee_is_refused_with_every_reason_on_its_column(hw):
    zhou, number = worker(hw)
    Holder.objects.create(honour_type=HonourType.objects.get(code="province_may_day_medal"), year=2024, person=zhou,
                          name=zhou.name, unit=hw.sd.team)
    errors = refused(hw, [line(number=number, name="周明", years=1, record="有")])
    by_column = {e["column"]: e["message"] for e in errors}
    assert set(by_column) == {"从事本工种年限", "违纪记录", "身份证号"}
    assert "asks for at least 3" in by_column["从事本工种年限"]
    assert "disciplinary record" in by_column["违纪记录"]
    assert "already holds 省五一劳动奖章" in by_column["身份证号"]


def test_a_nominee_of_the_wrong_kind_is_refused(hw):
    errors = refused(hw, [line("集体", collective="炼钢一班")])
    assert errors == [{"row": 2, "column": "推荐对象类型", "message": "This honour is conferred on A person."}]


def test_an_unknown_kind_of_nominee_is_refused(hw):
    errors = refused(hw, [line("团队", number=id_number(), name="周明")])
    assert errors[0]["column"] == "推荐对象类型" and "个人" in errors[0]["message"]


def test_a_person_without_years_or_with_bad_years_is_refused(hw):
    _zhou, number = worker(hw)
    _wang, other = worker(hw, "王刚")
    errors = refused(hw, [line(number=number, name="周明", years=""), line(number=other, name="王刚", years="八年"),
                          line(number=id_number(), name="赵六", years="70")])
    assert [(e["row"], e["column"]) for e in errors] == [(r, "从事本工种年限") for r in (2, 3, 4)]
    assert errors[0]["message"] == "Give the years in the trade."


def test_a_person_without_id_number_or_name_is_refused(hw):
    _zhou, number = worker(hw)
    errors = refused(hw, [line(number="", name="周明"), line(number=number, name="")])
    assert errors == [{"row": 2, "column": "身份证号", "message": "Give the nominee's ID number."},
                      {"row": 3, "column": "姓名", "message": "Give the nominee's name, as on the roster."}]


def test_a_bad_yes_no_cell_is_refused(hw):
    _zhou, number = worker(hw)
    errors = refused(hw, [line(number=number, name="周明", leader="也许", record="不详")])
    assert {e["column"] for e in errors} == {"负责人/管理人员", "违纪记录"}


def test_a_collective_outside_the_union_or_not_a_team_is_refused(hw):
    errors = refused(hw, [line("集体", code=hw.sd.qd_enterprise.code, leader="", years=""),
                          line("集体", code=hw.sd.steel.code, leader="", years=""),
                          line("集体", leader="", years=""),
                          line("集体", code=hw.sd.team.code, leader="", years=""),
                          line("集体", code=hw.sd.team.code, leader="", years="")], campaign=hw.pioneer)
    assert [(e["row"], e["column"]) for e in errors] == [(2, "组织代码"), (3, "组织代码"), (4, "集体名称"),
                                                         (6, "组织代码")]
    assert errors[0]["message"] == f"No unit with the code {hw.sd.qd_enterprise.code} within 济南钢铁集团有限公司工会."
    assert errors[1]["message"] == "A collective is a workshop or a team."
    assert errors[3]["message"] == "Row 5 already nominates 炼钢一班."


def test_one_bad_row_refuses_the_whole_file(hw):
    _zhou, number = worker(hw)
    errors = refused(hw, [line(number=number, name="周明"), line(number=id_number(), name="无名")])
    assert [e["row"] for e in errors] == [3]
    assert not Nomination.objects.exists()


# ---------------------------------------------------------------------------------------------
# Refused before any row is read


def test_a_file_with_other_headers_is_refused_at_once(hw):
    before = rows()
    with pytest.raises(DomainError) as e:
        upload(hw, [["周明"]], headers=["职工姓名"])
    assert "does not match the template" in e.value.message
    assert rows() == before and not ImportJob.objects.exists()


def test_a_closed_campaign_or_a_union_without_quota_is_refused(hw):
    hw.medal.submit_until = hw.medal.opens_on = datetime.date(2020, 1, 1)
    hw.medal.save()
    with pytest.raises(DomainError) as e:
        upload(hw, [line()])
    assert e.value.message == "Nominations are taken from 2020-01-01 to 2020-01-01."
    assert not ImportJob.objects.exists()


def test_only_the_unions_cadres_import(hw):
    for outsider in (hw.sd.qingdao_cadre, hw.sd.jinan_viewer, hw.private_cadre):
        with pytest.raises(PermissionDeniedError):
            upload(hw, [line()], actor=outsider)
    assert not ImportJob.objects.exists()


# ---------------------------------------------------------------------------------------------
# Pages and API


def test_the_template_has_the_columns_and_an_example_for_the_honour(hw, client):
    client.force_login(hw.sd.enterprise_cadre)
    r = client.get(reverse("honours:import_template", args=[hw.pioneer.pk]))
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert [c.value for c in ws[1]] == HEADERS
    assert ws["A2"].value == "集体"


def test_the_campaign_page_leads_to_the_import_and_an_upload_shows_the_errors(hw, client):
    client.force_login(hw.sd.enterprise_cadre)
    page = client.get(reverse("honours:campaign_detail", args=[hw.medal.pk]))
    url = reverse("honours:campaign_import", args=[hw.medal.pk]) + f"?unit={hw.sd.steel.pk}"
    assert url.replace("&", "&amp;") in page.content.decode()
    assert client.get(url).status_code == 200
    r = client.post(url, {"file": xlsx_upload(HEADERS, [line(number=id_number(), name="无名")], "a.xlsx")})
    job = ImportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("honours:import_status", args=[job.pk])
    status = client.get(r["Location"]).content.decode()
    assert "身份证号" in status and "No one with this ID number" in status
    assert client.post(url, {"file": xlsx_upload(HEADERS, [line()], "a.xls")}).status_code == 400


def test_another_city_cannot_open_the_import_or_its_job(hw, client):
    job = upload(hw, [line(number=id_number(), name="无名")])
    client.force_login(hw.sd.qingdao_cadre)
    url = reverse("honours:campaign_import", args=[hw.medal.pk]) + f"?unit={hw.sd.steel.pk}"
    assert client.get(url).status_code == 404  # 济钢 is no union of Qingdao's
    assert client.get(reverse("honours:import_status", args=[job.pk])).status_code == 404


def test_the_api_imports_a_file(hw):
    _zhou, number = worker(hw)
    api = Api(hw.sd.enterprise_cadre)
    r = api.upload(f"/honours/campaigns/{hw.medal.pk}/imports", {
        "unit_id": hw.sd.steel.pk, "file": xlsx_upload(HEADERS, [line(number=number, name="周明")], "a.xlsx")})
    assert r.status_code == 201, r.content
    assert r.json()["state"] == "done" and r.json()["summary"]["created"] == 1
    bad = api.upload(f"/honours/campaigns/{hw.medal.pk}/imports", {
        "unit_id": hw.sd.steel.pk, "file": xlsx_upload(HEADERS, [line(number=number, name="周明")], "a.xlsx")})
    assert bad.json()["state"] == "invalid"
    assert bad.json()["errors"][0] == {"row": 2, "column": "身份证号", "message": "周明已在本次评选中被推荐。"}
    assert api.get(f"/honours/campaigns/{hw.medal.pk}/imports/template.xlsx").status_code == 200
    qd = Api(hw.sd.qingdao_cadre).upload(f"/honours/campaigns/{hw.medal.pk}/imports", {
        "unit_id": hw.sd.steel.pk, "file": xlsx_upload(HEADERS, [line()], "a.xlsx")})
    assert qd.status_code == 404



def test_a_submissions_quota_check_costs_the_same_however_many_were_nominated(hw):
    """The counters: one submission reads the chain of shares above it, never the nominations (bench/honours_quota.py
    measures it at 20,000 nominations)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongjiang.honours import services
    from gongjiang.honours.choices import Material

    from .factories import pdf

    def cost(name: str) -> list[str]:
        n = services.nominate(actor=hw.private_cadre, campaign=hw.pioneer, unit=hw.private,
                              subject=Subject.COLLECTIVE, name=name, front_line=True, deeds=DEEDS)
        for kind in (Material.FORM, Material.DEEDS):
            services.add_nomination_files(actor=hw.private_cadre, nomination=n, kind=kind, uploads=[pdf()])
        with CaptureQueriesContext(connection) as captured:
            services.submit_nomination(actor=hw.private_cadre, nomination=n)
        return [q["sql"] for q in captured.captured_queries]

    first = cost("质量攻关小组")
    # 10: the savepoint pair, the nomination, its materials, the chain, the counters' UPDATE, the nomination's UPDATE,
    # the audit event, and the fact store's two (the unit's reach, one upsert of its rows)
    assert len(cost("设备维修班")) == len(cost("安全环保班")) == len(first) == 10, "\n".join(first)
