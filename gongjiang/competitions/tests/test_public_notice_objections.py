"""A round's 成绩公示 on core's notice service: published by a last day or by working days, the public's objections
through core's form on the round's public page, the organisers deciding them before the results are confirmed, and
the notice's end recorded on the round."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongjiang.competitions import publicity, services
from gongjiang.competitions.choices import RoundState
from gongjiang.competitions.models import Round
from gongjiang.competitions.tests.factories import end_notice, season, to_marking
from gongjiang.competitions.tests.test_services import graded, lock_all, mark_all, register_many
from gongjiang.competitions.tests.test_views_results import decrypt
from gongjiang.core import notices, workdays
from gongjiang.core.errors import DomainError
from gongjiang.core.models import AuditEvent, Objection

OBJECTION = {"name": "王五", "contact": "13800138000", "subject": "李强（济南钢铁集团有限公司工会）",
             "reason": "该选手比赛中使用了未经检录的量具。"}


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def decrypted(sd):
    """The Jinan round of the city qualifier, marked, locked and decrypted (as in test_views_results)."""
    s = season(sd, theory_weight=0, practical_weight=100)
    register_many(sd, s, n_jinan=3, n_qingdao=1)
    found = to_marking(sd, s.jinan_round)
    mark_all(s.jinan_round, graded({"李强": "20", "济钢0": "25", "济钢1": "22"}))
    lock_all(s.jinan_round, found["chief"])
    decrypt(found, s.jinan_round)
    s.jinan_round.refresh_from_db()
    return s


@pytest.fixture
def published(sd, decrypted):
    services.publish_results(actor=sd.province_admin, rnd=decrypted.jinan_round,
                             publicity_until=timezone.localdate() + datetime.timedelta(days=5))
    decrypted.jinan_round.refresh_from_db()
    return decrypted


def test_the_results_go_on_a_core_notice(sd, published):
    rnd = Round.objects.select_related("notice").get(pk=published.jinan_round.pk)
    notice = rnd.notice
    assert notice.kind == publicity.ROUND_NOTICE and notice.owner == rnd and notice.org_path == rnd.organiser.path
    assert (notice.starts_on, notice.ends_on) == (timezone.localdate(), rnd.publicity_until)
    assert notice.publisher_name == "济南市总工会" and "车工" in notice.title


def test_the_results_can_go_on_notice_for_a_number_of_working_days(client, sd, decrypted):
    rnd = decrypted.jinan_round
    client.force_login(sd.jinan_cadre)
    response = client.post(reverse("competitions:round_publish", args=[rnd.pk]), {"working_days": "5"}, follow=True)
    rnd.refresh_from_db()
    expected = workdays.working_period(timezone.localdate(), 5).ends_on
    assert (rnd.state, rnd.publicity_until, rnd.notice.ends_on, rnd.notice.working_days) == (
        RoundState.PUBLICITY, expected, expected, 5)
    assert f"on public notice until {expected}" in response.content.decode()


@pytest.mark.parametrize("data", [{}, {"working_days": "0"}, {"working_days": "99"}, {"publicity_until": "x"}])
def test_a_bad_period_publishes_nothing(client, sd, decrypted, data):
    client.force_login(sd.jinan_cadre)
    client.post(reverse("competitions:round_publish", args=[decrypted.jinan_round.pk]), data)
    rnd = Round.objects.get(pk=decrypted.jinan_round.pk)
    assert rnd.state == RoundState.DECRYPTED and rnd.notice_id is None


def test_the_public_objects_on_the_rounds_notice_page_and_the_organiser_decides(client, sd, published):
    rnd = published.jinan_round
    page = client.get(reverse("competitions:public_notice", args=[rnd.pk]))
    html = page.content.decode()
    assert "How to object" in html and "Raise an objection" in html
    action = reverse("core:notice_objection", args=[rnd.notice_id])
    assert f'action="{action}"' in html
    response = client.post(action, OBJECTION)
    assert response.status_code == 302 and response["Location"] == reverse("competitions:public_notice",
                                                                            args=[rnd.pk])
    objection = Objection.objects.get()
    assert objection.notice_id == rnd.notice_id
    # nobody sees the objector on the public page
    assert "王五" not in client.get(reverse("competitions:public_notice", args=[rnd.pk])).content.decode()

    # The organisers see it on the results page; a unit's cadre and the contestant do not reach it.
    client.force_login(sd.jinan_cadre)
    results_page = client.get(reverse("competitions:round_results", args=[rnd.pk]))
    assert results_page.context["objections"]["open"] == 1
    assert reverse("core:notice_objections", args=[rnd.notice_id]) in results_page.content.decode()
    for persona in ("enterprise_cadre", "worker", "qingdao_cadre"):
        client.force_login(getattr(sd, persona))
        assert client.get(reverse("core:objection_detail", args=[objection.pk])).status_code == 404, persona
        assert client.get(reverse("core:notice_objections", args=[rnd.notice_id])).status_code == 404, persona
    client.force_login(sd.enterprise_cadre)  # reads the published ranking, not the objections
    assert client.get(reverse("competitions:round_results", args=[rnd.pk])).context["objections"] is None

    # The results cannot be confirmed while the objection is open, even after the notice.
    end_notice(rnd)
    with pytest.raises(DomainError, match="objections"):
        services.finalise_round(actor=sd.jinan_cadre, rnd=rnd)
    assert Round.objects.get(pk=rnd.pk).state == RoundState.PUBLICITY
    notices.decide_objection(actor=sd.jinan_cadre, objection=objection, outcome="dismissed",
                             reply="经核实，量具已检录，异议不成立。")
    figures = services.finalise_round(actor=sd.jinan_cadre, rnd=rnd)
    assert figures["certificates"] == 3 and Round.objects.get(pk=rnd.pk).state == RoundState.FINAL


def test_the_notices_end_is_recorded_on_the_round_and_closes_the_window(client, sd, published):
    rnd = published.jinan_round
    services.file_appeal(actor=sd.worker, entry=rnd.entries.get(person=sd.worker_person), reason="不服")
    end_notice(rnd)
    assert notices.close_due() == 1
    event = AuditEvent.objects.get(verb="competitions.round.notice_ended")
    assert event.object_id == str(rnd.pk) and event.after["open_appeals"] == 1
    assert event.after["open_objections"] == 0
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("competitions:public_notice", args=[rnd.pk]))
    assert "Raise an objection" not in page.content.decode()
    response = Client().post(reverse("core:notice_objection", args=[Round.objects.get(pk=rnd.pk).notice_id]),
                             OBJECTION)
    assert response.status_code == 400 and not Objection.objects.exists()
