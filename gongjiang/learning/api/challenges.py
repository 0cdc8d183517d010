"""The challenges' endpoints (added to the learning router): challenges and their levels for cadres (list, create,
change, publish, withdraw, add/change/remove a level, reorder), a worker's progress, map and wrong answers, entering a
level and starting practice (the attempt's id and its signed ticket), and the leaderboards by person and by union.
Same verbs and scopes as the pages: out of scope is a 404; a refusal is a 400 naming its field (codes `short`,
`draw`, `no_levels`, `locked`, `closed`, `used_up`, `unpublished`, `active`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.schemas import OrgRef

from .. import services
from ..models import Attempt, Bank, Challenge, Level
from ..queries import challenges as queries

router = Router(tags=["learning"])


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class ChallengeOut(Schema):
    id: int
    org: OrgRef
    title: str
    description: str
    opens_on: datetime.date
    closes_on: datetime.date | None
    published: bool
    badge: str


class LevelOut(Schema):
    id: int
    number: int
    title: str
    bank_ids: list[int]
    draw: list[dict[str, Any]]
    time_limit: int = Field(description="Seconds.")
    pass_mark: int
    max_attempts: int
    points: int
    badge: str
    partial: int
    shuffle: bool


class ChallengeDetailOut(ChallengeOut):
    levels: list[LevelOut]


class ChallengeIn(Schema):
    org_id: Id | None = Field(None, description="The organiser (on creation only).")
    title: str = Field(..., max_length=80)
    description: str = ""
    opens_on: datetime.date
    closes_on: datetime.date | None = None
    badge: str = Field("", max_length=40)


class LevelIn(Schema):
    title: str = Field(..., max_length=60)
    bank_ids: list[Id]
    draw: list[dict[str, Any]] = Field(..., description='Rules: {"count": n, "kinds": [...], "difficulty": [...], '
                                                        '"tags": [...]} or {"questions": [ids]}.')
    time_limit: int = Field(600, description="Seconds (30 to 14,400).")
    pass_mark: int = 60
    max_attempts: int = Field(0, description="0 for unlimited.")
    points: int = 10
    badge: str = ""
    partial: int = 50
    shuffle: bool = True


class OrderIn(Schema):
    level_ids: list[Id]


class MapRowOut(Schema):
    level_id: int
    number: int
    title: str
    state: str = Field(description="locked, open or cleared.")
    best: Decimal | None
    used: int
    left: int | None = Field(description="Attempts left; null: unlimited.")
    points: int
    badge: str


class ProgressChallengeOut(Schema):
    challenge_id: int
    title: str
    levels: int
    cleared: int
    badges: list[str]


class ProgressOut(Schema):
    points: int
    level_points: int
    practice_points: int
    practice_days: int
    streak: int
    practised_today: bool
    badges: list[str]
    mistakes: int
    challenges: list[ProgressChallengeOut]


class EnteredOut(Schema):
    attempt_id: int
    ticket: str
    deadline: datetime.datetime


class MistakeOut(Schema):
    question_id: int
    kind: str
    stem: str
    options: list[str]
    answer: str
    explanation: str
    times: int
    last_at: datetime.datetime


class BoardRowOut(Schema):
    rank: int
    person_id: int
    name: str
    unit: str
    levels: int
    score: Decimal
    seconds: int


class BoardOut(Schema):
    rows: list[BoardRowOut]
    mine: BoardRowOut | None


class OrgBoardRowOut(Schema):
    org: OrgRef
    takers: int
    finishers: int
    members: int
    rate: Decimal | None = Field(description="Participation rate, percent: takers over members.")
    mean: Decimal | None = Field(description="Mean points of the takers.")


class OrgBoardOut(Schema):
    parent: OrgRef
    rows: list[OrgBoardRowOut]


def _challenge(request: HttpRequest, pk: int, action: str = "view") -> Challenge:
    found = Challenge.objects.for_user(_actor(request), action).select_related("org").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _level_out(lv: Level) -> dict[str, Any]:
    return {**{f: getattr(lv, f) for f in ("id", "number", "title", "draw", "time_limit", "pass_mark",
                                           "max_attempts", "points", "badge", "partial", "shuffle")},
            "bank_ids": sorted(b.pk for b in lv.banks.all())}


def _detail(c: Challenge) -> dict[str, Any]:
    return {**{f: getattr(c, f) for f in ("id", "org", "title", "description", "opens_on", "closes_on", "published",
                                          "badge")},
            "levels": [_level_out(lv) for lv in c.levels.prefetch_related("banks").order_by("number")]}


def _banks(c: Challenge, ids: list[int]) -> list[Bank]:
    found = {b.pk: b for b in Bank.objects.filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise DomainError(_("Not found, or outside your scope."), field="bank_ids", code="not_found", status=404)
    return [found[pk] for pk in ids]


@router.get("/learning/challenges", response={200: list[ChallengeOut], **ERRORS}, summary="Challenges")
@paginate(Pagination)
def list_challenges(request: HttpRequest) -> Any:
    """The challenges organised in your scope, newest first."""
    return Listing(queries.challenges_for(_actor(request)))


@router.post("/learning/challenges", response={201: ChallengeDetailOut, **ERRORS}, summary="Create a challenge")
def create_challenge(request: HttpRequest, payload: ChallengeIn) -> Any:
    user = _actor(request)
    if payload.org_id is None:
        raise DomainError(_("This field is required."), field="org_id")
    org = one(Org.objects.for_user(user, "view"), payload.org_id, "org_id")
    c = services.create_challenge(actor=user, org=org, title=payload.title, opens_on=payload.opens_on,
                                  closes_on=payload.closes_on, description=payload.description, badge=payload.badge)
    return Status(201, _detail(c))


@router.get("/learning/challenges/{challenge_id}", response={200: ChallengeDetailOut, **ERRORS},
            summary="One challenge with its levels")
def get_challenge(request: HttpRequest, challenge_id: int) -> Any:
    return _detail(_challenge(request, challenge_id))


@router.put("/learning/challenges/{challenge_id}", response={200: ChallengeDetailOut, **ERRORS},
            summary="Change a challenge")
def update_challenge(request: HttpRequest, challenge_id: int, payload: ChallengeIn) -> Any:
    c = _challenge(request, challenge_id)
    c = services.update_challenge(actor=_actor(request), challenge=c, title=payload.title, opens_on=payload.opens_on,
                                  closes_on=payload.closes_on, description=payload.description, trade=c.trade,
                                  badge=payload.badge)
    return _detail(c)


@router.post("/learning/challenges/{challenge_id}/publish", response={200: ChallengeDetailOut, **ERRORS},
             summary="Publish a challenge")
def publish(request: HttpRequest, challenge_id: int) -> Any:
    """Refused (400, code `no_levels` or `short`) without a level or with a level its banks cannot fill."""
    return _detail(services.publish_challenge(actor=_actor(request), challenge=_challenge(request, challenge_id)))


@router.post("/learning/challenges/{challenge_id}/withdraw", response={200: ChallengeDetailOut, **ERRORS},
             summary="Withdraw a published challenge")
def withdraw(request: HttpRequest, challenge_id: int) -> Any:
    return _detail(services.withdraw_challenge(actor=_actor(request), challenge=_challenge(request, challenge_id)))


@router.post("/learning/challenges/{challenge_id}/levels", response={201: ChallengeDetailOut, **ERRORS},
             summary="Add a level")
def add_level(request: HttpRequest, challenge_id: int, payload: LevelIn) -> Any:
    c = _challenge(request, challenge_id)
    services.save_level(actor=_actor(request), challenge=c, banks=_banks(c, payload.bank_ids),
                        **payload.model_dump(exclude={"bank_ids"}))
    return Status(201, _detail(c))


@router.put("/learning/challenges/{challenge_id}/levels/{level_id}", response={200: ChallengeDetailOut, **ERRORS},
            summary="Change a level")
def change_level(request: HttpRequest, challenge_id: int, level_id: int, payload: LevelIn) -> Any:
    c = _challenge(request, challenge_id)
    lv = get_object_or_404(Level, pk=level_id, challenge=c)
    services.save_level(actor=_actor(request), challenge=c, level=lv, banks=_banks(c, payload.bank_ids),
                        **payload.model_dump(exclude={"bank_ids"}))
    return _detail(c)


@router.delete("/learning/challenges/{challenge_id}/levels/{level_id}", response={200: ChallengeDetailOut, **ERRORS},
               summary="Remove a level nobody attempted")
def remove_level(request: HttpRequest, challenge_id: int, level_id: int) -> Any:
    c = _challenge(request, challenge_id)
    services.remove_level(actor=_actor(request), level=get_object_or_404(Level, pk=level_id, challenge=c))
    return _detail(c)


@router.put("/learning/challenges/{challenge_id}/order", response={200: ChallengeDetailOut, **ERRORS},
            summary="Reorder the levels")
def reorder(request: HttpRequest, challenge_id: int, payload: OrderIn) -> Any:
    c = _challenge(request, challenge_id)
    services.reorder_levels(actor=_actor(request), challenge=c, order=payload.level_ids)
    return _detail(c)


# ------------------------------------------------------------------------------------------------
# Workers


def _person(request: HttpRequest) -> Person:
    person_id = getattr(_actor(request), "person_id", None)
    if not person_id:
        raise PermissionDeniedError(_("Only a worker with a worker record takes part in learning."))
    return Person.objects.select_related("employer").get(pk=person_id)


def _worker_challenge(request: HttpRequest, pk: int) -> tuple[Person, Challenge]:
    person = _person(request)
    c = Challenge.objects.select_related("org").filter(pk=pk).first()
    if c is None or not queries.visible_to_worker(person, c):
        raise Http404
    return person, c


@router.get("/learning/me/progress", response={200: ProgressOut, **ERRORS}, summary="My points, badges, challenges")
def my_progress(request: HttpRequest) -> Any:
    p = queries.progress(_person(request))
    return {"points": p.points, "level_points": p.level_points, "practice_points": p.practice_points,
            "practice_days": p.practice_days, "streak": p.streak, "practised_today": p.practised_today,
            "badges": p.badges, "mistakes": p.mistakes,
            "challenges": [{"challenge_id": c.challenge.pk, "title": c.challenge.title, "levels": c.levels,
                            "cleared": c.cleared, "badges": c.badges} for c in p.challenges]}


@router.get("/learning/me/challenges/{challenge_id}", response={200: list[MapRowOut], **ERRORS},
            summary="My map of a challenge's levels")
def my_map(request: HttpRequest, challenge_id: int) -> Any:
    person, c = _worker_challenge(request, challenge_id)
    return [{"level_id": r.level.pk, "number": r.level.number, "title": r.level.title, "state": r.state,
             "best": r.best, "used": r.used, "left": r.left, "points": r.level.points, "badge": r.level.badge}
            for r in queries.level_map(person, c)]


def _entered(attempt: Attempt) -> Any:
    from ..queries.attempts import ticket

    return Status(201, {"attempt_id": attempt.pk, "ticket": ticket(attempt), "deadline": attempt.deadline})


@router.post("/learning/levels/{level_id}/enter", response={201: EnteredOut, **ERRORS}, summary="Enter a level")
def enter_level(request: HttpRequest, level_id: int) -> Any:
    """Starts an attempt; answer it with the attempt endpoints and its ticket. Refused (400) for a locked level
    (`locked`), a closed challenge (`closed`), attempts used up (`used_up`), an attempt in progress (`active`)."""
    person = _person(request)
    lv = Level.objects.select_related("challenge__org").filter(pk=level_id).first()
    if lv is None or not queries.visible_to_worker(person, lv.challenge):
        raise Http404
    return _entered(services.enter_level(actor=_actor(request), level=lv))


@router.post("/learning/me/practice", response={201: EnteredOut, **ERRORS}, summary="Start today's practice")
def practice(request: HttpRequest) -> Any:
    _person(request)
    return _entered(services.start_practice(actor=_actor(request)))


@router.post("/learning/me/mistakes/practice", response={201: EnteredOut, **ERRORS},
             summary="Practise my wrong answers")
def mistake_practice(request: HttpRequest) -> Any:
    _person(request)
    return _entered(services.start_mistake_practice(actor=_actor(request)))


@router.get("/learning/me/mistakes", response={200: list[MistakeOut], **ERRORS}, summary="My wrong answers")
@paginate(Pagination)
def my_mistakes(request: HttpRequest) -> Any:
    """With the correct answer and the explanation (never for a question of an attempt still in progress)."""

    def render(row: Any) -> dict[str, Any]:
        r = queries.mistake_rows([row])[0]
        q = row.question
        return {"question_id": q.pk, "kind": q.kind, "stem": q.stem, "options": q.options, "answer": r.answer,
                "explanation": q.explanation, "times": row.times, "last_at": row.last_at}

    return Listing(queries.open_mistakes(_person(request)), render=render)


# ------------------------------------------------------------------------------------------------
# Leaderboards


def _board_challenge(request: HttpRequest, pk: int) -> Challenge:
    c = Challenge.objects.select_related("org").filter(pk=pk).first()
    if c is None or not queries.board_allowed(_actor(request), c):
        raise Http404
    return c


def _board_row(rank: int, s: Any) -> dict[str, Any]:
    return {"rank": rank, "person_id": s.person_id, "name": s.person.name, "unit": s.unit.display_name,
            "levels": s.levels, "score": s.score, "seconds": s.seconds}


@router.get("/learning/challenges/{challenge_id}/board", response={200: BoardOut, **ERRORS},
            summary="Leaderboard by person")
def board(request: HttpRequest, challenge_id: int) -> Any:
    """The top 100 (levels cleared, then points, then time) and your own line."""
    c = _board_challenge(request, challenge_id)
    person_id = getattr(_actor(request), "person_id", None)
    mine = queries.my_rank(c, Person(pk=person_id)) if person_id else None
    if mine:
        mine[1].person = Person.objects.get(pk=person_id)
    return {"rows": [_board_row(i, s) for i, s in enumerate(queries.person_board(c), start=1)],
            "mine": _board_row(*mine) if mine else None}


@router.get("/learning/challenges/{challenge_id}/board/orgs", response={200: OrgBoardOut, **ERRORS},
            summary="Leaderboard by union")
def org_board(request: HttpRequest, challenge_id: int, org_id: int | None = None) -> Any:
    """The unions one step below `org_id` (default: the organiser), regionally and, for an industry union, its
    affiliated units; `rate` is takers over the union's members."""
    c = _board_challenge(request, challenge_id)
    parent = queries.board_parent(c, org_id)
    if parent is None:
        raise Http404
    return {"parent": parent, "rows": [{"org": r.org, "takers": r.takers, "finishers": r.finishers,
                                        "members": r.members, "rate": r.rate, "mean": r.mean}
                                       for r in queries.org_board(c, parent)]}
