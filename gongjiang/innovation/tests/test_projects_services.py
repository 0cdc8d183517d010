"""The innovation project verbs as a specification: 济钢's union cadre registers a project of 炼钢一班 led by 李强
(from his adopted proposal), decides each of the seven stages in turn with a reason — every decision in the stage
timeline, the audit and the year's figures, and told to the members — keeps its milestones, progress, members,
subsidy and spending, and files per stage. Then every bad input: a clear message naming the field, and nothing
changed."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override

from gongjiang.core.audit import timeline
from gongjiang.core.errors import DomainError
from gongjiang.core.models import Notification
from gongjiang.innovation import services
from gongjiang.innovation.choices import Holder, ProjectRole, Stage, State
from gongjiang.innovation.models import Project, ProjectMember, StageDecision
from gongjiang.innovation.rules import attachments
from gongjiang.innovation.rules import projects as rules
from gongjiang.orgs.tests.factories import user

from .factories import PDF, facts_agree, pdf, year_facts
from .project_factories import REASON, bring, project
from .test_services import refused

D = Decimal


def audited(obj, verb: str) -> list:
    return [e for e in timeline(obj) if e.verb == verb]


def stage_figures(org) -> dict[str, int]:
    return {k: v for k, v in year_facts(org, timezone.localdate().year).items() if k.startswith("projects_")}


def test_a_project_goes_from_problem_finding_to_promotion_one_decision_at_a_time(inn):
    sd = inn.sd
    p = project(inn)
    assert (p.stage, p.org, p.enterprise, p.holder, p.progress) == (Stage.FINDING, sd.team, sd.steel, Holder.TEAM, 0)
    assert p.number == f"KT{p.year}-{p.pk:06d}"
    assert [(m.person, m.role) for m in p.members.all()] == [(sd.worker_person, ProjectRole.LEADER)]
    for stage in rules.ORDER[1:]:
        p = services.advance_project(actor=sd.enterprise_cadre, project=p, stage=stage, reason=f"同意进入{stage}")
        assert p.stage == stage
    decisions = list(StageDecision.objects.filter(project=p).values_list("from_stage", "stage"))
    assert decisions == [("", "finding"), *zip(rules.ORDER, rules.ORDER[1:], strict=False)]
    events = list(timeline(p).values_list("verb", flat=True))
    assert events.count("innovation.project.stage_changed") == 6 and "innovation.project.created" in events
    assert audited(p, "innovation.project.stage_changed")[0].note.startswith("同意进入")
    # every union above 炼钢一班 counts the project at every stage it reached this year
    expected = {f"projects_{s}": 1 for s in rules.ORDER}
    for org in (sd.team, sd.steel, sd.lixia, sd.jinan, sd.province, sd.metallurgy):
        assert stage_figures(org) == expected
    assert stage_figures(sd.qingdao) == {}
    facts_agree()
    # 李强, the leader, heard of every decision
    assert Notification.objects.filter(recipient=sd.worker, verb="innovation.project.stage").count() == 6


def test_a_project_starts_from_an_adopted_proposal_and_the_chain_shows_from_both_ends(inn):
    proposal = inn.bring(inn.submit(), State.IMPLEMENTING)
    p = project(inn, proposal=proposal, title=proposal.title)
    assert p.proposal == proposal and list(proposal.projects.all()) == [p]
    assert audited(proposal, "innovation.proposal.project_started")


@pytest.mark.parametrize("state", [State.SUBMITTED, State.EVALUATING, State.REJECTED])
def test_a_proposal_that_was_not_adopted_starts_no_project(inn, state):
    proposal = inn.bring(inn.submit(), state)
    e = refused(lambda: project(inn, proposal=proposal), "proposal")
    assert e.code == "not_adopted" and "Only an adopted proposal" in e.message


def test_a_project_cannot_start_from_a_proposal_out_of_sight(inn):
    proposal = inn.bring(inn.submit(), State.ADOPTED)
    outsider = user("qd_staff")
    from gongjiang.orgs.services import grant_role

    grant_role(actor=inn.sd.province_admin, user=outsider, org=inn.sd.qd_enterprise, role="staff")
    refused(lambda: services.create_project(
        actor=outsider, org=inn.sd.qd_enterprise, holder=Holder.ENTERPRISE, title="借用济钢的建议",
        problem="借用济钢的建议开展攻关，看看能否成功。", leader=inn.sd.qd_person, proposal=proposal),
        "proposal", permission=True)


def test_a_stage_cannot_be_skipped_and_the_message_names_the_missing_stage(inn):
    p = bring(inn, project(inn), Stage.APPROVED)
    e = refused(lambda: services.advance_project(actor=inn.sd.enterprise_cadre, project=p, stage=Stage.TRIAL,
                                                 reason="想直接试验"), "stage")
    assert e.code == "stage_skipped" and "Tackling" in e.message and "no stage can be skipped" in e.message
    with override("zh-hans"):
        e = refused(lambda: services.advance_project(actor=inn.sd.enterprise_cadre, project=p,
                                                     stage=Stage.TRANSFERRED, reason="想直接推广"), "stage")
    assert "项目攻关" in e.message and "应用试验" in e.message and "鉴定评价" in e.message


@pytest.mark.parametrize(("target", "words"), [(Stage.FINDING, "forwards one at a time"),
                                               (Stage.APPROVED, "already"), ("done", "next stage")])
def test_a_project_never_goes_back_or_stays_or_moves_to_an_unknown_stage(inn, target, words):
    p = bring(inn, project(inn), Stage.APPROVED)
    e = refused(lambda: services.advance_project(actor=inn.sd.enterprise_cadre, project=p, stage=target,
                                                 reason=REASON), "stage")
    assert words in e.message


def test_a_decision_needs_its_reason(inn):
    p = project(inn)
    refused(lambda: services.advance_project(actor=inn.sd.enterprise_cadre, project=p, stage=Stage.APPROVED,
                                             reason="  "), "reason")


def test_a_stopped_project_changes_no_more(inn):
    p = bring(inn, project(inn), Stage.TACKLING)
    p = services.stop_project(actor=inn.sd.enterprise_cadre, project=p, reason="技术路线不可行")
    assert p.stage == Stage.STOPPED and stage_figures(inn.sd.steel)["projects_stopped"] == 1
    cadre = inn.sd.enterprise_cadre
    for call in (lambda: services.advance_project(actor=cadre, project=p, stage=Stage.TRIAL, reason=REASON),
                 lambda: services.set_project_progress(actor=cadre, project=p, progress=50),
                 lambda: services.add_milestone(actor=cadre, project=p, title="样机", due=datetime.date(2030, 1, 1)),
                 lambda: services.stop_project(actor=cadre, project=p, reason="再次中止")):
        assert refused(call).code == "closed"


def test_a_project_at_its_last_stage_is_not_stopped(inn):
    p = bring(inn, project(inn), Stage.TRANSFERRED)
    assert "last stage" in refused(lambda: services.stop_project(actor=inn.sd.enterprise_cadre, project=p,
                                                                  reason="不再推广"), "stage").message


@pytest.mark.parametrize("value", [-1, 101, 250])
def test_progress_out_of_range_is_refused(inn, value):
    p = project(inn)
    e = refused(lambda: services.set_project_progress(actor=inn.sd.enterprise_cadre, project=p, progress=value),
                "progress")
    assert "from 0 to 100" in e.message


def test_progress_is_kept_and_audited(inn):
    p = services.set_project_progress(actor=inn.sd.enterprise_cadre, project=project(inn), progress=40)
    assert p.progress == 40 and audited(p, "innovation.project.progress")


def test_the_subsidy_is_granted_up_to_the_request_unless_a_reason_is_given(inn):
    cadre = inn.sd.enterprise_cadre
    p = project(inn)
    e = refused(lambda: services.set_project_funding(actor=cadre, project=p, requested=D(30000), granted=D(35000)),
                "reason")
    assert "more than was requested" in e.message
    p = services.set_project_funding(actor=cadre, project=p, requested=D(30000), granted=D(35000),
                                     reason="专家评审认为检测费用预算偏低")
    assert (p.granted, p.remaining) == (D(35000), D(35000))
    refused(lambda: services.set_project_funding(actor=cadre, project=p, requested=D(-1), granted=None), "requested")


def test_spending_may_not_pass_the_grant(inn):
    cadre = inn.sd.enterprise_cadre
    p = project(inn)
    today = timezone.localdate()
    e = refused(lambda: services.add_spending(actor=cadre, project=p, spent_on=today, amount=D(100),
                                              purpose="材料"), "amount")
    assert "No subsidy has been granted" in e.message
    p = services.set_project_funding(actor=cadre, project=p, requested=D(30000), granted=D(20000))
    services.add_spending(actor=cadre, project=p, spent_on=today, amount=D("12000.50"), purpose="样机材料采购")
    p.refresh_from_db()
    assert (p.spent, p.remaining) == (D("12000.50"), D("7999.50"))
    e = refused(lambda: services.add_spending(actor=cadre, project=p, spent_on=today, amount=D(8000),
                                              purpose="试验检测费"), "amount")
    assert e.code == "over_granted" and "20,000.00" in e.message and "7,999.50" in e.message
    refused(lambda: services.add_spending(actor=cadre, project=p, spent_on=today, amount=D(0), purpose="空"),
            "amount")
    refused(lambda: services.add_spending(actor=cadre, project=p, spent_on=today + datetime.timedelta(days=3),
                                          amount=D(10), purpose="预付"), "spent_on")
    refused(lambda: services.add_spending(actor=cadre, project=p, spent_on=today, amount=D(10), purpose=" "),
            "purpose")
    e = refused(lambda: services.set_project_funding(actor=cadre, project=p, requested=D(30000), granted=D(10000)),
                "granted")
    assert "spent already" in e.message


def test_a_project_has_exactly_one_leader(inn):
    sd, cadre = inn.sd, inn.sd.enterprise_cadre
    p = project(inn)
    services.set_project_member(actor=cadre, project=p, person=inn.colleague, role=ProjectRole.CORE)
    leader = ProjectMember.objects.get(project=p, person=sd.worker_person)
    e = refused(lambda: services.remove_project_member(actor=cadre, member=leader), "member")
    assert "exactly one leader" in e.message
    services.set_project_member(actor=cadre, project=p, person=inn.colleague, role=ProjectRole.LEADER)
    assert dict(ProjectMember.objects.filter(project=p).values_list("person__name", "role")) == {
        "周明": ProjectRole.LEADER, "李强": ProjectRole.CORE}
    services.remove_project_member(actor=cadre, member=ProjectMember.objects.get(project=p, person=sd.worker_person))
    assert list(p.members.values_list("role", flat=True)) == [ProjectRole.LEADER]
    refused(lambda: services.set_project_member(actor=cadre, project=p, person=inn.colleague,
                                                role=ProjectRole.LEADER), "person")
    refused(lambda: services.set_project_member(actor=cadre, project=p, person=sd.worker_person, role="boss"), "role")


def test_members_work_in_the_projects_enterprise(inn):
    p = project(inn)
    e = refused(lambda: services.set_project_member(actor=inn.sd.enterprise_cadre, project=p,
                                                    person=inn.sd.qd_person, role=ProjectRole.MEMBER), "person")
    assert "does not work in" in e.message
    refused(lambda: project(inn, leader=inn.sd.qd_person), "leader")


@pytest.mark.parametrize(("holder", "org", "field"), [(Holder.TEAM, "steel", "org"), (Holder.ENTERPRISE, "team", "org"),
                                                      (Holder.STUDIO, "workshop", "studio_name"), ("club", "team",
                                                                                                   "holder")])
def test_who_holds_a_project_fits_the_unit(inn, holder, org, field):
    refused(lambda: project(inn, holder=holder, org=getattr(inn.sd, org)), field)


def test_a_studio_hosted_by_a_workshop_holds_a_project(inn):
    p = project(inn, holder=Holder.STUDIO, org=inn.sd.workshop, studio_name="李强劳模创新工作室")
    assert (p.enterprise, p.studio_name) == (inn.sd.steel, "李强劳模创新工作室")


@pytest.mark.parametrize(("kw", "field"), [({"title": " "}, "title"), ({"title": "长" * 121}, "title"),
                                           ({"problem": "太短"}, "problem"), ({"requested": D(-5)}, "requested")])
def test_a_registration_with_bad_input_is_refused(inn, kw, field):
    refused(lambda: project(inn, **kw), field)


def test_milestones_are_reached_once_and_not_in_the_future(inn):
    cadre = inn.sd.enterprise_cadre
    p = project(inn)
    m = services.add_milestone(actor=cadre, project=p, title="完成现场调研", due=timezone.localdate())
    refused(lambda: services.complete_milestone(actor=cadre, milestone=m,
                                                done_on=timezone.localdate() + datetime.timedelta(days=1)), "done_on")
    services.complete_milestone(actor=cadre, milestone=m, done_on=timezone.localdate())
    refused(lambda: services.complete_milestone(actor=cadre, milestone=m, done_on=timezone.localdate()), "done_on")
    refused(lambda: services.add_milestone(actor=cadre, project=p, title="", due=timezone.localdate()), "title")


def test_files_are_filed_under_a_stage_reached_and_checked_like_a_proposals(inn):
    cadre = inn.sd.enterprise_cadre
    p = bring(inn, project(inn), Stage.APPROVED)
    made = services.add_project_files(actor=cadre, project=p, files=[pdf("立项报告.pdf")])
    assert [(f.stage, f.name) for f in made] == [(Stage.APPROVED, "立项报告.pdf")]
    assert not made[0].file.name.endswith("立项报告.pdf") and made[0].file.name.startswith("innovation/projects/")
    services.add_project_files(actor=cadre, project=p, files=[pdf("调研记录.pdf")], stage=Stage.FINDING)
    refused(lambda: services.add_project_files(actor=cadre, project=p, files=[pdf()], stage=Stage.TRIAL), "stage")
    e = refused(lambda: services.add_project_files(actor=cadre, project=p, files=[
        pdf("报告.pdf"), SimpleUploadedFile("病毒.exe", b"MZ\x90\x00")]), "files")
    assert e.code == "file_type" and "病毒.exe" in e.message
    big = SimpleUploadedFile("大图.pdf", PDF + b"0" * attachments.MAX_BYTES)
    assert refused(lambda: services.add_project_files(actor=cadre, project=p, files=[big]), "files").code == \
        "file_size"
    refused(lambda: services.add_project_files(actor=cadre, project=p, files=[]), "files")


@pytest.mark.parametrize("persona", ["qingdao_cadre", "jinan_viewer"])
def test_a_decision_by_someone_outside_the_scope_is_refused(inn, persona):
    p = project(inn)
    who = getattr(inn.sd, persona)
    e = refused(lambda: services.advance_project(actor=who, project=p, stage=Stage.APPROVED, reason=REASON),
                permission=True)
    assert e.status == 403
    assert Project.objects.get(pk=p.pk).stage == Stage.FINDING


def test_a_county_cadre_above_the_enterprise_decides_too(inn):
    p = services.advance_project(actor=inn.sd.county_cadre, project=project(inn), stage=Stage.APPROVED,
                                 reason="县总工会同意立项")
    assert p.stage == Stage.APPROVED


def test_a_domain_error_is_no_permission_error_for_the_right_actor(inn):
    with pytest.raises(DomainError) as e:
        services.advance_project(actor=inn.sd.enterprise_cadre, project=project(inn), stage=Stage.TRIAL,
                                 reason=REASON)
    assert e.value.status == 400
