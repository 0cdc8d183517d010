"""The training endpoints (on the learning router): sessions with their attendees (added by person id, or imported
from an .xlsx: the job is then read at `GET /imports/{id}` like every import), mentor pairs (start, finish, end) and
learning materials (add; a learner's list and marking one learnt). Same verbs and scopes as the pages: out of scope
is a 404; a refusal is a 400 naming its field (code `out_of_scope` for a person outside the union's reach,
`duplicate` for someone already on the roll or a pair already in progress, `wrong_state` for a closed pair)."""

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
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import ImportJob
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.occupations import trade_by_code
from gongjiang.orgs.plugins import is_cadre
from gongjiang.orgs.schemas import ImportJobOut, OrgRef

from .. import training_imports
from ..models import Material, MentorPair, TrainingSession
from ..queries import training as queries
from ..services import training as services
from ..training_choices import MaterialKind, PairState

router = Router(tags=["learning"])


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class SessionOut(Schema):
    id: int
    org: OrgRef
    topic: str
    trade: str | None = Field(description="The trade's occupation code.")
    starts_on: datetime.date
    ends_on: datetime.date
    place: str
    trainer: str
    hours: Decimal = Field(description="Hours credited to each attendee by default.")
    notes: str
    attendee_count: int
    person_hours: Decimal
    files: list[dict[str, Any]]


class SessionIn(Schema):
    org_id: Id = Field(..., description="The union holding the session (one you may change).")
    topic: str = Field(..., max_length=120)
    trade: str = Field("", description="An occupation code of the national classification (6-18-01-01).")
    starts_on: datetime.date
    ends_on: datetime.date
    hours: Decimal = Field(..., description="Hours per attendee, one decimal at most.")
    place: str = ""
    trainer: str = ""
    notes: str = ""


class SessionChangeIn(Schema):
    topic: str = Field(..., max_length=120)
    trade: str = ""
    starts_on: datetime.date
    ends_on: datetime.date
    hours: Decimal
    place: str = ""
    trainer: str = ""
    notes: str = ""


class AttendeeOut(Schema):
    person_id: int
    name: str
    unit: OrgRef
    hours: Decimal
    completed: bool


class AttendeesIn(Schema):
    person_ids: list[Id] = Field(..., min_length=1, max_length=services.MAX_ATTENDEES)
    hours: Decimal | None = Field(None, description="Hours credited to each; the session's when left out.")


class PairOut(Schema):
    id: int
    org: OrgRef
    mentor_id: int
    mentor_name: str
    apprentice_id: int
    apprentice_name: str
    trade: str | None
    goals: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    state: str
    closed_on: datetime.date | None
    end_reason: str
    result: str
    grade_before: int
    grade_after: int | None


class PairIn(Schema):
    org_id: Id
    mentor_id: Id
    apprentice_id: Id
    trade: str = ""
    goals: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None


class FinishIn(Schema):
    on: datetime.date
    result: str
    grade_after: int | None = Field(None, description="0 (none), 5 … 1; the roster's grade when left out.")


class EndIn(Schema):
    on: datetime.date
    reason: str
    result: str = ""


class MaterialOut(Schema):
    id: int
    org: OrgRef
    title: str
    kind: str
    url: str
    file_name: str
    href: str
    description: str
    trade: str | None
    tags: list[str]
    shared: bool
    completions: int = Field(description="Learners who marked it learnt (in your scope, for a cadre).")
    completed_at: datetime.datetime | None = Field(None, description="For a learner: when you marked it learnt.")


class MaterialIn(Schema):
    org_id: Id
    title: str = Field(..., max_length=120)
    kind: MaterialKind
    url: str = Field(..., max_length=500, description="The address of the link, the video or the document.")
    description: str = ""
    trade: str = ""
    tags: list[str] = []
    shared: bool = True


# ---------------------------------------------------------------------------------------------


def _session(request: HttpRequest, pk: int) -> TrainingSession:
    found = queries.session_detail(_actor(request), pk)
    if found is None:
        raise Http404
    return found


def _session_out(s: TrainingSession) -> dict[str, Any]:
    return {**{f: getattr(s, f) for f in ("id", "org", "topic", "starts_on", "ends_on", "place", "trainer", "hours",
                                           "notes", "attendee_count", "person_hours")},
            "trade": s.trade.code if s.trade else None,
            "files": [{"id": f.pk, "name": f.name, "size": f.size, "url": f.get_absolute_url()}
                      for f in s.files.all()]}


def _changeable(request: HttpRequest, org_id: int) -> Org:
    return one(Org.objects.for_user(_actor(request), "view"), org_id, "org_id")


@router.get("/learning/training/sessions", response={200: list[SessionOut], **ERRORS}, summary="Training sessions")
@paginate(Pagination)
def list_sessions(request: HttpRequest, year: int | None = None, trade: str = "", org_id: int | None = None,
                  q: str = "") -> Any:
    """The sessions held in your scope, newest first; by the year of their first day, a trade's code, a union (its
    reach) and a word of the topic."""
    user = _actor(request)
    filters: dict[str, Any] = {"year": year, "trade": trade_by_code(trade), "q": q,
                               "org": one(Org.objects.for_user(user, "view"), org_id, "org_id") if org_id else None}
    return Listing(queries.sessions_for(user, filters).prefetch_related("files"), render=_session_out)


@router.post("/learning/training/sessions", response={201: SessionOut, **ERRORS}, summary="Record a session")
def record_session(request: HttpRequest, payload: SessionIn) -> Any:
    data = payload.dict()
    org = _changeable(request, data.pop("org_id"))
    data["trade"] = trade_by_code(data["trade"])
    s = services.record_session(actor=_actor(request), org=org, **data)
    return Status(201, _session_out(_session(request, s.pk)))


@router.get("/learning/training/sessions/{session_id}", response={200: SessionOut, **ERRORS}, summary="A session")
def get_session(request: HttpRequest, session_id: int) -> Any:
    return _session_out(_session(request, session_id))


@router.put("/learning/training/sessions/{session_id}", response={200: SessionOut, **ERRORS},
            summary="Correct a session")
def edit_session(request: HttpRequest, session_id: int, payload: SessionChangeIn) -> Any:
    data = payload.dict()
    data["trade"] = trade_by_code(data["trade"])
    services.edit_session(actor=_actor(request), session=_session(request, session_id), **data)
    return _session_out(_session(request, session_id))


@router.get("/learning/training/sessions/{session_id}/attendees", response={200: list[AttendeeOut], **ERRORS},
            summary="A session's attendees")
@paginate(Pagination)
def list_attendees(request: HttpRequest, session_id: int) -> Any:
    return Listing(queries.attendees(_session(request, session_id)), render=lambda a: {
        "person_id": a.person_id, "name": a.person.name, "unit": a.person.employer, "hours": a.hours,
        "completed": a.completed})


@router.post("/learning/training/sessions/{session_id}/attendees", response={201: SessionOut, **ERRORS},
             summary="Add attendees")
def add_attendees(request: HttpRequest, session_id: int, payload: AttendeesIn) -> Any:
    """People of the session's union and the units below it, by their ids; all or none."""
    user = _actor(request)
    session = _session(request, session_id)
    people = Person.objects.for_user(user, "view")
    services.add_attendees(actor=user, session=session, people=[one(people, pk, "person_ids")
                                                                for pk in payload.person_ids], hours=payload.hours)
    return Status(201, _session_out(_session(request, session_id)))


@router.delete("/learning/training/sessions/{session_id}/attendees/{person_id}", response={200: SessionOut, **ERRORS},
               summary="Take someone off the roll")
def remove_attendee(request: HttpRequest, session_id: int, person_id: int) -> Any:
    user = _actor(request)
    services.remove_attendee(actor=user, session=_session(request, session_id),
                             person=one(Person.objects.for_user(user, "view"), person_id))
    return _session_out(_session(request, session_id))


@router.post("/learning/training/sessions/{session_id}/imports", response={201: ImportJobOut, **ERRORS},
             summary="Import attendees (.xlsx, multipart: 姓名, 身份证号, 学时)")
def import_attendees(request: HttpRequest, session_id: int, file: File[UploadedFile]) -> Any:
    """Every row is checked before anything is written: the job ends `done` or `invalid` with its errors by row
    and column (an unknown ID number, a name not matching it, someone twice or already on the roll, bad hours)."""
    job = training_imports.start_attendee_import(actor=_actor(request), session=_session(request, session_id),
                                                 upload=file)
    return Status(201, one(ImportJob.objects.all(), job.pk))


# ---------------------------------------------------------------------------------------------
# Mentor pairs


def _pair(request: HttpRequest, pk: int) -> MentorPair:
    found = queries.pair_detail(_actor(request), pk)
    if found is None:
        raise Http404
    return found


def _pair_out(p: MentorPair) -> dict[str, Any]:
    return {**{f: getattr(p, f) for f in ("id", "org", "mentor_id", "apprentice_id", "goals", "starts_on", "ends_on",
                                           "state", "closed_on", "end_reason", "result", "grade_before",
                                           "grade_after")},
            "mentor_name": p.mentor.name, "apprentice_name": p.apprentice.name,
            "trade": p.trade.code if p.trade else None}


@router.get("/learning/mentor-pairs", response={200: list[PairOut], **ERRORS}, summary="Mentor pairs")
@paginate(Pagination)
def list_pairs(request: HttpRequest, state: str = "", year: int | None = None, org_id: int | None = None,
               q: str = "") -> Any:
    """The pairs recorded in your scope; by state (active, finished, ended), year of the start, union, a name."""
    user = _actor(request)
    if state and state not in PairState.values:
        raise DomainError(_unknown(state), field="state")
    filters = {"state": state, "year": year, "q": q,
               "org": one(Org.objects.for_user(user, "view"), org_id, "org_id") if org_id else None}
    return Listing(queries.pairs_for(user, filters), render=_pair_out)


def _unknown(value: str) -> str:
    return _("Unknown value: %(v)s.") % {"v": value}


@router.post("/learning/mentor-pairs", response={201: PairOut, **ERRORS}, summary="Record a mentor pair")
def start_pair(request: HttpRequest, payload: PairIn) -> Any:
    user = _actor(request)
    people = Person.objects.for_user(user, "view")
    p = services.start_pair(actor=user, org=_changeable(request, payload.org_id),
                            mentor=one(people, payload.mentor_id, "mentor_id"),
                            apprentice=one(people, payload.apprentice_id, "apprentice_id"),
                            trade=trade_by_code(payload.trade), goals=payload.goals, starts_on=payload.starts_on,
                            ends_on=payload.ends_on)
    return Status(201, _pair_out(_pair(request, p.pk)))


@router.get("/learning/mentor-pairs/{pair_id}", response={200: PairOut, **ERRORS}, summary="A mentor pair")
def get_pair(request: HttpRequest, pair_id: int) -> Any:
    return _pair_out(_pair(request, pair_id))


@router.post("/learning/mentor-pairs/{pair_id}/finish", response={200: PairOut, **ERRORS},
             summary="Finish a pairing (出师)")
def finish_pair(request: HttpRequest, pair_id: int, payload: FinishIn) -> Any:
    services.finish_pair(actor=_actor(request), pair=_pair(request, pair_id), on=payload.on, result=payload.result,
                         grade_after=payload.grade_after)
    return _pair_out(_pair(request, pair_id))


@router.post("/learning/mentor-pairs/{pair_id}/end", response={200: PairOut, **ERRORS},
             summary="End a pairing early")
def end_pair(request: HttpRequest, pair_id: int, payload: EndIn) -> Any:
    services.end_pair(actor=_actor(request), pair=_pair(request, pair_id), on=payload.on, reason=payload.reason,
                      result=payload.result)
    return _pair_out(_pair(request, pair_id))


# ---------------------------------------------------------------------------------------------
# Materials


def _material_out(m: Material, completions: int, completed_at: datetime.datetime | None = None) -> dict[str, Any]:
    return {**{f: getattr(m, f) for f in ("id", "org", "title", "kind", "url", "file_name", "href", "description",
                                           "tags", "shared")},
            "trade": m.trade.code if m.trade else None, "completions": completions, "completed_at": completed_at}


def _person(user: Any) -> Person | None:
    pk = getattr(user, "person_id", None)
    return Person.objects.select_related("employer").filter(pk=pk).first() if pk else None


@router.get("/learning/materials", response={200: list[MaterialOut], **ERRORS}, summary="Learning materials")
@paginate(Pagination)
def list_materials(request: HttpRequest, kind: str = "", q: str = "") -> Any:
    """For a cadre: the materials of the unions in your scope and those shared down to it, with the completions in
    your scope. For a worker: the materials shared with your unit, with when you marked each learnt."""
    user = _actor(request)
    if kind and kind not in MaterialKind.values:
        raise DomainError(_unknown(kind), field="kind")
    filters = {"kind": kind, "q": q}
    if is_cadre(user):
        def decorate(rows: list[Material]) -> None:
            counts = queries.completions_in_scope(user, rows)
            for m in rows:
                m.scope_completions = counts.get(m.pk, 0)  # type: ignore[attr-defined]

        return Listing(queries.materials_for(user, filters), decorate=decorate,
                       render=lambda m: _material_out(m, m.scope_completions))
    person = _person(user)
    if person is None:
        raise PermissionDeniedError(_("Learning materials are for workers and union cadres."))
    found = queries.learner_materials(person, filters)
    return [_material_out(m, m.completions, found.done.get(m.pk)) for m in found.rows]


@router.post("/learning/materials", response={201: MaterialOut, **ERRORS}, summary="Add a link, video or document "
             "by its address")
def add_material(request: HttpRequest, payload: MaterialIn) -> Any:
    user = _actor(request)
    m = services.add_material(actor=user, org=_changeable(request, payload.org_id), title=payload.title,
                              kind=payload.kind.value, url=payload.url, description=payload.description,
                              trade=trade_by_code(payload.trade), tags=payload.tags, shared=payload.shared)
    return Status(201, _material_out(m, 0))


@router.post("/learning/materials/documents", response={201: MaterialOut, **ERRORS},
             summary="Add a document by uploading it (multipart)")
def add_document(request: HttpRequest, org_id: Form[Id], title: Form[str], file: File[UploadedFile],
                 description: Form[str] = "", trade: Form[str] = "", tags: Form[str] = "",
                 shared: Form[bool] = True) -> Any:
    """`tags`: separated by commas. The file's type (by its first bytes) and size are checked."""
    user = _actor(request)
    m = services.add_material(actor=user, org=_changeable(request, org_id), title=title, kind=MaterialKind.DOCUMENT,
                              upload=file, description=description, trade=trade_by_code(trade),
                              tags=[t for t in tags.split(",") if t.strip()], shared=shared)
    return Status(201, _material_out(m, 0))


@router.post("/learning/materials/{material_id}/done", response={200: MaterialOut, **ERRORS},
             summary="Mark a material learnt (your own account; again changes nothing)")
def material_done(request: HttpRequest, material_id: int) -> Any:
    user = _actor(request)
    material = queries.material_visible(user, material_id)
    if material is None:
        raise Http404
    done = services.complete_material(actor=user, material=material)
    material.refresh_from_db()
    return _material_out(material, material.completions, done.completed_at)
