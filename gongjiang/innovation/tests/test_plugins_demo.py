"""What the innovation app plugs into the site (menu, to-do, search, home panel, landing) and its demo: proposals
in the tiny demo province, consistent with their states, the figures equal to a rebuild, the valuator persona."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongjiang.core import registry
from gongjiang.innovation.choices import State
from gongjiang.innovation.models import Assignment, Benefit, Proposal, RewardPayment
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact


class _Null:
    def write(self, *_a: object) -> None:
        pass

    def flush(self) -> None:
        pass


def _labels(items):
    return [str(i.label) for i in items]


def test_menus_and_waiting_work(inn):
    sd = inn.sd
    inn.submit()
    assert "innovation:my_proposals" in [i["url_name"] for s in registry.navigation(sd.worker, "")
                                         for i in s["items"]]
    cadre_menu = [i["url_name"] for s in registry.navigation(sd.enterprise_cadre, "") for i in s["items"]]
    assert {"innovation:proposal_list", "innovation:figures", "innovation:policy"} <= set(cadre_menu)
    todo = [i for i in registry.todo_items(sd.enterprise_cadre) if i.app == "innovation"]
    assert [i.count for i in todo] == [1] and "waiting=acceptance" in todo[0].url
    assert not [i for i in registry.todo_items(sd.qingdao_cadre) if i.app == "innovation"]
    p = inn.bring(Proposal.objects.get(), State.EVALUATING)
    assert [i.count for i in registry.todo_items(inn.valuator) if i.app == "innovation"] == [1]
    assert registry.landing_url(inn.valuator) == reverse("innovation:valuations")
    inn.bring(p, State.IMPLEMENTING)
    from gongjiang.innovation import services

    from .factories import pdf

    services.record_benefit(actor=sd.enterprise_cadre, proposal=p, gross=Decimal(100), cost=Decimal(0),
                            evidence=[pdf()])
    assert [i.count for i in registry.todo_items(inn.finance) if i.app == "innovation"] == [1]


def test_search_finds_proposals_in_scope_only(inn):
    inn.submit("转炉氧枪喷头改进延长使用寿命")
    found = registry.search(inn.sd.jinan_cadre, "氧枪")
    assert [g["key"] for g in found] == ["innovation"] and "JY" in found[0]["hits"][0].detail
    assert registry.search(inn.sd.qingdao_cadre, "氧枪") == []


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", include=["innovation"], stdout=_Null())


def test_the_demo_has_proposals_at_every_step_and_consistent_figures(tiny, client):
    states = set(Proposal.objects.values_list("state", flat=True))
    assert {State.SUBMITTED, State.EVALUATING, State.ADOPTED, State.REJECTED, State.REWARDED, State.ARCHIVED} <= states
    assert Proposal.objects.count() >= 500
    assert not Proposal.objects.filter(state=State.ADOPTED, benefit__isnull=True).exists()
    for payment_sum, reward in ((sum(RewardPayment.objects.filter(proposal=p).values_list("amount", flat=True)),
                                 p.reward) for p in Proposal.objects.filter(state=State.REWARDED)[:50]):
        assert payment_sum == reward
    assert Benefit.objects.filter(signed_off_at__isnull=False).exists()
    assert facts.differences(["innovation"]) == {}
    assert Fact.objects.filter(metric__startswith="innovation.", org__depth=1).exists()
    assert client.login(username="valuator", password="Gongjiang-2026")
    assert Assignment.objects.filter(valuator__username="valuator", valued_at__isnull=True,
                                     proposal__state=State.EVALUATING).exists()
    assert client.get(reverse("innovation:valuations")).status_code == 200
