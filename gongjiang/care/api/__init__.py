"""The archive's endpoints under /api/v1/care/ (mounted from CareConfig.api_router): the list (masked, no member
data), a file's detail (members and grade — every call audited; `?ids=clear` only for the roles that may), filing,
change, exit, the review, and the check / approval / return of requests. Same verbs and scopes as the pages: out of
scope is a 404; a refusal is a 400 (a permission refusal a 403) naming its field in Chinese (code `duplicate`,
`not_approver`, `not_checker`, `not_your_turn`, `clear_ids`); a body of the wrong shape is a 422 in Chinese."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Pagination, one
from gongjiang.core.cells import mask_date
from gongjiang.orgs.models import Person
from gongjiang.orgs.schemas import OrgRef

from .. import queries, services
from ..models import CareRequest, HouseholdFile

router = Router(tags=["care"])


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class FileRow(Schema):
    id: int
    worker: str
    union: OrgRef
    approver: OrgRef
    status: str
    grade: str
    causes: list[str]
    next_review: datetime.date | None


class MemberOut(Schema):
    relation: str
    name: str
    id_number: str = Field(..., description="Masked (**************1234) unless ?ids=clear for a role allowed.")
    gender: str
    birth_date: str = Field(..., description="1990-03-07 with clear ID numbers; else the year only (1990-**-**): the "
                                             "full date beside the last four digits and the union's county would "
                                             "rebuild the ID number.")
    health: str
    schooling: str
    work: str
    monthly_income: Decimal


class RequestOut(Schema):
    id: int
    kind: str
    state: str
    reason: str
    return_reason: str
    flags: list[dict[str, Any]]
    submitted_at: datetime.datetime
    checked_at: datetime.datetime | None
    decided_at: datetime.datetime | None


class FileOut(FileRow):
    housing: str
    note: str
    grade_reasons: list[str]
    threshold: Decimal | None
    entered_on: datetime.date | None
    reviewed_on: datetime.date | None
    exited_on: datetime.date | None
    exit_reason: str
    members: list[MemberOut]
    requests: list[RequestOut]


class MemberIn(Schema):
    relation: str = Field(..., max_length=20)
    name: str = Field(..., max_length=40)
    id_number: str = Field(..., max_length=20)
    health: str = Field("healthy", max_length=20)
    schooling: str = Field("none", max_length=20)
    work: str = Field("employed", max_length=20)
    monthly_income: str | float | int = Field(..., description="Yuan per month, not negative.")


class HouseholdIn(Schema):
    housing: str = Field(..., max_length=12)
    causes: list[str]
    members: list[MemberIn] = Field(..., max_length=20)
    note: str = Field("", max_length=400)


class FilingIn(HouseholdIn):
    person_id: Id = Field(..., description="The worker (orgs.Person) whose household is filed.")


class ReasonIn(Schema):
    reason: str = Field(..., max_length=400)


def _row(f: HouseholdFile) -> dict[str, Any]:
    return {"id": f.pk, "worker": f.person.name, "union": f.union, "approver": f.approver, "status": f.status,
            "grade": f.grade, "causes": f.causes, "next_review": f.next_review}


def _detail(f: HouseholdFile, clear: bool) -> dict[str, Any]:
    members = [{"relation": m.relation, "name": m.name, "id_number": m.id_number if clear else m.id_masked,
                "gender": m.gender,
                "birth_date": m.birth_date.isoformat() if clear else mask_date(m.birth_date.isoformat()),
                "health": m.health, "schooling": m.schooling,
                "work": m.work, "monthly_income": m.monthly_income} for m in f.members.all()]
    return {**_row(f), "housing": f.housing, "note": f.note, "grade_reasons": f.grade_reasons,
            "threshold": f.threshold, "entered_on": f.entered_on, "reviewed_on": f.reviewed_on,
            "exited_on": f.exited_on, "exit_reason": f.exit_reason, "members": members,
            "requests": list(queries.timeline(f))}


def _file(request: HttpRequest, pk: int, action: str = "view") -> HouseholdFile:
    return one(HouseholdFile.objects.for_user(_actor(request), action).select_related("person", "union", "approver"),
               pk)


def _members(payload: HouseholdIn) -> list[dict[str, Any]]:
    return [m.dict() for m in payload.members]


@router.get("/care/files", response={200: list[FileRow], **ERRORS}, summary="Household files")
@paginate(Pagination)
def list_files(request: HttpRequest, grade: str = "", cause: str = "", status: str = "", union: int | None = None,
               due: bool = False) -> Any:
    filters = queries.Filters.parse({"grade": grade, "cause": cause, "status": status,
                                     "union": str(union or ""), "due": "1" if due else ""})
    return [_row(f) for f in queries.files_for(_actor(request), filters)[:5000]]


@router.get("/care/files/{file_id}", response={200: FileOut, **ERRORS}, summary="One household file (audited)")
def get_file(request: HttpRequest, file_id: int, ids: str = "") -> Any:
    f = _file(request, file_id)
    clear = services.open_file(actor=_actor(request), file=f, channel="api", clear_ids=ids == "clear")
    return _detail(f, clear)


@router.post("/care/files", response={201: RequestOut, **ERRORS}, summary="File a household (filing application)")
def file_household(request: HttpRequest, payload: FilingIn) -> Any:
    user = _actor(request)
    person = one(Person.objects.for_user(user, "change").select_related("employer"), payload.person_id, "person_id")
    union = person.employer.grassroots_union() or person.employer
    return Status(201, services.file_household(actor=user, person=person, union=union, housing=payload.housing,
                                               causes=payload.causes, members=_members(payload), note=payload.note))


@router.post("/care/files/{file_id}/change", response={201: RequestOut, **ERRORS}, summary="Request a change")
def request_change(request: HttpRequest, file_id: int, payload: HouseholdIn) -> Any:
    f = _file(request, file_id, "change")
    return Status(201, services.request_change(actor=_actor(request), file=f, housing=payload.housing,
                                               causes=payload.causes, members=_members(payload), note=payload.note))


@router.post("/care/files/{file_id}/exit", response={201: RequestOut, **ERRORS}, summary="Request an exit")
def request_exit(request: HttpRequest, file_id: int, payload: ReasonIn) -> Any:
    f = _file(request, file_id, "change")
    return Status(201, services.request_exit(actor=_actor(request), file=f, reason=payload.reason))


@router.post("/care/files/{file_id}/review", response={200: FileRow, **ERRORS}, summary="Record the yearly review")
def review_file(request: HttpRequest, file_id: int) -> Any:
    f = _file(request, file_id, "change")
    return _row(services.review_file(actor=_actor(request), file=f))


@router.get("/care/requests", response={200: list[RequestOut], **ERRORS}, summary="Requests waiting for me")
@paginate(Pagination)
def list_queue(request: HttpRequest) -> Any:
    return queries.queue_for(_actor(request))


def _request(request: HttpRequest, pk: int) -> CareRequest:
    return one(CareRequest.objects.for_user(_actor(request), "change"), pk)


@router.post("/care/requests/{request_id}/check", response={200: RequestOut, **ERRORS}, summary="Check")
def check_request(request: HttpRequest, request_id: int) -> Any:
    return services.check_request(actor=_actor(request), request=_request(request, request_id))


@router.post("/care/requests/{request_id}/approve", response={200: RequestOut, **ERRORS}, summary="Approve")
def approve_request(request: HttpRequest, request_id: int) -> Any:
    return services.approve_request(actor=_actor(request), request=_request(request, request_id))


@router.post("/care/requests/{request_id}/return", response={200: RequestOut, **ERRORS}, summary="Return")
def return_request(request: HttpRequest, request_id: int, payload: ReasonIn) -> Any:
    return services.return_request(actor=_actor(request), request=_request(request, request_id),
                                   reason=payload.reason)


from .aid import router as aid_router  # noqa: E402  (the aid programmes' endpoints, same prefix)

router.add_router("", aid_router)
