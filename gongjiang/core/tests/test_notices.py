"""Public notices (公示) as a shared service, as a specification: the period (by date or in working days), the
public's objections (real name and a contact, kept confidential, rate-limited per network), the owners' notes and
outcome, the closing event calling the owner's handler — and who may see and do what.

A test kind stands for an owning app: the Jinan federation publishes a list about one of its units (any row
serves as the owner)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from gongjiang.core import crypto, notices
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, Objection, ObjectionNote, PublicNotice
from gongjiang.core.notices import services

KIND = "tests.honour_list"
TODAY = timezone.localdate


@pytest.fixture
def closed_calls() -> list[Any]:
    calls: list[Any] = []
    notices.register_kind(KIND, title="先进个人名单", on_closed=lambda n: calls.append((n.pk, n.closed_at)),
                          items=lambda n: [notices.NoticeItem("李强", "济南钢铁集团有限公司工会", "推荐为先进个人")])
    yield calls
    notices.registry._KINDS.pop(KIND, None)


@pytest.fixture
def notice(sd, closed_calls) -> PublicNotice:
    return notices.publish(actor=sd.jinan_cadre, kind=KIND, owner=sd.steel, org_path=sd.jinan.path,
                           publisher_name=sd.jinan.name, title="2026年度先进个人推荐名单公示",
                           ends_on=TODAY() + datetime.timedelta(days=5))


def file(notice: PublicNotice, client: str = "ip:198.51.100.7", **fields: Any) -> Objection:
    data = {"name": "张三", "contact": "139 1234 5678", "subject": "李强（济南钢铁集团有限公司工会）",
            "reason": "该同志去年受过处分，不符合推荐条件。", **fields}
    return notices.file_objection(notice=notice, client=client, **data)


def end(notice: PublicNotice) -> None:
    yesterday = TODAY() - datetime.timedelta(days=1)
    PublicNotice.objects.filter(pk=notice.pk).update(starts_on=yesterday - datetime.timedelta(days=5),
                                                    ends_on=yesterday)
    notice.refresh_from_db()


# ---------------------------------------------------------------------------------------------
# The period


def test_a_notice_runs_from_today_to_its_last_day_and_is_audited(sd, notice):
    assert (notice.starts_on, notice.org_path, notice.owner) == (TODAY(), sd.jinan.path, sd.steel)
    assert notice.is_running() and not notice.is_due()
    assert notices.notice_of(KIND, sd.steel) == notice
    event = AuditEvent.objects.get(verb="core.notice.published")
    assert event.org_path == sd.jinan.path and event.actor == sd.jinan_cadre


def test_a_notice_in_working_days_gets_its_end_from_the_calendar(sd, closed_calls):
    from gongjiang.core import workdays

    notice = notices.publish(actor=sd.jinan_cadre, kind=KIND, owner=sd.steel, org_path=sd.jinan.path,
                             publisher_name=sd.jinan.name, title="名单公示", working_days=5)
    period = workdays.working_period(TODAY(), 5)
    assert (notice.starts_on, notice.ends_on, notice.working_days) == (TODAY(), period.ends_on, 5)
    assert notice.period_estimated == period.estimated
    # beyond the calendar's data: weekends alone skipped, and the notice says its end is an estimate
    later = notices.publish(actor=sd.jinan_cadre, kind=KIND, owner=sd.workshop, org_path=sd.jinan.path,
                            publisher_name=sd.jinan.name, title="名单公示", starts_on=datetime.date(2099, 1, 2),
                            working_days=5)
    assert (later.ends_on, later.period_estimated) == (datetime.date(2099, 1, 8), True)


@pytest.mark.parametrize("period,field,message", [
    ({}, "ends_on", "either the last day"),
    ({"ends_on": datetime.date(2020, 1, 1)}, "ends_on", "cannot end in the past"),
    ({"ends_on": datetime.date(2099, 1, 1), "starts_on": datetime.date(2099, 2, 1)}, "ends_on", "before it starts"),
    ({"working_days": 0}, "working_days", "1 to 60 working days"),
    ({"working_days": 61}, "working_days", "1 to 60 working days"),
    ({"working_days": 5, "ends_on": datetime.date(2099, 1, 1)}, "ends_on", "either the last day"),
])
def test_a_bad_period_is_refused_with_the_field_and_nothing_is_published(sd, closed_calls, period, field, message):
    with translation.override("en"), pytest.raises(DomainError, match=message) as refusal:
        notices.publish(actor=sd.jinan_cadre, kind=KIND, owner=sd.steel, org_path=sd.jinan.path,
                        publisher_name=sd.jinan.name, title="名单公示", **period)
    assert field in refusal.value.errors
    assert not PublicNotice.objects.exists() and not AuditEvent.objects.exists()


def test_the_same_thing_is_put_on_notice_once(sd, notice):
    with pytest.raises(DomainError) as refusal:
        notices.publish(actor=sd.jinan_cadre, kind=KIND, owner=sd.steel, org_path=sd.jinan.path,
                        publisher_name=sd.jinan.name, title="again", ends_on=TODAY())
    assert refusal.value.code == "duplicate" and PublicNotice.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# The end: an event the owner reacts to


def test_the_notice_closes_after_its_last_day_once_and_calls_the_owners_handler(sd, notice, closed_calls):
    assert notices.close_due() == 0 and closed_calls == []  # still running
    end(notice)
    assert notice.is_due() and not notice.is_running()
    assert notices.close_due() == 1
    notice.refresh_from_db()
    assert notice.closed_at is not None and closed_calls == [(notice.pk, notice.closed_at)]
    assert notices.close_due() == 0 and not notices.close_if_due(notice) and len(closed_calls) == 1
    assert AuditEvent.objects.filter(verb="core.notice.closed", object_id=str(notice.pk)).count() == 1


def test_reading_or_acting_on_a_notice_after_its_end_closes_it_without_waiting_for_the_task(sd, notice,
                                                                                            closed_calls):
    end(notice)
    Client().get(reverse("core:public_notice", args=[notice.pk]))  # the kind has no page of its own: core's
    notice.refresh_from_db()
    assert notice.closed_at is not None and len(closed_calls) == 1


def test_a_failing_handler_leaves_the_notice_open_to_be_closed_again(sd, notice):
    def broken(n: PublicNotice) -> None:
        raise RuntimeError("owner unavailable")

    notices.register_kind(KIND, title="x", on_closed=broken)
    end(notice)
    with pytest.raises(RuntimeError):
        notices.close_if_due(notice)
    assert PublicNotice.objects.get(pk=notice.pk).closed_at is None


def test_the_management_command_and_the_task_close_due_notices(sd, notice, closed_calls):
    from django.core.management import call_command

    from gongjiang.core.tasks import close_due_notices_task

    end(notice)
    call_command("close_due_notices", stdout=__import__("io").StringIO())
    assert len(closed_calls) == 1
    assert close_due_notices_task.enqueue().return_value == 0


# ---------------------------------------------------------------------------------------------
# Objections from the public


def test_an_objection_keeps_the_objectors_name_and_contact_encrypted(sd, notice):
    objection = file(notice)
    assert (objection.subject, objection.state) == ("李强（济南钢铁集团有限公司工会）", "filed")
    assert "13912345678" not in objection.contact_encrypted and "张三" not in objection.name_encrypted
    assert crypto.decrypt(objection.contact_encrypted) == "13912345678"  # spaces dropped
    assert objection.contact_masked == "139****5678" and len(objection.reference) == 8
    event = AuditEvent.objects.get(verb="core.notice.objection_filed")
    assert "张三" not in str(event.after) and "1391234" not in str(event.after) and event.org_path == sd.jinan.path


@pytest.mark.parametrize("contact,stored,masked", [
    ("0531-86123456", "0531-86123456", "0531-****3456"),
    ("Zhang.San@Example.com", "zhang.san@example.com", "z***@example.com"),
    ("139-1234-5678", "13912345678", "139****5678"),
])
def test_a_phone_or_an_email_address_is_a_contact(sd, notice, contact, stored, masked):
    objection = file(notice, contact=contact)
    assert crypto.decrypt(objection.contact_encrypted) == stored and objection.contact_masked == masked


@pytest.mark.parametrize("fields,bad", [
    ({"name": "  "}, "name"),
    ({"contact": ""}, "contact"),
    ({"contact": "12345"}, "contact"),
    ({"contact": "zhang@"}, "contact"),
    ({"subject": ""}, "subject"),
    ({"reason": " "}, "reason"),
    ({"reason": "长" * 2001}, "reason"),
    ({"name": "", "contact": "", "subject": "", "reason": ""}, "name"),
])
def test_bad_input_is_refused_with_a_message_per_field_and_nothing_is_stored(sd, notice, fields, bad):
    with pytest.raises(DomainError) as refusal:
        file(notice, **fields)
    assert bad in refusal.value.errors
    assert not Objection.objects.exists() and not AuditEvent.objects.filter(verb="core.notice.objection_filed")


def test_the_messages_are_chinese(sd, notice):
    with pytest.raises(DomainError) as refusal:
        file(notice, name="", contact="12345")
    assert refusal.value.errors["name"] == "请填写您的真实姓名：匿名反映不予受理。"
    assert "既不是电话号码，也不是电子邮箱" in refusal.value.errors["contact"]


def test_objections_are_accepted_only_while_the_notice_runs(sd, notice):
    end(notice)
    with pytest.raises(DomainError) as refusal:
        file(notice)
    assert refusal.value.code == "window_closed" and not Objection.objects.exists()


def test_a_network_is_limited_per_notice_and_over_all_notices(sd, notice, closed_calls, monkeypatch):
    for _ in range(services.PER_NOTICE):
        file(notice)
    with pytest.raises(DomainError) as refusal:
        file(notice)
    assert refusal.value.code == "throttled" and refusal.value.status == 429
    assert Objection.objects.count() == services.PER_NOTICE
    file(notice, client="ip:203.0.113.9")  # another network is not held back
    # a day later the same network may object again
    Objection.objects.update(filed_at=timezone.now() - services.RATE_WINDOW - datetime.timedelta(minutes=1))
    file(notice)
    # and over all notices: PER_CLIENT within the window
    monkeypatch.setattr(services, "PER_CLIENT", 2)
    other = notices.publish(actor=sd.jinan_cadre, kind=KIND, owner=sd.workshop, org_path=sd.jinan.path,
                            publisher_name=sd.jinan.name, title="另一份名单", ends_on=TODAY())
    file(other)
    with pytest.raises(DomainError) as refusal:
        file(other)
    assert refusal.value.code == "throttled"


# ---------------------------------------------------------------------------------------------
# The owners: notes and outcome


def test_the_owners_investigate_and_record_the_outcome_with_a_reply(sd, notice):
    objection = file(notice)
    note = notices.add_note(actor=sd.jinan_cadre, objection=objection, text="已向济钢工会核实：处分已于2025年解除。")
    objection.refresh_from_db()
    assert objection.state == "investigating" and note.author == sd.jinan_cadre
    notices.decide_objection(actor=sd.province_admin, objection=objection, outcome="dismissed",
                             reply="经核实，处分已解除，不影响推荐，已电话答复。")
    objection.refresh_from_db()
    assert (objection.state, objection.outcome, objection.decided_by) == ("decided", "dismissed", sd.province_admin)
    verbs = list(AuditEvent.objects.filter(object_id=str(objection.pk), verb__startswith="core.notice.objection")
                 .order_by("pk").values_list("verb", flat=True))
    assert verbs == ["core.notice.objection_filed", "core.notice.objection_noted", "core.notice.objection_decided"]
    assert notices.open_objections(notice) == 0
    with pytest.raises(DomainError):  # decided once; the record is closed
        notices.decide_objection(actor=sd.jinan_cadre, objection=objection, outcome="upheld", reply="改判")
    with pytest.raises(DomainError):
        notices.add_note(actor=sd.jinan_cadre, objection=objection, text="补充")


@pytest.mark.parametrize("outcome,reply,bad", [("", "答复", "outcome"), ("maybe", "答复", "outcome"),
                                               ("upheld", " ", "reply"), ("dismissed", "", "reply")])
def test_an_outcome_needs_a_choice_and_a_reply(sd, notice, outcome, reply, bad):
    objection = file(notice)
    with pytest.raises(DomainError) as refusal:
        notices.decide_objection(actor=sd.jinan_cadre, objection=objection, outcome=outcome, reply=reply)
    assert bad in refusal.value.errors and Objection.objects.get(pk=objection.pk).state == "filed"


def test_a_withdrawal_needs_no_reply(sd, notice):
    objection = notices.decide_objection(actor=sd.jinan_cadre, objection=file(notice), outcome="withdrawn",
                                         reply="")
    assert objection.outcome == "withdrawn"


@pytest.mark.parametrize("persona", ["qingdao_cadre", "enterprise_cadre", "county_cadre", "jinan_viewer", "worker"])
def test_only_the_owners_read_the_objector_and_decide(sd, notice, persona):
    objection = file(notice)
    account = getattr(sd, persona)
    assert not notices.can_manage(account, notice)
    with pytest.raises(PermissionDeniedError):
        notices.read_objector(actor=account, objection=objection)
    with pytest.raises(PermissionDeniedError):
        notices.add_note(actor=account, objection=objection, text="x")
    with pytest.raises(PermissionDeniedError):
        notices.decide_objection(actor=account, objection=objection, outcome="dismissed", reply="x")
    assert not ObjectionNote.objects.exists() and Objection.objects.get().state == "filed"
    assert notices.can_manage(sd.jinan_cadre, notice) and notices.can_manage(sd.province_admin, notice)
    objector = notices.read_objector(actor=sd.jinan_cadre, objection=objection)
    assert (objector.name, objector.contact) == ("张三", "13912345678")
    assert AuditEvent.objects.filter(verb="core.notice.objector_read", actor=sd.jinan_cadre).count() == 1


def test_a_kind_may_name_further_owners(sd, closed_calls):
    notices.register_kind(KIND, title="x", can_manage=lambda user, n: user == sd.qingdao_cadre)
    notice = notices.publish(actor=sd.jinan_cadre, kind=KIND, owner=sd.steel, org_path=sd.jinan.path,
                             publisher_name=sd.jinan.name, title="名单", ends_on=TODAY())
    assert notices.can_manage(sd.qingdao_cadre, notice) and not notices.can_manage(sd.enterprise_cadre, notice)


# ---------------------------------------------------------------------------------------------
# Pages


def test_the_public_files_an_objection_from_the_notice_page(sd, notice):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="198.51.100.7")
    page = client.get(reverse("core:public_notice", args=[notice.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "李强" in html and "推荐为先进个人" in html and "Raise an objection" in html
    url = reverse("core:notice_objection", args=[notice.pk])
    response = client.post(url, {"name": "", "contact": "12345", "subject": "李强", "reason": "不符合条件"})
    assert response.status_code == 400 and not Objection.objects.exists()
    html = response.content.decode()
    assert "anonymous objections are not accepted" in html and "is neither a phone number" in html
    response = client.post(url, {"name": "张三", "contact": "13912345678", "subject": "李强", "reason": "不符合条件"},
                           follow=True)
    objection = Objection.objects.get()
    assert f"reference {objection.reference}" in response.content.decode()
    assert "13912345678" not in response.content.decode()


def test_a_flood_from_one_network_gets_429(sd, notice, monkeypatch):
    monkeypatch.setattr(services, "PER_NOTICE", 1)
    client = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="198.51.100.7")
    data = {"name": "张三", "contact": "13912345678", "subject": "李强", "reason": "不符合条件"}
    url = reverse("core:notice_objection", args=[notice.pk])
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)
    assert response.status_code == 429 and "Too many objections" in response.content.decode()
    assert Objection.objects.count() == 1


def test_after_the_end_the_form_is_gone_and_a_post_is_refused(sd, notice):
    end(notice)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "Raise an objection" not in client.get(reverse("core:public_notice", args=[notice.pk])).content.decode()
    response = client.post(reverse("core:notice_objection", args=[notice.pk]),
                           {"name": "张三", "contact": "13912345678", "subject": "李强", "reason": "晚了"})
    assert response.status_code == 400 and "no longer accepted" in response.content.decode()
    assert not Objection.objects.exists()


def test_the_owners_pages_show_contacts_to_them_alone(client, sd, notice):
    objection = file(notice)
    list_url = reverse("core:notice_objections", args=[notice.pk])
    detail_url = reverse("core:objection_detail", args=[objection.pk])
    assert client.get(detail_url).status_code == 302  # log in first
    for persona in ("qingdao_cadre", "enterprise_cadre", "jinan_viewer", "worker"):
        client.force_login(getattr(sd, persona))
        assert client.get(list_url).status_code == 404, persona
        assert client.get(detail_url).status_code == 404, persona
        assert client.post(detail_url, {"action": "decide", "outcome": "upheld", "reply": "x"}).status_code == 404
    client.force_login(sd.jinan_cadre)
    listing = client.get(list_url).content.decode()
    assert "139****5678" in listing and "13912345678" not in listing and "张三" not in listing
    detail = client.get(detail_url).content.decode()
    assert "13912345678" in detail and "张三" in detail
    response = client.post(detail_url, {"action": "note", "text": ""})
    assert response.status_code == 400 and not ObjectionNote.objects.exists()
    assert client.post(detail_url, {"action": "note", "text": "已核实"}).status_code == 302
    response = client.post(detail_url, {"action": "decide", "outcome": "upheld", "reply": ""})
    assert response.status_code == 400 and Objection.objects.get().state == "investigating"
    assert client.post(detail_url, {"action": "decide", "outcome": "upheld", "reply": "已更正名单"}).status_code == 302
    assert Objection.objects.get().outcome == "upheld"


def test_the_public_list_shows_the_notices_running_now(sd, notice):
    rows = Client().get(reverse("core:public_notices")).context["rows"]
    assert [n.pk for n in rows] == [notice.pk]
    end(notice)
    assert list(Client().get(reverse("core:public_notices")).context["rows"]) == []
