"""The labour pages' finish: every page of the area takes its styles from the app's one stylesheet (no
per-area file, no inline block), and the list fragment keeps its table, or says there is nothing to list."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongjiang.competitions.tests.test_labour import Project, project

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def p(sd) -> Project:
    return project(sd)


def test_the_labour_pages_link_the_apps_stylesheet(client, sd, p):
    client.force_login(sd.jinan_cadre)
    c, jan = p.competition.pk, p.periods[0].pk
    for url in (
        reverse("competitions:labour_list"),
        reverse("competitions:labour_detail", args=[c]),
        reverse("competitions:labour_period", args=[c, jan]),
        reverse("competitions:labour_indicators", args=[c]),
    ):
        html = client.get(url).content.decode()
        assert "competitions/competitions.css" in html and 'class="labour-page"' in html, url
        assert "competitions/labour.css" not in html and "<style" not in html, url


def test_the_list_fragment_keeps_its_table_or_says_there_is_nothing(client, sd, p):
    client.force_login(sd.jinan_cadre)
    html = client.get(reverse("competitions:labour_list"), **HTMX).content.decode()
    assert '<div class="table-wrap">' in html and p.competition.name in html
    client.force_login(sd.qingdao_cadre)
    html = client.get(reverse("competitions:labour_list"), **HTMX).content.decode()
    assert "No labour competition is visible to you yet." in html and "<table" not in html
