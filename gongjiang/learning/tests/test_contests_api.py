"""The contests and theory exams in the API under /api/v1, same verbs and scopes as the pages: out of scope is a
404; a refusal is a 400 naming its field with nothing changed; entering returns the attempt and its ticket."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from gongjiang.competitions import services as cs
from gongjiang.competitions.tests.factories import season
from gongjiang.learning.models import Attempt, Contest, TheoryExam
from gongjiang.orgs.tests.test_api import Api, assert_error

from .contest_factories import bank, contest, org_standing

pytestmark = pytest.mark.django_db


def payload(b, **kw):
    now = timezone.now()
    data = {"org_id": b.org_id, "title": "法律知识竞赛", "opens_at": (now - datetime.timedelta(hours=1)).isoformat(),
            "closes_at": (now + datetime.timedelta(days=1)).isoformat(), "bank_ids": [b.pk],
            "draw": [{"count": 5, "kinds": ["single"]}], "time_limit": 900, "max_attempts": 1,
            "prizes": {"一等奖": 1}}
    data.update(kw)
    return data


def test_set_up_change_publish_and_read_within_the_scope(sd):
    b = bank(sd.jinan)
    made = Api(sd.jinan_cadre).post("/learning/contests", payload(b))
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["question_count"] == 5 and body["draw"] == [{"count": 5, "kinds": ["single"]}]
    assert body["figures"]["takers"] == 0 and not body["published"]
    pk = body["id"]
    assert Api(sd.qingdao_cadre).get(f"/learning/contests/{pk}").status_code == 404
    assert Api(sd.qingdao_cadre).get("/learning/contests").json()["items"] == []
    assert [c["id"] for c in Api(sd.province_admin).get("/learning/contests").json()["items"]] == [pk]
    assert_error(Api(sd.jinan_viewer).post(f"/learning/contests/{pk}/publish"), 403)
    published = Api(sd.jinan_cadre).post(f"/learning/contests/{pk}/publish")
    assert published.status_code == 200 and published.json()["published"]
    assert_error(Api(sd.jinan_cadre).put(f"/learning/contests/{pk}", {**payload(b), "title": "改"}), 400, "state")


def test_bad_input_is_refused_naming_the_field_and_nothing_changes(sd):
    b = bank(sd.jinan, n=3)
    api = Api(sd.jinan_cadre)
    now = timezone.now()
    assert_error(api.post("/learning/contests", payload(b)), 400, None, "draw")  # 5 wanted, 3 held
    assert_error(api.post("/learning/contests", payload(b, draw=[{"count": 2}], closes_at=(
        now - datetime.timedelta(hours=2)).isoformat())), 400, None, "closes_at")
    assert_error(api.post("/learning/contests", payload(b, draw=[{"count": 2}], prizes={"一等奖": 0})), 400, None,
                 "prizes")
    other = bank(sd.qingdao)
    assert_error(api.post("/learning/contests", payload(b, draw=[{"count": 2}], bank_ids=[other.pk])), 400, None,
                 "banks")
    assert_error(api.post("/learning/contests", payload(b, org_id=sd.qingdao.pk)), 404, None, "org_id")
    assert not Contest.objects.exists()


def test_ranking_and_results_per_unit(sd):
    c = contest(sd)
    org_standing(c, sd.jinan, takers=3, attempts=4, score_sum="60")
    units = Api(sd.province_admin).get(f"/learning/contests/{c.pk}/units").json()
    jinan = next(u for u in units if u["org"]["id"] == sd.jinan.pk)
    assert jinan["takers"] == 3 and jinan["mean_score"] == "20.0"
    assert Api(sd.province_admin).get(f"/learning/contests/{c.pk}/units", org_id=sd.qingdao_cadre.pk
                                      ).status_code in (200, 404)
    assert Api(sd.province_admin).get(f"/learning/contests/{c.pk}/ranking").json() == []
    assert Api(sd.jinan_cadre).get(f"/learning/contests/{c.pk}/ranking").status_code == 404
    report = Api(sd.province_admin).get(f"/learning/contests/{c.pk}/suspicious")
    assert report.status_code == 200 and report.json() == {"identical": [], "too_fast": [], "bursts": []}


def test_a_worker_enters_and_gets_the_attempt_and_its_ticket(sd):
    c = contest(sd)
    entered = Api(sd.worker).post(f"/learning/contests/{c.pk}/enter")
    assert entered.status_code == 201, entered.content
    body = entered.json()
    assert Attempt.objects.get(pk=body["attempt_id"]).person == sd.worker_person and body["ticket"]
    assert_error(Api(sd.worker).post(f"/learning/contests/{c.pk}/enter"), 400, "active")
    qingdao = contest(sd, bank(sd.qingdao), org=sd.qingdao)
    assert Api(sd.worker).post(f"/learning/contests/{qingdao.pk}/enter").status_code == 404
    assert Attempt.objects.count() == 1


def test_theory_exams_through_the_api(sd):
    s = season(sd)
    cs.register(actor=sd.worker, person=sd.worker_person, rnd=s.jinan_round)
    b = bank(sd.jinan)
    data = {**payload(b), "round_id": s.jinan_round.pk}
    data.pop("org_id")
    assert_error(Api(sd.qingdao_cadre).post("/learning/theory-exams", data), 404, None, "round_id")
    made = Api(sd.jinan_cadre).post("/learning/theory-exams", data)
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert Api(sd.jinan_cadre).post(f"/learning/theory-exams/{pk}/open").json()["state"] == "open"
    started = Api(sd.worker).post(f"/learning/theory-exams/{pk}/start")
    assert started.status_code == 201 and Attempt.objects.get(pk=started.json()["attempt_id"]).theory_exam_id == pk
    assert Api(sd.qd_person and sd.qingdao_cadre).post(f"/learning/theory-exams/{pk}/start").status_code == 404
    assert_error(Api(sd.jinan_cadre).post(f"/learning/theory-exams/{pk}/close"), 400, "running")
    assert TheoryExam.objects.get(pk=pk).state == "open"
