"""The achievement calls' endpoints (added to the innovation router): the calls you deal with, one call with its
board, its achievements (the organiser all, a lower union its own), submitting one, the organiser's steps (quotas,
open, assign, pin, second round, rank, awards, notice, final, return, recommend), the results, and the experts'
blind reviews (their queue, one review without names or units, scoring, abstaining). Same verbs and scopes as the
pages: out of scope is a 404, a refusal names its field (a score: `score_<criterion>`); amounts are yuan."""


import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.schemas import OrgRef

from .. import queries, services
from ..choices import AchievementState, Award, CallState
from ..choices import Field as AchievementField
from ..models import Achievement, Call, Expert, Project, Review

router = Router(tags=["innovation achievement calls"])
reads = queries.achievements


class CriterionOut(Schema):
    key: str
    label: str
    max: Decimal


class CallOut(Schema):
    id: int
    title: str
    level: str
    year: int
    state: str
    state_label: str
    org: OrgRef
    submit_until: datetime.date
    review_until: datetime.date
    per_achievement: int
    fields: list[str]
    criteria: list[CriterionOut]
    award_mode: str
    award_levels: list[Decimal]
    national_quota: int
    recommend_to_id: int | None


class QuotaOut(Schema):
    org: OrgRef
    quota: int
    used: int


class BoardOut(Schema):
    submitted: int
    returned: int
    assigned: int
    reviewed: int
    abstained: int
    disputed: int
    quotas: list[QuotaOut]


class CallDetailOut(CallOut):
    materials: str
    board: BoardOut | None = Field(None, description="The organiser's figures (null for a lower union).")


class AuthorOut(Schema):
    person_id: int
    name: str


class AchievementOut(Schema):
    id: int
    number: str
    call_id: int
    title: str
    field: str
    enterprise: OrgRef
    authors: list[AuthorOut]
    benefit: Decimal
    state: str
    return_reason: str
    round: int
    score: Decimal | None
    spread: Decimal | None
    disputed: bool
    rank: int | None
    award: int
    national: bool
    project_id: int | None
    source_id: int | None
    blind_title: str = Field(description="What the blind reviewers read: the title, or for an achievement "
                                         "recommended from a lower call the name given for its reviewers.")


class AchievementIn(Schema):
    enterprise_id: Id = Field(..., description="The enterprise (grassroots union) whose achievement it is.")
    title: str = Field(..., max_length=120)
    field: AchievementField
    summary: str
    innovations: str
    benefit: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2, description="Yuan.")
    author_ids: list[Id] = Field(..., description="Workers of the enterprise, in the certificate's order.")
    project_id: Id | None = Field(None, description="The enterprise's project this achievement ends.")


class QuotasIn(Schema):
    quotas: dict[int, int] = Field(..., description="Union id → quota (0 takes the union out).")


class ReasonIn(Schema):
    reason: str


class PinIn(Schema):
    expert_id: Id
    reason: str


class ReviewIdsIn(Schema):
    achievement_ids: list[Id]


class AwardsIn(Schema):
    awards: dict[int, Award] = Field(..., description="Achievement id → award (0 none, 1–3 first to third).")
    reason: str


class PublishIn(Schema):
    working_days: int = Field(5, ge=1, le=30)


class BlindReviewOut(Schema):
    """What an expert sees: the achievement's number, title and texts — no names, no units. For an achievement
    recommended from a lower call (whose results are public with its authors), `title` is the name given for its
    reviewers, never the published title."""

    id: int
    call_id: int
    call_title: str
    review_until: datetime.date
    round: int
    state: str
    number: str
    title: str
    field: str
    summary: str
    innovations: str
    benefit: Decimal
    criteria: list[CriterionOut]
    scores: dict[str, str]
    total: Decimal | None
    comment: str


class ScoreIn(Schema):
    scores: dict[str, str] = Field(..., description="Criterion key → score (0 … the criterion's most, steps of 0.5).")
    comment: str


class DeclareIn(Schema):
    reason: str


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _call_out(c: Call) -> dict[str, Any]:
    return {**{f: getattr(c, f) for f in ("id", "title", "level", "year", "state", "org", "submit_until",
                                           "review_until", "per_achievement", "award_mode", "national_quota",
                                           "recommend_to_id", "materials")},
            "state_label": str(c.get_state_display()), "fields": c.fields_taken,
            "criteria": [{"key": x.key, "label": x.label, "max": x.max} for x in c.criteria_list],
            "award_levels": c.levels}


def _call(request: HttpRequest, pk: int) -> Call:
    found = reads.calls_for(_actor(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _achievement(request: HttpRequest, pk: int) -> Achievement:
    found = Achievement.objects.for_user(_actor(request), "view").select_related("call__org", "enterprise").filter(
        pk=pk).first()
    if found is None:
        raise Http404
    return found


def _achievement_out(a: Achievement) -> dict[str, Any]:
    return {**{f: getattr(a, f) for f in ("id", "number", "call_id", "title", "field", "enterprise", "benefit",
                                           "state", "return_reason", "round", "score", "spread", "disputed", "rank",
                                           "award", "national", "project_id", "source_id", "blind_title")},
            "authors": [{"person_id": x.person_id, "name": x.person.name} for x in a.authors.all()]}


@router.get("/innovation/calls", response={200: list[CallOut], **ERRORS}, summary="Achievement calls")
@paginate(Pagination)
def list_calls(request: HttpRequest) -> Any:
    """The calls of the unions in your scope, and those organised above you that are open or past."""
    return Listing(reads.calls_for(_actor(request)), render=_call_out)


@router.get("/innovation/calls/{call_id}", response={200: CallDetailOut, **ERRORS}, summary="One call")
def get_call(request: HttpRequest, call_id: int) -> Any:
    c = _call(request, call_id)
    board = None
    if c.can_change(_actor(request)):
        b = reads.board(c)
        board = {**{f: getattr(b, f) for f in ("submitted", "returned", "assigned", "reviewed", "abstained",
                                                "disputed")},
                 "quotas": [{"org": q.org, "quota": q.quota, "used": used} for q, used in b.quotas]}
    return {**_call_out(c), "board": board}


@router.get("/innovation/calls/{call_id}/achievements", response={200: list[AchievementOut], **ERRORS},
            summary="A call's achievements (the organiser all, a lower union its own)")
@paginate(Pagination)
def list_achievements(request: HttpRequest, call_id: int) -> Any:
    c = _call(request, call_id)
    return Listing(reads.entries(c, _actor(request)), render=_achievement_out)


@router.get("/innovation/achievements/{achievement_id}", response={200: AchievementOut, **ERRORS},
            summary="One achievement")
def get_achievement(request: HttpRequest, achievement_id: int) -> Any:
    return _achievement_out(_achievement(request, achievement_id))


@router.post("/innovation/calls/{call_id}/achievements", response={201: AchievementOut, **ERRORS},
             summary="Submit an achievement of an enterprise of your scope")
def submit_achievement(request: HttpRequest, call_id: int, payload: AchievementIn) -> Any:
    """Once per call, before its deadline, within the quota of the union it comes through (400, field `title`
    code `duplicate`; field `enterprise` code `over_quota`)."""
    user = _actor(request)
    c = _call(request, call_id)
    enterprise = one(Org.objects.for_user(user, "view"), payload.enterprise_id, "enterprise_id")
    people = Person.objects.for_user(user, "view")
    authors = [one(people, pk, "author_ids") for pk in payload.author_ids]
    project = one(Project.objects.for_user(user, "view"), payload.project_id, "project_id") \
        if payload.project_id else None
    a = services.submit_achievement(actor=user, call=c, enterprise=enterprise, title=payload.title,
                                    field=payload.field.value, summary=payload.summary,
                                    innovations=payload.innovations, authors=authors, benefit=payload.benefit,
                                    project=project)
    return Status(201, _achievement_out(_achievement(request, a.pk)))


@router.put("/innovation/calls/{call_id}/quotas", response={200: CallDetailOut, **ERRORS},
            summary="The quotas of the unions below")
def set_quotas(request: HttpRequest, call_id: int, payload: QuotasIn) -> Any:
    c = _call(request, call_id)
    orgs = {o.pk: o for o in Org.objects.filter(pk__in=list(payload.quotas))}
    if len(orgs) != len(payload.quotas):
        raise Http404
    services.set_quotas(actor=_actor(request), call=c, quotas={orgs[k]: v for k, v in payload.quotas.items()})
    return get_call(request, call_id)


def _step(request: HttpRequest, call_id: int, do: Any) -> Any:
    c = _call(request, call_id)
    do(c)
    return get_call(request, call_id)


@router.post("/innovation/calls/{call_id}/open", response={200: CallDetailOut, **ERRORS}, summary="Open a draft call")
def open_call(request: HttpRequest, call_id: int) -> Any:
    return _step(request, call_id, lambda c: services.open_call(actor=_actor(request), call=c))


@router.post("/innovation/calls/{call_id}/assign", response={200: dict[str, Any], **ERRORS},
             summary="Close submissions and assign the experts (again)")
def assign(request: HttpRequest, call_id: int) -> Any:
    """Returns how many reviews the call has, and the achievements left short with the reason."""
    result = services.assign_reviewers(actor=_actor(request), call=_call(request, call_id))
    return {"pairs": len(result.pairs), "shortfalls": [
        {"achievement_id": s.achievement_id, "assigned": s.assigned, "needed": s.needed, "reason": s.code,
         "message": s.message} for s in result.shortfalls]}


@router.post("/innovation/achievements/{achievement_id}/pin", response={201: dict[str, int], **ERRORS},
             summary="Assign an expert by hand, with the reason")
def pin(request: HttpRequest, achievement_id: int, payload: PinIn) -> Any:
    a = _achievement(request, achievement_id)
    expert = one(Expert.objects.filter(pk__in=reads.pool(a.call).values("pk")), payload.expert_id, "expert_id")
    r = services.pin_reviewer(actor=_actor(request), achievement=a, expert=expert, reason=payload.reason)
    return Status(201, {"review_id": r.pk})


@router.post("/innovation/achievements/{achievement_id}/return", response={200: AchievementOut, **ERRORS},
             summary="Return an achievement as not eligible, with the reason")
def return_achievement(request: HttpRequest, achievement_id: int, payload: ReasonIn) -> Any:
    a = services.return_achievement(actor=_actor(request), achievement=_achievement(request, achievement_id),
                                    reason=payload.reason)
    return _achievement_out(_achievement(request, a.pk))


@router.post("/innovation/calls/{call_id}/second-round", response={200: dict[str, int], **ERRORS},
             summary="Open a second round for disputed achievements")
def second_round(request: HttpRequest, call_id: int, payload: ReviewIdsIn) -> Any:
    c = _call(request, call_id)
    chosen = list(Achievement.objects.filter(call=c, pk__in=payload.achievement_ids))
    return {"reviews": services.start_second_round(actor=_actor(request), call=c, achievements=chosen)}


@router.post("/innovation/calls/{call_id}/rank", response={200: CallDetailOut, **ERRORS},
             summary="Rank the call and propose the awards")
def rank(request: HttpRequest, call_id: int) -> Any:
    return _step(request, call_id, lambda c: services.rank_call(actor=_actor(request), call=c))


@router.put("/innovation/calls/{call_id}/awards", response={200: dict[str, int], **ERRORS},
            summary="Change awards in bulk, with one reason")
def awards(request: HttpRequest, call_id: int, payload: AwardsIn) -> Any:
    n = services.set_awards(actor=_actor(request), call=_call(request, call_id),
                            awards={k: int(v) for k, v in payload.awards.items()}, reason=payload.reason)
    return {"changed": n}


@router.post("/innovation/calls/{call_id}/publish", response={200: CallDetailOut, **ERRORS},
             summary="Put the results on public notice")
def publish(request: HttpRequest, call_id: int, payload: PublishIn) -> Any:
    return _step(request, call_id, lambda c: services.publish_results(actor=_actor(request), call=c,
                                                                      working_days=payload.working_days))


@router.post("/innovation/calls/{call_id}/final", response={200: CallDetailOut, **ERRORS},
             summary="Make the results final (certificates issued)")
def finalise(request: HttpRequest, call_id: int) -> Any:
    return _step(request, call_id, lambda c: services.finalise_call(actor=_actor(request), call=c))


@router.get("/innovation/calls/{call_id}/results", response={200: list[AchievementOut], **ERRORS},
            summary="The ranked results (prize-winners only for a lower union, once published)")
def results(request: HttpRequest, call_id: int) -> Any:
    c = _call(request, call_id)
    organiser = c.can_change(_actor(request))
    if not organiser and c.state not in (CallState.NOTICE, CallState.FINAL):
        raise Http404
    qs = reads.entries(c, _actor(request)).filter(state=AchievementState.SUBMITTED, rank__isnull=False)
    if not organiser:
        qs = qs.filter(award__gt=0)
    return [_achievement_out(a) for a in qs.order_by("rank", "id")]


class ReviewTitleIn(Schema):
    review_title: str = Field(..., max_length=120, description="What the experts read instead of the title.")


@router.put("/innovation/achievements/{achievement_id}/review-title", response={200: AchievementOut, **ERRORS},
            summary="Name a recommended achievement for its blind reviewers (the submitting union)")
def review_title(request: HttpRequest, achievement_id: int, payload: ReviewTitleIn) -> Any:
    """Only a copy recommended from a lower call (400 `not_recommended`), before the call is ranked; a name holding
    the published title, an author's or the enterprise's name is a 400 `gives_away`."""
    services.set_review_title(actor=_actor(request), achievement=_achievement(request, achievement_id),
                              review_title=payload.review_title)
    return _achievement_out(_achievement(request, achievement_id))


@router.post("/innovation/achievements/{achievement_id}/recommend", response={200: AchievementOut, **ERRORS},
             summary="Recommend a prize-winner to the next level")
def recommend(request: HttpRequest, achievement_id: int) -> Any:
    """From a city call: into its provincial call (the new entry is returned). From a provincial call: to the
    national federation (recorded on the achievement)."""
    a = services.recommend_achievement(actor=_actor(request), achievement=_achievement(request, achievement_id))
    return _achievement_out(_achievement(request, a.pk))


# ---------------------------------------------------------------------------------------------
# The experts' blind reviews


def _blind(r: Review) -> dict[str, Any]:
    a, c = r.achievement, r.call
    return {"id": r.pk, "call_id": c.pk, "call_title": c.title, "review_until": c.review_until, "round": r.round,
            "state": r.state, "number": a.number, "title": a.blind_title, "field": a.field, "summary": a.summary,
            "innovations": a.innovations, "benefit": a.benefit,
            "criteria": [{"key": x.key, "label": x.label, "max": x.max} for x in c.criteria_list],
            "scores": r.scores, "total": r.total, "comment": r.comment}


def _my_review(request: HttpRequest, pk: int) -> Review:
    found = reads.my_reviews(_actor(request)).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@router.get("/innovation/my-reviews", response={200: list[BlindReviewOut], **ERRORS},
            summary="The achievements assigned to me for review (blind)")
def my_reviews(request: HttpRequest) -> Any:
    return [_blind(r) for r in reads.my_reviews(_actor(request))]


@router.get("/innovation/my-reviews/{review_id}", response={200: BlindReviewOut, **ERRORS}, summary="One review")
def get_review(request: HttpRequest, review_id: int) -> Any:
    return _blind(_my_review(request, review_id))


@router.post("/innovation/my-reviews/{review_id}", response={200: BlindReviewOut, **ERRORS},
             summary="Submit my scores and opinion")
def submit_review(request: HttpRequest, review_id: int, payload: ScoreIn) -> Any:
    """Every criterion within its range (400 naming `score_<key>` for each wrong one), before the deadline."""
    r = services.submit_review(actor=_actor(request), review=_my_review(request, review_id), scores=payload.scores,
                               comment=payload.comment)
    return _blind(_my_review(request, r.pk))


@router.post("/innovation/my-reviews/{review_id}/declare", response={200: dict[str, int], **ERRORS},
             summary="Declare a conflict of interest with this achievement (abstain)")
def declare(request: HttpRequest, review_id: int, payload: DeclareIn) -> Any:
    r = _my_review(request, review_id)
    d = services.declare_conflict(actor=_actor(request), call=r.call, achievement=r.achievement,
                                  reason=payload.reason)
    return {"declaration_id": d.pk}
