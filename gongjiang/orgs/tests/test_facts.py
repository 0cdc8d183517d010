"""The fact store (orgs/facts.py): a delta reaches the unit's regional and industry ancestors for its day, month
and year; the kept rows and the sources agree or `rebuild` makes them; readers get what was written."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from gongjiang.orgs import facts
from gongjiang.orgs.models import Fact, Period

D = datetime.date
EVENTS: list[facts.Row] = []  # the "raw rows" of the test app: what its verbs did


@pytest.fixture(autouse=True)
def test_metrics():
    saved = dict(facts._metrics), dict(facts._sources)
    facts.register_metric(
        facts.Metric("testapp.done", "完成数", "项", "测试完成的事项数"),
        facts.Metric("testapp.money", "金额", "元", "测试金额", places=2, wan=True),
    )
    facts.register_source(facts.Source("testapp", ("testapp.done", "testapp.money"), lambda: list(EVENTS)))
    EVENTS.clear()
    yield
    facts._metrics.clear(), facts._metrics.update(saved[0])
    facts._sources.clear(), facts._sources.update(saved[1])
    EVENTS.clear()


def did(unit, day, key, value):
    """What a verb of the test app does: its raw row, and its delta to the store."""
    EVENTS.append((unit.pk, day, key, value))
    facts.add(unit, day, {key: value})


def value(org, key, period, start):
    row = Fact.objects.filter(org=org, metric=key, period=period, start=start).first()
    return row.value if row else Decimal(0)


def test_a_delta_reaches_every_org_above_regionally_and_through_the_industry_union_for_day_month_year(sd):
    did(sd.team, D(2026, 3, 14), "testapp.done", 1)
    did(sd.qd_enterprise, D(2026, 3, 20), "testapp.done", 2)
    for o in (sd.team, sd.workshop, sd.steel, sd.town, sd.lixia, sd.jinan, sd.metallurgy):
        assert value(o, "testapp.done", Period.DAY, D(2026, 3, 14)) == 1
        assert value(o, "testapp.done", Period.MONTH, D(2026, 3, 1)) == 1
        assert value(o, "testapp.done", Period.YEAR, D(2026, 1, 1)) == 1
    assert value(sd.province, "testapp.done", Period.MONTH, D(2026, 3, 1)) == 3  # once, not via both trees
    assert value(sd.qingdao, "testapp.done", Period.YEAR, D(2026, 1, 1)) == 2
    assert value(sd.jinan, "testapp.done", Period.DAY, D(2026, 3, 20)) == 0
    assert facts.differences() == {}


def test_money_negative_deltas_and_a_pair_counted_once(sd):
    did(sd.steel, D(2026, 6, 18), "testapp.money", Decimal("1200.50"))
    did(sd.steel, D(2026, 6, 18), "testapp.money", Decimal("-200.25"))
    assert value(sd.province, "testapp.money", Period.YEAR, D(2026, 1, 1)) == Decimal("1000.25")
    facts.add_pair(sd.steel, sd.qd_enterprise, D(2026, 6, 18), {"testapp.done": 1})
    EVENTS.append((sd.province.pk, D(2026, 6, 18), "testapp.done", 1))  # what the source would say of it…
    assert value(sd.province, "testapp.done", Period.DAY, D(2026, 6, 18)) == 1
    assert value(sd.jinan, "testapp.done", Period.DAY, D(2026, 6, 18)) == 1
    assert value(sd.qingdao, "testapp.done", Period.DAY, D(2026, 6, 18)) == 1
    # …is not what the pair wrote below the province: the check says where
    diff = facts.differences()
    assert (sd.jinan.pk, "testapp.done", Period.DAY, D(2026, 6, 18)) in diff


def test_rebuild_repairs_what_was_lost_or_made_up_and_the_command_checks(sd):
    did(sd.team, D(2026, 1, 31), "testapp.done", 4)
    did(sd.qd_enterprise, D(2025, 12, 31), "testapp.money", Decimal("99.99"))
    Fact.objects.filter(org=sd.province, period=Period.YEAR).delete()
    Fact.objects.filter(org=sd.team, period=Period.DAY).update(value=7)
    Fact.objects.create(org=sd.qingdao, metric="testapp.done", period=Period.DAY, start=D(2026, 2, 2), value=5)
    with pytest.raises(CommandError, match="differ"):
        call_command("rebuild_facts", "--check", "--app", "testapp", stdout=open("/dev/null", "w"))
    assert facts.rebuild() == 4
    assert facts.differences() == {}
    assert value(sd.province, "testapp.done", Period.YEAR, D(2026, 1, 1)) == 4
    assert value(sd.province, "testapp.money", Period.YEAR, D(2025, 1, 1)) == Decimal("99.99")
    assert not Fact.objects.filter(org=sd.qingdao, start=D(2026, 2, 2)).exclude(value=0).exists()
    call_command("rebuild_facts", "--check", stdout=open("/dev/null", "w"))


def test_undeclared_metrics_are_refused(sd):
    with pytest.raises(ValueError, match="undeclared"):
        facts.add(sd.team, D(2026, 1, 1), {"testapp.nothing": 1})
    with pytest.raises(ValueError, match=r"app\.name"):
        facts.register_metric(facts.Metric("nodot", "x", "x", "x"))
    assert not Fact.objects.exists()


def test_readers(sd):
    did(sd.team, D(2026, 1, 5), "testapp.done", 1)
    did(sd.team, D(2026, 3, 5), "testapp.done", 2)
    did(sd.qd_enterprise, D(2026, 3, 9), "testapp.done", 5)
    got = facts.values([sd.jinan.pk, sd.qingdao.pk], ["testapp.done"], Period.YEAR, D(2026, 1, 1))
    assert got == {(sd.jinan.pk, "testapp.done"): 3, (sd.qingdao.pk, "testapp.done"): 5}
    trend = facts.series(sd.province.pk, ["testapp.done"], Period.MONTH, D(2026, 1, 1), D(2026, 12, 1))
    assert trend == {"testapp.done": {D(2026, 1, 1): 1, D(2026, 3, 1): 7}}


def test_periods():
    assert facts.starts(D(2028, 2, 29)) == {"D": D(2028, 2, 29), "M": D(2028, 2, 1), "Y": D(2028, 1, 1)}
    assert facts.period_end("M", D(2028, 2, 1)) == D(2028, 2, 29)
    assert facts.period_end("M", D(2026, 12, 1)) == D(2026, 12, 31)
    assert facts.period_end("Y", D(2026, 1, 1)) == D(2026, 12, 31)
    assert facts.period_end("D", D(2026, 5, 1)) == D(2026, 5, 1)


def test_a_source_gives_the_pairs_add_pair_counted_once_above_both(sd):
    pairs: list[facts.PairRow] = []
    facts.register_source(facts.Source("testapp", ("testapp.done", "testapp.money"), lambda: list(EVENTS),
                                       lambda: list(pairs)))
    facts.add_pair(sd.steel, sd.qd_enterprise, D(2026, 6, 18), {"testapp.done": 1})
    pairs.append((sd.steel.pk, sd.qd_enterprise.pk, D(2026, 6, 18), "testapp.done", 1))
    assert facts.differences() == {}
    assert value(sd.province, "testapp.done", Period.YEAR, D(2026, 1, 1)) == 1
    pairs.append((sd.team.pk, sd.steel.pk, D(2026, 6, 19), "testapp.done", 1))  # a pair the store was not told of
    diff = facts.differences()
    assert diff[(sd.province.pk, "testapp.done", Period.DAY, D(2026, 6, 19))] == (0, 1)
    assert facts.rebuild() and facts.differences() == {}
    assert value(sd.steel, "testapp.done", Period.MONTH, D(2026, 6, 1)) == 2  # once for the second pair too


def test_a_yearly_state_is_kept_for_the_year_only_and_rebuilt_so(sd):
    """A yearly metric ("enterprises with a workers' congress", counted on 1 January) has a year row and no day or
    month rows, written by `add` and by `rebuild` alike; `rebuild` removes what its source no longer says."""
    from gongjiang.orgs.tests.factories import own_metrics

    rows: list[facts.Row] = []
    with own_metrics(facts.Metric("t.state", "state", "家", "d", yearly=True),
                     sources=(facts.Source("t", ("t.state",), lambda: list(rows)),)):
        rows.append((sd.steel.pk, D(2026, 1, 1), "t.state", 1))
        facts.add(sd.steel, D(2026, 1, 1), {"t.state": 1})
        kept = Fact.objects.filter(metric="t.state")
        assert set(kept.values_list("period", flat=True)) == {"Y"}
        assert kept.filter(org=sd.province).get().value == 1
        assert facts.differences(["t"]) == {}
        rows.clear()
        assert facts.rebuild(["t"]) > 0
        assert not Fact.objects.filter(metric="t.state").exists()
