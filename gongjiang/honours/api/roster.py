"""The roster's endpoints (mounted on the honours router): the holders of your unions with the roster's filters, a
holder with its status changes, recording a status change and revoking a title — the same verbs and scopes as the
pages (out of scope: 404; not allowed: 403; a refusal: 400 naming its fields) — and the public roster (no login:
name, unit, honour, year, revoked; nothing else)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from gongjiang.core.api import ERRORS, Listing, Pagination, one
from gongjiang.orgs.models import Org
from gongjiang.orgs.schemas import OrgRef

from .. import services
from ..choices import HolderStatus
from ..models import Holder
from ..queries import roster
from . import _actor  # the package's (defined before it mounts this module)

router = Router(tags=["honours"])


class HolderOut(Schema):
    id: int
    name: str
    honour_type_id: int
    honour_type: str
    year: int
    unit: OrgRef
    city_id: int | None
    industry_id: int | None
    person_id: int | None
    org_id: int | None
    gender: str = Field(description="M, F or empty (a collective).")
    age_band: str | None = Field(description="u35, 36_45, 46_55, 56_ (this year), never the birth date.")
    front_line: bool
    status: str
    status_on: datetime.date | None


class EventOut(Schema):
    on: datetime.date
    kind: str
    before: str
    reason: str
    document: str
    body: str | None
    recorded_by: str | None


class HolderDetailOut(HolderOut):
    events: list[EventOut]


class StatusIn(Schema):
    status: HolderStatus
    on: datetime.date
    reason: str = Field("", max_length=500)
    document: str = Field("", max_length=60)


class RevokeIn(Schema):
    reason: str = Field("", max_length=1000)
    document: str = Field("", max_length=60)
    body_id: int | None = Field(None, description="The revoking union (the conferring level above the unit).")
    on: datetime.date | None = None


class PublicHolderOut(Schema):
    name: str
    unit: str
    honour: str
    year: int
    revoked: bool


def _out(h: Holder) -> dict[str, Any]:
    from ..rules import roster as rules

    return {**{f: getattr(h, f) for f in ("id", "name", "honour_type_id", "year", "unit", "city_id", "industry_id",
                                           "person_id", "org_id", "gender", "front_line", "status", "status_on")},
            "honour_type": h.honour_type.name,
            "age_band": rules.age_band(h.birth_year, timezone.localdate().year)}


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    h = roster.holder_detail(_actor(request), pk)
    if h is None:
        raise Http404
    return {**_out(h), "events": [
        {"on": e.on, "kind": e.kind, "before": e.before, "reason": e.reason, "document": e.document,
         "body": e.body.name if e.body else None,
         "recorded_by": (e.recorded_by.full_name or e.recorded_by.username) if e.recorded_by else None}
        for e in roster.events_of(h)]}


def _holder(request: HttpRequest, pk: int) -> Holder:
    h = roster.holder_detail(_actor(request), pk)
    if h is None:
        raise Http404
    return h


@router.get("/honours/roster", response={200: list[HolderOut], **ERRORS}, summary="The roster of honour holders")
@paginate(Pagination)
def list_holders(request: HttpRequest, org_id: int | None = None, type: int | None = None,
                 year: int | None = None, city: int | None = None, industry: int | None = None, gender: str = "",
                 front_line: str = "", age: str = "", status: str = "") -> Any:
    """The holders whose unit lies in your unions (or below `org_id`), newest first, filtered like the page: honour
    type, year conferred, city, industry union, gender (M/F), front-line (1/0), age band (u35, 36_45, 46_55, 56_),
    status."""
    user = _actor(request)
    org = one(Org.objects.for_user(user, "view"), org_id, "org_id") if org_id else None
    filters = roster.Filters.parse({"type": type, "year": year, "city": city, "industry": industry,
                                    "gender": gender, "front_line": front_line, "age": age, "status": status})
    return Listing(roster.roster_for(user, filters, org), render=_out,
                   count=roster.counted_total(filters, org) if org is not None else None)


@router.get("/honours/holders/{holder_id}", response={200: HolderDetailOut, **ERRORS},
            summary="A holder with its status changes")
def get_holder(request: HttpRequest, holder_id: int) -> Any:
    return _detail(request, holder_id)


@router.post("/honours/holders/{holder_id}/status", response={200: HolderDetailOut, **ERRORS},
             summary="Record a status change (moved, retired, deceased, active again)")
def record_status(request: HttpRequest, holder_id: int, payload: StatusIn) -> Any:
    h = _holder(request, holder_id)
    services.record_holder_status(actor=_actor(request), holder=h, status=payload.status.value, on=payload.on,
                                  reason=payload.reason, document=payload.document)
    return _detail(request, holder_id)


@router.post("/honours/holders/{holder_id}/revoke", response={200: HolderDetailOut, **ERRORS},
             summary="Revoke a title (撤销荣誉称号)")
def revoke(request: HttpRequest, holder_id: int, payload: RevokeIn) -> Any:
    """The reason, the decision's document number and the revoking union (`body_id`) are required: 400 naming each
    one missing. Only the union of the honour's conferring level above the unit may revoke (403)."""
    user = _actor(request)
    h = _holder(request, holder_id)
    # the body is a union above the cadre (the province): any union, the verb checks it is the conferring one
    body = one(Org.objects.all(), payload.body_id, "body_id") if payload.body_id else None
    services.revoke_honour(actor=user, holder=h, reason=payload.reason, document=payload.document, body=body,
                           on=payload.on)
    return _detail(request, holder_id)


@router.get("/honours/public/roster", response={200: list[PublicHolderOut], **ERRORS}, auth=None,
            summary="The public roster (no login)")
@paginate(Pagination)
def public_roster(request: HttpRequest, type: int | None = None, year: int | None = None,
                  city: int | None = None, industry: int | None = None) -> Any:
    """Every holder: name, unit, honour, year and whether the title was revoked. Filters: honour type, year, city,
    industry union. Nothing else (no ID, birth date, gender, age, status other than revoked)."""
    filters = roster.Filters.parse({"type": type, "year": year, "city": city, "industry": industry}, public=True)
    return Listing(roster.public_roster(filters), count=roster.counted_total(filters), render=lambda r: {
        "name": r["name"], "unit": r["unit__name"], "honour": r["honour_type__name"], "year": r["year"],
        "revoked": r["status"] == HolderStatus.REVOKED})
