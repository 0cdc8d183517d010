"""The studios' menu, to-do and search, and the demo's studios: hosted by enterprises of the province with leads and
members of their rosters, two years of confirmed assessments, this year's self-assessments waiting, some suspended
and revoked — and counters equal to their rebuild."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongjiang.core import registry
from gongjiang.honours.models import Assessment, Studio, StudioMember
from gongjiang.honours.studio_choices import AssessmentState, StudioStatus
from gongjiang.orgs import facts

from .studio_factories import FAIR

YEAR = timezone.localdate().year


def test_the_menu_the_waiting_work_and_the_search(st):
    nav = registry.navigation(st.sd.jinan_cadre, "honours:studio_list")
    section = next(s for s in nav if s["key"] == "honours")
    assert reverse("honours:studio_list") in [i["url"] for i in section["items"]]
    st.assess(YEAR, FAIR)
    todo = {str(t.label): t.count for t in registry.todo_items(st.sd.province_admin) if t.app == "honours"}
    assert list(todo.values()) == [1, 1]  # the province confirms 李强's; Jinan's city studio still to fill
    assert [t.count for t in registry.todo_items(st.sd.jinan_cadre) if t.app == "honours"] == [1]  # its own due
    assert [t.count for t in registry.todo_items(st.sd.qingdao_cadre) if t.app == "honours"] == []
    assert any(g["key"] == "honours_studios" for g in registry.search(st.sd.jinan_cadre, "劳模"))
    assert not any(g["key"] == "honours_studios" for g in registry.search(st.sd.qingdao_cadre, "劳模"))


class _Null:
    def write(self, *_a: object) -> None: ...

    def flush(self) -> None: ...


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", include=["honours"], stdout=_Null())


def test_the_demo_has_studios_with_assessments_suspensions_and_revocations(tiny, client):
    studios = list(Studio.objects.select_related("lead__employer", "host"))
    assert len(studios) >= 10
    for s in studios[:50]:
        assert s.lead.employer.path.startswith(s.host.path)
    assert StudioMember.objects.exists()
    assert Assessment.objects.filter(state=AssessmentState.CONFIRMED, year=YEAR - 1).exists()
    assert Assessment.objects.filter(state=AssessmentState.SELF, year=YEAR).exists()
    statuses = set(Studio.objects.values_list("status", flat=True))
    assert {StudioStatus.ACTIVE, StudioStatus.SUSPENDED} <= statuses
    assert facts.differences(["honours"]) == {}  # the figures the demo rebuilt are those of its rows
    from gongjiang.orgs.models import User

    client.force_login(User.objects.get(username="province_admin"))
    assert client.get(reverse("honours:studio_list")).status_code == 200
    assert client.get(reverse("honours:studio_detail", args=[studios[0].pk])).status_code == 200
