"""The demo's technical association network: in the tiny demo province, the province's, every city's, some counties'
and the largest enterprises' associations, members with qualifying honours and one current council each with
exactly one chair, two years of activities with 四技服务 values, the figures equal to a rebuild, the 技协 officer
persona at Jinan running Jinan's part — and the same network when the demo is loaded again."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.urls import reverse

from gongjiang.core import registry
from gongjiang.innovation import queries, techassoc_counters
from gongjiang.innovation.choices import Post
from gongjiang.innovation.models import Activity, Council, MemberHonour, TechAssociation, TechMember
from gongjiang.innovation.rules import techassoc as rules
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact, User


class _Null:
    def write(self, *_a: object) -> None:
        pass

    def flush(self) -> None:
        pass


def _load(reset: bool = False) -> None:
    call_command("load_demo", scale="tiny", include=["innovation_techassoc"], reset=reset, stdout=_Null())


def _signature() -> list[tuple]:
    return list(TechAssociation.objects.order_by("org__path").values_list("name", "org__code", "member_count",
                                                                          "activity_count"))


@pytest.fixture
def tiny(db):
    _load()


def test_the_demo_network_is_complete_and_consistent(tiny, client):
    kinds = set(TechAssociation.objects.values_list("org__kind", flat=True))
    assert kinds == {"province", "city", "county", "grassroots"}
    assert TechMember.objects.count() >= 50
    assert not TechMember.objects.filter(left_on__isnull=True).annotate(h=Count("honours")).filter(h=0).exists()
    # one current council each, with exactly one chair
    assert not Council.objects.filter(current=True).annotate(
        chairs=Count("seats", filter=Q(seats__post=Post.CHAIR))).exclude(chairs=1).exists()
    assert set(Activity.objects.values_list("year", flat=True)) == {2025, 2026}
    four = Activity.objects.filter(kind__in=sorted(rules.FOUR_SERVICES))
    assert four.exists() and not four.filter(Q(client="") | Q(value__isnull=True) | Q(value__lt=0)).exists()
    assert MemberHonour.objects.values("honour").distinct().count() >= 5
    assert facts.differences(["innovation"]) == {}
    assert techassoc_counters.rebuild() == 0
    assert Fact.objects.filter(metric="innovation.tech_joined", org__depth=1).exists()
    officer = User.objects.get(username="techassoc")
    rows = queries.network(officer)
    assert rows[0].association.org.code == "3701" and len(rows) > 1
    assert "techassoc" in [p.username for p in registry.personas()]
    client.force_login(officer)
    for r in rows[:3]:
        assert client.get(reverse("innovation:techassoc_detail", args=[r.association.pk])).status_code == 200


def test_loading_again_gives_the_same_network(tiny):
    before = _signature()
    _load(reset=True)
    assert _signature() == before
