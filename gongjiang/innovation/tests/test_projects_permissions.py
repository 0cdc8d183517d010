"""The innovation projects' part of the permission matrix (DESIGN §4.7). `PROJECT_MATRIX` gives every project verb
its right actor and arguments; test_permission_matrix.py joins it to the proposals' rows, so each verb is tried by an
anonymous visitor, a cadre of another city (Qingdao), a viewer of the right subtree (Jinan) and a worker of the same
enterprise who is on no project (周明) — refused, nothing changed — and by the right actor, who succeeds. Here: every
project page and POST, for the same people and for the project's own leader (a worker who may read, not decide)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from gongjiang.innovation import services
from gongjiang.innovation.choices import Holder, ProjectRole, Stage
from gongjiang.innovation.models import Project, ProjectFile

from .factories import Innovation, pdf
from .project_factories import project
from .test_services import rows

D = Decimal
Row = Callable[[Innovation], tuple[str, dict[str, Any]]]
CADRE = "enterprise_cadre"


def _milestone(inn: Innovation) -> tuple[str, dict[str, Any]]:
    m = services.add_milestone(actor=inn.sd.enterprise_cadre, project=project(inn), title="完成方案论证",
                               due=timezone.localdate())
    return CADRE, {"milestone": m, "done_on": timezone.localdate()}


def _member(inn: Innovation) -> tuple[str, dict[str, Any]]:
    m = services.set_project_member(actor=inn.sd.enterprise_cadre, project=project(inn), person=inn.colleague,
                                    role=ProjectRole.MEMBER)
    return CADRE, {"member": m}


def _spending(inn: Innovation) -> tuple[str, dict[str, Any]]:
    p = services.set_project_funding(actor=inn.sd.enterprise_cadre, project=project(inn), requested=D(30000),
                                     granted=D(30000))
    return CADRE, {"project": p, "spent_on": timezone.localdate(), "amount": D(5000), "purpose": "样机材料"}


PROJECT_MATRIX: dict[str, Row] = {
    "create_project": lambda inn: (CADRE, {"org": inn.sd.team, "holder": Holder.TEAM, "title": "钢包耐材寿命提升",
                                           "problem": "钢包耐材平均寿命只有90炉，消耗大。",
                                           "leader": inn.sd.worker_person}),
    "advance_project": lambda inn: (CADRE, {"project": project(inn), "stage": Stage.APPROVED, "reason": "同意立项"}),
    "stop_project": lambda inn: (CADRE, {"project": project(inn), "reason": "技术路线不可行"}),
    "set_project_progress": lambda inn: (CADRE, {"project": project(inn), "progress": 30}),
    "add_milestone": lambda inn: (CADRE, {"project": project(inn), "title": "样机试制",
                                          "due": datetime.date(2030, 6, 30)}),
    "complete_milestone": _milestone,
    "set_project_member": lambda inn: (CADRE, {"project": project(inn), "person": inn.colleague,
                                               "role": ProjectRole.CORE}),
    "remove_project_member": _member,
    "set_project_funding": lambda inn: (CADRE, {"project": project(inn), "requested": D(30000),
                                                "granted": D(25000)}),
    "add_spending": _spending,
    "add_project_files": lambda inn: (CADRE, {"project": project(inn), "files": [pdf("调研报告.pdf")]}),
}


# ---------------------------------------------------------------------------------------------
# The pages

def _pages(p: Project, f: ProjectFile) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, url, data) of every project page and POST, with data the right cadre would send."""
    m = p.milestones.first()
    member = p.members.exclude(role=ProjectRole.LEADER).first()
    return [
        ("get", reverse("innovation:project_detail", args=[p.pk]), {}),
        ("get", reverse("innovation:project_file", args=[p.pk, f.pk]), {}),
        ("post", reverse("innovation:project_advance", args=[p.pk]), {"stage": "approved", "reason": "同意立项"}),
        ("post", reverse("innovation:project_stop", args=[p.pk]), {"stop-reason": "不可行"}),
        ("post", reverse("innovation:project_progress", args=[p.pk]), {"progress": "30"}),
        ("post", reverse("innovation:project_milestone", args=[p.pk]), {"title": "样机", "due": "2030-01-01"}),
        ("post", reverse("innovation:project_milestone_done", args=[p.pk, m.pk]),
         {"done_on": timezone.localdate().isoformat()}),
        ("post", reverse("innovation:project_member", args=[p.pk]), {"name": "周明", "role": "core"}),
        ("post", reverse("innovation:project_member_remove", args=[p.pk, member.pk if member else 1]), {}),
        ("post", reverse("innovation:project_funding", args=[p.pk]), {"requested": "30000", "granted": "20000"}),
        ("post", reverse("innovation:project_spending", args=[p.pk]),
         {"spent_on": timezone.localdate().isoformat(), "amount": "100", "purpose": "材料"}),
        ("post", reverse("innovation:project_attach", args=[p.pk]), {"files": [pdf()]}),
    ]


@pytest.fixture
def world(inn: Innovation) -> tuple[Project, ProjectFile]:
    cadre = inn.sd.enterprise_cadre
    p = project(inn)
    services.add_milestone(actor=cadre, project=p, title="完成现场调研", due=timezone.localdate())
    services.set_project_member(actor=cadre, project=p, person=inn.colleague, role=ProjectRole.MEMBER)
    services.set_project_funding(actor=cadre, project=p, requested=D(30000), granted=D(30000))
    f = services.add_project_files(actor=cadre, project=p, files=[pdf("调研报告.pdf")])[0]
    return p, f


def _call(client, method: str, url: str, data: dict[str, Any]):
    return client.get(url) if method == "get" else client.post(url, data)


def test_an_anonymous_visitor_is_sent_to_log_in_for_every_project_page(client, inn, world):
    p, f = world
    before = rows()
    for method, url, data in [*_pages(p, f), ("get", reverse("innovation:project_list"), {}),
                              ("get", reverse("innovation:project_create"), {})]:
        r = _call(client, method, url, data)
        assert r.status_code == 302 and "/login" in r["Location"], url
    assert rows() == before


@pytest.mark.parametrize("persona", ["qingdao_cadre", "colleague"])
def test_another_city_and_a_colleague_on_no_project_find_nothing(client, inn, world, persona):
    """周明 is on the project in the fixture; here he is taken off it first, so he is on no project."""
    p, f = world
    if persona == "colleague":
        services.remove_project_member(actor=inn.sd.enterprise_cadre, member=p.members.get(person=inn.colleague))
    client.force_login(inn.colleague_user if persona == "colleague" else getattr(inn.sd, persona))
    before = rows()
    for method, url, data in _pages(p, f):
        assert _call(client, method, url, data).status_code == 404, url
    assert rows() == before
    assert p.title not in client.get(reverse("innovation:project_list")).content.decode()


@pytest.mark.parametrize("persona", ["jinan_viewer", "leader"])
def test_a_viewer_and_the_leader_read_the_project_but_decide_nothing(client, inn, world, persona):
    p, f = world
    client.force_login(inn.sd.worker if persona == "leader" else inn.sd.jinan_viewer)
    before = rows()
    for method, url, data in _pages(p, f):
        r = _call(client, method, url, data)
        assert r.status_code == (200 if method == "get" else 403), url
    assert rows() == before
    page = client.get(reverse("innovation:project_detail", args=[p.pk])).content.decode()
    assert 'id="advance"' not in page and 'id="spending-form"' not in page
    if persona == "jinan_viewer":
        assert client.get(reverse("innovation:project_create"), {"org": inn.sd.steel.pk}).status_code == 403


def test_the_enterprise_cadre_does_everything_through_the_pages(client, inn, world):
    p, f = world
    client.force_login(inn.sd.enterprise_cadre)
    for method, url, data in _pages(p, f):
        if "stop" in url:
            continue
        r = _call(client, method, url, data)
        assert r.status_code in (200, 302), url
        if method == "post":
            follow = client.get(r["Location"])
            assert not [m for m in follow.context["messages"] if m.level_tag == "error"], url
    p.refresh_from_db()
    assert (p.stage, p.progress, p.granted, p.spent) == (Stage.APPROVED, 30, D(20000), D(100))
