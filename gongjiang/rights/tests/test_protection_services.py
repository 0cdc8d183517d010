"""The labour-protection verbs: checks and hazards, the 安康杯 year — what each records and keeps in the fact store,
and every bad input refused with a clear message and nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from gongjiang.core.errors import DomainError
from gongjiang.core.models import AuditEvent, Notification
from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact, Period
from gongjiang.orgs.tests.factories import org
from gongjiang.rights import protection_figures as figures
from gongjiang.rights import services
from gongjiang.rights.models import AnkangAward, AnkangEntry, Hazard, SafetyCheck

from .factories import rights
from .journey_protection import INDICATORS, TEAM, YEAR, ankang, check, hazard

D = datetime.date


def fact(o, key, day, period=Period.YEAR):
    row = Fact.objects.filter(org=o, metric=key, period=period, start=day).first()
    return row.value if row else 0


@pytest.fixture
def rw(sd):
    return rights(sd)


def state():
    return (AuditEvent.objects.count(), SafetyCheck.objects.filter(closed_on=None).count(),
            Hazard.objects.filter(closed_on=None).count(), AnkangEntry.objects.exclude(score=None).count(),
            AnkangAward.objects.count(), AnkangEntry.objects.count(), Fact.objects.count())


def refused(field, call, *words):
    before = state()
    with pytest.raises(DomainError) as e:
        call()
    assert e.value.status == 422
    errors = getattr(e.value, "errors", None) or {e.value.field: str(e.value)}
    assert field in errors, errors
    for w in words:
        assert w in str(e.value), str(e.value)
    assert state() == before
    return str(e.value)


def test_the_whole_part_keeps_the_fact_store_right(sd, rw):
    from .journey_protection import everything

    everything(rw)
    assert facts.differences() == {}
    today = timezone.localdate()
    y = D(today.year, 1, 1)
    assert fact(sd.lixia, figures.CHECKS, y) == 2
    assert fact(sd.lixia, figures.HAZARDS_FOUND, y) == 4 and fact(sd.lixia, figures.HAZARDS_CLOSED, y) == 3
    assert fact(sd.steel, figures.ANKANG_ENTRIES, D(YEAR, 1, 1)) == 2  # itself and its team
    assert fact(sd.province, figures.ANKANG_WORKERS, D(YEAR, 1, 1)) == 3030
    steel = AnkangEntry.objects.get(unit=sd.steel)
    assert steel.place == 1 and steel.score > 0 and len(steel.reasons) >= 5
    assert AnkangAward.objects.count() == 3
    assert Notification.objects.filter(verb="rights.ankang.awarded").exists()
    assert Notification.objects.filter(verb="rights.hazards.found").exists()


def test_a_deadline_in_the_past_at_creation_is_refused(rw):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    refused("hazards", lambda: check(rw, hazard(), {**hazard("二"), "deadline": yesterday}), "Hazard 2")
    c = check(rw)
    refused("hazards", lambda: services.add_hazards(actor=rw.sd.county_cadre, check=c,
                                                    hazards=[{**hazard(), "deadline": yesterday}]))
    refused("hazards", lambda: check(rw, {"description": "", "deadline": timezone.localdate()}))


def test_closing_a_check_with_open_hazards_is_refused(rw):
    c = check(rw, hazard("一"), hazard("二"))
    first = c.hazards.first()
    services.close_hazard(actor=rw.sd.enterprise_cadre, hazard=first, closed_on=timezone.localdate(), evidence="照片")
    refused("state", lambda: services.close_check(actor=rw.sd.county_cadre, check=c,
                                                  closed_on=timezone.localdate()), "1")
    refused("evidence", lambda: services.close_hazard(actor=rw.sd.county_cadre, hazard=c.hazards.last(),
                                                      closed_on=timezone.localdate(), evidence=" "))
    refused("state", lambda: services.close_hazard(actor=rw.sd.county_cadre, hazard=first,
                                                   closed_on=timezone.localdate(), evidence="照片"))


def test_check_of_an_enterprise_out_of_reach_or_in_the_future(sd, rw):
    refused("enterprise", lambda: services.record_check(
        actor=sd.province_admin, org=sd.lixia, enterprise=sd.qd_enterprise, kind="heat",
        checked_on=timezone.localdate(), inspectors="王"))
    refused("checked_on", lambda: check(rw, checked_on=timezone.localdate() + datetime.timedelta(days=1)))
    refused("inspectors", lambda: services.record_check(
        actor=sd.county_cadre, org=sd.lixia, enterprise=sd.steel, kind="heat", checked_on=timezone.localdate(),
        inspectors=""))


def _evaluated(rw, **kw):
    a = ankang(rw, **kw)
    steel, team = services.enter_ankang(actor=rw.sd.county_cadre, campaign=a, units=[rw.sd.steel, rw.sd.team],
                                        registered_on=D(YEAR, 3, 1))
    small, = services.enter_ankang(actor=rw.sd.county_cadre, campaign=a, units=[rw.small],
                                   registered_on=D(YEAR, 3, 1))
    services.record_indicators(actor=rw.sd.enterprise_cadre, entry=steel, **INDICATORS)
    services.record_indicators(actor=rw.sd.enterprise_cadre, entry=team, **TEAM)
    services.record_indicators(actor=rw.sd.county_cadre, entry=small, **{**TEAM, "accidents": 1,
                                                                        "serious_accidents": 1, "deaths": 1})
    services.evaluate_ankang(actor=rw.sd.county_cadre, campaign=a, evaluated_on=D(YEAR + 1, 1, 10))
    return a


def test_evaluation_ranks_each_kind_and_disqualifies_a_death(rw):
    a = _evaluated(rw)
    entries = {e.unit_id: e for e in a.entries.all()}
    assert entries[rw.sd.steel.pk].place == 1 and entries[rw.sd.team.pk].place == 1
    small = entries[rw.small.pk]
    assert small.disqualified and small.place is None and small.score == 0
    assert any("死亡" in r for r in small.reasons)
    from gongjiang.rights.queries import protection as pq

    a.refresh_from_db()
    board = pq.board(a, rw.sd.county_cadre)
    assert [e.unit_id for e in board["enterprises"]] == [rw.sd.steel.pk, rw.small.pk]  # the disqualified last
    assert [label for label, _e in board["proposal"]] and board["missing"] == 0


def test_negative_indicators_are_refused(rw):
    a = ankang(rw)
    e, = services.enter_ankang(actor=rw.sd.county_cadre, campaign=a, units=[rw.sd.steel],
                               registered_on=D(YEAR, 3, 1))
    msg = refused("accidents", lambda: services.record_indicators(actor=rw.sd.county_cadre, entry=e,
                                                                  **{**INDICATORS, "accidents": -2}))
    assert "-2" in msg
    refused("hazards_fixed", lambda: services.record_indicators(actor=rw.sd.county_cadre, entry=e,
                                                                **{**INDICATORS, "hazards_fixed": 41}))
    refused("entries", lambda: services.evaluate_ankang(actor=rw.sd.county_cadre, campaign=a,
                                                        evaluated_on=D(YEAR + 1, 1, 10)), "济南钢铁")


def test_awards_over_the_quota_are_refused(sd, rw):
    a = _evaluated(rw, quota_enterprises=1)
    refused("orgs", lambda: services.confer_ankang_awards(actor=sd.county_cadre, campaign=a, kind="enterprise",
                                                          orgs=[sd.steel, rw.small], conferred_on=D(YEAR + 1, 2, 1)),
            "1")
    services.confer_ankang_awards(actor=sd.county_cadre, campaign=a, kind="enterprise", orgs=[sd.steel],
                                  conferred_on=D(YEAR + 1, 2, 1))
    other = org(sd.town, "济南另一家企业工会", "grassroots")
    refused("orgs", lambda: services.confer_ankang_awards(actor=sd.county_cadre, campaign=a, kind="enterprise",
                                                          orgs=[other], conferred_on=D(YEAR + 1, 2, 1)))
    refused("orgs", lambda: services.confer_ankang_awards(actor=sd.county_cadre, campaign=a, kind="team",
                                                          orgs=[sd.steel], conferred_on=D(YEAR + 1, 2, 1)))
    refused("orgs", lambda: services.confer_ankang_awards(actor=sd.county_cadre, campaign=a, kind="organiser",
                                                          orgs=[sd.lixia], conferred_on=D(YEAR + 1, 2, 1)))
    refused("campaign", lambda: services.record_indicators(actor=sd.county_cadre, entry=a.entries.first(),
                                                           **INDICATORS))


def test_a_disqualified_entry_is_never_awarded(sd, rw):
    a = _evaluated(rw, quota_enterprises=3)
    refused("orgs", lambda: services.confer_ankang_awards(actor=sd.county_cadre, campaign=a, kind="enterprise",
                                                          orgs=[rw.small], conferred_on=D(YEAR + 1, 2, 1)))


def test_an_entry_out_of_the_organisers_scope_is_refused(sd, rw):
    a = ankang(rw)
    refused("units", lambda: services.enter_ankang(actor=sd.province_admin, campaign=a, units=[sd.qd_enterprise],
                                                   registered_on=D(YEAR, 3, 1)), "青岛港")
    refused("units", lambda: services.enter_ankang(actor=sd.county_cadre, campaign=a, units=[sd.town],
                                                   registered_on=D(YEAR, 3, 1)))


def test_opening_is_checked(sd, rw):
    ankang(rw)
    refused("year", lambda: ankang(rw))
    refused("quota_teams", lambda: ankang(rw, year=YEAR - 1, quota_teams=-1))
    refused("rubric", lambda: ankang(rw, year=YEAR - 1, rubric={"maximum": 100, "items": []}))


def test_indicators_after_evaluation_call_for_a_new_one(sd, rw):
    a = _evaluated(rw)
    e = a.entries.get(unit=sd.steel)
    services.record_indicators(actor=sd.enterprise_cadre, entry=e, **{**INDICATORS, "accidents": 3})
    a.refresh_from_db()
    e.refresh_from_db()
    assert a.evaluated_on is None and e.score is None
    refused("campaign", lambda: services.confer_ankang_awards(actor=sd.county_cadre, campaign=a, kind="enterprise",
                                                              orgs=[sd.steel], conferred_on=D(YEAR + 1, 2, 1)))
    assert facts.differences() == {}
