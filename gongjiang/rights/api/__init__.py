"""The rights endpoints under /api/v1/rights/ (mounted by gongjiang/api.py from RightsConfig.api_router): rates and
the enterprises lacking an item, an enterprise's record, congresses (delegates, sessions, motions, matters), items
made public, board seats, collective contracts (draft, sign, file, terminate, expiring), 要约 campaigns and offers.
Same verbs and scopes as the pages: out of scope is a 404; bad input a 422 naming its field(s) in Chinese; a
permission refusal a 403."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.core.errors import DomainError
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.schemas import OrgRef

from .. import queries, services
from ..models import BargainingCampaign, BoardSeat, Congress, Contract, Delegate, Motion, Offer, Session

router = Router(tags=["rights"])


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _orgs(request: HttpRequest) -> Any:
    return Org.objects.for_user(_actor(request), "view")


# ---------------------------------------------------------------------------------------------
# Schemas


class RightsRateOut(Schema):
    org: OrgRef
    enterprises: int
    counts: dict[str, int] = Field(description="Enterprises with each item in the year: congress, openness, "
                                               "comprehensive, wages, women, safety.")
    rates: dict[str, Decimal | None] = Field(description="The same as percentages of the enterprises.")
    covered: int
    coverage: Decimal | None = Field(description="Workers covered per hundred people on the roster.")


class RightsRatesOut(Schema):
    year: int
    own: RightsRateOut
    children: list[RightsRateOut]


class RightsCongressIn(Schema):
    org_id: Id = Field(..., description="The enterprise union, or the town/county/industry union of a regional or "
                                        "industry congress.")
    form: str = Field(..., description="congress, assembly, regional, industry")
    established_on: datetime.date
    term_years: int
    term: int | None = None
    enterprise_ids: list[Id] = Field([], description="The enterprises a regional or industry congress covers.")
    note: str = ""


class RightsCongressOut(Schema):
    id: int
    org: OrgRef
    form: str
    term: int
    established_on: datetime.date
    ends_on: datetime.date
    delegates: int
    front_line_share: float
    women_share: float
    migrant_share: float
    enterprise_ids: list[int]


class RightsDelegatesIn(Schema):
    person_ids: list[Id]
    elected_on: datetime.date


class RightsDelegateOut(Schema):
    id: int
    person_id: int
    name: str
    is_front_line: bool
    is_woman: bool
    is_migrant: bool


class RightsReasonIn(Schema):
    reason: str


class RightsSessionIn(Schema):
    held_on: datetime.date
    present: int = Field(..., ge=0)
    kind: str = "regular"
    note: str = ""


class RightsSessionOut(Schema):
    id: int
    congress_id: int
    number: int
    kind: str
    held_on: datetime.date
    delegates: int
    present: int


class RightsMotionIn(Schema):
    title: str
    proposer: str


class RightsHandleIn(Schema):
    state: str = Field(..., description="accepted, converted or handled")
    handled_on: datetime.date
    handler: str = ""
    reply: str = ""


class RightsMotionOut(Schema):
    id: int
    session_id: int
    title: str
    proposer: str
    state: str
    handler: str
    reply: str
    handled_on: datetime.date | None


class RightsMatterIn(Schema):
    kind: str
    title: str
    resolution: str
    votes_for: int = Field(0, ge=0)
    votes_against: int = Field(0, ge=0)
    abstentions: int = Field(0, ge=0)


class RightsMatterOut(Schema):
    id: int
    session_id: int
    kind: str
    title: str
    resolution: str
    votes_for: int
    votes_against: int
    abstentions: int


class RightsOpennessIn(Schema):
    enterprise_id: Id
    topic: str
    channel: str
    title: str
    published_on: datetime.date


class RightsOpennessOut(Schema):
    id: int
    enterprise_id: int
    topic: str
    channel: str
    title: str
    published_on: datetime.date


class RightsSeatIn(Schema):
    enterprise_id: Id
    person_id: Id
    seat: str = Field(..., description="director or supervisor")
    elected_on: datetime.date
    until: datetime.date | None = None


class RightsSeatOut(Schema):
    id: int
    enterprise_id: int
    person_id: int
    seat: str
    elected_on: datetime.date
    until: datetime.date | None


class RightsUntilIn(Schema):
    until: datetime.date


class RightsCoverageIn(Schema):
    enterprise_id: Id
    workers: int = Field(..., ge=1)


class RightsContractIn(Schema):
    org_id: Id = Field(..., description="The union party.")
    kind: str = Field(..., description="comprehensive, wages, women, safety")
    title: str
    employer_party: str
    starts_on: datetime.date
    ends_on: datetime.date
    coverage: list[RightsCoverageIn]
    min_wage: Decimal | None = Field(None, max_digits=9, decimal_places=2)
    wage_increase: Decimal | None = Field(None, max_digits=5, decimal_places=2)
    weekly_hours: Decimal | None = Field(None, max_digits=4, decimal_places=1)
    women_items: list[str] = []
    renews_id: Id | None = None


class RightsContractOut(Schema):
    id: int
    org: OrgRef
    kind: str
    title: str
    employer_party: str
    starts_on: datetime.date
    ends_on: datetime.date
    state: str
    signed_on: datetime.date | None
    filed_on: datetime.date | None
    filed_with: str
    terminated_on: datetime.date | None
    renews_id: int | None
    covered_workers: int
    min_wage: Decimal | None
    wage_increase: Decimal | None
    weekly_hours: Decimal | None
    women_items: list[str]


class RightsOnIn(Schema):
    on: datetime.date
    filed_with: str = ""
    reason: str = ""


class RightsCampaignIn(Schema):
    org_id: Id
    year: int
    title: str
    kind: str = "wages"


class RightsCampaignOut(Schema):
    id: int
    org: OrgRef
    year: int
    title: str
    kind: str


class RightsOffersIn(Schema):
    enterprise_ids: list[Id]
    sent_on: datetime.date


class RightsOfferOut(Schema):
    id: int
    campaign_id: int
    enterprise: OrgRef
    state: str
    sent_on: datetime.date
    answered_on: datetime.date | None
    negotiated_on: datetime.date | None
    signed_on: datetime.date | None
    refused_on: datetime.date | None
    contract_id: int | None
    note: str


class RightsAdvanceIn(Schema):
    step: str = Field(..., description="answered, negotiating, signed or refused")
    on: datetime.date
    contract_id: Id | None = None
    note: str = ""


def _rate(r: queries.RateRow) -> dict[str, Any]:
    return {"org": r.org, "enterprises": r.enterprises, "counts": {k: n for k, n, _r, _g in r.rates},
            "rates": {k: rate for k, _n, rate, _g in r.rates}, "covered": r.covered, "coverage": r.coverage}


def _congress(c: Congress) -> dict[str, Any]:
    s = queries.congress_shares(c)
    return {"id": c.pk, "org": c.org, "form": c.form, "term": c.term, "established_on": c.established_on,
            "ends_on": c.ends_on, "delegates": s.delegates, "front_line_share": float(s.front_line),
            "women_share": float(s.women), "migrant_share": float(s.migrant),
            "enterprise_ids": list(c.enterprises.values_list("pk", flat=True))}


def _delegate(d: Delegate) -> dict[str, Any]:
    return {"id": d.pk, "person_id": d.person_id, "name": d.person.name, "is_front_line": d.is_front_line,
            "is_woman": d.is_woman, "is_migrant": d.is_migrant}


def _year(year: int | None) -> int:
    this = queries.today().year
    if year is None:
        return this
    if not 2000 <= year <= this + 3:
        raise DomainError(_("The year must be between 2000 and three years from now."), field="year", status=422)
    return year


# ---------------------------------------------------------------------------------------------
# Rates


@router.get("/rights/rates", response={200: RightsRatesOut, **ERRORS}, summary="Establishment and coverage rates")
def rates(request: HttpRequest, org_id: int, year: int | None = None) -> Any:
    """An org's rates of the year and its child unions' (pre-aggregated: one fact-store statement)."""
    org, y = one(_orgs(request), org_id), _year(year)
    own, rows = queries.rate_rows(org, y)
    return {"year": y, "own": _rate(own), "children": [_rate(r) for r in rows]}


@router.get("/rights/lacking", response={200: list[OrgRef], **ERRORS}, summary="Enterprises lacking an item")
@paginate(Pagination)
def lacking(request: HttpRequest, org_id: int, item: str, year: int | None = None) -> Any:
    """The enterprises in the org's reach without `item` (congress, openness, comprehensive, wages, women, safety)
    in the year."""
    org = one(_orgs(request), org_id)
    if item not in queries.ITEM_KEYS:
        raise DomainError(_("Choose the item: %(items)s.") % {"items": ", ".join(sorted(queries.ITEM_KEYS))},
                          field="item", status=422)
    return Listing(queries.lacking(org, _year(year), item))


# ---------------------------------------------------------------------------------------------
# Congresses


@router.post("/rights/congresses", response={201: RightsCongressOut, **ERRORS}, summary="Record a congress term")
def record_congress(request: HttpRequest, payload: RightsCongressIn) -> Any:
    user, orgs = _actor(request), _orgs(request)
    org = one(orgs, payload.org_id, "org_id")
    enterprises = [one(orgs, pk, "enterprise_ids") for pk in payload.enterprise_ids]
    c = services.record_congress(actor=user, org=org, form=payload.form, established_on=payload.established_on,
                                 term_years=payload.term_years, term=payload.term, enterprises=enterprises,
                                 note=payload.note)
    return Status(201, _congress(c))


@router.get("/rights/congresses", response={200: list[RightsCongressOut], **ERRORS}, summary="Congress terms")
@paginate(Pagination)
def list_congresses(request: HttpRequest, enterprise_id: int | None = None) -> Any:
    qs = Congress.objects.for_user(_actor(request)).select_related("org").order_by("pk")
    if enterprise_id is not None:
        qs = qs.filter(enterprises=enterprise_id)
    return Listing(qs, render=_congress)


@router.get("/rights/congresses/{congress_id}", response={200: RightsCongressOut, **ERRORS}, summary="One congress")
def get_congress(request: HttpRequest, congress_id: int) -> Any:
    return _congress(one(Congress.objects.for_user(_actor(request)).select_related("org"), congress_id))


@router.get("/rights/congresses/{congress_id}/delegates", response={200: list[RightsDelegateOut], **ERRORS},
            summary="A congress's delegates")
def list_delegates(request: HttpRequest, congress_id: int) -> Any:
    c = one(Congress.objects.for_user(_actor(request)), congress_id)
    return [_delegate(d) for d in c.delegates.select_related("person")]


@router.post("/rights/congresses/{congress_id}/delegates", response={201: list[RightsDelegateOut], **ERRORS},
             summary="Elect delegates")
def elect_delegates(request: HttpRequest, congress_id: int, payload: RightsDelegatesIn) -> Any:
    """Each must be an employee of an enterprise the congress covers (422 naming `people` otherwise)."""
    user = _actor(request)
    c = one(Congress.objects.for_user(user), congress_id)
    people = [one(Person.objects.for_user(user), pk, "person_ids") for pk in payload.person_ids]
    made = services.elect_delegates(actor=user, congress=c, people=people, elected_on=payload.elected_on)
    return Status(201, [_delegate(d) for d in made])


@router.post("/rights/delegates/{delegate_id}/remove", response={204: None, **ERRORS}, summary="Remove a delegate")
def remove_delegate(request: HttpRequest, delegate_id: int, payload: RightsReasonIn) -> Any:
    user = _actor(request)
    d = one(Delegate.objects.for_user(user).select_related("congress__org", "person"), delegate_id)
    services.remove_delegate(actor=user, delegate=d, reason=payload.reason)
    return Status(204, None)


@router.post("/rights/congresses/{congress_id}/sessions", response={201: RightsSessionOut, **ERRORS},
             summary="Record a session")
def hold_session(request: HttpRequest, congress_id: int, payload: RightsSessionIn) -> Any:
    """Refused (422, field `present`) with fewer than two thirds of the delegates present."""
    user = _actor(request)
    c = one(Congress.objects.for_user(user).select_related("org"), congress_id)
    return Status(201, services.hold_session(actor=user, congress=c, held_on=payload.held_on,
                                             present=payload.present, kind=payload.kind, note=payload.note))


@router.get("/rights/congresses/{congress_id}/sessions", response={200: list[RightsSessionOut], **ERRORS},
            summary="A congress's sessions")
def list_sessions(request: HttpRequest, congress_id: int) -> Any:
    return list(one(Congress.objects.for_user(_actor(request)), congress_id).sessions.all())


@router.post("/rights/sessions/{session_id}/motions", response={201: RightsMotionOut, **ERRORS},
             summary="Record a motion")
def submit_motion(request: HttpRequest, session_id: int, payload: RightsMotionIn) -> Any:
    user = _actor(request)
    s = one(Session.objects.for_user(user).select_related("congress__org"), session_id)
    return Status(201, services.submit_motion(actor=user, session=s, title=payload.title, proposer=payload.proposer))


@router.get("/rights/sessions/{session_id}/motions", response={200: list[RightsMotionOut], **ERRORS},
            summary="A session's motions")
def list_motions(request: HttpRequest, session_id: int) -> Any:
    return list(one(Session.objects.for_user(_actor(request)), session_id).motions.all())


@router.post("/rights/motions/{motion_id}/handle", response={200: RightsMotionOut, **ERRORS}, summary="Handle a motion")
def handle_motion(request: HttpRequest, motion_id: int, payload: RightsHandleIn) -> Any:
    user = _actor(request)
    m = one(Motion.objects.for_user(user), motion_id)
    return services.handle_motion(actor=user, motion=m, state=payload.state, handled_on=payload.handled_on,
                                  handler=payload.handler, reply=payload.reply)


@router.post("/rights/sessions/{session_id}/matters", response={201: RightsMatterOut, **ERRORS},
             summary="Record a matter reviewed")
def record_matter(request: HttpRequest, session_id: int, payload: RightsMatterIn) -> Any:
    user = _actor(request)
    s = one(Session.objects.for_user(user).select_related("congress__org"), session_id)
    return Status(201, services.record_matter(actor=user, session=s, **payload.dict()))


@router.post("/rights/openness", response={201: RightsOpennessOut, **ERRORS}, summary="Record an item made public")
def publish_openness(request: HttpRequest, payload: RightsOpennessIn) -> Any:
    user = _actor(request)
    data = payload.dict()
    enterprise = one(_orgs(request), data.pop("enterprise_id"), "enterprise_id")
    return Status(201, services.publish_openness(actor=user, enterprise=enterprise, **data))


@router.post("/rights/board-seats", response={201: RightsSeatOut, **ERRORS},
             summary="Record an employee director or supervisor")
def elect_board_seat(request: HttpRequest, payload: RightsSeatIn) -> Any:
    user = _actor(request)
    enterprise = one(_orgs(request), payload.enterprise_id, "enterprise_id")
    person = one(Person.objects.for_user(user), payload.person_id, "person_id")
    return Status(201, services.elect_board_seat(actor=user, enterprise=enterprise, person=person, seat=payload.seat,
                                                 elected_on=payload.elected_on, until=payload.until))


@router.post("/rights/board-seats/{seat_id}/end", response={200: RightsSeatOut, **ERRORS}, summary="End a mandate")
def end_board_seat(request: HttpRequest, seat_id: int, payload: RightsUntilIn) -> Any:
    user = _actor(request)
    seat = one(BoardSeat.objects.for_user(user).select_related("enterprise"), seat_id)
    return services.end_board_seat(actor=user, board_seat=seat, until=payload.until)


# ---------------------------------------------------------------------------------------------
# Contracts


@router.post("/rights/contracts", response={201: RightsContractOut, **ERRORS}, summary="Record a contract as drafted")
def draft_contract(request: HttpRequest, payload: RightsContractIn) -> Any:
    """Refused (422) when the term ends before it starts (`ends_on`) or overlaps another contract of the same kind
    for one of the enterprises (`starts_on`)."""
    user, orgs = _actor(request), _orgs(request)
    org = one(orgs, payload.org_id, "org_id")
    coverage = [(one(orgs, c.enterprise_id, "coverage"), c.workers) for c in payload.coverage]
    renews = one(Contract.objects.for_user(user), payload.renews_id, "renews_id") if payload.renews_id else None
    c = services.draft_contract(actor=user, org=org, kind=payload.kind, title=payload.title,
                                employer_party=payload.employer_party, starts_on=payload.starts_on,
                                ends_on=payload.ends_on, coverage=coverage, min_wage=payload.min_wage,
                                wage_increase=payload.wage_increase, weekly_hours=payload.weekly_hours,
                                women_items=payload.women_items, renews=renews)
    return Status(201, c)


@router.get("/rights/contracts", response={200: list[RightsContractOut], **ERRORS}, summary="Collective contracts")
@paginate(Pagination)
def list_contracts(request: HttpRequest, enterprise_id: int | None = None, kind: str | None = None) -> Any:
    qs = queries.contracts_for(_actor(request)).order_by("pk")
    if enterprise_id is not None:
        qs = qs.filter(coverage__enterprise=enterprise_id)
    if kind:
        qs = qs.filter(kind=kind)
    return Listing(qs)


@router.get("/rights/contracts/expiring", response={200: list[RightsContractOut], **ERRORS},
            summary="Contracts ending within 90 days without a renewal")
@paginate(Pagination)
def expiring(request: HttpRequest) -> Any:
    return Listing(queries.expiring(_actor(request)))


@router.get("/rights/contracts/{contract_id}", response={200: RightsContractOut, **ERRORS}, summary="One contract")
def get_contract(request: HttpRequest, contract_id: int) -> Any:
    return one(queries.contracts_for(_actor(request)), contract_id)


@router.post("/rights/contracts/{contract_id}/{action}", response={200: RightsContractOut, **ERRORS},
             summary="Sign, file or terminate a contract")
def contract_action(request: HttpRequest, contract_id: int, action: str, payload: RightsOnIn) -> Any:
    """`action`: sign (on), file (on, filed_with), terminate (on, reason)."""
    user = _actor(request)
    c = one(Contract.objects.for_user(user), contract_id)
    if action == "sign":
        return services.sign_contract(actor=user, contract=c, signed_on=payload.on)
    if action == "file":
        return services.file_contract(actor=user, contract=c, filed_on=payload.on, filed_with=payload.filed_with)
    if action == "terminate":
        return services.terminate_contract(actor=user, contract=c, terminated_on=payload.on, reason=payload.reason)
    raise DomainError(_("The action is sign, file or terminate."), field="action", status=422)


# ---------------------------------------------------------------------------------------------
# Campaigns


@router.post("/rights/campaigns", response={201: RightsCampaignOut, **ERRORS}, summary="Open a bargaining campaign")
def open_campaign(request: HttpRequest, payload: RightsCampaignIn) -> Any:
    user = _actor(request)
    org = one(_orgs(request), payload.org_id, "org_id")
    return Status(201, services.open_bargaining_campaign(actor=user, org=org, year=payload.year, title=payload.title,
                                                         kind=payload.kind))


@router.get("/rights/campaigns", response={200: list[RightsCampaignOut], **ERRORS}, summary="Bargaining campaigns")
@paginate(Pagination)
def list_campaigns(request: HttpRequest) -> Any:
    return Listing(queries.campaigns_for(_actor(request)).order_by("pk"))


@router.get("/rights/campaigns/{campaign_id}/offers", response={200: list[RightsOfferOut], **ERRORS},
            summary="A campaign's offers")
@paginate(Pagination)
def list_offers(request: HttpRequest, campaign_id: int) -> Any:
    user = _actor(request)
    c = one(queries.campaigns_for(user), campaign_id)
    return Listing(Offer.objects.for_user(user).filter(campaign=c).select_related("enterprise").order_by("pk"))


@router.post("/rights/campaigns/{campaign_id}/offers", response={201: list[RightsOfferOut], **ERRORS},
             summary="Send offers")
def send_offers(request: HttpRequest, campaign_id: int, payload: RightsOffersIn) -> Any:
    user = _actor(request)
    c = one(BargainingCampaign.objects.for_user(user).select_related("org"), campaign_id)
    enterprises = [one(_orgs(request), pk, "enterprise_ids") for pk in payload.enterprise_ids]
    return Status(201, services.send_offers(actor=user, campaign=c, enterprises=enterprises,
                                            sent_on=payload.sent_on))


@router.post("/rights/offers/{offer_id}/advance", response={200: RightsOfferOut, **ERRORS},
             summary="Next step of an offer")
def advance_offer(request: HttpRequest, offer_id: int, payload: RightsAdvanceIn) -> Any:
    user = _actor(request)
    offer = one(Offer.objects.for_user(user), offer_id)
    contract = one(Contract.objects.for_user(user), payload.contract_id, "contract_id") if payload.contract_id \
        else None
    return services.advance_offer(actor=user, offer=offer, step=payload.step, on=payload.on, contract=contract,
                                  note=payload.note)

from . import cases  # noqa: E402,F401  (the rights cases' endpoints, on the same router)

# Part 3: labour protection and the 安康杯 (api/protection.py).
from .protection import router as _protection  # noqa: E402

router.add_router("", _protection)
