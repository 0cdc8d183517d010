"""Every verb of the contests part once, through its real service (for tests/test_timelines.py's world): a contest
set up, changed, published, entered and answered, its results published with prizes and certificates; a round's
online theory exam set up, changed, opened, taken and closed with the scores sent to the round."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from gongjiang.competitions import services as cs
from gongjiang.competitions.models import Round
from gongjiang.learning import counters, tickets
from gongjiang.learning.queries import attempts as aq
from gongjiang.learning.services import attempts as engine
from gongjiang.learning.services import contests as services
from gongjiang.learning.services import theory

from .contest_factories import bank, paper_data


def _answer_and_submit(actor: Any, attempt: Any, now: datetime.datetime) -> None:
    ticket = tickets.read(aq.ticket(attempt))
    for shown in aq.paper(attempt):
        engine.answer(actor=ticket, position=shown.position, given="A", now=now)
    engine.submit(actor=actor, attempt=attempt, now=now)


def everything(sd: Any, rnd: Round | None = None) -> None:
    now = timezone.now()
    b = bank(sd.province, name="旅程题库")
    c = services.create_contest(actor=sd.province_admin, org=sd.province, data=paper_data(b, title="旅程竞赛"))
    c = services.edit_contest(actor=sd.province_admin, contest=c, data={"title": "旅程知识竞赛"})
    c = services.publish_contest(actor=sd.province_admin, contest=c)
    attempt = services.enter_contest(actor=sd.worker, contest=c, now=now)
    _answer_and_submit(sd.worker, attempt, now)
    while counters.fold():
        pass
    services.publish_results(actor=sd.province_admin, contest=c, now=c.closes_at + datetime.timedelta(seconds=10))
    if rnd is None:
        return
    if not rnd.entries.filter(person=sd.worker_person).exists():
        cs.register(actor=sd.worker, person=sd.worker_person, rnd=rnd)
    exam = theory.create_theory_exam(actor=sd.province_admin, round_id=rnd.pk,
                                     data=paper_data(b, title="旅程理论考试"))
    exam = theory.edit_theory_exam(actor=sd.province_admin, exam=exam, data={"time_limit": 1200})
    exam = theory.open_theory_exam(actor=sd.province_admin, exam=exam)
    taken = theory.start_theory(actor=sd.worker, exam=exam, now=now + datetime.timedelta(minutes=1))
    _answer_and_submit(sd.worker, taken, now + datetime.timedelta(minutes=2))
    theory.close_theory_exam(actor=sd.province_admin, exam=exam, now=exam.closes_at + datetime.timedelta(seconds=10))
