"""Every contest and theory exam page and button for every persona: anonymous (to the log-in), a worker, a cadre of
another subtree (404), a viewer of the organiser (reads, no changes: 403), the organiser's cadre and the province
above it. Pages are asked in English here (the msgids); the Chinese is the translation tests'."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongjiang.competitions import services as cs
from gongjiang.competitions.tests.factories import season
from gongjiang.learning.services import theory as theory_services

from .contest_factories import bank, contest, paper_data

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "worker", "qingdao_cadre", "county_cadre", "jinan_viewer", "jinan_cadre", "province_admin"]
ORGANISER = {"jinan_cadre": None, "province_admin": None}


@pytest.fixture
def world(sd):
    b = bank(sd.jinan)
    running = contest(sd, b, org=sd.jinan)
    later = timezone.now() + datetime.timedelta(days=1)
    draft = contest(sd, b, org=sd.jinan, publish=False, opens_at=later, closes_at=later + datetime.timedelta(hours=1))
    s = season(sd)
    cs.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    exam = theory_services.create_theory_exam(actor=sd.jinan_cadre, round_id=s.jinan_round.pk,
                                              data=paper_data(b, title="车工理论考试"))
    return {"c": running, "draft": draft, "round": s.jinan_round, "exam": exam}


def client_for(sd, who):
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    if who != "anonymous":
        c.force_login(getattr(sd, who))
    return c


# url name, args (keys of the world), method, {persona: status}; personas not named get `default`
CADRE_PAGES = [
    ("learning:contest_list", [], "get", {"worker": 403}, 200),
    ("learning:contest_detail", ["c"], "get", {"worker": 404, "qingdao_cadre": 404, "county_cadre": 404}, 200),
    ("learning:contest_ranking", ["c"], "get", {"worker": 404, "qingdao_cadre": 404, "county_cadre": 404}, 200),
    ("learning:contest_units", ["c"], "get", {"worker": 404, "qingdao_cadre": 404, "county_cadre": 404}, 200),
    ("learning:contest_edit", ["draft"], "get", {"worker": 404, "qingdao_cadre": 404, "county_cadre": 404,
                                                 "jinan_viewer": 403}, 200),
    ("learning:contest_certificates", ["c"], "get", {"worker": 404, "qingdao_cadre": 404, "county_cadre": 404,
                                                     "jinan_viewer": 403}, 200),
    ("learning:contest_suspicious", ["c"], "get", {"worker": 404, "qingdao_cadre": 404, "county_cadre": 404,
                                                   "jinan_viewer": 403}, 200),
    ("learning:contest_publish", ["draft"], "post", {"worker": 404, "qingdao_cadre": 404, "county_cadre": 404,
                                                     "jinan_viewer": 403}, 302),
    ("learning:contest_results", ["c"], "post", {"worker": 404, "qingdao_cadre": 404, "county_cadre": 404,
                                                 "jinan_viewer": 403}, 302),
    ("learning:theory_list", [], "get", {"worker": 403}, 200),
    ("learning:theory_detail", ["exam"], "get", {"worker": 404, "qingdao_cadre": 404, "county_cadre": 404}, 200),
    ("learning:theory_edit", ["exam"], "get", {"worker": 404, "qingdao_cadre": 404, "county_cadre": 404,
                                               "jinan_viewer": 403}, 200),
    ("learning:theory_create", ["round"], "get", {"worker": 404, "qingdao_cadre": 404, "county_cadre": 404,
                                                  "jinan_viewer": 404}, 200),
    ("learning:theory_open", ["exam"], "post", {"worker": 404, "qingdao_cadre": 404, "county_cadre": 404,
                                                "jinan_viewer": 403}, 302),
]


@pytest.mark.parametrize("who", PERSONAS)
def test_the_cadres_pages_and_buttons(sd, world, who):
    client = client_for(sd, who)
    seen = {}
    for name, keys, method, special, default in CADRE_PAGES:
        url = reverse(name, args=[world[k].pk for k in keys])
        response = getattr(client, method)(url)
        expected = 302 if who == "anonymous" else special.get(who, default)
        seen[name] = (response.status_code, expected)
        if who == "anonymous":
            assert response.status_code == 302 and "/login" in response["Location"], name
    assert {n: s for n, (s, e) in seen.items() if s != e} == {}, seen
    if who in ("jinan_viewer", "qingdao_cadre", "county_cadre", "worker", "anonymous"):
        world["draft"].refresh_from_db()
        assert not world["draft"].published  # a refused button changed nothing


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("worker", 403), ("jinan_viewer", 403),
                                         ("qingdao_cadre", 200), ("jinan_cadre", 200), ("province_admin", 200)])
def test_the_new_contest_page(sd, world, who, status):
    assert client_for(sd, who).get(reverse("learning:contest_create")).status_code == status


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("jinan_cadre", 403), ("worker", 200)])
def test_the_workers_contest_list(sd, world, who, status):
    assert client_for(sd, who).get(reverse("learning:contest_open")).status_code == status


@pytest.mark.parametrize("who, status", [("anonymous", 302), ("jinan_cadre", 403), ("worker", 200)])
def test_a_workers_own_result_page(sd, world, who, status):
    assert client_for(sd, who).get(reverse("learning:contest_mine", args=[world["c"].pk])).status_code == status


def test_a_contest_outside_the_workers_tree_or_unpublished_is_a_404(sd, world):
    qingdao = contest(sd, bank(sd.qingdao), org=sd.qingdao)
    client = client_for(sd, "worker")
    for pk in (qingdao.pk, world["draft"].pk):
        assert client.get(reverse("learning:contest_mine", args=[pk])).status_code == 404
        assert client.post(reverse("learning:contest_enter", args=[pk])).status_code == 404


def test_the_theory_exam_page_is_for_the_rounds_contestants(sd, world):
    url = reverse("learning:theory_take", args=[world["exam"].pk])
    assert client_for(sd, "worker").get(url).status_code == 200
    assert client_for(sd, "jinan_cadre").get(url).status_code == 403
    assert client_for(sd, "anonymous").get(url).status_code == 302
    from gongjiang.orgs.tests.factories import person, user

    outsider = user("outsider", person=person(sd.team, "赵六"))
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(outsider)
    assert c.get(url).status_code == 404
    assert c.post(reverse("learning:theory_start", args=[world["exam"].pk])).status_code == 404
