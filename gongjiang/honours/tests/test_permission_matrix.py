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

from .factories import DEEDS, Honours, holder, pdf
from .panel_factories import MATRIX_ROWS as PANEL_ROWS
from .studio_matrix import BELOW_OR_BESIDE, STUDIO_ROWS
from .test_services import rows

Row = Callable[[Honours], tuple[str, dict[str, Any]]]  # (right actor's persona, the verb's arguments)
ADMIN = "province_admin"


def _submitted(hw: Honours) -> tuple[str, dict[str, Any]]:
    n = hw.team_nomination()
    services.submit_nomination(actor=hw.sd.enterprise_cadre, nomination=n)
    return "enterprise_cadre", {"nomination": n}


def _at_county(hw: Honours) -> Any:
    n = hw.team_nomination()
    services.submit_nomination(actor=hw.sd.enterprise_cadre, nomination=n)
    return n


def _shortlisted(hw: Honours) -> Any:
    n = _at_county(hw)
    for who in (hw.sd.county_cadre, hw.sd.jinan_cadre, hw.sd.province_admin):
        services.forward_nomination(actor=who, nomination=n)
    return n


def _objection(hw: Honours) -> tuple[str, dict[str, Any]]:
    from gongjiang.core import notices

    _shortlisted(hw)
    notice = services.publish_shortlist(actor=hw.sd.province_admin, campaign=hw.pioneer)
    o = notices.file_objection(notice=notice, name="王某", contact="13900000000", subject="炼钢一班",
                               reason="事迹不实", client="1.2.3.4")
    return ADMIN, {"campaign": hw.pioneer, "objection": o, "outcome": "dismissed", "reply": "经核实异议不成立"}


def _ended(hw: Honours) -> tuple[str, dict[str, Any]]:
    import datetime

    _shortlisted(hw)
    notice = services.publish_shortlist(actor=hw.sd.province_admin, campaign=hw.pioneer)
    notice.starts_on = timezone.localdate() - datetime.timedelta(days=10)
    notice.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    notice.save(update_fields=["starts_on", "ends_on"])
    return ADMIN, {"campaign": hw.pioneer}


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
    # the review: the county decides first (the city, the province and others are refused: test_review_services)
    "forward_nomination": lambda hw: ("county_cadre", {"nomination": _at_county(hw)}),
    "forward_nominations": lambda hw: ("county_cadre", {"nominations": [_at_county(hw)]}),
    "return_nomination": lambda hw: ("county_cadre", {"nomination": _at_county(hw), "reason": "材料不全"}),
    "reject_nomination": lambda hw: ("county_cadre", {"nomination": _at_county(hw), "reason": "不符合条件"}),
    "publish_shortlist": lambda hw: (ADMIN, {"campaign": _shortlisted(hw).campaign}),
    "decide_shortlist_objection": _objection,
    "confer_honours": _ended,
    **PANEL_ROWS,  # review panels (panel_factories)
    # the roster: the unit's unions record a status; the conferring level revokes; a union's staff export
    "record_holder_status": lambda hw: ("enterprise_cadre", {
        "holder": holder("province_may_day_medal", person=hw.sd.worker_person), "status": "retired",
        "on": timezone.localdate()}),
    "revoke_honour": lambda hw: (ADMIN, {
        "holder": holder("province_may_day_medal", person=hw.sd.worker_person), "reason": "申报材料弄虚作假",
        "document": "鲁工发〔2026〕12号", "body": hw.sd.province}),
    "record_holder_export": lambda hw: ("jinan_cadre", {"org": hw.sd.jinan, "rows": 3}),
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


@pytest.mark.parametrize("name", ["forward_nomination", "return_nomination", "reject_nomination",
                                  "forward_nominations"])
def test_a_cadre_above_the_deciding_level_is_refused(hw, name):
    """Level by level: the city (and the province) wait for the county's decision; they do not take it."""
    _right, kwargs = MATRIX[name](hw)
    for who in (hw.sd.jinan_cadre, hw.sd.province_admin, hw.sd.enterprise_cadre):
        before = rows()
        with pytest.raises(PermissionDeniedError):
            verbs()[name](actor=who, **kwargs)
        assert rows() == before


@pytest.mark.parametrize("name", ["publish_shortlist", "decide_shortlist_objection", "confer_honours"])
def test_a_city_cadre_does_not_act_for_the_organiser(hw, name):
    _right, kwargs = MATRIX[name](hw)
    before = rows()
    with pytest.raises(PermissionDeniedError):
        verbs()[name](actor=hw.sd.jinan_cadre, **kwargs)
    assert rows() == before
def test_a_city_cannot_revoke_a_provincial_title_nor_another_city_record_a_status(hw):
    """The province confers 省五一劳动奖章 and alone revokes it: Jinan (above the unit) is refused; Qingdao may not
    record the retirement of Jinan's holder; the county below may."""
    h = holder("province_may_day_medal", person=hw.sd.worker_person)
    before = rows()
    with pytest.raises(PermissionDeniedError):
        verbs()["revoke_honour"](actor=hw.sd.jinan_cadre, holder=h, reason="申报材料弄虚作假", document="济工发1号",
                                 body=hw.sd.province)
    with pytest.raises(PermissionDeniedError):
        verbs()["record_holder_status"](actor=hw.sd.qingdao_cadre, holder=h, status="retired",
                                        on=timezone.localdate())
    assert rows() == before
    verbs()["record_holder_status"](actor=hw.sd.county_cadre, holder=h, status="retired", on=timezone.localdate())


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
