"""The rights permission matrix (DESIGN §4.7): every verb of `rights.services` is tried, in the state where the right
actor succeeds, by an anonymous visitor, a cadre of another city (Qingdao), a viewer of Jinan and a worker: each is
refused with PermissionDeniedError and nothing changes; then the right actor succeeds from the same state. Every page
is opened by each of them: a visitor is sent to log in, a cadre out of scope gets a 404, a worker a 403 or 404, the
county cadre the page. A verb or a page added without its row fails the completeness tests."""

from __future__ import annotations

import datetime
import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from gongjiang.core.errors import PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.rights import services
from gongjiang.rights import urls as rights_urls
from gongjiang.rights.models import BargainingCampaign, Contract, Delegate, Motion, Offer

from . import protection_matrix
from .factories import Rights, rights

D = datetime.date
Row = Callable[[Rights], tuple[str, dict[str, Any]]]
WRONG = ["anonymous", "qingdao_cadre", "jinan_viewer", "worker"]


def _session(rw: Rights) -> Any:
    return services.hold_session(actor=rw.sd.enterprise_cadre, congress=rw.congress(), held_on=D(2025, 3, 1),
                                 present=9)


def _campaign(rw: Rights) -> BargainingCampaign:
    return services.open_bargaining_campaign(actor=rw.sd.county_cadre, org=rw.sd.lixia, year=2026, title="要约行动")


def _offer(rw: Rights) -> Offer:
    return services.send_offers(actor=rw.sd.county_cadre, campaign=_campaign(rw), enterprises=[rw.sd.steel],
                                sent_on=D(2026, 3, 1))[0]


def _motion(rw: Rights) -> Motion:
    return services.submit_motion(actor=rw.sd.enterprise_cadre, session=_session(rw), title="提案", proposer="代表")


COUNTY, STEEL = "county_cadre", "enterprise_cadre"
MATRIX: dict[str, Row] = {
    "record_congress": lambda rw: (STEEL, {"org": rw.sd.steel, "form": "congress", "established_on": D(2024, 3, 1),
                                           "term_years": 3}),
    "elect_delegates": lambda rw: (STEEL, {"congress": rw.congress(delegates=0), "people": rw.people[:3],
                                           "elected_on": D(2024, 3, 1)}),
    "remove_delegate": lambda rw: (STEEL, {"delegate": Delegate.objects.filter(congress=rw.congress()).first(),
                                           "reason": "调离"}),
    "hold_session": lambda rw: (STEEL, {"congress": rw.congress(), "held_on": D(2025, 3, 1), "present": 9}),
    "submit_motion": lambda rw: (STEEL, {"session": _session(rw), "title": "提案", "proposer": "代表"}),
    "handle_motion": lambda rw: (STEEL, {"motion": _motion(rw), "state": "accepted", "handled_on": D(2025, 3, 2)}),
    "record_matter": lambda rw: (STEEL, {"session": _session(rw), "kind": "wages", "title": "工资方案",
                                         "resolution": "adopted", "votes_for": 9}),
    "publish_openness": lambda rw: (STEEL, {"enterprise": rw.sd.steel, "topic": "wages", "channel": "board",
                                            "title": "公开", "published_on": D(2025, 3, 1)}),
    "elect_board_seat": lambda rw: (STEEL, {"enterprise": rw.sd.steel, "person": rw.people[0], "seat": "director",
                                            "elected_on": D(2025, 3, 1)}),
    "end_board_seat": lambda rw: (STEEL, {"board_seat": services.elect_board_seat(
        actor=rw.sd.enterprise_cadre, enterprise=rw.sd.steel, person=rw.people[0], seat="director",
        elected_on=D(2025, 3, 1)), "until": D(2026, 1, 1)}),
    "draft_contract": lambda rw: (STEEL, {"org": rw.sd.steel, "kind": "wages", "title": "工资专项集体合同",
                                          "employer_party": "济钢", "starts_on": D(2025, 1, 1),
                                          "ends_on": D(2026, 12, 31), "coverage": [(rw.sd.steel, 3000)]}),
    "sign_contract": lambda rw: (STEEL, {"contract": rw.contract(sign=False), "signed_on": D(2025, 1, 1)}),
    "file_contract": lambda rw: (STEEL, {"contract": rw.contract(), "filed_on": D(2025, 1, 5),
                                         "filed_with": "人社局"}),
    "terminate_contract": lambda rw: (STEEL, {"contract": rw.contract(), "terminated_on": D(2025, 6, 1),
                                              "reason": "改签"}),
    "open_bargaining_campaign": lambda rw: (COUNTY, {"org": rw.sd.lixia, "year": 2026, "title": "要约行动"}),
    "send_offers": lambda rw: (COUNTY, {"campaign": _campaign(rw), "enterprises": [rw.sd.steel],
                                        "sent_on": D(2026, 3, 1)}),
    "advance_offer": lambda rw: (COUNTY, {"offer": _offer(rw), "step": "answered", "on": D(2026, 3, 5)}),
}
MATRIX.update(protection_matrix.MATRIX)  # part 3: checks, hazards, the 安康杯


def _actor(sd: Any, name: str) -> Any:
    return AnonymousUser() if name == "anonymous" else getattr(sd, name)


def _state() -> tuple[int, ...]:
    return (AuditEvent.objects.count(), Contract.objects.filter(state="draft").count(),
            Contract.objects.exclude(terminated_on=None).count(), Offer.objects.exclude(state="sent").count(),
            Motion.objects.exclude(state="submitted").count())


def test_every_verb_has_its_row():
    # the verbs of rights cases have their own matrix (test_cases_permissions.py)
    assert set(MATRIX) == set(services.__all__) - set(services.CASE_VERBS)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_verb_refuses_the_wrong_actors_and_lets_the_right_one(sd, name):
    rw = rights(sd)
    right, kwargs = MATRIX[name](rw)
    verb = getattr(services, name)
    assert "actor" in inspect.signature(verb).parameters
    before = _state()
    for wrong in WRONG:
        with pytest.raises(PermissionDeniedError):
            verb(actor=_actor(sd, wrong), **kwargs)
        assert _state() == before, wrong
    verb(actor=_actor(sd, right), **kwargs)
    assert AuditEvent.objects.count() > before[0]


# ---------------------------------------------------------------------------------------------
# Pages


def _pages(rw: Rights) -> dict[str, str]:
    c = rw.congress()
    s = services.hold_session(actor=rw.sd.enterprise_cadre, congress=c, held_on=D(2025, 3, 1), present=9)
    m = services.submit_motion(actor=rw.sd.enterprise_cadre, session=s, title="提案", proposer="代表")
    contract = rw.contract()
    offer = _offer(rw)
    steel = rw.sd.steel.pk
    return {
        "rates": reverse("rights:rates") + f"?org={steel}",
        "lacking": reverse("rights:lacking") + f"?org={steel}",
        "enterprise": reverse("rights:enterprise", args=[steel]),
        "openness_new": reverse("rights:openness_new", args=[steel]),
        "seat_new": reverse("rights:seat_new", args=[steel]),
        "contract_new": reverse("rights:contract_new", args=[steel]),
        "congress_new": reverse("rights:congress_new", args=[steel]),
        "congress_detail": reverse("rights:congress_detail", args=[c.pk]),
        "delegates_add": reverse("rights:delegates_add", args=[c.pk]),
        "session_new": reverse("rights:session_new", args=[c.pk]),
        "session_detail": reverse("rights:session_detail", args=[s.pk]),
        "motion_new": reverse("rights:motion_new", args=[s.pk]),
        "matter_new": reverse("rights:matter_new", args=[s.pk]),
        "motion_handle": reverse("rights:motion_handle", args=[m.pk]),
        "expiring": reverse("rights:expiring"),
        "contract_detail": reverse("rights:contract_detail", args=[contract.pk]),
        "contract_action": reverse("rights:contract_action", args=[contract.pk, "file"]),
        "campaign_list": reverse("rights:campaign_list") + f"?org={rw.sd.lixia.pk}",
        "campaign_new": reverse("rights:campaign_new") + f"?org={rw.sd.lixia.pk}",
        "campaign_detail": reverse("rights:campaign_detail", args=[offer.campaign_id]),
        "offers_send": reverse("rights:offers_send", args=[offer.campaign_id]),
        "offer_advance": reverse("rights:offer_advance", args=[offer.pk]),
        **protection_matrix.pages(rw),
    }


# pages a viewer of Jinan may open (reading); the others change things
READING = {"rates", "lacking", "enterprise", "congress_detail", "session_detail", "expiring", "contract_detail",
           "campaign_list", "campaign_detail", *protection_matrix.READING}
# pages without an org of their own: a cadre of another city sees an empty list, not a 404
OWN_SCOPE = {"expiring", *protection_matrix.OWN_SCOPE}


CASE_PAGES = {"my_cases", "case_file", "my_case", "case_list", "case_new", "case_detail", "case_document",
              "case_action"}  # rights cases: test_cases_permissions.py


def test_every_page_has_its_row(sd):
    assert {p.name for p in rights_urls.urlpatterns} - CASE_PAGES == set(_pages(rights(sd)))


def test_every_page_for_every_actor(sd, client):
    pages = _pages(rights(sd))
    for name, url in pages.items():
        client.logout()
        assert client.get(url).status_code == 302, name  # to the log-in page
        client.force_login(sd.county_cadre)
        assert client.get(url).status_code == 200, name
        client.force_login(sd.qingdao_cadre)
        assert client.get(url).status_code == (200 if name in OWN_SCOPE else 404), name
        client.force_login(sd.worker)
        assert client.get(url).status_code in (403, 404), name
        client.force_login(sd.jinan_viewer)
        assert client.get(url).status_code in ({200} if name in READING else {403, 404}), name
