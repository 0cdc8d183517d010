"""The labour-protection pages as the county rights officer uses them: a check recorded through the form (a past
deadline refused beside its field, nothing changed), overdue hazards highlighted on the check and in the to-do list,
the 安康杯 board with the ranking, its reasons and the awards (in English like the app's other page tests; the
Chinese is checked by the API tests and the translation tests)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from gongjiang.rights import services
from gongjiang.rights.models import AnkangAward, Hazard, SafetyCheck

from .factories import rights
from .journey_protection import INDICATORS, TEAM, YEAR, ankang, check, hazard

D = datetime.date


@pytest.fixture
def rw(sd):
    return rights(sd)


def test_record_a_check_through_the_form(rw, sd, client):
    client.force_login(sd.county_cadre)
    url = reverse("rights:check_new", args=[sd.lixia.pk])
    assert sd.steel.name in client.get(url).content.decode()
    today = timezone.localdate()
    data = {"enterprise": sd.steel.pk, "kind": "heat", "checked_on": today.isoformat(), "inspectors": "王建国",
            "findings": "", "hazard_1": "无防暑药品", "severity_1": "major",
            "deadline_1": (today - datetime.timedelta(days=2)).isoformat(), "severity_2": "general",
            "severity_3": "general"}
    r = client.post(url, data)
    assert r.status_code == 400 and "is in the past" in r.content.decode()
    assert SafetyCheck.objects.count() == 0
    r = client.post(url, {**data, "deadline_1": (today + datetime.timedelta(days=5)).isoformat()})
    assert r.status_code == 302
    c = SafetyCheck.objects.get()
    assert c.hazards.get().severity == "major"
    r = client.post(reverse("rights:check_close", args=[c.pk]), {"closed_on": today.isoformat()})
    assert r.status_code == 400 and "still open" in r.content.decode()
    assert SafetyCheck.objects.get().closed_on is None


def test_overdue_hazards_are_highlighted(rw, sd, client):
    c = check(rw, hazard("配电箱未上锁"), hazard("安全通道堵塞"))
    late = c.hazards.first()
    Hazard.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=4))  # time passes
    client.force_login(sd.county_cadre)
    page = client.get(c.get_absolute_url()).content.decode()
    assert f'id="hazard-{late.pk}" class="row-warning" data-overdue="1"' in page
    assert page.count('data-overdue="1"') == 1
    todo = client.get(reverse("rights:overdue")).content.decode()
    assert "配电箱未上锁" in todo and "安全通道堵塞" not in todo
    listing = client.get(reverse("rights:checks") + "?state=overdue").content.decode()
    assert c.get_absolute_url() in listing


def test_the_ankang_board(rw, sd, client):
    a = ankang(rw)
    steel, team = services.enter_ankang(actor=sd.county_cadre, campaign=a, units=[sd.steel, sd.team],
                                        registered_on=D(YEAR, 3, 1))
    client.force_login(sd.county_cadre)
    url = reverse("rights:entry_indicators", args=[steel.pk])
    r = client.post(url, {**INDICATORS, "accidents": -1})
    assert r.status_code == 400 and "cannot be negative" in r.content.decode()
    assert client.post(url, INDICATORS).status_code == 302
    services.record_indicators(actor=sd.county_cadre, entry=team, **TEAM)
    assert client.post(reverse("rights:ankang_evaluate", args=[a.pk]),
                       {"evaluated_on": D(YEAR + 1, 1, 5).isoformat()}).status_code == 302
    award = reverse("rights:ankang_award", args=[a.pk])
    r = client.post(award, {"kind": "enterprise", "orgs": [sd.steel.pk],
                            "conferred_on": D(YEAR + 1, 1, 6).isoformat()})
    assert r.status_code == 302 and AnkangAward.objects.count() == 1
    board = client.get(a.get_absolute_url()).content.decode()
    assert "Base score: 40." in board and "Score: " in board and "Winning enterprise" in board
    assert 'id="entries-teams"' in board
