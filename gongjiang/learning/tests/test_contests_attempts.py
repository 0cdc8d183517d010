"""A contest taken through the attempt engine, from the contest's side: entering (before the start, after the end,
unpublished, outside the tree, a second active attempt, attempts used up, too many in a minute — each refused with
its reason, nothing written), answering (after the time limit, at a position not in the attempt: refused), a
replayed submission scored once, the key never on the page of an active attempt, and the end: the fold, the
ranking, prizes, certificates and one's own place."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, IssuedCertificate
from gongjiang.learning import counters, tickets
from gongjiang.learning.choices import AttemptState
from gongjiang.learning.models import Attempt, ContestAward, Standing
from gongjiang.learning.queries import attempts as aq
from gongjiang.learning.queries import contests as q
from gongjiang.learning.services import attempts as engine
from gongjiang.learning.services import contests as services
from gongjiang.orgs.tests.factories import person, user

from .contest_factories import bank, contest

pytestmark = pytest.mark.django_db
RIGHT = "防护头部"
EXPLANATION = "解析：安全帽首先用于防护头部"


def account(sd, name):
    return user(f"u{name}", person=person(sd.team, name))


def answer_all(attempt, right: int, now=None):
    """Answer the first `right` positions right and the rest wrong (by the displayed option texts)."""
    ticket = tickets.read(aq.ticket(attempt))
    for shown in aq.paper(attempt):
        texts = list(shown.options)
        good = "ABCDEF"[texts.index(RIGHT)]
        bad = next(letter for letter in "ABCD" if letter != good)
        engine.answer(actor=ticket, position=shown.position, given=good if shown.position < right else bad,
                      now=now)


def state(c):
    return (Attempt.objects.filter(contest=c).count(), AuditEvent.objects.filter(verb="learning.attempt.started")
            .count())


@pytest.fixture
def c(sd):
    b = bank(sd.province, n=12)
    b.questions.update(explanation=EXPLANATION)
    return contest(sd, b, max_attempts=2, prizes={"一等奖": 1, "二等奖": 1})


def test_entering_before_the_start_or_after_the_end_is_refused_with_the_time(sd, c):
    before = state(c)
    with pytest.raises(DomainError) as e:
        services.enter_contest(actor=sd.worker, contest=c, now=c.opens_at - datetime.timedelta(minutes=5))
    assert e.value.code == "closed" and "has not started yet: it opens at" in e.value.message
    with pytest.raises(DomainError) as e:
        services.enter_contest(actor=sd.worker, contest=c, now=c.closes_at)
    assert e.value.code == "closed" and "ended at" in e.value.message
    assert state(c) == before


def test_an_unpublished_contest_and_a_worker_outside_the_tree_are_refused(sd, c):
    draft = contest(sd, publish=False)
    with pytest.raises(DomainError) as e:
        services.enter_contest(actor=sd.worker, contest=draft)
    assert e.value.code == "closed"
    qingdao = contest(sd, bank(sd.qingdao), org=sd.qingdao)
    with pytest.raises(PermissionDeniedError):
        services.enter_contest(actor=sd.worker, contest=qingdao)
    with pytest.raises(PermissionDeniedError):
        services.enter_contest(actor=sd.jinan_cadre, contest=c)  # no worker record
    assert not Attempt.objects.exists()


def test_one_active_attempt_then_attempts_used_up(sd, c):
    first = services.enter_contest(actor=sd.worker, contest=c)
    assert first.contest_id == c.pk and first.number == 1 and first.active
    with pytest.raises(DomainError) as e:
        services.enter_contest(actor=sd.worker, contest=c)
    assert e.value.code == "active" and e.value.attempt_id == first.pk
    engine.submit(actor=sd.worker, attempt=first)
    second = services.enter_contest(actor=sd.worker, contest=c)
    engine.submit(actor=sd.worker, attempt=second)
    assert second.number == 2
    before = state(c)
    with pytest.raises(DomainError) as e:
        services.enter_contest(actor=sd.worker, contest=c)
    assert e.value.code == "used_up" and state(c) == before


def test_too_many_attempts_in_a_minute_are_throttled(sd):
    c = contest(sd, max_attempts=0)
    for _i in range(services.ENTER_PER_MINUTE):
        engine.submit(actor=sd.worker, attempt=services.enter_contest(actor=sd.worker, contest=c))
    with pytest.raises(DomainError) as e:
        services.enter_contest(actor=sd.worker, contest=c)
    assert e.value.code == "throttled" and e.value.status == 429
    later = timezone.now() + datetime.timedelta(minutes=2)
    assert services.enter_contest(actor=sd.worker, contest=c, now=later).number == services.ENTER_PER_MINUTE + 1


def test_an_answer_after_the_time_limit_or_at_a_position_not_in_the_attempt_is_refused(sd, c):
    attempt = services.enter_contest(actor=sd.worker, contest=c)
    ticket = tickets.read(aq.ticket(attempt))
    with pytest.raises(DomainError):
        engine.answer(actor=ticket, position=c.question_count, given="A")  # positions are 0 … n-1
    with pytest.raises(DomainError):
        engine.answer(actor=ticket, position=0, given="A", now=attempt.deadline + datetime.timedelta(seconds=10))
    assert not attempt.answers.exists()


def test_a_replayed_submission_is_scored_once(sd, c):
    attempt = services.enter_contest(actor=sd.worker, contest=c)
    answer_all(attempt, right=3)
    done = engine.submit(actor=sd.worker, attempt=attempt)
    again = engine.submit(actor=sd.worker, attempt=Attempt.objects.get(pk=attempt.pk))
    assert again.score == done.score == Decimal(15) and again.submitted_at == done.submitted_at
    while counters.fold():
        pass
    s = Standing.objects.get(board=c.pk, person=sd.worker_person)
    assert s.attempts == 1 and s.score == Decimal(15)


def test_the_page_of_an_active_attempt_never_holds_the_key(sd, c):
    attempt = services.enter_contest(actor=sd.worker, contest=c)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(sd.worker)
    page = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert RIGHT in page  # the options are shown…
    assert EXPLANATION not in page  # …never the explanation nor the key
    assert '"answer"' not in page and "data-correct" not in page
    shown = aq.paper(attempt)
    assert all(not hasattr(s, "answer") and not hasattr(s, "correct") for s in shown)


def test_entering_through_the_page_goes_to_the_attempt_and_a_second_time_back_to_it(sd, c):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(sd.worker)
    response = client.post(reverse("learning:contest_enter", args=[c.pk]))
    attempt = Attempt.objects.get(person=sd.worker_person)
    assert response.status_code == 302 and response["Location"] == reverse("learning:attempt", args=[attempt.pk])
    again = client.post(reverse("learning:contest_enter", args=[c.pk]))
    assert again["Location"] == reverse("learning:attempt", args=[attempt.pk])
    assert Attempt.objects.filter(person=sd.worker_person).count() == 1
    early = contest(sd, opens_at=timezone.now() + datetime.timedelta(hours=1),
                    closes_at=timezone.now() + datetime.timedelta(hours=2))
    engine.submit(actor=sd.worker, attempt=attempt)
    refused = client.post(reverse("learning:contest_enter", args=[early.pk]), follow=True)
    assert "has not started yet" in refused.content.decode()
    assert not Attempt.objects.filter(contest=early).exists()


def test_the_end_ranking_prizes_certificates_and_ones_place(sd, c):
    people = [(sd.worker, 5), (account(sd, "甲"), 4), (account(sd, "乙"), 2)]
    for actor, right in people:
        attempt = services.enter_contest(actor=actor, contest=c)
        answer_all(attempt, right)
        engine.submit(actor=actor, attempt=attempt)
    late = services.enter_contest(actor=account(sd, "丙"), contest=c, now=c.closes_at - datetime.timedelta(minutes=1))
    with pytest.raises(DomainError) as e:  # still running when the contest closes
        services.publish_results(actor=sd.province_admin, contest=c, now=c.closes_at + datetime.timedelta(seconds=1))
    assert e.value.code == "running"
    with pytest.raises(DomainError) as e:
        services.publish_results(actor=sd.province_admin, contest=c, now=c.closes_at - datetime.timedelta(hours=1))
    assert e.value.code == "state"
    with pytest.raises(PermissionDeniedError):
        services.publish_results(actor=sd.qingdao_cadre, contest=c, now=c.closes_at + datetime.timedelta(hours=1))
    after = late.deadline + datetime.timedelta(seconds=10)
    engine.close_expired(actor=sd.province_admin, now=after)  # the minute's timer, at that moment
    with pytest.raises(DomainError) as e:  # submitted, not yet counted into the standings
        services.publish_results(actor=sd.province_admin, contest=c, now=after)
    assert e.value.code == "counting"
    while counters.fold():
        pass
    awards = services.publish_results(actor=sd.province_admin, contest=c, now=after)
    assert Attempt.objects.get(pk=late.pk).state != AttemptState.ACTIVE
    assert [(a.person_id, a.prize, a.place) for a in awards] == [
        (sd.worker_person.pk, "一等奖", 1), (people[1][0].person_id, "二等奖", 2)]
    assert IssuedCertificate.objects.filter(kind=services.CONTEST_CERTIFICATE).count() == 2
    c.refresh_from_db()
    assert c.results_published
    with pytest.raises(DomainError):
        services.publish_results(actor=sd.province_admin, contest=c, now=after)
    assert ContestAward.objects.filter(contest=c).count() == 2
    mine = q.my_result(c, people[2][0].person)
    assert mine.place == 3 and mine.of == 4 and mine.award is None
    assert q.figures(c).takers == 4
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(sd.worker)
    page = client.get(reverse("learning:contest_mine", args=[c.pk])).content.decode()
    assert "一等奖" in page
    admin = Client(HTTP_ACCEPT_LANGUAGE="en")
    admin.force_login(sd.province_admin)
    assert admin.get(reverse("learning:contest_certificates", args=[c.pk])).status_code == 200
    pdf = admin.get(reverse("learning:contest_certificates", args=[c.pk]) + f"?pdf={awards[0].pk}")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    units = admin.get(reverse("learning:contest_units", args=[c.pk]) + "?export=xlsx")
    assert units.status_code == 200
