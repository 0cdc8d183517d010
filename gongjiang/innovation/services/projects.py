"""Verbs of an innovation project (攻关课题): a union's cadre registers it (possibly from an adopted proposal), decides
each stage with a reason — one stage at a time, or stops it — and keeps its progress, milestones and members.
Funding, spending and files are in `project_funds`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User

from .. import metrics, notify
from ..choices import Holder, ProjectRole, Stage
from ..models import Milestone, Project, ProjectMember, Proposal, StageDecision
from ..models.proposals import Benefit
from ..rules import projects as rules

TITLE_MAX = 120
TEXT_MIN = 10  # a problem of fewer characters says nothing a union can decide on


def _stage_label(stage: str) -> str:
    return str(Stage(stage).label) if stage in Stage.values else stage


def _locked(project: Project) -> Project:
    """The project re-read under a row lock (two cadres deciding at once: the second sees the first's stage)."""
    return Project.objects.select_for_update().select_related("org", "enterprise").get(pk=project.pk)


def _require_open(actor: User, project: Project) -> None:
    """Refuse an actor out of the project's scope (PermissionDeniedError), then any change to a stopped project."""
    if not project.org.in_scope(actor, "change"):
        raise PermissionDeniedError(_("You do not have permission for %(org)s.") % {"org": project.org.name})
    if project.is_stopped:
        raise DomainError(_("This project was stopped: it changes no more."), field="stage", code="closed")


def _works_in(person: Person, enterprise: Org, field: str) -> None:
    if not person.employer.path.startswith(enterprise.path):
        raise DomainError(_("%(name)s does not work in %(enterprise)s.") % {
            "name": person.name, "enterprise": enterprise.name}, field=field)


def _startable(actor: User, proposal: Proposal) -> Proposal:
    """The proposal, if the actor may see it and it was adopted; otherwise refused naming its state."""
    found = Proposal.objects.for_user(actor, "view").filter(pk=proposal.pk).first()
    if found is None:
        raise PermissionDeniedError(_("You may not start a project from this proposal."), field="proposal")
    adopted = Benefit.objects.filter(proposal=found, forecast_locked_at__isnull=False).exists()
    if not rules.proposal_startable(found.state, adopted):
        raise DomainError(_("Only an adopted proposal can start a project: %(title)s is %(state)s.") % {
            "title": found.title, "state": found.get_state_display()}, field="proposal", code="not_adopted")
    return found


def _decide(actor: User, project: Project, target: str, reason: str, verb_name: str) -> Project:
    """Move `project` to `target` if the stage rules allow it (one stage forwards, or stopping), with its reason:
    saved, written to the stage timeline and the audit, counted in the year's figures, told to the members."""
    project = _locked(project)
    _require_open(actor, project)
    current = project.stage
    problem = rules.stage_problem(current, target)
    if problem == "skipped":
        raise DomainError(_("This project is at the stage %(stage)s: it must go through %(missing)s first — no stage "
                            "can be skipped.") % {
            "stage": _stage_label(current),
            "missing": "、".join(_stage_label(s) for s in rules.missing(current, target))},
            field="stage", code="stage_skipped")
    if problem == "backwards":
        raise DomainError(_("This project is at the stage %(stage)s, past %(target)s: stages go forwards one at a "
                            "time.") % {"stage": _stage_label(current), "target": _stage_label(target)},
                          field="stage", code="wrong_stage")
    if problem == "same":
        raise DomainError(_("This project is at the stage %(stage)s already.") % {"stage": _stage_label(current)},
                          field="stage", code="wrong_stage")
    if problem == "final":
        raise DomainError(_("This project has reached its last stage: it can no longer be stopped."), field="stage",
                          code="wrong_stage")
    if problem is not None:
        raise DomainError(_("Choose the next stage."), field="stage", code="wrong_stage")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for this decision: it stays in the project's timeline."),
                          field="reason")
    now = timezone.now()
    project.stage = target
    project.save(update_fields=["stage", "updated_at"])
    StageDecision.objects.create(project=project, from_stage=current, stage=target, reason=reason, decided_by=actor,
                                 decided_at=now)
    audit.record(actor, verb_name, project, before={"stage": current}, after={"stage": target}, note=reason)
    facts.add(project.org, timezone.localdate(now), {metrics.stage_key(target): 1})
    notify.project_stage(project, Stage(target).label, reason)
    return project


@verb
def create_project(*, actor: User, org: Org, holder: str, title: str, problem: str, leader: Person, goal: str = "",
                   studio_name: str = "", proposal: Proposal | None = None, requested: Decimal = Decimal(0)
                   ) -> Project:
    """Register a project at the stage 问题查找, held by an enterprise, a studio or a team of the actor's scope,
    with its leader (a worker of the enterprise) and, if it starts from one, an adopted proposal."""
    if not org.in_scope(actor, "change"):
        raise PermissionDeniedError(_("You do not have permission for %(org)s.") % {"org": org.name})
    errors: dict[str, str] = {}
    title, problem, goal, studio_name = title.strip(), problem.strip(), goal.strip(), studio_name.strip()
    if not title:
        errors["title"] = _("Give the project a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("A title has at most %(n)s characters.") % {"n": TITLE_MAX}
    if len(problem) < TEXT_MIN:
        errors["problem"] = _("Describe the problem in at least %(n)s characters.") % {"n": TEXT_MIN}
    bad_holder = rules.holder_problem(holder, org.kind)
    if bad_holder == "holder":
        errors["holder"] = _("Choose who holds the project.")
    elif bad_holder == "kind":
        errors["org"] = _("%(org)s is a %(kind)s: a project of this holder sits on %(kinds)s.") % {
            "org": org.name, "kind": org.get_kind_display(),
            "kinds": "、".join(str(OrgKind(k).label) for k in sorted(rules.HOLDER_KINDS[holder]))}
    if holder == Holder.STUDIO and not studio_name:
        errors["studio_name"] = _("Give the studio's name.")
    if rules.funding_problems(requested, None, "", Decimal(0)):
        errors["requested"] = _("An amount of at least 0 yuan, to the fen.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    enterprise = org.grassroots_union()
    if enterprise is None:
        raise DomainError(_("%(org)s belongs to no grassroots union.") % {"org": org.name}, field="org")
    _works_in(leader, enterprise, "leader")
    if proposal is not None:
        proposal = _startable(actor, proposal)
    now = timezone.now()
    project = Project.objects.create(
        title=title, problem=problem, goal=goal, holder=holder,
        studio_name=studio_name if holder == Holder.STUDIO else "", org=org, enterprise=enterprise, proposal=proposal,
        year=timezone.localdate(now).year, requested=requested, created_by=actor, created_at=now)
    ProjectMember.objects.create(project=project, person=leader, role=ProjectRole.LEADER)
    StageDecision.objects.create(project=project, from_stage="", stage=Stage.FINDING, reason="", decided_by=actor,
                                 decided_at=now)
    audit.record(actor, "innovation.project.created", project, after={
        "title": title, "holder": holder, "stage": Stage.FINDING, "leader": leader.name, "requested": requested,
        **({"proposal": proposal.number} if proposal else {})})
    if proposal is not None:
        audit.record(actor, "innovation.proposal.project_started", proposal,
                     after={"project": f"{project.number} {project.title}"})
    facts.add(org, timezone.localdate(now), {metrics.stage_key(Stage.FINDING): 1})
    return project


@verb
def advance_project(*, actor: User, project: Project, stage: str, reason: str) -> Project:
    """A decision moving the project to its next stage (never skipping one), with the reason."""
    return _decide(actor, project, stage, reason, "innovation.project.stage_changed")


@verb
def stop_project(*, actor: User, project: Project, reason: str) -> Project:
    """中止: the project is closed before 推广转化, with the reason; nothing changes in it afterwards."""
    return _decide(actor, project, Stage.STOPPED, reason, "innovation.project.stopped")


@verb
def set_project_progress(*, actor: User, project: Project, progress: int, note: str = "") -> Project:
    """The project's progress in percent (0–100)."""
    project = _locked(project)
    _require_open(actor, project)
    if rules.progress_problem(progress):
        raise DomainError(_("Progress is a whole number from 0 to 100."), field="progress", code="range")
    before = project.progress
    project.progress = progress
    project.save(update_fields=["progress", "updated_at"])
    audit.record(actor, "innovation.project.progress", project, before={"progress": before},
                 after={"progress": progress}, note=note.strip())
    return project


@verb
def add_milestone(*, actor: User, project: Project, title: str, due: datetime.date) -> Milestone:
    """A milestone (节点) with its due date."""
    project = _locked(project)
    _require_open(actor, project)
    title = title.strip()
    if not title or len(title) > TITLE_MAX:
        raise DomainError(_("Name the milestone (at most %(n)s characters).") % {"n": TITLE_MAX}, field="title")
    found = Milestone.objects.create(project=project, title=title, due=due)
    audit.record(actor, "innovation.project.milestone_added", project, after={"milestone": title, "due": due})
    return found


@verb
def complete_milestone(*, actor: User, milestone: Milestone, done_on: datetime.date) -> Milestone:
    """A milestone was reached on `done_on` (not in the future)."""
    project = _locked(milestone.project)
    _require_open(actor, project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk, project=project)
    if milestone.done_on is not None:
        raise DomainError(_("This milestone was reached already."), field="done_on")
    if done_on > timezone.localdate():
        raise DomainError(_("A milestone is reached today or earlier, not in the future."), field="done_on")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    audit.record(actor, "innovation.project.milestone_done", project,
                 after={"milestone": milestone.title, "done_on": done_on})
    return milestone


def _members_message(problem: str) -> str:
    return {
        "role": _("Choose the member's role."),
        "twice": _("This person is on the project already."),
        "no_leader": _("A project has exactly one leader: name another leader first."),
        "leaders": _("A project has exactly one leader."),
    }[problem]


@verb
def set_project_member(*, actor: User, project: Project, person: Person, role: str) -> ProjectMember:
    """Put a worker of the project's enterprise on the project with a role, or change their role. Naming a new
    leader makes the former leader a core member (a project has exactly one leader)."""
    project = _locked(project)
    _require_open(actor, project)
    members = list(ProjectMember.objects.select_for_update().filter(project=project).select_related("person"))
    if role not in ProjectRole.values:
        raise DomainError(_members_message("role"), field="role")
    _works_in(person, project.enterprise, "person")
    mine = next((m for m in members if m.person_id == person.pk), None)
    if mine is not None and mine.role == role:
        raise DomainError(_("%(name)s is on the project as %(role)s already.") % {
            "name": person.name, "role": ProjectRole(role).label}, field="person")
    former = next((m for m in members if m.role == ProjectRole.LEADER and m.person_id != person.pk), None)
    if role == ProjectRole.LEADER and former is not None:
        former.role = ProjectRole.CORE
    planned = [(m.person_id, m.role) for m in members if m.person_id != person.pk] + [(person.pk, role)]
    problem = rules.members_problem(planned)
    if problem:
        raise DomainError(_members_message(problem), field="role")
    if role == ProjectRole.LEADER and former is not None:
        former.save(update_fields=["role"])  # before the new leader: one leader at any time (the partial index)
    before = mine.role if mine is not None else ""
    if mine is None:
        mine = ProjectMember.objects.create(project=project, person=person, role=role)
    else:
        mine.role = role
        mine.save(update_fields=["role"])
    audit.record(actor, "innovation.project.member_set", project, before={"role": before} if before else None,
                 after={"member": person.name, "role": role})
    return mine


@verb
def remove_project_member(*, actor: User, member: ProjectMember) -> ProjectMember:
    """Take a member off the project (never its leader: name another leader first)."""
    project = _locked(member.project)
    _require_open(actor, project)
    member = ProjectMember.objects.select_for_update().select_related("person").get(pk=member.pk, project=project)
    others = [(m.person_id, m.role) for m in ProjectMember.objects.filter(project=project).exclude(pk=member.pk)]
    problem = rules.members_problem(others)
    if problem:
        raise DomainError(_members_message(problem), field="member")
    name, role = member.person.name, member.role
    member.delete()
    audit.record(actor, "innovation.project.member_removed", project, before={"member": name, "role": role})
    return member
