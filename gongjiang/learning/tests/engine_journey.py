"""Every verb of the attempt engine once (the cross-app timeline test, tests/test_timelines.py): a theory exam's
attempt is started and submitted (the purposes whose start and submission are audited)."""

from __future__ import annotations

from typing import Any

from gongjiang.learning import services
from gongjiang.learning.choices import Purpose
from gongjiang.learning.queries import attempts as queries
from gongjiang.learning.tickets import CLOCK, read

from . import factories as f


def everything(sd: Any) -> None:
    bank = f.bank(sd.province, "理论考试题库", single=3)
    ids = list(bank.questions.values_list("pk", flat=True))
    attempt = services.start(actor=sd.worker, person=sd.worker_person, purpose=Purpose.THEORY, questions=ids,
                             time_limit=600)
    services.answer(actor=read(queries.ticket(attempt)), position=0, given="A")
    services.submit(actor=sd.worker, attempt=attempt)
    services.close_expired(actor=CLOCK)
