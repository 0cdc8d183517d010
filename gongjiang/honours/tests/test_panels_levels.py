"""A panel reads only the nominations that reached its level: one still waiting at a level below (历下区, before it
forwards it to 济南) is on neither the province's nor Jinan's panel — not listed, not scorable, not on the member's
pages, a 404 in the API —; forwarded to Jinan it is Jinan's, and the province's once Jinan forwards it; returned
below the level it leaves the panel again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongjiang.core.errors import DomainError
from gongjiang.honours import services
from gongjiang.honours.models import PanelScore, PanelVote
from gongjiang.honours.queries import panels as reads
from gongjiang.orgs.tests.test_api import Api, assert_error

from .panel_factories import FULL, Panels, expert, forwarded_to, panels
from .test_services import rows

HX = {"HX-Request": "true"}


@pytest.fixture
def pn(hw) -> Panels:
    return panels(hw)


@pytest.fixture
def low(pn):
    """济钢's 炼钢车间, submitted: waiting at 历下区, below both panels' levels."""
    n = pn.hw.team_nomination(team=pn.sd.workshop)
    services.submit_nomination(actor=pn.sd.enterprise_cadre, nomination=n)
    n.refresh_from_db()
    assert n.at is not None and n.at.org == pn.sd.lixia
    return n


def test_a_nomination_below_the_level_is_not_on_its_panels(pn, low):
    assert low not in reads.panel_nominations(pn.panel)
    assert low not in reads.panel_nominations(pn.vote_panel)
    assert low.pk not in {a.nomination.pk for a in reads.assignments(pn.seat(pn.expert))}
    assert low.pk not in {r.nomination.pk for r in reads.results(pn.panel).rows}
    before = rows()
    with pytest.raises(DomainError) as e:
        services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=low, points=FULL)
    assert "nomination" in e.value.errors
    with pytest.raises(DomainError):
        services.vote_in_panel(actor=pn.jinan_member, panel=pn.vote_panel, nomination=low, choice="yes")
    with pytest.raises(DomainError):
        services.declare_panel_conflict(actor=pn.expert, panel=pn.panel, nomination=low, reason="同事")
    assert rows() == before


def test_forwarded_level_by_level_it_reaches_jinans_panel_then_the_provinces(pn, low):
    forwarded_to(pn.hw, low, pn.sd.jinan)
    assert low in reads.panel_nominations(pn.vote_panel)
    assert low not in reads.panel_nominations(pn.panel)
    other = expert(pn.sd.town, "jinan_two", "冯专家")  # 郑专家 works at 济钢: conflicted with it
    services.add_panel_member(actor=pn.sd.jinan_cadre, panel=pn.vote_panel, user=other)
    services.vote_in_panel(actor=other, panel=pn.vote_panel, nomination=low, choice="yes")
    assert PanelVote.objects.filter(nomination=low).count() == 1
    forwarded_to(pn.hw, low, pn.sd.province)
    assert low in reads.panel_nominations(pn.panel) and low in reads.panel_nominations(pn.vote_panel)
    services.score_in_panel(actor=pn.expert, panel=pn.panel, nomination=low, points=FULL)
    assert PanelScore.objects.filter(nomination=low).count() == 1
    # the province returns it to Jinan: off the province's panel, still Jinan's
    services.return_nomination(actor=pn.sd.province_admin, nomination=low, reason="请补充材料")
    assert low not in reads.panel_nominations(pn.panel) and low in reads.panel_nominations(pn.vote_panel)


def test_shortlisted_it_stays_on_the_panels_it_went_through(pn):
    services.forward_nomination(actor=pn.sd.province_admin, nomination=pn.steel_n)
    assert pn.steel_n in reads.panel_nominations(pn.panel)
    assert pn.steel_n in reads.panel_nominations(pn.vote_panel)


def test_the_members_pages_and_the_api_refuse_a_nomination_below_the_level(client, pn, low):
    client.force_login(pn.expert)
    page = client.get(reverse("honours:panel_review", args=[pn.panel.pk])).content.decode()
    assert f'id="n-{pn.steel_n.pk}"' in page and f'id="n-{low.pk}"' not in page
    before = rows()
    r = client.post(reverse("honours:panel_mark", args=[pn.panel.pk, low.pk]), FULL, headers=HX)
    assert r.status_code == 404
    api = Api(pn.expert)
    listed = api.get(f"/honours/panels/{pn.panel.pk}/assignments").json()
    assert low.pk not in {a["nomination_id"] for a in listed} and "炼钢车间" not in {a["nominee"] for a in listed}
    assert_error(api.put(f"/honours/panels/{pn.panel.pk}/nominations/{low.pk}/score", {"points": FULL}), 404)
    assert_error(Api(pn.jinan_member).put(f"/honours/panels/{pn.vote_panel.pk}/nominations/{low.pk}/vote",
                                          {"choice": "yes"}), 404)
    assert rows() == before
