"""The attempt endpoints under /api/v1: a worker reads their attempt as shown (no key), answers with its ticket
(a position not in it, a letter with no option, another attempt's ticket refused with their codes and fields;
after the time limit or the submission a 409), submits once and reads the review; another worker gets a 404."""

from __future__ import annotations

import datetime

import pytest

from gongjiang.learning import services
from gongjiang.learning.choices import Purpose
from gongjiang.learning.models import Answer, Attempt, Question
from gongjiang.learning.rules import scoring
from gongjiang.orgs.tests.test_api import Api, assert_error

from . import factories as f

pytestmark = pytest.mark.django_db


def _attempt(sd, person=None, account=None, n=3):
    bank = f.bank(sd.province, f"接口题库{Attempt.objects.count()}", single=n)
    Question.objects.filter(bank=bank).update(explanation="见安全生产法")
    level = f.level(sd.province, [bank], draw=[{"count": n}])
    return services.start(actor=account or sd.worker, person=person or sd.worker_person, purpose=Purpose.LEVEL,
                          level=level)


def test_a_worker_reads_answers_and_submits_their_attempt(sd):
    attempt = _attempt(sd)
    api = Api(sd.worker)
    shown = api.get(f"/learning/attempts/{attempt.pk}")
    assert shown.status_code == 200, shown.content
    body = shown.json()
    assert body["state"] == "active" and len(body["questions"]) == 3 and body["ticket"]
    assert "见安全生产法" not in shown.content.decode() and body["review"] == []
    q_id, order = attempt.paper[0]
    right = scoring.displayed(Question.objects.get(pk=q_id).answer, order)
    saved = api.post(f"/learning/attempts/{attempt.pk}/answers", {"ticket": body["ticket"], "position": 0,
                                                                  "given": right})
    assert saved.status_code == 200 and saved.json() == {"ok": True}
    assert api.get(f"/learning/attempts/{attempt.pk}").json()["questions"][0]["given"] == right
    done = api.post(f"/learning/attempts/{attempt.pk}/submit")
    assert done.status_code == 200
    result = done.json()
    assert (result["state"], result["score"], result["correct"]) == ("submitted", "1.0", 1)
    assert result["review"][0]["right"] == right and result["review"][0]["explanation"] == "见安全生产法"
    again = api.post(f"/learning/attempts/{attempt.pk}/submit").json()
    assert (again["score"], again["seconds"]) == (result["score"], result["seconds"])
    late = api.post(f"/learning/attempts/{attempt.pk}/answers", {"ticket": body["ticket"], "position": 1,
                                                                 "given": "A"})
    assert_error(late, 409, "submitted", "given")
    assert Answer.objects.filter(attempt=attempt).count() == 1


@pytest.mark.parametrize("position,given,code,field", [
    (3, "A", "position", "position"),
    (0, "F", "given", "given"),
])
def test_answers_the_attempt_cannot_take_are_refused_and_nothing_is_saved(sd, position, given, code, field):
    attempt = _attempt(sd)
    api = Api(sd.worker)
    ticket = api.get(f"/learning/attempts/{attempt.pk}").json()["ticket"]
    assert_error(api.post(f"/learning/attempts/{attempt.pk}/answers",
                          {"ticket": ticket, "position": position, "given": given}), 400, code, field)
    assert not Answer.objects.exists()


def test_another_attempts_ticket_a_forged_one_and_a_late_answer_are_refused(sd):
    from gongjiang.learning.queries.attempts import ticket as ticket_of
    from gongjiang.orgs.tests.factories import person, user

    mine = _attempt(sd)
    other = person(sd.team, "赵六")
    theirs = _attempt(sd, other, user("zhao", person=other))
    api = Api(sd.worker)
    assert_error(api.post(f"/learning/attempts/{mine.pk}/answers",
                          {"ticket": ticket_of(theirs), "position": 0, "given": "A"}), 400, "ticket", "ticket")
    assert_error(api.post(f"/learning/attempts/{mine.pk}/answers",
                          {"ticket": "forged", "position": 0, "given": "A"}), 400, "ticket", "ticket")
    Attempt.objects.filter(pk=mine.pk).update(deadline=mine.started_at - datetime.timedelta(seconds=30))
    mine.refresh_from_db()
    assert_error(api.post(f"/learning/attempts/{mine.pk}/answers",
                          {"ticket": ticket_of(mine), "position": 0, "given": "A"}), 409, "late", "given")
    assert not Answer.objects.exists()


def test_another_workers_attempt_and_a_cadre_get_a_404(sd):
    attempt = _attempt(sd)
    for account in (sd.province_admin, sd.jinan_cadre):
        api = Api(account)
        assert_error(api.get(f"/learning/attempts/{attempt.pk}"), 404)
        assert_error(api.post(f"/learning/attempts/{attempt.pk}/submit"), 404)
    assert Attempt.objects.get(pk=attempt.pk).active
