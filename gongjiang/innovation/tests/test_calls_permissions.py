"""The achievement calls' part of the permission matrix (DESIGN §4.7). `CALL_MATRIX` gives every call verb its
right actor and arguments; test_permission_matrix.py joins it to the proposals' rows, so each verb is tried by an
anonymous visitor, a cadre of another city (Qingdao), a viewer of Jinan and a worker of 济钢 — refused, nothing
changed — and by the right actor, who succeeds. Here also: the pages and the API of a call for the same people, an
expert's blind page that shows no name or unit, and an expert who cannot open another's review."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from gongjiang.core.models import PublicNotice
from gongjiang.innovation import services
from gongjiang.innovation.choices import Award, CallLevel, Field
from gongjiang.innovation.models import Achievement, Review
from gongjiang.orgs.tests.factories import user
from gongjiang.orgs.tests.test_api import Api, token_for

from .call_factories import GOOD, Calls, provincial_call, recommended
from .factories import Innovation
from .test_services import rows

Row = Callable[[Innovation], tuple[str, dict[str, Any]]]
ADMIN = "province_admin"


def _calls(inn: Innovation) -> Calls:
    return provincial_call(inn.sd)


def _reviewing(inn: Innovation) -> tuple[Calls, Achievement]:
    c = _calls(inn)
    a = c.submit()
    services.assign_reviewers(actor=inn.sd.province_admin, call=c.call)
    return c, a


def _expert_review(inn: Innovation) -> tuple[str, dict[str, Any]]:
    _c, a = _reviewing(inn)
    r = Review.objects.filter(achievement=a).select_related("expert__user").first()
    inn.expert = r.expert.user  # type: ignore[attr-defined]
    return "expert", {"review": r, "scores": GOOD, "comment": "创新点突出，推广价值高。"}


def _declare(inn: Innovation) -> tuple[str, dict[str, Any]]:
    c, a = _reviewing(inn)
    r = Review.objects.filter(achievement=a).select_related("expert__user").first()
    inn.expert = r.expert.user  # type: ignore[attr-defined]
    return "expert", {"call": c.call, "achievement": a, "reason": "与完成人系亲属"}


def _pin(inn: Innovation) -> tuple[str, dict[str, Any]]:
    c, a = _reviewing(inn)
    taken = set(Review.objects.filter(achievement=a).values_list("expert_id", flat=True))
    free = next(e for e in c.experts[2:] if e.pk not in taken)
    return ADMIN, {"achievement": a, "expert": free, "reason": "专业对口"}


def _reviewed(inn: Innovation) -> Calls:
    c, _a = _reviewing(inn)
    c.review_all()
    return c


def _disputed(inn: Innovation) -> tuple[str, dict[str, Any]]:
    c, a = _reviewing(inn)
    low = {"novelty": "5", "practicality": "5", "benefit": "5", "spread": "5"}
    for r, s in zip(Review.objects.filter(achievement=a).select_related("expert__user"), (GOOD, GOOD, low),
                    strict=True):
        services.submit_review(actor=r.expert.user, review=r, scores=s, comment="意见见评审表。")
    return ADMIN, {"call": c.call, "achievements": [a]}


def _ranked(inn: Innovation) -> Calls:
    c = _reviewed(inn)
    services.rank_call(actor=inn.sd.province_admin, call=c.call)
    return c


def _notice_ended(inn: Innovation) -> Calls:
    c = _ranked(inn)
    services.publish_results(actor=inn.sd.province_admin, call=c.call, working_days=3)
    today = timezone.localdate()
    PublicNotice.objects.filter(owner_id=c.call.pk, kind="innovation.call_results").update(
        starts_on=today - datetime.timedelta(days=8), ends_on=today - datetime.timedelta(days=1))
    return c


def _final(inn: Innovation) -> tuple[str, dict[str, Any]]:
    c = _notice_ended(inn)
    services.finalise_call(actor=inn.sd.province_admin, call=c.call)
    return ADMIN, {"achievement": Achievement.objects.get(call=c.call)}


def _draft(inn: Innovation) -> tuple[str, dict[str, Any]]:
    today = timezone.localdate()
    call = services.create_call(actor=inn.sd.province_admin, org=inn.sd.province, level=CallLevel.PROVINCE,
                                year=today.year, title="成果征集", submit_until=today + datetime.timedelta(days=3),
                                review_until=today + datetime.timedelta(days=9))
    return ADMIN, {"call": call}


CALL_MATRIX: dict[str, Row] = {
    "create_call": lambda inn: (ADMIN, {"org": inn.sd.province, "level": CallLevel.PROVINCE,
                                        "year": timezone.localdate().year, "title": "成果征集",
                                        "submit_until": timezone.localdate(),
                                        "review_until": timezone.localdate()}),
    "set_quotas": lambda inn: (ADMIN, {"call": _calls(inn).call, "quotas": {inn.sd.jinan: 3}}),
    "open_call": _draft,
    "submit_achievement": lambda inn: ("enterprise_cadre", {
        "call": _calls(inn).call, "enterprise": inn.sd.steel, "title": "转炉氧枪喷头长寿命技术",
        "field": Field.PROCESS, "summary": "针对氧枪喷头寿命短的问题，改用铸造紫铜并优化冷却水道设计。",
        "innovations": "喷头材质改为铸造紫铜，冷却水道采用双循环结构，寿命提高近一倍。",
        "authors": [inn.sd.worker_person]}),
    "return_achievement": lambda inn: (ADMIN, {"achievement": _calls(inn).submit(), "reason": "缺少效益证明"}),
    "recommend_achievement": _final,
    "set_review_title": lambda inn: ("enterprise_cadre", {"achievement": recommended(inn.sd)[2],
                                                          "review_title": "一种冶金喷头延寿装置"}),
    "add_expert": lambda inn: (ADMIN, {"org": inn.sd.province, "user": user("newexpert"), "name": "新专家",
                                       "specialities": [Field.SAFETY]}),
    "enlist_expert": lambda inn: (ADMIN, {"org": inn.sd.province, "name": "新专家", "username": "new_expert",
                                          "new_account": True, "specialities": [Field.SAFETY]}),
    "declare_conflict": _declare,
    "assign_reviewers": lambda inn: (ADMIN, {"call": (lambda c: (c.submit(), c)[1])(_calls(inn)).call}),
    "pin_reviewer": _pin,
    "submit_review": _expert_review,
    "note_consensus": lambda inn: (ADMIN, {"achievement": _reviewing(inn)[1], "text": "合议：数据需复核。"}),
    "start_second_round": _disputed,
    "rank_call": lambda inn: (ADMIN, {"call": _reviewed(inn).call}),
    "set_awards": lambda inn: (ADMIN, {"call": (c := _ranked(inn)).call,
                                       "awards": {Achievement.objects.get(call=c.call).pk: Award.THIRD},
                                       "reason": "评委会决定"}),
    "publish_results": lambda inn: (ADMIN, {"call": _ranked(inn).call}),
    "finalise_call": lambda inn: (ADMIN, {"call": _notice_ended(inn).call}),
}


# ---------------------------------------------------------------------------------------------
# The pages and the API


def _as(client: Any, u: Any) -> Any:
    client.force_login(u)
    return client


@pytest.fixture
def reviewing(inn):
    c, a = _reviewing(inn)
    return c, a


def test_a_lower_union_sees_its_own_achievements_and_the_organiser_all(inn, client, reviewing):
    c, a = reviewing
    url = reverse("innovation:call_detail", args=[c.call.pk])
    body = _as(client, inn.sd.province_admin).get(url).content.decode()
    assert a.title in body and "外部专家" in body  # the organiser sees who reviews what
    body = _as(client, inn.sd.enterprise_cadre).get(url).content.decode()
    assert a.title in body and "外部专家" not in body and "济钢专家" not in body
    assert _as(client, inn.sd.qingdao_cadre).get(url).status_code == 200  # a call above them
    assert a.title not in _as(client, inn.sd.qingdao_cadre).get(url).content.decode()
    achievement = reverse("innovation:achievement_detail", args=[a.pk])
    assert _as(client, inn.sd.qingdao_cadre).get(achievement).status_code == 404
    assert _as(client, inn.sd.worker).get(achievement).status_code == 404
    for step in ("call_assign", "call_rank", "call_open"):
        assert _as(client, inn.sd.enterprise_cadre).post(reverse(f"innovation:{step}", args=[c.call.pk])
                                                         ).status_code == 403


def test_an_expert_sees_no_name_and_no_unit_and_cannot_open_another_s_review(inn, client, reviewing):
    c, a = reviewing
    mine = Review.objects.filter(achievement=a).select_related("expert__user").first()
    other = next(e for e in c.experts if e.pk != mine.expert_id)
    client = _as(client, mine.expert.user)
    body = client.get(reverse("innovation:review", args=[mine.pk])).content.decode()
    assert a.title in body and a.number in body
    for secret in ("李强", "济钢", inn.sd.steel.name, "济南"):
        assert secret not in body, secret
    assert client.get(reverse("innovation:my_reviews")).status_code == 200
    client.force_login(other.user)
    assert client.get(reverse("innovation:review", args=[mine.pk])).status_code == 404
    api = Api(token=token_for(mine.expert.user))
    got = api.get(f"/innovation/my-reviews/{mine.pk}").json()
    assert "enterprise" not in got and "authors" not in got and got["number"] == a.number
    assert Api(token=token_for(other.user)).get(f"/innovation/my-reviews/{mine.pk}").status_code == 404
    assert api.get(f"/innovation/achievements/{a.pk}").status_code == 404  # the expert is no cadre


def test_a_score_out_of_range_over_the_api_names_the_criterion_and_changes_nothing(inn, reviewing):
    _c, a = reviewing
    r = Review.objects.filter(achievement=a).select_related("expert__user").first()
    api = Api(token=token_for(r.expert.user))
    before = rows()
    got = api.post(f"/innovation/my-reviews/{r.pk}", {"scores": {**GOOD, "novelty": "31"},
                                                      "comment": "创新点突出，推广价值高。"})
    assert got.status_code == 400 and "score_novelty" in got.json()["errors"]
    assert rows() == before
    ok = api.post(f"/innovation/my-reviews/{r.pk}", {"scores": GOOD, "comment": "创新点突出，推广价值高。"})
    assert ok.status_code == 200 and ok.json()["state"] == "submitted"


def test_the_api_runs_a_call_for_its_organiser_and_refuses_the_others(inn):
    c = _calls(inn)
    cadre = Api(token=token_for(inn.sd.enterprise_cadre))
    r = cadre.post(f"/innovation/calls/{c.call.pk}/achievements", {
        "enterprise_id": inn.sd.steel.pk, "title": "转炉氧枪喷头长寿命技术", "field": "process",
        "summary": "针对氧枪喷头寿命短的问题，改用铸造紫铜并优化冷却水道设计。",
        "innovations": "喷头材质改为铸造紫铜，冷却水道采用双循环结构，寿命提高近一倍。",
        "author_ids": [inn.sd.worker_person.pk]})
    assert r.status_code == 201, r.content
    again = cadre.post(f"/innovation/calls/{c.call.pk}/achievements", {
        **{k: v for k, v in r.json().items() if k in ("title", "field")}, "enterprise_id": inn.sd.steel.pk,
        "summary": "针对氧枪喷头寿命短的问题，改用铸造紫铜并优化冷却水道设计。",
        "innovations": "喷头材质改为铸造紫铜，冷却水道采用双循环结构，寿命提高近一倍。",
        "author_ids": [inn.sd.worker_person.pk]})
    assert again.status_code == 400 and again.json()["code"] == "duplicate"
    assert cadre.post(f"/innovation/calls/{c.call.pk}/assign").status_code == 403
    admin = Api(token=token_for(inn.sd.province_admin))
    got = admin.post(f"/innovation/calls/{c.call.pk}/assign")
    assert got.status_code == 200 and got.json()["pairs"] == 3
    assert admin.get(f"/innovation/calls/{c.call.pk}").json()["board"]["assigned"] == 3
    assert cadre.get(f"/innovation/calls/{c.call.pk}").json()["board"] is None
    assert Api(token=token_for(inn.sd.qingdao_cadre)).get(
        f"/innovation/calls/{c.call.pk}/achievements").json()["count"] == 0


def test_a_call_s_achievements_over_the_api_read_only_the_page(inn):
    c = _calls(inn)
    c.submit()
    c.submit("高炉煤气余压发电改进")
    api = Api(token=token_for(inn.sd.province_admin))
    got = api.get(f"/innovation/calls/{c.call.pk}/achievements", limit=1).json()
    assert got["count"] == 2 and got["next"] is True and len(got["items"]) == 1
    assert got["items"][0]["authors"] == [{"person_id": inn.sd.worker_person.pk, "name": "李强"}]
