"""The 6·18 exhibition's endpoints (added to the innovation router): exhibitions, their catalogue of offers and needs,
the suggested matches, the matches with their meetings, and every verb — the same verbs and scopes as the pages: an
exhibition or an entry out of sight is a 404, a refusal names its field (400), an actor out of scope is a 403.
Amounts are yuan. A contact's mobile is given to the organiser, to the contact's own union, and on a match to the
other side once a meeting was accepted; otherwise it is null."""


import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.schemas import OrgRef

from .. import queries, services
from ..choices import Category, EntryState, ExpoState, MatchState, TransferMode
from ..models import Achievement, Exhibition, Match, Meeting, Need, Offer, Project

router = Router(tags=["innovation exhibition"])


class ExhibitionOut(Schema):
    id: int
    name: str
    year: int
    organiser: OrgRef
    starts_on: datetime.date
    ends_on: datetime.date
    venue: str
    registration_deadline: datetime.date
    state: str
    slot_minutes: int
    day_start: datetime.time
    day_end: datetime.time
    tables: int


class ExhibitionDetailOut(ExhibitionOut):
    offers: dict[str, int] = Field(description="Offers by check state (submitted, accepted, returned).")
    needs: dict[str, int]
    matches: dict[str, int] = Field(description="Matches by state.")
    signed_value: Decimal = Field(description="Contract value of this exhibition's signed matches, yuan.")
    slots: list[datetime.datetime]


class ExhibitionIn(Schema):
    organiser_id: Id = Field(..., description="A province or city union of your scope.")
    name: str = Field(..., max_length=120)
    starts_on: datetime.date
    ends_on: datetime.date
    venue: str = Field(..., max_length=120)
    registration_deadline: datetime.date = Field(..., description="On or before the first day.")
    slot_minutes: int = Field(30, description="15, 20, 30, 45 or 60.")
    day_start: datetime.time = datetime.time(9, 0)
    day_end: datetime.time = datetime.time(17, 0)
    tables: int = Field(10, description="1–200.")


class StateIn(Schema):
    state: ExpoState = Field(..., description="The next state: open, held, closed.")


class EntryFilter(Schema):
    q: str = Field("", max_length=60, description="Part of the title or of the enterprise's name.")
    category: Category | None = None
    state: EntryState | None = None


class ContactOut(Schema):
    name: str
    mobile: str | None = Field(description="Null unless you may read it.")


class EntryOut(Schema):
    """What an offer and a need both show (the catalogue's entry)."""

    id: int
    number: str
    title: str
    org: OrgRef
    category: str
    state: str
    return_reason: str
    contact: ContactOut | None = Field(description="Null for an entry of another enterprise.")


class OfferOut(EntryOut):
    summary: str
    mode: str
    price: Decimal | None = Field(description="Yuan; null: to be negotiated.")
    authors: str
    project_id: int | None
    achievement_id: int | None = Field(None, description="The reviewed achievement it offers.")


class NeedOut(EntryOut):
    description: str
    budget: Decimal | None
    solve_by: datetime.date | None


class OfferFieldsIn(Schema):
    """An offer's fields (entered, or corrected after it was returned)."""

    title: str = Field(..., max_length=120)
    summary: str
    category: Category
    mode: TransferMode
    price: Decimal | None = Field(None, max_digits=14, decimal_places=2, description="Yuan; null: 面议.")
    authors: str = Field("", max_length=200)
    project_id: Id | None = Field(None, description="The enterprise's innovation project it came from.")
    achievement_id: Id | None = Field(None, description="The enterprise's reviewed achievement it offers.")
    contact_id: Id = Field(..., description="A worker of the enterprise.")


class OfferIn(OfferFieldsIn):
    org_id: Id = Field(..., description="The enterprise's union (基层工会) offering it.")


class NeedFieldsIn(Schema):
    """A need's fields (entered, or corrected after it was returned)."""

    title: str = Field(..., max_length=120)
    description: str
    category: Category
    budget: Decimal | None = Field(None, max_digits=14, decimal_places=2, description="Yuan; null: 面议.")
    solve_by: datetime.date | None = None
    contact_id: Id


class NeedIn(NeedFieldsIn):
    org_id: Id


class CheckIn(Schema):
    accept: bool = Field(..., description="true: into the catalogue; false: returned (a reason is needed).")
    reason: str = ""


class SuggestionOut(Schema):
    offer_id: int
    offer_title: str
    offer_org: str
    need_id: int
    need_title: str
    need_org: str
    score: float = Field(description="0–1: 0.3 for the same category + 0.7 × the text similarity.")
    same_category: bool
    words: list[str] = Field(description="The words the two share.")


class MeetingOut(Schema):
    id: int
    starts_at: datetime.datetime
    table: int
    requested_by: str = Field(description="offer or need: the side that asked.")
    state: str = Field(description="requested, accepted, declined or cancelled.")
    decline_reason: str
    cancelled_by: str = Field(description="offer or need: the side that cancelled an accepted meeting; empty.")
    cancel_reason: str


class MatchOut(Schema):
    id: int
    number: str
    exhibition_id: int
    offer_id: int
    offer_title: str
    offer_org: OrgRef
    need_id: int
    need_title: str
    need_org: OrgRef
    origin: str
    score: float | None
    state: str
    met_on: datetime.date | None
    signed_on: datetime.date | None
    contract_value: Decimal | None
    implemented_on: datetime.date | None
    implementation_note: str
    close_reason: str


class MatchDetailOut(MatchOut):
    offer_contact: ContactOut
    need_contact: ContactOut
    meetings: list[MeetingOut]


class MatchIn(Schema):
    offer_id: Id
    need_id: Id
    note: str = ""


class MatchFilter(Schema):
    q: str = Field("", max_length=60)
    state: MatchState | None = None


class MeetingIn(Schema):
    starts_at: datetime.datetime = Field(..., description="One of the exhibition's `slots`.")
    table: int | None = Field(None, description="Empty: the first free table.")


class ReasonIn(Schema):
    reason: str = ""


class MetIn(Schema):
    met_on: datetime.date
    note: str = ""


class SignIn(Schema):
    contract_value: Decimal | None = Field(..., max_digits=14, decimal_places=2,
                                           description="Yuan, above 0 (a signature without it is refused).")
    signed_on: datetime.date
    note: str = ""


class ImplementedIn(Schema):
    implemented_on: datetime.date
    note: str


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _expo(request: HttpRequest, pk: int) -> Exhibition:
    found = queries.exhibition_for(_actor(request), pk)
    return found if found is not None else one(Exhibition.objects.none(), pk)


def _expo_out(e: Exhibition) -> dict[str, Any]:
    return {f: getattr(e, f) for f in ("id", "name", "year", "organiser", "starts_on", "ends_on", "venue",
                                       "registration_deadline", "state", "slot_minutes", "day_start", "day_end",
                                       "tables")}


def _contact(entry: Offer | Need, visible: bool) -> dict[str, Any]:
    return {"name": entry.contact.name, "mobile": entry.contact.mobile if visible else None}


def _entry_out(user: Any, x: Any) -> dict[str, Any]:
    own = x.exhibition.can_run(user) or x.is_own(user)
    common = {"id": x.pk, "number": x.number, "title": x.title, "org": x.org, "category": x.category,
              "state": x.state, "return_reason": x.return_reason if own else "",
              "contact": _contact(x, True) if own else None}
    if isinstance(x, Offer):
        return {**common, "summary": x.summary, "mode": x.mode, "price": x.price, "authors": x.authors,
                "project_id": x.project_id, "achievement_id": x.achievement_id}
    return {**common, "description": x.description, "budget": x.budget, "solve_by": x.solve_by}


def _entry(request: HttpRequest, model: Any, pk: int) -> Any:
    """An entry of the user's scope, or of the published catalogue (accepted) of an exhibition they see."""
    user = _actor(request)
    related = ("exhibition__organiser", "org", "contact")
    found = model.objects.for_user(user, "view").select_related(*related).filter(pk=pk).first()
    if found is None:
        found = queries.published(user, model).select_related(*related).filter(pk=pk).first()
    return found if found is not None else one(model.objects.none(), pk)


def _entries(request: HttpRequest, exhibition_id: int, filters: EntryFilter, read: Any) -> Any:
    """The offers (or needs: `read` is queries.offers or queries.needs) of an exhibition the user sees, filtered."""
    user = _actor(request)
    f = queries.EntryFilters(q=filters.q, category=filters.category.value if filters.category else "",
                             state=filters.state.value if filters.state else "")
    qs = read(user, _expo(request, exhibition_id), f).select_related("exhibition__organiser")
    return Listing(qs.order_by("-created_at", "-id"), render=lambda x: _entry_out(user, x))


def _submitted(request: HttpRequest, exhibition_id: int, payload: Any, model: type[Offer] | type[Need]) -> Any:
    """A new offer or need entered by its union: 201 with the entry."""
    user = _actor(request)
    e = _expo(request, exhibition_id)
    org = one(Org.objects.for_user(user, "view"), payload.org_id, "org_id")
    if model is Offer:
        x: Offer | Need = services.submit_offer(actor=user, exhibition=e, org=org, **_offer_fields(user, payload))
    else:
        x = services.submit_need(actor=user, exhibition=e, org=org, **_need_fields(user, payload))
    return Status(201, _entry_out(user, _entry(request, model, x.pk)))


def _resubmitted(request: HttpRequest, model: type[Offer] | type[Need], pk: int, payload: Any) -> dict[str, Any]:
    """A returned offer or need corrected and submitted again by its union; the entry as it is now."""
    user = _actor(request)
    entry = _entry(request, model, pk)
    if isinstance(entry, Offer):
        services.resubmit_offer(actor=user, offer=entry, **_offer_fields(user, payload))
    else:
        services.resubmit_need(actor=user, need=entry, **_need_fields(user, payload))
    return _entry_out(user, _entry(request, model, pk))


def _checked(request: HttpRequest, model: type[Offer] | type[Need], pk: int, payload: CheckIn) -> dict[str, Any]:
    """The organiser's check of an offer or a need; the entry as it is now."""
    user = _actor(request)
    entry = _entry(request, model, pk)
    if isinstance(entry, Offer):
        services.check_offer(actor=user, offer=entry, accept=payload.accept, reason=payload.reason)
    else:
        services.check_need(actor=user, need=entry, accept=payload.accept, reason=payload.reason)
    return _entry_out(user, _entry(request, model, pk))


def _match(request: HttpRequest, pk: int) -> Match:
    found = queries.match_detail(_actor(request), pk)
    return found if found is not None else one(Match.objects.none(), pk)


def _match_out(m: Match) -> dict[str, Any]:
    return {**{f: getattr(m, f) for f in ("id", "number", "exhibition_id", "offer_id", "need_id", "origin", "score",
                                          "state", "met_on", "signed_on", "contract_value", "implemented_on",
                                          "implementation_note", "close_reason")},
            "offer_title": m.offer.title, "offer_org": m.offer.org, "need_title": m.need.title,
            "need_org": m.need.org}


def _match_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    user = _actor(request)
    m = _match(request, pk)
    meetings = queries.meetings_of(m)
    return {**_match_out(m),
            "offer_contact": _contact(m.offer, queries.contact_visible(user, m, "offer", meetings)),
            "need_contact": _contact(m.need, queries.contact_visible(user, m, "need", meetings)),
            "meetings": [{f: getattr(x, f) for f in ("id", "starts_at", "table", "requested_by", "state",
                                                     "decline_reason", "cancelled_by", "cancel_reason")}
                         for x in meetings]}


# ---------------------------------------------------------------------------------------------
# Exhibitions


@router.get("/innovation/exhibitions", response={200: list[ExhibitionOut], **ERRORS}, summary="Exhibitions")
@paginate(Pagination)
def list_exhibitions(request: HttpRequest) -> Any:
    """The exhibitions organised in your scope or above it (the unions below enter offers and needs)."""
    return queries.exhibitions(_actor(request))


@router.post("/innovation/exhibitions", response={201: ExhibitionOut, **ERRORS}, summary="Set up an exhibition")
def create_exhibition(request: HttpRequest, payload: ExhibitionIn) -> Any:
    user = _actor(request)
    organiser = one(Org.objects.for_user(user, "view"), payload.organiser_id, "organiser_id")
    e = services.create_exhibition(actor=user, organiser=organiser, name=payload.name, year=payload.starts_on.year,
                                   starts_on=payload.starts_on, ends_on=payload.ends_on, venue=payload.venue,
                                   registration_deadline=payload.registration_deadline,
                                   slot_minutes=payload.slot_minutes, day_start=payload.day_start,
                                   day_end=payload.day_end, tables=payload.tables)
    return Status(201, _expo_out(e))


@router.get("/innovation/exhibitions/{exhibition_id}", response={200: ExhibitionDetailOut, **ERRORS},
            summary="One exhibition, with its counts and slots")
def get_exhibition(request: HttpRequest, exhibition_id: int) -> Any:
    e = _expo(request, exhibition_id)
    c = queries.counts(e)
    return {**_expo_out(e), "offers": c.offers, "needs": c.needs, "matches": c.matches,
            "signed_value": c.signed_value, "slots": e.slots()}


@router.post("/innovation/exhibitions/{exhibition_id}/state", response={200: ExhibitionOut, **ERRORS},
             summary="Move the exhibition to its next state (organiser)")
def exhibition_state(request: HttpRequest, exhibition_id: int, payload: StateIn) -> Any:
    e = services.advance_exhibition(actor=_actor(request), exhibition=_expo(request, exhibition_id),
                                    state=payload.state.value)
    return _expo_out(e)


# ---------------------------------------------------------------------------------------------
# The catalogue


@router.get("/innovation/exhibitions/{exhibition_id}/offers", response={200: list[OfferOut], **ERRORS},
            summary="Offered achievements (the organiser: all; a union: its own)")
@paginate(Pagination)
def list_offers(request: HttpRequest, exhibition_id: int, filters: Query[EntryFilter]) -> Any:
    return _entries(request, exhibition_id, filters, queries.offers)


def _offer_fields(user: Any, payload: OfferFieldsIn) -> dict[str, Any]:
    """The verb's arguments from an offer's fields (the records named by id looked up in the user's scope)."""
    return {"title": payload.title, "summary": payload.summary, "category": payload.category.value,
            "mode": payload.mode.value, "price": payload.price, "authors": payload.authors,
            "project": one(Project.objects.for_user(user, "view"), payload.project_id, "project_id")
            if payload.project_id else None,
            "achievement": one(Achievement.objects.for_user(user, "view"), payload.achievement_id, "achievement_id")
            if payload.achievement_id else None,
            "contact": one(Person.objects.for_user(user, "view"), payload.contact_id, "contact_id")}


@router.post("/innovation/exhibitions/{exhibition_id}/offers", response={201: OfferOut, **ERRORS},
             summary="Offer an achievement (an enterprise's union, before the registration deadline)")
def create_offer(request: HttpRequest, exhibition_id: int, payload: OfferIn) -> Any:
    return _submitted(request, exhibition_id, payload, Offer)


@router.put("/innovation/exhibition-offers/{offer_id}", response={200: OfferOut, **ERRORS},
            summary="Correct a returned offer and submit it again (its enterprise's union)")
def resubmit_offer(request: HttpRequest, offer_id: int, payload: OfferFieldsIn) -> Any:
    """Only a returned offer (400 `wrong_state` otherwise), while the exhibition is open for entries; it waits for
    the organiser's check again."""
    return _resubmitted(request, Offer, offer_id, payload)


@router.get("/innovation/exhibition-offers/{offer_id}", response={200: OfferOut, **ERRORS}, summary="One offer")
def get_offer(request: HttpRequest, offer_id: int) -> Any:
    return _entry_out(_actor(request), _entry(request, Offer, offer_id))


@router.post("/innovation/exhibition-offers/{offer_id}/check", response={200: OfferOut, **ERRORS},
             summary="Accept an offer into the catalogue, or return it with a reason (organiser)")
def check_offer(request: HttpRequest, offer_id: int, payload: CheckIn) -> Any:
    return _checked(request, Offer, offer_id, payload)


@router.get("/innovation/exhibitions/{exhibition_id}/needs", response={200: list[NeedOut], **ERRORS},
            summary="Technical needs (the organiser: all; a union: its own)")
@paginate(Pagination)
def list_needs(request: HttpRequest, exhibition_id: int, filters: Query[EntryFilter]) -> Any:
    return _entries(request, exhibition_id, filters, queries.needs)


def _need_fields(user: Any, payload: NeedFieldsIn) -> dict[str, Any]:
    return {"title": payload.title, "description": payload.description, "category": payload.category.value,
            "budget": payload.budget, "solve_by": payload.solve_by,
            "contact": one(Person.objects.for_user(user, "view"), payload.contact_id, "contact_id")}


@router.post("/innovation/exhibitions/{exhibition_id}/needs", response={201: NeedOut, **ERRORS},
             summary="Enter a technical need (an enterprise's union, before the registration deadline)")
def create_need(request: HttpRequest, exhibition_id: int, payload: NeedIn) -> Any:
    return _submitted(request, exhibition_id, payload, Need)


@router.put("/innovation/exhibition-needs/{need_id}", response={200: NeedOut, **ERRORS},
            summary="Correct a returned need and submit it again (its enterprise's union)")
def resubmit_need(request: HttpRequest, need_id: int, payload: NeedFieldsIn) -> Any:
    """Only a returned need (400 `wrong_state` otherwise), while the exhibition is open for entries."""
    return _resubmitted(request, Need, need_id, payload)


@router.get("/innovation/exhibition-needs/{need_id}", response={200: NeedOut, **ERRORS}, summary="One need")
def get_need(request: HttpRequest, need_id: int) -> Any:
    return _entry_out(_actor(request), _entry(request, Need, need_id))


@router.post("/innovation/exhibition-needs/{need_id}/check", response={200: NeedOut, **ERRORS},
             summary="Accept a need into the catalogue, or return it with a reason (organiser)")
def check_need(request: HttpRequest, need_id: int, payload: CheckIn) -> Any:
    return _checked(request, Need, need_id, payload)


@router.get("/innovation/exhibitions/{exhibition_id}/suggestions", response={200: list[SuggestionOut], **ERRORS},
            summary="Suggested matches (the organiser: all; a union: those of its own entries)")
def suggestions(request: HttpRequest, exhibition_id: int, offer_id: int | None = None,
                need_id: int | None = None) -> Any:
    user = _actor(request)
    e = _expo(request, exhibition_id)
    offer = one(Offer.objects.for_user(user, "view").filter(exhibition=e), offer_id) if offer_id else None
    need = one(Need.objects.for_user(user, "view").filter(exhibition=e), need_id) if need_id else None
    return [{"offer_id": s.offer.pk, "offer_title": s.offer.title, "offer_org": s.offer.org.name,
             "need_id": s.need.pk, "need_title": s.need.title, "need_org": s.need.org.name, "score": s.score,
             "same_category": s.same_category, "words": list(s.words)}
            for s in queries.suggestions(user, e, offer=offer, need=need)]


# ---------------------------------------------------------------------------------------------
# Matches and meetings


@router.get("/innovation/exhibitions/{exhibition_id}/matches", response={200: list[MatchOut], **ERRORS},
            summary="Matches (either side's union, the organiser)")
@paginate(Pagination)
def list_matches(request: HttpRequest, exhibition_id: int, filters: Query[MatchFilter]) -> Any:
    e = _expo(request, exhibition_id)
    qs = queries.matches(_actor(request), e, queries.MatchFilters(
        state=filters.state.value if filters.state else "", q=filters.q)).order_by("-created_at", "-id")
    return Listing(qs, render=_match_out)


@router.post("/innovation/exhibitions/{exhibition_id}/matches", response={201: MatchDetailOut, **ERRORS},
             summary="Make a match: the organiser confirms a pair, a union of either side asks for one")
def make_match(request: HttpRequest, exhibition_id: int, payload: MatchIn) -> Any:
    user = _actor(request)
    e = _expo(request, exhibition_id)
    offer = one(queries.published(user, Offer).filter(exhibition=e), payload.offer_id, "offer_id")
    need = one(queries.published(user, Need).filter(exhibition=e), payload.need_id, "need_id")
    if e.can_run(user):
        m = services.confirm_match(actor=user, offer=offer, need=need, note=payload.note)
    else:
        m = services.request_match(actor=user, offer=offer, need=need, note=payload.note)
    return Status(201, _match_detail(request, m.pk))


@router.get("/innovation/exhibition-matches/{match_id}", response={200: MatchDetailOut, **ERRORS},
            summary="One match, with its meetings")
def get_match(request: HttpRequest, match_id: int) -> Any:
    return _match_detail(request, match_id)


@router.post("/innovation/exhibition-matches/{match_id}/meetings", response={201: MatchDetailOut, **ERRORS},
             summary="Request a meeting in a slot (either side)")
def request_meeting(request: HttpRequest, match_id: int, payload: MeetingIn) -> Any:
    """Refused (400) for a time that is no slot, a table taken then (`slot_taken`), or a union with another meeting
    then (`busy`)."""
    services.request_meeting(actor=_actor(request), match=_match(request, match_id), starts_at=payload.starts_at,
                             table=payload.table)
    return Status(201, _match_detail(request, match_id))


def _meeting(request: HttpRequest, match_id: int, meeting_id: int) -> Meeting:
    return one(Meeting.objects.filter(match=_match(request, match_id)), meeting_id)


@router.post("/innovation/exhibition-matches/{match_id}/meetings/{meeting_id}/accept",
             response={200: MatchDetailOut, **ERRORS}, summary="Accept a meeting (the other side)")
def accept_meeting(request: HttpRequest, match_id: int, meeting_id: int) -> Any:
    services.accept_meeting(actor=_actor(request), meeting=_meeting(request, match_id, meeting_id))
    return _match_detail(request, match_id)


@router.post("/innovation/exhibition-matches/{match_id}/meetings/{meeting_id}/decline",
             response={200: MatchDetailOut, **ERRORS}, summary="Decline a meeting, with a reason (the other side)")
def decline_meeting(request: HttpRequest, match_id: int, meeting_id: int, payload: ReasonIn) -> Any:
    services.decline_meeting(actor=_actor(request), meeting=_meeting(request, match_id, meeting_id),
                             reason=payload.reason)
    return _match_detail(request, match_id)


@router.post("/innovation/exhibition-matches/{match_id}/meetings/{meeting_id}/cancel",
             response={200: MatchDetailOut, **ERRORS},
             summary="Cancel an accepted meeting, with a reason (either side)")
def cancel_meeting(request: HttpRequest, match_id: int, meeting_id: int, payload: ReasonIn) -> Any:
    """The table is free again in that slot; the other side is told. A meeting not accepted (or cancelled already)
    is a 400 `wrong_state`, one that has begun `past`."""
    services.cancel_meeting(actor=_actor(request), meeting=_meeting(request, match_id, meeting_id),
                            reason=payload.reason)
    return _match_detail(request, match_id)


@router.post("/innovation/exhibition-matches/{match_id}/met", response={200: MatchDetailOut, **ERRORS},
             summary="对接: the two sides met")
def met(request: HttpRequest, match_id: int, payload: MetIn) -> Any:
    services.record_met(actor=_actor(request), match=_match(request, match_id), met_on=payload.met_on,
                        note=payload.note)
    return _match_detail(request, match_id)


@router.post("/innovation/exhibition-matches/{match_id}/sign", response={200: MatchDetailOut, **ERRORS},
             summary="签约: a contract signed, with its value")
def sign(request: HttpRequest, match_id: int, payload: SignIn) -> Any:
    """A step skipped (signed before met) is a 400 with code `step_skipped`; a missing or non-positive value a 400
    naming `contract_value`."""
    services.sign_match(actor=_actor(request), match=_match(request, match_id), contract_value=payload.contract_value,
                        signed_on=payload.signed_on, note=payload.note)
    return _match_detail(request, match_id)


@router.post("/innovation/exhibition-matches/{match_id}/implemented", response={200: MatchDetailOut, **ERRORS},
             summary="落地: implemented, with a note")
def implemented(request: HttpRequest, match_id: int, payload: ImplementedIn) -> Any:
    services.record_implemented(actor=_actor(request), match=_match(request, match_id),
                                implemented_on=payload.implemented_on, note=payload.note)
    return _match_detail(request, match_id)


@router.post("/innovation/exhibition-matches/{match_id}/close", response={200: MatchDetailOut, **ERRORS},
             summary="Close without agreement, with the reason")
def close(request: HttpRequest, match_id: int, payload: ReasonIn) -> Any:
    services.close_match(actor=_actor(request), match=_match(request, match_id), reason=payload.reason)
    return _match_detail(request, match_id)
