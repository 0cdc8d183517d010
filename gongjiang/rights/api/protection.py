"""The labour-protection endpoints under /api/v1/rights/ (added to the rights router): checks and their hazards,
the overdue hazards, the 安康杯 competitions, entries, indicators, evaluation and awards. Same verbs and scopes as the
pages: out of scope a 404; bad input a 422 naming its field(s) in Chinese; a permission refusal a 403."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.orgs.models import Org
from gongjiang.orgs.schemas import OrgRef

from .. import services
from ..models import AnkangCampaign, AnkangEntry, Hazard, SafetyCheck
from ..queries import protection as pq

router = Router(tags=["rights"])


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _orgs(request: HttpRequest) -> Any:
    return Org.objects.for_user(_actor(request), "view")


class RightsHazardIn(Schema):
    description: str
    severity: str = Field("general", description="general or major")
    deadline: datetime.date = Field(..., description="The follow-up deadline: today or later.")


class RightsHazardOut(Schema):
    id: int
    check_id: int = Field(..., alias="safety_check_id")
    description: str
    severity: str
    found_on: datetime.date
    deadline: datetime.date
    closed_on: datetime.date | None
    evidence: str
    overdue: bool

    @staticmethod
    def resolve_overdue(obj: Hazard) -> bool:
        return obj.overdue()


class RightsCheckIn(Schema):
    org_id: Id = Field(..., description="The checking union.")
    enterprise_id: Id
    kind: str = Field(..., description="supervision, heat, occupational, other")
    checked_on: datetime.date
    inspectors: str
    findings: str = ""
    hazards: list[RightsHazardIn] = []


class RightsCheckOut(Schema):
    id: int
    org: OrgRef
    enterprise: OrgRef
    kind: str
    checked_on: datetime.date
    inspectors: str
    findings: str
    closed_on: datetime.date | None
    hazards: list[RightsHazardOut]

    @staticmethod
    def resolve_hazards(obj: SafetyCheck) -> list[Hazard]:
        return list(obj.hazards.all())


class RightsHazardsIn(Schema):
    hazards: list[RightsHazardIn]
    found_on: datetime.date | None = None


class RightsCloseHazardIn(Schema):
    closed_on: datetime.date
    evidence: str


class RightsCloseIn(Schema):
    closed_on: datetime.date


class RightsAnkangIn(Schema):
    org_id: Id = Field(..., description="The organising union.")
    year: int
    title: str
    quota_enterprises: int
    quota_teams: int
    quota_organisers: int
    rubric: dict[str, Any] | None = Field(None, description="The scoring rules (core's rubric format); the standard "
                                                            "ones when left out.")


class RightsAnkangOut(Schema):
    id: int
    org: OrgRef
    year: int
    title: str
    quota_enterprises: int
    quota_teams: int
    quota_organisers: int
    evaluated_on: datetime.date | None
    rubric: dict[str, Any]


class RightsEnterIn(Schema):
    unit_ids: list[Id] = Field(..., description="Enterprise unions or teams within the organiser.")
    registered_on: datetime.date


class RightsIndicatorsIn(Schema):
    workers: int
    accidents: int
    serious_accidents: int
    deaths: int
    hazards_found: int
    hazards_fixed: int
    training_sessions: int
    people_trained: int


class RightsEntryOut(Schema):
    id: int
    campaign_id: int
    unit: OrgRef
    is_team: bool
    registered_on: datetime.date
    workers: int | None
    accidents: int | None
    serious_accidents: int | None
    deaths: int | None
    hazards_found: int | None
    hazards_fixed: int | None
    training_sessions: int | None
    people_trained: int | None
    score: Decimal | None
    place: int | None
    disqualified: bool
    reasons: list[str]


class RightsEvaluateIn(Schema):
    evaluated_on: datetime.date


class RightsAwardsIn(Schema):
    kind: str = Field(..., description="enterprise (优胜企业), team (优胜班组), organiser (优秀组织单位)")
    org_ids: list[Id]
    conferred_on: datetime.date


class RightsAwardOut(Schema):
    id: int
    campaign_id: int
    kind: str
    org: OrgRef
    entry_id: int | None
    conferred_on: datetime.date


# ---------------------------------------------------------------------------------------------
# Checks


@router.post("/rights/checks", response={201: RightsCheckOut, **ERRORS}, summary="Record a labour protection check")
def record_check(request: HttpRequest, payload: RightsCheckIn) -> Any:
    """Refused (422) when a hazard's follow-up deadline is in the past (`hazards`), the enterprise is outside the
    checking union (`enterprise`) or the day checked is in the future (`checked_on`)."""
    user = _actor(request)
    org = one(_orgs(request), payload.org_id, "org_id")
    enterprise = one(_orgs(request), payload.enterprise_id, "enterprise_id")
    return Status(201, services.record_check(
        actor=user, org=org, enterprise=enterprise, kind=payload.kind, checked_on=payload.checked_on,
        inspectors=payload.inspectors, findings=payload.findings, hazards=[h.dict() for h in payload.hazards]))


@router.get("/rights/checks", response={200: list[RightsCheckOut], **ERRORS}, summary="Labour protection checks")
@paginate(Pagination)
def list_checks(request: HttpRequest, enterprise_id: int | None = None, open: bool | None = None) -> Any:
    qs = SafetyCheck.objects.for_user(_actor(request)).select_related("org", "enterprise").order_by("pk")
    if enterprise_id:
        qs = qs.filter(enterprise_id=enterprise_id)
    if open is not None:
        qs = qs.filter(closed_on__isnull=open)
    return Listing(qs.prefetch_related("hazards"))


@router.get("/rights/checks/{check_id}", response={200: RightsCheckOut, **ERRORS}, summary="One check")
def get_check(request: HttpRequest, check_id: int) -> Any:
    return one(SafetyCheck.objects.for_user(_actor(request)).select_related("org", "enterprise"), check_id)


@router.post("/rights/checks/{check_id}/hazards", response={201: list[RightsHazardOut], **ERRORS},
             summary="Add hazards to an open check")
def add_hazards(request: HttpRequest, check_id: int, payload: RightsHazardsIn) -> Any:
    user = _actor(request)
    check = one(SafetyCheck.objects.for_user(user), check_id)
    return Status(201, services.add_hazards(actor=user, check=check, hazards=[h.dict() for h in payload.hazards],
                                            found_on=payload.found_on))


@router.post("/rights/checks/{check_id}/close", response={200: RightsCheckOut, **ERRORS}, summary="Close a check")
def close_check(request: HttpRequest, check_id: int, payload: RightsCloseIn) -> Any:
    """Refused (422, `state`) while a hazard of the check is open."""
    user = _actor(request)
    check = one(SafetyCheck.objects.for_user(user), check_id)
    return services.close_check(actor=user, check=check, closed_on=payload.closed_on)


@router.get("/rights/hazards/overdue", response={200: list[RightsHazardOut], **ERRORS},
            summary="Hazards past their follow-up deadline")
@paginate(Pagination)
def overdue(request: HttpRequest) -> Any:
    return Listing(pq.overdue(_actor(request)))


@router.post("/rights/hazards/{hazard_id}/close", response={200: RightsHazardOut, **ERRORS},
             summary="Close a hazard with its evidence")
def close_hazard(request: HttpRequest, hazard_id: int, payload: RightsCloseHazardIn) -> Any:
    user = _actor(request)
    hazard = one(Hazard.objects.for_user(user), hazard_id)
    return services.close_hazard(actor=user, hazard=hazard, closed_on=payload.closed_on, evidence=payload.evidence)


# ---------------------------------------------------------------------------------------------
# The 安康杯


@router.post("/rights/ankang", response={201: RightsAnkangOut, **ERRORS}, summary="Open an Ankang Cup year")
def open_ankang(request: HttpRequest, payload: RightsAnkangIn) -> Any:
    user = _actor(request)
    data = payload.dict()
    org = one(_orgs(request), data.pop("org_id"), "org_id")
    return Status(201, services.open_ankang(actor=user, org=org, **data))


@router.get("/rights/ankang", response={200: list[RightsAnkangOut], **ERRORS}, summary="Ankang Cup competitions")
@paginate(Pagination)
def list_ankang(request: HttpRequest) -> Any:
    return Listing(pq.campaigns_for(_actor(request)).order_by("pk"))


@router.get("/rights/ankang/{campaign_id}/entries", response={200: list[RightsEntryOut], **ERRORS},
            summary="A competition's entries with their indicators, scores, places and reasons")
@paginate(Pagination)
def list_entries(request: HttpRequest, campaign_id: int) -> Any:
    user = _actor(request)
    c = one(pq.campaigns_for(user), campaign_id)
    return Listing(AnkangEntry.objects.for_user(user).filter(campaign=c).select_related("unit")
                   .order_by("is_team", F("place").asc(nulls_last=True), "pk"))


@router.post("/rights/ankang/{campaign_id}/entries", response={201: list[RightsEntryOut], **ERRORS},
             summary="Enter enterprises or teams")
def enter_ankang(request: HttpRequest, campaign_id: int, payload: RightsEnterIn) -> Any:
    """Refused (422, `units`) for a unit outside the organiser's reach, or neither an enterprise nor a team."""
    user = _actor(request)
    c = one(pq.campaigns_for(user), campaign_id)
    units = [one(_orgs(request), pk, "unit_ids") for pk in payload.unit_ids]
    return Status(201, services.enter_ankang(actor=user, campaign=c, units=units,
                                             registered_on=payload.registered_on))


@router.post("/rights/ankang/entries/{entry_id}/indicators", response={200: RightsEntryOut, **ERRORS},
             summary="Record an entry's indicators of the year")
def record_indicators(request: HttpRequest, entry_id: int, payload: RightsIndicatorsIn) -> Any:
    """Every problem refused at once (422, one error per field): negative numbers, more serious accidents than
    accidents, more hazards fixed than found, more people trained than workers."""
    user = _actor(request)
    entry = one(AnkangEntry.objects.for_user(user), entry_id)
    return services.record_indicators(actor=user, entry=entry, **payload.dict())


@router.post("/rights/ankang/{campaign_id}/evaluate", response={200: RightsAnkangOut, **ERRORS},
             summary="Evaluate and rank the year")
def evaluate_ankang(request: HttpRequest, campaign_id: int, payload: RightsEvaluateIn) -> Any:
    user = _actor(request)
    c = one(AnkangCampaign.objects.for_user(user), campaign_id)
    return services.evaluate_ankang(actor=user, campaign=c, evaluated_on=payload.evaluated_on)


@router.post("/rights/ankang/{campaign_id}/awards", response={201: list[RightsAwardOut], **ERRORS},
             summary="Confer awards within the quota")
def confer_awards(request: HttpRequest, campaign_id: int, payload: RightsAwardsIn) -> Any:
    """Refused (422, `orgs`) over the award's quota, for a disqualified or unranked entry, or a unit not entered."""
    user = _actor(request)
    c = one(AnkangCampaign.objects.for_user(user), campaign_id)
    orgs = [one(_orgs(request), pk, "org_ids") for pk in payload.org_ids]
    return Status(201, services.confer_ankang_awards(actor=user, campaign=c, kind=payload.kind, orgs=orgs,
                                                     conferred_on=payload.conferred_on))
