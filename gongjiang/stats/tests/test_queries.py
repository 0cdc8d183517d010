"""The dashboard's read model: periods parsed and refused, tiles beside the year before, trends, the breakdown by
child along both trees — all from the fact store in a handful of queries."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongjiang.core.errors import DomainError
from gongjiang.orgs import facts, services, tree_version
from gongjiang.orgs.models import Org, Period
from gongjiang.orgs.tests.factories import org
from gongjiang.stats.queries import dashboard as q
from gongjiang.stats.queries import periods

from .conftest import D, did

TODAY = D(2026, 12, 7)


def test_periods_are_read_from_a_year_a_month_or_a_day():
    assert periods.parse("2026", today=TODAY) == periods.Chosen(Period.YEAR, D(2026, 1, 1))
    assert periods.parse("2026-03", today=TODAY) == periods.Chosen(Period.MONTH, D(2026, 3, 1))
    assert periods.parse("2026-3", today=TODAY).code == "2026-03"
    assert periods.parse("2024-02-29", today=TODAY) == periods.Chosen(Period.DAY, D(2024, 2, 29))
    assert periods.parse("", today=TODAY) == periods.Chosen(Period.YEAR, D(2026, 1, 1))
    assert periods.parse("2024-02-29", today=TODAY).year_before().start == D(2023, 2, 28)
    assert periods.parse("2026-03", today=TODAY).end == D(2026, 3, 31)


@pytest.mark.parametrize(("text", "says"), [
    ("2026-13", "不是月份"), ("2026-00", "不是月份"), ("1999", "2000"), ("1999-05", "2000"), ("2027", "2026"),
    ("2026-02-30", "不是日历上的日期"), ("26", "2026-03-14"), ("2026/03", "2026-03-14"), ("abc", "abc"),
])
def test_a_period_that_does_not_exist_is_refused_in_chinese_naming_the_field(text, says):
    with pytest.raises(DomainError) as e:
        periods.parse(text, field="period", today=TODAY)
    assert says in e.value.message
    assert e.value.errors == {"period": e.value.message} and e.value.status == 422


def test_a_range_end_must_be_of_the_period_kind():
    assert periods.of_kind("2025-01", Period.MONTH, field="start", today=TODAY).start == D(2025, 1, 1)
    with pytest.raises(DomainError, match="2026-03"):
        periods.of_kind("2025", Period.MONTH, field="start", today=TODAY)
    with pytest.raises(DomainError, match="year、month"):
        periods.parse_kind("week")
    assert periods.parse_kind("month") == Period.MONTH and periods.parse_kind(None) is None


def test_trends_run_five_years_twelve_months_or_31_days_up_to_the_period():
    assert [p.code for p in periods.parse("2026", today=TODAY).trend()] == ["2022", "2023", "2024", "2025", "2026"]
    months = [p.code for p in periods.parse("2026-03", today=TODAY).trend()]
    assert months[0] == "2025-04" and months[-1] == "2026-03" and len(months) == 12
    days = periods.parse("2026-03-01", today=TODAY).trend()
    assert len(days) == 31 and days[0].code == "2026-01-30"
    assert [p.code for p in periods.parse("2001", today=TODAY).trend()] == ["2000", "2001"]


def test_tiles_show_every_metric_by_app_beside_the_year_before_in_wan_where_the_metric_says(filled):
    sd = filled
    with CaptureQueriesContext(connection) as ran:
        groups = q.tiles(sd.province, periods.parse("2026", today=TODAY))
    assert len(ran) == 1  # this year and the year before in one statement
    assert [g.app for g in groups] == ["alpha", "beta"]
    alpha = {t.metric.key: t for t in groups[0].tiles}
    assert (alpha["alpha.held"].value, alpha["alpha.held"].before) == (7, 1)
    assert alpha["alpha.held"].change == Decimal("600.0")
    assert alpha["alpha.people"].change is None  # nothing the year before
    benefit = groups[1].tiles[0]
    assert benefit.value == Decimal("123.46") and benefit.unit == "万元" and benefit.before == 0
    jinan = q.tiles(sd.jinan, periods.parse("2026-03", today=TODAY))
    assert jinan[0].tiles[0].value == 2


def test_the_trend_reads_one_series(filled):
    sd = filled
    with CaptureQueriesContext(connection) as ran:
        line = q.trend(sd.province, periods.parse("2026-05", today=TODAY), q.chosen_metrics(["alpha.held"]))
    assert len(ran) == 1
    held = line.values["alpha.held"]
    assert len(held) == 12 and held[-1] == 3 and held[-3] == 2 and held[-4] == 1 and held[-5] == 1
    years = q.trend(sd.province, periods.parse("2026", today=TODAY), q.chosen_metrics(["beta.benefit"]))
    assert years.values["beta.benefit"] == [0, 0, Decimal("5.00"), 0, Decimal("123.46")]


def test_the_regional_breakdown_lists_the_cities_and_what_the_province_holds_beyond_them(filled):
    sd = filled
    with CaptureQueriesContext(connection) as ran:
        parts = q.breakdown(sd.province, periods.parse("2026", today=TODAY), q.chosen_metrics())
    assert len(ran) == 1  # the children of both trees and the figures in one statement
    assert parts.tree == q.REGION and parts.trees == [q.REGION, q.INDUSTRY]
    assert [r.org.pk for r in parts.rows] == [sd.jinan.pk, sd.qingdao.pk]  # the industry union is not a region
    assert [r.name for r in parts.rows] == [sd.jinan.display_name, sd.qingdao.display_name]
    assert [r.values["alpha.held"] for r in parts.rows] == [3, 3]
    assert parts.total["alpha.held"] == 7
    assert parts.rest is not None and parts.rest.values["alpha.held"] == 1  # the province's own
    assert sum(r.values["alpha.held"] for r in parts.rows) + parts.rest.values["alpha.held"] == parts.total[
        "alpha.held"]


def test_the_industry_breakdown_lists_the_industry_unions_and_an_industry_unions_affiliates(filled):
    sd = filled
    year = periods.parse("2026", today=TODAY)
    parts = q.breakdown(sd.province, year, q.chosen_metrics(), q.INDUSTRY)
    assert [r.org.pk for r in parts.rows] == [sd.metallurgy.pk]
    assert parts.rows[0].values["alpha.held"] == 2
    union = q.breakdown(sd.metallurgy, year, q.chosen_metrics())
    assert union.trees == [q.INDUSTRY] and union.tree == q.INDUSTRY
    assert [(r.org.pk, r.values["alpha.held"]) for r in union.rows] == [(sd.steel.pk, 2)]
    assert union.rest is None
    assert q.breakdown(sd.team, year, q.chosen_metrics()).rows == []


def test_the_industry_breakdown_reads_the_industry_unions_figures_and_one_statement(filled):
    sd = filled
    year = periods.parse("2026", today=TODAY)
    with CaptureQueriesContext(connection) as ran:
        union = q.breakdown(sd.metallurgy, year, q.chosen_metrics())
    assert len(ran) == 1 and [(r.org.pk, r.values["alpha.held"]) for r in union.rows] == [(sd.steel.pk, 2)]
    city = org(sd.province, "第九市总工会", "city", "3909")  # only an industry union below it: its tree is shown
    below = org(city, "第九市冶金产业工会", "industry", "390901")
    did(below, D(2026, 4, 1), "alpha.held", 4)
    parts = q.breakdown(city, year, q.chosen_metrics(["alpha.held"]))
    assert parts.tree == q.INDUSTRY and parts.trees == [q.INDUSTRY]
    assert [(r.org.pk, r.values["alpha.held"]) for r in parts.rows] == [(below.pk, 4)] and parts.rest is None
    assert q.breakdown(city, year, q.chosen_metrics(["alpha.held"]), q.REGION).rows == []


def test_the_children_are_kept_a_moment_and_forgotten_when_the_tree_changes(filled, monkeypatch):
    sd = filled
    year = periods.parse("2026", today=TODAY)
    every = q.chosen_metrics()
    first = q.breakdown(sd.province, year, every)
    with CaptureQueriesContext(connection) as ran:
        again = q.breakdown(sd.province, year, every)
        industry = q.breakdown(sd.province, year, every, q.INDUSTRY)
    # the figures alone, of the org and the children shown: the children were kept from the first read
    assert len(ran) == 2 and all("orgs_org" not in r["sql"] for r in ran)
    assert again == first and [r.org.pk for r in industry.rows] == [sd.metallurgy.pk]
    assert industry.rows[0].values["alpha.held"] == 2
    assert again.rows[1].values["beta.benefit"] == Decimal("123.46")  # 1,234,567.89 yuan in 万元, as read cold

    def cities() -> list[tuple[int, str]]:
        return [(r.org.pk, r.name) for r in q.breakdown(sd.province, year, every).rows]

    weifang = org(sd.province, "潍坊市总工会", "city", "3707")  # a new org (saved): read again
    assert cities()[-1] == (weifang.pk, "潍坊市总工会")
    services.update_org(actor=sd.province_admin, org=weifang, short_name="潍坊")
    assert cities()[-1] == (weifang.pk, "潍坊")
    services.deactivate_org(actor=sd.province_admin, org=weifang)  # a queryset update: the service says so
    assert [pk for pk, _name in cities()] == [sd.jinan.pk, sd.qingdao.pk]
    services.reactivate_org(actor=sd.province_admin, org=weifang)
    assert len(cities()) == 3
    # a change made by another process (here: behind the services' back) shows once what was kept expires
    Org.objects.filter(pk=weifang.pk).update(short_name="潍坊市")
    assert cities()[-1] == (weifang.pk, "潍坊")
    later = time.monotonic() + tree_version.MAX_AGE + 1
    monkeypatch.setattr(time, "monotonic", lambda: later)
    assert cities()[-1] == (weifang.pk, "潍坊市")


def test_the_breakdown_is_the_sum_of_the_childrens_rows_and_agrees_with_the_sources(filled):
    sd = filled
    month = periods.parse("2026-03", today=TODAY)
    parts = q.breakdown(sd.lixia, month, q.chosen_metrics(["alpha.people"]))
    assert [(r.org.pk, r.values["alpha.people"]) for r in parts.rows] == [(sd.town.pk, 40)]
    assert facts.differences() == {}


def test_the_dashboard_data_focuses_an_app_and_refuses_an_unknown_metric(filled):
    sd = filled
    got = q.data(sd.province, periods.parse("2026", today=TODAY), metric="beta.benefit")
    assert got["app"] == "beta" and got["metric"] == "beta.benefit"
    assert got["tiles"][1]["items"][0]["value"] == 123.46
    assert got["trend"]["series"][0]["values"][-1] == 123.46
    assert got["breakdown"]["rows"][1]["values"]["beta.benefit"] == 123.46
    assert got["breakdown"]["trees"] == ["region", "industry"]
    first = q.data(sd.province, periods.parse("2026", today=TODAY), app="nothing")
    assert first["app"] == "alpha" and first["metric"] == "alpha.held"
    with pytest.raises(DomainError, match=r"alpha\.nothing"):
        q.data(sd.province, periods.parse("2026", today=TODAY), metric="alpha.nothing")


def test_no_metric_registered_gives_an_empty_dashboard(sd):
    facts._metrics.clear()
    got = q.data(sd.province, periods.parse("2026", today=TODAY))
    assert got["tiles"] == [] and got["metric"] is None and got["breakdown"]["rows"][0]["values"] == {}


def test_a_days_figures(filled):
    sd = filled
    day = periods.parse("2026-03-14", today=TODAY)
    assert q.tiles(sd.workshop, day)[0].tiles[0].value == 2
    did(sd.team, datetime.date(2026, 3, 14), "alpha.held", -1)
    assert q.tiles(sd.workshop, day)[0].tiles[0].value == 1


def test_a_yearly_state_shows_in_a_years_view_and_not_in_a_months_or_a_days():
    state = facts.Metric("t.state", "state", "家", "d", yearly=True)
    flow = facts.Metric("t.flow", "flow", "项", "d")
    assert q.kept_for([state, flow], periods.parse("2026", today=TODAY)) == [state, flow]
    assert q.kept_for([state, flow], periods.parse("2026-03", today=TODAY)) == [flow]
    assert q.kept_for([state, flow], periods.parse("2026-03-14", today=TODAY)) == [flow]
