"""The contest verbs before anybody answers: setting a contest up (every bad input refused with a Chinese message
naming its field, nothing written), the banks a union may use, publishing, changing until it opens; and who may."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.learning.models import Contest
from gongjiang.learning.services import contests as services

from .contest_factories import bank, contest, paper_data

pytestmark = pytest.mark.django_db


def refused(sd, data, field, org=None):
    before = (Contest.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as e:
        services.create_contest(actor=sd.province_admin, org=org or sd.province, data=data)
    assert field in e.value.errors, e.value.errors
    assert e.value.errors[field]
    assert (Contest.objects.count(), AuditEvent.objects.count()) == before
    return e.value.errors[field]


def test_a_province_sets_up_a_contest_from_its_bank_and_it_is_audited(sd):
    b = bank(sd.province)
    c = services.create_contest(actor=sd.province_admin, org=sd.province, data=paper_data(b))
    assert c.title == "安全生产知识竞赛" and not c.published and list(c.banks.all()) == [b]
    assert c.prizes == {"一等奖": 1, "二等奖": 2} and c.question_count == 5
    assert AuditEvent.objects.filter(verb="learning.contest.created", object_id=str(c.pk)).exists()


def test_the_window_must_open_before_it_closes_and_close_in_the_future(sd):
    b = bank(sd.province)
    now = timezone.now()
    assert refused(sd, paper_data(b, closes_at=now - datetime.timedelta(hours=1),
                                  opens_at=now - datetime.timedelta(hours=2)), "closes_at") == (
        "The closing time has already passed.")
    with translation.override("zh-hans"):  # what the organiser reads
        message = refused(sd, paper_data(b, opens_at=now + datetime.timedelta(days=2),
                                         closes_at=now + datetime.timedelta(days=1)), "closes_at")
        assert message == "结束时间必须晚于开始时间。"
    refused(sd, paper_data(b, opens_at=now + datetime.timedelta(days=2), closes_at=now + datetime.timedelta(days=1)),
            "closes_at")
    refused(sd, paper_data(b, opens_at=None), "opens_at")
    refused(sd, paper_data(b, opens_at=now, closes_at=now + datetime.timedelta(days=400)), "closes_at")


def test_bad_fields_are_named(sd):
    b = bank(sd.province)
    refused(sd, paper_data(b, title=""), "title")
    refused(sd, paper_data(b, title="题" * 81), "title")
    refused(sd, paper_data(b, time_limit=10), "time_limit")
    refused(sd, paper_data(b, pass_mark=101), "pass_mark")
    refused(sd, paper_data(b, max_attempts=-1), "max_attempts")
    refused(sd, paper_data(b, prizes={"一等奖": 0}), "prizes")
    refused(sd, paper_data(b, banks=[]), "banks")
    refused(sd, paper_data(b, draw=[]), "draw")
    refused(sd, paper_data(b, draw=[{"count": 0}]), "draw")
    refused(sd, paper_data(b, draw=[{"count": 2, "kinds": ["essay"]}]), "draw")


def test_the_banks_must_hold_enough_questions_for_the_rules(sd):
    b = bank(sd.province, n=4)
    message = refused(sd, paper_data(b, draw=[{"count": 5}]), "draw")
    assert "5" in message and "4" in message
    refused(sd, paper_data(b, draw=[{"count": 1, "tags": ["节能减排"]}]), "draw")
    refused(sd, paper_data(b, draw=[{"count": 1, "kinds": ["fill"]}]), "draw")


def test_a_fixed_question_set_is_one_rule_of_question_numbers_of_the_banks(sd):
    b = bank(sd.province, n=4)
    ids = list(b.questions.values_list("pk", flat=True))
    c = services.create_contest(actor=sd.province_admin, org=sd.province,
                                data=paper_data(b, draw=[{"questions": ids[:3]}]))
    assert c.question_count == 3
    other = bank(sd.qingdao, name="青岛题库", n=2)
    stray = list(other.questions.values_list("pk", flat=True))
    refused(sd, paper_data(b, draw=[{"questions": [ids[0], stray[0]]}]), "draw")
    refused(sd, paper_data(b, draw=[{"questions": [ids[0], ids[0]]}]), "draw")


def test_a_union_draws_from_its_subtree_and_from_banks_shared_from_above_only(sd):
    province_bank = bank(sd.province, name="省题库")
    private = bank(sd.province, name="省内部题库", shared=False)
    qingdao_bank = bank(sd.qingdao, name="青岛题库")
    lixia_bank = bank(sd.lixia, name="历下题库")
    c = services.create_contest(actor=sd.jinan_cadre, org=sd.jinan,
                                data=paper_data(province_bank, banks=[province_bank.pk, lixia_bank.pk]))
    assert set(c.banks.all()) == {province_bank, lixia_bank}
    for b in (private, qingdao_bank):
        before = Contest.objects.count()
        with pytest.raises(DomainError) as e:
            services.create_contest(actor=sd.jinan_cadre, org=sd.jinan, data=paper_data(b))
        assert "banks" in e.value.errors and Contest.objects.count() == before


@pytest.mark.parametrize("who", ["qingdao_cadre", "jinan_viewer", "worker", "enterprise_cadre"])
def test_only_a_cadre_with_change_rights_on_the_organiser_sets_up_or_publishes(sd, who):
    b = bank(sd.jinan)
    before = Contest.objects.count()
    with pytest.raises(PermissionDeniedError):
        services.create_contest(actor=getattr(sd, who), org=sd.jinan, data=paper_data(b))
    assert Contest.objects.count() == before
    c = services.create_contest(actor=sd.jinan_cadre, org=sd.jinan, data=paper_data(b))
    with pytest.raises(PermissionDeniedError):
        services.publish_contest(actor=getattr(sd, who), contest=c)
    with pytest.raises(PermissionDeniedError):
        services.edit_contest(actor=getattr(sd, who), contest=c, data={"title": "改"})
    c.refresh_from_db()
    assert not c.published and c.title == "安全生产知识竞赛"


def test_publishing_once_and_changing_until_it_opens(sd):
    b = bank(sd.province)
    later = timezone.now() + datetime.timedelta(days=1)
    c = contest(sd, b, opens_at=later, closes_at=later + datetime.timedelta(hours=2))
    assert c.published
    with pytest.raises(DomainError):
        services.publish_contest(actor=sd.province_admin, contest=c)
    c = services.edit_contest(actor=sd.province_admin, contest=c, data={"title": "节能减排知识竞赛", "draw": [
        {"count": 3}]})
    assert c.title == "节能减排知识竞赛" and c.question_count == 3 and c.max_attempts == 2
    running = contest(sd, b)  # opened an hour ago
    with pytest.raises(DomainError) as e:
        services.edit_contest(actor=sd.province_admin, contest=running, data={"title": "改"})
    assert e.value.code == "state"
    assert Contest.objects.get(pk=running.pk).title == "安全生产知识竞赛"


def test_an_edit_with_a_bad_field_changes_nothing(sd):
    b = bank(sd.province)
    later = timezone.now() + datetime.timedelta(days=1)
    c = contest(sd, b, publish=False, opens_at=later, closes_at=later + datetime.timedelta(hours=2))
    with pytest.raises(DomainError):
        services.edit_contest(actor=sd.province_admin, contest=c, data={"title": "新", "time_limit": 5})
    c.refresh_from_db()
    assert c.title == "安全生产知识竞赛" and c.time_limit == 600
