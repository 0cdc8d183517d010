"""The innovation project pages: the list of the user's scope (filters, sorting, Excel), registering a project (from
an adopted proposal or not), a project's page with its stage bar, stage timeline, milestones, members, subsidy and
spending, files per stage and the forms of its decisions (each a POST answered by a redirect back to the page), and
the scoped download of its files."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import audit, history, pages
from gongjiang.core.errors import DomainError
from gongjiang.core.files import serve_file
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Person

from .. import queries, services
from ..choices import Stage
from ..models import Milestone, Project, ProjectFile, ProjectMember, Proposal
from ..project_forms import (
    AdvanceForm,
    FundingForm,
    MemberForm,
    MilestoneDoneForm,
    MilestoneForm,
    ProgressForm,
    ProjectFilesForm,
    ProjectFilterForm,
    ProjectForm,
    SpendingForm,
)
from ..rules import projects as rules
from .common import scope_org, step_view

SORTING = pages.Sorting({"created": ("created_at",), "title": ("title",), "unit": ("org__path",),
                         "stage": ("stage_rank",), "progress": ("progress",)},
                        default="-created", first_descending=("created", "progress"),
                        annotations={"stage_rank": pages.rank_of("stage", Stage.values)})
PER_PAGE = 50


def project_or_404(request: HttpRequest, pk: int) -> Project:
    """A project the user may see (a 404 for anything else: out of scope says nothing of it)."""
    found = queries.project_detail(request.user, pk)
    if found is None:
        raise Http404
    return found


def _back(request: HttpRequest, project: Project) -> HttpResponse:
    return redirect("innovation:project_detail", pk=project.pk)


def _leader_name(p: Project) -> str:
    leaders = getattr(p, "leaders", [])
    return leaders[0].person.name if leaders else ""


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    org = scope_org(request)
    qs = queries.project_list(request.user, queries.ProjectFilters(
        q=d.get("q") or "", stage=d.get("stage") or "", year=d.get("year"), org=org, overdue=bool(d.get("overdue"))))
    sort = SORTING(request)
    qs = sort.apply(qs)
    if pages.wants_export(request):
        return pages.export(_("Innovation projects"), [
            _("Number"), _("Title"), _("Held by"), _("Holding unit"), _("enterprise"), _("Leader"), _("Project stage"),
            _("Progress (%)"), _("Subsidy requested (yuan)"), _("Subsidy granted (yuan)"), _("Spent (yuan)"),
            _("Started from proposal"), _("Project registered on")],
            ([p.number, p.title, p.get_holder_display(), p.org.name, p.enterprise.name, _leader_name(p),
              p.get_stage_display(), p.progress, p.requested, p.granted, p.spent,
              p.proposal.number if p.proposal else "", p.created_at.date()] for p in qs.iterator(chunk_size=2000)))
    page = pages.paginate(request, qs, PER_PAGE)
    return pages.render_page(request, "innovation/projects/list.html", {
        "form": form, "page": page, "rows": page.object_list, "sort": sort, "org": org,
        "can_create": bool(org is not None and org.can_change(request.user)),
    }, "innovation/projects/_rows.html")


def _create_context(request: HttpRequest) -> tuple[Proposal | None, Any]:
    """The proposal the project starts from (?proposal=, one the user may see) and the orgs that may hold it."""
    proposal = None
    asked = request.GET.get("proposal", "") or request.POST.get("proposal", "")
    if asked:
        if not asked.isdigit():
            raise Http404
        proposal = queries.detail(request.user, int(asked))
        if proposal is None:
            raise Http404
    within = proposal.enterprise if proposal is not None else scope_org(request)
    if within is None:
        raise PermissionDenied(_("Your account holds no role on a union."))
    orgs = queries.project_orgs(request.user, within)
    if not orgs:
        raise PermissionDenied(_("You may not register projects here."))
    return proposal, orgs


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    proposal, orgs = _create_context(request)
    initial: dict[str, Any] = {}
    if proposal is not None:
        initial = {"title": proposal.title, "problem": proposal.problem, "goal": proposal.solution,
                   "org": proposal.unit_id, "leader_name": proposal.proposer.name}
    form = ProjectForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = d["org"]
        enterprise = org.grassroots_union()
        people = queries.people_named(enterprise, d["leader_name"], d["leader_mobile_tail"]) if enterprise else []
        if len(people) != 1:
            form.add_error("leader_name", _name_problem(d["leader_name"], people, enterprise))
        else:
            project = pages.handle(form, lambda: services.create_project(
                actor=logged_in(request.user), org=org, holder=d["holder"], title=d["title"], problem=d["problem"],
                goal=d["goal"], studio_name=d["studio_name"], leader=people[0], proposal=proposal,
                requested=d["requested"] or Decimal(0)))
            if project is not None:
                messages.success(request, _("Project %(number)s registered at the stage %(stage)s.") % {
                    "number": project.number, "stage": project.get_stage_display()})
                return redirect("innovation:project_detail", pk=project.pk)
    return render(request, "innovation/projects/create.html", {"form": form, "proposal": proposal},
                  status=400 if form.is_bound and form.errors else 200)


def _name_problem(name: str, people: list[Person], enterprise: Any) -> str:
    if not people:
        return _("%(name)s works in no unit of %(enterprise)s.") % {
            "name": name, "enterprise": enterprise.name if enterprise else ""}
    return _("Several colleagues are called %(name)s: add the last four digits of the mobile.") % {"name": name}


def _stage_bar(p: Project) -> list[dict[str, Any]]:
    """The seven stages with "done", "current" or "" (a stopped project: the stages it went through are done)."""
    went = {d.stage for d in p.decisions.all()}
    return [{"code": s, "label": Stage(s).label,
             "state": "current" if s == p.stage else ("done" if s in went else "")} for s in rules.ORDER]


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = project_or_404(request, pk)
    user = request.user
    can_change = p.can_change(user)
    today = timezone.localdate()
    files: dict[str, list[ProjectFile]] = {}
    for f in p.files.all():
        files.setdefault(f.stage, []).append(f)
    nxt = p.next_stage
    return render(request, "innovation/projects/detail.html", {
        "p": p, "can_change": can_change, "stages": _stage_bar(p), "today": today,
        "decisions": list(p.decisions.all()), "members": list(p.members.all()),
        "achievements": list(p.achievements.select_related("call").order_by("call__year", "pk")),
        "milestones": list(p.milestones.all()), "spendings": list(p.spendings.all()),
        "files": [(Stage(s).label, files[s]) for s in rules.ORDER if s in files],
        "events": history.describe(audit.timeline(p)) if can_change else [],
        "next_stage": Stage(nxt) if nxt else None,
        "advance_form": AdvanceForm() if p.can_advance(user) else None,
        "stop_form": AdvanceForm(prefix="stop") if p.can_stop(user) else None,
        "progress_form": ProgressForm(initial={"progress": p.progress}) if can_change else None,
        "milestone_form": MilestoneForm() if can_change else None,
        "done_form": MilestoneDoneForm(initial={"done_on": today}) if can_change else None,
        "member_form": MemberForm() if can_change else None,
        "funding_form": FundingForm(initial={"requested": p.requested, "granted": p.granted,
                                             "reason": p.grant_reason}) if can_change else None,
        "spending_form": SpendingForm(initial={"spent_on": today}) if can_change and p.granted else None,
        "files_form": ProjectFilesForm() if can_change else None,
    })


def _actor(request: HttpRequest) -> Any:
    return logged_in(request.user)


def _member(request: HttpRequest, p: Project, d: dict[str, Any]) -> Any:
    people = queries.people_named(p.enterprise, d["name"], d["mobile_tail"])
    if len(people) != 1:
        raise DomainError(_name_problem(d["name"], people, p.enterprise), field="name")
    return services.set_project_member(actor=_actor(request), project=p, person=people[0], role=d["role"])


def _done(request: HttpRequest, p: Project, d: dict[str, Any]) -> Any:
    milestone = get_object_or_404(Milestone, project=p, pk=d["milestone_pk"])
    return services.complete_milestone(actor=_actor(request), milestone=milestone, done_on=d["done_on"])


def _remove(request: HttpRequest, p: Project, d: dict[str, Any]) -> Any:
    member = get_object_or_404(ProjectMember, project=p, pk=d["member_pk"])
    return services.remove_project_member(actor=_actor(request), member=member)


def _stop(request: HttpRequest, p: Project, d: dict[str, Any]) -> Any:
    return services.stop_project(actor=_actor(request), project=p, reason=request.POST.get("stop-reason", ""))


def _step(form_class: Any, call: Any, success: Any) -> Any:
    return step_view(project_or_404, _back, form_class, call, success)


advance = _step(AdvanceForm, lambda r, p, d: services.advance_project(
    actor=_actor(r), project=p, stage=r.POST.get("stage", ""), reason=d["reason"]),
    gettext_lazy("Stage decided."))
stop = _step(None, _stop, gettext_lazy("Project stopped."))
progress = _step(ProgressForm, lambda r, p, d: services.set_project_progress(
    actor=_actor(r), project=p, progress=d["progress"]), gettext_lazy("Progress updated."))
milestone_add = _step(MilestoneForm, lambda r, p, d: services.add_milestone(
    actor=_actor(r), project=p, title=d["title"], due=d["due"]), gettext_lazy("Milestone added."))
milestone_done = _step(MilestoneDoneForm, _done, gettext_lazy("Milestone reached."))
member_set = _step(MemberForm, _member, gettext_lazy("Project member saved."))
member_remove = _step(None, _remove, gettext_lazy("Project member removed."))
funding = _step(FundingForm, lambda r, p, d: services.set_project_funding(
    actor=_actor(r), project=p, requested=d["requested"], granted=d["granted"], reason=d["reason"]),
    gettext_lazy("Subsidy saved."))
spending = _step(SpendingForm, lambda r, p, d: services.add_spending(
    actor=_actor(r), project=p, spent_on=d["spent_on"], amount=d["amount"], purpose=d["purpose"]),
    gettext_lazy("Spending entered."))
attach = _step(ProjectFilesForm, lambda r, p, d: services.add_project_files(
    actor=_actor(r), project=p, files=d["files"]), gettext_lazy("Files added."))


@login_required
def project_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A project's file, to whoever may see the project (else 404)."""
    project = project_or_404(request, pk)
    found = get_object_or_404(ProjectFile, project=project, pk=file_pk)
    return serve_file(found.file, found.name, found.content_type)
