"""Every training verb once, on the factory province: what tests/test_timelines.py adds to its world so that each
training audit verb is shown in Chinese words, and what tests/test_scoping_kernel.py adds so that every training
model has 济钢's rows to hide from Qingdao."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from gongjiang.learning.services import training as services
from gongjiang.learning.training_choices import MaterialKind
from gongjiang.learning.training_imports import start_attendee_import

from .training_factories import Training, build, id_of, pdf, xlsx


def everything(sd: Any) -> Training:
    """济钢's union records a session with a file, picks an attendee, imports another, takes one off, corrects the
    session; pairs two workers and finishes the pairing, pairs two others and ends it early; adds a document; the
    worker marks it learnt. Returns the `Training`."""
    tr = build(sd)
    cadre = sd.enterprise_cadre
    day = datetime.date(2026, 5, 11)
    s = tr.session(starts_on=day, ends_on=day)
    services.add_session_files(actor=cadre, session=s, uploads=[pdf()])
    services.add_attendees(actor=cadre, session=s, people=[tr.zhang, sd.worker_person], hours=Decimal(6))
    job = start_attendee_import(actor=cadre, session=s, upload=xlsx([["赵磊", id_of(tr.zhao), "8"]]))
    assert job.state == "done", job.errors
    services.remove_attendee(actor=cadre, session=s, person=tr.zhang)
    services.edit_session(actor=cadre, session=s, topic="焊接安全操作规程培训（第一期）", starts_on=day, ends_on=day,
                          hours=Decimal(8), trade=tr.welder, place="济钢职工培训中心", trainer="孙师傅")
    first = tr.pair(starts_on=day)
    services.finish_pair(actor=cadre, pair=first, on=day + datetime.timedelta(days=100), result="独立顶岗",
                         grade_after=4)
    second = tr.pair(apprentice=tr.zhang, starts_on=day)
    services.end_pair(actor=cadre, pair=second, on=day + datetime.timedelta(days=30), reason="徒弟调岗")
    doc = services.add_material(actor=cadre, org=sd.steel, title="焊接工艺手册", kind=MaterialKind.DOCUMENT,
                                upload=pdf("手册.pdf"), tags=["焊接"])
    services.complete_material(actor=sd.worker, material=doc)
    return tr
