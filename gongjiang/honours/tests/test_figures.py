"""评选统计: a union's quota, nominated, forwarded, shortlisted and conferred per campaign of a year, from the
counters — scoped, exported, in a constant number of queries. (The package's client asks for English pages; the
Chinese comes from the translations, checked by tests/test_no_english.py.)"""

from __future__ import annotations

import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongjiang.honours import services

from .factories import holder

URL = reverse("honours:figures")


def test_jinan_reads_its_share_what_was_nominated_and_the_titles_conferred(client, hw):
    sd = hw.sd
    n = hw.team_nomination()
    services.submit_nomination(actor=sd.enterprise_cadre, nomination=n)
    holder("province_pioneer", org_=sd.workshop, year=hw.pioneer.year)
    client.force_login(sd.jinan_cadre)
    page = client.get(URL, {"org": sd.jinan.pk})
    assert page.status_code == 200
    row = next(r for r in page.context["rows"] if r.allocation.campaign_id == hw.pioneer.pk)
    share = hw.share(sd.jinan)
    assert (row.allocation.quota, row.allocation.nominated, row.conferred) == (share.quota, 1, 1)
    assert row.used_percent == round(100 / share.quota)
    html = page.content.decode()
    assert "Nomination figures" in html and hw.pioneer.title in html and "Share of the quota used" in html
    export = client.get(URL, {"org": sd.jinan.pk, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    titles = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert hw.pioneer.title in titles


def test_another_city_and_a_worker_are_refused(client, hw):
    sd = hw.sd
    client.force_login(sd.qingdao_cadre)
    assert client.get(URL, {"org": sd.jinan.pk}).status_code == 404
    client.force_login(sd.worker)
    assert client.get(URL, {"org": sd.jinan.pk}).status_code == 403


def test_a_union_without_a_share_is_told_so(client, hw):
    client.force_login(hw.sd.enterprise_cadre)
    page = client.get(URL, {"org": hw.sd.steel.pk})
    assert page.status_code == 200 and "holds no share of a campaign yet" in page.content.decode()


def test_the_figures_keep_a_constant_number_of_queries(client, hw):
    sd = hw.sd
    client.force_login(sd.province_admin)
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"org": sd.province.pk})
    services.submit_nomination(actor=sd.enterprise_cadre, nomination=hw.team_nomination())
    services.submit_nomination(actor=sd.enterprise_cadre, nomination=hw.person_nomination())
    for i in range(3):
        holder("province_pioneer", org_=sd.workshop, year=hw.pioneer.year - i)
    with CaptureQueriesContext(connection) as big:
        client.get(URL, {"org": sd.province.pk})
    assert len(big) == len(small)


def test_a_cadres_home_page_charts_the_latest_years_nominations_and_links_to_the_figures(client, hw):
    sd = hw.sd
    n = hw.team_nomination()
    services.submit_nomination(actor=sd.enterprise_cadre, nomination=n)
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("orgs:home"))
    panel = next(p for p in page.context["panels"] if p["key"] == "honours.nominations")
    assert panel["year"] == hw.pioneer.year
    row = next(r for r in panel["rows"] if r.allocation.campaign_id == hw.pioneer.pk)
    assert row.allocation.nominated == 1
    chart = panel["chart"]["types"]
    assert hw.pioneer.honour_type.name in chart["labels"] and 1 in chart["nominated"]
    html = page.content.decode()
    assert f"Honours nominations of {hw.pioneer.year}" in html and f"{URL}?org={sd.jinan.pk}" in html
    client.force_login(sd.worker)
    assert "honours-nominations" not in client.get(reverse("orgs:home")).content.decode()
