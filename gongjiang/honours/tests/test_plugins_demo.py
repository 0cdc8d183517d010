"""What the honours app plugs into the site (menu, to-do, search) and its demo: the standard honour types, holders of
past years, the 工人先锋号 campaign with the cities' quotas and the non-public reserve carried down, Jinan's split
among its counties, and nominations whose counters equal a count of the rows."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from gongjiang.core import registry
from gongjiang.honours import services
from gongjiang.honours.choices import NominationState
from gongjiang.honours.models import Allocation, Campaign, Holder, Nomination
from gongjiang.honours.rules import quotas


class _Null:
    def write(self, *_a: object) -> None: ...

    def flush(self) -> None: ...


def test_the_menu_the_waiting_work_and_the_search(hw):
    nav = registry.navigation(hw.sd.jinan_cadre, "honours:campaign_list")
    section = next(s for s in nav if s["key"] == "honours")
    assert [i["url"] for i in section["items"]] == [reverse("honours:campaign_list"), reverse("honours:review_home"),
                                                    reverse("honours:figures"), reverse("honours:type_list"),
                                                    reverse("honours:roster"),
                                                    reverse("honours:studio_list"), reverse("honours:studio_figures"),
                                                    reverse("honours:public_roster")]
    worker = next(s for s in registry.navigation(hw.sd.worker, "orgs:home") if s["key"] == "honours")
    assert [i["url"] for i in worker["items"]] == [reverse("honours:public_roster")]  # the public honour roll only
    hw.team_nomination(complete=False)
    todo = [t for t in registry.todo_items(hw.sd.enterprise_cadre) if t.app == "honours"]
    assert [t.count for t in todo] == [1]
    assert [t.count for t in registry.todo_items(hw.sd.qingdao_cadre) if t.app == "honours"] == []  # none: not shown
    found = registry.search(hw.sd.jinan_cadre, "炼钢")
    assert any(g["key"] == "honours" for g in found)
    assert not any(g["key"] == "honours" for g in registry.search(hw.sd.qingdao_cadre, "炼钢"))


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", include=["honours"], stdout=_Null())


def test_the_demo_has_a_pioneer_campaign_with_city_quotas_and_a_non_public_reserve(tiny, client):
    campaign = Campaign.objects.get(honour_type__code="province_pioneer")
    root = Allocation.objects.get(campaign=campaign, parent__isnull=True)
    assert (root.quota, root.reserve_non_public) == (500, 100)
    cities = list(root.children.all())
    assert len(cities) > 3 and sum(c.reserve_non_public for c in cities) == 100
    assert quotas.allocation_problems(root.share, {str(c.org_id): c.share for c in cities}) == []
    jinan = Allocation.objects.get(campaign=campaign, org__code="3701")
    assert jinan.children.exists()
    assert Holder.objects.count() > 20  # the tiny province: a tenth of its first people, some teams
    states = set(Nomination.objects.filter(campaign=campaign).values_list("state", flat=True))
    assert states == {NominationState.DRAFT, NominationState.SUBMITTED, NominationState.RETURNED,
                      NominationState.REJECTED, NominationState.SHORTLISTED}  # the review's stages (demo_review)
    for a in Allocation.objects.filter(campaign=campaign).select_related("org"):
        assert a.nominated == Nomination.objects.filter(
            campaign=campaign, state__in=[NominationState.SUBMITTED, NominationState.SHORTLISTED],
            allocation__org__path__startswith=a.org.path).count(), a.org.name
    from gongjiang.orgs.models import User

    client.force_login(User.objects.get(username="jinan"))
    page = client.get(reverse("honours:campaign_detail", args=[campaign.pk]))
    assert page.status_code == 200 and page.context["allocation"] == jinan
    # the demo's Jinan cadre can go on: withdraw one and submit it again
    n = Nomination.objects.filter(state=NominationState.SUBMITTED, at=F("allocation")).select_related("unit").first()
    services.withdraw_nomination(actor=User.objects.get(username="province_admin"), nomination=n)


def test_the_demo_review_shows_every_stage_and_a_shortlist_on_notice_with_an_open_objection(tiny):
    from gongjiang.core import notices
    from gongjiang.honours import publicity

    pioneer = Campaign.objects.get(honour_type__code="province_pioneer")
    jinan = Allocation.objects.get(campaign=pioneer, org__code="3701")
    assert Nomination.objects.filter(campaign=pioneer, state=NominationState.SUBMITTED, at=jinan).exists()
    assert Nomination.objects.filter(campaign=pioneer, state=NominationState.RETURNED).count() == 1
    assert Nomination.objects.filter(campaign=pioneer, state=NominationState.REJECTED).count() == 1
    teams = Campaign.objects.get(honour_type__code="innovative_team")
    notice = notices.notice_of(publicity.SHORTLIST_NOTICE, teams)
    assert notice is not None and notices.open_objections(notice) == 1
    assert Nomination.objects.filter(campaign=teams, state=NominationState.SHORTLISTED).count() == 3
    root = Allocation.objects.get(campaign=teams, parent__isnull=True)
    assert (root.forwarded, root.shortlisted) == (3, 3)


def test_the_demo_offers_suggestions_to_its_nominating_unions(tiny, client):
    """省技术能手 of the year (demo_suggestions) is open: the innovation demo (loaded at the tiny scale) suggests the
    authors of awarded achievements and the members of finished projects — to the province for its direct units and
    to 济钢 for its own workers; 济钢's cadre reads them on the suggestions page, with the button to nominate."""
    from gongjiang.honours.queries.suggestions import suggestions
    from gongjiang.orgs.models import Org, User

    campaign = Campaign.objects.get(honour_type__code="technical_expert")
    assert campaign.is_open() and Allocation.objects.filter(campaign=campaign, parent__isnull=False).exists()
    admin = User.objects.get(username="province_admin")
    province, jigang = Org.objects.get(depth=1), Org.objects.get(code="370102001001")
    assert suggestions(admin, campaign, province)
    own = suggestions(admin, campaign, jigang)
    assert own and any(r.eligible for r in own)
    assert {s.source for r in own for s in r.reasons} & {"攻关课题", "创新成果", "Innovation project",
                                                          "Innovation achievement"}
    client.force_login(User.objects.get(username="jigang"))
    page = client.get(reverse("honours:campaign_suggestions", args=[campaign.pk]) + f"?unit={jigang.pk}")
    assert page.status_code == 200 and own[0].name in page.content.decode()
    assert page.context["can_nominate"]
