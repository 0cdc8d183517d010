"""The attempt engine: drawing, answering through the signed ticket, submitting once, the wrong-answer notebook,
the page that never shows the key early, and the fold that keeps the leaderboards and figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.learning import counters, services
from gongjiang.learning.choices import AttemptState, BoardKind, Purpose
from gongjiang.learning.models import Answer, Attempt, Learner, Mistake, OrgStanding, Question, Standing
from gongjiang.learning.queries import attempts as queries
from gongjiang.learning.rules import scoring
from gongjiang.learning.services.attempts import ActiveAttemptError
from gongjiang.learning.tickets import read
from gongjiang.orgs import facts

from . import factories as f
from .training_factories import figure, learning_facts

pytestmark = pytest.mark.django_db


def _right(attempt: Attempt, position: int) -> str:
    """The right answer at `position` as the page would send it."""
    q_id, order = attempt.paper[position]
    q = Question.objects.get(pk=q_id)
    if q.kind == "fill":
        return scoring.SEP.join(b[0] for b in q.blanks)
    if q.kind == "truefalse":
        return q.answer
    return scoring.displayed(q.answer, order)


def _start(sd, paper, **kw):
    kind = Purpose.CONTEST if paper.__class__.__name__ == "Contest" else Purpose.LEVEL
    return services.start(actor=sd.worker, person=sd.worker_person, purpose=kind,
                          **({"contest": paper} if kind == Purpose.CONTEST else {"level": paper}), **kw)


def test_a_start_draws_the_rules_questions_each_with_its_options_shuffled(sd):
    bank = f.bank(sd.province, single=6, multiple=3, truefalse=3)
    level = f.level(sd.province, [bank], draw=[{"count": 4, "kinds": ["single"]}, {"count": 2, "kinds": ["truefalse"]}])
    attempt = _start(sd, level)
    ids = [q for q, _o in attempt.paper]
    assert len(ids) == len(set(ids)) == 6
    kinds = sorted(Question.objects.filter(pk__in=ids).values_list("kind", flat=True))
    assert kinds == ["single"] * 4 + ["truefalse"] * 2
    for q, order in attempt.paper:
        question = Question.objects.get(pk=q)
        assert question.drawn
        assert sorted(order) == (list("ABCD") if question.kind == "single" else [])
    assert attempt.deadline == attempt.started_at + datetime.timedelta(seconds=level.time_limit)
    assert attempt.unit_id == sd.worker_person.employer_id and attempt.number == 1


def test_a_second_active_attempt_is_refused_and_a_timed_out_one_closes_first(sd):
    bank = f.bank(sd.province)
    level = f.level(sd.province, [bank])
    first = _start(sd, level)
    with pytest.raises(ActiveAttemptError) as refused:
        _start(sd, level)
    assert refused.value.attempt_id == first.pk and refused.value.code == "active"
    assert Attempt.objects.count() == 1
    later = first.deadline + datetime.timedelta(seconds=10)
    second = _start(sd, level, now=later)
    first.refresh_from_db()
    assert first.state == AttemptState.EXPIRED and second.number == 2


def test_the_database_holds_one_active_attempt_per_person_even_if_two_starts_race(sd):
    bank = f.bank(sd.province)
    level = f.level(sd.province, [bank])
    attempt = _start(sd, level)
    twin = Attempt(person=attempt.person, unit=attempt.unit, purpose=Purpose.LEVEL, level=level, paper=attempt.paper,
                   started_at=attempt.started_at, deadline=attempt.deadline)
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


@pytest.mark.parametrize("moment,message", [(-2, "opens at"), (2, "closed at")])
def test_a_contest_is_entered_only_in_its_window(sd, moment, message):
    bank = f.bank(sd.province)
    contest = f.contest(sd.province, [bank])
    at = contest.opens_at - datetime.timedelta(minutes=1) if moment < 0 else contest.closes_at
    with pytest.raises(DomainError) as refused:
        _start(sd, contest, now=at)
    assert refused.value.code == "closed" and message in refused.value.message
    assert not Attempt.objects.exists()


def test_attempts_allowed_are_counted(sd):
    bank = f.bank(sd.province)
    level = f.level(sd.province, [bank], max_attempts=1)
    attempt = _start(sd, level)
    services.submit(actor=sd.worker, attempt=attempt)
    with pytest.raises(DomainError) as refused:
        _start(sd, level)
    assert refused.value.code == "used_up"


def test_banks_short_of_questions_are_named(sd):
    bank = f.bank(sd.province, single=2)
    level = f.level(sd.province, [bank], draw=[{"count": 3, "kinds": ["single"]}])
    with pytest.raises(DomainError) as refused:
        _start(sd, level)
    assert refused.value.code == "short" and "3" in refused.value.message and "2" in refused.value.message


def test_an_answer_is_one_row_per_position_and_a_retry_overwrites(sd):
    bank = f.bank(sd.province, single=5)
    attempt = _start(sd, f.level(sd.province, [bank]))
    ticket = read(queries.ticket(attempt))
    services.answer(actor=ticket, position=0, given="A")
    services.answer(actor=ticket, position=0, given="A")
    services.answer(actor=ticket, position=0, given="c")
    assert list(Answer.objects.filter(attempt=attempt).values_list("position", "given")) == [(0, "C")]


@pytest.mark.parametrize("position,given,field", [
    (5, "A", "position"),  # not in the attempt (5 questions: 0–4)
    (-1, "A", "position"),
    (0, "E", "given"),  # a letter with no option
    (0, "AB", "given"),  # two letters for a single choice
    (0, "", "given"),
])
def test_answers_the_attempt_cannot_take_are_refused(sd, position, given, field):
    bank = f.bank(sd.province, single=5)
    attempt = _start(sd, f.level(sd.province, [bank]))
    ticket = read(queries.ticket(attempt))
    with pytest.raises(DomainError) as refused:
        services.answer(actor=ticket, position=position, given=given)
    assert refused.value.field == field and refused.value.message
    assert not Answer.objects.exists()


def test_an_answer_after_the_time_limit_or_the_submission_is_refused(sd):
    bank = f.bank(sd.province, single=5)
    attempt = _start(sd, f.level(sd.province, [bank]))
    ticket = read(queries.ticket(attempt))
    with pytest.raises(DomainError) as late:
        services.answer(actor=ticket, position=0, given="A", now=attempt.deadline + datetime.timedelta(seconds=30))
    assert late.value.code == "late"
    services.submit(actor=sd.worker, attempt=attempt)
    with pytest.raises(DomainError) as closed:
        services.answer(actor=ticket, position=1, given="A")
    assert closed.value.code == "submitted"
    assert not Answer.objects.exists()


def test_a_forged_or_foreign_ticket_is_refused(sd):
    bank = f.bank(sd.province, single=5)
    attempt = _start(sd, f.level(sd.province, [bank]))
    token = queries.ticket(attempt)
    with pytest.raises(DomainError):
        read(token[:-2] + ("AA" if not token.endswith("AA") else "BB"))
    with pytest.raises(PermissionDeniedError):
        services.answer(actor=sd.worker, position=0, given="A")  # an account is not a ticket


def test_submission_marks_through_the_shown_order_once_and_only_once(sd):
    bank = f.bank(sd.province, single=2, multiple=1, truefalse=1, fill=1)
    level = f.level(sd.province, [bank], draw=[{"count": 5}], pass_mark=60, partial=50)
    attempt = _start(sd, level)
    ticket = read(queries.ticket(attempt))
    by_kind = {Question.objects.get(pk=q).kind: i for i, (q, _o) in enumerate(attempt.paper)}
    singles = [i for i, (q, _o) in enumerate(attempt.paper) if Question.objects.get(pk=q).kind == "single"]
    services.answer(actor=ticket, position=singles[0], given=_right(attempt, singles[0]))
    wrong = next(c for c in "ABCD" if c != _right(attempt, singles[1]))
    services.answer(actor=ticket, position=singles[1], given=wrong)
    multiple = by_kind["multiple"]
    _q, order = attempt.paper[multiple]
    services.answer(actor=ticket, position=multiple, given=scoring.displayed("AC", order))  # two of A, C, D
    services.answer(actor=ticket, position=by_kind["truefalse"], given="T")
    services.answer(actor=ticket, position=by_kind["fill"], given=f"co2{scoring.SEP} 氧 气 ")
    done = services.submit(actor=sd.worker, attempt=attempt)
    # single 1 + wrong 0 + partial 0.5 + true/false 1 + fill both blanks 1 = 3.5 of 5
    assert (done.score, done.max_score, done.correct, done.passed) == (Decimal("3.5"), Decimal(5), 3, True)
    assert done.state == AttemptState.SUBMITTED and done.signature
    again = services.submit(actor=sd.worker, attempt=attempt)
    assert (again.score, again.submitted_at) == (done.score, done.submitted_at)
    assert Mistake.objects.filter(person=sd.worker_person).count() == 2  # the wrong single and the partial one


def test_only_the_worker_submits_their_attempt(sd):
    bank = f.bank(sd.province, single=5)
    attempt = _start(sd, f.level(sd.province, [bank]))
    with pytest.raises(PermissionDeniedError):
        services.submit(actor=sd.province_admin, attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.ACTIVE


def test_practising_ones_mistakes_clears_those_answered_right(sd):
    bank = f.bank(sd.province, single=3)
    questions = list(Question.objects.filter(bank=bank))
    practice = services.start(actor=sd.worker, person=sd.worker_person, purpose=Purpose.PRACTICE,
                              questions=[q.pk for q in questions], time_limit=300)
    services.submit(actor=sd.worker, attempt=practice)  # nothing answered: three mistakes
    assert Mistake.objects.filter(person=sd.worker_person, cleared=False).count() == 3
    redo = services.start(actor=sd.worker, person=sd.worker_person, purpose=Purpose.MISTAKES,
                          questions=[q.pk for q in questions], time_limit=300)
    ticket = read(queries.ticket(redo))
    services.answer(actor=ticket, position=0, given=_right(redo, 0))
    services.submit(actor=sd.worker, attempt=redo)
    assert Mistake.objects.filter(person=sd.worker_person, cleared=True).count() == 1
    assert Mistake.objects.get(person=sd.worker_person, question_id=redo.paper[1][0]).times == 2


def test_the_page_never_shows_the_key_before_the_end_and_the_review_after(sd, client):
    bank = f.bank(sd.province, single=3)
    Question.objects.filter(bank=bank).update(explanation="依据安全生产法第二十条")
    attempt = _start(sd, f.level(sd.province, [bank], draw=[{"count": 3}]))
    client.force_login(sd.worker)
    page = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert "依据安全生产法第二十条" not in page and "data-ticket" in page
    client.post(reverse("learning:attempt_submit", args=[attempt.pk]),
                {"ticket": queries.ticket(attempt), "a0": _right(attempt, 0)})
    page = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert "依据安全生产法第二十条" in page
    attempt.refresh_from_db()
    assert attempt.score == Decimal(1) and attempt.state == AttemptState.SUBMITTED


def test_another_workers_attempt_is_not_found(sd, client):
    bank = f.bank(sd.province, single=3)
    attempt = _start(sd, f.level(sd.province, [bank], draw=[{"count": 3}]))
    client.force_login(sd.province_admin)
    assert client.get(reverse("learning:attempt", args=[attempt.pk])).status_code == 404
    assert client.post(reverse("learning:attempt_submit", args=[attempt.pk])).status_code == 404


def test_the_answer_endpoint_writes_in_one_statement_and_answers_in_json(sd, client, django_assert_num_queries):
    bank = f.bank(sd.province, single=3)
    attempt = _start(sd, f.level(sd.province, [bank], draw=[{"count": 3}]))
    token = queries.ticket(attempt)
    url = reverse("learning:answer")
    with django_assert_num_queries(1):
        ok = client.post(url, {"ticket": token, "position": 1, "given": "B"})
    assert ok.status_code == 200 and ok.json() == {"ok": True}
    bad = client.post(url, {"ticket": token, "position": 7, "given": "B"})
    assert bad.status_code == 400 and bad.json()["code"] == "position"
    forged = client.post(url, {"ticket": token + "x", "position": 1, "given": "B"})
    assert forged.status_code == 400 and forged.json()["code"] == "ticket"
    services.submit(actor=sd.worker, attempt=attempt)
    closed = client.post(url, {"ticket": token, "position": 1, "given": "C"})
    assert closed.status_code == 409
    assert list(Answer.objects.values_list("given", flat=True)) == ["B"]


def _take(sd, contest, person, account, right: int, now=None):
    attempt = services.start(actor=account, person=person, purpose=Purpose.CONTEST, contest=contest, now=now)
    ticket = read(queries.ticket(attempt))
    for i in range(right):
        services.answer(actor=ticket, position=i, given=_right(attempt, i), now=now)
    return services.submit(actor=account, attempt=attempt, now=now)


def test_the_fold_keeps_the_standings_and_figures_and_agrees_with_a_rebuild(sd):
    from gongjiang.orgs.tests.factories import person, user

    bank = f.bank(sd.province, single=6)
    contest = f.contest(sd.province, [bank], draw=[{"count": 5}], pass_mark=60)
    qd = user("qd_worker", person=sd.qd_person)
    other = person(sd.team, "赵六")
    other_account = user("zhao", person=other)
    _take(sd, contest, sd.worker_person, sd.worker, 2)
    _take(sd, contest, sd.qd_person, qd, 4)
    assert counters.fold() == 2
    _take(sd, contest, sd.worker_person, sd.worker, 5)  # a better second attempt
    _take(sd, contest, other, other_account, 0)
    assert counters.fold() == 2
    assert counters.fold() == 0
    top = list(Standing.objects.filter(kind=BoardKind.CONTEST, board=contest.pk)
               .order_by("-score", "seconds").values_list("person_id", "score", "attempts"))
    assert top == [(sd.worker_person.pk, Decimal(5), 2), (sd.qd_person.pk, Decimal(4), 1),
                   (other.pk, Decimal(0), 1)]
    province = OrgStanding.objects.get(kind=BoardKind.CONTEST, board=contest.pk, org=sd.province)
    assert (province.takers, province.finishers, province.attempts, province.score_sum) == (3, 2, 4, Decimal(9))
    jinan = OrgStanding.objects.get(kind=BoardKind.CONTEST, board=contest.pk, org=sd.jinan)
    assert (jinan.takers, jinan.score_sum) == (2, Decimal(5))
    industry = OrgStanding.objects.get(kind=BoardKind.CONTEST, board=contest.pk, org=sd.metallurgy)
    assert industry.takers == 2  # the steel works' team is affiliated to the metallurgy union
    day = figure(sd.province, timezone.localdate())
    assert day is not None and (day.learners, day.attempts, day.passes, day.contest_takers) == (3, 4, 2, 3)
    assert facts.differences(["learning"]) == {}
    assert Learner.objects.count() == 3

    def snapshot():
        return (sorted(Standing.objects.values_list("kind", "board", "person_id", "score", "seconds", "levels",
                                                    "attempts")),
                sorted(OrgStanding.objects.values_list("kind", "board", "org_id", "takers", "finishers", "attempts",
                                                       "score_sum")),
                learning_facts(),
                sorted(Learner.objects.values_list("person_id", "points")))

    kept = snapshot()
    counters.rebuild()
    assert snapshot() == kept


def test_the_timer_submits_attempts_left_open_past_their_deadline_and_folds_them(sd):
    bank = f.bank(sd.province, single=5)
    contest = f.contest(sd.province, [bank])
    attempt = _start(sd, contest, now=timezone.now() - datetime.timedelta(hours=2) + datetime.timedelta(minutes=70))
    attempt.deadline = timezone.now() - datetime.timedelta(minutes=1)
    attempt.save(update_fields=["deadline"])
    from django.core.management import call_command

    call_command("fold_learning")
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.EXPIRED and attempt.folded


def test_the_exam_page_reads_the_same_few_queries_for_five_or_forty_questions_and_no_menu(sd, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(sd.worker)
    counts = []
    for n in (5, 40):
        bank = f.bank(sd.province, f"题库{n}", single=n)
        attempt = _start(sd, f.level(sd.province, [bank], draw=[{"count": n}]))
        client.get(reverse("learning:attempt", args=[attempt.pk]))
        with CaptureQueriesContext(connection) as read:
            page = client.get(reverse("learning:attempt", args=[attempt.pk]))
        assert page.content.decode().count('class="card question"') == n
        assert 'class="nav-h"' not in page.content.decode()  # no side menu
        counts.append(len(read))
        services.submit(actor=sd.worker, attempt=attempt)
    # session, user, the attempt, its questions, its answers, the header's scope and unread count, the session
    # saved (and its savepoint pair under the test transaction)
    assert counts[0] == counts[1] <= 10


def test_nobody_starts_an_attempt_for_another_worker(sd):
    bank = f.bank(sd.province)
    level = f.level(sd.province, [bank])
    for actor in (sd.province_admin, sd.enterprise_cadre):
        with pytest.raises(PermissionDeniedError):
            services.start(actor=actor, person=sd.worker_person, purpose=Purpose.LEVEL, level=level)
    assert not Attempt.objects.exists()


def test_a_contests_prizes_keep_the_order_they_were_given_in(sd):
    from gongjiang.learning.models import Contest

    bank = f.bank(sd.province)
    given = {"特等奖": 1, "一等奖": 3, "三等奖": 9, "二等奖": 6, "优秀奖": 20}  # jsonb would sort 一, 三, 二
    made = f.contest(sd.province, [bank], prizes=given)
    assert list(Contest.objects.get(pk=made.pk).prizes.items()) == list(given.items())
    assert list(Contest.objects.values_list("prizes", flat=True).get(pk=made.pk)) == list(given)


def test_the_exam_page_escapes_what_the_bank_holds(sd, client):
    bank = f.bank(sd.province, single=1)
    Question.objects.filter(bank=bank).update(stem='<script>alert(1)</script>第一行\n第二行',
                                              options=['<img src=x onerror=alert(2)>', '"引号"', "C", "D"])
    attempt = _start(sd, f.level(sd.province, [bank], draw=[{"count": 1}]))
    client.force_login(sd.worker)
    page = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;第一行<br>第二行" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page and "&quot;引号&quot;" in page
    assert 'name="a0" value="A"' in page and "Question 1 of 1" in page
