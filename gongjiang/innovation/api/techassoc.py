"""The workers' technical associations' endpoints (added to the innovation router): the network of your scope, one
association with its council and figures, founding one, its profile and dissolution; its members (joining, a transfer,
leaving, honours), councils and seats, activities (recording, held, a contract closed) and the figures of an org.
Same verbs and scopes as the pages: out of scope is a 404, a refusal names its field (400), not allowed is a 403;
amounts are yuan."""


import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Pagination, one
from gongjiang.core.errors import PermissionDeniedError
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.schemas import OrgRef

from .. import queries, services
from ..choices import ActivityKind, ActivityState, AssociationState, Honour, Post
from ..models import Activity, MemberHonour, Seat, TechAssociation, TechMember

router = Router(tags=["technical associations"])


# ---------------------------------------------------------------------------------------------
# Schemas


class AssociationOut(Schema):
    id: int
    name: str
    org: OrgRef
    state: str = Field(..., description="`active` or `dissolved`.")
    founded_on: datetime.date
    registration_no: str = Field(..., description="With the civil affairs bureau; empty if not registered.")
    member_count: int = Field(..., description="Members now.")
    activity_count: int = Field(..., description="Activities held (planned ones not counted).")


class NetworkOut(AssociationOut):
    level: int = Field(..., description="0 at the top of your network, 1 below it…")
    parent_id: int | None = Field(..., description="The nearest association above (in your scope).")


class SeatOut(Schema):
    member_id: int
    name: str
    post: str
    post_label: str


class CouncilOut(Schema):
    id: int
    number: int = Field(..., description="The term (届).")
    starts_on: datetime.date
    ends_on: datetime.date
    current: bool
    seats: list[SeatOut]


class FiguresOut(Schema):
    year: int
    joined: int
    left: int
    active: int = Field(..., description="Members at the year's end.")
    activities: dict[str, int] = Field(..., description="Activities held, by kind.")
    contracts: int = Field(..., description="Four-technical-services contracts held.")
    contract_value: Decimal = Field(..., description="Their value, yuan.")


class AssociationDetailOut(AssociationOut):
    address: str
    contact: str
    phone: str
    dissolved_on: datetime.date | None
    dissolved_reason: str
    parent_id: int | None
    councils: list[CouncilOut]
    figures: list[FiguresOut] = Field(..., description="This year's and last year's, the association's own.")
    network_figures: list[FiguresOut] = Field(..., description="The same with every association below it.")


class HonourOut(Schema):
    id: int
    honour: str
    label: str
    year: int
    conferred_by: str


class MemberOut(Schema):
    id: int
    person_id: int
    name: str
    unit: str
    trade: str
    speciality: str
    joined_on: datetime.date
    left_on: datetime.date | None
    left_reason: str
    transferred_to_id: int | None = Field(..., description="Where a transferred member went.")
    honours: list[HonourOut]

    @staticmethod
    def resolve_name(obj: TechMember) -> str:
        return obj.person.name

    @staticmethod
    def resolve_unit(obj: TechMember) -> str:
        return obj.person.employer.name

    @staticmethod
    def resolve_honours(obj: TechMember) -> list[dict[str, Any]]:
        return [{"id": h.pk, "honour": h.honour, "label": str(h.get_honour_display()), "year": h.year,
                 "conferred_by": h.conferred_by} for h in obj.honours.all()]


class ActivityOut(Schema):
    id: int
    kind: str
    kind_label: str
    title: str
    held_on: datetime.date
    place: str
    unit: OrgRef
    participants: int
    client: str
    value: Decimal | None = Field(..., description="Yuan; four technical services only.")
    outcome: str
    state: str

    @staticmethod
    def resolve_kind_label(obj: Activity) -> str:
        return str(obj.get_kind_display())


class ProfileIn(Schema):
    name: str = Field(..., max_length=80)
    founded_on: datetime.date
    registration_no: str = Field("", max_length=40)
    address: str = Field("", max_length=200)
    contact: str = Field("", max_length=40)
    phone: str = Field("", max_length=20)


class FoundIn(ProfileIn):
    org_id: Id = Field(..., description="The union: the province's, a city's, a county's, an industry or an "
                                        "enterprise's union, without an association yet.")


class DissolveIn(Schema):
    dissolved_on: datetime.date
    reason: str


class HonourIn(Schema):
    honour: Honour
    year: int = Field(..., description="The year awarded.")
    conferred_by: str = Field("", max_length=80)


class JoinIn(Schema):
    person_id: Id = Field(..., description="A worker of the association's union or a unit below it.")
    trade: str = Field(..., max_length=40)
    speciality: str = Field("", max_length=80)
    joined_on: datetime.date
    honours: list[HonourIn] = []
    transfer: bool = Field(False, description="The worker is a member of another association: record a transfer "
                                              "(without it, such a worker is refused, code `member_elsewhere`).")


class LeaveIn(Schema):
    left_on: datetime.date
    reason: str = Field(..., max_length=200)


class CouncilIn(Schema):
    number: int = Field(..., ge=1, description="The term (届): after the current one's.")
    starts_on: datetime.date = Field(..., description="After the current term began (which it closes).")
    ends_on: datetime.date
    chair_member_id: Id = Field(..., description="The chair (理事长), a member of the association.")


class SeatIn(Schema):
    post: Post
    former_post: Post | None = Field(None, description="Naming a new chair: the present chair's new post.")


class ActivityIn(Schema):
    kind: ActivityKind
    title: str = Field(..., max_length=120)
    held_on: datetime.date = Field(..., description="A day to come: planned; today or earlier: held.")
    unit_id: Id = Field(..., description="The host unit, within the association's union.")
    place: str = Field("", max_length=120)
    participants: int = 0
    member_ids: list[Id] = Field([], description="Members of the association involved.")
    client: str = Field("", max_length=120, description="Four technical services: the client enterprise.")
    value: Decimal | None = Field(None, max_digits=14, decimal_places=2,
                                  description="Four technical services: the contract's value, yuan (≥ 0).")


class HeldIn(Schema):
    held_on: datetime.date
    participants: int


class CloseIn(Schema):
    outcome: str


class MemberFilter(Schema):
    q: str = Field("", max_length=40, description="Part of the name.")
    honour: Honour | None = None
    trade: str = Field("", max_length=40)
    status: str = Field("active", pattern="^(active|left|all)$")


class ActivityFilter(Schema):
    q: str = Field("", max_length=60, description="Part of the title or the client.")
    kind: ActivityKind | None = None
    state: ActivityState | None = None
    year: int | None = Field(None, ge=2000, le=2100)


class NetworkFilter(Schema):
    q: str = Field("", max_length=60)
    state: AssociationState | None = None


class OrgFiguresOut(Schema):
    org: OrgRef
    year: int
    figures: FiguresOut = Field(..., description="Every association of the org's reach.")
    own: FiguresOut | None = Field(..., description="The org's own association, if it has one.")


# ---------------------------------------------------------------------------------------------
# Helpers


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _association(request: HttpRequest, pk: int) -> TechAssociation:
    found = queries.association_detail(_actor(request), pk)
    if found is None:
        return one(TechAssociation.objects.none(), pk)  # a 404
    return found


def _figures(f: queries.TechFigures) -> dict[str, Any]:
    return {"year": f.year, "joined": f.joined, "left": f.left, "active": f.active,
            "activities": {k: f.kinds.get(k, 0) for k in ActivityKind.values}, "contracts": f.contracts,
            "contract_value": f.contract_value}


def _row(a: TechAssociation) -> dict[str, Any]:
    return {f: getattr(a, f) for f in ("id", "name", "org", "state", "founded_on", "registration_no", "member_count",
                                        "activity_count")}


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    a = _association(request, pk)
    year = timezone.localdate().year
    figures = queries.techassoc_this_and_last(a, year)
    parent = queries.network_parent(a)
    return {
        **_row(a), **{f: getattr(a, f) for f in ("address", "contact", "phone", "dissolved_on", "dissolved_reason")},
        "parent_id": parent.pk if parent else None,
        "councils": [{"id": c.pk, "number": c.number, "starts_on": c.starts_on, "ends_on": c.ends_on,
                      "current": c.current,
                      "seats": [{"member_id": s.member_id, "name": s.member.person.name, "post": s.post,
                                 "post_label": str(s.get_post_display())} for s in seats]}
                     for c, seats in queries.councils(a)],
        "figures": [_figures(f) for f in figures["own"]],
        "network_figures": [_figures(f) for f in figures["reach"]],
    }


def _member(a: TechAssociation, member_id: int) -> TechMember:
    return one(TechMember.objects.filter(association=a).select_related("person__employer")
               .prefetch_related("honours"), member_id, "member_id")


# ---------------------------------------------------------------------------------------------
# Associations


@router.get("/innovation/techassoc", response={200: list[NetworkOut], **ERRORS},
            summary="The technical associations of your scope, as a network")
@paginate(Pagination)
def list_associations(request: HttpRequest, filters: Query[NetworkFilter]) -> Any:
    """In pre-order (each association before those below it), with each one's level and parent."""
    rows = queries.network(_actor(request), q=filters.q, state=filters.state.value if filters.state else "")
    return [{**_row(r.association), "level": r.level, "parent_id": r.parent_id} for r in rows]


@router.get("/innovation/techassoc/figures", response={200: OrgFiguresOut, **ERRORS},
            summary="The technical associations' figures of an org and year")
def org_figures(request: HttpRequest, org_id: int, year: int | None = None) -> Any:
    org = one(Org.objects.for_user(_actor(request), "view"), org_id, "org_id")
    year = year or timezone.localdate().year
    reach = queries.figure_years(org, own=False, years=[year])[0]
    has_own = TechAssociation.objects.filter(org=org).exists()
    own = queries.figure_years(org, own=True, years=[year])[0] if has_own else None
    return {"org": org, "year": year, "figures": _figures(reach), "own": _figures(own) if own else None}


@router.get("/innovation/techassoc/{association_id}", response={200: AssociationDetailOut, **ERRORS},
            summary="One technical association")
def get_association(request: HttpRequest, association_id: int) -> Any:
    return _detail(request, association_id)


@router.post("/innovation/techassoc", response={201: AssociationDetailOut, **ERRORS},
             summary="Found the technical association of a union")
def found_association(request: HttpRequest, payload: FoundIn) -> Any:
    org = one(Org.objects.for_user(_actor(request), "view"), payload.org_id, "org_id")
    a = services.found_association(actor=_actor(request), org=org, name=payload.name, founded_on=payload.founded_on,
                                   registration_no=payload.registration_no, address=payload.address,
                                   contact=payload.contact, phone=payload.phone)
    return Status(201, _detail(request, a.pk))


@router.put("/innovation/techassoc/{association_id}", response={200: AssociationDetailOut, **ERRORS},
            summary="Correct an association's profile")
def update_association(request: HttpRequest, association_id: int, payload: ProfileIn) -> Any:
    services.update_association(actor=_actor(request), association=_association(request, association_id),
                                **payload.dict())
    return _detail(request, association_id)


@router.post("/innovation/techassoc/{association_id}/dissolve", response={200: AssociationDetailOut, **ERRORS},
             summary="Dissolve an association (its union's cadres), with the reason")
def dissolve_association(request: HttpRequest, association_id: int, payload: DissolveIn) -> Any:
    services.dissolve_association(actor=_actor(request), association=_association(request, association_id),
                                  dissolved_on=payload.dissolved_on, reason=payload.reason)
    return _detail(request, association_id)


# ---------------------------------------------------------------------------------------------
# Members


@router.get("/innovation/techassoc/{association_id}/members", response={200: list[MemberOut], **ERRORS},
            summary="An association's members")
@paginate(Pagination)
def list_members(request: HttpRequest, association_id: int, filters: Query[MemberFilter]) -> Any:
    a = _association(request, association_id)
    f = queries.MemberFilters(q=filters.q, honour=filters.honour.value if filters.honour else "",
                              trade=filters.trade, status=filters.status)
    return queries.member_list(a, f).order_by("person__name", "pk")


@router.post("/innovation/techassoc/{association_id}/members", response={201: MemberOut, **ERRORS},
             summary="Register a member (or record a transfer from another association)")
def join(request: HttpRequest, association_id: int, payload: JoinIn) -> Any:
    """A worker in another association is refused (400, code `member_elsewhere`) unless `transfer` is true."""
    a = _association(request, association_id)
    if not a.can_run(_actor(request)):  # before the look-up: a reader is refused, not told who works there
        raise PermissionDeniedError(_("You do not have permission for %(org)s.") % {"org": a.name})
    path = a.org.path
    people = Person.objects.filter(Q(employer__path__startswith=path) | Q(employer__industry_path__startswith=path))
    person = one(people, payload.person_id, "person_id")
    honours = [(h.honour.value, h.year, h.conferred_by) for h in payload.honours]
    current = queries.active_member_of(person)
    if payload.transfer and current is not None and current.association_id != a.pk:
        m = services.transfer_member(actor=_actor(request), member=current, to=a, transferred_on=payload.joined_on,
                                     trade=payload.trade, speciality=payload.speciality)
    else:
        m = services.join_association(actor=_actor(request), association=a, person=person, trade=payload.trade,
                                      speciality=payload.speciality, joined_on=payload.joined_on, honours=honours)
    return Status(201, _member(a, m.pk))


@router.post("/innovation/techassoc/{association_id}/members/{member_id}/leave", response={200: MemberOut, **ERRORS},
             summary="A member leaves, with the reason")
def leave(request: HttpRequest, association_id: int, member_id: int, payload: LeaveIn) -> Any:
    a = _association(request, association_id)
    services.leave_association(actor=_actor(request), member=_member(a, member_id), left_on=payload.left_on,
                               reason=payload.reason)
    return _member(a, member_id)


@router.post("/innovation/techassoc/{association_id}/members/{member_id}/honours",
             response={201: MemberOut, **ERRORS}, summary="Record a member's honour")
def add_honour(request: HttpRequest, association_id: int, member_id: int, payload: HonourIn) -> Any:
    a = _association(request, association_id)
    services.add_honour(actor=_actor(request), member=_member(a, member_id), honour=payload.honour.value,
                        year=payload.year, conferred_by=payload.conferred_by)
    return Status(201, _member(a, member_id))


@router.delete("/innovation/techassoc/{association_id}/members/{member_id}/honours/{honour_id}",
               response={200: MemberOut, **ERRORS}, summary="Remove a member's honour")
def remove_honour(request: HttpRequest, association_id: int, member_id: int, honour_id: int) -> Any:
    a = _association(request, association_id)
    m = _member(a, member_id)
    services.remove_honour(actor=_actor(request), honour=one(MemberHonour.objects.filter(member=m), honour_id,
                                                            "honour_id"))
    return _member(a, member_id)


# ---------------------------------------------------------------------------------------------
# Councils


@router.get("/innovation/techassoc/{association_id}/councils", response={200: list[CouncilOut], **ERRORS},
            summary="An association's councils, the current one first")
def list_councils(request: HttpRequest, association_id: int) -> Any:
    return _detail(request, association_id)["councils"]


@router.post("/innovation/techassoc/{association_id}/councils", response={201: list[CouncilOut], **ERRORS},
             summary="Start a new council term (closes the current one)")
def start_council(request: HttpRequest, association_id: int, payload: CouncilIn) -> Any:
    """An overlapping term is a 400 with code `overlap`."""
    a = _association(request, association_id)
    chair = one(TechMember.objects.filter(association=a), payload.chair_member_id, "chair_member_id")
    services.start_council(actor=_actor(request), association=a, number=payload.number, starts_on=payload.starts_on,
                           ends_on=payload.ends_on, chair=chair)
    return Status(201, _detail(request, association_id)["councils"])


def _current_council(a: TechAssociation) -> Any:
    council = queries.current_council(a)
    if council is None:
        raise Http404
    return council


@router.put("/innovation/techassoc/{association_id}/councils/current/seats/{member_id}",
            response={200: list[CouncilOut], **ERRORS}, summary="Give a member a seat on the current council")
def set_seat(request: HttpRequest, association_id: int, member_id: int, payload: SeatIn) -> Any:
    """A second chair is a 400 with code `second_chair`, unless the present chair is given `former_post`."""
    a = _association(request, association_id)
    member = one(TechMember.objects.filter(association=a), member_id, "member_id")
    services.set_seat(actor=_actor(request), council=_current_council(a), member=member, post=payload.post.value,
                      former_post=payload.former_post.value if payload.former_post else "")
    return _detail(request, association_id)["councils"]


@router.delete("/innovation/techassoc/{association_id}/councils/current/seats/{member_id}",
               response={200: list[CouncilOut], **ERRORS}, summary="Take a member off the current council")
def remove_seat(request: HttpRequest, association_id: int, member_id: int) -> Any:
    a = _association(request, association_id)
    seat = Seat.objects.filter(council=_current_council(a), member_id=member_id).first()
    if seat is None:
        raise Http404
    services.remove_seat(actor=_actor(request), seat=seat)
    return _detail(request, association_id)["councils"]


# ---------------------------------------------------------------------------------------------
# Activities


@router.get("/innovation/techassoc/{association_id}/activities", response={200: list[ActivityOut], **ERRORS},
            summary="An association's activities, the newest first")
@paginate(Pagination)
def list_activities(request: HttpRequest, association_id: int, filters: Query[ActivityFilter]) -> Any:
    a = _association(request, association_id)
    f = queries.ActivityFilters(q=filters.q, kind=filters.kind.value if filters.kind else "",
                                state=filters.state.value if filters.state else "", year=filters.year)
    return queries.activity_list(a, f).order_by("-held_on", "-pk")


@router.post("/innovation/techassoc/{association_id}/activities", response={201: ActivityOut, **ERRORS},
             summary="Record an activity (planned if its day is to come)")
def record_activity(request: HttpRequest, association_id: int, payload: ActivityIn) -> Any:
    """A four-technical-services contract without its client or with a negative value is a 400 naming the field;
    a host unit outside the association's union too (field `unit`)."""
    a = _association(request, association_id)
    unit = one(Org.objects.all(), payload.unit_id, "unit_id")
    members = [one(TechMember.objects.filter(association=a), pk, "member_ids") for pk in payload.member_ids]
    x = services.record_activity(actor=_actor(request), association=a, kind=payload.kind.value, title=payload.title,
                                 held_on=payload.held_on, unit=unit, place=payload.place,
                                 participants=payload.participants, members=members, client=payload.client,
                                 value=payload.value)
    return Status(201, _activity(a, x.pk))


def _activity(a: TechAssociation, pk: int) -> Activity:
    return one(Activity.objects.filter(association=a).select_related("unit"), pk, "activity_id")


@router.post("/innovation/techassoc/{association_id}/activities/{activity_id}/held",
             response={200: ActivityOut, **ERRORS}, summary="A planned activity was held")
def hold_activity(request: HttpRequest, association_id: int, activity_id: int, payload: HeldIn) -> Any:
    a = _association(request, association_id)
    services.hold_activity(actor=_actor(request), activity=_activity(a, activity_id), held_on=payload.held_on,
                           participants=payload.participants)
    return _activity(a, activity_id)


@router.post("/innovation/techassoc/{association_id}/activities/{activity_id}/close",
             response={200: ActivityOut, **ERRORS}, summary="Close a four-technical-services contract with its outcome")
def close_activity(request: HttpRequest, association_id: int, activity_id: int, payload: CloseIn) -> Any:
    a = _association(request, association_id)
    services.close_activity(actor=_actor(request), activity=_activity(a, activity_id), outcome=payload.outcome)
    return _activity(a, activity_id)
