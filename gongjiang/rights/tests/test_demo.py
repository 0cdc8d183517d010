"""The rights demo at the tiny scale: congresses and contracts for most enterprises with gaps in non-public firms,
历下区's 要约 campaign in progress through the verbs, the county rights-officer persona, the fact store right."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongjiang.core import registry
from gongjiang.orgs import facts
from gongjiang.orgs.models import Org, User
from gongjiang.rights.models import BargainingCampaign, Congress, Contract, Offer


class _Null:
    def write(self, *_a: object) -> None: ...

    def flush(self) -> None: ...


def test_the_menu(sd):
    nav = registry.navigation(sd.county_cadre, "rights:rates")
    section = next(s for s in nav if s["key"] == "rights")
    assert [i["url"] for i in section["items"]] == [reverse("rights:rates"), reverse("rights:campaign_list"),
                                                    reverse("rights:expiring"), reverse("rights:checks"),
                                                    reverse("rights:ankang_list"), reverse("rights:case_list")]
    worker = next(s for s in registry.navigation(sd.worker, "orgs:home") if s["key"] == "rights")
    assert [i["url"] for i in worker["items"]] == [reverse("rights:my_cases")]  # a worker files rights cases only


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", include=["rights"], stdout=_Null())


def test_the_demo(tiny, client):
    assert facts.differences(["rights"]) == {}
    enterprises = Org.objects.filter(kind="grassroots").count()
    with_congress = Congress.enterprises.through.objects.values("org_id").distinct().count()
    assert 0.5 * enterprises < with_congress < enterprises
    assert Contract.objects.exists()
    campaign = BargainingCampaign.objects.get()
    assert Offer.objects.filter(campaign=campaign).values("state").distinct().count() >= 2
    officer = User.objects.get(username="lixia_rights")
    client.force_login(officer)
    assert client.get(reverse("rights:rates")).status_code == 200
    assert client.get(reverse("rights:campaign_detail", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("rights:expiring")).status_code == 200
