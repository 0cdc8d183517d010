"""Every audit verb of every app, recorded by its real service and shown through the one timeline renderer
(`core.history` and `components/timeline.html`), in Chinese: a Chinese label for the verb, no Python repr (no
`['`, `{'`, None, True, False, `<`), no English key or code, no 加密号 or draw seed, no ID number.

The world is the factory province (`sd`) taken through everything its personas do: units and people edited, moved
and transferred, accounts and tokens, a roster and a registration import, the provincial season's Jinan round from
registration through draws, marking, a returned sheet, locking, a re-check, decryption, the public notice with an
appeal and an objection, to its final results and certificates, the provincial final's promotion, a team event,
and a labour competition evaluated and closed. A verb the code records but the world does not reach fails the
test (so does a verb written in the code without a label)."""

from __future__ import annotations

import ast
import datetime
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from lxml import html

from gongjiang.assessments.tests import journey as assessments_journey
from gongjiang.care.tests import journey as care_journey
from gongjiang.competitions import services as cs
from gongjiang.competitions.choices import AmendmentKind, EntryStatus, RoundState
from gongjiang.competitions.imports import start_scheme_import
from gongjiang.competitions.models import Certificate, Entry, Round
from gongjiang.competitions.registration_import import start_registration_import
from gongjiang.competitions.tests.factories import WITNESSES, season
from gongjiang.competitions.tests.test_permission_matrix import PASSWORD, World, pending
from gongjiang.competitions.tests.test_scheme_import import GOOD, workbook
from gongjiang.core import history
from gongjiang.core import notices as core_notices
from gongjiang.core.imports import download_error_report, start_import
from gongjiang.core.models import AuditEvent, ImportJob
from gongjiang.core.verbs import VERBS
from gongjiang.honours.tests import journey as honours_journey
from gongjiang.innovation.tests import journey as innovation_journey
from gongjiang.learning.tests import (
    banks_journey,
    challenge_journey,
    contests_journey,
    engine_journey,
    training_journey,
)
from gongjiang.orgs import facts
from gongjiang.orgs import services as os_
from gongjiang.orgs.choices import MembershipStatus, OrgKind, Role
from gongjiang.orgs.models import ApiToken, User
from gongjiang.orgs.tests.factories import id_number, xlsx_upload
from gongjiang.rights.tests import journey as rights_journey

ROOT = Path(__file__).resolve().parent.parent
D = Decimal
# Verbs kept for events written before their writer moved or changed (shown in old timelines), no longer recorded:
# the competitions' certificates moved to core (`core.certificate.revoked`); theory scores are saved in one go
# (`competitions.round.theory_entered`), not through an import job.
HISTORIC = {"competitions.certificate.revoked": {"number": "JS2025-0001-00001"},
            "import.theory": {"entries": 12}}


def code_verbs() -> set[str]:
    """The verbs the code records: the verb argument of every `audit.record(...)` / `record_bulk(...)` call (a
    literal, or either literal of a conditional), and those its f-strings make: one per amendment kind and per
    registered import kind."""
    from gongjiang.competitions.choices import AmendmentKind as Kinds
    from gongjiang.core.imports import REGISTRY

    found: set[str] = set()
    for path in (ROOT / "gongjiang").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in {"record", "record_bulk"}:
                continue
            verb = node.args[1]
            for literal in (verb.body, verb.orelse) if isinstance(verb, ast.IfExp) else (verb,):
                if isinstance(literal, ast.Constant) and isinstance(literal.value, str):
                    found.add(literal.value)
    found |= {f"competitions.mark.amended_{k}" for k in Kinds.values}
    found |= {f"import.{kind}" for kind in REGISTRY}
    return found


# ---------------------------------------------------------------------------------------------
# The world


def _orgs(sd: Any) -> None:
    admin = sd.province_admin
    unit = os_.create_org(actor=admin, parent=sd.town, name="历下新企业工会", code="T-NEW-1", kind=OrgKind.GRASSROOTS,
                          employee_count=52000)
    os_.update_org(actor=admin, org=unit, name="历下新材料企业工会", employee_count=120000)
    os_.move_org(actor=admin, org=unit, new_parent=sd.lixia)
    os_.deactivate_org(actor=admin, org=unit, reason="企业注销")
    os_.reactivate_org(actor=admin, org=unit)
    person = os_.create_person(actor=admin, employer=sd.steel, name="赵新", id_number=id_number(), mobile="13912340000")
    os_.update_person(actor=sd.enterprise_cadre, person=person, mobile="13900000000", is_front_line=True)
    os_.record_skill_grade(actor=admin, person=person, grade=4, certificate_no="ZS-2026-001",
                           certified_on=datetime.date(2026, 3, 1))
    os_.reveal_id_number(actor=admin, person=person)
    os_.record_roster_export(actor=admin, org=sd.steel)
    os_.join_union(actor=admin, person=person, member_since=datetime.date(2015, 9, 1))
    os_.change_membership_status(actor=admin, person=person, status=MembershipStatus.SUSPENDED,
                                reason="长期未缴会费")
    os_.change_membership_status(actor=admin, person=person, status=MembershipStatus.ACTIVE, reason="补缴会费")
    os_.join_union(actor=sd.qingdao_cadre, person=sd.qd_person)
    transfer = os_.request_transfer(actor=admin, person=sd.qd_person, to_employer=sd.steel, reason="工作调动")
    os_.refuse_transfer(actor=sd.enterprise_cadre, transfer=transfer, note="不同意")
    transfer = os_.request_transfer(actor=admin, person=sd.qd_person, to_employer=sd.steel, reason="工作调动")
    os_.cancel_transfer(actor=admin, transfer=transfer)
    transfer = os_.request_transfer(actor=admin, person=sd.qd_person, to_employer=sd.steel, reason="工作调动")
    os_.accept_transfer(actor=sd.enterprise_cadre, transfer=transfer)
    grant = os_.grant_role(actor=admin, user=sd.worker, org=sd.steel, role=Role.VIEWER)
    os_.revoke_role(actor=admin, grant=grant)
    os_.create_cadre_account(actor=admin, username="new_cadre", full_name="新干部", password="Strong-Pass-2026",
                             org=sd.steel, role=Role.VIEWER)
    os_.create_account(actor=admin, org=sd.steel, username="new_judge", full_name="新裁判")
    os_.create_worker_account(actor=admin, person=person, username="zhaoxin", password="Strong-Pass-2026")
    os_.change_password(actor=sd.jinan_cadre, old_password=PASSWORD, new_password="Another-Pass-2026")
    os_.issue_api_token(actor=sd.county_cadre, name="统计接口")
    token, _key = os_.issue_api_token(actor=sd.county_cadre, name="数据同步")
    os_.revoke_api_token(actor=sd.county_cadre, token=token)
    os_.set_account_active(actor=admin, user=sd.county_cadre, active=False)
    os_.set_account_active(actor=admin, user=sd.county_cadre, active=True)
    # A roster import (and its error report): two new workers, then a file with a bad row.
    headers = ["姓名", "*身份证号", "手机号码"]
    start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=xlsx_upload(
        headers, [["钱一", id_number(), "13900000011"], ["孙二", id_number(), ""]], "名册.xlsx"))
    bad = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=xlsx_upload(
        headers, [["李四", id_number(), "12345"]], "名册.xlsx"))
    assert bad.state == ImportJob.State.INVALID
    download_error_report(actor=sd.enterprise_cadre, job=bad)


def _season(w: World) -> None:
    sd, admin = w.sd, w.sd.province_admin
    s = w.s
    w.jinan("registration")
    cs.update_competition(actor=admin, competition=s.competition, name="山东省第十一届职工技能大赛",
                          fund_amount=D("1200000.00"))
    cs.update_event(actor=admin, event=s.event, capacity=30, tie_breaks=["practical", "time_used"],
                    prize_rule={"bands": [{"prize": "first", "count": 1}, {"prize": "second", "percent": 20}]})
    cs.set_round_details(actor=sd.jinan_cadre, rnd=s.jinan_round, venue="济南市技师学院",
                         starts_on=datetime.date(2026, 10, 12))
    cs.update_scheme_settings(actor=admin, event=s.event, expected_total=D(100), judgement_method="trimmed_mean",
                              trim=1, rounding_mode="half_up", rounding_places=1, rounding_level="aspect",
                              judges_per_entry=3)
    # Approval, refusal, the waiting list and a promotion from it.
    approved, refused = pending(w), pending(w)
    cs.approve_entry(actor=sd.jinan_cadre, entry=approved)
    cs.refuse_entry(actor=sd.jinan_cadre, entry=refused, reason="名额已满")
    held = Entry.objects.filter(round=s.jinan_round, status__in=[EntryStatus.REGISTERED]).count()
    cs.update_event(actor=admin, event=s.event, requires_approval=False, capacity=held, waitlist=True)
    waiting = cs.register(actor=sd.enterprise_cadre, person=w.newcomer("候补选手"), rnd=s.jinan_round)
    assert waiting.status == EntryStatus.WAITLISTED
    cs.withdraw_entry(actor=sd.enterprise_cadre, entry=approved, reason="工作安排")
    cs.update_event(actor=admin, event=s.event, capacity=None, waitlist=False)
    cs.set_theory_scores(actor=sd.jinan_cadre, rnd=s.jinan_round, scores={w.entry.pk: D("86.5")}, note="理论考试")
    cs.register_bulk(actor=sd.enterprise_cadre, competition=s.competition,
                     items=[(w.newcomer("济钢甲"), s.event, ""), (w.newcomer("济钢乙"), s.event, "单位推荐")])
    start_registration_import(actor=sd.enterprise_cadre, org=sd.steel, competition=s.competition, upload=xlsx_upload(
        ["身份证号", "姓名", "赛项", "备注"], [[p.id_number, p.name, "车工", ""] for p in
                                            [w.newcomer("导入甲"), w.newcomer("导入乙")]], "报名表.xlsx"))
    start_scheme_import(actor=admin, event=w.team_round.event, upload=SimpleUploadedFile("评分标准.xlsx",
                                                                                          workbook(GOOD)))
    # A team, its drawn member; a judge of the city's pool with a conflict, on the Qingdao panel.
    cs.draw_team_members(actor=sd.jinan_cadre, team=w.team, witnesses=WITNESSES)
    cs.assign_judge(actor=admin, rnd=s.qingdao_round, judge=w.jinan_judge)
    cs.declare_conflict(actor=sd.jinan_cadre, judge=w.jinan_judge, reason="近亲属", person=w.newcomer("裁判的亲属"))
    # Marking: a sheet returned and signed again, every entry locked, a re-check, decryption, the notice.
    w.jinan("signed")
    sheet = w.sheet
    cs.return_sheet(actor=w.panel["chief"].user, sheet_id=sheet.pk, reason="复核测量")
    cs.sign_sheet(actor=sheet.judge.judge.user, sheet_id=sheet.pk)
    w.jinan("locked")
    cs.draw_recheck(actor=w.panel["chief"].user, rnd=s.jinan_round, witnesses=WITNESSES)
    cs.amend_mark(actor=w.panel["chief"].user, sheet_id=sheet.pk, aspect_id=w.aspect().pk, data={"mark": "25"},
                  reason="复核：表面有划痕")
    w.jinan("publicity")
    appeal = w.appeal
    cs.amend_mark(actor=sd.jinan_cadre, sheet_id=sheet.pk, aspect_id=w.aspect().pk, data={"mark": "29"},
                  reason="仲裁决定", kind=AmendmentKind.APPEAL, appeal=appeal)
    cs.decide_appeal(actor=sd.jinan_cadre, appeal=appeal, upheld=False, decision="经复议，维持原成绩")
    rnd = w.jinan("publicity")
    objection = core_notices.file_objection(notice=rnd.notice, name="王五", contact="13900000009",
                                            subject="车工第一名", reason="量具未检录", client="203.0.113.9")
    core_notices.read_objector(actor=sd.jinan_cadre, objection=objection)
    core_notices.add_note(actor=sd.jinan_cadre, objection=objection, text="已询问检录员")
    core_notices.decide_objection(actor=sd.jinan_cadre, objection=objection, outcome="dismissed",
                                  reply="经核实，量具已检录，异议不成立。")
    cs.decide_promotion(actor=admin, promotion=w.promotion, approve=True)  # the provincial final, run to its end
    w.jinan("closing")
    core_notices.close_due()
    # The Qingdao round (nobody entered) is over too, so finalising Jinan's sends the qualifier's best on.
    Round.objects.filter(pk=s.qingdao_round.pk).update(state=RoundState.FINAL)
    w.jinan("final")
    cs.revoke_certificate(actor=sd.jinan_cadre, certificate=Certificate.objects.filter(entry=w.entry).first(),
                          reason="成绩作废")


def _labour(w: World) -> None:
    sd, p = w.sd, w.project
    cs.set_indicators(actor=sd.jinan_cadre, competition=p.competition, indicators=[
        {"code": "progress", "name": "进度", "weight": 35}, {"code": "quality", "name": "质量", "weight": 20},
        {"code": "safety", "name": "安全", "weight": 25, "is_safety": True},
        {"code": "innovation", "name": "创新", "weight": 10}, {"code": "energy", "name": "节能减排", "weight": 10}])
    cs.set_fund(actor=sd.jinan_cadre, competition=p.competition, amount=D("20000.00"))
    cs.remove_unit(actor=sd.jinan_cadre, unit=p.person)
    cs.withdraw_evaluator(actor=sd.jinan_cadre, evaluator=p.competition.evaluators.get(user=p.b))
    january = w.evaluated_january()
    cs.close_period(actor=sd.jinan_cadre, period=january)


def _report_text(sd: Any) -> None:
    from gongjiang.stats import services as stats_services

    stats_services.save_narrative(actor=sd.jinan_cadre, org=sd.jinan, year=timezone.localdate().year, section="",
                                  text="全市职工经济技术工作稳步推进。")
    # a data request: sent, Jinan saves and reports, sent back, reported again; Qingdao reminded; closed
    request = stats_services.issue_request(
        actor=sd.province_admin, org=sd.province, title="主要指标快报", period=str(timezone.localdate().year),
        due=timezone.localdate(), indicators=[{"label": "培训期数", "unit": "期"}], recipients=[sd.jinan, sd.qingdao])
    jinan = request.returns.get(org=sd.jinan)
    stats_services.save_return(actor=sd.jinan_cadre, ret=jinan, values={"c1": "3"})
    stats_services.save_return(actor=sd.jinan_cadre, ret=jinan, values={"c1": "4"}, report=True)
    stats_services.send_back(actor=sd.province_admin, ret=jinan, reason="请按台账核对")
    stats_services.save_return(actor=sd.jinan_cadre, ret=jinan, values={"c1": "5"}, report=True)
    stats_services.remind(actor=sd.province_admin, request=request)
    stats_services.close_request(actor=sd.province_admin, request=request)


@pytest.fixture
def world(sd: Any, settings: Any, tmp_path: Any) -> World:
    settings.MEDIA_ROOT = str(tmp_path)
    w = World(sd)
    _orgs(sd)
    _season(w)
    _labour(w)
    innovation_journey.everything(sd)  # every innovation verb once
    honours_journey.everything(sd)  # every honours verb once
    challenge_journey.everything(sd)  # every verb of the level challenges once
    banks_journey.everything(sd)  # every question bank verb once
    training_journey.everything(sd)  # every training and mentorship verb once
    engine_journey.everything(sd)  # the attempt engine's verbs (a theory exam's start and submission are audited)
    contests_journey.everything(sd, season(sd).jinan_round)  # contests, theory exams (a second season's round)
    assessments_journey.everything(sd)  # every assessments verb once
    care_journey.everything(sd)  # every care verb once
    rights_journey.everything(sd)  # every rights verb once
    _report_text(sd)  # the statistics app's one verb
    return w


# ---------------------------------------------------------------------------------------------
# What a timeline may not show

REPR = ("['", "{'", "None", "True", "False", "<", "[]", "{}")
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # a word, a user name (judge12_0) or a code (T-NEW-1) whole
# Latin words a timeline may show: "API" (the API令牌 of the accounts pages: the term the federation's IT staff use),
# "xlsx", "pdf" (an uploaded file's name).
ALLOWED = {"API", "xlsx", "pdf"}


def rendered(event: AuditEvent, *, feed: bool) -> str:
    return render_to_string("components/timeline.html", {"events": [event], "feed": feed})


def text_of(markup: str) -> str:
    return html.fromstring(f"<div>{markup}</div>").text_content()


def problems(event: AuditEvent, text: str, allowed: set[str]) -> list[str]:
    found = []
    label = str(VERBS.get(event.verb, ""))
    if not label or label == event.verb or english(label, allowed):
        found.append(f"no Chinese label ({label or event.verb})")
    found += [f"repr {r!r}" for r in REPR if r in text]
    found += [f"English {w!r}" for w in english(text, allowed)]
    keys = {k for data in (event.before or {}, event.after or {}) for k in data if re.fullmatch(r"[a-z_]+", k)}
    found += [f"key {k!r}" for k in sorted(keys & set(TOKEN.findall(text)))]
    return found


def english(text: str, allowed: set[str]) -> list[str]:
    """The words of 3+ Latin letters in `text` that are not allowed; a run holding a digit is a code of the data
    (T-NEW-1, 11D01E9B, judge12_0) and no word."""
    return sorted({w for w in TOKEN.findall(text) if not re.search(r"\d", w) and len(w) >= 3 and w not in allowed})


def test_every_verb_the_code_records_has_a_label():
    assert code_verbs() - set(VERBS) == set()


@pytest.mark.usefixtures("world")
def test_every_verb_of_every_app_is_shown_in_chinese_words(sd):
    recorded = set(AuditEvent.objects.values_list("verb", flat=True))
    # Every verb of every app has run: the figures they added to the fact store are what the rows say.
    assert facts.differences() == {}, "the fact store disagrees with the rows (manage.py rebuild_facts --check)"
    example_verbs = {v for v in VERBS if v.startswith("example_app.")}  # the test-only example app's
    assert set(VERBS) - recorded - set(HISTORIC) - example_verbs == set(), "verbs the world does not record"
    for verb, after in HISTORIC.items():
        AuditEvent.objects.create(verb=verb, content_type_id=AuditEvent.objects.first().content_type_id,
                                  object_id="1", object_repr="历史记录", after=after)
    # Data, not words: the accounts' user names, the API tokens' random prefixes.
    # A prefix is random url-safe text: "-JMtlRew" reads as the word "JMtlRew", so its tokens are allowed.
    prefixes = {w for prefix in ApiToken.objects.values_list("prefix", flat=True) for w in TOKEN.findall(prefix)}
    allowed = ALLOWED | set(User.objects.values_list("username", flat=True)) | prefixes
    seen: dict[str, list[str]] = {}
    with translation.override("zh-hans"):
        events = history.describe(AuditEvent.objects.select_related("actor").order_by("id"))
        for event in events:
            for feed in (False, True):
                text = text_of(rendered(event, feed=feed))
                found = problems(event, text, allowed)
                if found:
                    seen.setdefault(event.verb, []).append(f"{found}: {' '.join(text.split())[:300]}")
    assert seen == {}, "\n".join(f"{verb}: {found}" for verb, found in sorted(seen.items()))


def test_a_timeline_never_names_the_anonymous_code_or_the_seed(world):
    """The 加密号 of every entry and the seed of every draw stay out of every event (before decryption a code beside
    an entry's name would be the link the anonymity rules forbid)."""
    codes = set(Entry.objects.exclude(code="").values_list("code", flat=True))
    from gongjiang.competitions.models import Draw

    seeds = set(Draw.objects.values_list("seed", flat=True))
    with translation.override("zh-hans"):
        for event in history.describe(AuditEvent.objects.order_by("id")):
            text = text_of(rendered(event, feed=False)) + " " + text_of(rendered(event, feed=True))
            text = text.replace(event.object_repr, "")  # a sheet is named by its code and judge (no person)
            assert not {c for c in codes if re.search(rf"(?<!\d){c}(?!\d)", text)}, (event.verb, text)
            assert not {s for s in seeds if s in text}, (event.verb, text)


def test_a_bulk_payload_is_summarised(db):
    """A month of evaluations for 120 units: a sentence and the first units, the rest counted."""
    from django.contrib.contenttypes.models import ContentType

    from gongjiang.competitions.models import Competition

    rows = [[f"项目部{i:03d}", "progress", None, "80", False] for i in range(120)]
    event = AuditEvent(verb="competitions.labour.evaluations_entered", object_id="0", object_repr="劳动竞赛",
                       content_type=ContentType.objects.get_for_model(Competition),
                       after={"period": "2026年1月", "changes": rows}, created_at=timezone.now())
    with translation.override("zh-hans"):
        [shown] = history.describe([event])
        assert "120" in shown.summary and len(shown.changes) == 3 and shown.more == 117
        assert "……另有 117 项" in text_of(rendered(shown, feed=False))
