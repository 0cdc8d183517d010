"""A worker plays a challenge through the attempt engine, as a specification: level 1 open, level 2 locked until
level 1 is cleared; a closed or unpublished challenge, attempts used up and a worker outside the organiser's reach
refused with a Chinese message and nothing changed; daily practice (points once a day, streak badges), the
wrong-answer notebook and its practice; the leaderboards by person and by union after the fold."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from gongjiang.core.errors import DomainError
from gongjiang.learning import counters
from gongjiang.learning.choices import BoardKind, Purpose
from gongjiang.learning.models import Learner, Mistake, Standing
from gongjiang.learning.queries import challenges as queries
from gongjiang.learning.services import challenges as services
from gongjiang.orgs.tests.factories import person, user

from .challenge_factories import challenges, chinese, take  # noqa: F401  (fixture: the messages in Chinese)
from .test_challenges_services import refused

pytestmark = pytest.mark.usefixtures("chinese")


@pytest.fixture
def ch(sd):
    return challenges(sd)


def test_level_two_is_locked_until_level_one_is_cleared(sd, ch):
    e = refused(lambda: services.enter_level(actor=sd.worker, level=ch.level2))
    assert e.code == "locked" and "请先通过第1关" in e.message
    attempt = services.enter_level(actor=sd.worker, level=ch.level1)
    assert (attempt.purpose, attempt.level, attempt.number, len(attempt.paper)) == (Purpose.LEVEL, ch.level1, 1, 3)
    failed = take(attempt, sd.worker, right=0)
    assert not failed.passed
    refused(lambda: services.enter_level(actor=sd.worker, level=ch.level2))
    cleared = take(services.enter_level(actor=sd.worker, level=ch.level1), sd.worker)
    assert cleared.passed and cleared.number == 2
    second = services.enter_level(actor=sd.worker, level=ch.level2)
    assert second.level == ch.level2
    states = [(r.level.number, r.state) for r in queries.level_map(sd.worker_person, ch.challenge)]
    assert states == [(1, "cleared"), (2, "open")]


def test_a_second_attempt_in_progress_is_refused_with_its_id(sd, ch):
    first = services.enter_level(actor=sd.worker, level=ch.level1)
    e = refused(lambda: services.enter_level(actor=sd.worker, level=ch.level1))
    assert e.code == "active" and e.attempt_id == first.pk


def test_a_closed_or_future_or_unpublished_challenge_is_refused(sd, ch):
    c = ch.challenge
    c.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    c.save(update_fields=["closes_on"])
    e = refused(lambda: services.enter_level(actor=sd.worker, level=ch.level1))
    assert e.code == "closed" and "已于" in e.message
    c.closes_on, c.opens_on = None, timezone.localdate() + datetime.timedelta(days=3)
    c.save(update_fields=["closes_on", "opens_on"])
    e = refused(lambda: services.enter_level(actor=sd.worker, level=ch.level1))
    assert e.code == "closed" and "将于" in e.message
    c.opens_on, c.published = timezone.localdate(), False
    c.save(update_fields=["opens_on", "published"])
    e = refused(lambda: services.enter_level(actor=sd.worker, level=ch.level1))
    assert e.code == "unpublished" and "尚未开放" in e.message


def test_attempts_used_up_are_refused(sd, ch):
    ch.level1.max_attempts = 1
    ch.level1.save(update_fields=["max_attempts"])
    take(services.enter_level(actor=sd.worker, level=ch.level1), sd.worker, right=0)
    e = refused(lambda: services.enter_level(actor=sd.worker, level=ch.level1))
    assert e.code == "used_up" and "1次作答机会已全部用完" in e.message
    assert queries.level_map(sd.worker_person, ch.challenge)[0].can_enter is False


def test_a_worker_outside_the_organisers_reach_is_refused(sd, ch):
    from gongjiang.learning.models import Challenge

    jinan = Challenge.objects.create(org=sd.jinan, title="济南闯关", opens_on=timezone.localdate(), published=True)
    from .challenge_factories import level

    lv = level(jinan, 1, [ch.bank])
    qd_worker = user("qd_worker", person=sd.qd_person)
    e = refused(lambda: services.enter_level(actor=qd_worker, level=lv), permission=True)
    assert "济南市总工会" in e.message
    refused(lambda: services.enter_level(actor=sd.jinan_cadre, level=lv), permission=True)  # no worker record
    assert services.enter_level(actor=sd.worker, level=lv).level == lv


def test_an_industry_unions_challenge_is_open_to_its_affiliated_enterprises(sd, ch):
    from gongjiang.learning.models import Challenge

    from .challenge_factories import level

    c = Challenge.objects.create(org=sd.metallurgy, title="冶金安全闯关", opens_on=timezone.localdate(),
                                 published=True)
    lv = level(c, 1, [ch.bank])
    assert c in queries.open_challenges(sd.worker_person)  # 济钢 is affiliated to the metallurgy union
    assert services.enter_level(actor=sd.worker, level=lv).level == lv
    assert c not in queries.open_challenges(sd.qd_person)


def test_daily_practice_counts_once_a_day_and_builds_a_streak(sd, ch):
    now = timezone.now()
    for days_ago in (2, 1, 0, 0):
        when = now - datetime.timedelta(days=days_ago)
        attempt = services.start_practice(actor=sd.worker, now=when)
        assert attempt.purpose == Purpose.PRACTICE and len(attempt.paper) == 10
        assert {q for q, _o in attempt.paper} <= set(ch.bank.questions.values_list("pk", flat=True))
        assert not set(ch.qd_bank.questions.values_list("pk", flat=True)) & {q for q, _o in attempt.paper}
        take(attempt, sd.worker)
    p = queries.progress(sd.worker_person)
    assert (p.practice_days, p.practice_points, p.streak, p.practised_today) == (3, 6, 3, True)
    assert "连续3天" in p.badges


def test_practice_without_a_shared_bank_is_refused(sd, ch):
    ch.bank.shared = False
    ch.bank.save(update_fields=["shared"])
    e = refused(lambda: services.start_practice(actor=sd.worker))
    assert "暂无可用于练习的题库" in e.message


def test_wrong_answers_go_to_the_notebook_and_a_right_answer_clears_them(sd, ch):
    refused(lambda: services.start_mistake_practice(actor=sd.worker))  # nothing to practise yet
    take(services.enter_level(actor=sd.worker, level=ch.level1), sd.worker, right=0)
    wrong = set(Mistake.objects.filter(person=sd.worker_person).values_list("question_id", flat=True))
    assert len(wrong) == 3 and queries.progress(sd.worker_person).mistakes == 3
    practice = services.start_mistake_practice(actor=sd.worker)
    assert practice.purpose == Purpose.MISTAKES and {q for q, _o in practice.paper} == wrong
    assert queries.open_mistakes(sd.worker_person).count() == 0  # hidden while the practice runs
    take(practice, sd.worker)
    assert queries.open_mistakes(sd.worker_person).count() == 0
    assert Mistake.objects.filter(person=sd.worker_person, cleared=True).count() == 3


def test_points_badges_and_the_leaderboards_after_the_fold(sd, ch):
    colleague_person = person(sd.team, "周明")
    colleague = user("colleague", person=colleague_person)
    for level in (ch.level1, ch.level2):
        take(services.enter_level(actor=sd.worker, level=level), sd.worker)
    take(services.enter_level(actor=colleague, level=ch.level1), colleague)
    take(services.enter_level(actor=sd.worker, level=ch.level1), sd.worker)  # replayed: no points again
    assert counters.fold() == 4
    board = queries.person_board(ch.challenge)
    assert [(s.person, s.levels, s.score) for s in board] == [
        (sd.worker_person, 2, Decimal(30)), (colleague_person, 1, Decimal(10))]
    assert queries.my_rank(ch.challenge, colleague_person)[0] == 2
    assert Learner.objects.get(person=sd.worker_person).points == 30
    p = queries.progress(sd.worker_person)
    assert p.level_points == 30
    assert {"安全新手", "安全达人"} <= set(p.badges)
    rows = {r.org: r for r in queries.org_board(ch.challenge, sd.province)}
    assert (rows[sd.jinan].takers, rows[sd.jinan].finishers) == (2, 1)
    assert rows[sd.jinan].mean == Decimal(20) and rows[sd.qingdao].takers == 0
    metallurgy = rows[sd.metallurgy]  # the industry tree: 济钢 is affiliated
    assert metallurgy.takers == 2
    drill = {r.org: r for r in queries.org_board(ch.challenge, sd.metallurgy)}
    assert drill[sd.steel].takers == 2
    assert Standing.objects.filter(kind=BoardKind.CHALLENGE, board=ch.challenge.pk).count() == 2
    reached = [(lv.number, n) for lv, n in queries.reached(ch.challenge)]
    assert reached == [(1, 2), (2, 1)]


def test_an_unknown_level_or_challenge_is_not_entered_by_a_cadre(sd, ch):
    with pytest.raises(DomainError):
        services.enter_level(actor=sd.province_admin, level=ch.level1)
