"""The labour-protection part of the rights demo at the tiny scale: checks with open and overdue hazards (the
officer's to-do), last year's 安康杯 evaluated and awarded within the quotas, this year's open; the pages open."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from gongjiang.core import registry
from gongjiang.orgs import facts
from gongjiang.orgs.models import User
from gongjiang.rights.models import AnkangAward, AnkangCampaign, Hazard, SafetyCheck


class _Null:
    def write(self, *_a: object) -> None: ...

    def flush(self) -> None: ...


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", include=["rights"], stdout=_Null())


def test_the_demo(tiny, client):
    assert facts.differences(["rights"]) == {}
    today = timezone.localdate()
    assert SafetyCheck.objects.filter(closed_on=None).exists() and SafetyCheck.objects.exclude(closed_on=None).exists()
    assert Hazard.objects.filter(closed_on=None, deadline__lt=today).exists()
    last = AnkangCampaign.objects.get(year=today.year - 1)
    assert last.evaluated_on and last.entries.filter(disqualified=True).count() == 1
    for kind in ("enterprise", "team", "organiser"):
        assert AnkangAward.objects.filter(campaign=last, kind=kind).count() <= last.quota(kind)
    assert AnkangAward.objects.filter(campaign=last, kind="enterprise").exists()
    officer = User.objects.get(username="lixia_rights")
    todo = [t for t in registry.todo_items(officer) if t.url == reverse("rights:overdue")]
    assert todo and todo[0].count > 0
    client.force_login(officer)
    for url in (reverse("rights:checks"), reverse("rights:overdue"), reverse("rights:ankang_list"),
                last.get_absolute_url(), SafetyCheck.objects.for_user(officer).first().get_absolute_url()):
        assert client.get(url).status_code == 200, url
    board = client.get(last.get_absolute_url()).content.decode()
    assert "entries-enterprises" in board and "entries-teams" in board
