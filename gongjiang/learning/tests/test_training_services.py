"""The training verbs as a specification: 济钢's union records a welding safety session, adds its workers (from the
roster or an Excel roll), pairs a senior technician with an apprentice, adds materials; a worker marks one learnt.
Every bad input is refused with its Chinese message and changes nothing (no row, no figure, no audit event)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, ImportJob
from gongjiang.learning.models import (
    Attendance,
    Material,
    MaterialCompletion,
    MentorPair,
    SessionFile,
    TrainingSession,
)
from gongjiang.learning.services import training as services
from gongjiang.learning.training_choices import MaterialKind, PairState
from gongjiang.learning.training_imports import start_attendee_import
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact
from gongjiang.orgs.tests.factories import person

from .training_factories import TODAY, build, figure, id_of, learning_facts, pdf, xlsx


@pytest.fixture(autouse=True)
def _english_messages():
    """This part's tests read the Chinese messages the users get (overrides the package's English switch)."""
    yield


@pytest.fixture
def tr(sd):
    return build(sd)



def rows() -> tuple[int, ...]:
    return (TrainingSession.objects.count(), Attendance.objects.count(), MentorPair.objects.count(),
            Material.objects.count(), MaterialCompletion.objects.count(), SessionFile.objects.count(),
            AuditEvent.objects.count(), *learning_facts())


def refused(call, message: str, field: str | None = None) -> DomainError:
    before = rows()
    with pytest.raises(DomainError) as e:
        call()
    assert message in e.value.message, e.value.message
    if field:
        assert field in e.value.errors
    assert rows() == before
    return e.value


# ---------------------------------------------------------------------------------------------
# Sessions


def test_a_session_is_counted_in_the_figures_of_its_union_and_the_unions_above(tr):
    s = tr.session()
    services.add_attendees(actor=tr.sd.enterprise_cadre, session=s, people=[tr.zhang, tr.zhao])
    s.refresh_from_db()
    assert (s.attendee_count, s.person_hours) == (2, Decimal(16))
    for org in (tr.sd.steel, tr.sd.town, tr.sd.jinan, tr.sd.province, tr.sd.metallurgy):
        f = figure(org)
        assert (f.trainings, f.training_hours) == (1, Decimal(16)), org.name
    assert figure(tr.sd.qingdao) is None
    assert AuditEvent.objects.filter(verb="learning.session.attendees_added").count() == 1


def test_an_attendee_may_be_given_other_hours_and_taken_off(tr):
    s = tr.session()
    services.add_attendees(actor=tr.sd.enterprise_cadre, session=s, people=[tr.zhang], hours=Decimal("4.5"))
    services.remove_attendee(actor=tr.sd.enterprise_cadre, session=s, person=tr.zhang)
    s.refresh_from_db()
    assert (s.attendee_count, s.person_hours) == (0, 0)
    assert figure(tr.sd.steel).training_hours == 0


def test_correcting_the_first_day_moves_the_figures(tr):
    s = tr.session()
    services.add_attendees(actor=tr.sd.enterprise_cadre, session=s, people=[tr.zhang])
    new_day = TODAY + datetime.timedelta(days=3)
    services.edit_session(actor=tr.sd.enterprise_cadre, session=s, topic=s.topic, starts_on=new_day,
                          ends_on=new_day, hours=Decimal(6))
    assert (figure(tr.sd.steel).trainings, figure(tr.sd.steel).training_hours) == (0, 0)
    moved = figure(tr.sd.steel, new_day)
    assert (moved.trainings, moved.training_hours) == (1, Decimal(6))  # the attendee had the old default hours
    assert Attendance.objects.get().hours == Decimal(6)


def test_a_session_ending_before_it_starts_is_refused(tr):
    refused(lambda: tr.session(ends_on=TODAY - datetime.timedelta(days=1)), "培训结束日期", "ends_on")


def test_a_session_without_a_topic_or_with_bad_hours_is_refused(tr):
    refused(lambda: tr.session(topic="  "), "请填写培训主题", "topic")
    refused(lambda: tr.session(hours=Decimal(0)), "学时必须大于0", "hours")
    refused(lambda: tr.session(hours=Decimal(30)), "1天内不可能有30学时", "hours")


def test_an_edit_ending_before_the_start_changes_nothing(tr):
    s = tr.session()
    refused(lambda: services.edit_session(actor=tr.sd.enterprise_cadre, session=s, topic="x", starts_on=TODAY,
                                          ends_on=TODAY - datetime.timedelta(days=2), hours=Decimal(8)),
            "不能早于开始日期", "ends_on")
    s.refresh_from_db()
    assert s.topic == "焊接安全操作规程培训"


def test_an_attendee_out_of_the_unions_reach_is_refused_and_nobody_is_added(tr):
    s = tr.session()
    e = refused(lambda: services.add_attendees(actor=tr.sd.enterprise_cadre, session=s,
                                               people=[tr.zhang, tr.sd.qd_person]),
                "王芳不在济南钢铁集团有限公司工会及其下属单位工作", "people")
    assert e.code == "out_of_scope"


def test_someone_on_the_roll_already_or_named_twice_is_refused(tr):
    s = tr.session()
    services.add_attendees(actor=tr.sd.enterprise_cadre, session=s, people=[tr.zhang])
    refused(lambda: services.add_attendees(actor=tr.sd.enterprise_cadre, session=s, people=[tr.zhao, tr.zhang]),
            "已在本期培训名单中：张伟", "people")
    refused(lambda: services.add_attendees(actor=tr.sd.enterprise_cadre, session=s, people=[tr.zhao, tr.zhao]),
            "重复选择：赵磊", "people")


def test_session_files_are_checked_by_their_first_bytes(tr):
    from django.core.files.uploadedfile import SimpleUploadedFile

    s = tr.session()
    stored = services.add_session_files(actor=tr.sd.enterprise_cadre, session=s, uploads=[pdf()])
    assert stored[0].content_type == "application/pdf" and stored[0].file.name.startswith("learning/sessions/")
    refused(lambda: services.add_session_files(actor=tr.sd.enterprise_cadre, session=s, uploads=[
        SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"x" * 100)]), "只接受以下文件类型", "files")


# ---------------------------------------------------------------------------------------------
# The Excel roll


def test_an_excel_roll_adds_the_people_with_their_hours(tr):
    s = tr.session()
    job = start_attendee_import(actor=tr.sd.enterprise_cadre, session=s, upload=xlsx([
        ["张伟", id_of(tr.zhang), "6"], ["赵磊", id_of(tr.zhao), ""]]))
    assert job.state == ImportJob.State.DONE, job.errors
    assert dict(Attendance.objects.values_list("person__name", "hours")) == {"张伟": Decimal(6), "赵磊": Decimal(8)}
    s.refresh_from_db()
    assert s.person_hours == Decimal(14)
    assert figure(tr.sd.jinan).training_hours == Decimal(14)


@pytest.mark.parametrize("row,column,message", [
    (["无名", "370102199001011234", "8"], "身份证号", None),  # a bad check digit
    (["无名", "{qd}", "8"], "身份证号", "名册中没有此身份证号"),  # a Qingdao worker: unknown here
    (["李四", "{zhang}", "8"], "姓名", "姓名与身份证号不符"),
    (["张伟", "{zhang}", "八"], "学时", "学时须填写数字"),
], ids=["bad-id", "unknown-person", "wrong-name", "bad-hours"])
def test_a_bad_row_refuses_the_whole_roll(tr, row, column, message):
    s = tr.session()
    row = [c.format(qd=id_of(tr.sd.qd_person), zhang=id_of(tr.zhang)) for c in row]
    before = rows()
    job = start_attendee_import(actor=tr.sd.enterprise_cadre, session=s, upload=xlsx([["赵磊", id_of(tr.zhao), "8"],
                                                                                      row]))
    assert job.state == ImportJob.State.INVALID
    errors = [e for e in job.errors if e["row"] == 3]
    assert errors and errors[0]["column"] == column, job.errors
    if message:
        assert message in errors[0]["message"] or message.replace("名册中没有此身份证号", "没有此身份证号") in \
            errors[0]["message"], errors[0]["message"]
    assert all("\u4e00" <= ch <= "\u9fff" for ch in errors[0]["message"] if ch.isalpha())  # Chinese only
    assert rows()[:2] == before[:2]  # no attendance written
    assert Attendance.objects.count() == 0


def test_a_roll_naming_someone_twice_or_already_on_it_is_refused(tr):
    s = tr.session()
    services.add_attendees(actor=tr.sd.enterprise_cadre, session=s, people=[tr.zhang])
    job = start_attendee_import(actor=tr.sd.enterprise_cadre, session=s, upload=xlsx([
        ["赵磊", id_of(tr.zhao), "8"], ["赵磊", id_of(tr.zhao), "8"], ["张伟", id_of(tr.zhang), "8"]]))
    assert job.state == ImportJob.State.INVALID
    assert {e["row"] for e in job.errors} == {3, 4}
    assert Attendance.objects.count() == 1


def test_the_roll_of_another_unions_session_cannot_be_imported(tr):
    s = tr.session()
    with pytest.raises(DomainError):
        start_attendee_import(actor=tr.sd.qingdao_cadre, session=s, upload=xlsx([["赵磊", id_of(tr.zhao), "8"]]))
    assert ImportJob.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# Mentor pairs


def test_a_pair_keeps_the_apprentices_grade_and_counts_in_the_figures(tr):
    p = tr.pair()
    assert (p.state, p.grade_before, p.trade) == (PairState.ACTIVE, 5, tr.steelmaker)
    assert figure(tr.sd.jinan).mentor_pairs == 1
    tr.zhao.skill_grade = 4
    tr.zhao.save(update_fields=["skill_grade"])
    services.finish_pair(actor=tr.sd.enterprise_cadre, pair=p, on=TODAY, result="独立操作转炉，晋升中级工")
    p.refresh_from_db()
    assert (p.state, p.grade_after, p.closed_on) == (PairState.FINISHED, 4, TODAY)
    refused(lambda: services.end_pair(actor=tr.sd.enterprise_cadre, pair=p, on=TODAY, reason="调岗"), "不能再次结束",
            "state")


def test_mentor_and_apprentice_must_be_two_people(tr):
    refused(lambda: tr.pair(mentor=tr.zhao), "师傅和徒弟不能是同一人", "apprentice")


def test_the_same_pair_twice_in_progress_is_refused(tr):
    tr.pair()
    e = refused(lambda: tr.pair(), "孙建国与赵磊已有进行中的师徒结对", "apprentice")
    assert e.code == "duplicate"


def test_a_pair_ended_early_may_start_again(tr):
    p = tr.pair()
    services.end_pair(actor=tr.sd.enterprise_cadre, pair=p, on=TODAY, reason="徒弟调岗")
    assert tr.pair().active


def test_an_apprentice_outside_the_unions_reach_is_refused(tr):
    e = refused(lambda: tr.pair(apprentice=tr.sd.qd_person), "王芳不在济南钢铁集团有限公司工会及其下属单位工作",
                "apprentice")
    assert e.code == "out_of_scope"


def test_a_pair_ending_before_it_starts_is_refused(tr):
    refused(lambda: tr.pair(ends_on=TODAY - datetime.timedelta(days=1)), "约定结束日期", "ends_on")
    p = tr.pair()
    refused(lambda: services.end_pair(actor=tr.sd.enterprise_cadre, pair=p, on=TODAY - datetime.timedelta(days=1),
                                      reason="调岗"), "结对结束日期", "on")
    refused(lambda: services.end_pair(actor=tr.sd.enterprise_cadre, pair=p, on=TODAY, reason=""), "请填写", "reason")


# ---------------------------------------------------------------------------------------------
# Materials


def test_a_worker_sees_the_materials_shared_down_to_their_unit_and_marks_one_learnt_once(tr):
    from gongjiang.learning.queries.training import available

    shared = services.add_material(actor=tr.sd.province_admin, org=tr.sd.province, title="安全生产法解读",
                                   kind=MaterialKind.VIDEO, url="https://video.example.cn/1")
    hidden = services.add_material(actor=tr.sd.province_admin, org=tr.sd.province, title="机关内部学习",
                                   kind=MaterialKind.LINK, url="https://example.cn/2", shared=False)
    qingdao = services.add_material(actor=tr.sd.qingdao_cadre, org=tr.sd.qingdao, title="港口安全",
                                    kind=MaterialKind.LINK, url="https://example.cn/3")
    assert set(available(tr.sd.worker_person)) == {shared}
    first = services.complete_material(actor=tr.sd.worker, material=shared)
    again = services.complete_material(actor=tr.sd.worker, material=shared)
    assert first.pk == again.pk and first.completed_at == again.completed_at
    shared.refresh_from_db()
    assert shared.completions == 1
    for m in (hidden, qingdao):
        with pytest.raises(PermissionDeniedError):
            services.complete_material(actor=tr.sd.worker, material=m)


def test_bad_materials_are_refused(tr):
    add = services.add_material
    a = tr.sd.province_admin
    refused(lambda: add(actor=a, org=tr.sd.province, title="x", kind=MaterialKind.LINK, url="ftp://x"),
            "网址须以https://或http://开头", "url")
    refused(lambda: add(actor=a, org=tr.sd.province, title="x", kind=MaterialKind.VIDEO), "请填写网址", "url")
    refused(lambda: add(actor=a, org=tr.sd.province, title="x", kind=MaterialKind.DOCUMENT), "二者选其一", "upload")
    refused(lambda: add(actor=a, org=tr.sd.province, title="x", kind=MaterialKind.VIDEO, url="https://v.cn/1",
                        upload=pdf()), "只有文档可以上传文件", "upload")
    refused(lambda: add(actor=a, org=tr.sd.province, title="", kind=MaterialKind.LINK, url="https://v.cn/1"),
            "请填写资料标题", "title")
    doc = add(actor=a, org=tr.sd.province, title="焊接工艺手册", kind=MaterialKind.DOCUMENT, upload=pdf("手册.pdf"),
              tags=["焊接", "焊接", " 工艺 "])
    assert (doc.file_name, doc.tags, doc.content_type) == ("手册.pdf", ["焊接", "工艺"], "application/pdf")


# ---------------------------------------------------------------------------------------------
# The figures' rebuild


def test_the_rebuild_gives_back_the_figures_the_verbs_kept(tr):
    s = tr.session()
    services.add_attendees(actor=tr.sd.enterprise_cadre, session=s, people=[tr.zhang, tr.zhao], hours=Decimal(3))
    tr.pair()
    person(tr.sd.qd_enterprise, "钱七")
    kept = learning_facts()
    assert kept and facts.differences(["learning"]) == {}
    Fact.objects.filter(metric__startswith="learning.").delete()
    assert facts.rebuild(["learning"]) == len(kept)
    assert learning_facts() == kept
