"""The 6·18 exhibition's part of the permission matrix (DESIGN §4.7). `EXHIBITION_MATRIX` gives every exhibition verb
its right actor and arguments; test_permission_matrix.py joins it to the other rows, so each verb is tried by an
anonymous visitor, a cadre of another city (Qingdao), a viewer of the right subtree (Jinan) and a worker of 济钢 who
holds no role (周明) — refused, nothing changed — and by the right actor (the province's organiser, or 济钢's union
cadre for its own side), who succeeds. Here: every exhibition page and POST, for the same people."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gongjiang.innovation import services
from gongjiang.innovation.choices import MatchState

from .exhibition_factories import Expo, expo
from .factories import Innovation
from .test_services import rows

D = Decimal
Row = Callable[[Innovation], tuple[str, dict[str, Any]]]
ORGANISER, CADRE = "province_admin", "enterprise_cadre"


def _requested(inn: Innovation) -> tuple[str, dict[str, Any]]:
    ex = expo(inn)
    meeting = services.request_meeting(actor=ex.partner_cadre, match=ex.match(), starts_at=ex.exhibition.slots()[0])
    return CADRE, {"meeting": meeting}


def _accepted(inn: Innovation) -> tuple[str, dict[str, Any]]:
    right, kwargs = _requested(inn)
    services.accept_meeting(actor=inn.sd.enterprise_cadre, **kwargs)
    return right, {**kwargs, "reason": "设备检修"}


def _declined(inn: Innovation) -> tuple[str, dict[str, Any]]:
    right, kwargs = _requested(inn)
    return right, {**kwargs, "reason": "当天另有安排"}


def _need_kwargs(ex: Expo) -> dict[str, Any]:
    return {"exhibition": ex.exhibition, "org": ex.sd.steel, "title": "轧机振动在线监测",
            "description": "轧机主传动振动大，需要在线监测和预警。", "category": "quality",
            "contact": ex.sd.worker_person}


def _returned_offer(inn: Innovation) -> tuple[str, dict[str, Any]]:
    ex = expo(inn)
    offer = services.check_offer(actor=ex.organiser, offer=ex.offer("高炉煤气净化技术"), accept=False, reason="未鉴定")
    return CADRE, {"offer": offer, "title": "高炉煤气净化技术（已鉴定）",
                   "summary": "高炉煤气干法除尘净化，已通过鉴定。", "category": "energy", "mode": "licence",
                   "contact": inn.sd.worker_person}


def _returned_need(inn: Innovation) -> tuple[str, dict[str, Any]]:
    ex = expo(inn)
    kwargs = _need_kwargs(ex)
    need = services.submit_need(actor=ex.sd.enterprise_cadre, **kwargs)
    services.check_need(actor=ex.organiser, need=need, accept=False, reason="描述不清")
    return CADRE, {"need": need, **{k: v for k, v in kwargs.items() if k not in ("exhibition", "org")}}


EXHIBITION_MATRIX: dict[str, Row] = {
    "create_exhibition": lambda inn: (ORGANISER, {
        "organiser": inn.sd.province, "name": "第二十一届6·18展洽会", "year": timezone.localdate().year,
        "starts_on": timezone.localdate(), "ends_on": timezone.localdate(), "venue": "济南",
        "registration_deadline": timezone.localdate()}),
    "advance_exhibition": lambda inn: (ORGANISER, {"exhibition": expo(inn).exhibition, "state": "held"}),
    "submit_offer": lambda inn: (CADRE, {
        "exhibition": expo(inn).exhibition, "org": inn.sd.steel, "title": "转炉煤气余热发电技术",
        "summary": "转炉煤气余热发电，吨钢回收电量提高30%。", "category": "energy", "mode": "licence",
        "contact": inn.sd.worker_person}),
    "submit_need": lambda inn: (CADRE, _need_kwargs(expo(inn))),
    "check_offer": lambda inn: (ORGANISER, {"offer": expo(inn).offer(), "accept": True}),
    "resubmit_offer": _returned_offer,
    "resubmit_need": _returned_need,
    "check_need": lambda inn: (ORGANISER, {"need": expo(inn).need(), "accept": False, "reason": "描述不清"}),
    "confirm_match": lambda inn: (ORGANISER, dict(zip(("offer", "need"), expo(inn).pair(), strict=True))),
    "request_match": lambda inn: (CADRE, dict(zip(("offer", "need"), expo(inn).pair(), strict=True))),
    "request_meeting": lambda inn: (CADRE, {"match": (ex := expo(inn)).match(),
                                            "starts_at": ex.exhibition.slots()[0]}),
    "accept_meeting": _requested,
    "decline_meeting": _declined,
    "cancel_meeting": _accepted,
    "record_met": lambda inn: (CADRE, {"match": expo(inn).match(), "met_on": timezone.localdate()}),
    "sign_match": lambda inn: (CADRE, {"match": expo(inn).match(MatchState.MET), "contract_value": D(500000),
                                       "signed_on": timezone.localdate()}),
    "record_implemented": lambda inn: (CADRE, {"match": expo(inn).match(MatchState.SIGNED),
                                               "implemented_on": timezone.localdate(), "note": "已投运"}),
    "close_match": lambda inn: (CADRE, {"match": expo(inn).match(), "reason": "价格未谈拢"}),
}


# ---------------------------------------------------------------------------------------------
# The pages


def _pages(ex: Expo) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, url, data) of every exhibition page of one match and its entries, and every POST, with the data the
    right people would send."""
    m = ex.match()
    meeting = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[0])
    e, o, n = ex.exhibition, m.offer, m.need
    waiting = ex.offer("高炉煤气净化技术")
    slot = ex.exhibition.slots()[1].isoformat()
    return [
        ("get", reverse("innovation:match_detail", args=[m.pk]), {}),
        ("post", reverse("innovation:exhibition_state", args=[e.pk]), {"state": "held"}),
        ("post", reverse("innovation:offer_check", args=[waiting.pk]), {"decision": "accept"}),
        ("post", reverse("innovation:match_make", args=[e.pk]), {"offer": waiting.pk, "need": n.pk}),
        ("post", reverse("innovation:meeting_request", args=[m.pk]), {"starts_at": slot}),
        ("post", reverse("innovation:meeting_answer", args=[m.pk, meeting.pk]), {"decision": "accept"}),
        ("post", reverse("innovation:meeting_cancel", args=[m.pk, meeting.pk]), {"reason": "设备检修"}),
        ("post", reverse("innovation:match_met", args=[m.pk]), {"met_on": timezone.localdate().isoformat()}),
        ("post", reverse("innovation:match_close", args=[m.pk]), {"close-reason": "不合适"}),
    ], (e, o, n, waiting)


def test_an_anonymous_visitor_is_sent_to_log_in_for_every_exhibition_page(client, ex):
    found, (e, o, _n, _waiting) = _pages(ex)
    before = rows()
    for method, url, data in [*found, ("get", reverse("innovation:exhibition_list"), {}),
                              ("get", reverse("innovation:exhibition_detail", args=[e.pk]), {}),
                              ("get", reverse("innovation:offer_detail", args=[o.pk]), {})]:
        r = client.get(url) if method == "get" else client.post(url, data)
        assert r.status_code == 302 and "/login" in r["Location"], url
    assert rows() == before


def test_another_city_finds_none_of_the_match_and_changes_nothing(client, ex):
    """Qingdao sees the province's exhibition (it may enter its own offers) and its published catalogue, never a
    match of two Jinan enterprises nor an entry waiting for the check, and changes nothing."""
    found, (e, o, _n, waiting) = _pages(ex)
    client.force_login(ex.sd.qingdao_cadre)
    before = rows()
    for method, url, data in found:
        r = client.get(url) if method == "get" else client.post(url, data)
        assert r.status_code in (403, 404) or (r.status_code == 302 and _refused(client, r)), url
    assert rows() == before
    assert client.get(reverse("innovation:offer_detail", args=[waiting.pk])).status_code == 404
    published = client.get(reverse("innovation:offer_detail", args=[o.pk])).content.decode()
    assert o.title in published and ex.sd.worker_person.mobile not in published
    assert client.get(reverse("innovation:exhibition_detail", args=[e.pk])).status_code == 200


def _refused(client, r) -> bool:
    """A POST answered by a redirect whose page says why it was refused (a verb's refusal, nothing changed)."""
    page = client.get(r["Location"])
    return page.status_code in (200, 404) and (
        page.status_code == 404 or any(m.level_tag == "error" for m in page.context["messages"]))


def test_a_viewer_reads_but_decides_nothing(client, ex):
    found, _rest = _pages(ex)
    client.force_login(ex.sd.jinan_viewer)
    before = rows()
    for method, url, data in found:
        r = client.get(url) if method == "get" else client.post(url, data)
        if method == "get":
            assert r.status_code == 200, url
        else:
            assert r.status_code in (403, 404) or _refused(client, r), url
    assert rows() == before


def test_the_phone_of_a_contact_is_shown_to_the_other_side_only_after_an_accepted_meeting(client, ex):
    m = ex.match()
    mobile = ex.partner_person.mobile
    client.force_login(ex.sd.enterprise_cadre)
    url = reverse("innovation:match_detail", args=[m.pk])
    assert mobile not in client.get(url).content.decode()
    meeting = services.request_meeting(actor=ex.partner_cadre, match=m, starts_at=ex.exhibition.slots()[0])
    assert mobile not in client.get(url).content.decode()
    services.accept_meeting(actor=ex.sd.enterprise_cadre, meeting=meeting)
    assert mobile in client.get(url).content.decode()
    client.force_login(ex.sd.jinan_viewer)  # a viewer above both: no side, no organiser
    assert mobile not in client.get(url).content.decode()
    client.force_login(ex.organiser)
    assert mobile in client.get(url).content.decode()
