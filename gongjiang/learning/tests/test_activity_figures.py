"""学习统计 as a specification: a cadre reads their union's learning figures for a month, a year or a range of dates
from the daily figures (never from the attempts), with the trend and the unions right below (each a link to its
own figures), exports the table, and sees this month's figures on the home page; the API gives the same under the
same scopes. A county cadre sees only their own subtree; a worker reads no figures; a bad period is refused with a
message naming its field."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from gongjiang.learning.queries import figures as reads

from .activity_factories import day_figures

MAY = datetime.date(2026, 5, 1)


@pytest.fixture
def figures(sd):
    """May 2026 in the small province: the fold's figures of 济钢 (affiliated to the metallurgy union: counted in
    历下, Jinan, the province and the metallurgy union) and of a Qingdao enterprise, on two days; and Jinan's in
    June."""
    d1, d2 = MAY, MAY.replace(day=20)
    steel = {"learners": 3, "attempts": 10, "passes": 7, "contest_takers": 2}
    qd = {"learners": 5, "attempts": 20, "passes": 11, "contest_takers": 4, "trainings": 1,
          "training_hours": Decimal("80.0"), "mentor_pairs": 2}
    day_figures([(sd.steel, d1, steel), (sd.qd_enterprise, d2, qd), (sd.jinan, datetime.date(2026, 6, 2),
                                                                       {"attempts": 99})])
    return sd


def _may() -> reads.Period:
    return reads.period("month", month="2026-05", today=MAY)


def test_the_totals_of_a_month_are_the_sums_of_the_unions_daily_rows(figures):
    t = reads.totals(figures.province, _may())
    assert (t.learners, t.attempts, t.passes, t.contest_takers, t.trainings, t.training_hours, t.mentor_pairs) == \
        (8, 30, 18, 6, 1, Decimal("80.0"), 2)
    assert t.pass_rate == 60
    assert reads.totals(figures.jinan, _may()).attempts == 10  # June's 99 is another month
    assert reads.totals(figures.jinan, reads.period("year", year="2026", today=MAY)).attempts == 109
    empty = reads.totals(figures.team, _may())
    assert empty.attempts == 0 and empty.pass_rate is None


def test_the_figures_are_read_in_three_queries_from_the_daily_rows_only(figures):
    with CaptureQueriesContext(connection) as queries:
        p = _may()
        reads.totals(figures.province, p)
        reads.trend(figures.province, p)
        reads.breakdown(figures.province, p)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "learning_attempt" not in sql and "learning_answer" not in sql
    assert len(queries.captured_queries) <= 4  # the totals, the trend, the unions below, their figures


def test_the_trend_shows_every_day_of_a_month_and_every_month_of_a_year(figures):
    daily = reads.trend(figures.province, _may())
    assert len(daily) == 31 and daily[0].day == MAY
    assert [pt.totals.attempts for pt in daily if pt.totals.attempts] == [10, 20]
    monthly = reads.trend(figures.province, reads.period("year", year="2026", today=MAY))
    assert len(monthly) == 12
    assert [pt.totals.attempts for pt in monthly][4:6] == [30, 99]
    ranged = reads.trend(figures.province, reads.period("range", start="2026-05-15", end="2026-06-10", today=MAY))
    assert len(ranged) == 27 and sum(pt.totals.attempts for pt in ranged) == 20 + 99


def test_a_range_is_read_from_the_whole_years_and_months_it_holds_and_the_days_at_its_ends(figures):
    ranged = reads.period("range", start="2026-05-10", end="2026-12-31", today=MAY)
    assert reads.totals(figures.province, ranged).attempts == 20 + 99  # 1 May's 10 is before the range
    monthly = reads.trend(figures.province, ranged)
    assert ranged.monthly and len(monthly) == 8 and monthly[0].day == MAY
    assert [pt.totals.attempts for pt in monthly][:2] == [20, 99]
    years = reads.period("range", start="2025-12-31", end="2027-01-01", today=MAY)
    t = reads.totals(figures.province, years)
    assert (t.attempts, t.training_hours, t.mentor_pairs) == (129, Decimal("80.0"), 2)
    rows = {r.org.name: r.totals.attempts for r in reads.breakdown(figures.province, years)}
    assert rows == {"济南市总工会": 109, "青岛市总工会": 20, "山东省冶金工会": 10}
    with CaptureQueriesContext(connection) as queries:
        reads.totals(figures.province, years)
        reads.trend(figures.province, years)
    assert len(queries.captured_queries) == 2


def test_the_breakdown_lists_the_unions_right_below_and_an_industry_unions_affiliates(figures):
    rows = {r.org.name: r.totals.attempts for r in reads.breakdown(figures.province, _may())}
    assert rows == {"济南市总工会": 10, "青岛市总工会": 20, "山东省冶金工会": 10}
    affiliates = reads.breakdown(figures.metallurgy, _may())
    assert [(r.org, r.totals.attempts) for r in affiliates] == [(figures.steel, 10)]


@pytest.mark.parametrize(("kind", "args", "field", "words"), [
    ("week", {}, "period", "month, a year or a range"),
    ("month", {"month": "2026-13"}, "month", "not a month"),
    ("year", {"year": "二〇二六"}, "year", "not a year"),
    ("range", {"end": "2026-05-01"}, "start", "first day"),
    ("range", {"start": "2026-05-01"}, "end", "last day"),
    ("range", {"start": "2026-05-32", "end": "2026-06-01"}, "start", "not a date"),
    ("range", {"start": "2026-06-01", "end": "2026-05-01"}, "end", "before the first day"),
    ("range", {"start": "2016-01-01", "end": "2026-05-01"}, "end", "five years"),
])
def test_a_period_that_cannot_be_read_is_refused_naming_its_field(kind, args, field, words):
    from django.utils import translation

    with translation.override("en"), pytest.raises(reads.PeriodError) as refused:
        reads.period(kind, today=MAY, **args)
    assert refused.value.field == field and words in refused.value.message


def test_the_default_period_is_this_month():
    p = reads.period("", today=datetime.date(2026, 2, 11))
    assert (p.kind, p.start, p.end, p.monthly) == ("month", datetime.date(2026, 2, 1), datetime.date(2026, 2, 28),
                                                   False)


# ---------------------------------------------------------------------------------------------
# The page


def _page(client, user, **params):
    client.force_login(user)
    return client.get(reverse("learning:figures"), params)


def test_a_city_cadre_reads_the_month_tiles_trend_and_the_unions_below_with_links(client, figures):
    page = _page(client, figures.province_admin, org=figures.province.pk, period="month", month="2026-05")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="figures-tiles"' in text and 'data-learning-chart="trend"' in text
    tiles = dict(page.context["tiles"])
    names = reads.labels()
    assert tiles[names["learners"]] == 8 and tiles[names["attempts"]] == 30
    links = {r["name"]: r["url"] for r in page.context["table"]}
    assert f"org={figures.jinan.pk}" in links["济南市总工会"] and "month=2026-05" in links["济南市总工会"]
    assert len(page.context["chart"]["days"]) == 31


def test_the_drill_down_keeps_the_period_and_offers_the_way_up_within_the_scope(client, figures):
    page = _page(client, figures.jinan_cadre, org=figures.lixia.pk, period="year", year="2026")
    assert page.status_code == 200 and page.context["period"].kind == "year"
    assert page.context["parent"] == figures.jinan
    top = _page(client, figures.jinan_cadre, org=figures.jinan.pk)
    assert top.context["parent"] is None  # the province is not Jinan's to read


def test_a_county_cadre_sees_only_their_subtree(client, figures):
    own = _page(client, figures.county_cadre)
    assert own.status_code == 200 and own.context["org"] == figures.lixia
    for other in (figures.jinan, figures.qingdao, figures.province, figures.qd_enterprise):
        assert _page(client, figures.county_cadre, org=other.pk).status_code == 404
    assert _page(client, figures.qingdao_cadre, org=figures.lixia.pk).status_code == 404


def test_anonymous_visitors_log_in_and_workers_read_no_figures(client, figures):
    page = client.get(reverse("learning:figures"))
    assert page.status_code == 302 and "/login/" in page["Location"]
    assert _page(client, figures.worker).status_code == 403


def test_a_bad_period_is_named_and_this_months_figures_shown_instead(client, figures):
    page = _page(client, figures.province_admin, period="range", start="2026-06-01", end="2026-05-01")
    assert page.status_code == 200
    assert page.context["error"].field == "end" and 'id="period-error"' in page.content.decode()
    assert page.context["period"] == reads.this_month(timezone.localdate())
    assert page.context["error"].message in page.content.decode()


def test_the_export_is_the_table_as_shown(client, figures):
    response = _page(client, figures.province_admin, period="month", month="2026-05", export="xlsx")
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(r for r in rows if r and r[0] == gettext("Organisation"))
    body = rows[rows.index(header) + 1:]
    assert header[1:] == list(reads.labels().values())
    assert [r[0] for r in body] == ["山东省总工会", "济南市总工会", "青岛市总工会", "山东省冶金工会"]
    assert body[0][2] == 30 and body[2][6] in (80, "80.0", Decimal("80.0"))


def test_the_home_page_shows_this_months_figures_of_the_scope(client, sd):
    today = timezone.localdate()
    day_figures([(sd.jinan, today, {"learners": 4, "attempts": 12, "passes": 9, "contest_takers": 3}),
                 (sd.jinan, today.replace(day=1) - datetime.timedelta(days=1), {"attempts": 500})])
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("orgs:home"))
    panel = next(p for p in page.context["panels"] if p["key"] == "learning")
    assert dict(panel["tiles"])[reads.labels()["attempts"]] == 12  # last month's 500 is not this month's
    assert 'id="learning-figures"' in page.content.decode()
    client.force_login(sd.worker)
    assert 'id="learning-figures"' not in client.get(reverse("orgs:home"), follow=True).content.decode()


# ---------------------------------------------------------------------------------------------
# The API


def test_the_api_gives_the_same_figures_under_the_same_scopes(client, figures):
    client.force_login(figures.province_admin)
    answer = client.get("/api/v1/learning/figures", {"org_id": figures.province.pk, "period": "month",
                                                      "month": "2026-05"})
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["totals"]["attempts"] == 30 and data["totals"]["pass_rate"] == 60
    assert len(data["trend"]) == 31 and data["monthly"] is False
    assert {r["org"]["name"]: r["totals"]["attempts"] for r in data["below"]} == {
        "济南市总工会": 10, "青岛市总工会": 20, "山东省冶金工会": 10}
    client.force_login(figures.county_cadre)
    assert client.get("/api/v1/learning/figures", {"org_id": figures.jinan.pk}).status_code == 404
    assert client.get("/api/v1/learning/figures", {"org_id": figures.lixia.pk}).status_code == 200
    client.force_login(figures.worker)
    assert client.get("/api/v1/learning/figures", {"org_id": figures.team.pk}).status_code == 403
    client.logout()
    assert client.get("/api/v1/learning/figures", {"org_id": figures.province.pk}).status_code == 401


def test_the_api_refuses_a_bad_period_naming_the_field(client, figures):
    client.force_login(figures.province_admin)
    answer = client.get("/api/v1/learning/figures", {"org_id": figures.province.pk, "period": "range",
                                                      "start": "2026-05-01"})
    assert answer.status_code == 400
    assert answer.json()["errors"] == {"end": gettext("Give the last day of the range.")}


# ---------------------------------------------------------------------------------------------
# The permission matrix of the figures page and endpoint: persona × union asked → the answer


MATRIX = [  # (persona, the union asked for, page status, API status)
    ("anonymous", "jinan", 302, 401),
    ("worker", "team", 403, 403),
    ("qingdao_cadre", "jinan", 404, 404),
    ("county_cadre", "jinan", 404, 404),
    ("county_cadre", "lixia", 200, 200),
    ("jinan_viewer", "jinan", 200, 200),
    ("jinan_cadre", "lixia", 200, 200),
    ("enterprise_cadre", "steel", 200, 200),
    ("enterprise_cadre", "lixia", 404, 404),
    ("industry_cadre", "metallurgy", 200, 200),
    ("province_admin", "qingdao", 200, 200),
]


@pytest.mark.parametrize(("persona", "org", "page_status", "api_status"), MATRIX)
def test_the_figures_permission_matrix(client, figures, persona, org, page_status, api_status):
    if persona != "anonymous":
        client.force_login(getattr(figures, persona))
    target = getattr(figures, org)
    assert client.get(reverse("learning:figures"), {"org": target.pk}).status_code == page_status
    assert client.get("/api/v1/learning/figures", {"org_id": target.pk}).status_code == api_status
