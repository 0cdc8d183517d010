"""The challenges' verbs as specifications: a union creates a challenge, adds levels drawing from banks it may use,
reorders and publishes them; every bad input is refused with a Chinese message naming the field and nothing
changes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.learning import services
from gongjiang.learning.models import Challenge, Level

from .challenge_factories import challenges, chinese  # noqa: F401  (fixture: the messages in Chinese)

pytestmark = pytest.mark.usefixtures("chinese")


@pytest.fixture
def ch(sd):
    return challenges(sd, published=False)


def rows() -> dict[str, Any]:
    """Every learning row and the audit trail: what "nothing changed" compares."""
    found: dict[str, Any] = {m._meta.label: list(m.objects.order_by("pk").values())
                             for m in apps.get_app_config("learning").get_models()}
    found["audit"] = AuditEvent.objects.count()
    return found


def refused(call: Any, *fields: str, message: str = "", permission: bool = False) -> DomainError:
    before = rows()
    with pytest.raises(PermissionDeniedError if permission else DomainError) as e:
        call()
    for field in fields:
        assert field in e.value.errors, e.value.errors
    if message:
        assert message in e.value.message, e.value.message
    assert rows() == before, "a refused verb changed something"
    return e.value


def _level(ch, **kw):
    args = {"title": "第三关", "banks": [ch.bank], "draw": [{"count": 2, "kinds": ["single"], "difficulty": [1, 2]}]}
    args.update(kw)
    return services.save_level(actor=ch.organiser, challenge=ch.challenge, **args)


def test_a_city_creates_a_challenge_and_the_event_is_audited(sd):
    today = timezone.localdate()
    c = services.create_challenge(actor=sd.jinan_cadre, org=sd.jinan, title=" 节能减排闯关 ", opens_on=today,
                                  closes_on=today + datetime.timedelta(days=10), badge="节能先锋")
    assert (c.title, c.published, c.created_by) == ("节能减排闯关", False, sd.jinan_cadre)
    assert AuditEvent.objects.filter(verb="learning.challenge.created", object_id=str(c.pk)).exists()


def test_a_challenge_without_a_title_or_closing_before_it_opens_is_refused(sd):
    today = timezone.localdate()
    refused(lambda: services.create_challenge(actor=sd.jinan_cadre, org=sd.jinan, title="  ", opens_on=today),
            "title", message="必填")
    refused(lambda: services.create_challenge(actor=sd.jinan_cadre, org=sd.jinan, title="闯关", opens_on=today,
                                              closes_on=today - datetime.timedelta(days=1)),
            "closes_on", message="结束")
    refused(lambda: services.create_challenge(actor=sd.jinan_cadre, org=sd.qingdao, title="闯关", opens_on=today),
            permission=True)


def test_editing_a_challenge_records_what_changed(ch):
    services.update_challenge(actor=ch.organiser, challenge=ch.challenge, title="安全生产闯关（第二季）",
                              opens_on=ch.challenge.opens_on, closes_on=None, badge="安全达人")
    ch.challenge.refresh_from_db()
    assert ch.challenge.title == "安全生产闯关（第二季）" and ch.challenge.closes_on is None
    event = AuditEvent.objects.get(verb="learning.challenge.updated")
    assert set(event.after) == {"title", "closes_on"}


def test_a_level_is_added_at_the_end(ch):
    lv = _level(ch, badge="选择能手")
    assert lv.number == 3 and list(lv.banks.all()) == [ch.bank]
    assert AuditEvent.objects.filter(verb="learning.level.added").exists()


def test_a_level_drawing_more_than_the_banks_hold_is_refused_with_the_numbers(ch):
    e = refused(lambda: _level(ch, draw=[{"count": 5, "kinds": ["truefalse"]}]), "draw")
    assert e.code == "short"
    assert "第1条规则需抽取5道题" in e.message and "只有4道" in e.message, e.message


def test_a_level_with_bad_draw_rules_is_refused(ch):
    refused(lambda: _level(ch, draw=[]), "draw", message="至少")
    refused(lambda: _level(ch, draw=[{"count": 0}]), "draw")
    refused(lambda: _level(ch, draw=[{"count": 1, "kinds": ["essay"]}]), "draw")
    refused(lambda: _level(ch, draw=[{"count": 1, "difficulty": [9]}]), "draw")
    refused(lambda: _level(ch, draw=[{"count": 1, "tags": ["不存在的知识点"]}]), "draw")  # matches nothing: short


def test_knowledge_points_narrow_the_pool(ch):
    lv = _level(ch, draw=[{"count": 6, "kinds": ["single"], "tags": ["安全生产"]}])  # 6 of the 12 are tagged
    assert lv.pk
    refused(lambda: _level(ch, draw=[{"count": 7, "kinds": ["single"], "tags": ["安全生产"]}]), "draw")


def test_a_level_may_not_draw_from_a_bank_of_another_city(sd, ch):
    jinan = services.create_challenge(actor=sd.jinan_cadre, org=sd.jinan, title="济南闯关",
                                      opens_on=timezone.localdate())
    refused(lambda: services.save_level(actor=sd.jinan_cadre, challenge=jinan, title="一", banks=[ch.qd_bank],
                                        draw=[{"count": 1}]), "banks", message=ch.qd_bank.name)
    refused(lambda: _level(ch, banks=[]), "banks")
    assert _level(ch, banks=[ch.qd_bank]).pk  # the province may use a bank of its subtree


def test_a_city_uses_the_provinces_shared_bank_but_not_an_unshared_one(sd, ch):
    today = timezone.localdate()
    c = services.create_challenge(actor=sd.jinan_cadre, org=sd.jinan, title="济南闯关", opens_on=today)
    lv = services.save_level(actor=sd.jinan_cadre, challenge=c, title="一", banks=[ch.bank],
                             draw=[{"count": 1}])
    assert lv.number == 1
    ch.bank.shared = False
    ch.bank.save(update_fields=["shared"])
    refused(lambda: services.save_level(actor=sd.jinan_cadre, challenge=c, title="二", banks=[ch.bank],
                                        draw=[{"count": 1}]), "banks")


def test_a_level_with_bad_numbers_is_refused(ch):
    refused(lambda: _level(ch, time_limit=5), "time_limit")
    refused(lambda: _level(ch, pass_mark=120), "pass_mark")
    refused(lambda: _level(ch, max_attempts=-1), "max_attempts")
    refused(lambda: _level(ch, points=5000), "points")
    refused(lambda: _level(ch, title=""), "title")


def test_editing_a_level_keeps_its_number_and_records_the_change(ch):
    services.save_level(actor=ch.organiser, challenge=ch.challenge, level=ch.level1, title="入门关",
                        banks=[ch.bank], draw=[{"count": 4}], pass_mark=80)
    ch.level1.refresh_from_db()
    assert (ch.level1.number, ch.level1.title, ch.level1.pass_mark) == (1, "入门关", 80)
    event = AuditEvent.objects.get(verb="learning.level.changed")
    assert {"title", "pass_mark", "draw"} <= set(event.after)


def test_reordering_levels(ch):
    services.reorder_levels(actor=ch.organiser, challenge=ch.challenge, order=[ch.level2.pk, ch.level1.pk])
    assert list(ch.challenge.levels.order_by("number").values_list("pk", flat=True)) == [ch.level2.pk, ch.level1.pk]
    refused(lambda: services.reorder_levels(actor=ch.organiser, challenge=ch.challenge, order=[ch.level1.pk]),
            "order", message="每个关卡")


def test_removing_a_level_moves_the_later_ones_up(ch):
    services.remove_level(actor=ch.organiser, level=ch.level1)
    assert list(Level.objects.filter(challenge=ch.challenge).values_list("pk", "number")) == [(ch.level2.pk, 1)]


def test_publishing_needs_a_level(sd):
    c = Challenge.objects.create(org=sd.province, title="空闯关", opens_on=timezone.localdate())
    e = refused(lambda: services.publish_challenge(actor=sd.province_admin, challenge=c), "levels")
    assert e.code == "no_levels" and "至少" in e.message


def test_publishing_refuses_a_level_whose_bank_ran_short(ch):
    ch.bank.questions.filter(kind="truefalse").update(current=False)
    e = refused(lambda: services.publish_challenge(actor=ch.organiser, challenge=ch.challenge), "levels")
    assert "第2关" in e.message


def test_publishing_then_withdrawing(ch):
    services.publish_challenge(actor=ch.organiser, challenge=ch.challenge)
    ch.challenge.refresh_from_db()
    assert ch.challenge.published
    refused(lambda: services.publish_challenge(actor=ch.organiser, challenge=ch.challenge))
    services.withdraw_challenge(actor=ch.organiser, challenge=ch.challenge)
    ch.challenge.refresh_from_db()
    assert not ch.challenge.published
