"""The review panels' endpoints (mounted into the honours router): a level's cadres list, set up and close a
campaign's panels and put members on them; a member reads their nominations and scores, votes or declares a
conflict; the cadres and the chair read the results. Same verbs and scopes as the pages: out of scope is a 404; a
refusal is a 400 naming its field (a criterion's key for a score), a member with a conflict a 403 (code
`conflict`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, one
from gongjiang.orgs.schemas import OrgRef

from .. import queries, services
from ..models import Allocation, Panel, PanelMember, PanelMode, VoteChoice
from ..queries import panels as reads
from . import _actor  # the package's (defined before it mounts this module)

router = Router(tags=["honours"])


class CriterionIO(Schema):
    key: str = ""
    name: str = Field(..., max_length=40)
    weight: int
    max: int = Field(..., description="The most points a member may give on this criterion.")


class PanelOut(Schema):
    id: int
    campaign_id: int
    level: OrgRef
    name: str
    mode: str
    criteria: list[CriterionIO]
    is_open: bool
    members: list[dict[str, Any]]


class PanelIn(Schema):
    allocation_id: Id = Field(..., description="The level: the allocation of your union in the campaign.")
    name: str = Field(..., max_length=80)
    mode: PanelMode
    criteria: list[CriterionIO] = Field([], description="A scoring panel's criteria; the weights add up to 100.")


class MemberIn(Schema):
    user_id: Id = Field(..., description="An account of the level's union or of a union below it.")
    chair: bool = False


class AssignmentOut(Schema):
    nomination_id: int
    nominee: str
    unit: OrgRef
    deeds: str
    conflict: str | None
    points: dict[str, int] | None
    total: Decimal | None
    vote: str | None
    files: list[dict[str, Any]]  # the materials (none when conflicted): id, name, kind, size, url (the download)


class ScoreIn(Schema):
    points: dict[str, Any] = Field(..., description="Whole points per criterion key, 0 to its maximum.")


class VoteIn(Schema):
    choice: VoteChoice


class ConflictIn(Schema):
    reason: str = Field(..., max_length=200)


class ResultRowOut(Schema):
    nomination_id: int
    nominee: str
    unit: OrgRef
    rank: int | None = None
    result: Decimal | None = None
    scored_by: int = 0
    trimmed: bool = False
    criterion_means: dict[str, Decimal | None] = {}
    yes: int | None = None
    no: int | None = None
    abstain: int | None = None
    entitled: int | None = None
    quorum: bool | None = None
    passed: bool | None = None
    conflicted: int


class ResultsOut(Schema):
    panel: PanelOut
    rows: list[ResultRowOut]
    conflicts: list[dict[str, Any]]


def _panel_out(p: Panel) -> dict[str, Any]:
    return {"id": p.pk, "campaign_id": p.campaign_id, "level": p.allocation.org, "name": p.name, "mode": p.mode,
            "criteria": p.criteria, "is_open": p.is_open,
            "members": [{"id": m.pk, "user_id": m.user_id, "name": str(m.user), "chair": m.is_chair}
                        for m in p.members.all()]}


def _managed(request: HttpRequest, panel_id: int) -> Panel:
    found = reads.managed_panel(_actor(request), panel_id)
    if found is None:
        raise Http404
    return found


def _seat(request: HttpRequest, panel_id: int) -> PanelMember:
    found = reads.membership(_actor(request), panel_id)
    if found is None:
        raise Http404
    return found


@router.get("/honours/campaigns/{campaign_id}/panels", response={200: list[PanelOut], **ERRORS},
            summary="A campaign's review panels")
def list_panels(request: HttpRequest, campaign_id: int) -> Any:
    """The panels of the levels in your scope, and those you sit on."""
    user = _actor(request)
    campaign = queries.campaigns_for(user).filter(pk=campaign_id).first()
    if campaign is not None:
        panels = reads.panels_for(user, campaign)
    else:  # a member who is no cadre: only the panels they sit on
        panels = list(Panel.objects.filter(campaign_id=campaign_id, members__user_id=user.pk)
                      .select_related("allocation__org"))
        if not panels:
            raise Http404
    prefetch_related_objects(panels, "members__user")
    return [_panel_out(p) for p in panels]


@router.post("/honours/campaigns/{campaign_id}/panels", response={201: PanelOut, **ERRORS},
             summary="Set up a review panel")
def create_panel(request: HttpRequest, campaign_id: int, payload: PanelIn) -> Any:
    """By the level's cadres; the criteria's problems (weights not adding up to 100, a maximum of 0…) all at once."""
    user = _actor(request)
    campaign = queries.campaigns_for(user).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    allocation = one(Allocation.objects.for_user(user, "view").filter(campaign=campaign), payload.allocation_id,
                     "allocation_id")
    p = services.create_panel(actor=user, campaign=campaign, allocation=allocation, name=payload.name,
                              mode=payload.mode.value, criteria=[c.dict() for c in payload.criteria])
    return Status(201, _panel_out(p))


@router.get("/honours/panels/{panel_id}", response={200: PanelOut, **ERRORS}, summary="One review panel")
def get_panel(request: HttpRequest, panel_id: int) -> Any:
    found = reads.managed_panel(_actor(request), panel_id)
    return _panel_out(found if found is not None else _seat(request, panel_id).panel)


@router.post("/honours/panels/{panel_id}/members", response={201: PanelOut, **ERRORS},
             summary="Put a member on a panel")
def add_member(request: HttpRequest, panel_id: int, payload: MemberIn) -> Any:
    p = _managed(request, panel_id)
    account = one(reads.appointable_users(p.allocation.org), payload.user_id, "user_id")
    services.add_panel_member(actor=_actor(request), panel=p, user=account, chair=payload.chair)
    return Status(201, _panel_out(p))


@router.delete("/honours/panels/{panel_id}/members/{member_id}", response={200: PanelOut, **ERRORS},
               summary="Take a member off a panel (their scores and votes are dropped)")
def remove_member(request: HttpRequest, panel_id: int, member_id: int) -> Any:
    p = _managed(request, panel_id)
    member = one(PanelMember.objects.filter(panel=p), member_id)
    services.remove_panel_member(actor=_actor(request), member=member)
    return _panel_out(p)


@router.post("/honours/panels/{panel_id}/close", response={200: PanelOut, **ERRORS}, summary="Close a panel")
def close(request: HttpRequest, panel_id: int) -> Any:
    p = _managed(request, panel_id)
    return _panel_out(services.close_panel(actor=_actor(request), panel=p))


def _assignment_out(a: reads.Assignment, panel_id: int) -> dict[str, Any]:
    n = a.nomination
    files = [] if a.conflict else [
        {"id": f.pk, "name": f.name, "kind": f.kind, "size": f.size,
         "url": reverse("honours:panel_file", args=[panel_id, n.pk, f.pk])} for f in n.files.all()]
    return {"nomination_id": n.pk, "nominee": n.name, "unit": n.unit, "deeds": "" if a.conflict else n.deeds,
            "conflict": a.conflict, "points": a.points, "total": a.total, "vote": a.vote, "files": files}


@router.get("/honours/panels/{panel_id}/assignments", response={200: list[AssignmentOut], **ERRORS},
            summary="A member's nominations")
def assignments(request: HttpRequest, panel_id: int) -> Any:
    """Every nomination of the panel with your conflict (then no deeds), your points or vote."""
    return [_assignment_out(a, panel_id) for a in reads.assignments(_seat(request, panel_id))]


def _assignment(seat: PanelMember, nomination_id: int) -> dict[str, Any]:
    row = next((a for a in reads.assignments(seat) if a.nomination.pk == nomination_id), None)
    if row is None:
        raise Http404
    return _assignment_out(row, seat.panel_id)


def _nomination(seat: PanelMember, nomination_id: int) -> Any:
    return one(reads.panel_nominations(seat.panel), nomination_id)


@router.put("/honours/panels/{panel_id}/nominations/{nomination_id}/score", response={200: AssignmentOut, **ERRORS},
            summary="Score a nomination")
def score(request: HttpRequest, panel_id: int, nomination_id: int, payload: ScoreIn) -> Any:
    """Whole points per criterion key; every problem at once, each on its criterion's key."""
    seat = _seat(request, panel_id)
    services.score_in_panel(actor=_actor(request), panel=seat.panel, nomination=_nomination(seat, nomination_id),
                            points=payload.points)
    return _assignment(seat, nomination_id)


@router.put("/honours/panels/{panel_id}/nominations/{nomination_id}/vote", response={200: AssignmentOut, **ERRORS},
            summary="Vote on a nomination")
def vote(request: HttpRequest, panel_id: int, nomination_id: int, payload: VoteIn) -> Any:
    seat = _seat(request, panel_id)
    services.vote_in_panel(actor=_actor(request), panel=seat.panel, nomination=_nomination(seat, nomination_id),
                           choice=payload.choice.value)
    return _assignment(seat, nomination_id)


@router.post("/honours/panels/{panel_id}/nominations/{nomination_id}/conflict",
             response={201: AssignmentOut, **ERRORS}, summary="Declare a conflict of interest")
def conflict(request: HttpRequest, panel_id: int, nomination_id: int, payload: ConflictIn) -> Any:
    seat = _seat(request, panel_id)
    services.declare_panel_conflict(actor=_actor(request), panel=seat.panel,
                                    nomination=_nomination(seat, nomination_id), reason=payload.reason)
    return Status(201, _assignment(seat, nomination_id))


@router.get("/honours/panels/{panel_id}/results", response={200: ResultsOut, **ERRORS}, summary="A panel's results")
def results(request: HttpRequest, panel_id: int) -> Any:
    """For the level's cadres and the chair: the ranking (scoring) or the tallies (voting), and the conflicts."""
    user = _actor(request)
    p = reads.managed_panel(user, panel_id)
    seat = reads.membership(user, panel_id)
    if p is None and seat is not None and seat.is_chair:
        p = seat.panel
    if p is None or not reads.can_read_results(user, p, seat):
        raise Http404
    res = reads.results(p)
    rows = []
    for r in res.rows:
        row: dict[str, Any] = {"nomination_id": r.nomination.pk, "nominee": r.nomination.name,
                               "unit": r.nomination.unit, "conflicted": r.conflicted}
        if r.result is not None:
            row |= {"rank": r.rank, "result": r.result.mean, "scored_by": r.result.count,
                    "trimmed": r.result.trimmed, "criterion_means": r.means}
        if r.tally is not None:
            row |= {"yes": r.tally.yes, "no": r.tally.no, "abstain": r.tally.abstain, "entitled": r.tally.entitled,
                    "quorum": r.tally.quorum, "passed": r.tally.passed}
        rows.append(row)
    return {"panel": _panel_out(p), "rows": rows, "conflicts": res.conflicts}
