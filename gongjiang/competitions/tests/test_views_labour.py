"""The labour-competition pages: who sees and does what (a permission matrix), the organiser's set-up, the
evaluator's phone grid saved cell by cell over HTMX, closing a period, the year table with its chart,
merits and fund split, the Excel exports, and constant query counts whatever the size of the year."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gongjiang.competitions import services
from gongjiang.competitions.choices import PeriodKind, PeriodState
from gongjiang.competitions.models import (
    CompetingUnit,
    Competition,
    Evaluation,
    Evaluator,
    Indicator,
    Period,
    PeriodResult,
)
from gongjiang.competitions.tests.test_labour import (
    Project,
    account,
    evaluate_first_month,
    evaluate_second_month,
    grid,
    indicators,
    project,
)
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.tests import factories as of

D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def p(sd) -> Project:
    return project(sd)


def persona(sd: Any, p: Project, name: str) -> Any:
    return None if name == "anonymous" else (p.a if name == "evaluator" else getattr(sd, name))


def urls(p: Project) -> dict[str, str]:
    c, jan = p.competition.pk, p.periods[0].pk
    return {
        "labour_list": reverse("competitions:labour_list"),
        "labour_create": reverse("competitions:labour_create"),
        "labour_detail": reverse("competitions:labour_detail", args=[c]),
        "labour_indicators": reverse("competitions:labour_indicators", args=[c]),
        "labour_units": reverse("competitions:labour_units", args=[c]),
        "labour_evaluators": reverse("competitions:labour_evaluators", args=[c]),
        "labour_fund": reverse("competitions:labour_fund", args=[c]),
        "labour_period": reverse("competitions:labour_period", args=[c, jan]),
        "labour_evaluate": reverse("competitions:labour_evaluate", args=[c, jan]),
    }


# ---------------------------------------------------------------------------------------------
# Permission matrix: anonymous / other subtree / own subtree / right role


PAGES = ["labour_list", "labour_create", "labour_detail", "labour_indicators", "labour_units", "labour_evaluators",
         "labour_fund", "labour_period", "labour_evaluate"]
MATRIX = {
    # persona:          list create detail indic units  evals  fund  period evaluate
    "anonymous":       (302, 302, 302, 302, 302, 302, 302, 302, 302),
    "qingdao_cadre":   (200, 200, 404, 404, 404, 404, 404, 404, 404),  # another city: nothing of Jinan's
    "jinan_viewer":    (200, 403, 200, 403, 200, 403, 403, 200, 403),  # sees, changes nothing
    "county_cadre":    (200, 200, 200, 403, 200, 403, 403, 200, 403),  # below the organiser: sees it
    "worker":          (200, 403, 200, 403, 200, 403, 403, 200, 403),  # his unit is under Jinan
    "evaluator":       (200, 403, 200, 403, 200, 403, 403, 200, 200),  # no role, but appointed
    "jinan_cadre":     (200, 200, 200, 200, 200, 200, 200, 200, 403),  # the organiser; not an evaluator
    "province_admin":  (200, 200, 200, 200, 200, 200, 200, 200, 403),  # above the organiser
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_permission_matrix_of_the_pages(client, sd, p, who):
    user = persona(sd, p, who)
    if user is not None:
        client.force_login(user)
    links = urls(p)
    got = tuple(client.get(links[name]).status_code for name in PAGES)
    assert dict(zip(PAGES, got, strict=True)) == dict(zip(PAGES, MATRIX[who], strict=True))


@pytest.mark.parametrize(("who", "expected"), [("anonymous", 302), ("qingdao_cadre", 404), ("jinan_viewer", 403),
                                               ("evaluator", 403), ("worker", 403)])
def test_the_organisers_actions_are_refused_to_everybody_else(client, sd, p, who, expected):
    user = persona(sd, p, who)
    if user is not None:
        client.force_login(user)
    c, jan = p.competition.pk, p.periods[0].pk
    evaluate_first_month(p)
    ev = Evaluator.objects.get(competition=p.competition, user=p.b)
    spare = CompetingUnit.objects.create(competition=p.competition, name="备用")
    posts = [
        (reverse("competitions:labour_period_close", args=[c, jan]), {}),
        (reverse("competitions:labour_periods_open", args=[c]), {"kind": "month"}),
        (reverse("competitions:labour_unit_remove", args=[c, spare.pk]), {}),
        (reverse("competitions:labour_evaluator_remove", args=[c, ev.pk]), {}),
        (reverse("competitions:labour_units", args=[c]), {"name": "越权单位"}),
        (reverse("competitions:labour_fund", args=[c]), {"amount": "1"}),
        (reverse("competitions:labour_indicators", args=[c]), {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}),
        (reverse("competitions:labour_evaluators", args=[c]), {"account": "somebody"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == expected, url
    assert Period.objects.get(pk=jan).state == PeriodState.OPEN
    assert CompetingUnit.objects.filter(pk=spare.pk).exists() and Evaluator.objects.filter(pk=ev.pk).exists()
    assert not CompetingUnit.objects.filter(name="越权单位").exists()
    assert Competition.objects.get(pk=c).fund_amount == D("10000.00")


def test_the_list_shows_only_visible_competitions_and_marks_those_one_evaluates(client, sd, p):
    qingdao = services.create_labour_competition(actor=sd.qingdao_cadre, organiser=sd.qingdao, name="青岛港劳动竞赛",
                                                 year=2026)
    client.force_login(sd.jinan_cadre)
    assert [c.pk for c in client.get(reverse("competitions:labour_list")).context["rows"]] == [p.competition.pk]
    client.force_login(sd.qingdao_cadre)
    assert [c.pk for c in client.get(reverse("competitions:labour_list")).context["rows"]] == [qingdao.pk]
    client.force_login(sd.province_admin)
    assert {c.pk for c in client.get(reverse("competitions:labour_list")).context["rows"]} == {
        p.competition.pk,
        qingdao.pk,
    }
    client.force_login(p.a)
    rows = client.get(reverse("competitions:labour_list")).context["rows"]
    assert [(c.pk, c.user_evaluates, c.unit_count, c.period_count) for c in rows] == [(p.competition.pk, True, 4, 12)]
    outsider = account("outsider")
    client.force_login(outsider)
    assert client.get(reverse("competitions:labour_list")).context["rows"] == []


# ---------------------------------------------------------------------------------------------
# Setting up


def test_the_organiser_creates_a_competition_with_the_standard_indicators(client, sd):
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("competitions:labour_create"))
    assert {o.pk for o in page.context["form"].fields["organiser"].queryset} == {sd.jinan.pk, sd.lixia.pk}
    response = client.post(
        reverse("competitions:labour_create"),
        {"name": "济南地铁建设劳动竞赛", "organiser": sd.jinan.pk, "year": 2026, "fund_amount": "200000"},
    )
    c = Competition.objects.get(name="济南地铁建设劳动竞赛")
    assert response.status_code == 302 and response.url == reverse("competitions:labour_detail", args=[c.pk])
    assert (c.kind, c.fund_amount, c.indicators.count()) == ("labour", D("200000"), 5)


def test_a_competition_cannot_be_created_for_an_org_outside_ones_scope(client, sd):
    client.force_login(sd.jinan_cadre)
    response = client.post(
        reverse("competitions:labour_create"),
        {"name": "越权", "organiser": sd.qingdao.pk, "year": 2026, "fund_amount": "0"},
    )
    assert response.status_code == 400 and response.context["form"].errors["organiser"]
    response = client.post(
        reverse("competitions:labour_create"),
        {"name": "负数资金", "organiser": sd.jinan.pk, "year": 2026, "fund_amount": "-5"},
    )
    assert response.status_code == 400 and response.context["form"].errors["fund_amount"]
    assert not Competition.objects.exists()


def indicator_post(rows: list[tuple[str, str, str, bool]]) -> dict[str, Any]:
    data: dict[str, Any] = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0",
                            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "20"}
    for i, (code, name, weight, safety) in enumerate(rows):
        data |= {f"form-{i}-code": code, f"form-{i}-name": name, f"form-{i}-weight": weight}
        if safety:
            data[f"form-{i}-is_safety"] = "on"
    return data


def test_indicator_weights_not_adding_up_are_refused_on_the_page_with_the_sum(client, sd, p):
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:labour_indicators", args=[p.competition.pk])
    page = client.get(url)
    assert len(page.context["formset"].forms) == 5 + 3  # the current five and three blank rows
    bad = indicator_post([("progress", "进度", "40", False), ("quality", "质量", "30", False),
                          ("safety", "安全", "20", True), ("", "", "", False)])
    response = client.post(url, bad)
    assert response.status_code == 400 and "90" in response.context["error"]
    assert "90" in response.content.decode()
    assert list(Indicator.objects.filter(competition=p.competition).values_list("weight", flat=True)) == [
        30, 25, 25, 10, 10]
    good = indicator_post([("progress", "进度", "50", False), ("quality", "质量", "30", False),
                           ("safety", "安全", "20", True), ("", "", "", False)])
    assert client.post(url, good).status_code == 302
    assert list(Indicator.objects.filter(competition=p.competition).values_list("code", "weight", "is_safety")) == [
        ("progress", 50, False), ("quality", 30, False), ("safety", 20, True)]


def test_indicators_are_locked_on_the_page_once_evaluated(client, sd, p):
    grid(p.a, p.periods[0], p.steel, {"progress": 80})
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:labour_indicators", args=[p.competition.pk])
    assert client.get(url).context["locked"]
    response = client.post(url, indicator_post([("x", "综合", "100", False)]))
    assert response.status_code == 400 and response.context["error"]
    assert Indicator.objects.filter(competition=p.competition).count() == 5


def test_units_are_found_in_the_organisers_subtree_and_added(client, sd, p):
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:labour_units", args=[p.competition.pk])
    found = client.get(url, {"q": "炼钢"}, **HTMX)
    assert found.templates[0].name == "competitions/labour/_unit_choices.html"
    assert {o.pk for o in found.context["choices"]} == {sd.workshop.pk, sd.team.pk}
    assert client.get(url, {"q": "青岛港"}, **HTMX).context["choices"] == []  # another city
    project_department = of.org(sd.steel, "济钢新厂区项目部", OrgKind.DEPARTMENT)
    response = client.post(url, {"q": "项目部", "org": project_department.pk, "name": ""})
    assert response.status_code == 302
    assert CompetingUnit.objects.filter(competition=p.competition, org=project_department,
                                        name="济钢新厂区项目部").exists()
    assert client.post(url, {"name": "李明"}).status_code == 302
    page = client.get(url)
    by_name = {u.name: u for u in page.context["units"]}
    assert by_name["李明"].individual and by_name["李明"].removable


def test_a_unit_outside_the_subtree_is_refused_on_its_field(client, sd, p):
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:labour_units", args=[p.competition.pk])
    response = client.post(url, {"org": sd.qd_enterprise.pk})
    assert response.status_code == 400 and response.context["form"].errors["org"]
    response = client.post(url, {"org": 999999})
    assert response.status_code == 400 and response.context["form"].errors["org"]
    response = client.post(url, {"name": ""})
    assert response.status_code == 400 and response.context["form"].errors["name"]
    assert CompetingUnit.objects.filter(competition=p.competition).count() == 4


def test_a_unit_is_removed_until_it_is_evaluated(client, sd, p):
    client.force_login(sd.jinan_cadre)
    spare = services.add_unit(actor=sd.jinan_cadre, competition=p.competition, name="备用")
    grid(p.a, p.periods[0], p.steel, {"progress": 80})
    c = p.competition.pk
    assert client.post(reverse("competitions:labour_unit_remove", args=[c, spare.pk])).status_code == 302
    assert not CompetingUnit.objects.filter(pk=spare.pk).exists()
    client.post(reverse("competitions:labour_unit_remove", args=[c, p.steel.pk]))
    assert CompetingUnit.objects.filter(pk=p.steel.pk).exists()


def test_evaluators_are_appointed_by_user_name_or_mobile_and_withdrawn(client, sd, p):
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:labour_evaluators", args=[p.competition.pk])
    assert client.post(url, {"account": "nobody"}).status_code == 400
    assert client.post(url, {"account": "evaluator_a"}).context["form"].errors["account"]  # already appointed
    assert client.post(url, {"account": "13800000001"}).status_code == 302  # the Jinan cadre's own phone
    assert Evaluator.objects.filter(competition=p.competition, user=sd.jinan_cadre).exists()
    ev = Evaluator.objects.get(competition=p.competition, user=p.b)
    assert (
        client.post(reverse("competitions:labour_evaluator_remove", args=[p.competition.pk, ev.pk])).status_code == 302
    )
    assert not Evaluator.objects.filter(pk=ev.pk).exists()


def test_the_periods_are_opened_from_the_competition_page(client, sd):
    c = services.create_labour_competition(actor=sd.jinan_cadre, organiser=sd.jinan, name="季度竞赛", year=2026)
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("competitions:labour_detail", args=[c.pk]))
    assert reverse("competitions:labour_periods_open", args=[c.pk]) in page.content.decode()
    assert client.post(reverse("competitions:labour_periods_open", args=[c.pk]), {"kind": "quarter"}).status_code == 302
    assert Period.objects.filter(competition=c, kind=PeriodKind.QUARTER).count() == 4
    client.post(reverse("competitions:labour_periods_open", args=[c.pk]), {"kind": "month"})  # refused: opened already
    assert Period.objects.filter(competition=c).count() == 4


def test_the_fund_is_set_and_a_bad_amount_refused(client, sd, p):
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:labour_fund", args=[p.competition.pk])
    for bad in ("-1", "1.005", "abc"):
        response = client.post(url, {"amount": bad})
        assert response.status_code == 400 and response.context["form"].errors["amount"]
    assert Competition.objects.get(pk=p.competition.pk).fund_amount == D("10000.00")
    assert client.post(url, {"amount": "88888.88"}).status_code == 302
    assert Competition.objects.get(pk=p.competition.pk).fund_amount == D("88888.88")


# ---------------------------------------------------------------------------------------------
# The evaluator's grid


def cell(p: Project, unit: CompetingUnit, code: str) -> str:
    return f"{unit.pk}-{indicators(p.competition)[code].pk}"


def test_the_grid_shows_every_unit_and_indicator_phone_first(client, sd, p):
    grid(p.a, p.periods[0], p.steel, {"progress": "85.5"})
    client.force_login(p.a)
    response = client.get(reverse("competitions:labour_evaluate", args=[p.competition.pk, p.periods[0].pk]))
    rows = response.context["rows"]
    assert len(rows) == 4 and all(len(r["cells"]) == 5 for r in rows)
    steel = next(r for r in rows if r["unit"] == p.steel)
    assert steel["cells"][0]["value"] == "85.5" and steel["filled"] == 1
    page = response.content.decode()
    assert 'inputmode="decimal"' in page and "hx-post" in page and 'class="phone-first"' in page
    assert page.count('type="checkbox" name="x-') == 4  # the veto, on the safety indicator only
    assert response.context["filled"] == 1 and response.context["cells_total"] == 20


def test_a_cell_is_saved_over_htmx_and_answers_its_status(client, sd, p):
    client.force_login(p.a)
    url = reverse("competitions:labour_evaluate", args=[p.competition.pk, p.periods[0].pk])
    key = cell(p, p.steel, "quality")
    response = client.post(url, {"cell": key, f"v-{key}": "92.5"}, **HTMX)
    assert response.status_code == 200 and response.context["saved"].value == D("92.50")
    assert 'id="lc-progress" hx-swap-oob="true"' in response.content.decode()
    assert Evaluation.objects.get(unit=p.steel, evaluator=p.a).value == D("92.50")
    # The veto on the safety indicator, with the value left blank.
    safety = cell(p, p.person, "safety")
    client.post(url, {"cell": safety, f"v-{safety}": "", f"x-{safety}": "on"}, **HTMX)
    assert Evaluation.objects.filter(unit=p.person, veto=True, value=0).exists()
    # Clearing the box withdraws the value.
    response = client.post(url, {"cell": key, f"v-{key}": ""}, **HTMX)
    assert response.context["cleared"] and not Evaluation.objects.filter(unit=p.steel).exists()


@pytest.mark.parametrize("raw", ["101", "-3", "80.123", "很好"])
def test_a_bad_value_is_answered_in_the_cell_and_nothing_is_saved(client, sd, p, raw):
    client.force_login(p.a)
    url = reverse("competitions:labour_evaluate", args=[p.competition.pk, p.periods[0].pk])
    key = cell(p, p.steel, "quality")
    response = client.post(url, {"cell": key, f"v-{key}": raw}, **HTMX)
    assert response.status_code == 200 and response.context["error"]
    assert 'class="err"' in response.content.decode()
    assert not Evaluation.objects.exists()


def test_a_cell_of_another_competition_is_not_found(client, sd, p):
    client.force_login(p.a)
    url = reverse("competitions:labour_evaluate", args=[p.competition.pk, p.periods[0].pk])
    assert client.post(url, {"cell": "999999-1", "v-999999-1": "80"}, **HTMX).status_code == 404
    assert client.post(url, {"cell": "abc", "v-abc": "80"}, **HTMX).status_code == 404
    assert not Evaluation.objects.exists()


def test_the_whole_grid_is_saved_without_javascript_or_not_at_all(client, sd, p):
    client.force_login(p.a)
    url = reverse("competitions:labour_evaluate", args=[p.competition.pk, p.periods[0].pk])
    good, bad = cell(p, p.steel, "progress"), cell(p, p.team, "quality")
    response = client.post(url, {f"v-{good}": "90", f"v-{bad}": "120"})
    assert response.status_code == 400 and bad in response.context["errors"]
    assert not Evaluation.objects.exists()
    team = next(r for r in response.context["rows"] if r["unit"] == p.team)
    assert team["cells"][1]["value"] == "120" and team["cells"][1]["error"]  # shown back with its error
    assert client.post(url, {f"v-{good}": "90", f"v-{bad}": "95"}).status_code == 302
    assert Evaluation.objects.count() == 2


def test_a_closed_period_is_shown_read_only_and_refuses_values(client, sd, p):
    evaluate_first_month(p)
    services.close_period(actor=sd.jinan_cadre, period=p.periods[0])
    client.force_login(p.a)
    url = reverse("competitions:labour_evaluate", args=[p.competition.pk, p.periods[0].pk])
    page = client.get(url)
    assert not page.context["open"] and "disabled" in page.content.decode()
    key = cell(p, p.steel, "progress")
    response = client.post(url, {"cell": key, f"v-{key}": "10"}, **HTMX)
    assert response.context["error"]
    assert client.post(url, {f"v-{key}": "10"}).status_code == 400
    assert Evaluation.objects.get(unit=p.steel, evaluator=p.a, indicator__code="progress").value == D("90.00")


# ---------------------------------------------------------------------------------------------
# Periods, the year, the fund


def test_the_period_page_previews_then_closes_the_period(client, sd, p):
    jan = p.periods[0]
    grid(p.a, jan, p.steel, 90)
    grid(p.a, jan, p.team, {"progress": 80})
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:labour_period", args=[p.competition.pk, jan.pk])
    page = client.get(url)
    sheet = page.context["sheet"]
    assert page.context["can_close"] and [r.unit for r in sheet.blocking] == [p.team]
    close = reverse("competitions:labour_period_close", args=[p.competition.pk, jan.pk])
    assert client.post(close).status_code == 302
    assert Period.objects.get(pk=jan.pk).state == PeriodState.OPEN  # refused: the team is incomplete
    grid(p.a, jan, p.team, {"quality": 80, "safety": 80, "innovation": 80, "energy": 80})
    client.post(close)
    assert Period.objects.get(pk=jan.pk).state == PeriodState.CLOSED
    page = client.get(url)
    rows = page.context["sheet"].rows
    assert [(r.unit, r.score, r.place) for r in rows[:2]] == [(p.steel, D("90.00"), 1), (p.team, D("80.00"), 2)]
    assert not page.context["can_close"] and close not in page.content.decode()


def closed_year(sd: Any, p: Project) -> None:
    evaluate_first_month(p)
    services.close_period(actor=sd.jinan_cadre, period=p.periods[0])
    evaluate_second_month(p)
    services.close_period(actor=sd.jinan_cadre, period=p.periods[1])


def test_the_competition_page_shows_the_year_the_chart_the_awards_and_the_fund_split(client, sd, p):
    closed_year(sd, p)
    client.force_login(sd.jinan_viewer)
    response = client.get(reverse("competitions:labour_detail", args=[p.competition.pk]))
    table = response.context["table"]
    assert [(r.unit, r.year_score, r.rank) for r in table.rows] == [
        (p.steel, D("87.50"), 1), (p.team, D("85.00"), 2), (p.workshop, D("82.75"), 3), (p.person, D("35.00"), 4)]
    page = response.content.decode()
    assert "87.50" in page and "3014.6456" not in page  # the fund is 10,000.00 here
    assert table.split_total == D("10000.00") and "10,000.00" in page  # grouped digits
    assert [r.unit for r in response.context["individuals"]] == [p.team, p.person]
    chart = json.loads(page.split('id="lc-trend-data" type="application/json">')[1].split("</script>")[0])
    assert chart["periods"] == [p.periods[0].label, p.periods[1].label]
    steel = next(s for s in chart["series"] if s["name"] == p.steel.name)
    assert steel["data"] == ["85.00", "90.00"]
    team = next(s for s in chart["series"] if s["name"] == p.team.name)
    assert team["data"] == ["85.00", None]
    assert "vendor/echarts-5.6.0.min.js" in page and "competitions/labour.js" in page
    assert "<script>" not in page  # no inline script (CSP)
    # The sum of the periods instead of their mean.
    by_sum = client.get(reverse("competitions:labour_detail", args=[p.competition.pk]), {"method": "sum"}).context[
        "table"
    ]
    assert [r.year_score for r in by_sum.rows][:2] == [D("175.00"), D("165.50")]


def test_the_year_table_and_the_fund_split_export_to_excel(client, sd, p):
    closed_year(sd, p)
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:labour_detail", args=[p.competition.pk])
    response = client.get(url, {"export": "xlsx", "table": "year"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 4 and len(rows[0]) == 3 + 2 * 2 + 2
    assert rows[1][:2] == (1, p.steel.name) and rows[1][3:7] == (85, 2, 90, 1) and rows[1][7] == 87.5
    response = client.get(url, {"export": "xlsx", "table": "fund"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    amounts = [D(str(r[5])) for r in rows[1:-1]]
    assert len(amounts) == 4 and sum(amounts) == D("10000.00") and D(str(rows[-1][5])) == D("10000.00")


def test_the_list_exports_to_excel(client, sd, p):
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("competitions:labour_list"), {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == p.competition.name and rows[1][5] == "0/12"


# ---------------------------------------------------------------------------------------------
# Query counts


def grow(sd: Any, p: Project, units: int, closed: int) -> None:
    """More units and closed periods, with stored results (what the year table reads)."""
    for i in range(units):
        services.add_unit(actor=sd.jinan_cadre, competition=p.competition,
                          org=of.org(sd.steel, f"第{i}项目部", OrgKind.DEPARTMENT))
    all_units = list(CompetingUnit.objects.filter(competition=p.competition))
    for period in p.periods[:closed]:
        PeriodResult.objects.bulk_create([PeriodResult(period=period, unit=u, score=D(60 + k % 40), place=k + 1)
                                          for k, u in enumerate(all_units)], ignore_conflicts=True)
        Period.objects.filter(pk=period.pk).update(state=PeriodState.CLOSED)


def count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_year_table_takes_the_same_number_of_queries_at_any_size(client, sd, p):
    grow(sd, p, units=0, closed=2)
    client.force_login(sd.jinan_cadre)
    url = reverse("competitions:labour_detail", args=[p.competition.pk])
    client.get(url)  # warm caches
    small = count(client, url)
    grow(sd, p, units=20, closed=10)
    big = count(client, url)
    assert big == small
    table = client.get(url).context["table"]
    assert len(table.rows) == 24 and len(table.closed_periods) == 10 and len(table.split) == 24


def test_the_period_and_grid_pages_take_the_same_number_of_queries_at_any_size(client, sd, p):
    jan = p.periods[0]
    client.force_login(p.a)
    period_url = reverse("competitions:labour_period", args=[p.competition.pk, jan.pk])
    grid_url = reverse("competitions:labour_evaluate", args=[p.competition.pk, jan.pk])
    client.get(period_url)
    small = (count(client, period_url), count(client, grid_url))
    for i in range(15):
        unit = services.add_unit(actor=sd.jinan_cadre, competition=p.competition, name=f"班组{i}")
        grid(p.a, jan, unit, 80 + i % 10)
    assert (count(client, period_url), count(client, grid_url)) == small


def test_the_list_takes_the_same_number_of_queries_at_any_size(client, sd, p):
    client.force_login(sd.province_admin)
    client.get(reverse("competitions:labour_list"))
    small = count(client, reverse("competitions:labour_list"))
    for i in range(8):
        services.create_labour_competition(actor=sd.province_admin, organiser=sd.province, name=f"竞赛{i}", year=2026)
    assert count(client, reverse("competitions:labour_list")) == small


def test_a_period_of_another_competition_is_not_found(client, sd, p):
    other = services.create_labour_competition(actor=sd.jinan_cadre, organiser=sd.jinan, name="另一竞赛", year=2026)
    [q1, *_rest] = services.open_periods(actor=sd.jinan_cadre, competition=other, kind=PeriodKind.QUARTER)
    services.appoint_evaluator(actor=sd.jinan_cadre, competition=other, user=p.a)
    client.force_login(p.a)
    c = p.competition.pk
    assert client.get(reverse("competitions:labour_evaluate", args=[c, q1.pk])).status_code == 404
    assert client.get(reverse("competitions:labour_period", args=[c, q1.pk])).status_code == 404
    client.force_login(sd.jinan_cadre)
    assert client.post(reverse("competitions:labour_period_close", args=[c, q1.pk])).status_code == 404


def test_the_list_answers_htmx_with_its_rows_only(client, sd, p):
    client.force_login(sd.jinan_cadre)
    response = client.get(reverse("competitions:labour_list"), **HTMX)
    assert response.templates[0].name == "competitions/labour/_list_rows.html"
    assert "<html" not in response.content.decode() and p.competition.name in response.content.decode()
