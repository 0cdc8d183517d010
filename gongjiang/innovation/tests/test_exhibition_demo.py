"""The demo's 6·18 exhibition: in the tiny demo province, an exhibition of this year with about sixty offers and forty
needs, matches at every state (signed ones with their contract values), meetings that never double-book a table or a
union, the figures equal to a rebuild, and the same exhibition when the demo is loaded again; the organiser and the
济钢 cadre open their pages."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongjiang.innovation.choices import MatchState, MeetingState
from gongjiang.innovation.models import Exhibition, Match, Meeting, Need, Offer
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact


class _Null:
    def write(self, *_a: object) -> None:
        pass

    def flush(self) -> None:
        pass


def _load(reset: bool = False) -> None:
    call_command("load_demo", scale="tiny", include=["innovation"], reset=reset, stdout=_Null())


@pytest.fixture
def tiny(db):
    _load()


def _signature() -> list[tuple]:
    return list(Match.objects.order_by("pk").values_list("offer__title", "need__title", "state", "contract_value"))


def test_the_demo_exhibition_has_a_catalogue_and_matches_at_every_state(tiny, client):
    e = Exhibition.objects.get()
    assert e.year == timezone.localdate().year and "6·18" in e.name
    assert Offer.objects.count() == 60 and Need.objects.count() == 40
    assert set(Match.objects.values_list("state", flat=True)) == set(MatchState.values)
    signed = Match.objects.filter(state__in=(MatchState.SIGNED, MatchState.IMPLEMENTED))
    assert signed.exists() and all(m.contract_value and m.contract_value > 0 and m.met_on for m in signed)
    live = Meeting.objects.filter(state__in=(MeetingState.REQUESTED, MeetingState.ACCEPTED)).select_related(
        "match__offer", "match__need")
    seen: set[tuple] = set()
    for mt in live:
        for key in ((mt.starts_at, "table", mt.table), (mt.starts_at, mt.match.offer.org_id),
                    (mt.starts_at, mt.match.need.org_id)):
            assert key not in seen, key
            seen.add(key)
    assert facts.differences(["innovation"]) == {}
    assert sum(Fact.objects.filter(org__depth=1, metric="innovation.matches_signed", period="Y")
               .values_list("value", flat=True)) == signed.count()
    assert client.login(username="province_admin", password="Gongjiang-2026")
    assert client.get(reverse("innovation:exhibition_detail", args=[e.pk])).status_code == 200
    assert client.login(username="jigang", password="Gongjiang-2026")
    page = client.get(reverse("innovation:exhibition_detail", args=[e.pk])).content.decode()
    assert 'id="my-matches"' in page and "DJ" in page


def test_the_demo_exhibition_is_the_same_when_loaded_again(tiny):
    first = _signature()
    _load(reset=True)
    assert _signature() == first and first
