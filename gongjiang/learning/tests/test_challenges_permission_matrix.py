"""The challenges' permission matrix (DESIGN §4.7): every verb of `learning.services.challenges` is tried, in the
state where the right actor succeeds, by those who may not: an anonymous visitor, a cadre of another city, a Jinan
cadre (below the province that organises), a Jinan viewer and a worker for the cadres' verbs; an anonymous visitor,
a cadre without a worker record and a worker of Qingdao for the workers' verbs (a challenge of Jinan's). Each is
refused with PermissionDeniedError and nothing changes. A second test proves each row: the right actor succeeds. A
third fails when a verb is added without its row. The pages follow: each cadre page is a 404 to another city."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from gongjiang.core.errors import PermissionDeniedError
from gongjiang.learning.models import Challenge, Mistake
from gongjiang.learning.services import challenges as services

from .challenge_factories import Challenges, challenges, chinese, level  # noqa: F401  (fixture: Chinese)
from .test_challenges_services import rows

Row = Callable[[Challenges], tuple[str, dict[str, Any]]]
ADMIN = "province_admin"
CADRE_OUTSIDERS = ("anonymous", "qingdao_cadre", "jinan_cadre", "jinan_viewer", "worker")
WORKER_OUTSIDERS = ("anonymous", "jinan_cadre")  # and, for a level of Jinan's challenge, a worker of Qingdao

pytestmark = pytest.mark.usefixtures("chinese")


@pytest.fixture
def client():
    """A browser in the site's language (the package's conftest gives an English one)."""
    from django.test import Client

    return Client()


def _jinan(ch: Challenges) -> Challenge:
    c = Challenge.objects.create(org=ch.sd.jinan, title="济南闯关", opens_on=timezone.localdate(), published=True)
    level(c, 1, [ch.bank])
    return c


def _mistake(ch: Challenges) -> dict[str, Any]:
    Mistake.objects.create(person=ch.sd.worker_person, question=ch.bank.questions.first(), last_at=timezone.now())
    return {}


MATRIX: dict[str, Row] = {
    "create_challenge": lambda ch: (ADMIN, {"org": ch.sd.province, "title": "新闯关",
                                            "opens_on": timezone.localdate()}),
    "update_challenge": lambda ch: (ADMIN, {"challenge": ch.challenge, "title": "改名",
                                            "opens_on": ch.challenge.opens_on}),
    "save_level": lambda ch: (ADMIN, {"challenge": ch.challenge, "title": "第三关", "banks": [ch.bank],
                                      "draw": [{"count": 1}]}),
    "remove_level": lambda ch: (ADMIN, {"level": ch.level2}),
    "reorder_levels": lambda ch: (ADMIN, {"challenge": ch.challenge, "order": [ch.level2.pk, ch.level1.pk]}),
    "publish_challenge": lambda ch: (ADMIN, {"challenge": _unpublished(ch)}),
    "withdraw_challenge": lambda ch: (ADMIN, {"challenge": ch.challenge}),
    "enter_level": lambda ch: ("worker", {"level": _jinan(ch).levels.get()}),
    "start_practice": lambda ch: ("worker", {}),
    "start_mistake_practice": lambda ch: ("worker", _mistake(ch)),
}
WORKER_VERBS = {"enter_level", "start_practice", "start_mistake_practice"}


def _unpublished(ch: Challenges) -> Challenge:
    ch.challenge.published = False
    ch.challenge.save(update_fields=["published"])
    return ch.challenge


@pytest.fixture
def ch(sd):
    from gongjiang.orgs.tests.factories import user

    found = challenges(sd)
    found.qd_worker = user("qd_worker", person=sd.qd_person)  # type: ignore[attr-defined]
    return found


def actor(ch: Challenges, persona: str) -> Any:
    if persona == "anonymous":
        return AnonymousUser()
    return getattr(ch, persona, None) or getattr(ch.sd, persona)


def verbs() -> dict[str, Any]:
    return {name: fn for name, fn in inspect.getmembers(services, inspect.isfunction)
            if not name.startswith("_") and fn.__module__ == services.__name__}


def test_every_verb_has_a_row():
    assert set(verbs()) == set(MATRIX)


CASES = [(name, p) for name in sorted(MATRIX)
         for p in (WORKER_OUTSIDERS if name in WORKER_VERBS else CADRE_OUTSIDERS)] + [("enter_level", "qd_worker")]


@pytest.mark.parametrize(("name", "persona"), CASES)
def test_an_outsider_is_refused_and_nothing_changes(ch, name, persona):
    _right, kwargs = MATRIX[name](ch)
    before = rows()
    with pytest.raises(PermissionDeniedError) as refused:
        verbs()[name](actor=actor(ch, persona), **kwargs)
    assert refused.value.status == 403
    assert rows() == before


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_the_right_actor_succeeds(ch, name):
    right, kwargs = MATRIX[name](ch)
    before = rows()
    assert verbs()[name](actor=actor(ch, right), **kwargs) is not None
    assert rows() != before


CADRE_PAGES = [("challenge_detail", "get"), ("challenge_edit", "get"), ("challenge_edit", "post"),
               ("challenge_figures", "get"), ("level_create", "get"), ("level_create", "post"),
               ("challenge_publish", "post"), ("board_people", "get"), ("board_orgs", "get")]


@pytest.mark.parametrize(("page", "method"), CADRE_PAGES)
def test_a_cadre_page_is_a_404_to_another_city_and_opens_for_the_organiser(client, ch, page, method):
    c = Challenge.objects.create(org=ch.sd.jinan, title="济南闯关", opens_on=timezone.localdate())
    url = reverse(f"learning:{page}", args=[c.pk])
    client.force_login(ch.sd.qingdao_cadre)
    assert getattr(client, method)(url).status_code == 404
    client.force_login(ch.sd.jinan_cadre)
    assert getattr(client, method)(url).status_code in (200, 302, 400)


@pytest.mark.parametrize("page", ["level_edit", "level_move", "level_remove"])
def test_a_level_page_is_a_404_to_another_city(client, ch, page):
    c = Challenge.objects.create(org=ch.sd.jinan, title="济南闯关", opens_on=timezone.localdate())
    lv = level(c, 1, [ch.bank])
    client.force_login(ch.sd.qingdao_cadre)
    url = reverse(f"learning:{page}", args=[c.pk, lv.pk])
    assert (client.post(url) if page != "level_edit" else client.get(url)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, ch):
    for name, args in [("challenge_list", []), ("my_learning", []), ("my_mistakes", []),
                       ("my_challenge", [ch.challenge.pk]), ("board_people", [ch.challenge.pk])]:
        r = client.get(reverse(f"learning:{name}", args=args))
        assert r.status_code == 302 and "login" in r["Location"], name
