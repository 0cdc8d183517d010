"""The assessments' endpoints (mounted by gongjiang/api.py from AssessmentsConfig.api_router): rubrics, campaigns
with their completeness and ranking, sheets with their items and scores, the self-assessment (answers, submission)
and the review item by item (accept, adjust, return, confirm), ranking, publication, appeals. Same verbs and scopes
as the pages: out of scope is a 404; a refusal is a 400 naming its field(s) in Chinese (code `bad_rubric`,
`locked`, `no_reason`, `not_assessing`, `incomplete`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.orgs.models import Org
from gongjiang.orgs.schemas import OrgRef

from .. import queries, services
from ..choices import Outcome, Review
from ..models import Appeal, Campaign, Rubric, Sheet

router = Router(tags=["assessments"])


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class RubricOut(Schema):
    id: int
    org: OrgRef
    title: str
    version: int
    previous_id: int | None
    maximum: Decimal
    frozen: bool
    definition: dict[str, Any]


class RubricIn(Schema):
    org_id: Id = Field(..., description="The owning union.")
    title: str = Field(..., max_length=120)
    definition: dict[str, Any] = Field(..., description="The rubric's items, maximum, base, bonus cap and grades "
                                                        "(docs/assessments.md).")


class RubricChangeIn(Schema):
    title: str = Field("", max_length=120)
    definition: dict[str, Any]


class CampaignOut(Schema):
    id: int
    title: str
    year: int
    org: OrgRef
    rubric_id: int
    state: str
    self_until: datetime.date | None
    sheets: int
    submitted: int
    confirmed: int


class CampaignIn(Schema):
    rubric_id: Id
    org_id: Id = Field(..., description="The assessing union.")
    year: int
    title: str = Field(..., max_length=120)
    assessed_ids: list[Id] = Field(..., description="The unions assessed (below the assessing union).")
    self_until: datetime.date | None = None


class SheetOut(Schema):
    id: int
    campaign_id: int
    org: OrgRef
    state: str
    total: Decimal
    regular: Decimal
    deducted: Decimal
    bonus: Decimal
    vetoed: bool
    grade: str | None = Field(description="excellent, good, pass, fail once ranked.")
    stars: int
    stars_until: datetime.date | None
    rank: int | None


class ItemOut(Schema):
    key: str
    title: str
    mode: str
    depth: int
    maximum: str
    points: Decimal | None
    metric: str | None
    value: Any
    note: str
    provenance: dict[str, Any]
    review: str | None
    reviewed: Any
    review_reason: str
    evidence: list[str]


class SheetDetailOut(SheetOut):
    items: list[ItemOut]


class AnswerIn(Schema):
    value: Any = Field(None, description="A level's name, yes/no, or a number, by the item's mode.")
    note: str = ""


class AnswersIn(Schema):
    answers: dict[str, AnswerIn] = Field(..., description="{item key: answer}")


class ReviewIn(Schema):
    decision: Review
    value: Any = None
    reason: str = ""


class AppealIn(Schema):
    reason: str


class AppealOut(Schema):
    id: int
    sheet_id: int
    reason: str
    outcome: str
    reply: str
    total_before: Decimal | None
    total_after: Decimal | None


class DecisionIn(Schema):
    outcome: Outcome
    reply: str
    adjustments: dict[str, Any] = {}


def _campaign_out(c: Campaign) -> dict[str, Any]:
    states = list(c.sheets.values_list("state", flat=True))
    return {"id": c.pk, "title": c.title, "year": c.year, "org": c.org, "rubric_id": c.rubric_id, "state": c.state,
            "self_until": c.self_until, "sheets": len(states),
            "submitted": sum(1 for s in states if s in ("submitted", "confirmed")),
            "confirmed": sum(1 for s in states if s == "confirmed")}


def _sheet_out(s: Sheet, user: Any) -> dict[str, Any]:
    out = {f: getattr(s, f) for f in ("id", "campaign_id", "org", "state", "total", "regular", "deducted", "bonus",
                                      "vetoed", "stars", "stars_until", "rank")}
    out["grade"] = s.grade or None
    if s.campaign.state != "published" and not s.campaign.assesses(user, "view"):
        out.update(grade=None, rank=None, stars=0, stars_until=None)  # not out yet for the assessed union
    return out


def _sheet(request: HttpRequest, pk: int, action: str = "view") -> Sheet:
    return one(Sheet.objects.for_user(_actor(request), action).select_related("campaign__rubric", "campaign__org",
                                                                               "org"), pk)


@router.get("/assessments/rubrics", response={200: list[RubricOut], **ERRORS}, summary="Rubrics")
@paginate(Pagination)
def list_rubrics(request: HttpRequest) -> Any:
    """The rubrics of your unions and of the unions above them."""
    return Listing(Rubric.objects.for_user(_actor(request)).select_related("org"))


@router.post("/assessments/rubrics", response={201: RubricOut, **ERRORS}, summary="Define a rubric")
def define_rubric(request: HttpRequest, payload: RubricIn) -> Any:
    """Every problem of the definition is listed at once (code `bad_rubric`, field `definition`)."""
    user = _actor(request)
    org = one(Org.objects.for_user(user, "view"), payload.org_id, "org_id")
    return Status(201, services.define_rubric(actor=user, org=org, title=payload.title,
                                              definition=payload.definition))


@router.get("/assessments/rubrics/{rubric_id}", response={200: RubricOut, **ERRORS}, summary="One rubric")
def get_rubric(request: HttpRequest, rubric_id: int) -> Any:
    return one(Rubric.objects.for_user(_actor(request)).select_related("org"), rubric_id)


@router.put("/assessments/rubrics/{rubric_id}", response={200: RubricOut, **ERRORS}, summary="Revise a rubric")
def revise_rubric(request: HttpRequest, rubric_id: int, payload: RubricChangeIn) -> Any:
    """In place while no assessment used it; otherwise the answer is its next version."""
    rubric = one(Rubric.objects.for_user(_actor(request)), rubric_id)
    return services.revise_rubric(actor=_actor(request), rubric=rubric, definition=payload.definition,
                                  title=payload.title)


@router.get("/assessments/campaigns", response={200: list[CampaignOut], **ERRORS}, summary="Assessments")
@paginate(Pagination)
def list_campaigns(request: HttpRequest) -> Any:
    """The assessments your unions run, and those assessing your unions."""
    return Listing(queries.campaigns_for(_actor(request)), render=_campaign_out)


@router.post("/assessments/campaigns", response={201: CampaignOut, **ERRORS}, summary="Open an assessment")
def open_campaign(request: HttpRequest, payload: CampaignIn) -> Any:
    user = _actor(request)
    orgs = Org.objects.for_user(user, "view")
    rubric = one(Rubric.objects.for_user(user), payload.rubric_id, "rubric_id")
    org = one(orgs, payload.org_id, "org_id")
    assessed = [one(orgs, pk, "assessed_ids") for pk in payload.assessed_ids]
    c = services.open_campaign(actor=user, rubric=rubric, org=org, year=payload.year, title=payload.title,
                               assessed=assessed, self_until=payload.self_until)
    return Status(201, _campaign_out(c))


@router.get("/assessments/campaigns/{campaign_id}", response={200: CampaignOut, **ERRORS}, summary="One assessment")
def get_campaign(request: HttpRequest, campaign_id: int) -> Any:
    return _campaign_out(one(queries.campaigns_for(_actor(request)), campaign_id))


@router.get("/assessments/campaigns/{campaign_id}/sheets", response={200: list[SheetOut], **ERRORS},
            summary="The sheets of an assessment you may see (ranked once published)")
def campaign_sheets(request: HttpRequest, campaign_id: int) -> Any:
    user = _actor(request)
    c = one(queries.campaigns_for(user), campaign_id)
    return [_sheet_out(s, user) for s in queries.overview(c, user).sheets]


@router.post("/assessments/campaigns/{campaign_id}/figures", response={200: dict[str, int], **ERRORS},
             summary="Read the figures again from the platform")
def refresh_figures(request: HttpRequest, campaign_id: int) -> Any:
    c = one(queries.campaigns_for(_actor(request)), campaign_id)
    return {"answers": services.refresh_figures(actor=_actor(request), campaign=c)}


@router.post("/assessments/campaigns/{campaign_id}/rank", response={200: CampaignOut, **ERRORS},
             summary="Rank and grade (every sheet confirmed)")
def rank_campaign(request: HttpRequest, campaign_id: int) -> Any:
    c = one(queries.campaigns_for(_actor(request)), campaign_id)
    return _campaign_out(services.rank_campaign(actor=_actor(request), campaign=c))


@router.post("/assessments/campaigns/{campaign_id}/publish", response={200: CampaignOut, **ERRORS},
             summary="Publish the results")
def publish_campaign(request: HttpRequest, campaign_id: int) -> Any:
    c = one(queries.campaigns_for(_actor(request)), campaign_id)
    return _campaign_out(services.publish_campaign(actor=_actor(request), campaign=c))


@router.get("/assessments/sheets/{sheet_id}", response={200: SheetDetailOut, **ERRORS},
            summary="One sheet with its items, answers, sources and points")
def get_sheet(request: HttpRequest, sheet_id: int) -> Any:
    user = _actor(request)
    s = _sheet(request, sheet_id)
    return {**_sheet_out(s, user), "items": [queries.item_payload(r) for r in queries.rows(s)]}


@router.put("/assessments/sheets/{sheet_id}/answers", response={200: SheetOut, **ERRORS},
            summary="Answer items of your union's self-assessment")
def save_answers(request: HttpRequest, sheet_id: int, payload: AnswersIn) -> Any:
    """Every answer is checked before any is saved (fields `item_<key>`)."""
    user = _actor(request)
    s = _sheet(request, sheet_id)
    answers = {k: a.dict() for k, a in payload.answers.items()}
    return _sheet_out(services.save_answers(actor=user, sheet=s, answers=answers), user)


@router.post("/assessments/sheets/{sheet_id}/submit", response={200: SheetOut, **ERRORS},
             summary="Submit the self-assessment")
def submit_sheet(request: HttpRequest, sheet_id: int) -> Any:
    user = _actor(request)
    return _sheet_out(services.submit_sheet(actor=user, sheet=_sheet(request, sheet_id)), user)


@router.post("/assessments/sheets/{sheet_id}/items/{item}/review", response={200: ItemOut, **ERRORS},
             summary="Review one item (the assessing union)")
def review_item(request: HttpRequest, sheet_id: int, item: str, payload: ReviewIn) -> Any:
    user = _actor(request)
    s = _sheet(request, sheet_id)
    services.review_item(actor=user, sheet=s, item=item, decision=payload.decision.value, value=payload.value,
                         reason=payload.reason)
    return next(queries.item_payload(r) for r in queries.rows(s) if r.item.key == item)


@router.post("/assessments/sheets/{sheet_id}/return", response={200: SheetOut, **ERRORS},
             summary="Return the sheet for correction")
def return_sheet(request: HttpRequest, sheet_id: int) -> Any:
    user = _actor(request)
    return _sheet_out(services.return_sheet(actor=user, sheet=_sheet(request, sheet_id)), user)


@router.post("/assessments/sheets/{sheet_id}/confirm", response={200: SheetOut, **ERRORS},
             summary="Confirm the reviewed sheet")
def confirm_sheet(request: HttpRequest, sheet_id: int) -> Any:
    user = _actor(request)
    return _sheet_out(services.confirm_sheet(actor=user, sheet=_sheet(request, sheet_id)), user)


@router.post("/assessments/sheets/{sheet_id}/appeals", response={201: AppealOut, **ERRORS},
             summary="Appeal against a published result")
def file_appeal(request: HttpRequest, sheet_id: int, payload: AppealIn) -> Any:
    return Status(201, services.file_appeal(actor=_actor(request), sheet=_sheet(request, sheet_id),
                                            reason=payload.reason))


@router.post("/assessments/appeals/{appeal_id}/decision", response={200: AppealOut, **ERRORS},
             summary="Record an appeal's outcome")
def decide_appeal(request: HttpRequest, appeal_id: int, payload: DecisionIn) -> Any:
    appeal = one(Appeal.objects.for_user(_actor(request)), appeal_id)
    return services.decide_appeal(actor=_actor(request), appeal=appeal, outcome=payload.outcome.value,
                                  reply=payload.reply, adjustments=payload.adjustments)
