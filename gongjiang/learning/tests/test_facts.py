"""The learning figures in the fact store: what the fold and the training and mentorship verbs add is what the
learning source computes from the rows (`facts.differences(["learning"]) == {}`) — attempts on the day of their
submission in Asia/Shanghai, only once folded; a worker's first attempt and first attempt at a contest; sessions and
person-hours on the session's first day, moved with it; pairs on their start — and the metrics are declared for
the reports."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from gongjiang.learning import counters, services
from gongjiang.learning.choices import Purpose
from gongjiang.learning.queries import attempts as queries
from gongjiang.learning.services import training
from gongjiang.learning.tickets import read
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact
from gongjiang.orgs.tests.factories import person, user

from . import factories as f
from .training_factories import TODAY, build, figure

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
LATE = datetime.datetime(2026, 5, 1, 23, 30, tzinfo=SHANGHAI)  # 15:30 UTC: still 1 May where it is counted
MAY_1, MAY_2 = datetime.date(2026, 5, 1), datetime.date(2026, 5, 2)


def _take(contest, who, account, now):
    attempt = services.start(actor=account, person=who, purpose=Purpose.CONTEST, contest=contest, now=now)
    ticket = read(queries.ticket(attempt))
    services.answer(actor=ticket, position=0, given="A", now=now)
    return services.submit(actor=account, attempt=attempt, now=now + datetime.timedelta(minutes=5))


def test_the_learning_metrics_are_declared_with_chinese_labels_units_and_definitions():
    from django.utils import translation

    declared = {m.key: m for m in facts.metrics() if m.app == "learning"}
    assert set(declared) == {"learning.learners", "learning.attempts", "learning.passes", "learning.contest_takers",
                             "learning.trainings", "learning.training_hours", "learning.mentor_pairs"}
    assert declared["learning.training_hours"].places == 1
    with translation.override("zh-hans"):
        units = {k: str(m.unit) for k, m in declared.items()}
        assert units == {"learning.learners": "人", "learning.attempts": "人次", "learning.passes": "人次",
                         "learning.contest_takers": "人", "learning.trainings": "场", "learning.training_hours": "人时",
                         "learning.mentor_pairs": "对"}
        for m in declared.values():
            assert any("\u4e00" <= c <= "\u9fff" for c in str(m.label)), m.key
            assert any("\u4e00" <= c <= "\u9fff" for c in str(m.definition)), m.key
    assert "learning" in {s.app for s in facts.sources()}


def test_the_fold_adds_what_the_source_counts_on_the_shanghai_day_of_submission(sd):
    bank = f.bank(sd.province, single=5)
    contest = f.contest(sd.province, [bank], draw=[{"count": 3}], opens_at=LATE - datetime.timedelta(hours=1),
                        closes_at=LATE + datetime.timedelta(hours=4))
    qd = user("qd_worker", person=sd.qd_person)
    _take(contest, sd.worker_person, sd.worker, LATE - datetime.timedelta(minutes=20))  # 23:15 on 1 May
    _take(contest, sd.qd_person, qd, LATE + datetime.timedelta(hours=1))  # 00:35 on 2 May (16:35 UTC, 1 May)
    _take(contest, sd.worker_person, sd.worker, LATE + datetime.timedelta(hours=2))  # the worker again, 2 May
    assert counters.fold() == 3
    assert facts.differences(["learning"]) == {}
    first, second = figure(sd.province, MAY_1), figure(sd.province, MAY_2)
    assert first is not None and second is not None
    assert (first.learners, first.attempts, first.contest_takers) == (1, 1, 1)
    assert (second.learners, second.attempts, second.contest_takers) == (1, 2, 1)  # the worker counted once
    assert figure(sd.qingdao, MAY_1) is None and figure(sd.qingdao, MAY_2).attempts == 1
    # submitted, not yet folded: in neither the store nor the source
    other = person(sd.team, "赵六")
    _take(contest, other, user("zhao", person=other), LATE + datetime.timedelta(hours=2, minutes=30))
    assert facts.differences(["learning"]) == {}
    assert figure(sd.province, MAY_2).attempts == 2
    assert counters.fold() == 1
    assert facts.differences(["learning"]) == {} and figure(sd.province, MAY_2).learners == 2
    # the check can fail: a row lost is a difference, and the rebuild puts it back
    Fact.objects.filter(org=sd.jinan, metric="learning.attempts", period="M").delete()
    assert set(facts.differences(["learning"])) == {(sd.jinan.pk, "learning.attempts", "M", MAY_1)}
    counters.rebuild()
    assert facts.differences(["learning"]) == {} and figure(sd.jinan, MAY_2).attempts == 2


def test_the_training_and_mentorship_verbs_add_what_the_source_counts(sd):
    tr = build(sd)
    s = tr.session()
    training.add_attendees(actor=sd.enterprise_cadre, session=s, people=[tr.zhang, tr.zhao])
    training.add_attendees(actor=sd.enterprise_cadre, session=tr.session(topic="班组长培训"), people=[tr.zhang],
                           hours=Decimal("2.5"))
    assert facts.differences(["learning"]) == {}
    later = TODAY + datetime.timedelta(days=40)
    training.edit_session(actor=sd.enterprise_cadre, session=s, topic=s.topic, starts_on=later, ends_on=later,
                          hours=Decimal(6))  # moved, and the attendees' default hours with it
    assert facts.differences(["learning"]) == {}
    training.remove_attendee(actor=sd.enterprise_cadre, session=s, person=tr.zhao)  # taken off the roll
    training.edit_session(actor=sd.enterprise_cadre, session=s, topic=s.topic, starts_on=later, ends_on=later,
                          hours=Decimal("7.5"))  # the same day, other hours
    assert facts.differences(["learning"]) == {}
    pair = tr.pair()
    training.finish_pair(actor=sd.enterprise_cadre, pair=pair, on=TODAY, result="出师")
    training.start_pair(actor=sd.jinan_cadre, org=sd.jinan, mentor=tr.mentor, apprentice=tr.zhang, goals="掌握焊接",
                        starts_on=TODAY)
    assert facts.differences(["learning"]) == {}
    today, moved = figure(sd.province), figure(sd.province, later)
    assert today is not None and moved is not None
    assert (today.trainings, today.training_hours, today.mentor_pairs) == (1, Decimal("2.5"), 2)
    assert (moved.trainings, moved.training_hours) == (1, Decimal("7.5"))
    assert figure(sd.steel).mentor_pairs == 1 and figure(sd.jinan).mentor_pairs == 2
