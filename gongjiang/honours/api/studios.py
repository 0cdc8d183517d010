"""The studios' endpoints (added to the honours router): the registry with its filters, one studio with its
members, funding, assessments and status history, a year's assessment, and the verbs — register, members, funding,
self-assessment, evidence files, confirmation, suspension, reinstatement, revocation. Same verbs and scopes as the
pages: out of scope is a 404; a refusal is a 400 naming its field(s) (code `no_reason` for an adjustment without
its reason, `revoked`, `wrong_state`, `confirmed`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.core.errors import DomainError
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.schemas import OrgRef

from .. import services
from ..models import Assessment, Studio
from ..queries import studios as queries
from ..studio_choices import MemberRole, Result, StudioKind, StudioLevel, StudioStatus
from . import _actor  # the package's (defined before it mounts this module)

router = Router(tags=["honours"])


class StudioOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    year: int
    host: OrgRef
    city_id: int | None
    lead_id: int
    lead_name: str
    recognised_by: OrgRef
    specialty: str
    status: str
    last_year: int | None
    last_result: str


class MemberOut(Schema):
    person_id: int
    name: str
    role: str
    joined_on: datetime.date


class FundingOut(Schema):
    year: int
    amount: Decimal = Field(description="In 10,000 yuan (万元).")
    source: str


class StatusChangeOut(Schema):
    on: datetime.date
    before: str
    after: str
    reason: str
    decision: str
    decided_by: OrgRef


class AssessmentBrief(Schema):
    id: int
    year: int
    state: str
    self_total: Decimal
    total: Decimal | None
    result: str
    assessing: OrgRef


class StudioDetailOut(StudioOut):
    members: list[MemberOut]
    funding: list[FundingOut]
    assessments: list[AssessmentBrief]
    status_changes: list[StatusChangeOut]


class ScoreOut(Schema):
    item: str = Field(description="The item's key in the rubric.")
    name: str
    mode: str = Field(description="points (打分), deduction, bonus, veto… (the rubric engine's modes).")
    max_points: Decimal = Field(description="An 打分 item's points; a deduction's or bonus's cap; 0 for a veto.")
    veto_reason: str = Field("", description="A veto's condition.")
    self_answer: Any = Field(description="The host union's answer: points, a count, or true/false for a veto.")
    self_points: Decimal
    note: str
    answer: Any = Field(None, description="The assessing union's answer, once confirmed.")
    points: Decimal | None
    reason: str


class AssessmentOut(AssessmentBrief):
    studio_id: int
    apprentices: int
    summary: str
    counted: dict[str, int] = Field(description="Counted evidence of the year drawn from the other apps.")
    scores: list[ScoreOut]
    files: list[dict[str, Any]]


class StudioIn(Schema):
    name: str = Field(..., max_length=120)
    kind: StudioKind
    level: StudioLevel
    year: int
    host_id: Id = Field(..., description="The host enterprise's union.")
    lead_id: Id = Field(..., description="A person of the host's roster.")
    recognised_by_id: Id = Field(..., description="The recognising union (the province for 省级, a city for 市级).")
    specialty: str = ""


class StudioUpdateIn(Schema):
    """Only what is given changes (更正, by the recognising union)."""

    name: str | None = Field(None, max_length=120)
    specialty: str | None = Field(None, max_length=120)
    host_id: Id | None = Field(None, description="Another enterprise's union within the recognising union.")
    lead_id: Id | None = Field(None, description="A person of the host's roster.")
    level: StudioLevel | None = None
    year: int | None = None
    reason: str = Field("", description="Required when the host, the level or the year changes.")


class MemberIn(Schema):
    person_id: Id
    role: MemberRole = MemberRole.MEMBER


class MembersIn(Schema):
    lead_id: Id | None = None
    add: list[MemberIn] = []
    remove: list[Id] = Field([], description="Person ids of members to remove.")


class FundingIn(Schema):
    year: int
    amount: Decimal = Field(..., description="In 10,000 yuan (万元), at most two decimals.")
    source: str = Field(..., max_length=80)


class SelfAssessmentIn(Schema):
    year: int
    points: dict[str, Decimal | bool] = Field(..., description=(
        "The answer per rubric item key: the points of an 打分 item (required), how many for a deduction or a bonus, "
        "true/false for a veto (those may be left out: none)."))
    notes: dict[str, str] = {}
    apprentices: int = Field(0, ge=0, le=1000)
    summary: str = ""


class ConfirmIn(Schema):
    points: dict[str, Decimal | bool] = Field({}, description=(
        "The answer per item key (as in the self-assessment); an item left out keeps its self-assessment."))
    reasons: dict[str, str] = Field({}, description="The reason of each item whose answer changes.")


class DecisionIn(Schema):
    reason: str
    decision: str = ""


def _studio(request: HttpRequest, pk: int) -> Studio:
    found = queries.detail(_actor(request), pk)
    if found is None:
        raise Http404
    return found


def _studio_out(s: Studio) -> dict[str, Any]:
    return {**{f: getattr(s, f) for f in ("id", "name", "kind", "level", "year", "host", "city_id", "lead_id",
                                           "recognised_by", "specialty", "status", "last_year", "last_result")},
            "lead_name": s.lead.name}


def _detail_out(s: Studio) -> dict[str, Any]:
    return {**_studio_out(s),
            "members": [{"person_id": m.person_id, "name": m.person.name, "role": m.role, "joined_on": m.joined_on}
                        for m in s.members.all()],
            "funding": list(s.funding.all()), "assessments": list(s.assessments.all()),
            "status_changes": list(s.status_changes.all())}


def _assessment_out(a: Assessment) -> dict[str, Any]:
    r = a.rules
    return {**{f: getattr(a, f) for f in ("id", "year", "state", "self_total", "total", "result", "assessing",
                                           "studio_id", "apprentices", "summary", "counted")},
            "scores": [_score_out(r, s) for s in a.scores.all()],
            "files": [{"id": f.pk, "name": f.name, "item": f.key, "size": f.size, "url": f.get_absolute_url()}
                      for f in a.files.all()]}


def _score_out(r: Any, s: Any) -> dict[str, Any]:
    try:
        item = r.item(s.key)
    except KeyError:  # not in the rubric as it was kept: shown by its key
        return {"item": s.key, "name": s.key, "mode": "", "max_points": 0, "self_answer": s.self_answer,
                "self_points": s.self_points, "note": s.note, "answer": s.answer, "points": s.points,
                "reason": s.reason}
    return {"item": s.key, "name": item.title, "mode": item.mode,
            "max_points": item.cap if item.mode in ("deduction", "bonus") else item.points,
            "veto_reason": item.reason, "self_answer": s.self_answer, "self_points": s.self_points, "note": s.note,
            "answer": s.answer, "points": s.points, "reason": s.reason}


def _assessment(request: HttpRequest, studio_id: int, year: int) -> Assessment:
    found = queries.assessment(_actor(request), _studio(request, studio_id), year)
    if found is None:
        raise Http404
    return found


@router.get("/honours/studios", response={200: list[StudioOut], **ERRORS}, summary="Studios")
@paginate(Pagination)
def list_studios(request: HttpRequest, kind: str = "", level: str = "", city_id: int | None = None,
                 status: str = "", result: str = "", q: str = "") -> Any:
    """The studios hosted in your scope, filtered by kind (model, skilled, worker, team), level (national,
    province, city), city, status (active, suspended, revoked) and the last result (excellent, pass, fail; none:
    not assessed yet)."""
    known = {"kind": StudioKind.values, "level": StudioLevel.values, "status": StudioStatus.values,
             "result": [*Result.values, "none"]}
    filters: dict[str, Any] = {"kind": kind, "level": level, "city": city_id, "status": status, "result": result,
                               "q": q}
    for key, values in known.items():
        if filters[key] and filters[key] not in values:
            raise DomainError(_("Unknown value: %(v)s.") % {"v": filters[key]}, field=key)
    return Listing(queries.studios_for(_actor(request), filters), render=_studio_out)


@router.post("/honours/studios", response={201: StudioDetailOut, **ERRORS}, summary="Register a studio")
def register(request: HttpRequest, payload: StudioIn) -> Any:
    user = _actor(request)
    orgs = Org.objects.for_user(user, "view")
    s = services.register_studio(
        actor=user, name=payload.name, kind=payload.kind.value, level=payload.level.value, year=payload.year,
        host=one(orgs, payload.host_id, "host_id"), recognised_by=one(orgs, payload.recognised_by_id,
                                                                      "recognised_by_id"),
        lead=one(Person.objects.for_user(user, "view"), payload.lead_id, "lead_id"), specialty=payload.specialty)
    return Status(201, _detail_out(_studio(request, s.pk)))


@router.get("/honours/studios/{studio_id}", response={200: StudioDetailOut, **ERRORS}, summary="One studio")
def get_studio(request: HttpRequest, studio_id: int) -> Any:
    return _detail_out(_studio(request, studio_id))


@router.patch("/honours/studios/{studio_id}", response={200: StudioDetailOut, **ERRORS},
              summary="Correct a studio's registry entry")
def update(request: HttpRequest, studio_id: int, payload: StudioUpdateIn) -> Any:
    user = _actor(request)
    s = _studio(request, studio_id)
    services.update_studio(
        actor=user, studio=s, name=payload.name, specialty=payload.specialty,
        host=one(Org.objects.for_user(user, "view"), payload.host_id, "host_id") if payload.host_id else None,
        lead=one(Person.objects.for_user(user, "view"), payload.lead_id, "lead_id") if payload.lead_id else None,
        level=payload.level.value if payload.level else None, year=payload.year, reason=payload.reason)
    return _detail_out(_studio(request, studio_id))


@router.put("/honours/studios/{studio_id}/members", response={200: StudioDetailOut, **ERRORS},
            summary="Change a studio's lead and members")
def members(request: HttpRequest, studio_id: int, payload: MembersIn) -> Any:
    user = _actor(request)
    s = _studio(request, studio_id)
    people = Person.objects.for_user(user, "view")
    services.change_studio_members(
        actor=user, studio=s, lead=one(people, payload.lead_id, "lead_id") if payload.lead_id else None,
        add=[(one(people, m.person_id, "add"), m.role.value) for m in payload.add],
        remove=[one(people, pk, "remove") for pk in payload.remove])
    return _detail_out(_studio(request, studio_id))


@router.post("/honours/studios/{studio_id}/funding", response={201: StudioDetailOut, **ERRORS},
             summary="Record a studio's funding")
def funding(request: HttpRequest, studio_id: int, payload: FundingIn) -> Any:
    services.record_funding(actor=_actor(request), studio=_studio(request, studio_id), year=payload.year,
                            amount=payload.amount, source=payload.source)
    return Status(201, _detail_out(_studio(request, studio_id)))


@router.get("/honours/studios/{studio_id}/assessments/{year}", response={200: AssessmentOut, **ERRORS},
            summary="A studio's assessment of a year")
def get_assessment(request: HttpRequest, studio_id: int, year: int) -> Any:
    return _assessment_out(_assessment(request, studio_id, year))


@router.post("/honours/studios/{studio_id}/assessments", response={200: AssessmentOut, **ERRORS},
             summary="Fill or correct the self-assessment of a year")
def self_assess(request: HttpRequest, studio_id: int, payload: SelfAssessmentIn) -> Any:
    """The host union's cadres; every item of the studio's rubric needs its points (400, field `points_<item>`)."""
    a = services.self_assess(actor=_actor(request), studio=_studio(request, studio_id), year=payload.year,
                             points=payload.points, notes=payload.notes, apprentices=payload.apprentices,
                             summary=payload.summary)
    return _assessment_out(_assessment(request, studio_id, a.year))


@router.post("/honours/studios/{studio_id}/assessments/{year}/files", response={201: AssessmentOut, **ERRORS},
             summary="Attach evidence to an item (multipart)")
def add_files(request: HttpRequest, studio_id: int, year: int, files: File[list[UploadedFile]],
              item: Form[str]) -> Any:
    a = _assessment(request, studio_id, year)
    services.add_assessment_files(actor=_actor(request), assessment=a, item=item, uploads=list(files))
    return Status(201, _assessment_out(_assessment(request, studio_id, year)))


@router.post("/honours/studios/{studio_id}/assessments/{year}/confirm", response={200: AssessmentOut, **ERRORS},
             summary="Confirm or adjust an assessment")
def confirm(request: HttpRequest, studio_id: int, year: int, payload: ConfirmIn) -> Any:
    """The assessing (recognising) union; an adjusted item without its reason: 400, code `no_reason`, field
    `reason_<item>`. A second fail in a row suspends the studio."""
    a = _assessment(request, studio_id, year)
    services.confirm_assessment(actor=_actor(request), assessment=a, points=payload.points, reasons=payload.reasons)
    return _assessment_out(_assessment(request, studio_id, year))


def _decision(name: str, summary: str, call: Any) -> None:
    @router.post(f"/honours/studios/{{studio_id}}/{name}", response={200: StudioDetailOut, **ERRORS},
                 summary=summary, operation_id=f"honours_studio_{name}")
    def endpoint(request: HttpRequest, studio_id: int, payload: DecisionIn) -> Any:
        call(actor=_actor(request), studio=_studio(request, studio_id), reason=payload.reason,
             decision=payload.decision)
        return _detail_out(_studio(request, studio_id))


_decision("suspend", "Suspend a studio (a serious fault)", services.suspend_studio)
_decision("reinstate", "Reinstate a suspended studio", services.reinstate_studio)
_decision("revoke", "Revoke a suspended studio's recognition (a decision and a reason)", services.revoke_studio)
