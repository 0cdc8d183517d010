"""Rights cases on the factory province (`sd`): the worker of the steel works' team files on the phone (to the
steel works' union, or to the county when asked), a cadre of 历下区 enters a hotline case of an unorganised
workplace."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from gongjiang.orgs.tests.factories import Province
from gongjiang.rights import services
from gongjiang.rights.models import Case

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"


def pdf(name: str = "工资条.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def phone_case(sd: Province, **kw: Any) -> Case:
    data: dict[str, Any] = {"kind": "wages", "summary": "2026年3月起拖欠工资三个月。", "employer": sd.steel,
                            "people": 3, "migrants": 2, "claimed": Decimal("18000"), **kw}
    return services.file_case(actor=sd.worker, channel="phone", **data)


def hotline_case(sd: Province, **kw: Any) -> Case:
    data: dict[str, Any] = {"kind": "wages", "summary": "工地包工头拖欠农民工工资。", "employer_name": "泉城建筑劳务队",
                            "region": sd.town, "worker_name": "赵大勇", "worker_phone": "13712345678",
                            "people": 12, "migrants": 12, "claimed": Decimal("96000"), **kw}
    return services.file_case(actor=sd.county_cadre, channel="hotline", **data)


def accepted(sd: Province, case: Case, actor: Any = None) -> Case:
    return services.accept_case(actor=actor or sd.county_cadre, case=case)


def closed(sd: Province, case: Case, **kw: Any) -> Case:
    actor = kw.pop("actor", sd.county_cadre)
    if case.step == "filed":
        case = services.accept_case(actor=actor, case=case)
    data = {"result": "resolved", "recovered": Decimal("18000"), "helped": 3, **kw}
    return services.close_case(actor=actor, case=case, **data)
