"""The honours endpoints (mounted by gongjiang/api.py from HonoursConfig.api_router): honour types, campaigns with
their quota tables and a union's split, nominations (start, complete, materials, submit, withdraw). Same verbs and
scopes as the pages: out of scope is a 404; a refusal is a 400 naming its field(s), with every reason at once
(code `ineligible`, `quota`, `incomplete`, `duplicate`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.schemas import OrgRef

from .. import queries, services
from ..choices import Level, Material, Subject
from ..models import Allocation, Campaign, HonourType, Nomination
from ..rules import quotas

router = Router(tags=["honours"])


class HonourTypeOut(Schema):
    id: int
    code: str
    name: str
    level: str
    subject: str
    term_years: int
    front_line_share: int
    leader_share: int | None
    min_age: int | None
    max_age: int | None
    min_years: int
    clean_record: bool
    requires_any: list[str]
    excludes: list[str]
    active: bool


class HonourTypeIn(Schema):
    code: str = Field(..., max_length=40)
    name: str = Field(..., max_length=60)
    level: Level
    subject: Subject
    term_years: int = Field(1, ge=1, le=10)
    front_line_share: int = Field(0, ge=0, le=100, description="Percent of front-line workers among nominees.")
    leader_share: int | None = Field(None, ge=0, le=100, description="Percent cap on leaders and managers.")
    min_age: int | None = None
    max_age: int | None = None
    min_years: int = Field(0, ge=0, le=50)
    clean_record: bool = True
    requires_any: list[str] = Field([], description="Codes of honours of which the nominee must hold one.")
    excludes: list[str] = Field([], description="Codes of honours whose holders are not nominated.")
    description: str = ""


class ReservesIO(Schema):
    non_public: int = Field(0, ge=0)
    front_line: int = Field(0, ge=0)
    women: int = Field(0, ge=0)


class CampaignOut(Schema):
    id: int
    title: str
    honour_type: str
    honour_type_id: int
    org: OrgRef
    year: int
    opens_on: datetime.date
    submit_until: datetime.date
    materials: list[str]
    is_open: bool


class CampaignIn(Schema):
    honour_type_id: Id
    org_id: Id = Field(..., description="The organising union (province, city or county by the honour's level).")
    year: int
    title: str = Field(..., max_length=120)
    opens_on: datetime.date
    submit_until: datetime.date
    total: int = Field(..., ge=1, le=100000)
    reserves: ReservesIO = ReservesIO()
    materials: list[Material] = []
    notes: str = ""


class AllocationOut(Schema):
    id: int
    org: OrgRef
    parent_id: int | None
    quota: int
    reserves: ReservesIO
    nominated: int
    nominated_non_public: int
    nominated_front_line: int
    nominated_women: int
    nominated_leader: int
    left: int


class QuotaTableOut(Schema):
    allocation: AllocationOut
    given: int = Field(description="The quotas shared out to the unions below.")
    children: list[AllocationOut]


class ShareIn(Schema):
    org_id: Id
    quota: int = Field(..., ge=0)
    reserves: ReservesIO = ReservesIO()


class AllocateIn(Schema):
    shares: list[ShareIn] = Field(..., description="The whole split: a union left out loses its share.")


class NominationOut(Schema):
    id: int
    campaign_id: int
    unit: OrgRef
    allocation_org: OrgRef
    subject: str
    person_id: int | None
    nominee_org_id: int | None
    name: str
    front_line: bool
    is_leader: bool
    years_in_trade: int | None
    disciplinary_record: bool
    deeds: str
    state: str
    files: list[dict[str, Any]]


class NominationIn(Schema):
    unit_id: Id = Field(..., description="The nominating union.")
    person_id: Id | None = Field(None, description="A person of the union's roster (an honour for a person).")
    nominee_org_id: Id | None = Field(None, description="The workshop or team (a collective) or the organisation.")
    name: str = Field("", max_length=120, description="A collective's name when it is no unit of the tree.")
    front_line: bool = False
    is_leader: bool = False
    years_in_trade: int | None = Field(None, ge=0, le=60)
    disciplinary_record: bool = False
    deeds: str = ""


class NominationUpdateIn(Schema):
    deeds: str
    front_line: bool | None = None
    is_leader: bool = False
    years_in_trade: int | None = Field(None, ge=0, le=60)
    disciplinary_record: bool = False


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    found = queries.campaigns_for(_actor(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _nomination(request: HttpRequest, pk: int) -> Nomination:
    found = queries.detail(_actor(request), pk)
    if found is None:
        raise Http404
    return found


def _campaign_out(c: Campaign) -> dict[str, Any]:
    return {**{f: getattr(c, f) for f in ("id", "title", "honour_type_id", "org", "year", "opens_on",
                                           "submit_until", "materials")},
            "honour_type": c.honour_type.name, "is_open": c.is_open()}


def _allocation_out(a: Allocation) -> dict[str, Any]:
    return {**{f: getattr(a, f) for f in ("id", "org", "parent_id", "quota", "nominated", "nominated_non_public",
                                           "nominated_front_line", "nominated_women", "nominated_leader", "left")},
            "reserves": {k: getattr(a, f"reserve_{k}") for k in quotas.RESERVES}}


def _nomination_out(n: Nomination) -> dict[str, Any]:
    return {**{f: getattr(n, f) for f in ("id", "campaign_id", "unit", "subject", "person_id", "nominee_org_id",
                                           "name", "front_line", "is_leader", "years_in_trade",
                                           "disciplinary_record", "deeds", "state")},
            "allocation_org": n.allocation.org,
            "files": [{"id": f.pk, "name": f.name, "kind": f.kind, "size": f.size, "url": f.get_absolute_url()}
                      for f in n.files.all()]}


@router.get("/honours/types", response={200: list[HonourTypeOut], **ERRORS}, summary="Honour types")
def list_types(request: HttpRequest) -> Any:
    return list(HonourType.objects.order_by("level", "subject", "name"))


@router.post("/honours/types", response={201: HonourTypeOut, **ERRORS}, summary="Define an honour type")
def define_type(request: HttpRequest, payload: HonourTypeIn) -> Any:
    """The federation's administrators only (403 otherwise)."""
    data = payload.dict()
    data["level"], data["subject"] = payload.level.value, payload.subject.value
    return Status(201, services.define_honour_type(actor=_actor(request), **data))


@router.put("/honours/types/{type_id}", response={200: HonourTypeOut, **ERRORS}, summary="Change an honour type")
def change_type(request: HttpRequest, type_id: int, payload: HonourTypeIn) -> Any:
    """Everything but the code, which stays."""
    honour = one(HonourType.objects.all(), type_id)
    data = payload.dict(exclude={"code"})
    data["level"], data["subject"] = payload.level.value, payload.subject.value
    return services.change_honour_type(actor=_actor(request), honour_type=honour, **data)


@router.get("/honours/campaigns", response={200: list[CampaignOut], **ERRORS}, summary="Campaigns")
@paginate(Pagination)
def list_campaigns(request: HttpRequest) -> Any:
    """The campaigns organised in your scope or above it (the ones your unions nominate to)."""
    return Listing(queries.campaigns_for(_actor(request)), render=_campaign_out)


@router.post("/honours/campaigns", response={201: CampaignOut, **ERRORS}, summary="Open a campaign")
def create_campaign(request: HttpRequest, payload: CampaignIn) -> Any:
    user = _actor(request)
    honour = one(HonourType.objects.all(), payload.honour_type_id, "honour_type_id")
    org = one(Org.objects.for_user(user, "view"), payload.org_id, "org_id")
    c = services.create_campaign(actor=user, honour_type=honour, org=org, year=payload.year, title=payload.title,
                                 opens_on=payload.opens_on, submit_until=payload.submit_until, total=payload.total,
                                 reserves=payload.reserves.dict(), materials=[m.value for m in payload.materials],
                                 notes=payload.notes)
    return Status(201, _campaign_out(c))


@router.get("/honours/campaigns/{campaign_id}", response={200: CampaignOut, **ERRORS}, summary="One campaign")
def get_campaign(request: HttpRequest, campaign_id: int) -> Any:
    return _campaign_out(_campaign(request, campaign_id))


@router.get("/honours/campaigns/{campaign_id}/quotas", response={200: QuotaTableOut, **ERRORS},
            summary="The quota table of a union")
def quota_table(request: HttpRequest, campaign_id: int, org_id: int | None = None) -> Any:
    """The allocation of `org_id` (default: the highest in your scope) and the shares it gave the unions below,
    with what each has nominated (counters kept by the verbs)."""
    user = _actor(request)
    c = _campaign(request, campaign_id)
    org = one(Org.objects.for_user(user, "view"), org_id) if org_id is not None else None
    allocation = queries.allocation_for(user, c, org)
    if allocation is None:
        raise Http404
    children = queries.quota_table(allocation)
    return {"allocation": _allocation_out(allocation), "given": sum(a.quota for a in children),
            "children": [_allocation_out(a) for a in children]}


@router.put("/honours/campaigns/{campaign_id}/quotas/{allocation_id}", response={200: QuotaTableOut, **ERRORS},
            summary="Share out a union's quota among the unions below")
def allocate(request: HttpRequest, campaign_id: int, allocation_id: int, payload: AllocateIn) -> Any:
    """By the union's own cadres (or those above); every reason a split is refused is listed at once."""
    user = _actor(request)
    c = _campaign(request, campaign_id)
    parent = one(Allocation.objects.for_user(user, "view").filter(campaign=c).select_related("org"), allocation_id)
    orgs = Org.objects.for_user(user, "view")
    shares = {one(orgs, s.org_id, "org_id"): quotas.Share(s.quota, s.reserves.dict()) for s in payload.shares}
    services.allocate_quotas(actor=user, allocation=parent, shares=shares)
    children = queries.quota_table(parent)
    return {"allocation": _allocation_out(parent), "given": sum(a.quota for a in children),
            "children": [_allocation_out(a) for a in children]}


@router.get("/honours/campaigns/{campaign_id}/nominations", response={200: list[NominationOut], **ERRORS},
            summary="The nominations of your unions in a campaign")
@paginate(Pagination)
def list_nominations(request: HttpRequest, campaign_id: int) -> Any:
    c = _campaign(request, campaign_id)
    return Listing(queries.nominations_for(_actor(request), c).prefetch_related("files"), render=_nomination_out)


@router.post("/honours/campaigns/{campaign_id}/nominations", response={201: NominationOut, **ERRORS},
             summary="Start a nomination (a draft)")
def nominate(request: HttpRequest, campaign_id: int, payload: NominationIn) -> Any:
    """One nominee: `person_id` for an honour of persons, `nominee_org_id` (and/or `name`) for a collective or an
    organisation. The same person or unit twice in a campaign: 400, code `duplicate`."""
    user = _actor(request)
    c = _campaign(request, campaign_id)
    unit = one(Org.objects.for_user(user, "view"), payload.unit_id, "unit_id")
    person = one(Person.objects.for_user(user, "view"), payload.person_id, "person_id") if payload.person_id else None
    nominee_org = one(Org.objects.for_user(user, "view"), payload.nominee_org_id, "nominee_org_id") \
        if payload.nominee_org_id else None
    n = services.nominate(actor=user, campaign=c, unit=unit, subject=c.honour_type.subject, person=person,
                          nominee_org=nominee_org, name=payload.name, front_line=payload.front_line,
                          is_leader=payload.is_leader, years_in_trade=payload.years_in_trade,
                          disciplinary_record=payload.disciplinary_record, deeds=payload.deeds)
    return Status(201, _nomination_out(_nomination(request, n.pk)))


@router.get("/honours/nominations/{nomination_id}", response={200: NominationOut, **ERRORS},
            summary="One nomination")
def get_nomination(request: HttpRequest, nomination_id: int) -> Any:
    return _nomination_out(_nomination(request, nomination_id))


@router.put("/honours/nominations/{nomination_id}", response={200: NominationOut, **ERRORS},
            summary="Complete or correct a draft")
def update_nomination(request: HttpRequest, nomination_id: int, payload: NominationUpdateIn) -> Any:
    n = _nomination(request, nomination_id)
    services.update_nomination(actor=_actor(request), nomination=n, **payload.dict())
    return _nomination_out(_nomination(request, nomination_id))


@router.post("/honours/nominations/{nomination_id}/files", response={201: NominationOut, **ERRORS},
             summary="Attach materials (multipart)")
def add_files(request: HttpRequest, nomination_id: int, files: File[list[UploadedFile]],
              kind: Form[Material] = Material.FORM) -> Any:
    """Type (by the file's first bytes) and size are checked before any file is stored (400, field `files`)."""
    n = _nomination(request, nomination_id)
    services.add_nomination_files(actor=_actor(request), nomination=n, kind=kind.value, uploads=list(files))
    return Status(201, _nomination_out(_nomination(request, nomination_id)))


@router.post("/honours/nominations/{nomination_id}/submit", response={200: NominationOut, **ERRORS},
             summary="Submit a nomination upward")
def submit(request: HttpRequest, nomination_id: int) -> Any:
    """Refused with every reason: code `incomplete` (deeds, years, materials), `ineligible` (the honour's
    criteria), `quota` (the quotas and reserves of every union above)."""
    n = _nomination(request, nomination_id)
    services.submit_nomination(actor=_actor(request), nomination=n)
    return _nomination_out(_nomination(request, nomination_id))


@router.post("/honours/nominations/{nomination_id}/withdraw", response={200: NominationOut, **ERRORS},
             summary="Withdraw a submitted nomination into a draft")
def withdraw(request: HttpRequest, nomination_id: int) -> Any:
    n = _nomination(request, nomination_id)
    services.withdraw_nomination(actor=_actor(request), nomination=n)
    return _nomination_out(_nomination(request, nomination_id))


from .reviews import router as _reviews_router  # noqa: E402  (the review's endpoints, api/reviews.py)

router.add_router("", _reviews_router)


def _mount() -> None:
    """The parts' routers (review panels), under the same tag and prefix."""
    from . import panels

    router.add_router("", panels.router)


_mount()
from . import roster as _roster  # noqa: E402  (the roster's endpoints, on the same router)

router.add_router("", _roster.router)
from .studios import router as studios_router  # noqa: E402  (the studios' endpoints, their own module)

router.add_router("", studios_router)
from . import intake  # noqa: E402,F401  (the import and suggestion endpoints, on this router)
