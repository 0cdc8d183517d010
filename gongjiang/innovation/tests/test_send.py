"""The phone form's own path (tickets.py, services.send_proposal, views.worker.send): the submit page carries a
ticket signed for the worker; a proposal sent with it is written as the form's ordinary post writes it (the
proposal routed to the worker's union, the proposer, the audit event, the receipt in the inbox, the figures once
folded) without reading the worker first; a forged, cut or expired ticket, a switched-off account and every bad field
are refused with the reason in Chinese, nothing written."""

from __future__ import annotations

import json
import re
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import translation

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, Notification
from gongjiang.innovation import counters, notify, services, tickets
from gongjiang.innovation.choices import State
from gongjiang.innovation.models import Contributor, Proposal
from gongjiang.orgs import facts

GOOD = {"title": "皮带托辊加装自动调偏装置", "problem": "皮带跑偏频繁，每班需停机调整两到三次。",
        "solution": "在托辊架上加装自动调偏装置，由班组自制安装。", "category": "efficiency", "kind": "proposal",
        "expected_benefit": "每年减少停机约60小时"}


def ticket_of(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("innovation:submit")).content.decode()
    found = re.search(r'data-ticket="([^"]+)"', page)
    assert found, "the submit page carries the ticket"
    return found[1]


def test_the_ticket_names_the_worker_their_unit_and_union(client, inn):
    sd = inn.sd
    t = tickets.read(ticket_of(client, sd.worker))
    assert (t.user_id, t.person_id, t.unit_id, t.unit_path) == (sd.worker.pk, sd.worker_person.pk, sd.team.pk,
                                                                  sd.team.path)
    assert (t.enterprise_id, t.enterprise_name) == (sd.steel.pk, sd.steel.name)
    client.force_login(sd.jinan_cadre)  # a cadre without a worker's record: no ticket, the form's path refuses
    assert client.get(reverse("innovation:submit")).status_code == 403


def test_a_proposal_sent_with_the_ticket_is_written_as_the_form_writes_it(client, inn):
    sd = inn.sd
    token = ticket_of(client, sd.worker)
    answer = client.post(reverse("innovation:send"), urlencode({"ticket": token, **GOOD}),
                         content_type="application/x-www-form-urlencoded")  # as the script sends it
    assert answer.status_code == 201
    p = Proposal.objects.get()
    assert answer.json() == {"id": p.pk, "number": p.number, "url": p.get_absolute_url()}
    assert (p.proposer_id, p.unit_id, p.enterprise_id, p.submitted_by_id) == (sd.worker_person.pk, sd.team.pk,
                                                                              sd.steel.pk, sd.worker.pk)
    assert p.state == State.SUBMITTED and not p.folded and p.title == GOOD["title"]
    assert [(c.person_id, c.share, c.is_lead) for c in p.contributors.all()] == [(sd.worker_person.pk, 100, True)]
    event = AuditEvent.objects.get(verb="innovation.proposal.submitted")
    assert event.actor_id == sd.worker.pk and event.org_path == sd.team.path and event.object_id == str(p.pk)
    receipt = Notification.objects.get(recipient=sd.worker)
    assert p.number in receipt.title + receipt.body and receipt.url == p.get_absolute_url()
    # the page it goes to greets the worker; the figures count it once folded, as the rebuild does
    assert "has been submitted" not in client.get(p.get_absolute_url()).content.decode()
    page = client.get(p.get_absolute_url() + "?sent=1").content.decode()
    assert f"Your proposal {p.number} has been submitted" in page
    counters.fold()
    assert facts.differences() == {}


def test_every_bad_field_is_refused_at_once_and_nothing_written(client, inn):
    token = ticket_of(client, inn.sd.worker)
    with translation.override("zh-hans"):
        answer = client.post(reverse("innovation:send"), {"ticket": token, "title": "", "problem": "太短",
                                                          "solution": "也太短", "category": "x", "kind": "y"},
                             HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400
    assert set(answer.json()["errors"]) == {"title", "problem", "solution", "category", "kind"}
    assert not Proposal.objects.exists() and not AuditEvent.objects.filter(verb__startswith="innovation").exists()


@pytest.mark.parametrize("token", ["", "abc", "forged:xyz"])
def test_a_forged_or_cut_ticket_is_refused(client, inn, token):
    good = ticket_of(client, inn.sd.worker)
    for bad in (token, good[:-3] + "abc", good.replace(":", "x", 1)):
        answer = client.post(reverse("innovation:send"), {"ticket": bad, **GOOD})
        assert answer.status_code == 400 and answer.json()["code"] == "ticket"
    assert not Proposal.objects.exists()


def test_a_ticket_of_another_purpose_or_expired_is_refused(inn):
    other = signing.dumps([1, 2, 3, "0001", 4, "x", ""], salt="gongjiang.learning.attempt", compress=False)
    with pytest.raises(DomainError):
        tickets.read(other)
    old = tickets.issue(inn.sd.worker.pk, 1, 2, "0001", 3, "x")
    assert tickets.read(old).user_id == inn.sd.worker.pk
    with mock.patch.object(tickets, "MAX_AGE", -1), translation.override("zh-hans"), \
            pytest.raises(DomainError) as e:
        tickets.read(old)
    assert "重新" in e.value.message and e.value.code == "ticket"


def test_a_switched_off_account_sends_nothing(client, inn):
    sd = inn.sd
    token = ticket_of(client, sd.worker)
    sd.worker.is_active = False
    sd.worker.save(update_fields=["is_active"])
    events, notes = AuditEvent.objects.count(), Notification.objects.count()
    answer = client.post(reverse("innovation:send"), json.dumps({"ticket": token, **GOOD}),
                         content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 403 and answer.json()["error"] == "该账号已停用，不能提交建议。"
    with translation.override("zh-hans"), pytest.raises(PermissionDeniedError) as refused:
        services.send_proposal(actor=tickets.read(token), **GOOD)
    assert refused.value.message == "该账号已停用，不能提交建议。"
    assert not Proposal.objects.exists() and not Contributor.objects.exists()
    assert (AuditEvent.objects.count(), Notification.objects.count()) == (events, notes)


def test_the_script_sends_json_and_the_receipt_is_joined_around_the_number(client, inn):
    """As the script sends it: a JSON object; the receipt's texts, cut where the number goes, are joined around it as
    the proposal is written (in the worker's language), the link around its id."""
    sd = inn.sd
    token = ticket_of(client, sd.worker)
    answer = client.post(reverse("innovation:send"), json.dumps({"ticket": token, **GOOD}, ensure_ascii=False),
                         content_type="application/json")
    assert answer.status_code == 201
    p = Proposal.objects.get()
    assert answer.json() == {"id": p.pk, "number": p.number, "url": p.get_absolute_url()}
    receipt = Notification.objects.get(recipient=sd.worker)
    expected = notify.receipt(p, [sd.worker.pk], languages={sd.worker.pk: ""})[0]  # as the form's post writes it
    assert (receipt.title, receipt.body, receipt.url, receipt.verb) == (expected.title, expected.body,
                                                                        expected.url, expected.verb)
    assert (receipt.content_type_id, receipt.object_id) == (expected.content_type.pk, str(p.pk))
    event = AuditEvent.objects.get(verb="innovation.proposal.submitted")
    assert event.after == {"title": GOOD["title"], "category": "efficiency", "kind": "proposal", "co_proposers": []}
    assert (event.object_repr, event.before, event.content_type_id) == (GOOD["title"], {}, expected.content_type.pk)


@pytest.mark.parametrize("body", ["[1, 2]", "{not json", '{"ticket": 5}', '{"title": ["x"]}'])
def test_a_body_of_another_shape_is_refused_in_chinese(client, inn, body):
    answer = client.post(reverse("innovation:send"), body, content_type="application/json",
                         HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400 and answer.json()["code"] == "form" and "刷新" in answer.json()["error"]
    assert not Proposal.objects.exists()


def test_a_null_character_is_refused_naming_the_field(client, inn):
    token = ticket_of(client, inn.sd.worker)
    answer = client.post(reverse("innovation:send"), json.dumps({"ticket": token, **GOOD,
                                                                 "solution": GOOD["solution"] + "\u0000"}),
                         content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400 and set(answer.json()["errors"]) == {"solution"}
    assert "空字符" in answer.json()["errors"]["solution"]
    assert not Proposal.objects.exists()


def test_only_a_post_is_answered(client, inn):
    client.force_login(inn.sd.worker)
    assert client.get(reverse("innovation:send")).status_code == 405


def test_the_ticket_is_the_credential_without_cookies_or_csrf_token(client, inn):
    from django.test import Client

    token = ticket_of(client, inn.sd.worker)
    bare = Client(enforce_csrf_checks=True)  # no session, no CSRF cookie: as the script sends it
    answer = bare.post(reverse("innovation:send"), urlencode({"ticket": token, **GOOD}),
                       content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 201 and "sessionid" not in answer.cookies
    assert Proposal.objects.get().submitted_by_id == inn.sd.worker.pk
    refused = bare.post(reverse("innovation:send"), urlencode(GOOD), content_type="application/x-www-form-urlencoded")
    assert refused.status_code == 400 and Proposal.objects.count() == 1
