"""The challenges in the API under /api/v1: a cadre creates a challenge, adds levels, reorders and publishes (a
bad rule, a bank of another city, a challenge without levels refused with their codes and fields, nothing changed);
another city gets a 404; a worker reads their progress, map and wrong answers and the leaderboards."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from gongjiang.learning.choices import BoardKind
from gongjiang.learning.models import Challenge, Mistake, OrgStanding, Standing
from gongjiang.orgs.tests.test_api import Api, assert_error

from .challenge_factories import challenges, chinese  # noqa: F401  (fixture: the messages in Chinese)
from .test_challenges_services import rows

pytestmark = pytest.mark.usefixtures("chinese")


@pytest.fixture
def ch(sd):
    return challenges(sd)


def test_a_cadre_builds_and_publishes_a_challenge(sd, ch):
    api = Api(sd.jinan_cadre)
    today = timezone.localdate().isoformat()
    made = api.post("/learning/challenges", {"org_id": sd.jinan.pk, "title": "济南闯关", "opens_on": today})
    assert made.status_code == 201, made.content
    cid = made.json()["id"]
    before = rows()
    assert_error(api.post(f"/learning/challenges/{cid}/publish"), 400, "no_levels", "levels")
    level = {"title": "第一关", "bank_ids": [ch.bank.pk], "draw": [{"count": 9, "kinds": ["truefalse"]}]}
    body = assert_error(api.post(f"/learning/challenges/{cid}/levels", level), 400, "short", "draw")
    assert "第1条规则需抽取9道题" in body["detail"]
    assert_error(api.post(f"/learning/challenges/{cid}/levels", {**level, "bank_ids": [ch.qd_bank.pk]}), 400,
                 field="banks")
    assert_error(api.post(f"/learning/challenges/{cid}/levels", {**level, "time_limit": 5}), 400,
                 field="time_limit")
    assert rows() == before
    one = api.post(f"/learning/challenges/{cid}/levels", {**level, "draw": [{"count": 2}]}).json()
    two = api.post(f"/learning/challenges/{cid}/levels", {**level, "title": "第二关", "draw": [{"count": 3}]})
    assert two.status_code == 201
    ids = [lv["id"] for lv in two.json()["levels"]]
    assert one["levels"][0]["bank_ids"] == [ch.bank.pk]
    reordered = api.put(f"/learning/challenges/{cid}/order", {"level_ids": ids[::-1]}).json()
    assert [lv["title"] for lv in reordered["levels"]] == ["第二关", "第一关"]
    assert api.post(f"/learning/challenges/{cid}/publish").json()["published"] is True
    assert Api(sd.qingdao_cadre).get(f"/learning/challenges/{cid}").status_code == 404
    assert Api(sd.qingdao_cadre).post(f"/learning/challenges/{cid}/withdraw").status_code == 404
    assert [c["id"] for c in api.get("/learning/challenges").json()["items"]] == [cid]


def test_a_worker_reads_progress_map_mistakes_and_boards(sd, ch):
    Mistake.objects.create(person=sd.worker_person, question=ch.bank.questions.filter(kind="truefalse").first(),
                           last_at=timezone.now())
    Standing.objects.create(kind=BoardKind.CHALLENGE, board=ch.challenge.pk, person=sd.worker_person, unit=sd.team,
                            levels=1, score=Decimal(10), seconds=50, reached_at=timezone.now())
    OrgStanding.objects.create(kind=BoardKind.CHALLENGE, board=ch.challenge.pk, org=sd.jinan, takers=1,
                               score_sum=Decimal(10))
    api = Api(sd.worker)
    progress = api.get("/learning/me/progress").json()
    assert progress["mistakes"] == 1 and progress["challenges"][0]["levels"] == 2
    states = [r["state"] for r in api.get(f"/learning/me/challenges/{ch.challenge.pk}").json()]
    assert states == ["open", "locked"]
    mistakes = api.get("/learning/me/mistakes").json()["items"]
    assert mistakes[0]["answer"] in ("正确", "错误") and mistakes[0]["explanation"]
    board = api.get(f"/learning/challenges/{ch.challenge.pk}/board").json()
    assert board["mine"]["rank"] == 1 and board["rows"][0]["name"] == "李强"
    orgs = api.get(f"/learning/challenges/{ch.challenge.pk}/board/orgs").json()
    jinan = next(r for r in orgs["rows"] if r["org"]["id"] == sd.jinan.pk)
    assert jinan["takers"] == 1 and Decimal(jinan["mean"]) == Decimal(10)
    assert api.get(f"/learning/challenges/{ch.challenge.pk}/board/orgs", org_id=sd.qd_enterprise.pk).status_code \
        == 200
    hidden = Challenge.objects.create(org=sd.qingdao, title="青岛闯关", opens_on=timezone.localdate(), published=True)
    assert api.get(f"/learning/me/challenges/{hidden.pk}").status_code == 404
    assert api.get(f"/learning/challenges/{hidden.pk}/board").status_code == 404
    assert Api(sd.jinan_cadre).get("/learning/me/progress").status_code == 403
