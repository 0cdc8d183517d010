"""The studio verbs as specifications: registering by the recognising level, members and lead, funding, the yearly
self-assessment and its confirmation item by item, suspension after two 不合格 in a row or a serious fault,
revocation by the recognising union with a decision and a reason — every refusal with its Chinese message and
nothing changed."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, Notification
from gongjiang.core.rubrics.rubric import RubricError
from gongjiang.honours import services, studio_rubrics
from gongjiang.honours.models import Assessment, Rubric, Studio, StudioStatusChange
from gongjiang.honours.studio_choices import MemberRole, Result, StudioStatus
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact
from gongjiang.orgs.tests.factories import person

from .factories import pdf
from .studio_factories import FAIR, GOOD, POOR, figure
from .test_services import rows

YEAR = timezone.localdate().year


def refused(call, message: str, *fields: str, permission: bool = False):
    """Refused with `message` (Chinese) naming `fields`; no honours row, audit event or notification changed."""
    before = rows(), Notification.objects.count()
    with translation.override("zh-hans"), pytest.raises(PermissionDeniedError if permission else DomainError) as e:
        call()
    assert message in e.value.message, e.value.message
    for f in fields:
        assert f in e.value.errors, e.value.errors
    assert (rows(), Notification.objects.count()) == before, "a refused verb changed something"
    return e.value


# ---------------------------------------------------------------------------------------------
# The registry


def test_the_province_registers_a_provincial_studio_with_its_members(st):
    s = st.studio
    assert s.city == st.sd.jinan and s.status == StudioStatus.ACTIVE
    assert {m.person.name: m.role for m in s.members.select_related("person")} == {"赵磊": "core", "孙浩": "apprentice"}
    assert AuditEvent.objects.filter(verb="honours.studio.registered").count() == 2
    assert figure(st.sd.province, YEAR - 3, "province", "recognised") == 1
    assert figure(st.sd.metallurgy, YEAR - 3, "province", "recognised") == 1


def _register(st, actor, **kw):
    args = dict(name="新工作室", kind="model", lead=st.sd.worker_person, host=st.sd.steel, level="province",
                year=YEAR, recognised_by=st.sd.province)
    args.update(kw)
    return lambda: services.register_studio(actor=actor, **args)


def test_registering_is_refused_below_the_level_or_with_bad_input(st):
    sd = st.sd
    refused(_register(st, sd.jinan_cadre, recognised_by=sd.jinan), "省级", "recognised_by")
    refused(_register(st, sd.jinan_cadre), "您没有", permission=True)  # Jinan cannot act for the province
    refused(_register(st, sd.county_cadre, recognised_by=sd.lixia, level="city"), "市级", "recognised_by")
    refused(_register(st, sd.province_admin, name=" "), "工作室名称", "name")
    refused(_register(st, sd.province_admin, name="李强劳模创新工作室"), "已有同名", "name")
    refused(_register(st, sd.province_admin, kind="x"), "类型", "kind")
    refused(_register(st, sd.province_admin, level="county"), "级别", "level")
    refused(_register(st, sd.province_admin, host=sd.team), "基层工会", "host")
    refused(_register(st, sd.jinan_cadre, host=sd.qd_enterprise, level="city", recognised_by=sd.jinan),
            "不在", "host")
    refused(_register(st, sd.province_admin, year=YEAR + 1), "年份", "year")
    refused(_register(st, sd.province_admin, lead=sd.qd_person), "不在", "lead")
    refused(_register(st, sd.province_admin, members=[(sd.worker_person, "core")]), "领办人", "members")
    refused(_register(st, sd.province_admin, members=[(st.member, "boss")]), "角色", "role")


def test_the_province_registers_a_city_studio_in_a_citys_name_and_jinan_its_own(st):
    s = _register(st, st.sd.province_admin, level="city", recognised_by=st.sd.jinan, name="市级工作室")()
    assert s.recognised_by == st.sd.jinan


def test_the_host_union_changes_the_lead_and_members(st):
    sd = st.sd
    new = person(sd.team, "钱进")
    services.change_studio_members(actor=sd.enterprise_cadre, studio=st.studio, lead=st.member,
                                   add=[(new, MemberRole.MEMBER)], remove=[st.apprentice])
    st.studio.refresh_from_db()
    assert st.studio.lead == st.member
    assert set(st.studio.members.values_list("person__name", flat=True)) == {"钱进"}
    event = AuditEvent.objects.filter(verb="honours.studio.members_changed").get()
    assert event.after["lead"] == "赵磊"


def test_member_changes_are_refused_with_their_reasons(st):
    sd = st.sd
    call = services.change_studio_members
    refused(lambda: call(actor=sd.enterprise_cadre, studio=st.studio), "没有要变更", "members")
    refused(lambda: call(actor=sd.enterprise_cadre, studio=st.studio, remove=[sd.qd_person]), "不是成员", "remove")
    refused(lambda: call(actor=sd.enterprise_cadre, studio=st.studio, add=[(st.member, "core")]), "已是成员", "add")
    refused(lambda: call(actor=sd.enterprise_cadre, studio=st.studio, lead=sd.worker_person), "已是", "lead")
    refused(lambda: call(actor=sd.enterprise_cadre, studio=st.studio, add=[(sd.qd_person, "member")]), "不在",
            "members")
    refused(lambda: call(actor=sd.qingdao_cadre, studio=st.studio, remove=[st.member]), "只有", permission=True)


def test_funding_is_recorded_in_ten_thousands_with_its_source(st):
    row = services.record_funding(actor=st.sd.enterprise_cadre, studio=st.studio, year=YEAR, amount=Decimal("12.5"),
                                  source="省总工会创新补助资金")
    assert row.amount == Decimal("12.50")
    call = services.record_funding
    refused(lambda: call(actor=st.sd.enterprise_cadre, studio=st.studio, year=YEAR, amount=Decimal(0),
                         source="x"), "金额", "amount")
    refused(lambda: call(actor=st.sd.enterprise_cadre, studio=st.studio, year=YEAR, amount=Decimal("1.234"),
                         source="x"), "金额", "amount")
    refused(lambda: call(actor=st.sd.enterprise_cadre, studio=st.studio, year=YEAR, amount=Decimal(1),
                         source=" "), "来源", "source")
    refused(lambda: call(actor=st.sd.enterprise_cadre, studio=st.studio, year=YEAR - 10, amount=Decimal(1),
                         source="企业配套"), "年份", "year")


# ---------------------------------------------------------------------------------------------
# The yearly assessment


def test_a_self_assessment_is_scored_and_keeps_the_counted_evidence(st):
    a = st.assess(YEAR, GOOD)
    assert a.self_total == Decimal(91) and a.assessing == st.sd.province and a.result == ""
    assert set(a.counted) == {"innovation.proposals", "innovation.projects", "innovation.achievements"}
    assert a.scores.count() == 10  # the six 打分 items, the deduction, the bonus and the two vetoes
    assert a.definition == a.rubric.definition and a.scores.get(key="fraud").self_answer is False
    again = st.assess(YEAR, FAIR)  # refilled before confirmation
    assert again.pk == a.pk and again.self_total == Decimal(63)


@pytest.mark.django_db
@pytest.mark.parametrize("kind, name, items", studio_rubrics.RUBRICS)
def test_the_installed_rubrics_are_the_engines_definitions_with_a_veto_and_a_bonus(kind, name, items):
    installed = Rubric.objects.get(kind=kind)
    assert installed.name == name and installed.definition == studio_rubrics.definition(items)


def test_a_rubric_the_engine_refuses_is_never_kept(st):
    installed = Rubric.objects.get(kind="model")
    before = copy.deepcopy(installed.definition)
    for change, words in ((lambda d: next(i for i in d["items"] if i["key"] == "fraud").update(reason=""),
                           "item fraud: a veto item needs its reason"),
                          (lambda d: d.pop("grades"), "gives the grades 优秀 and 合格"),
                          (lambda d: d["items"][0].update(points=16), "not the declared maximum")):
        bad = copy.deepcopy(before)
        change(bad)
        installed.definition = bad
        with translation.override("en"), pytest.raises(RubricError) as e:
            installed.save()
        assert words in str(e.value) or any(words in p for p in e.value.problems), e.value.problems
    assert Rubric.objects.get(kind="model").definition == before


def test_bad_self_assessments_are_refused_with_every_reason(st):
    e = refused(lambda: services.self_assess(actor=st.sd.enterprise_cadre, studio=st.studio, year=YEAR,
                                             points={**FAIR, "projects": 30, "funding": "1.25", "benefit": None}),
                "技术攻关与创新项目：分值应在0到25之间", "points_projects", "points_funding", "points_benefit")
    assert "经费使用：最多一位小数" in e.message
    refused(lambda: services.self_assess(actor=st.sd.enterprise_cadre, studio=st.studio, year=YEAR, points=FAIR,
                                         apprentices=-1), "徒弟", "apprentices")
    refused(lambda: services.self_assess(actor=st.sd.enterprise_cadre, studio=st.studio, year=YEAR - 5,
                                         points=FAIR), "年份", "year")
    refused(lambda: services.self_assess(actor=st.sd.qingdao_cadre, studio=st.studio, year=YEAR, points=FAIR),
            "只有", permission=True)


def test_evidence_files_are_attached_to_an_item(st):
    a = st.assess(YEAR)
    [f] = services.add_assessment_files(actor=st.sd.enterprise_cadre, assessment=a, item="projects",
                                        uploads=[pdf("攻关报告.pdf")])
    assert f.key == "projects"
    refused(lambda: services.add_assessment_files(actor=st.sd.enterprise_cadre, assessment=a, item="nope",
                                                  uploads=[pdf()]), "考核项目", "item")
    refused(lambda: services.add_assessment_files(actor=st.sd.enterprise_cadre, assessment=a, item="projects",
                                                  uploads=[pdf("x.pdf", b"MZ\x90\x00")]), "文件类型", "files")


def test_the_recognising_union_confirms_and_adjusts_with_a_reason(st):
    a = st.assess(YEAR, GOOD)
    refused(lambda: st.confirm(a, points={"projects": 15, "benefit": 5}), "技术攻关与创新项目：调整分值须说明理由",
            "reason_projects", "reason_benefit")
    refused(lambda: st.confirm(a, actor=st.sd.jinan_cadre), "只有", permission=True)  # a province studio
    refused(lambda: st.confirm(a, points={"projects": 26}, reasons={"projects": "超出上限"}), "分值应在",
            "points_projects")
    done = st.confirm(a, points={"projects": 15}, reasons={"projects": "攻关项目未完成验收"})
    assert done.total == Decimal(83) and done.result == Result.PASS
    assert done.scores.get(key="projects").reason == "攻关项目未完成验收"
    assert done.scores.get(key="projects").points == 15 and done.scores.get(key="benefit").reason == ""
    st.studio.refresh_from_db()
    assert (st.studio.last_year, st.studio.last_result) == (YEAR, Result.PASS)
    refused(lambda: st.confirm(a), "已确认", "state")
    refused(lambda: st.assess(YEAR), "已确认", "year")
    assert figure(st.sd.jinan, YEAR, "province", "passed") == 1


def test_a_city_studio_is_assessed_by_the_city(st):
    a = st.assess(YEAR, POOR, studio=st.city_studio)
    assert a.assessing == st.sd.jinan
    assert st.confirm(a, actor=st.sd.jinan_cadre).result == Result.FAIL


def test_two_fails_in_a_row_suspend_the_studio_and_notify_the_host_union(st):
    studio = st.fail_two_years()
    assert studio.status == StudioStatus.SUSPENDED
    change = StudioStatusChange.objects.get(studio=studio)
    assert change.decided_by == st.sd.province and str(YEAR - 1) in change.reason
    note = Notification.objects.get(recipient=st.sd.enterprise_cadre)
    assert "李强劳模创新工作室" in note.title and "暂停" in note.title


def test_one_fail_or_fails_apart_do_not_suspend(st):
    st.confirm(st.assess(YEAR - 2, POOR))
    st.confirm(st.assess(YEAR - 1, FAIR))
    st.confirm(st.assess(YEAR, POOR))
    st.studio.refresh_from_db()
    assert st.studio.status == StudioStatus.ACTIVE


def test_the_recognising_union_revokes_a_suspended_studio_with_a_decision_and_a_reason(st):
    studio = st.fail_two_years()
    refused(lambda: services.revoke_studio(actor=st.sd.province_admin, studio=studio, reason="连续两年考核不合格",
                                           decision=" "), "决定", "decision")
    refused(lambda: services.revoke_studio(actor=st.sd.province_admin, studio=studio, reason="",
                                           decision="鲁工发〔2026〕12号"), "理由", "reason")
    refused(lambda: services.revoke_studio(actor=st.sd.jinan_cadre, studio=studio, reason="连续两年考核不合格",
                                           decision="济工发〔2026〕3号"), "只有", permission=True)
    services.revoke_studio(actor=st.sd.province_admin, studio=studio, reason="连续两年考核不合格，整改无效",
                           decision="鲁工发〔2026〕12号")
    studio.refresh_from_db()
    assert studio.status == StudioStatus.REVOKED and Studio.objects.filter(pk=studio.pk).exists()
    assert Notification.objects.filter(recipient=st.sd.enterprise_cadre, title__contains="取消").exists()
    assert figure(st.sd.province, YEAR, "province", "revoked") == 1
    refused(lambda: st.assess(YEAR), "取消", "status")
    refused(lambda: services.record_funding(actor=st.sd.enterprise_cadre, studio=studio, year=YEAR,
                                            amount=Decimal(1), source="企业"), "取消", "status")


def test_an_active_studio_is_not_revoked_before_its_suspension(st):
    refused(lambda: services.revoke_studio(actor=st.sd.province_admin, studio=st.studio, reason="严重违纪",
                                           decision="鲁工发〔2026〕1号"), "暂停", "status")


def test_a_serious_fault_suspends_and_the_studio_can_be_reinstated(st):
    refused(lambda: services.suspend_studio(actor=st.sd.province_admin, studio=st.studio, reason=" "), "理由",
            "reason")
    refused(lambda: services.suspend_studio(actor=st.sd.enterprise_cadre, studio=st.studio, reason="发生安全事故"),
            "只有", permission=True)
    services.suspend_studio(actor=st.sd.province_admin, studio=st.studio, reason="发生重大安全生产责任事故")
    refused(lambda: services.suspend_studio(actor=st.sd.province_admin, studio=st.studio, reason="再次暂停"),
            "在册", "status")
    services.reinstate_studio(actor=st.sd.province_admin, studio=st.studio, reason="整改到位，恢复在册")
    st.studio.refresh_from_db()
    assert st.studio.status == StudioStatus.ACTIVE
    assert list(st.studio.status_changes.values_list("after", flat=True)) == ["active", "suspended"]
    refused(lambda: services.reinstate_studio(actor=st.sd.province_admin, studio=st.studio, reason="恢复在册"),
            "暂停", "status")


def test_the_figures_rebuilt_equal_those_the_verbs_kept(st):
    st.fail_two_years()
    services.revoke_studio(actor=st.sd.province_admin, studio=st.studio, reason="连续两年考核不合格",
                           decision="鲁工发〔2026〕12号")
    st.confirm(st.assess(YEAR, GOOD, studio=st.city_studio), actor=st.sd.jinan_cadre)
    kept = set(Fact.objects.filter(metric__startswith="honours.studio").exclude(value=0).values_list(
        "org_id", "metric", "period", "start", "value"))
    assert kept
    assert facts.differences(["honours"]) == {}
    Fact.objects.filter(metric__startswith="honours.studio").delete()
    assert facts.rebuild(["honours"]) == len(kept)
    assert set(Fact.objects.filter(metric__startswith="honours.studio").exclude(value=0).values_list(
        "org_id", "metric", "period", "start", "value")) == kept
    assert Assessment.objects.filter(result=Result.EXCELLENT).count() == 1
