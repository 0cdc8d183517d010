"""A competition round's theory exam taken online, end to end with the competitions factories: the round's
organiser sets it up and opens it, the round's contestants take it once (nobody else), and at closing each
submitted score, scaled to 100, becomes the entry's theory score in the round (the round's totals follow), audited
with who started and submitted when; the exam page names contestants by code, never by name."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongjiang.competitions import services as cs
from gongjiang.competitions.models import Entry
from gongjiang.competitions.tests.factories import season, worker
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.learning.choices import Purpose, TheoryState
from gongjiang.learning.models import Attempt, TheoryExam
from gongjiang.learning.services import attempts as engine
from gongjiang.learning.services import theory as services
from gongjiang.orgs.tests.factories import person, user

from .contest_factories import bank, paper_data
from .test_contests_attempts import answer_all

pytestmark = pytest.mark.django_db


def AFTER(exam):  # a moment just past the exam's end and the answers' grace
    return exam.closes_at + datetime.timedelta(seconds=10)


@pytest.fixture
def world(sd):
    s = season(sd)
    cs.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    other = user("other", person=worker(sd.workshop, "钱七"))
    cs.register(actor=sd.enterprise_cadre, person=other.person, rnd=s.jinan_round)
    absent = worker(sd.workshop, "孙八")
    cs.register(actor=sd.enterprise_cadre, person=absent, rnd=s.jinan_round)
    Entry.objects.filter(round=s.jinan_round, person=sd.worker_person).update(code="K01")
    Entry.objects.filter(round=s.jinan_round, person=other.person).update(code="K02")
    b = bank(sd.jinan, n=10)
    exam = services.create_theory_exam(actor=sd.jinan_cadre, round_id=s.jinan_round.pk,
                                       data=paper_data(b, title="车工理论考试", draw=[{"count": 4}]))
    return s, exam, other, absent


def test_set_up_only_by_the_rounds_organiser_once(sd, world):
    s, exam, *_ = world
    assert exam.org == sd.jinan and exam.state == TheoryState.DRAFT and exam.max_attempts == 1
    with pytest.raises(DomainError) as e:
        services.create_theory_exam(actor=sd.jinan_cadre, round_id=s.jinan_round.pk, data=paper_data(
            exam.banks.first()))
    assert e.value.code == "duplicate"
    with pytest.raises(PermissionDeniedError):
        services.create_theory_exam(actor=sd.qingdao_cadre, round_id=s.jinan_round.pk, data={})
    with pytest.raises(PermissionDeniedError):
        services.open_theory_exam(actor=sd.qingdao_cadre, exam=exam)
    with pytest.raises(DomainError) as e:
        services.create_theory_exam(actor=sd.jinan_cadre, round_id=10**9, data={})
    assert e.value.status == 404
    assert TheoryExam.objects.count() == 1


def test_the_exam_flows_into_the_rounds_theory_scores(sd, world):
    s, exam, other, absent = world
    with pytest.raises(DomainError) as e:
        services.start_theory(actor=sd.worker, exam=exam)
    assert e.value.code == "closed"  # not open yet
    exam = services.open_theory_exam(actor=sd.jinan_cadre, exam=exam)
    mine = services.start_theory(actor=sd.worker, exam=exam)
    assert mine.purpose == Purpose.THEORY and mine.theory_exam_id == exam.pk and len(mine.paper) == 4
    answer_all(mine, right=4)
    engine.submit(actor=sd.worker, attempt=mine)
    with pytest.raises(DomainError) as e:
        services.start_theory(actor=sd.worker, exam=exam)
    assert e.value.code == "used_up"
    theirs = services.start_theory(actor=other, exam=exam)
    answer_all(theirs, right=3)
    stranger = user("stranger", person=person(sd.team, "周九"))
    with pytest.raises(PermissionDeniedError):
        services.start_theory(actor=stranger, exam=exam)
    with pytest.raises(DomainError) as e:  # somebody is still writing before the end
        services.close_theory_exam(actor=sd.jinan_cadre, exam=exam)
    assert e.value.code == "running"
    with pytest.raises(PermissionDeniedError):
        services.close_theory_exam(actor=sd.qingdao_cadre, exam=exam, now=AFTER(exam))
    sent = services.close_theory_exam(actor=sd.jinan_cadre, exam=exam, now=AFTER(exam))
    assert sent == 2
    theory = dict(Entry.objects.filter(round=s.jinan_round).values_list("person_id", "theory"))
    assert theory[sd.worker_person.pk] == 10000 and theory[other.person.pk] == 7500 and theory[absent.pk] is None
    exam.refresh_from_db()
    assert exam.state == TheoryState.SENT and exam.sent_by == sd.jinan_cadre
    event = AuditEvent.objects.get(verb="learning.theory.sent")
    rows = event.after["attempts"]
    assert len(rows) == 2 and all(r["started_at"] and r["submitted_at"] for r in rows)
    assert "K01" not in str(event.after)  # the audit never joins a code to a person
    assert AuditEvent.objects.filter(verb="competitions.round.theory_entered").exists()
    assert AuditEvent.objects.filter(verb="learning.attempt.started").count() == 2
    with pytest.raises(DomainError):
        services.close_theory_exam(actor=sd.jinan_cadre, exam=exam, now=AFTER(exam))


def test_the_organisers_page_names_codes_never_names(sd, world):
    _s, exam, other, absent = world
    exam = services.open_theory_exam(actor=sd.jinan_cadre, exam=exam)
    engine.submit(actor=sd.worker, attempt=services.start_theory(actor=sd.worker, exam=exam))
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("learning:theory_detail", args=[exam.pk])).content.decode()
    assert "K01" in page and "K02" in page
    for name in (sd.worker_person.name, other.person.name, absent.name):
        assert name not in page


def test_a_start_outside_the_window_is_refused(sd, world):
    _s, exam, *_ = world
    exam = services.open_theory_exam(actor=sd.jinan_cadre, exam=exam)
    with pytest.raises(DomainError) as e:
        services.start_theory(actor=sd.worker, exam=exam, now=exam.closes_at + datetime.timedelta(seconds=1))
    assert e.value.code == "closed"
    with pytest.raises(DomainError):
        services.start_theory(actor=sd.worker, exam=exam, now=exam.opens_at - datetime.timedelta(seconds=1))
    assert not Attempt.objects.filter(theory_exam=exam).exists()
    assert timezone.now() < exam.closes_at
