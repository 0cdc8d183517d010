"""The challenges' pages: a cadre creates a challenge, adds a level with its draw rules in the level editor (a bad
rule shown in Chinese, nothing changed), reorders and publishes; another city sees none of it (404); a worker sees
the challenges open to them, the map of levels, the wrong-answer notebook (correct answer and explanation, never for
a question of an attempt in progress) and the leaderboards read from the standings."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gongjiang.learning.choices import AttemptState, BoardKind, Purpose
from gongjiang.learning.models import Attempt, Challenge, Mistake, OrgStanding, Standing

from .challenge_factories import challenges, chinese  # noqa: F401  (fixture: the messages in Chinese)
from .test_challenges_services import rows

pytestmark = pytest.mark.usefixtures("chinese")


@pytest.fixture
def client():
    """A browser in the site's language (the package's conftest gives an English one)."""
    from django.test import Client

    return Client()


@pytest.fixture
def ch(sd):
    return challenges(sd)


def _attempt(ch, level, *, passed=True, score="3", purpose=Purpose.LEVEL, state=AttemptState.SUBMITTED, paper=None,
             when=None):
    now = when or timezone.now()
    return Attempt.objects.create(person=ch.sd.worker_person, unit=ch.sd.team, purpose=purpose, level=level,
                                  started_at=now, deadline=now + datetime.timedelta(minutes=5),
                                  submitted_at=now if state != AttemptState.ACTIVE else None, state=state,
                                  score=Decimal(score), max_score=Decimal(3), passed=passed, paper=paper or [])


def test_a_cadre_creates_a_challenge_and_a_level_with_draw_rules(client, sd, ch):
    client.force_login(sd.jinan_cadre)
    url = reverse("learning:challenge_create") + f"?org={sd.jinan.pk}"
    assert client.get(url).status_code == 200
    today = timezone.localdate()
    r = client.post(url, {"title": "济南安全闯关", "opens_on": today.isoformat(), "closes_on": "", "badge": "",
                          "description": ""})
    c = Challenge.objects.get(title="济南安全闯关")
    assert r.status_code == 302 and c.org == sd.jinan
    level_url = reverse("learning:level_create", args=[c.pk])
    page = client.get(level_url)
    assert page.status_code == 200 and ch.bank in page.context["form"].fields["banks"].queryset
    assert ch.qd_bank not in page.context["form"].fields["banks"].queryset
    form = {"title": "第一关", "banks": [ch.bank.pk], "time_limit": 5, "pass_mark": 60, "max_attempts": 3,
            "points": 10, "badge": "", "partial": 50, "shuffle": "on",
            "rule-TOTAL_FORMS": 2, "rule-INITIAL_FORMS": 0, "rule-MIN_NUM_FORMS": 0, "rule-MAX_NUM_FORMS": 20,
            "rule-0-count": 5, "rule-0-kinds": ["truefalse"], "rule-0-tags": "",
            "rule-1-count": "", "rule-1-tags": ""}
    before = rows()
    bad = client.post(level_url, form)
    assert bad.status_code == 400
    assert "第1条规则需抽取5道题" in bad.content.decode()
    assert rows() == before
    form["rule-0-count"] = 2
    form["rule-1-count"] = 1
    form["rule-1-kinds"] = ["single"]
    form["rule-1-difficulty"] = ["1"]
    form["rule-1-tags"] = "安全生产"
    assert client.post(level_url, form).status_code == 302
    lv = c.levels.get()
    assert lv.draw == [{"count": 2, "kinds": ["truefalse"]},
                       {"count": 1, "kinds": ["single"], "difficulty": [1], "tags": ["安全生产"]}]
    assert lv.time_limit == 300
    edit = client.get(reverse("learning:level_edit", args=[c.pk, lv.pk]))
    assert edit.status_code == 200 and edit.context["rules"].forms[1].initial["tags"] == "安全生产"
    r = client.post(reverse("learning:challenge_publish", args=[c.pk]), follow=True)
    c.refresh_from_db()
    assert c.published and "已发布" in r.content.decode()


def test_publishing_without_levels_shows_the_reason(client, sd):
    c = Challenge.objects.create(org=sd.jinan, title="空", opens_on=timezone.localdate())
    client.force_login(sd.jinan_cadre)
    r = client.post(reverse("learning:challenge_publish", args=[c.pk]), follow=True)
    assert "发布前请至少添加一个关卡" in r.content.decode()
    c.refresh_from_db()
    assert not c.published


def test_levels_move_up_and_down(client, sd, ch):
    client.force_login(sd.province_admin)
    client.post(reverse("learning:level_move", args=[ch.challenge.pk, ch.level2.pk]), {"direction": "up"})
    assert list(ch.challenge.levels.order_by("number").values_list("pk", flat=True)) == [ch.level2.pk, ch.level1.pk]


def test_another_city_sees_nothing_of_a_jinan_challenge(client, sd):
    c = Challenge.objects.create(org=sd.jinan, title="济南闯关", opens_on=timezone.localdate())
    client.force_login(sd.qingdao_cadre)
    assert c not in client.get(reverse("learning:challenge_list")).context["page"].object_list
    for name in ("challenge_detail", "challenge_edit", "challenge_figures", "level_create", "board_people"):
        assert client.get(reverse(f"learning:{name}", args=[c.pk])).status_code == 404, name
    assert client.post(reverse("learning:challenge_publish", args=[c.pk])).status_code == 404


def test_a_worker_sees_the_open_challenge_and_its_map(client, sd, ch):
    _attempt(ch, ch.level1, score="3")
    client.force_login(sd.worker)
    home = client.get(reverse("learning:my_learning"))
    assert home.status_code == 200
    progress = home.context["progress"]
    assert [(p.challenge, p.levels, p.cleared) for p in progress.challenges] == [(ch.challenge, 2, 1)]
    assert progress.points == 10 and progress.badges == ["安全新手"]
    page = client.get(reverse("learning:my_challenge", args=[ch.challenge.pk]))
    assert [(r.level, r.state, r.best) for r in page.context["rows"]] == [
        (ch.level1, "cleared", Decimal(3)), (ch.level2, "open", None)]
    assert "再闯一次" in page.content.decode() and "开始闯关" in page.content.decode()


def test_a_worker_of_qingdao_does_not_see_a_jinan_challenge(client, sd, ch):
    from gongjiang.orgs.tests.factories import user

    c = Challenge.objects.create(org=sd.jinan, title="济南闯关", opens_on=timezone.localdate(), published=True)
    qd_worker = user("qd_worker", person=sd.qd_person)
    client.force_login(qd_worker)
    assert client.get(reverse("learning:my_challenge", args=[c.pk])).status_code == 404
    assert client.get(reverse("learning:board_people", args=[c.pk])).status_code == 404
    assert [p.challenge for p in client.get(reverse("learning:my_learning")).context["progress"].challenges] == [
        ch.challenge]


def test_the_mistake_notebook_shows_the_answer_but_not_for_an_attempt_in_progress(client, sd, ch):
    q1, q2 = ch.bank.questions.filter(kind="single")[:2]
    for q in (q1, q2):
        Mistake.objects.create(person=sd.worker_person, question=q, last_at=timezone.now())
    client.force_login(sd.worker)
    page = client.get(reverse("learning:my_mistakes"))
    assert {r.mistake.question for r in page.context["rows"]} == {q1, q2}
    assert q1.explanation in page.content.decode()
    _attempt(ch, ch.level1, state=AttemptState.ACTIVE, paper=[[q2.pk, "ABCD"]])
    page = client.get(reverse("learning:my_mistakes"))
    assert [r.mistake.question for r in page.context["rows"]] == [q1]
    assert q2.stem not in page.content.decode()


def test_the_leaderboards_read_the_standings(client, sd, ch):
    now = timezone.now()
    Standing.objects.create(kind=BoardKind.CHALLENGE, board=ch.challenge.pk, person=sd.qd_person,
                            unit=sd.qd_enterprise, levels=2, score=Decimal(30), seconds=100, reached_at=now)
    Standing.objects.create(kind=BoardKind.CHALLENGE, board=ch.challenge.pk, person=sd.worker_person, unit=sd.team,
                            levels=1, score=Decimal(10), seconds=50, reached_at=now)
    OrgStanding.objects.create(kind=BoardKind.CHALLENGE, board=ch.challenge.pk, org=sd.jinan, takers=1,
                               score_sum=Decimal(10))
    client.force_login(sd.worker)
    page = client.get(reverse("learning:board_people", args=[ch.challenge.pk]))
    assert [s.person for s in page.context["rows"]] == [sd.qd_person, sd.worker_person]
    assert page.context["mine"][0] == 2
    orgs = client.get(reverse("learning:board_orgs", args=[ch.challenge.pk]))
    by_org = {r.org: r for r in orgs.context["org_rows"]}
    assert by_org[sd.jinan].takers == 1 and by_org[sd.jinan].mean == Decimal(10)
    assert by_org[sd.qingdao].takers == 0
    drill = client.get(reverse("learning:board_orgs", args=[ch.challenge.pk]), {"org": sd.jinan.pk},
                       HTTP_HX_REQUEST="true")
    assert [r.org for r in drill.context["org_rows"]] == [sd.lixia]
    assert "<html" not in drill.content.decode()


def test_worker_pages_refuse_a_cadre_without_a_worker_record(client, sd):
    client.force_login(sd.jinan_cadre)
    assert client.get(reverse("learning:my_learning")).status_code == 403
    assert client.post(reverse("learning:my_practice")).status_code == 403


def test_the_menu_and_the_landing(client, sd, ch):
    from gongjiang.core.registry import landing_url, navigation

    assert landing_url(sd.worker) == reverse("orgs:my_record")  # their record; 我的学习 is in the menu
    worker_menu = [i["url_name"] for s in navigation(sd.worker, "") for i in s["items"]]
    cadre_menu = [i["url_name"] for s in navigation(sd.jinan_cadre, "") for i in s["items"]]
    assert "learning:my_learning" in worker_menu and "learning:challenge_list" not in worker_menu
    assert "learning:challenge_list" in cadre_menu and "learning:my_learning" not in cadre_menu
