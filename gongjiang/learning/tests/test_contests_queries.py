"""What the contest pages read: the ranking from the standings (ties by score, time, then when reached; places
shared; later pages continue the places), prizes by place, a worker's own place, the results per unit with
participation rates from the orgs counters, and the suspicious-pattern report."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from gongjiang.learning.queries import contests as q

from .contest_factories import bank, contest, done_attempt, org_standing, standing, workers

pytestmark = pytest.mark.django_db
T0 = timezone.now() - datetime.timedelta(hours=1)


def test_the_ranking_orders_by_score_then_time_then_when_reached_with_prizes_by_place(sd):
    c = contest(sd, prizes={"一等奖": 1, "二等奖": 2, "三等奖": 2})
    a, b, d, e, f = workers(sd.workshop, 5)
    standing(c, a, "20", 300, T0)
    standing(c, b, "25", 400, T0)
    standing(c, d, "20", 200, T0)
    standing(c, e, "20", 200, T0 + datetime.timedelta(minutes=1))
    standing(c, f, "20", 200, T0)  # equal to d on all three
    rows = q.ranking(c)
    assert [r.person_id for r in rows[:1]] == [b.pk]
    assert {r.person_id for r in rows[1:3]} == {d.pk, f.pk}
    assert [r.place for r in rows] == [1, 2, 2, 4, 5]
    assert [r.person_id for r in rows[3:]] == [e.pk, a.pk]
    assert [r.prize for r in rows] == ["一等奖", "二等奖", "二等奖", "三等奖", "三等奖"]
    page2 = q.ranking(c, limit=2, offset=2)
    assert [r.place for r in page2] == [2, 4] and page2[0].prize == "二等奖"
    assert q.my_result(c, e).place == 4 and q.my_result(c, e).of == 5
    assert q.my_result(c, sd.qd_person).place is None


def test_results_per_unit_have_participation_rates_from_the_members_counters(sd):
    c = contest(sd)
    org_standing(c, sd.jinan, takers=2, attempts=3, score_sum="45")
    org_standing(c, sd.province, takers=2, attempts=3, score_sum="45")
    sd.jinan.refresh_from_db()
    rows = {r.org.pk: r for r in q.by_unit(c, sd.province)}
    assert set(rows) >= {sd.jinan.pk, sd.qingdao.pk, sd.metallurgy.pk}
    j = rows[sd.jinan.pk]
    assert j.takers == 2 and j.attempts == 3 and j.mean == Decimal("22.5") and j.has_children
    assert j.members == sd.jinan.tree_members
    assert j.rate == ((Decimal(200) / j.members).quantize(Decimal("0.1")) if j.members else None)
    assert rows[sd.qingdao.pk].takers == 0 and rows[sd.qingdao.pk].mean is None
    drill = q.by_unit(c, sd.jinan)
    assert [r.org.pk for r in drill] == [sd.lixia.pk]


def test_the_suspicious_report_groups_identical_answers_flags_speed_and_bursts(sd):
    c = contest(sd)  # 5 questions
    people = workers(sd.workshop, 6)
    same = [done_attempt(c, p, score="25", signature="abc", seconds=200) for p in people[:3]]
    done_attempt(c, people[3], score="5", signature="low", seconds=200)
    done_attempt(c, people[4], score="5", signature="low", seconds=200)  # same answers, but a low score
    fast = done_attempt(c, people[5], score="20", signature="x1", seconds=8)  # 1.6 s a question
    report = q.suspicious(c, min_score=60, floor=Decimal(2), burst=3)
    assert len(report.same) == 1 and {a.pk for a in report.same[0].attempts} == {a.pk for a in same}
    assert [a.pk for a in report.fast] == [fast.pk]
    assert len(report.bursts) == 1 and report.bursts[0].unit == sd.workshop and report.bursts[0].count >= 3
    assert q.suspicious(c, min_score=10, burst=100).same.__len__() == 2
    assert q.suspicious(c, burst=100).bursts == []
    rows = list(q.report_rows(report))
    assert len(rows) == 3 + 1 + 1


def test_the_suspicious_report_finds_answers_fired_in_quick_succession_within_a_normal_total_time(sd):
    from gongjiang.learning.models import Answer

    c = contest(sd)  # 5 questions
    bot, reader, other_contest_bot = workers(sd.workshop, 3)
    t0 = timezone.now() - datetime.timedelta(minutes=30)

    def answers(attempt, offsets):  # seconds after the start at which each position was (last) saved
        Answer.objects.bulk_create([Answer(attempt=attempt, position=i, given="A", saved_at=t0 + datetime.timedelta(
            seconds=s)) for i, s in enumerate(offsets)])

    # waits four minutes, then fires all five answers within two seconds: 300 s in all, nothing "fast" about it
    fired = done_attempt(c, bot, seconds=300, started=t0)
    answers(fired, [240, 240.4, 240.9, 241.3, 241.8])
    answers(done_attempt(c, reader, seconds=300, started=t0), [20, 75, 130, 131.5, 200])  # one quick correction
    answers(done_attempt(contest(sd), other_contest_bot, seconds=300, started=t0), [1, 1.1, 1.2, 1.3, 1.4])
    report = q.suspicious(c, burst=100)
    assert report.fast == [] and [(a.pk, n) for a, n in report.rapid] == [(fired.pk, 5)]
    assert q.suspicious(c, burst=100, run=6).rapid == []
    assert [n for _a, n in q.suspicious(c, burst=100, gap=Decimal(2), run=2).rapid] == [5, 2]
    assert ["连续秒答" in str(r[0]) or r[0] == "Answers in quick succession" for r in q.report_rows(report)] == [True]


def test_open_contests_are_those_of_the_workers_regional_or_industry_tree(sd):
    province = contest(sd)
    industry = contest(sd, bank(sd.metallurgy, name="冶金题库"), org=sd.metallurgy)
    qingdao = contest(sd, bank(sd.qingdao, name="青岛题库"), org=sd.qingdao)
    unpublished = contest(sd, publish=False)
    mine = {c.pk for c in q.open_to(sd.worker_person)}
    assert province.pk in mine and industry.pk in mine
    assert qingdao.pk not in mine and unpublished.pk not in mine
    assert q.may_enter(sd.worker_person, industry) and not q.may_enter(sd.worker_person, qingdao)
