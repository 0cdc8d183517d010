"""Rights cases under /api/v1/rights/: the list of an org's reach (filters as on the page), filing (a cadre's hotline
entry, or the worker's own complaint), one case, its timeline, the verbs of its handling, documents, the worker's
own cases, the figures of a year. The worker's identity (name, phone, masked ID number) and every personal detail
(summary, amounts, people, notes, exact dates) only to the handling union and those above it — null for any other
union in scope; reading one case's personal data is audited (services.open_case)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.core.errors import DomainError
from gongjiang.core.scoping import scope_for
from gongjiang.orgs.models import Org
from gongjiang.orgs.schemas import OrgRef

from .. import services
from ..models.cases import Case, CaseEntry
from ..queries import cases as queries
from . import router


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class RightsCaseIn(Schema):
    channel: str = Field("hotline", description="hotline or walk_in (a cadre's entry); phone: the worker's own")
    kind: str = Field(..., description="wages, contract, insurance, injury, disease, women, other")
    summary: str
    employer_id: Id | None = Field(None, description="The enterprise union of the workplace, if it has one.")
    employer_name: str = Field("", description="Otherwise the employer's name…")
    region_id: Id | None = Field(None, description="…and the county or town union of the workplace.")
    worker_name: str = ""
    worker_phone: str = ""
    worker_id_number: str = ""
    people: int = 1
    migrants: int = 0
    claimed: Decimal | None = None
    ask_county: bool = Field(False, description="The county union handles it, not the enterprise union.")
    filed_on: datetime.date | None = None


class RightsCaseOut(Schema):
    id: int
    number: str
    kind: str
    step: str
    employer: str
    handler: OrgRef
    filed_month: str
    overdue: bool
    identified: bool = Field(description="Whether the fields below are given: the handling union and those above "
                                         "it only.")
    channel: str | None = None
    worker_name: str | None = None
    worker_phone: str | None = None
    worker_id_masked: str | None = None
    summary: str | None = None
    people: int | None = None
    migrants: int | None = None
    claimed: Decimal | None = None
    filed_on: datetime.date | None = None
    due_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    result: str | None = None
    recovered: Decimal | None = None
    helped: int | None = None
    excess_reason: str | None = None


class RightsCaseEntryOut(Schema):
    kind: str
    step: str
    on: str = Field(description="The day (the month only for a union that does not handle the case).")
    text: str | None = None
    public: bool | None = None


class RightsCaseStepIn(Schema):
    step: str = Field(..., description="accepted, investigating, mediating or legal")
    on: datetime.date | None = None
    note: str = ""


class RightsCaseNoteIn(Schema):
    text: str
    public: bool = False


class RightsCaseTransferIn(Schema):
    to_id: Id
    reason: str


class RightsCaseCloseIn(Schema):
    result: str = Field("", description="resolved, partly, awarded, referred, withdrawn, unresolved")
    recovered: Decimal | None = None
    helped: int | None = None
    reason: str = Field("", description="Required when more was recovered than claimed.")
    on: datetime.date | None = None
    note: str = ""


class RightsCaseFiguresOut(Schema):
    year: int
    by_kind: dict[str, int]
    by_result: dict[str, int]
    recovered: Decimal
    helped: int
    migrants: int
    closed: int
    median_days: float | None = Field(description="Computed from the cases closed in the year.")


def _out(case: Case, identified: bool) -> dict[str, Any]:
    today = queries.today()
    out: dict[str, Any] = {
        "id": case.pk, "number": case.number, "kind": case.kind, "step": case.step, "employer": case.employer_label,
        "handler": case.handler, "filed_month": case.filed_on.strftime("%Y-%m"), "overdue": case.is_overdue(today),
        "identified": identified}
    if identified:
        out.update({
            "channel": case.channel, "worker_name": case.worker_name, "worker_phone": case.worker_phone,
            "worker_id_masked": case.worker_id_masked, "summary": case.summary, "people": case.people,
            "migrants": case.migrants, "claimed": case.claimed, "filed_on": case.filed_on, "due_on": case.due_on,
            "closed_on": case.closed_on, "result": case.result or None, "recovered": case.recovered,
            "helped": case.helped, "excess_reason": case.excess_reason})
    return out


def _masked(case: Case, identified: bool) -> dict[str, Any]:
    """A list row: the worker masked even for the handling union (the detail shows them, audited)."""
    out = _out(case, identified)
    if identified:
        out.update({"worker_name": case.worker_name_masked, "worker_phone": case.worker_phone_masked,
                    "summary": None})
    return out


def _case(request: HttpRequest, case_id: int, action: str = "view") -> Case:
    user = _actor(request)
    return one(Case.objects.for_user(user, action).select_related("handler", "employer"), case_id)


def _detail(request: HttpRequest, case: Case) -> dict[str, Any]:
    return _out(case, services.open_case(actor=_actor(request), case=case, channel="api"))


@router.get("/rights/cases", response={200: list[RightsCaseOut], **ERRORS}, summary="Rights cases")
@paginate(Pagination)
def list_cases(request: HttpRequest, org_id: int, kind: str = "", step: str = "", overdue: bool = False,
               migrant: bool = False) -> Any:
    """The cases of the org's reach (handled there, or concerning a workplace there); a filter on migrant workers
    keeps only the cases whose worker the caller may see."""
    user = _actor(request)
    org = one(Org.objects.for_user(user, "view"), org_id)
    qs = queries.case_list(user, org, kind=kind, step=step, overdue=overdue, migrant=migrant)
    scope = scope_for(user, "view")
    return Listing(qs, render=lambda c: _masked(c, scope.covers_regionally(c.handler.path)))


@router.post("/rights/cases", response={201: RightsCaseOut, **ERRORS}, summary="File a rights case")
def file_case(request: HttpRequest, payload: RightsCaseIn) -> Any:
    user = _actor(request)
    employer = one(Org.objects.all(), payload.employer_id, "employer_id") if payload.employer_id else None
    region = one(Org.objects.all(), payload.region_id, "region_id") if payload.region_id else None
    case = services.file_case(
        actor=user, channel=payload.channel, kind=payload.kind, summary=payload.summary, employer=employer,
        employer_name=payload.employer_name, region=region, worker_name=payload.worker_name,
        worker_phone=payload.worker_phone, worker_id_number=payload.worker_id_number, people=payload.people,
        migrants=payload.migrants, claimed=payload.claimed, ask_county=payload.ask_county, filed_on=payload.filed_on)
    return Status(201, _out(case, True))


@router.get("/rights/cases/mine", response={200: list[RightsCaseOut], **ERRORS}, summary="My rights cases")
def my_cases(request: HttpRequest) -> Any:
    user = _actor(request)
    return [_out(c, True) for c in Case.objects.own(user).select_related("handler", "employer")[:100]]


@router.get("/rights/cases/figures", response={200: RightsCaseFiguresOut, **ERRORS},
            summary="Rights cases: the figures of a year")
def case_figures(request: HttpRequest, org_id: int, year: int | None = None) -> Any:
    org = one(Org.objects.for_user(_actor(request), "view"), org_id)
    y = year or queries.today().year
    if not 2000 <= y <= queries.today().year + 1:
        raise DomainError(_("The year must be between 2000 and next year."), field="year", status=422)
    f = queries.figures(org, y)
    return {"year": y, "by_kind": dict(f.by_kind), "by_result": dict(f.by_result), "recovered": f.recovered,
            "helped": f.helped, "migrants": f.migrants, "closed": f.closed, "median_days": f.median_days}


@router.get("/rights/cases/{case_id}", response={200: RightsCaseOut, **ERRORS}, summary="One rights case")
def get_case(request: HttpRequest, case_id: int) -> Any:
    return _detail(request, _case(request, case_id))


@router.get("/rights/cases/{case_id}/entries", response={200: list[RightsCaseEntryOut], **ERRORS},
            summary="A rights case's timeline")
def case_entries(request: HttpRequest, case_id: int) -> Any:
    case = _case(request, case_id)
    if services.open_case(actor=_actor(request), case=case, channel="api"):
        return [{"kind": e.kind, "step": e.step, "on": e.on.isoformat(), "text": e.text, "public": e.public}
                for e in case.entries.order_by("on", "pk")]
    return [{"kind": e.kind, "step": e.step, "on": e.on.strftime("%Y-%m")}
            for e in case.entries.filter(kind=CaseEntry.Kind.STEP).order_by("on", "pk")]


@router.post("/rights/cases/{case_id}/step", response={200: RightsCaseOut, **ERRORS},
             summary="Accept a case or move it on")
def case_step(request: HttpRequest, case_id: int, payload: RightsCaseStepIn) -> Any:
    user, case = _actor(request), _case(request, case_id)
    if payload.step == "accepted":
        case = services.accept_case(actor=user, case=case, on=payload.on, note=payload.note)
    else:
        case = services.advance_case(actor=user, case=case, step=payload.step, on=payload.on, note=payload.note)
    return _out(case, True)


@router.post("/rights/cases/{case_id}/notes", response={201: RightsCaseEntryOut, **ERRORS}, summary="Add a note")
def case_note(request: HttpRequest, case_id: int, payload: RightsCaseNoteIn) -> Any:
    e = services.add_case_note(actor=_actor(request), case=_case(request, case_id), text=payload.text,
                               public=payload.public)
    return Status(201, {"kind": e.kind, "step": e.step, "on": e.on.isoformat(), "text": e.text, "public": e.public})


@router.post("/rights/cases/{case_id}/documents", response={201: list[str], **ERRORS}, summary="Add documents")
def case_documents(request: HttpRequest, case_id: int, files: File[list[UploadedFile]]) -> Any:
    user = _actor(request)
    case = one(Case.objects.for_user(user, "view") | Case.objects.own(user), case_id)
    return Status(201, [d.name for d in services.add_case_documents(actor=user, case=case, uploads=files)])


@router.post("/rights/cases/{case_id}/transfer", response={200: RightsCaseOut, **ERRORS},
             summary="Transfer a case to another union")
def case_transfer(request: HttpRequest, case_id: int, payload: RightsCaseTransferIn) -> Any:
    user = _actor(request)
    case = services.transfer_case(actor=user, case=_case(request, case_id),
                                  to=one(Org.objects.all(), payload.to_id, "to_id"), reason=payload.reason)
    return _out(case, case.can_see_worker(user))


@router.post("/rights/cases/{case_id}/close", response={200: RightsCaseOut, **ERRORS},
             summary="Close a case with its outcome")
def case_close(request: HttpRequest, case_id: int, payload: RightsCaseCloseIn) -> Any:
    case = services.close_case(actor=_actor(request), case=_case(request, case_id), result=payload.result,
                               recovered=payload.recovered, helped=payload.helped, reason=payload.reason,
                               on=payload.on, note=payload.note)
    return _out(case, True)
