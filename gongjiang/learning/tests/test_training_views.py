"""The training pages as a cadre and a worker use them: the sessions list with its filters, totals and export; a
session recorded through its form (a bad one shown again with its Chinese message and nothing saved); attendees
picked from the roster search and imported from Excel; a mentor pair recorded by name and closed; the person page's
panel; the materials for a worker (mark learnt, on the phone page) and a cadre (completions in their scope)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongjiang.learning.models import Attendance, Material, MaterialCompletion, MentorPair, TrainingSession
from gongjiang.learning.services import training as services
from gongjiang.learning.training_choices import MaterialKind, PairState

from .training_factories import TODAY, build, id_of, xlsx


@pytest.fixture(autouse=True)
def _english_messages():
    """This part's tests read the Chinese messages the users get (overrides the package's English switch)."""
    yield


@pytest.fixture
def tr(sd):
    return build(sd)


def browser(user) -> Client:
    c = Client()  # in Chinese: the site's language
    c.force_login(user)
    return c


def test_recording_a_session_through_its_form(tr):
    c = browser(tr.sd.enterprise_cadre)
    url = reverse("learning:session_create") + f"?org={tr.sd.steel.pk}"
    data = {"topic": "焊工安全培训", "trade": "焊工", "starts_on": "2026-05-11", "ends_on": "2026-05-10", "hours": "8"}
    bad = c.post(url, data)
    assert bad.status_code == 400
    assert "培训结束日期（2026-05-10）不能早于开始日期（2026-05-11）" in bad.content.decode()
    assert not TrainingSession.objects.exists()
    ok = c.post(url, {**data, "ends_on": "2026-05-12"})
    s = TrainingSession.objects.get()
    assert ok.status_code == 302 and ok["Location"] == s.get_absolute_url()
    assert (s.trade, s.org) == (tr.welder, tr.sd.steel)


def test_the_list_filters_totals_and_export(tr):
    s = tr.session()
    services.add_attendees(actor=tr.sd.enterprise_cadre, session=s, people=[tr.zhang, tr.zhao])
    tr.session(topic="消防安全培训", trade=None, starts_on=TODAY.replace(year=2025), ends_on=TODAY.replace(year=2025))
    c = browser(tr.sd.jinan_cadre)
    page = c.get(reverse("learning:session_list"), {"year": "2026"}).content.decode()
    assert "焊接安全操作规程培训" in page and "消防安全培训" not in page
    assert 'id="session-totals"' in page and "16.0" in page
    page = c.get(reverse("learning:session_list"), {"trade": "焊工"}).content.decode()
    assert "焊接安全操作规程培训" in page and "消防安全培训" not in page
    export = c.get(reverse("learning:session_list"), {"export": "xlsx"})
    ws = load_workbook(io.BytesIO(export.content)).active
    assert ws.max_row == 3 and ws.cell(row=1, column=1).value == "培训主题"
    other = browser(tr.sd.qingdao_cadre).get(reverse("learning:session_list")).content.decode()
    assert "焊接安全操作规程培训" not in other


def test_picking_attendees_from_the_roster(tr):
    s = tr.session()
    c = browser(tr.sd.enterprise_cadre)
    url = s.get_absolute_url()
    found = c.get(url, {"q": "赵"}).content.decode()
    assert "赵磊" in found and "王芳" not in found
    assert "王芳" not in c.get(url, {"q": id_of(tr.sd.qd_person)}).content.decode()  # another city's worker
    r = c.post(url, {"step": "add", "people": [tr.zhao.pk, tr.zhang.pk], "hours": "6"})
    assert r.status_code == 302
    assert set(Attendance.objects.values_list("person__name", "hours")) == {("赵磊", Decimal(6)), ("张伟", Decimal(6))}
    bad = c.post(url, {"step": "add", "people": [tr.zhao.pk]})
    assert bad.status_code == 400 and "已在本期培训名单中：赵磊" in bad.content.decode()
    # Someone outside the union's reach cannot be slipped in by id.
    c = browser(tr.sd.province_admin)
    bad = c.post(url, {"step": "add", "people": [tr.sd.qd_person.pk]})
    assert bad.status_code == 400 and "王芳不在济南钢铁集团有限公司工会及其下属单位工作" in bad.content.decode()
    assert Attendance.objects.count() == 2


def test_importing_the_roll_with_a_bad_row_then_the_fixed_file(tr):
    s = tr.session()
    c = browser(tr.sd.enterprise_cadre)
    url = reverse("learning:attendee_import", args=[s.pk])
    r = c.post(url, {"file": xlsx([["赵磊", id_of(tr.zhao), "8"], ["无名", id_of(tr.sd.qd_person), "8"]])})
    assert r.status_code == 302
    status = c.get(r["Location"]).content.decode()
    assert 'id="import-errors"' in status and "名册中" in status and "身份证号" in status
    assert Attendance.objects.count() == 0
    r = c.post(url, {"file": xlsx([["赵磊", id_of(tr.zhao), "8"]])})
    assert "已向培训名单添加1名参训职工" in c.get(r["Location"]).content.decode()
    assert Attendance.objects.count() == 1
    template = c.get(reverse("learning:attendee_import_template", args=[s.pk]))
    headers = [cell.value for cell in load_workbook(io.BytesIO(template.content)).active[1]]
    assert headers[:3] == ["姓名", "身份证号", "学时"]


def test_a_pair_recorded_by_name_shows_on_the_apprentices_page_and_is_finished(tr):
    c = browser(tr.sd.enterprise_cadre)
    url = reverse("learning:pair_create") + f"?org={tr.sd.steel.pk}"
    same = c.post(url, {"mentor": "赵磊", "apprentice": "赵磊", "goals": "出师", "starts_on": "2026-05-11"})
    assert same.status_code == 400 and "师傅和徒弟不能是同一人" in same.content.decode()
    far = c.post(url, {"mentor": "孙建国", "apprentice": id_of(tr.sd.qd_person), "goals": "出师",
                       "starts_on": "2026-05-11"})
    assert far.status_code == 400 and not MentorPair.objects.exists()
    ok = c.post(url, {"mentor": "孙建国", "apprentice": "赵磊", "goals": "一年内独立操作转炉",
                      "starts_on": "2026-05-11"})
    pair = MentorPair.objects.get()
    assert ok["Location"] == pair.get_absolute_url()
    page = c.get(reverse("orgs:person_detail", args=[tr.zhao.pk])).content.decode()
    assert 'id="training-pairs"' in page and "孙建国" in page
    again = c.post(url, {"mentor": "孙建国", "apprentice": "赵磊", "goals": "再来", "starts_on": "2026-05-12"})
    assert again.status_code == 400 and "已有进行中的师徒结对" in again.content.decode()
    done = c.post(pair.get_absolute_url(), {"action": "finish", "on": TODAY.isoformat(), "result": "晋升四级工",
                                            "grade_after": "4"})
    assert done.status_code == 302
    pair.refresh_from_db()
    assert (pair.state, pair.grade_after) == (PairState.FINISHED, 4)
    export = c.get(reverse("learning:pair_list"), {"export": "xlsx"})
    assert load_workbook(io.BytesIO(export.content)).active.max_row == 2


def test_the_person_panel_shows_sessions_hours_and_mentorships(tr):
    s = tr.session()
    services.add_attendees(actor=tr.sd.enterprise_cadre, session=s, people=[tr.zhang], hours=Decimal("7.5"))
    tr.pair(apprentice=tr.zhang, mentor=tr.mentor)
    page = browser(tr.sd.jinan_cadre).get(reverse("orgs:person_detail", args=[tr.zhang.pk])).content.decode()
    assert "焊接安全操作规程培训" in page and "7.5" in page and "孙建国" in page
    assert reverse("learning:session_detail", args=[s.pk]) in page
    mentor_page = browser(tr.sd.jinan_cadre).get(reverse("orgs:person_detail", args=[tr.mentor.pk])).content.decode()
    assert "张伟" in mentor_page  # as the mentor
    nothing = browser(tr.sd.jinan_cadre).get(reverse("orgs:person_detail", args=[tr.zhao.pk])).content.decode()
    assert 'id="training"' not in nothing


def test_a_worker_marks_a_material_learnt_and_the_cadre_counts_it(tr):
    m = services.add_material(actor=tr.sd.province_admin, org=tr.sd.province, title="安全生产法解读",
                              kind=MaterialKind.VIDEO, url="https://video.example.cn/1")
    w = browser(tr.sd.worker)
    page = w.get(reverse("learning:material_list")).content.decode()
    assert "安全生产法解读" in page and "标记为已学完" in page
    assert w.post(reverse("learning:material_done", args=[m.pk])).status_code == 302
    assert w.post(reverse("learning:material_done", args=[m.pk])).status_code == 302  # again: nothing new
    assert MaterialCompletion.objects.count() == 1
    assert "标记为已学完" not in w.get(reverse("learning:material_list")).content.decode()
    jinan = browser(tr.sd.jinan_cadre).get(reverse("learning:material_list")).content.decode()
    assert "安全生产法解读" in jinan and '<td class="num">1</td>' in jinan
    qingdao = browser(tr.sd.qingdao_cadre).get(reverse("learning:material_list")).content.decode()
    assert "安全生产法解读" in qingdao and '<td class="num">0</td>' in qingdao  # shared down, nobody of Qingdao


def test_a_material_form_with_a_video_upload_is_refused(tr):
    from .training_factories import pdf

    c = browser(tr.sd.jinan_cadre)
    r = c.post(reverse("learning:material_create") + f"?org={tr.sd.jinan.pk}",
               {"title": "视频", "kind": "video", "url": "", "upload": pdf(), "shared": "on"})
    assert r.status_code == 400 and "只有文档可以上传文件" in r.content.decode()
    r = c.post(reverse("learning:material_create") + f"?org={tr.sd.jinan.pk}",
               {"title": "手册", "kind": "document", "upload": pdf("手册.pdf"), "tags": "焊接，安全", "shared": "on"})
    assert r.status_code == 302
    w = browser(tr.sd.worker)
    doc = w.get(reverse("learning:material_file", args=[Material.objects.get().pk]))
    assert doc.status_code == 200 and doc["Content-Type"] == "application/pdf"


def test_a_pair_page_lists_the_apprentices_grades_certified_during_the_pairing_such_as_a_competition_promotion(tr):
    import datetime

    from gongjiang.orgs import services as org_services

    pair = tr.pair(starts_on=TODAY - datetime.timedelta(days=100))
    c = browser(tr.sd.enterprise_cadre)
    assert "暂无。徒弟通过技能竞赛晋级" in c.get(pair.get_absolute_url()).content.decode()
    # before the pairing: not shown; during it: shown with its source (a competition's name, as its promotion does)
    org_services.record_skill_grade(actor=tr.sd.enterprise_cadre, person=tr.zhao, grade=4,
                                    certified_on=TODAY - datetime.timedelta(days=400), source="岗位练兵")
    org_services.record_skill_grade(actor=tr.sd.enterprise_cadre, person=tr.zhao, grade=3,
                                    certified_on=TODAY - datetime.timedelta(days=10), certificate_no="ZS-2026-01",
                                    source="2026年全省职工职业技能大赛")
    page = c.get(pair.get_absolute_url()).content.decode()
    section = page.split('id="grades-during"')[1].split("</section>")[0]
    assert "2026年全省职工职业技能大赛" in section and "ZS-2026-01" in section and "岗位练兵" not in section
