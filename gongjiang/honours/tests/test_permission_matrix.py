"""The honours permission matrix (DESIGN §4.7): every verb of `honours.services` is tried, in the state where the
right actor succeeds, by an anonymous visitor, a cadre of another city (Qingdao), a viewer of Jinan and a worker of
济钢. Each is refused with PermissionDeniedError and nothing changes (no honours row, no audit event). A second test
proves each row: the right actor succeeds from the same state. A third fails when a verb is added without its row.
Cadres act only in their subtree: a county cadre cannot change the city's split, nor Qingdao Jinan's nominations."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from gongjiang.core.errors import PermissionDeniedError
from gongjiang.honours import services
from gongjiang.honours.choices import Material, Subject
from gongjiang.honours.models import HonourType
from gongjiang.honours.rules.quotas import Share

from .factories import DEEDS, Honours, pdf
from .studio_matrix import BELOW_OR_BESIDE, STUDIO_ROWS
from .test_services import rows

Row = Callable[[Honours], tuple[str, dict[str, Any]]]  # (right actor's persona, the verb's arguments)
ADMIN = "province_admin"


def _submitted(hw: Honours) -> tuple[str, dict[str, Any]]:
    n = hw.team_nomination()
    services.submit_nomination(actor=hw.sd.enterprise_cadre, nomination=n)
    return "enterprise_cadre", {"nomination": n}


MATRIX: dict[str, Row] = {
    "define_honour_type": lambda hw: (ADMIN, {"code": "x_honour", "name": "新荣誉", "level": "province",
                                              "subject": "person"}),
    "change_honour_type": lambda hw: (ADMIN, {"honour_type": HonourType.objects.get(code="gold_worker"),
                                              "max_age": 58}),
    "create_campaign": lambda hw: (ADMIN, {"honour_type": HonourType.objects.get(code="province_may_day_award"),
                                           "org": hw.sd.province, "year": timezone.localdate().year,
                                           "title": "省五一劳动奖状评选", "opens_on": timezone.localdate(),
                                           "submit_until": timezone.localdate(), "total": 5}),
    "allocate_quotas": lambda hw: ("jinan_cadre", {"allocation": hw.share(hw.sd.jinan),
                                                   "shares": {hw.sd.lixia: Share(4, {"non_public": 2,
                                                                                     "front_line": 4})}}),
    "nominate": lambda hw: ("enterprise_cadre", {"campaign": hw.pioneer, "unit": hw.sd.steel,
                                                 "subject": Subject.COLLECTIVE, "nominee_org": hw.sd.team}),
    "update_nomination": lambda hw: ("enterprise_cadre", {"nomination": hw.team_nomination(complete=False),
                                                          "deeds": DEEDS}),
    "add_nomination_files": lambda hw: ("enterprise_cadre", {"nomination": hw.team_nomination(complete=False),
                                                             "kind": Material.FORM, "uploads": [pdf()]}),
    "submit_nomination": lambda hw: ("enterprise_cadre", {"nomination": hw.team_nomination()}),
    "withdraw_nomination": _submitted,
}
MATRIX.update(STUDIO_ROWS)
OUTSIDERS = ("anonymous", "qingdao_cadre", "jinan_viewer", "worker")


def actor(hw: Honours, persona: str) -> Any:
    if persona == "anonymous":
        return AnonymousUser()
    return getattr(hw, persona, None) or getattr(hw.sd, persona)


def verbs() -> dict[str, Any]:
    return {name: fn for name, fn in inspect.getmembers(services, inspect.isfunction) if not name.startswith("_")}


def test_every_verb_has_a_row():
    assert set(verbs()) == set(MATRIX)


@pytest.mark.parametrize("persona", OUTSIDERS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_an_outsider_is_refused_and_nothing_changes(hw, name, persona):
    _right, kwargs = MATRIX[name](hw)
    before = rows()
    with pytest.raises(PermissionDeniedError) as refused:
        verbs()[name](actor=actor(hw, persona), **kwargs)
    assert refused.value.status == 403
    assert rows() == before


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_right_actor_succeeds(hw, name):
    right, kwargs = MATRIX[name](hw)
    before = rows()
    assert verbs()[name](actor=actor(hw, right), **kwargs) is not None
    assert rows() != before


@pytest.mark.parametrize("name", ["allocate_quotas", "update_nomination", "submit_nomination"])
def test_a_cadre_below_or_beside_is_refused(hw, name):
    """The county cadre (历下, under Jinan) may not change Jinan's split; the private enterprise's cadre (历下 too)
    may not touch 济钢's nomination."""
    _right, kwargs = MATRIX[name](hw)
    who = hw.sd.county_cadre if name == "allocate_quotas" else hw.private_cadre
    before = rows()
    with pytest.raises(PermissionDeniedError):
        verbs()[name](actor=who, **kwargs)
    assert rows() == before


@pytest.mark.parametrize("name", sorted(BELOW_OR_BESIDE))
def test_a_cadre_below_or_beside_the_studios_union_is_refused(hw, name):
    """Jinan may not confirm or revoke a provincial studio, the host union may not suspend it, a neighbouring
    enterprise may not keep it."""
    _right, kwargs = MATRIX[name](hw)
    before = rows()
    with pytest.raises(PermissionDeniedError):
        verbs()[name](actor=actor(hw, BELOW_OR_BESIDE[name]), **kwargs)
    assert rows() == before
