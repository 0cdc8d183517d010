"""The assessments' permission matrix (DESIGN §4.7): every verb of `assessments.services` is tried, in the state
where the right actor succeeds, by an anonymous visitor, a cadre of another city (Qingdao), a county cadre below
Jinan, a viewer of Jinan and a worker. Each is refused with PermissionDeniedError and nothing changes; then the right
actor succeeds from the same state. A verb added without its row fails the last test."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile

from gongjiang.assessments import services
from gongjiang.assessments.models import Answer, Appeal, Campaign, Evidence, Rubric, Sheet
from gongjiang.assessments.samples import CITY_RUBRIC
from gongjiang.core.errors import PermissionDeniedError
from gongjiang.core.models import AuditEvent

from .factories import Assessments

Row = Callable[[Assessments], tuple[str, dict[str, Any]]]
ADMIN = "province_admin"
WRONG = ["anonymous", "qingdao_cadre", "county_cadre", "jinan_viewer", "worker"]


def _submitted(aw: Assessments) -> Sheet:
    return aw.fill(aw.sd.jinan)


def _published(aw: Assessments) -> Sheet:
    aw.fill(aw.sd.jinan), aw.fill(aw.sd.qingdao)
    aw.confirm(aw.sd.jinan), aw.confirm(aw.sd.qingdao)
    services.rank_campaign(actor=aw.sd.province_admin, campaign=aw.campaign)
    services.publish_campaign(actor=aw.sd.province_admin, campaign=aw.campaign)
    return aw.sheet(aw.sd.jinan)


def _ranked(aw: Assessments) -> tuple[str, dict[str, Any]]:
    aw.fill(aw.sd.jinan), aw.fill(aw.sd.qingdao)
    aw.confirm(aw.sd.jinan), aw.confirm(aw.sd.qingdao)
    services.rank_campaign(actor=aw.sd.province_admin, campaign=aw.campaign)
    return ADMIN, {"campaign": aw.campaign}


def _appeal(aw: Assessments) -> tuple[str, dict[str, Any]]:
    sheet = _published(aw)
    appeal = services.file_appeal(actor=aw.sd.jinan_cadre, sheet=sheet, reason="B1 计数有误")
    return ADMIN, {"appeal": appeal, "outcome": "dismissed", "reply": "经核实计数无误"}


def _returned_item(aw: Assessments) -> tuple[str, dict[str, Any]]:
    sheet = _submitted(aw)
    services.review_item(actor=aw.sd.province_admin, sheet=sheet, item="C2", decision="returned", reason="补材料")
    return ADMIN, {"sheet": sheet}


def _reviewed(aw: Assessments) -> tuple[str, dict[str, Any]]:
    sheet = _submitted(aw)
    for a in sheet.answers.all():
        services.review_item(actor=aw.sd.province_admin, sheet=sheet, item=a.item, decision="accepted")
    return ADMIN, {"sheet": sheet}


def _jinan_only(aw: Assessments) -> tuple[str, dict[str, Any]]:
    campaign = services.open_campaign(actor=aw.sd.province_admin, rubric=aw.rubric, org=aw.sd.province,
                                      year=aw.year, title="济南专项考核", assessed=[aw.sd.jinan])
    return "jinan_cadre", {"campaign": campaign}


MATRIX: dict[str, Row] = {
    "define_rubric": lambda aw: (ADMIN, {"org": aw.sd.province, "title": "新细则", "definition": CITY_RUBRIC}),
    "revise_rubric": lambda aw: (ADMIN, {"rubric": aw.rubric, "definition": CITY_RUBRIC}),
    "open_campaign": lambda aw: (ADMIN, {"rubric": aw.rubric, "org": aw.sd.province, "year": aw.year,
                                         "title": "另一考核", "assessed": [aw.sd.jinan]}),
    "refresh_figures": _jinan_only,
    "save_answers": lambda aw: ("jinan_cadre", {"sheet": aw.sheet(aw.sd.jinan), "answers": {"A1": {"value": "优"}}}),
    "add_evidence": lambda aw: ("jinan_cadre", {"sheet": aw.sheet(aw.sd.jinan), "item": "A2", "uploads": [
        SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 x", content_type="application/pdf")]}),
    "submit_sheet": lambda aw: ("jinan_cadre", {"sheet": services.save_answers(
        actor=aw.sd.jinan_cadre, sheet=aw.sheet(aw.sd.jinan),
        answers={k: {"value": v} for k, v in {"A1": "优", "A2": "是", "B2": "优", "C2": "优", "E1": "0", "X1": "0",
                                               "X2": "0", "V1": "否"}.items()})}),
    "review_item": lambda aw: (ADMIN, {"sheet": _submitted(aw), "item": "B1", "decision": "accepted"}),
    "return_sheet": _returned_item,
    "confirm_sheet": _reviewed,
    "rank_campaign": _ranked,
    "publish_campaign": lambda aw: (_ranked(aw)[0], {"campaign": aw.campaign}),
    "file_appeal": lambda aw: ("jinan_cadre", {"sheet": _published(aw), "reason": "申诉理由"}),
    "decide_appeal": _appeal,
}


def state():
    return (AuditEvent.objects.count(), Rubric.objects.count(), Campaign.objects.count(),
            list(Sheet.objects.order_by("id").values_list("state", "total", "rank")),
            list(Answer.objects.order_by("id").values_list("value", "review", "reviewed")),
            Evidence.objects.count(), list(Appeal.objects.values_list("outcome", flat=True)))


def actor(aw: Assessments, who: str) -> Any:
    return AnonymousUser() if who == "anonymous" else getattr(aw.sd, who)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_verb_refuses_the_wrong_actors_and_changes_nothing(aw, name, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    _right, kwargs = MATRIX[name](aw)
    before = state()
    for who in WRONG:
        with pytest.raises(PermissionDeniedError):
            getattr(services, name)(actor=actor(aw, who), **kwargs)
        assert state() == before, f"{name} by {who} changed something"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_right_actor_succeeds(aw, name, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    right, kwargs = MATRIX[name](aw)
    assert getattr(services, name)(actor=actor(aw, right), **kwargs) is not None


def test_every_verb_has_its_row():
    verbs = {n for n, f in inspect.getmembers(services, inspect.isfunction) if n in services.__all__}
    assert verbs == set(MATRIX)
