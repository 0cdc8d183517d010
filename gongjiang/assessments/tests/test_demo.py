"""The assessments' menu and demo: two years of the province's assessment of its cities — the earlier published
with a vetoed city at zero, bonuses, an adjustment with its reason and an upheld appeal; the latest under review —
and Jinan's assessment of its counties (the earlier year published with a vetoed county, the latest open); every
kept total is what the record gives."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongjiang.assessments import queries
from gongjiang.assessments.choices import CampaignState, Outcome, Review, SheetState
from gongjiang.assessments.models import Answer, Appeal, Campaign, Sheet
from gongjiang.core import registry


class _Null:
    def write(self, *_a: object) -> None: ...

    def flush(self) -> None: ...


def test_the_menu(sd):
    nav = registry.navigation(sd.jinan_cadre, "assessments:campaign_list")
    section = next(s for s in nav if s["key"] == "assessments")
    assert [i["url"] for i in section["items"]] == [reverse("assessments:campaign_list"),
                                                    reverse("assessments:rubric_list")]
    assert not any(s["key"] == "assessments" for s in registry.navigation(sd.worker, "orgs:home"))


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", include=["assessments"], stdout=_Null())


def test_the_demo_has_two_years_of_the_cities_with_a_veto_bonuses_and_an_appeal(tiny, client):
    from gongjiang.orgs.models import Org, User

    earlier, latest, counties_before, counties = Campaign.objects.order_by("org__depth", "year", "id")
    assert earlier.state == CampaignState.PUBLISHED and latest.state == CampaignState.OPEN
    cities = Org.objects.filter(depth=2, kind="city").count()  # 16 at the full scale, fewer at the tiny one
    assert earlier.sheets.count() == latest.sheets.count() == cities >= 2
    vetoed = earlier.sheets.get(vetoed=True)
    assert vetoed.total == 0 and vetoed.grade == "fail" and vetoed.rank == cities
    assert earlier.sheets.filter(bonus__gt=0).exists()
    assert Answer.objects.filter(sheet__campaign=earlier, review=Review.ADJUSTED).exclude(review_reason="").exists()
    assert Appeal.objects.get().outcome == Outcome.UPHELD
    states = set(latest.sheets.values_list("state", flat=True))
    assert states >= {SheetState.CONFIRMED, SheetState.SUBMITTED}  # and two being filled in at the full scale
    assert counties.org.code == "3701" and counties.sheets.exists() and counties.state == CampaignState.OPEN
    assert counties_before.org.code == "3701" and counties_before.state == CampaignState.PUBLISHED
    assert counties_before.year == counties.year - 1 == earlier.year
    if counties_before.sheets.count() > 1:  # one county vetoed, ranked last
        assert counties_before.sheets.get(vetoed=True).rank == counties_before.sheets.count()
    for sheet in Sheet.objects.all():
        assert queries.agrees(sheet), sheet
    client.force_login(User.objects.get(username="province_admin"))
    page = client.get(earlier.get_absolute_url()).content.decode()
    assert vetoed.org.name in page
    client.force_login(User.objects.get(username="lixia"))
    assert any(t.app == "assessments" for t in registry.todo_items(User.objects.get(username="lixia")))
