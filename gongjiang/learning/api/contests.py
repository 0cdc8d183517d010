"""The contests' and theory exams' endpoints (added to the learning router): contests (list, one, set up, change,
publish, publish the results), entering one (the attempt's id and the signed ticket the answers are sent with), the
ranking, the results per unit, the suspicious-pattern report; the online theory exams of competition rounds (set up,
change, open, close and send, a contestant's start). Same verbs and scopes as the pages: out of scope is a 404; a
refusal is a 400 naming its field (codes `closed`, `active` with the running attempt's id, `used_up`, `throttled`
as a 429, `running`, `state`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core import registry
from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.core.errors import DomainError
from gongjiang.orgs.models import Org
from gongjiang.orgs.schemas import OrgRef

from ..choices import TheoryState
from ..models import Contest, TheoryExam
from ..queries import contests as q
from ..services import contests as services
from ..services import theory as theory_services

router = Router(tags=["learning"])


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class RuleIn(Schema):
    count: int | None = Field(None, ge=1, le=200)
    kinds: list[str] = []
    difficulty: list[int] = []
    tags: list[str] = []
    questions: list[int] | None = Field(None, description="A fixed set of question ids (instead of count…).")


class PaperIn(Schema):
    title: str = Field(..., max_length=200)
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    bank_ids: list[Id]
    draw: list[RuleIn] = Field(..., description="Draw rules; a fixed question set is one rule {questions: [ids]}.")
    time_limit: int = Field(1800, description="Seconds (60–14400).")
    partial: int = Field(50, description="Percent of a multiple-choice question's score for an incomplete answer.")
    shuffle: bool = True


class ContestIn(PaperIn):
    org_id: Id
    description: str = ""
    pass_mark: int = 60
    max_attempts: int = Field(1, description="0: unlimited.")
    prizes: dict[str, int] = Field({}, description='Prizes in order with their numbers: {"一等奖": 10, …}.')


class ContestChangeIn(PaperIn):
    description: str = ""
    pass_mark: int = 60
    max_attempts: int = 1
    prizes: dict[str, int] = {}


class ContestOut(Schema):
    id: int
    title: str
    description: str
    org: OrgRef
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    published: bool
    results_published: bool
    bank_ids: list[int]
    draw: list[dict[str, Any]]
    question_count: int
    time_limit: int
    pass_mark: int
    max_attempts: int
    partial: int
    shuffle: bool
    prizes: dict[str, int]


class FiguresOut(Schema):
    takers: int
    attempts: int
    active: int
    mean: Decimal | None
    prizes: int


class ContestDetailOut(ContestOut):
    figures: FiguresOut


class EnteredOut(Schema):
    attempt_id: int
    ticket: str
    deadline: datetime.datetime
    url: str


class RankedOut(Schema):
    place: int
    person_id: int
    name: str
    unit: str
    score: Decimal
    seconds: int
    attempts: int
    prize: str


class UnitOut(Schema):
    org: OrgRef
    members: int
    takers: int
    participation_rate: Decimal | None = Field(None, description="Percent of the members of the unit's tree.")
    attempts: int
    mean_score: Decimal | None
    prizes: dict[str, int]


class SuspectOut(Schema):
    attempt_id: int
    person_id: int
    name: str
    unit: str
    score: Decimal
    seconds: int
    started_at: datetime.datetime


class SameOut(Schema):
    score: Decimal
    attempts: list[SuspectOut]


class BurstOut(Schema):
    unit: OrgRef
    minute: datetime.datetime
    attempts: int


class ReportOut(Schema):
    identical: list[SameOut]
    too_fast: list[SuspectOut]
    bursts: list[BurstOut]


def _paper(payload: PaperIn) -> dict[str, Any]:
    draw = [{"questions": r.questions} if r.questions is not None else
            {k: v for k, v in {"count": r.count, "kinds": r.kinds, "difficulty": r.difficulty,
                               "tags": r.tags}.items() if v not in (None, [])} for r in payload.draw]
    return {"title": payload.title, "opens_at": payload.opens_at, "closes_at": payload.closes_at,
            "banks": list(payload.bank_ids), "draw": draw, "time_limit": payload.time_limit,
            "partial": payload.partial, "shuffle": payload.shuffle}


def _contest(request: HttpRequest, pk: int) -> Contest:
    found = q.cadre_contests(_actor(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _out(c: Contest) -> dict[str, Any]:
    return {"id": c.pk, "title": c.title, "description": c.description, "org": c.org, "opens_at": c.opens_at,
            "closes_at": c.closes_at, "published": c.published, "results_published": c.results_published,
            "bank_ids": sorted(c.banks.values_list("pk", flat=True)), "draw": c.draw,
            "question_count": c.question_count, "time_limit": c.time_limit, "pass_mark": c.pass_mark,
            "max_attempts": c.max_attempts, "partial": c.partial, "shuffle": c.shuffle, "prizes": c.prizes or {}}


def _detail(c: Contest) -> dict[str, Any]:
    return {**_out(c), "figures": q.figures(c).__dict__}


@router.get("/learning/contests", response={200: list[ContestOut], **ERRORS}, summary="Knowledge contests")
@paginate(Pagination)
def list_contests(request: HttpRequest) -> Any:
    """The contests organised in your scope, latest first."""
    return Listing(q.cadre_contests(_actor(request)).order_by("-opens_at", "-id"), render=_out)


@router.post("/learning/contests", response={201: ContestDetailOut, **ERRORS}, summary="Set up a contest")
def create_contest(request: HttpRequest, payload: ContestIn) -> Any:
    user = _actor(request)
    org = one(Org.objects.for_user(user, "view"), payload.org_id, "org_id")
    c = services.create_contest(actor=user, org=org, data={
        **_paper(payload), "description": payload.description, "pass_mark": payload.pass_mark,
        "max_attempts": payload.max_attempts, "prizes": payload.prizes})
    return Status(201, _detail(_contest(request, c.pk)))


@router.get("/learning/contests/{contest_id}", response={200: ContestDetailOut, **ERRORS}, summary="One contest")
def get_contest(request: HttpRequest, contest_id: int) -> Any:
    return _detail(_contest(request, contest_id))


@router.put("/learning/contests/{contest_id}", response={200: ContestDetailOut, **ERRORS},
            summary="Change a contest (until it opens)")
def change_contest(request: HttpRequest, contest_id: int, payload: ContestChangeIn) -> Any:
    c = services.edit_contest(actor=_actor(request), contest=_contest(request, contest_id), data={
        **_paper(payload), "description": payload.description, "pass_mark": payload.pass_mark,
        "max_attempts": payload.max_attempts, "prizes": payload.prizes})
    return _detail(_contest(request, c.pk))


@router.post("/learning/contests/{contest_id}/publish", response={200: ContestDetailOut, **ERRORS},
             summary="Publish a contest")
def publish(request: HttpRequest, contest_id: int) -> Any:
    services.publish_contest(actor=_actor(request), contest=_contest(request, contest_id))
    return _detail(_contest(request, contest_id))


@router.post("/learning/contests/{contest_id}/results", response={200: ContestDetailOut, **ERRORS},
             summary="Publish a contest's results (prizes and certificates)")
def publish_results(request: HttpRequest, contest_id: int) -> Any:
    services.publish_results(actor=_actor(request), contest=_contest(request, contest_id))
    return _detail(_contest(request, contest_id))


def _entered(attempt: Any) -> dict[str, Any]:
    from django.urls import reverse

    from ..queries import attempts as aq

    return {"attempt_id": attempt.pk, "ticket": aq.ticket(attempt), "deadline": attempt.deadline,
            "url": reverse("learning:attempt", args=[attempt.pk])}


@router.post("/learning/contests/{contest_id}/enter", response={201: EnteredOut, 429: Any, **ERRORS},
             summary="Enter a contest (a worker)")
def enter(request: HttpRequest, contest_id: int) -> Any:
    """Starts an attempt: its id and the signed ticket each answer is sent with (learning attempts' endpoints)."""
    user = _actor(request)
    contest = Contest.objects.filter(pk=contest_id, published=True).select_related("org").first()
    if contest is None or not q.may_enter(getattr(user, "person", None), contest):
        raise Http404
    return Status(201, _entered(services.enter_contest(actor=user, contest=contest)))


@router.get("/learning/contests/{contest_id}/ranking", response={200: list[RankedOut], **ERRORS},
            summary="A contest's ranking")
def ranking(request: HttpRequest, contest_id: int, limit: int = 50, offset: int = 0) -> Any:
    """Best score, then the shorter time, then who reached it first; rows equal on all three share a place
    (limit 1–200 rows from offset)."""
    _within(limit, 1, 200, "limit")
    _within(offset, 0, 10**9, "offset")
    return [r.__dict__ for r in q.ranking(_contest(request, contest_id), limit=limit, offset=offset)]


@router.get("/learning/contests/{contest_id}/units", response={200: list[UnitOut], **ERRORS},
            summary="A contest's results per unit")
def units(request: HttpRequest, contest_id: int, org_id: int | None = None) -> Any:
    """The organiser's children (or, with org_id, the children of a union below it): participants, participation
    rate, attempts, mean score, prizes."""
    user = _actor(request)
    contest = _contest(request, contest_id)
    parent = contest.org
    if org_id is not None and org_id != contest.org_id:
        parent = one(Org.objects.for_user(user, "view").filter(path__startswith=contest.org.path), org_id)
    return [{"org": r.org, "members": r.members, "takers": r.takers, "participation_rate": r.rate,
             "attempts": r.attempts, "mean_score": r.mean, "prizes": r.prizes} for r in q.by_unit(contest, parent)]


def _within(value: Any, low: Any, high: Any, field: str) -> None:
    if not low <= value <= high:
        raise DomainError(_("%(field)s lies between %(low)s and %(high)s.") % {"field": field, "low": low,
                                                                                "high": high}, field=field)


def _suspect(a: Any) -> dict[str, Any]:
    return {"attempt_id": a.pk, "person_id": a.person_id, "name": a.person.name, "unit": a.unit.display_name,
            "score": a.score, "seconds": a.seconds, "started_at": a.started_at}


@router.get("/learning/contests/{contest_id}/suspicious", response={200: ReportOut, **ERRORS},
            summary="A contest's suspicious attempts (the organiser's cadres)")
def suspicious(request: HttpRequest, contest_id: int, min_score: int = q.DEFAULT_MIN_SCORE,
               floor: Decimal = q.DEFAULT_FLOOR, burst: int = q.DEFAULT_BURST) -> Any:
    """Identical answers scoring at least min_score % (0–100), faster than floor seconds a question (0.1–60),
    units starting burst attempts or more in one minute (at least 2)."""
    _within(min_score, 0, 100, "min_score")
    _within(floor, Decimal("0.1"), 60, "floor")
    _within(burst, 2, 10**6, "burst")
    contest = _contest(request, contest_id)
    if not contest.can_change(_actor(request)):
        raise DomainError(_("Only the organiser's cadres may do this."), code="forbidden", status=403)
    report = q.suspicious(contest, min_score=min_score, floor=floor, burst=burst)
    return {"identical": [{"score": g.score, "attempts": [_suspect(a) for a in g.attempts]} for g in report.same],
            "too_fast": [_suspect(a) for a in report.fast],
            "bursts": [{"unit": b.unit, "minute": b.minute, "attempts": b.count} for b in report.bursts]}


# ---------------------------------------------------------------------------------------------
# Theory exams


class TheoryIn(PaperIn):
    round_id: Id


class TheoryOut(Schema):
    id: int
    round_id: int
    title: str
    org: OrgRef
    opens_at: datetime.datetime
    closes_at: datetime.datetime
    state: TheoryState
    bank_ids: list[int]
    draw: list[dict[str, Any]]
    question_count: int
    time_limit: int
    sent_at: datetime.datetime | None


class SentOut(Schema):
    sent: int


def _exam(request: HttpRequest, pk: int) -> TheoryExam:
    found = TheoryExam.objects.for_user(_actor(request), "view").select_related("org").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _theory_out(e: TheoryExam) -> dict[str, Any]:
    return {"id": e.pk, "round_id": e.round_id, "title": e.title, "org": e.org, "opens_at": e.opens_at,
            "closes_at": e.closes_at, "state": e.state, "bank_ids": sorted(e.banks.values_list("pk", flat=True)),
            "draw": e.draw, "question_count": e.question_count, "time_limit": e.time_limit, "sent_at": e.sent_at}


@router.get("/learning/theory-exams", response={200: list[TheoryOut], **ERRORS}, summary="Online theory exams")
@paginate(Pagination)
def list_exams(request: HttpRequest) -> Any:
    return Listing(TheoryExam.objects.for_user(_actor(request), "view").select_related("org")
                   .order_by("-opens_at", "-id"), render=_theory_out)


@router.post("/learning/theory-exams", response={201: TheoryOut, **ERRORS},
             summary="Set up a round's online theory exam")
def create_exam(request: HttpRequest, payload: TheoryIn) -> Any:
    user = _actor(request)
    if registry.theory_round(payload.round_id) is None or not registry.can_run_theory(user, payload.round_id):
        raise DomainError(_("No competition round with a theory part has this number."), field="round_id",
                          code="not_found", status=404)
    e = theory_services.create_theory_exam(actor=user, round_id=payload.round_id, data=_paper(payload))
    return Status(201, _theory_out(_exam(request, e.pk)))


@router.put("/learning/theory-exams/{exam_id}", response={200: TheoryOut, **ERRORS},
            summary="Change an online theory exam (while set up)")
def change_exam(request: HttpRequest, exam_id: int, payload: PaperIn) -> Any:
    theory_services.edit_theory_exam(actor=_actor(request), exam=_exam(request, exam_id), data=_paper(payload))
    return _theory_out(_exam(request, exam_id))


@router.post("/learning/theory-exams/{exam_id}/open", response={200: TheoryOut, **ERRORS},
             summary="Open an online theory exam")
def open_exam(request: HttpRequest, exam_id: int) -> Any:
    theory_services.open_theory_exam(actor=_actor(request), exam=_exam(request, exam_id))
    return _theory_out(_exam(request, exam_id))


@router.post("/learning/theory-exams/{exam_id}/close", response={200: SentOut, **ERRORS},
             summary="Close an online theory exam and send the scores to the round")
def close_exam(request: HttpRequest, exam_id: int) -> Any:
    return {"sent": theory_services.close_theory_exam(actor=_actor(request), exam=_exam(request, exam_id))}


@router.post("/learning/theory-exams/{exam_id}/start", response={201: EnteredOut, **ERRORS},
             summary="Start an online theory exam (a contestant)")
def start_exam(request: HttpRequest, exam_id: int) -> Any:
    user = _actor(request)
    exam = TheoryExam.objects.filter(pk=exam_id).first()
    person = getattr(user, "person", None)
    rnd = registry.theory_round(exam.round_id) if exam is not None else None
    if exam is None or person is None or rnd is None or rnd.code_of(person.pk) is None:
        raise Http404
    return Status(201, _entered(theory_services.start_theory(actor=user, exam=exam)))
