"""The technical associations' part of the permission matrix (DESIGN §4.7). `TECHASSOC_MATRIX` gives every technical
association verb its right actor and arguments on 济钢's association; test_permission_matrix.py joins it to the other
rows, so each verb is tried by an anonymous visitor, a cadre of another city (Qingdao), a viewer of Jinan and a worker
of 济钢 (周明) — refused, nothing changed — and by the right actor, who succeeds. Here: the appointed 技协 officer of
Jinan runs the associations of Jinan's subtree and nothing else, and every page and POST for the same people."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from gongjiang.core.errors import PermissionDeniedError
from gongjiang.innovation import services
from gongjiang.innovation.choices import ActivityKind, Honour, Post
from gongjiang.innovation.models import TechAssociation

from .factories import Innovation
from .techassoc_factories import Tech, tech
from .test_services import rows

D = Decimal
Row = Callable[[Innovation], tuple[str, dict[str, Any]]]
CADRE = "enterprise_cadre"
DAY = datetime.date(2025, 5, 20)


def _member(inn: Innovation) -> tuple[Tech, Any]:
    ta = tech(inn)
    return ta, ta.join()


def _seat(inn: Innovation) -> tuple[str, dict[str, Any]]:
    ta, li = _member(inn)
    council = ta.council(li)
    seat = services.set_seat(actor=inn.sd.enterprise_cadre, council=council, member=ta.join(ta.welder),
                             post=Post.DIRECTOR)
    return CADRE, {"seat": seat}


def _honour(inn: Innovation) -> tuple[str, dict[str, Any]]:
    _ta, li = _member(inn)
    return CADRE, {"honour": li.honours.get()}


def _planned(inn: Innovation) -> tuple[str, dict[str, Any]]:
    ta = tech(inn)
    a = ta.service(held_on=timezone.localdate() + datetime.timedelta(days=5))
    return CADRE, {"activity": a, "held_on": timezone.localdate(), "participants": 12}


TECHASSOC_MATRIX: dict[str, Row] = {
    "found_association": lambda inn: ("county_cadre", {"org": (tech(inn), inn.sd.lixia)[1],
                                                       "name": "历下区职工技术协会", "founded_on": DAY}),
    "update_association": lambda inn: (CADRE, {"association": tech(inn).steel, "name": "济南钢铁职工技术协会",
                                               "founded_on": DAY, "address": "济南市历城区"}),
    "dissolve_association": lambda inn: (CADRE, {"association": tech(inn).steel, "dissolved_on": timezone.localdate(),
                                                 "reason": "企业改制"}),
    "join_association": lambda inn: (CADRE, {"association": tech(inn).steel, "person": inn.sd.worker_person,
                                             "trade": "炼钢工", "joined_on": DAY}),
    "transfer_member": lambda inn: (lambda ta, li: ("jinan_cadre", {"member": li, "to": ta.jinan,
                                                                    "transferred_on": timezone.localdate()}))(
        *_member(inn)),
    "leave_association": lambda inn: (CADRE, {"member": _member(inn)[1], "left_on": timezone.localdate(),
                                              "reason": "退休"}),
    "add_honour": lambda inn: (CADRE, {"member": _member(inn)[1], "honour": Honour.CRAFTSMAN, "year": 2024}),
    "remove_honour": _honour,
    "start_council": lambda inn: (lambda ta, li: (CADRE, {"association": ta.steel, "number": 1, "starts_on": DAY,
                                                          "ends_on": datetime.date(2030, 5, 19), "chair": li}))(
        *_member(inn)),
    "set_seat": lambda inn: (lambda ta, li: (CADRE, {"council": ta.council(li), "member": ta.join(ta.welder),
                                                     "post": Post.STANDING}))(*_member(inn)),
    "remove_seat": _seat,
    "record_activity": lambda inn: (CADRE, {"association": tech(inn).steel, "kind": ActivityKind.EXCHANGE,
                                            "title": "转炉炼钢技术交流", "held_on": DAY, "unit": inn.sd.workshop,
                                            "participants": 30}),
    "hold_activity": _planned,
    "close_activity": lambda inn: (CADRE, {"activity": tech(inn).service(), "outcome": "客户验收合格"}),
}


# ---------------------------------------------------------------------------------------------
# The appointed officer


def test_the_officer_runs_jinans_associations_and_nothing_else(ta: Tech):
    sd = ta.sd
    li = ta.join(actor=ta.officer)  # 济钢 lies in Jinan's subtree
    services.record_activity(actor=ta.officer, association=ta.jinan, kind=ActivityKind.EXCHANGE, title="技术交流",
                             held_on=DAY, unit=sd.lixia)
    ta.council(li)  # by the union's cadre
    for call in (
        lambda: ta.join(sd.qd_person, association=ta.qingdao, actor=ta.officer),
        lambda: services.record_activity(actor=ta.officer, association=ta.province, kind=ActivityKind.EXCHANGE,
                                         title="省技协交流", held_on=DAY, unit=sd.province),
        lambda: services.dissolve_association(actor=ta.officer, association=ta.steel, dissolved_on=DAY, reason="x"),
        lambda: services.found_association(actor=ta.officer, org=sd.lixia, name="历下区技协", founded_on=DAY),
    ):
        before = rows()
        with pytest.raises(PermissionDeniedError):
            call()
        assert rows() == before
    assert set(TechAssociation.objects.for_user(ta.officer)) == {ta.jinan, ta.steel}
    assert not TechAssociation.objects.for_user(ta.officer, "manage").exists()


def test_an_ended_appointment_ends_the_officers_reach(ta: Tech):
    from gongjiang.innovation.models import Appointment

    services.end_appointment(actor=ta.sd.jinan_cadre, appointment=Appointment.objects.get(user=ta.officer))
    with pytest.raises(PermissionDeniedError):
        ta.join(actor=ta.officer)


# ---------------------------------------------------------------------------------------------
# The pages


def _pages(ta: Tech) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, url, data) of every page and POST of 济钢's association, with data the right cadre would send."""
    a = ta.steel
    member = a.members.first()
    activity = a.activities.first()
    return [
        ("get", reverse("innovation:techassoc_detail", args=[a.pk]), {}),
        ("get", reverse("innovation:techassoc_members", args=[a.pk]), {}),
        ("get", reverse("innovation:techassoc_activities", args=[a.pk]), {}),
        ("get", reverse("innovation:techassoc_activity", args=[a.pk, activity.pk]), {}),
        ("post", reverse("innovation:techassoc_edit", args=[a.pk]),
         {"name": "济钢职工技术协会", "founded_on": "2015-05-01"}),
        ("post", reverse("innovation:techassoc_join", args=[a.pk]),
         {"name": "王焊", "trade": "焊工", "joined_on": "2025-01-01"}),
        ("post", reverse("innovation:techassoc_honour", args=[a.pk, member.pk]),
         {"honour": Honour.CRAFTSMAN, "year": "2024"}),
        ("post", reverse("innovation:techassoc_council", args=[a.pk]),
         {"number": "1", "starts_on": "2025-01-01", "ends_on": "2029-12-31", "chair": "王焊"}),
        ("post", reverse("innovation:techassoc_activity_new", args=[a.pk]),
         {"kind": "exchange", "title": "技术交流", "held_on": "2025-02-01", "unit": ta.sd.steel.pk,
          "participants": "20"}),
        ("post", reverse("innovation:techassoc_activity_close", args=[a.pk, activity.pk]), {"outcome": "验收合格"}),
        ("post", reverse("innovation:techassoc_leave", args=[a.pk, member.pk]),
         {"left_on": timezone.localdate().isoformat(), "reason": "退休"}),
    ]


@pytest.fixture
def world(ta: Tech) -> Tech:
    ta.join()
    ta.service()
    return ta


def _call(client, method: str, url: str, data: dict[str, Any]):
    return client.get(url) if method == "get" else client.post(url, data)


def test_an_anonymous_visitor_is_sent_to_log_in_everywhere(client, world):
    before = rows()
    for method, url, data in [*_pages(world), ("get", reverse("innovation:techassoc_list"), {})]:
        r = _call(client, method, url, data)
        assert r.status_code == 302 and "/login" in r["Location"], url
    assert rows() == before


@pytest.mark.parametrize("persona", ["qingdao_cadre", "colleague"])
def test_another_city_and_a_worker_find_nothing(client, world, persona):
    client.force_login(world.inn.colleague_user if persona == "colleague" else world.sd.qingdao_cadre)
    before = rows()
    for method, url, data in _pages(world):
        assert _call(client, method, url, data).status_code == 404, url
    assert rows() == before
    assert "济钢职工技术协会" not in client.get(reverse("innovation:techassoc_list")).content.decode()


def test_a_viewer_reads_and_changes_nothing(client, world):
    client.force_login(world.sd.jinan_viewer)
    before = rows()
    for method, url, data in _pages(world):
        assert _call(client, method, url, data).status_code == (200 if method == "get" else 403), url
    assert rows() == before
    page = client.get(reverse("innovation:techassoc_detail", args=[world.steel.pk])).content.decode()
    assert 'id="join"' not in page


@pytest.mark.parametrize("persona", ["enterprise_cadre", "officer"])
def test_the_union_cadre_and_the_officer_do_everything_through_the_pages(client, world, persona):
    client.force_login(world.officer if persona == "officer" else world.sd.enterprise_cadre)
    for method, url, data in _pages(world):
        r = _call(client, method, url, data)
        assert r.status_code in (200, 302), (url, r.status_code)
        if method == "post":
            follow = client.get(r["Location"])
            errors = [str(m) for m in follow.context["messages"] if m.level_tag == "error"]
            assert not errors, (url, errors)
    assert world.steel.members.filter(left_on__isnull=True).count() == 1  # 王焊 joined, 李强 left
    assert world.steel.councils.count() == 1 and world.steel.activities.count() == 2
