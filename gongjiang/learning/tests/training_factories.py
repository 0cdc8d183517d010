"""Builders of the training tests: the factory province (`sd`) with a few workers at 济钢 and in Qingdao, a session of
济钢's union, a pair and materials of the province and of 济钢. Each test module makes the fixture `tr` with `build`."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from gongjiang.core.crypto import decrypt
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact, Occupation, Person
from gongjiang.orgs.tests.factories import Province, person

from ..models import MentorPair, TrainingSession
from ..queries.figures import KEYS, Totals
from ..services import training as services

TODAY = datetime.date(2026, 5, 11)


@dataclass
class Training:
    sd: Province
    welder: Occupation
    steelmaker: Occupation
    zhang: Person  # 济钢 炼钢车间
    zhao: Person  # 济钢 炼钢一班
    mentor: Person  # 济钢, a senior technician

    def session(self, **kw: Any) -> TrainingSession:
        args = {"org": self.sd.steel, "topic": "焊接安全操作规程培训", "starts_on": TODAY, "ends_on": TODAY,
                "hours": Decimal("8"), "trade": self.welder, "trainer": "孙师傅", "place": "济钢职工培训中心", **kw}
        return services.record_session(actor=self.sd.enterprise_cadre, **args)

    def pair(self, **kw: Any) -> MentorPair:
        args = {"org": self.sd.steel, "mentor": self.mentor, "apprentice": self.zhao, "goals": "一年内掌握转炉操作",
                "starts_on": TODAY, "trade": self.steelmaker, **kw}
        return services.start_pair(actor=self.sd.enterprise_cadre, **args)


def build(sd: Province) -> Training:
    welder = Occupation.objects.get(code="6-18-02-04")
    steelmaker = Occupation.objects.get(code="6-17-02-02")
    return Training(sd=sd, welder=welder, steelmaker=steelmaker,
                    zhang=person(sd.workshop, "张伟", trade=welder, skill_grade=4),
                    zhao=person(sd.team, "赵磊", trade=steelmaker, skill_grade=5),
                    mentor=person(sd.steel, "孙建国", trade=steelmaker, skill_grade=1))


def figure(org: Any, day: datetime.date = TODAY) -> Totals | None:
    """The org's learning figures of the day in the fact store (None when it holds no row of them)."""
    found = facts.values([org.pk], KEYS, "D", day)
    return Totals.of({metric: value for (_org, metric), value in found.items()}) if found else None


def learning_facts() -> list[tuple[Any, ...]]:
    """Every learning row of the fact store that is not zero (org, metric, period, start, value), sorted."""
    return sorted(Fact.objects.filter(metric__in=KEYS).exclude(value=0).values_list(
        "org_id", "metric", "period", "start", "value"))


def id_of(p: Person) -> str:
    return decrypt(p.id_encrypted)


def xlsx(rows: list[list[Any]], headers: tuple[str, ...] = ("姓名", "身份证号", "学时"),
         name: str = "参训名单.xlsx") -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())


def pdf(name: str = "课件.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"x" * 200, content_type="application/pdf")
