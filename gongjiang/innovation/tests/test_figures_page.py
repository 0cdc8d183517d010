"""创新统计 (part 6 of issue 10): every figure of an org and year read from the fact store (`innovation.*` of the whole
reach, yearly rows, the technical associations' `innovation.tech_*` included) in a constant number of queries, shown
on the figures page with charts (this year beside last, five years, stages, prizes, the units below with a
drill-down), exported to Excel (the units; the five years), on the cadres' overview panel, and in the API."""

from __future__ import annotations

import datetime
import io
import json
import re
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from openpyxl import load_workbook

from gongjiang.innovation import techassoc_counters
from gongjiang.innovation.queries import figures as q
from gongjiang.orgs import facts
from gongjiang.orgs.tests import factories
from gongjiang.orgs.tests.test_api import Api

YEAR = timezone.localdate().year


def add(unit, year: int, **figures) -> None:
    """Figures of a unit in `year` (on 1 March), by their names without "innovation." (the verbs add them so)."""
    facts.add(unit, datetime.date(year, 3, 1), {f"innovation.{k}": v for k, v in figures.items()})


def _fill(sd) -> None:
    """济钢 (below 历下, 济南 and the province; in the metallurgy union) has figures this year and last, and a
    technical association whose members joined over three years."""
    add(sd.steel, YEAR, proposals_submitted=10, proposals_adopted=4, benefits_accounted=2,
        benefit=Decimal("123456.78"), proposals_rewarded=2, rewards=Decimal("8000"), projects_finding=3,
        projects_transferred=1, achievements=5, awards_first=1, awards_second=2, awards_third=1, matches_signed=2,
        signed_value=Decimal("1500000"))
    add(sd.steel, YEAR - 1, proposals_submitted=6, proposals_adopted=3, benefit=Decimal("50000"))
    add(sd.qd_enterprise, YEAR, proposals_submitted=2)
    techassoc_counters.add(sd.steel, datetime.date(YEAR - 2, 5, 1), joined=5)
    techassoc_counters.add(sd.steel, datetime.date(YEAR - 1, 5, 1), joined=3, left=1, exchange=2)
    techassoc_counters.add(sd.steel, datetime.date(YEAR, 1, 2), joined=4, left=2, exchange=1, service=2, consulting=1,
                           contracts=3,
                           contract_value=Decimal("250000"))


def test_the_figures_carry_every_counter_including_the_technical_associations(sd):
    _fill(sd)
    f = q.year_figures(sd.jinan, YEAR)
    assert (f.submitted, f.adopted, f.adoption_rate, f.benefit_wan, f.rewards_wan) == (
        10, 4, Decimal("40.0"), Decimal("12.35"), Decimal("0.80"))
    assert f.project_stages[0] == 3 and f.projects_transferred == 1
    assert (f.achievements, f.award_levels, f.prizes) == (5, [1, 2, 1], 4)
    assert (f.matches_signed, f.signed_value_wan) == (2, Decimal("150.00"))
    # Members at the year's end are the flows up to it: 5 + (3 - 1) + (4 - 2).
    assert (f.tech_members, f.tech_joined, f.tech_left) == (9, 4, 2)
    assert (f.tech_activities, f.tech_contracts, f.tech_contract_value_wan) == (4, 3, Decimal("25.00"))
    last = q.year_figures(sd.jinan, YEAR - 1)
    assert (last.submitted, last.tech_members, last.tech_activities) == (6, 7, 2)
    # A year with technical associations' figures only (no innovation facts) still has them.
    early = q.year_figures(sd.jinan, YEAR - 2)
    assert (early.submitted, early.tech_members) == (0, 5)
    # The industry union's reach counts its affiliates; Qingdao has none of it.
    assert q.year_figures(sd.metallurgy, YEAR).tech_members == 9
    assert q.year_figures(sd.qingdao, YEAR).tech_members == 0


def test_the_figures_are_read_in_a_constant_number_of_queries(sd, django_assert_num_queries):
    _fill(sd)
    # each read: the yearly facts, and the proposals not yet folded into them
    with django_assert_num_queries(2):
        q.year_figures(sd.province, YEAR)
    with django_assert_num_queries(2):
        this, last = q.this_and_last(sd.province, YEAR)
    assert (this.submitted, last.submitted, this.tech_members, last.tech_members) == (12, 6, 9, 7)
    with django_assert_num_queries(2):
        history = q.series(sd.province, YEAR)
    assert [f.year for f in history] == list(range(YEAR - 4, YEAR + 1))
    assert [f.tech_members for f in history][-3:] == [5, 7, 9]
    with django_assert_num_queries(4):  # the children, their facts, their members' flows, those not folded
        few = q.children_figures(sd.province, YEAR)
    for i in range(8):
        more = factories.org(sd.province, f"第{i}市总工会", sd.jinan.kind, f"37{90 + i}")
        add(more, YEAR, proposals_submitted=1)
        techassoc_counters.add(more, datetime.date(YEAR, 1, 2), joined=2)
    with django_assert_num_queries(4):
        many = q.children_figures(sd.province, YEAR)
    assert len(many) == len(few) + 8
    jinan = next(f for f in many if f.org == sd.jinan)
    assert (jinan.submitted, jinan.tech_members, jinan.tech_contracts) == (10, 9, 3)
    assert sum(f.tech_members for f in many if f.org.name.startswith("第")) == 16


def test_the_page_shows_this_year_beside_last_with_charts_and_a_drill_down(client, sd):
    _fill(sd)
    client.force_login(sd.jinan_cadre)
    r = client.get(reverse("innovation:figures"), {"org": sd.jinan.pk, "year": YEAR})
    assert r.status_code == 200
    page = r.content.decode()
    tree = lxml_html.fromstring(page)
    tiles = {" ".join(t.xpath("./div[@class='lbl']/text()")[:1]): t.xpath("string(./div[@class='num'])").strip()
             for t in tree.xpath("//*[@id='kpis']//div[@class='stat']")}
    assert tiles["Proposals submitted"].startswith("10") and tiles["Technical association members at year end"]
    assert "▲" in tiles["Proposals submitted"] and tiles["Adoption rate"].startswith("40.0%")
    assert tiles["Contract value signed (10,000 yuan)"].startswith("150.00")
    # The charts: the ECharts copy and our script from our origin, their data as JSON (no inline script).
    assert "vendor/echarts-5.6.0.min.js" in page and "innovation/figures.js" in page
    inline = [s for s in tree.xpath("//script") if not s.get("src") and s.get("type") != "application/json"]
    assert inline == []
    charts = json.loads(tree.get_element_by_id("fig-data").text)
    assert charts["years"]["labels"] == [str(y) for y in range(YEAR - 4, YEAR + 1)]
    assert charts["years"]["submitted"][-2:] == [6, 10] and charts["years"]["benefit"][-1] == 12.35
    assert charts["stages"]["values"][0] == 3 and charts["awards"]["values"] == [1, 2, 1]
    kinds = {el.get("data-figures-chart") for el in tree.xpath("//*[@data-figures-chart]")}
    assert kinds == {"years", "stages", "awards", "children"}
    # A bar per unit directly below, each opening that unit's figures.
    children = charts["children"]
    assert children["labels"] == [sd.lixia.display_name] and children["submitted"] == [10]
    drill = client.get(children["urls"][0])
    assert drill.status_code == 200 and drill.context["org"] == sd.lixia
    # The technical associations' table.
    assert 'id="techassoc-figures"' in page and 'id="award-figures"' in page


def test_the_exports_hold_every_figure_of_the_units_and_of_the_five_years(client, sd):
    _fill(sd)
    client.force_login(sd.jinan_cadre)
    x = client.get(reverse("innovation:figures"), {"org": sd.jinan.pk, "year": YEAR, "export": "xlsx"})
    sheet = list(load_workbook(io.BytesIO(x.content)).active.values)
    headers, rows = sheet[0], {r[0]: dict(zip(sheet[0], r, strict=True)) for r in sheet[1:]}
    for column in ("First prizes", "Matches signed", "Technical association members at year end",
                   "Four technical services value (10,000 yuan)", "Promotion and transfer", "Achievements submitted"):
        assert column in headers
    assert rows[sd.jinan.name]["Technical association members at year end"] == 9
    assert rows[sd.lixia.name]["Second prizes"] == 2
    y = client.get(reverse("innovation:figures"), {"org": sd.jinan.pk, "year": YEAR, "export": "years"})
    years = list(load_workbook(io.BytesIO(y.content)).active.values)
    assert years[0][0] == "Year" and [r[0] for r in years[1:]] == list(range(YEAR - 4, YEAR + 1))
    by_year = {r[0]: dict(zip(years[0], r, strict=True)) for r in years[1:]}
    assert by_year[YEAR - 1]["Submitted"] == 6 and by_year[YEAR - 2]["Technical association members at year end"] == 5


def test_the_overview_panel_compares_this_year_with_last(client, sd):
    _fill(sd)
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("orgs:home")).content.decode()
    tree = lxml_html.fromstring(page)
    panel = tree.get_element_by_id("innovation-figures")
    labels = [t.xpath("string(./div[@class='lbl'])") for t in panel.xpath(".//div[@class='stat']")]
    assert labels == ["Proposals submitted", "Adoption rate", "Net benefit (10,000 yuan)",
                      "Projects promoted and transferred", "Achievements awarded a prize", "Exhibition matches signed",
                      "Technical association members at year end"]
    assert re.sub(r"\s+", " ", panel.xpath(".//div[@class='stat']")[-1].text_content()).strip().startswith("9 ▲")
    chart = json.loads(tree.get_element_by_id("fig-home-data").text)["compare"]
    assert chart["now"] == [10, 4, 1, 4, 2] and chart["before"] == [6, 3, 0, 0, 0]
    assert panel.xpath(f".//a[@href='{reverse('innovation:figures')}']")


def test_the_api_returns_every_figure_and_the_schema_documents_them(sd):
    _fill(sd)
    f = Api(sd.jinan_cadre).get("/innovation/figures", org_id=sd.jinan.pk, year=YEAR).json()
    assert (f["submitted"], f["adopted"], f["adoption_rate"], f["benefit_wan"]) == (10, 4, "40.0", "12.35")
    assert [(s["stage"], s["count"]) for s in f["projects"]][:2] == [("finding", 3), ("approved", 0)]
    assert f["projects"][-2]["stage"] == "transferred" and f["projects"][-2]["count"] == 1
    assert (f["achievements"], f["awards_first"], f["awards_second"], f["awards_third"]) == (5, 1, 2, 1)
    assert (f["matches_signed"], f["signed_value_wan"]) == (2, "150.00")
    assert (f["tech_members"], f["tech_joined"], f["tech_left"], f["tech_activities"]) == (9, 4, 2, 4)
    assert {k["kind"]: k["count"] for k in f["tech_activities_by_kind"]}["service"] == 2
    assert (f["tech_contracts"], f["tech_contract_value"], f["tech_contract_value_wan"]) == (3, "250000.00", "25.00")
    assert Api(sd.qingdao_cadre).get("/innovation/figures", org_id=sd.jinan.pk, year=YEAR).status_code == 404
    schema = Api().client.get("/api/v1/openapi.json").json()
    ref = schema["paths"]["/api/v1/innovation/figures"]["get"]["responses"]["200"]["content"]["application/json"]
    fields = schema["components"]["schemas"][ref["schema"]["$ref"].rsplit("/", 1)[1]]["properties"]
    for name in ("projects", "awards_first", "matches_signed", "signed_value_wan", "tech_members",
                 "tech_activities_by_kind", "tech_contract_value_wan"):
        assert name in fields
    assert fields["tech_members"]["description"]
