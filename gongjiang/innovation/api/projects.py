"""The innovation projects' endpoints (added to the innovation router): the list of your scope, one project, registering
one, a stage decision (the next stage, or "stopped"), and the rest of its page: progress, milestones, members, the
subsidy, spending and files. Same verbs and scopes as the pages: out of scope is a 404, a refusal names its field;
amounts are yuan."""


import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, File, Form, Query, Router, Schema, UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Id, Pagination, one
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.schemas import OrgRef

from .. import queries, services
from ..choices import Holder, ProjectRole, Stage
from ..models import Milestone, Project, ProjectMember, Proposal

router = Router(tags=["innovation projects"])


class ProjectFilter(Schema):
    q: str = Field("", max_length=60, description="Part of the title, or a member's whole name.")
    stage: Stage | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    overdue: bool = Field(False, description="Only projects with a milestone past its due date.")


class ProjectOut(Schema):
    id: int
    number: str
    title: str
    holder: str
    holder_label: str
    studio_name: str
    stage: str
    stage_label: str
    progress: int
    year: int
    org: OrgRef
    enterprise: OrgRef
    proposal_id: int | None
    requested: Decimal
    granted: Decimal | None
    spent: Decimal
    created_at: datetime.datetime

    @staticmethod
    def resolve_holder_label(obj: Any) -> str:
        return obj["holder_label"] if isinstance(obj, dict) else str(obj.get_holder_display())

    @staticmethod
    def resolve_stage_label(obj: Any) -> str:
        return obj["stage_label"] if isinstance(obj, dict) else str(obj.get_stage_display())


class DecisionOut(Schema):
    from_stage: str
    stage: str
    stage_label: str
    reason: str
    decided_by: str
    decided_at: datetime.datetime


class MemberOut(Schema):
    person_id: int
    name: str
    role: str


class MilestoneOut(Schema):
    id: int
    title: str
    due: datetime.date
    done_on: datetime.date | None


class SpendingOut(Schema):
    spent_on: datetime.date
    amount: Decimal
    purpose: str


class FileOut(Schema):
    id: int
    name: str
    stage: str
    size: int
    url: str


class ProjectDetailOut(ProjectOut):
    problem: str
    goal: str
    grant_reason: str
    decisions: list[DecisionOut]
    members: list[MemberOut]
    milestones: list[MilestoneOut]
    spending: list[SpendingOut]
    files: list[FileOut]


class ProjectIn(Schema):
    org_id: Id = Field(..., description="The team, the studio's unit or the enterprise's union holding it.")
    holder: Holder
    title: str = Field(..., max_length=120)
    problem: str
    goal: str = ""
    studio_name: str = Field("", max_length=80)
    leader_id: Id = Field(..., description="A person working in the enterprise.")
    proposal_id: Id | None = Field(None, description="An adopted proposal the project starts from.")
    requested: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2, description="Yuan.")


class ProgressIn(Schema):
    progress: int = Field(..., description="Percent, 0–100.")
    note: str = ""


class MilestoneIn(Schema):
    title: str = Field(..., max_length=120)
    due: datetime.date


class DoneIn(Schema):
    done_on: datetime.date = Field(..., description="Not in the future.")


class MemberIn(Schema):
    role: ProjectRole = Field(..., description="`leader` makes the current leader a core member.")


class FundingIn(Schema):
    requested: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    granted: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2,
                                    description="Null while not decided; more than requested needs a reason.")
    reason: str = ""


class SpendingIn(Schema):
    spent_on: datetime.date
    amount: Decimal = Field(..., gt=0, max_digits=14, decimal_places=2)
    purpose: str = Field(..., max_length=200)


class StageIn(Schema):
    stage: Stage = Field(..., description="The next stage, or `stopped` to close the project.")
    reason: str = ""


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _project(request: HttpRequest, pk: int) -> Project:
    found = queries.project_detail(_actor(request), pk)
    if found is None:
        return one(Project.objects.none(), pk)  # a 404
    return found


def _detail(p: Project) -> dict[str, Any]:
    return {
        **{f: getattr(p, f) for f in ("id", "number", "title", "holder", "studio_name", "stage", "progress", "year",
                                       "org", "enterprise", "proposal_id", "requested", "granted", "spent",
                                       "created_at", "problem", "goal", "grant_reason")},
        "holder_label": str(p.get_holder_display()), "stage_label": str(p.get_stage_display()),
        "decisions": [{"from_stage": d.from_stage, "stage": d.stage, "stage_label": str(d.get_stage_display()),
                       "reason": d.reason, "decided_by": str(d.decided_by or ""), "decided_at": d.decided_at}
                      for d in p.decisions.all()],
        "members": [{"person_id": m.person_id, "name": m.person.name, "role": m.role} for m in p.members.all()],
        "milestones": [{"id": m.pk, "title": m.title, "due": m.due, "done_on": m.done_on} for m in p.milestones.all()],
        "spending": [{"spent_on": s.spent_on, "amount": s.amount, "purpose": s.purpose} for s in p.spendings.all()],
        "files": [{"id": f.pk, "name": f.name, "stage": f.stage, "size": f.size, "url": f.get_absolute_url()}
                  for f in p.files.all()],
    }


@router.get("/innovation/projects", response={200: list[ProjectOut], **ERRORS}, summary="Innovation projects")
@paginate(Pagination)
def list_projects(request: HttpRequest, filters: Query[ProjectFilter]) -> Any:
    """The innovation projects of your scope (a worker: those they are a member of), newest first."""
    f = queries.ProjectFilters(q=filters.q, stage=filters.stage.value if filters.stage else "", year=filters.year,
                               overdue=filters.overdue)
    return queries.project_list(_actor(request), f).order_by("-created_at", "-id")


@router.get("/innovation/projects/{project_id}", response={200: ProjectDetailOut, **ERRORS},
            summary="One innovation project")
def get_project(request: HttpRequest, project_id: int) -> Any:
    return _detail(_project(request, project_id))


@router.post("/innovation/projects", response={201: ProjectDetailOut, **ERRORS},
             summary="Register an innovation project (at 问题查找)")
def create_project(request: HttpRequest, payload: ProjectIn) -> Any:
    user = _actor(request)
    org = one(Org.objects.for_user(user, "view"), payload.org_id, "org_id")
    leader = one(Person.objects.for_user(user, "view"), payload.leader_id, "leader_id")
    proposal = None
    if payload.proposal_id:
        proposal = one(Proposal.objects.for_user(user, "view"), payload.proposal_id, "proposal_id")
    p = services.create_project(actor=user, org=org, holder=payload.holder.value, title=payload.title,
                                problem=payload.problem, goal=payload.goal, studio_name=payload.studio_name,
                                leader=leader, proposal=proposal, requested=payload.requested)
    return Status(201, _detail(_project(request, p.pk)))


@router.post("/innovation/projects/{project_id}/stage", response={200: ProjectDetailOut, **ERRORS},
             summary="Decide the stage (the next one, or stopped), with a reason")
def decide_stage(request: HttpRequest, project_id: int, payload: StageIn) -> Any:
    """One stage at a time: skipping a stage is refused (400, code `stage_skipped`, naming the stages missing)."""
    p = _project(request, project_id)
    if payload.stage == Stage.STOPPED:
        services.stop_project(actor=_actor(request), project=p, reason=payload.reason)
    else:
        services.advance_project(actor=_actor(request), project=p, stage=payload.stage.value, reason=payload.reason)
    return _detail(_project(request, project_id))


@router.put("/innovation/projects/{project_id}/progress", response={200: ProjectDetailOut, **ERRORS},
            summary="Set the progress (percent)")
def set_progress(request: HttpRequest, project_id: int, payload: ProgressIn) -> Any:
    services.set_project_progress(actor=_actor(request), project=_project(request, project_id),
                                  progress=payload.progress, note=payload.note)
    return _detail(_project(request, project_id))


@router.post("/innovation/projects/{project_id}/milestones", response={201: ProjectDetailOut, **ERRORS},
             summary="Plan a milestone")
def add_milestone(request: HttpRequest, project_id: int, payload: MilestoneIn) -> Any:
    services.add_milestone(actor=_actor(request), project=_project(request, project_id), title=payload.title,
                           due=payload.due)
    return Status(201, _detail(_project(request, project_id)))


@router.post("/innovation/projects/{project_id}/milestones/{milestone_id}/done", response={200: ProjectDetailOut,
                                                                                           **ERRORS},
             summary="Mark a milestone done")
def complete_milestone(request: HttpRequest, project_id: int, milestone_id: int, payload: DoneIn) -> Any:
    p = _project(request, project_id)
    milestone = one(Milestone.objects.filter(project=p), milestone_id, "milestone_id")
    services.complete_milestone(actor=_actor(request), milestone=milestone, done_on=payload.done_on)
    return _detail(_project(request, project_id))


@router.put("/innovation/projects/{project_id}/members/{person_id}", response={200: ProjectDetailOut, **ERRORS},
            summary="Put a worker of the enterprise on the project, or change their role")
def set_member(request: HttpRequest, project_id: int, person_id: int, payload: MemberIn) -> Any:
    p = _project(request, project_id)
    person = one(Person.objects.for_user(_actor(request), "view"), person_id, "person_id")
    services.set_project_member(actor=_actor(request), project=p, person=person, role=payload.role.value)
    return _detail(_project(request, project_id))


@router.delete("/innovation/projects/{project_id}/members/{person_id}", response={200: ProjectDetailOut, **ERRORS},
               summary="Take a member off the project (never its leader)")
def remove_member(request: HttpRequest, project_id: int, person_id: int) -> Any:
    p = _project(request, project_id)
    member = ProjectMember.objects.filter(project=p, person_id=person_id).first()
    if member is None:
        raise Http404
    services.remove_project_member(actor=_actor(request), member=member)
    return _detail(_project(request, project_id))


@router.put("/innovation/projects/{project_id}/funding", response={200: ProjectDetailOut, **ERRORS},
            summary="The innovation subsidy requested and granted (yuan)")
def set_funding(request: HttpRequest, project_id: int, payload: FundingIn) -> Any:
    services.set_project_funding(actor=_actor(request), project=_project(request, project_id),
                                 requested=payload.requested, granted=payload.granted, reason=payload.reason)
    return _detail(_project(request, project_id))


@router.post("/innovation/projects/{project_id}/spending", response={201: ProjectDetailOut, **ERRORS},
             summary="Record a spending of the subsidy")
def add_spending(request: HttpRequest, project_id: int, payload: SpendingIn) -> Any:
    """Refused (400) when the total spent would pass what was granted, naming what is left."""
    services.add_spending(actor=_actor(request), project=_project(request, project_id), spent_on=payload.spent_on,
                          amount=payload.amount, purpose=payload.purpose)
    return Status(201, _detail(_project(request, project_id)))


@router.post("/innovation/projects/{project_id}/files", response={201: ProjectDetailOut, **ERRORS},
             summary="Add files to a stage the project has reached (multipart)")
def add_files(request: HttpRequest, project_id: int, files: File[list[UploadedFile]], stage: Form[str] = "") -> Any:
    """Types and sizes as for proposals (PDF, images, Office documents; each at most 10 MB); `stage` defaults to the
    current one."""
    services.add_project_files(actor=_actor(request), project=_project(request, project_id), files=files,
                               stage=stage)
    return Status(201, _detail(_project(request, project_id)))
