"""The permission matrix of a nomination's materials on a review panel: a member of the panel, free to review the
nomination, lists and downloads its materials from their list; everyone else gets a 404 (or the login) — the
public, a sibling city's cadre, a member of another panel, a worker, the cadre who set the panel up (they read them
on the nomination's page), a member who declared a conflict with it, a member working in the nominating union — and
so does a nomination still below the panel's level, or a material of another nomination."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongjiang.honours import services
from gongjiang.honours.models import NominationFile

from .panel_factories import Panels, panels

REFUSED = ("anonymous", "qingdao_cadre", "jinan_member", "worker", "province_admin", "declared", "automatic")


@pytest.fixture
def pn(hw) -> Panels:
    return panels(hw)


def _url(pn: Panels, nomination, f) -> str:
    return reverse("honours:panel_file", args=[pn.panel.pk, nomination.pk, f.pk])


def _login(client, pn: Panels, persona: str) -> None:
    if persona == "anonymous":
        return
    if persona == "declared":
        services.declare_panel_conflict(actor=pn.expert, panel=pn.panel, nomination=pn.steel_n, reason="同事")
        who = pn.expert
    elif persona == "automatic":  # 李强, a worker of 济钢, on the panel: conflicted with 济钢's nomination
        services.add_panel_member(actor=pn.sd.province_admin, panel=pn.panel, user=pn.sd.worker)
        who = pn.sd.worker
    elif persona == "jinan_member":
        who = pn.jinan_member
    else:
        who = getattr(pn.sd, persona)
    client.force_login(who)


def test_a_free_member_lists_and_downloads_the_materials(client, pn):
    f = NominationFile.objects.filter(nomination=pn.steel_n).first()
    client.force_login(pn.expert)
    page = client.get(reverse("honours:panel_review", args=[pn.panel.pk])).content.decode()
    section = page.split(f'id="n-{pn.steel_n.pk}"')[1].split("</section>")[0]
    assert _url(pn, pn.steel_n, f) in section and "事迹材料.pdf" in section
    r = client.get(_url(pn, pn.steel_n, f))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    # the chair too, and a material of the 青岛港 nomination on the same panel
    client.force_login(pn.chair)
    other = NominationFile.objects.filter(nomination=pn.qingdao_n).first()
    assert client.get(_url(pn, pn.qingdao_n, other)).status_code == 200


@pytest.mark.parametrize("persona", REFUSED)
def test_everyone_else_gets_a_404(client, pn, persona):
    f = NominationFile.objects.filter(nomination=pn.steel_n).first()
    _login(client, pn, persona)
    r = client.get(_url(pn, pn.steel_n, f))
    assert r.status_code == 404 or (persona == "anonymous" and "login" in r["Location"])
    if persona == "declared":  # the list shows no link either
        page = client.get(reverse("honours:panel_review", args=[pn.panel.pk])).content.decode()
        section = page.split(f'id="n-{pn.steel_n.pk}"')[1].split("</section>")[0]
        assert _url(pn, pn.steel_n, f) not in section


def test_a_nomination_below_the_level_and_another_nominations_file_are_404(client, pn):
    low = pn.hw.team_nomination(team=pn.sd.workshop)
    services.submit_nomination(actor=pn.sd.enterprise_cadre, nomination=low)  # waits at 历下区
    client.force_login(pn.expert)
    assert client.get(_url(pn, low, low.files.first())).status_code == 404
    other = NominationFile.objects.filter(nomination=pn.qingdao_n).first()
    assert client.get(_url(pn, pn.steel_n, other)).status_code == 404  # the file of another nomination


def test_the_api_lists_the_materials_of_a_free_members_nominations_only(client, pn):
    from gongjiang.orgs.tests.test_api import Api

    services.declare_panel_conflict(actor=pn.expert, panel=pn.panel, nomination=pn.private_n, reason="同事")
    listed = {a["nomination_id"]: a for a in Api(pn.expert).get(f"/honours/panels/{pn.panel.pk}/assignments").json()}
    assert listed[pn.private_n.pk]["files"] == []
    files = listed[pn.steel_n.pk]["files"]
    assert {f["name"] for f in files} == {"推荐审批表.pdf", "事迹材料.pdf"}
    client.force_login(pn.expert)
    assert client.get(files[0]["url"]).status_code == 200
