"""The demo's data requests: last year's annual return closed with every city reported (some late), this year's
quick return in progress — reported, sent back, saved, not begun, Jinan's waiting in its cadre's to-do."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gongjiang.core import registry
from gongjiang.stats.choices import RequestState, ReturnState
from gongjiang.stats.models import DataRequest
from gongjiang.stats.queries import requests as q


class _Null:
    def write(self, *_a: object) -> None: ...

    def flush(self) -> None: ...


@pytest.fixture
def stat_metrics():
    """The real metrics of every app here (the package's conftest replaces them with its own)."""
    yield


@pytest.fixture
def tiny(db):
    call_command("load_demo", scale="tiny", include=["stats"], stdout=_Null())


def test_the_demo_has_a_closed_annual_return_and_a_request_in_progress(tiny, client):
    from gongjiang.orgs.models import Org, User

    annual, quick = DataRequest.objects.order_by("created_at")
    cities = Org.objects.filter(depth=2, kind="city").count()
    assert annual.state == RequestState.CLOSED and quick.state == RequestState.OPEN
    admin = User.objects.get(username="province_admin")
    done = q.overview(annual, admin).completeness
    assert done.expected == done.reported == cities >= 2 and done.on_time < done.reported
    now = q.overview(quick, admin)
    states = {r.state for r in now.returns}
    assert 0 < now.completeness.rate < 100 and ReturnState.PENDING in states
    assert now.returns[0].values  # prefilled or filled
    jinan = User.objects.get(username="jinan")
    assert any(t.app == "stats" for t in registry.todo_items(jinan))
    client.force_login(admin)
    page = client.get(quick.get_absolute_url()).content.decode()
    assert "上报率" in page and "催报未上报单位" in page
