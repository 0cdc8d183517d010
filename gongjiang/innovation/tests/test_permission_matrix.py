"""The innovation permission matrix (DESIGN §4.7): every verb of `innovation.services` is tried, on a proposal of
济钢 in the state where the right actor succeeds, by an anonymous visitor, a cadre of another city (Qingdao), a
viewer of the right subtree (Jinan) and a worker of the same enterprise who is not a proposer (周明). Each is refused
with PermissionDeniedError and nothing changes (no innovation row, no audit event, no message). A second test proves
each row: the right actor succeeds from the same state. A third fails when a verb is added without its row."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from gongjiang.core.errors import PermissionDeniedError
from gongjiang.innovation import services
from gongjiang.innovation.choices import Category, Duty, Opinion, State
from gongjiang.innovation.models import Appointment, Assignment

from .factories import Innovation, pdf
from .test_calls_permissions import CALL_MATRIX
from .test_exhibition_permissions import EXHIBITION_MATRIX
from .test_projects_permissions import PROJECT_MATRIX
from .test_services import rows
from .test_techassoc_permissions import TECHASSOC_MATRIX

D = Decimal
POLICY = dict(share_percent=D(5), cap=D(50000), point_value=D(100), first_benefit=D(500000),
              second_benefit=D(100000), third_benefit=D(10000), first_score=90, second_score=80, third_score=70,
              first_points=20, second_points=10, third_points=5, encouragement_points=1)

Row = Callable[[Innovation], tuple[str, dict[str, Any]]]  # (right actor's persona, the verb's arguments)


def _at(state: str) -> Callable[[Innovation], Any]:
    return lambda inn: inn.bring(inn.submit(), state)


def _valuation(inn: Innovation) -> tuple[str, dict[str, Any]]:
    p = _at(State.EVALUATING)(inn)
    return "valuator", {"assignment": Assignment.objects.get(proposal=p), "opinion": Opinion.ADOPT, "score": 80}


def _adopt(inn: Innovation) -> tuple[str, dict[str, Any]]:
    p = _at(State.EVALUATING)(inn)
    services.submit_valuation(actor=inn.valuator, assignment=Assignment.objects.get(proposal=p),
                              opinion=Opinion.ADOPT, score=80)
    return "enterprise_cadre", {"proposal": p, "forecast": D(1000)}


def _hand_over(inn: Innovation) -> tuple[str, dict[str, Any]]:
    _at(State.EVALUATING)(inn)
    return "enterprise_cadre", {"org": inn.sd.steel, "leaving": inn.valuator, "successor": inn.second_valuator}


def _record(inn: Innovation) -> tuple[str, dict[str, Any]]:
    return "enterprise_cadre", {"proposal": _at(State.IMPLEMENTING)(inn), "gross": D(5000), "cost": D(0),
                                "evidence": [pdf()]}


def _sign_off(inn: Innovation) -> tuple[str, dict[str, Any]]:
    p = _at(State.IMPLEMENTING)(inn)
    services.record_benefit(actor=inn.sd.enterprise_cadre, proposal=p, gross=D(5000), cost=D(0), evidence=[pdf()])
    return "finance", {"proposal": p}


MATRIX: dict[str, Row] = {
    "submit_proposal": lambda inn: ("worker", {
        "title": "行车钢丝绳自动润滑装置", "problem": "钢丝绳润滑靠人工，危险且不均匀。",
        "solution": "加装自动润滑装置，定时定量给油。", "category": Category.SAFETY}),
    "add_attachments": lambda inn: ("worker", {"proposal": inn.submit(), "files": [pdf()]}),
    "accept_proposal": lambda inn: ("enterprise_cadre", {"proposal": inn.submit()}),
    "reject_proposal": lambda inn: ("enterprise_cadre", {"proposal": inn.submit(), "reason": "重复"}),
    "assign_valuators": lambda inn: ("enterprise_cadre", {"proposals": [_at(State.ACCEPTED)(inn)],
                                                          "valuators": [inn.valuator]}),
    "hand_over_valuations": _hand_over,
    "submit_valuation": _valuation,
    "adopt_proposal": _adopt,
    "start_implementation": lambda inn: ("enterprise_cadre", {"proposal": _at(State.ADOPTED)(inn)}),
    "record_benefit": _record,
    "sign_off_benefit": _sign_off,
    "revise_forecast": lambda inn: ("finance", {"proposal": _at(State.ADOPTED)(inn), "forecast": D(9000),
                                                "forecast_soft": "", "reason": "重新测算"}),
    "pay_reward": lambda inn: ("enterprise_cadre", {"proposal": _at(State.ACCOUNTED)(inn)}),
    "archive_proposal": lambda inn: ("enterprise_cadre", {"proposal": _at(State.REWARDED)(inn)}),
    "set_reward_policy": lambda inn: ("enterprise_cadre", {"org": inn.sd.steel, **POLICY}),
    "appoint": lambda inn: ("jinan_cadre", {"org": inn.sd.steel, "user": inn.sd.county_cadre,
                                            "duty": Duty.VALUATOR}),
    "end_appointment": lambda inn: ("jinan_cadre", {"appointment": Appointment.objects.get(user=inn.second_valuator)}),
}
MATRIX.update(PROJECT_MATRIX)  # the innovation projects' verbs (test_projects_permissions.py)
MATRIX.update(CALL_MATRIX)  # the achievement calls' verbs (test_calls_permissions.py)
MATRIX.update(TECHASSOC_MATRIX)  # the technical associations' verbs (test_techassoc_permissions.py)
MATRIX.update(EXHIBITION_MATRIX)  # the 6·18 exhibition's verbs (test_exhibition_permissions.py)
OUTSIDERS = ("anonymous", "qingdao_cadre", "jinan_viewer", "worker")


def actor(inn: Innovation, persona: str) -> Any:
    if persona == "anonymous":
        return AnonymousUser()
    if persona == "worker":
        return inn.colleague_user  # 周明: same enterprise, not a proposer
    return getattr(inn, persona, None) or getattr(inn.sd, persona)


def verbs() -> dict[str, Any]:
    return {name: fn for name, fn in inspect.getmembers(services, inspect.isfunction) if not name.startswith("_")}


# Verbs whose actor is a signed ticket, not an account: test_send.py proves who may use them (a forged, cut or expired
# ticket, a switched-off account); here, that no account or visitor can call them in a ticket's place.
TICKET_VERBS = {"send_proposal"}


def test_every_verb_has_a_row():
    assert set(verbs()) == set(MATRIX) | TICKET_VERBS


@pytest.mark.parametrize("persona", [*OUTSIDERS, "enterprise_cadre"])
def test_a_ticket_verb_refuses_any_account(inn, persona):
    before = rows()
    with pytest.raises(PermissionDeniedError):
        services.send_proposal(actor=actor(inn, persona), title="行车钢丝绳自动润滑装置",
                               problem="钢丝绳润滑靠人工，危险且不均匀。", solution="加装自动润滑装置，定时定量给油。",
                               category=Category.SAFETY)
    assert rows() == before


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_an_outsider_is_refused_and_nothing_changes(inn, name, persona):
    _right, kwargs = MATRIX[name](inn)
    if name == "submit_proposal" and persona == "worker":
        pytest.skip("every worker may submit their own proposal")
    who = actor(inn, persona)
    before = rows()
    with pytest.raises(PermissionDeniedError) as refused:
        verbs()[name](actor=who, **kwargs)
    assert refused.value.status == 403
    assert rows() == before


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_right_actor_succeeds(inn, name):
    right, kwargs = MATRIX[name](inn)
    before = rows()
    assert verbs()[name](actor=actor(inn, right) if right != "worker" else inn.sd.worker, **kwargs) is not None
    assert rows() != before
