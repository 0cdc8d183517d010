"""The demo's roster: holders of every kind over ten years with the roster's facts, some moved, retired or deceased,
a few revoked with a reason and a decision; the counters equal to a rebuild; the demo's Jinan cadre reads it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from gongjiang.honours import counters
from gongjiang.honours.choices import HolderStatus
from gongjiang.honours.models import Holder, HolderEvent


class _Null:
    def write(self, s: str) -> None: ...

    def flush(self) -> None: ...


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", include=["honours"], stdout=_Null())


def test_the_demo_roster_has_every_kind_of_holder_and_status_and_consistent_counters(tiny, client):
    subjects = set(Holder.objects.values_list("honour_type__subject", flat=True))
    assert subjects == {"person", "collective", "org"}
    assert Holder.objects.filter(city__isnull=False).exists()
    assert not Holder.objects.filter(person__isnull=False, birth_year__isnull=True).exists()
    statuses = set(Holder.objects.values_list("status", flat=True))
    assert {HolderStatus.ACTIVE, HolderStatus.RETIRED, HolderStatus.MOVED} <= statuses
    for h in Holder.objects.exclude(status=HolderStatus.ACTIVE):
        assert h.events.order_by("-on", "-id").first().kind == h.status
    for e in HolderEvent.objects.filter(kind=HolderStatus.REVOKED):
        assert e.reason and e.document and e.body_id and e.holder.revoked
    kept = counters.snapshot()
    counters.rebuild()
    assert counters.snapshot() == kept
    from gongjiang.orgs.models import User

    client.force_login(User.objects.get(username="jinan"))
    assert client.get(reverse("honours:roster")).status_code == 200
