"""The innovation API (mounted under /api/v1 by gongjiang/api.py as `router`). Thin like the views: parse, fetch
through `for_user` (out of scope is a 404), call a verb (which checks the role: not allowed is a 403), answer."""


from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Pagination, one
from gongjiang.orgs.models import Org, User

from .. import queries, services
from ..choices import AttachmentKind, Category, Kind, State
from ..models import Assignment, Proposal
from . import calls, exhibition, projects, techassoc
from .schemas import (
    AcceptIn,
    AdoptIn,
    AssignIn,
    AttachmentOut,
    BenefitIn,
    FiguresOut,
    PaymentOut,
    ProposalDetailOut,
    ProposalFilter,
    ProposalOut,
    ReasonIn,
    RewardIn,
    SimilarOut,
    SubmitIn,
    ValuationIn,
)

router = Router(tags=["innovation"])


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    found = queries.detail(_actor(request), pk)
    if found is None:
        return one(Proposal.objects.none(), pk)  # a 404
    return found


def _detail(request: HttpRequest, p: Proposal) -> dict[str, Any]:
    user = _actor(request)
    benefit = getattr(p, "benefit", None) if hasattr(p, "benefit") else None
    assignments, attachments = list(p.assignments.all()), list(p.attachments.all())
    # whether the asker is the union's (valuations and evidence shown): asked only when there is something to hide
    cadre = bool(assignments or any(a.kind != AttachmentKind.MATERIAL for a in attachments)) and p.can_change(user)
    return {
        **{f: getattr(p, f) for f in ("id", "number", "title", "category", "kind", "state", "year", "unit",
                                       "enterprise", "submitted_at", "score", "grade", "reward", "problem",
                                       "solution", "expected_benefit", "reason", "department")},
        # the labels by the choices' enums (get_FOO_display hashes every label of the field to find one)
        "category_label": str(Category(p.category).label), "kind_label": str(Kind(p.kind).label),
        "state_label": str(State(p.state).label),
        "proposers": [{"name": c.person.name, "share": c.share, "is_lead": c.is_lead} for c in p.contributors.all()],
        "valuations": [{"valuator": str(a.valuator), "active": a.active, "opinion": a.opinion, "score": a.score,
                        "comment": a.comment, "valued_at": a.valued_at} for a in assignments] if cadre else [],
        "benefit": None if benefit is None else {**{f: getattr(benefit, f) for f in (
            "forecast", "forecast_soft", "forecast_locked_at", "gross", "cost", "soft", "signed_off_at")},
            "net": benefit.net},
        "files": [{"id": a.pk, "name": a.name, "kind": a.kind, "size": a.size, "url": a.get_absolute_url()}
                  for a in attachments if cadre or a.kind == AttachmentKind.MATERIAL],
    }


def _answer(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(request, _proposal(request, pk))


@router.get("/innovation/proposals", response={200: list[ProposalOut], **ERRORS}, summary="Proposals")
@paginate(Pagination)
def list_proposals(request: HttpRequest, filters: Query[ProposalFilter]) -> Any:
    """The proposals of your scope (a worker: their own; a valuator: also those assigned), newest first."""
    f = queries.Filters(q=filters.q, state=filters.state.value if filters.state else "",
                        category=filters.category.value if filters.category else "",
                        kind=filters.kind.value if filters.kind else "", year=filters.year, waiting=filters.waiting)
    return queries.union_list(_actor(request), f).order_by("-submitted_at", "-id")


@router.get("/innovation/my-proposals", response={200: list[ProposalOut], **ERRORS}, summary="My proposals")
@paginate(Pagination)
def my_proposals(request: HttpRequest) -> Any:
    return queries.my_proposals(_actor(request)).select_related("unit", "enterprise")


@router.get("/innovation/proposals/{proposal_id}", response={200: ProposalDetailOut, **ERRORS},
            summary="One proposal")
def get_proposal(request: HttpRequest, proposal_id: int) -> Any:
    return _answer(request, proposal_id)


@router.post("/innovation/proposals", response={201: ProposalDetailOut, **ERRORS}, summary="Submit a proposal")
def submit_proposal(request: HttpRequest, payload: SubmitIn) -> Any:
    """A worker's own account submits (files: POST /innovation/proposals/{id}/files)."""
    p = services.submit_proposal(
        actor=_actor(request), title=payload.title, problem=payload.problem, solution=payload.solution,
        category=payload.category.value, kind=payload.kind.value, expected_benefit=payload.expected_benefit,
        co_proposers=[services.CoProposer(c.name, c.share, c.mobile_tail) for c in payload.co_proposers])
    return Status(201, _detail(request, p))  # the verb's proposal carries its proposers: nothing read back


@router.post("/innovation/proposals/{proposal_id}/files", response={201: list[AttachmentOut], **ERRORS},
             summary="Add files (multipart)")
def add_files(request: HttpRequest, proposal_id: int, files: File[list[UploadedFile]],
              kind: Form[str] = AttachmentKind.MATERIAL) -> Any:
    made = services.add_attachments(actor=_actor(request), proposal=_proposal(request, proposal_id),
                                    files=list(files), kind=kind)
    return Status(201, [{"id": a.pk, "name": a.name, "kind": a.kind, "size": a.size, "url": a.get_absolute_url()}
                 for a in made])


@router.post("/innovation/proposals/{proposal_id}/accept", response={200: ProposalDetailOut, **ERRORS},
             summary="Accept (受理)")
def accept(request: HttpRequest, proposal_id: int, payload: AcceptIn) -> Any:
    p = _proposal(request, proposal_id)
    department = None
    if payload.department_id:
        department = one(Org.objects.filter(path__startswith=p.enterprise.path), payload.department_id,
                         "department_id")
    services.accept_proposal(actor=_actor(request), proposal=p, department=department)
    return _answer(request, proposal_id)


@router.post("/innovation/proposals/{proposal_id}/reject", response={200: ProposalDetailOut, **ERRORS},
             summary="Not accepted / not adopted (with a reason)")
def reject(request: HttpRequest, proposal_id: int, payload: ReasonIn) -> Any:
    services.reject_proposal(actor=_actor(request), proposal=_proposal(request, proposal_id), reason=payload.reason)
    return _answer(request, proposal_id)


@router.post("/innovation/assignments", response={201: dict[str, int], **ERRORS},
             summary="Assign valuators to proposals (bulk)")
def assign(request: HttpRequest, payload: AssignIn) -> Any:
    user = _actor(request)
    proposals = list(Proposal.objects.for_user(user, "view").filter(pk__in=payload.proposal_ids))
    if len(proposals) != len(set(payload.proposal_ids)):
        one(Proposal.objects.none(), 1, "proposal_ids")
    valuators = list(User.objects.filter(pk__in=payload.valuator_ids))
    if len(valuators) != len(set(payload.valuator_ids)):
        one(User.objects.none(), 1, "valuator_ids")
    made = services.assign_valuators(actor=user, proposals=proposals, valuators=valuators)
    return Status(201, {"assignments": len(made)})


@router.post("/innovation/proposals/{proposal_id}/valuation", response={200: ProposalDetailOut, **ERRORS},
             summary="Your valuation (assigned valuators)")
def value(request: HttpRequest, proposal_id: int, payload: ValuationIn) -> Any:
    p = _proposal(request, proposal_id)
    assignment = get_object_or_404(Assignment, proposal=p, valuator_id=_actor(request).pk, active=True)
    services.submit_valuation(actor=_actor(request), assignment=assignment, opinion=payload.opinion.value,
                              score=payload.score, comment=payload.comment)
    return _answer(request, proposal_id)


@router.post("/innovation/proposals/{proposal_id}/adopt", response={200: ProposalDetailOut, **ERRORS},
             summary="Adopt (采纳), with the forecast benefit")
def adopt(request: HttpRequest, proposal_id: int, payload: AdoptIn) -> Any:
    services.adopt_proposal(actor=_actor(request), proposal=_proposal(request, proposal_id),
                            forecast=payload.forecast, forecast_soft=payload.forecast_soft, note=payload.note)
    return _answer(request, proposal_id)


@router.post("/innovation/proposals/{proposal_id}/implement", response={200: ProposalDetailOut, **ERRORS},
             summary="Start implementation (实施)")
def implement(request: HttpRequest, proposal_id: int) -> Any:
    services.start_implementation(actor=_actor(request), proposal=_proposal(request, proposal_id))
    return _answer(request, proposal_id)


@router.post("/innovation/proposals/{proposal_id}/benefit", response={200: ProposalDetailOut, **ERRORS},
             summary="Record the actual benefit (evidence uploaded first as files of kind evidence)")
def record_benefit(request: HttpRequest, proposal_id: int, payload: BenefitIn) -> Any:
    services.record_benefit(actor=_actor(request), proposal=_proposal(request, proposal_id), gross=payload.gross,
                            cost=payload.cost, soft=payload.soft)
    return _answer(request, proposal_id)


@router.post("/innovation/proposals/{proposal_id}/sign-off", response={200: ProposalDetailOut, **ERRORS},
             summary="Sign off the benefit (finance officers)")
def sign_off(request: HttpRequest, proposal_id: int) -> Any:
    services.sign_off_benefit(actor=_actor(request), proposal=_proposal(request, proposal_id))
    return _answer(request, proposal_id)


@router.post("/innovation/proposals/{proposal_id}/reward", response={201: list[PaymentOut], **ERRORS},
             summary="Pay the reward")
def reward(request: HttpRequest, proposal_id: int, payload: RewardIn) -> Any:
    rows = services.pay_reward(actor=_actor(request), proposal=_proposal(request, proposal_id),
                               voucher=payload.voucher)
    return Status(201, [{"person": r.person.name, "amount": r.amount, "grade": r.grade, "mode": r.mode} for r in rows])


@router.post("/innovation/proposals/{proposal_id}/archive", response={200: ProposalDetailOut, **ERRORS},
             summary="Archive")
def archive(request: HttpRequest, proposal_id: int) -> Any:
    services.archive_proposal(actor=_actor(request), proposal=_proposal(request, proposal_id))
    return _answer(request, proposal_id)


@router.get("/innovation/similar", response={200: list[SimilarOut], **ERRORS}, summary="Similar proposals")
def similar(request: HttpRequest, title: str, text: str = "", exclude: int | None = None) -> Any:
    """The proposals in your pool most similar to a title and text (a worker's pool: their enterprise's, without
    names)."""
    found = queries.similar(_actor(request), title[:120], text[:2000], exclude=exclude)
    return [{"id": s.pk, "title": s.title, "state": s.state, "state_label": s.state_label, "year": s.year,
             "unit": s.unit, "score": s.score, "openable": bool(s.url)} for s in found]


@router.get("/innovation/figures", response={200: FiguresOut, **ERRORS}, summary="An org's figures for a year")
def figures(request: HttpRequest, org_id: int, year: int) -> Any:
    """Every figure of an org's whole reach for a year, from the fact store (a few queries): proposals, benefit and
    rewards, projects by stage, achievements and prizes, exhibition matches, technical associations."""
    from ..choices import ActivityKind, Stage
    from ..metrics import STAGES

    org = one(Org.objects.for_user(_actor(request), "view"), org_id)
    f = queries.year_figures(org, year)
    stages = list(STAGES)
    return {"org": org, "year": year, "submitted": f.submitted, "adopted": f.adopted,
            "adoption_rate": f.adoption_rate, "accounted": f.accounted, "benefit": f.benefit,
            "benefit_wan": f.benefit_wan, "rewarded": f.rewarded, "rewards": f.rewards, "rewards_wan": f.rewards_wan,
            "projects": [{"stage": s, "label": str(Stage(s).label), "count": n}
                         for s, n in zip(stages, f.project_stages, strict=True)],
            "achievements": f.achievements, "awards_first": f.awards_first, "awards_second": f.awards_second,
            "awards_third": f.awards_third, "matches_signed": f.matches_signed, "signed_value": f.signed_value,
            "signed_value_wan": f.signed_value_wan, "tech_members": f.tech_members, "tech_joined": f.tech_joined,
            "tech_left": f.tech_left, "tech_activities": f.tech_activities,
            "tech_activities_by_kind": [{"kind": k, "label": str(ActivityKind(k).label), "count": n}
                                        for k, n in zip(ActivityKind.values, f.tech_kind_counts, strict=True)],
            "tech_contracts": f.tech_contracts, "tech_contract_value": f.tech_contract_value,
            "tech_contract_value_wan": f.tech_contract_value_wan}


router.add_router("", projects.router)  # the innovation projects' endpoints (api/projects.py)
router.add_router("", calls.router)  # the achievement calls' endpoints (api/calls.py)
router.add_router("", techassoc.router)  # the technical associations' endpoints (api/techassoc.py)
router.add_router("", exhibition.router)  # the 6·18 exhibition's endpoints (api/exhibition.py)

__all__ = ["router"]
