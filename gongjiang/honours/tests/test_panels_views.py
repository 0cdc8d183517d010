"""The review panels' pages: the set-up from the campaign's page by the level's cadres, the member's list with the
scoring form in place (HTMX) and conflicts without it, the results with their export, the to-do; everyone else
refused (a member of another panel, a sibling city's cadre, a conflicted member, the public); the member's list
and the results in a number of queries that does not grow with the nominations."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gongjiang.core.registry import todo_items
from gongjiang.honours import services
from gongjiang.honours.models import Panel, PanelConflict, PanelMember, PanelScore
from gongjiang.honours.queries import panels as reads
from gongjiang.orgs.tests.factories import org

from .panel_factories import FULL, Panels, forwarded_to, panels, submitted
from .test_services import rows

HX = {"HX-Request": "true"}


@pytest.fixture
def pn(hw) -> Panels:
    return panels(hw)


def test_the_province_sets_up_a_scoring_panel_from_the_campaign_page(client, pn):
    client.force_login(pn.sd.province_admin)
    page = client.get(reverse("honours:campaign_detail", args=[pn.hw.pioneer.pk])).content.decode()
    assert "省工人先锋号评审组" in page and reverse("honours:panel_create", args=[pn.hw.pioneer.pk]) in page
    url = reverse("honours:panel_create", args=[pn.hw.pioneer.pk])
    data = {"allocation": pn.hw.root().pk, "name": "复审组", "mode": "score",
            "name_1": "事迹", "weight_1": 60, "max_1": 10, "name_2": "成果", "weight_2": 30, "max_2": 10}
    before = rows()
    bad = client.post(url, data)
    assert bad.status_code == 400 and "add up to 90" in bad.content.decode()
    assert rows() == before
    ok = client.post(url, {**data, "weight_2": 40})
    made = Panel.objects.get(name="复审组")
    assert ok.status_code == 302 and ok["Location"] == reverse("honours:panel_detail", args=[made.pk])
    added = client.post(ok["Location"], {"username": pn.chair.username, "chair": "on"})
    assert added.status_code == 302 and PanelMember.objects.filter(panel=made, user=pn.chair, is_chair=True).exists()
    client.get(added["Location"])  # its message read
    before = rows()
    # an account of another city is not found (and not named) for Jinan's panel
    client.force_login(pn.sd.jinan_cadre)
    refused = client.post(reverse("honours:panel_detail", args=[pn.vote_panel.pk]), {"username": pn.chair.username})
    assert refused.status_code == 400 and "赵组长" not in refused.content.decode()
    assert rows() == before


def test_a_member_scores_in_place_and_declares_a_conflict(client, pn):
    client.force_login(pn.expert)
    url = reverse("honours:panel_review", args=[pn.panel.pk])
    page = client.get(url).content.decode()
    assert "炼钢一班" in page and "装配一班" in page and "装卸一班" in page
    mark = reverse("honours:panel_mark", args=[pn.panel.pk, pn.steel_n.pk])
    before = rows()
    bad = client.post(mark, {"c1": "41", "c2": "50", "c3": "10"}, headers=HX)
    assert bad.status_code == 200 and "between 0 and 40" in bad.content.decode()  # htmx swaps no 4xx
    assert f'id="n-{pn.steel_n.pk}"' in bad.content.decode() and "<html" not in bad.content.decode()
    assert rows() == before
    ok = client.post(mark, {"c1": "40", "c2": "25", "c3": "5"}, headers=HX)
    assert ok.status_code == 200 and "Scored: 70.00" in ok.content.decode()
    conflict = reverse("honours:panel_conflict", args=[pn.panel.pk, pn.private_n.pk])
    done = client.post(conflict, {"reason": "曾在该企业任职"}, headers=HX).content.decode()
    assert "曾在该企业任职" in done and "<form" not in done.split('id="n-')[1]
    page = client.get(url).content.decode()
    section = page.split(f'id="n-{pn.private_n.pk}"')[1].split("</section>")[0]
    assert "Conflict declared" in section and 'name="c1"' not in section
    # without HTMX: a redirect and a message
    plain = client.post(reverse("honours:panel_mark", args=[pn.panel.pk, pn.qingdao_n.pk]), FULL)
    assert plain.status_code == 302


def test_the_to_do_of_a_member_counts_what_waits(client, pn):
    items = [i for i in todo_items(pn.expert) if i.url == reverse("honours:panel_review", args=[pn.panel.pk])]
    assert [i.count for i in items] == [3]
    services.close_panel(actor=pn.sd.province_admin, panel=pn.panel)
    assert not [i for i in todo_items(pn.expert) if "panels" in i.url]
    client.force_login(pn.expert)
    assert "省工人先锋号评审组" in client.get(reverse("honours:panel_list")).content.decode()


def test_the_cadres_close_the_panel_and_read_the_ranking_and_its_export(client, pn):
    services.score_in_panel(actor=pn.chair, panel=pn.panel, nomination=pn.steel_n, points=FULL)
    services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=pn.private_n, points=FULL)
    services.declare_panel_conflict(actor=pn.expert, panel=pn.panel, nomination=pn.steel_n, reason="亲属")
    client.force_login(pn.sd.province_admin)
    closed = client.post(reverse("honours:panel_close", args=[pn.panel.pk]))
    assert closed["Location"] == reverse("honours:panel_results", args=[pn.panel.pk])
    page = client.get(closed["Location"]).content.decode()
    assert "100.00" in page and "亲属" in page and "钱专家" in page
    export = client.get(closed["Location"], {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[1][:2] == [1, "炼钢一班"] or values[1][:2] == [1, "装配一班"]
    assert len(values) == 4  # the header and three nominations
    # the chair reads the results too; a member who is not the chair does not
    client.force_login(pn.chair)
    assert client.get(closed["Location"]).status_code == 200
    client.force_login(pn.expert)
    assert client.get(closed["Location"]).status_code == 404


@pytest.mark.parametrize("persona", ["anonymous", "qingdao_cadre", "jinan_member", "worker", "expert"])
def test_the_set_up_and_the_results_are_refused_to_everyone_else(client, pn, persona):
    """The public, a sibling city's cadre (Qingdao, for Jinan's panel and the province's), a member of another panel,
    a worker, a member who is not the chair: no set-up page, no results, no close, no member removed."""
    if persona != "anonymous":
        client.force_login(pn.jinan_member if persona == "jinan_member" else pn.expert if persona == "expert"
                           else getattr(pn.sd, persona))
    before = rows()
    for panel in (pn.panel, pn.vote_panel):
        if persona == "expert" and panel == pn.panel:
            continue  # their own panel: the set-up page sends them to their list (below)
        if persona == "jinan_member" and panel == pn.vote_panel:
            continue
        for name in ("panel_results", "panel_close"):
            r = client.post(reverse(f"honours:{name}", args=[panel.pk]))
            assert r.status_code in (302, 404, 405) and (r.status_code != 302 or "login" in r["Location"])
        r = client.get(reverse("honours:panel_detail", args=[panel.pk]))
        assert r.status_code == 404 or "login" in r.get("Location", "")
        seat = panel.members.first()
        r = client.post(reverse("honours:panel_member_remove", args=[panel.pk, seat.pk]))
        assert r.status_code == 404 or "login" in r.get("Location", "")
    create = client.get(reverse("honours:panel_create", args=[pn.hw.pioneer.pk]))
    if persona == "qingdao_cadre":  # Qingdao sets up panels of its own level only
        options = create.content.decode().split('id="id_allocation"')[1].split("</select>")[0]
        assert "青岛市总工会" in options and "济南市总工会" not in options and "山东省总工会" not in options
    else:
        assert create.status_code in (403, 404) or "login" in create.get("Location", "")
    assert rows() == before


@pytest.mark.parametrize("persona", ["anonymous", "qingdao_cadre", "jinan_member", "province_admin"])
def test_a_members_pages_are_refused_to_non_members(client, pn, persona):
    """Not a member of the province's panel (even the cadre who set it up): no list, no scoring, no conflict."""
    if persona != "anonymous":
        client.force_login(pn.jinan_member if persona == "jinan_member" else getattr(pn.sd, persona))
    before = rows()
    assert client.get(reverse("honours:panel_review", args=[pn.panel.pk])).status_code in (302, 404)
    r = client.post(reverse("honours:panel_mark", args=[pn.panel.pk, pn.steel_n.pk]), FULL, headers=HX)
    assert r.status_code in (302, 404)
    r = client.post(reverse("honours:panel_conflict", args=[pn.panel.pk, pn.steel_n.pk]), {"reason": "x"})
    assert r.status_code in (302, 404)
    assert rows() == before


def test_a_conflicted_member_cannot_score_through_the_page(client, pn):
    services.add_panel_member(actor=pn.sd.province_admin, panel=pn.panel, user=pn.sd.worker)  # 李强 of 济钢
    client.force_login(pn.sd.worker)
    page = client.get(reverse("honours:panel_review", args=[pn.panel.pk])).content.decode()
    section = page.split(f'id="n-{pn.steel_n.pk}"')[1].split("</section>")[0]
    assert "Works in the nominating union" in section and "<form" not in section
    assert [n for _p, n in reads.pending(pn.sd.worker)] == [2]  # 济钢's own nomination does not wait for them
    before = rows()
    r = client.post(reverse("honours:panel_mark", args=[pn.panel.pk, pn.steel_n.pk]), FULL, headers=HX)
    assert r.status_code == 403
    assert rows() == before and not PanelScore.objects.exists() and not PanelConflict.objects.exists()


def _more_nominations(pn: Panels, n: int) -> None:
    for i in range(n):
        unit = org(pn.sd.qingdao, f"青岛企业{i}工会", "grassroots", ownership="state")
        forwarded_to(pn.hw, submitted(pn.hw, pn.sd.qingdao_cadre, unit, name=f"班组{i}"), pn.sd.province)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_members_list_and_the_results_cost_the_same_for_3_or_6_nominations(client, pn):
    for who in (pn.chair, pn.expert):
        services.score_in_panel(actor=who, panel=pn.panel, nomination=pn.steel_n, points=FULL)
    services.declare_panel_conflict(actor=pn.expert, panel=pn.panel, nomination=pn.private_n, reason="同事")
    client.force_login(pn.expert)
    review = reverse("honours:panel_review", args=[pn.panel.pk])
    few = _count(client, review)
    client.force_login(pn.sd.province_admin)
    results = reverse("honours:panel_results", args=[pn.panel.pk])
    few_results = _count(client, results)
    _more_nominations(pn, 3)
    client.force_login(pn.expert)
    assert _count(client, review) == few
    client.force_login(pn.sd.province_admin)
    assert _count(client, results) == few_results
    assert few <= 25 and few_results <= 25
