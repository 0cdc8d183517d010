"""The review's endpoints (added to the honours router): a level's review list and its quota, the decisions on a
nomination (forward, return, reject) and the bulk forward, the shortlist's public notice, the outcome of an
objection and the conferral. Same verbs and scopes as the pages: out of scope is a 404; a decision by another level
a 403; a refusal a 400 naming its field (codes `quota`, `wrong_state`, `published`, `notice_running`,
`open_objections`, `conferred`, `refused`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Listing, Pagination, one
from gongjiang.core.models.notices import ObjectionOutcome
from gongjiang.orgs.schemas import OrgRef

from .. import queries, services
from ..choices import NominationState
from ..models import Allocation, Campaign, Nomination
from ..queries import reviews
from ..rules import quotas
from . import _actor, _campaign, _nomination  # the package's look-ups (defined before it mounts this module)

router = Router(tags=["honours"])

Filter = str  # one of queries.reviews.FILTERS


class LevelOut(Schema):
    id: int
    org: OrgRef
    parent_id: int | None
    quota: int
    reserves: dict[str, int]
    nominated: int
    forwarded: int = Field(description="Forwarded to the level above (at the top: shortlisted).")
    forwarded_kinds: dict[str, int] = Field(description="Of them: non_public, front_line, women, leader.")
    shortlisted: int


class ReviewNominationOut(Schema):
    id: int
    name: str
    unit: OrgRef
    counts_under: OrgRef
    state: str
    waiting_at: OrgRef | None = Field(description="The union deciding now (submitted nominations).")
    reason: str


class DecisionIn(Schema):
    reason: str = Field("", max_length=1000)


class BulkForwardIn(Schema):
    nomination_ids: list[Id] = Field(..., max_length=500)


class PublishIn(Schema):
    working_days: int = Field(5, ge=1, le=30)


class NoticeOut(Schema):
    id: int
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    closed: bool
    open_objections: int


class ObjectionDecisionIn(Schema):
    outcome: ObjectionOutcome
    reply: str = Field("", max_length=2000)
    nomination_id: Id | None = Field(None, description="Required when upheld: the shortlisted nomination.")


def _level(request: HttpRequest, campaign: Campaign, allocation_id: int | None) -> Allocation:
    levels = reviews.levels_for(_actor(request), campaign)
    if not levels:
        raise PermissionDenied
    if allocation_id is None:
        return levels[0]
    found = next((a for a in levels if a.pk == allocation_id), None)
    if found is None:
        raise Http404
    return found


def _level_out(a: Allocation) -> dict[str, Any]:
    return {"id": a.pk, "org": a.org, "parent_id": a.parent_id, "quota": a.quota,
            "reserves": {k: getattr(a, f"reserve_{k}") for k in quotas.RESERVES}, "nominated": a.nominated,
            "forwarded": a.forwarded, "forwarded_kinds": {k: getattr(a, f"forwarded_{k}") for k in quotas.KINDS},
            "shortlisted": a.shortlisted}


def _out(n: Nomination) -> dict[str, Any]:
    return {"id": n.pk, "name": n.name, "unit": n.unit, "counts_under": n.allocation.org, "state": n.state,
            "waiting_at": n.at.org if n.at is not None else None, "reason": n.reason}


def _fresh(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _out(Nomination.objects.select_related("unit", "allocation__org", "at__org").get(pk=pk))


@router.get("/honours/campaigns/{campaign_id}/review/level", response={200: LevelOut, **ERRORS},
            summary="The quota of your level and what it has forwarded")
def review_level(request: HttpRequest, campaign_id: int, allocation_id: int | None = None) -> Any:
    """Your union's share of the campaign (the highest you decide for, or `allocation_id`): 403 when your union
    holds none."""
    return _level_out(_level(request, _campaign(request, campaign_id), allocation_id))


@router.get("/honours/campaigns/{campaign_id}/review", response={200: list[ReviewNominationOut], **ERRORS},
            summary="Your level's review list")
@paginate(Pagination)
def review_list(request: HttpRequest, campaign_id: int, allocation_id: int | None = None,
                state: Query[str] = "waiting", child_id: int | None = None) -> Any:
    """`state`: waiting (for your decision), forwarded, returned, rejected or all; `child_id`: only what comes from
    the reach of one share right below yours."""
    level = _level(request, _campaign(request, campaign_id), allocation_id)
    child = one(Allocation.objects.filter(parent=level).select_related("org"), child_id) if child_id else None
    which = state if state in reviews.FILTERS else "waiting"
    return Listing(reviews.review_list(level, which, child), render=_out)


@router.post("/honours/nominations/{nomination_id}/forward", response={200: ReviewNominationOut, **ERRORS},
             summary="Forward a nomination to the level above (at the top: shortlist it)")
def forward(request: HttpRequest, nomination_id: int) -> Any:
    n = _nomination(request, nomination_id)
    services.forward_nomination(actor=_actor(request), nomination=n)
    return _fresh(request, n.pk)


@router.post("/honours/nominations/{nomination_id}/return", response={200: ReviewNominationOut, **ERRORS},
             summary="Return a nomination one step down, with the reason")
def return_(request: HttpRequest, nomination_id: int, payload: DecisionIn) -> Any:
    n = _nomination(request, nomination_id)
    services.return_nomination(actor=_actor(request), nomination=n, reason=payload.reason)
    return _fresh(request, n.pk)


@router.post("/honours/nominations/{nomination_id}/reject", response={200: ReviewNominationOut, **ERRORS},
             summary="Do not recommend a nomination, with the reason")
def reject(request: HttpRequest, nomination_id: int, payload: DecisionIn) -> Any:
    n = _nomination(request, nomination_id)
    services.reject_nomination(actor=_actor(request), nomination=n, reason=payload.reason)
    return _fresh(request, n.pk)


@router.post("/honours/campaigns/{campaign_id}/forward", response={200: list[ReviewNominationOut], **ERRORS},
             summary="Forward several nominations, all or nothing")
def forward_many(request: HttpRequest, campaign_id: int, payload: BulkForwardIn) -> Any:
    c = _campaign(request, campaign_id)
    seen = queries.nominations_for(_actor(request), c).filter(pk__in=payload.nomination_ids)
    found = list(seen)
    if len(found) != len(set(payload.nomination_ids)):
        raise Http404
    done = services.forward_nominations(actor=_actor(request), nominations=found)
    return [_fresh(request, n.pk) for n in done]


@router.post("/honours/campaigns/{campaign_id}/shortlist/notice", response={201: NoticeOut, **ERRORS},
             summary="Put the shortlist on public notice")
def publish(request: HttpRequest, campaign_id: int, payload: PublishIn) -> Any:
    c = _campaign(request, campaign_id)
    notice = services.publish_shortlist(actor=_actor(request), campaign=c, working_days=payload.working_days)
    return Status(201, _notice_out(notice))


def _notice_out(notice: Any) -> dict[str, Any]:
    from gongjiang.core import notices

    return {"id": notice.pk, "title": notice.title, "starts_on": notice.starts_on, "ends_on": notice.ends_on,
            "closed": notice.closed_at is not None, "open_objections": notices.open_objections(notice)}


@router.post("/honours/campaigns/{campaign_id}/shortlist/objections/{objection_id}",
             response={200: NoticeOut, **ERRORS}, summary="Record the outcome of an objection to the shortlist")
def decide_objection(request: HttpRequest, campaign_id: int, objection_id: int, payload: ObjectionDecisionIn) -> Any:
    """Upheld: `nomination_id` names the shortlisted nomination, which is then not conferred."""
    c = _campaign(request, campaign_id)
    if not c.can_change(_actor(request)):
        raise Http404
    notice = reviews.notice(c)
    if notice is None:
        raise Http404
    objection = one(notice.objections.all(), objection_id)
    target = (one(Nomination.objects.filter(campaign=c, state=NominationState.SHORTLISTED),
                  payload.nomination_id, "nomination_id") if payload.nomination_id else None)
    services.decide_shortlist_objection(actor=_actor(request), campaign=c, objection=objection,
                                        outcome=payload.outcome.value, reply=payload.reply, nomination=target)
    return _notice_out(notice)


@router.post("/honours/campaigns/{campaign_id}/confer", response={200: list[ReviewNominationOut], **ERRORS},
             summary="Confer the honours of the shortlist (after the notice)")
def confer(request: HttpRequest, campaign_id: int) -> Any:
    """Refused (400) while the notice runs (`notice_running`) or an objection is open (`open_objections`)."""
    c = _campaign(request, campaign_id)
    done = services.confer_honours(actor=_actor(request), campaign=c)
    return [_fresh(request, n.pk) for n in done]
