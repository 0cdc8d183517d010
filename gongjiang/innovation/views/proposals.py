"""The union's pages: the list (filters, sorting, Excel export, valuators in bulk), a proposal's page with its
timeline and the forms of its next step, the decisions (each a POST answered by a redirect back to the page), the
scoped download of its files, and the valuators' own list."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongjiang.core import audit, history, pages
from gongjiang.core.files import serve_file
from gongjiang.core.types import logged_in
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User

from .. import queries, services
from ..choices import AttachmentKind, Duty, Grade, RewardMode, State
from ..forms import (
    AcceptForm,
    AdoptForm,
    AssignForm,
    AttachForm,
    BenefitForm,
    FilterForm,
    ForecastForm,
    ReasonForm,
    RewardForm,
    ValuationForm,
    yuan,
)
from ..models import Appointment, Assignment, Attachment, Benefit, Proposal
from ..models.proposals import holds_duty
from ..rules import projects as project_rules
from ..rules import rewards, workflow
from .common import proposal_or_404, scope_org, step_view

SORTING = pages.Sorting({"submitted": ("submitted_at",), "title": ("title",), "state": ("state",),
                         "unit": ("unit__path",), "reward": ("reward",)}, default="-submitted",
                        first_descending=("submitted", "reward"))
PER_PAGE = 50


def _filters(request: HttpRequest, form: FilterForm) -> queries.Filters:
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return queries.Filters(q=d.get("q") or "", state=d.get("state") or "", category=d.get("category") or "",
                           kind=d.get("kind") or "", year=d.get("year"), org=scope_org(request),
                           waiting=d.get("waiting") or "")


def valuator_choices(orgs: list[Org]) -> QuerySet[User]:
    """The accounts appointed as valuators in a union covering all these enterprises (or any one of them)."""
    from django.db.models import Q

    q = Q(pk__in=[])
    for o in orgs:
        for path in [o.path[:i] for i in range(4, len(o.path) + 1, 4)]:
            q |= Q(org__path=path)
    users = Appointment.objects.filter(q, duty=Duty.VALUATOR, active=True).values("user_id")
    return User.objects.filter(pk__in=users).order_by("full_name", "username")


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    qs = queries.union_list(request.user, _filters(request, form))
    sort = SORTING(request)
    qs = sort.apply(qs)
    if pages.wants_export(request):
        return pages.export(_("Proposals"), [
            _("Number"), _("Title"), _("Category"), _("Kind"), _("Proposer"), _("Unit"), _("Submitted"), _("State"),
            _("Forecast (10,000 yuan)"), _("Net benefit (10,000 yuan)"), _("Reward (yuan)")],
            ([p.number, p.title, p.get_category_display(), p.get_kind_display(), p.proposer.name, p.unit.name,
              p.submitted_at.date(), p.get_state_display(), _wan(p, "forecast"), _wan(p, "net"), p.reward]
             for p in qs.iterator(chunk_size=2000)))
    page = pages.paginate(request, qs, PER_PAGE)
    org = scope_org(request)
    figures = queries.year_figures(org, _this_year()) if org is not None else None
    enterprises = {p.enterprise_id: p.enterprise for p in page.object_list}
    return pages.render_page(request, "innovation/union/list.html", {
        "form": form, "page": page, "rows": page.object_list, "sort": sort, "org": org, "figures": figures,
        "valuators": valuator_choices(list(enterprises.values())) if enterprises else User.objects.none(),
        "batch": any(p.state in workflow.VALUATION_OPEN for p in page.object_list),
    }, "innovation/union/_rows.html")


def _this_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year


def _wan_shown(yuan: Decimal) -> Decimal:
    """An amount in 万元 as a form shows it: 20.00 rather than 20.0000, the four places kept where they count."""
    value = rewards.wan(yuan)
    cents = value.quantize(Decimal("0.01"))
    return cents if cents == value else value


def _wan(p: Proposal, what: str) -> Any:
    benefit = getattr(p, "benefit", None) if hasattr(p, "benefit") else None
    if benefit is None:
        return None
    value = benefit.forecast if what == "forecast" else benefit.net
    return None if value is None else rewards.wan(value)


def _back(request: HttpRequest, proposal: Proposal) -> HttpResponse:
    return redirect("innovation:proposal_detail", pk=proposal.pk)


@login_required
@require_POST
def assign(request: HttpRequest) -> HttpResponse:
    """Assign the chosen valuators to the chosen proposals (the list's bulk action)."""
    ids = [int(x) for x in request.POST.getlist("proposal") if x.isdigit()]
    found = list(Proposal.objects.for_user(request.user, "view").select_related("enterprise").filter(pk__in=ids))
    form = AssignForm(request.POST, valuators=valuator_choices([p.enterprise for p in found]))
    chosen = list(form.cleaned_data["valuators"]) if form.is_valid() else []
    pages.act(request, lambda: services.assign_valuators(actor=logged_in(request.user), proposals=found,
                                                         valuators=chosen),
              lambda made: _("%(n)s valuator assignments made.") % {"n": len(made)})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("innovation:proposal_list")


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = proposal_or_404(request, pk)
    user = request.user
    if request.GET.get("sent") == "1" and p.submitted_by_id == user.pk and p.state == State.SUBMITTED:
        # the phone form's own path (worker.send) lands here: the confirmation the form's post gives
        messages.success(request, _("Your proposal %(number)s has been submitted.") % {"number": p.number})
    can_change = p.can_change(user)
    mine = [a for a in p.assignments.all() if a.valuator_id == user.pk and a.active]
    benefit = getattr(p, "benefit", None) if hasattr(p, "benefit") else None
    departments = Org.objects.filter(path__startswith=p.enterprise.path, kind__in=[OrgKind.DEPARTMENT, OrgKind.TEAM],
                                     is_active=True).order_by("path")
    events = history.describe(audit.timeline(p)) if (can_change or p.is_contributor(user) or mine) else []
    contributors = list(p.contributors.all())
    preview = None
    if p.state == State.ACCOUNTED and can_change:
        preview = queries.reward_preview(p.unit, benefit.net if benefit else None, p.score, contributors)
    show_similar = can_change or bool(mine)
    sees_evidence = _sees_evidence(p, user)  # others would find a listed file refused (404) when they open it
    return render(request, "innovation/union/detail.html", {
        "p": p, "benefit": benefit, "events": events, "can_change": can_change,
        "contributors": contributors, "assignments": list(p.assignments.all()),
        "attachments": [a for a in p.attachments.all() if a.kind != AttachmentKind.EVIDENCE or sees_evidence],
        "payments": list(p.payments.all()) if can_change else [
            x for x in p.payments.all() if x.person_id == getattr(user, "person_id", None)],
        "my_assignment": mine[0] if mine else None,
        "similar": queries.similar(user, p.title, p.problem, exclude=p.pk) if show_similar else [],
        "similar_achievements": queries.achievements.similar_achievements(user, p.title, p.problem)
        if show_similar else [],
        "accept_form": AcceptForm(departments=departments) if p.can_accept(user) else None,
        "reason_form": ReasonForm() if can_change and p.state in (State.SUBMITTED, State.EVALUATING) else None,
        "assign_form": AssignForm(valuators=valuator_choices([p.enterprise])) if p.can_assign(user) else None,
        "valuation_form": ValuationForm() if mine and mine[0].is_open else None,
        "adopt_form": AdoptForm() if p.can_decide(user) else None,
        "can_implement": p.can_implement(user),
        "benefit_form": BenefitForm(initial=_recorded(benefit)) if p.can_record_benefit(user) else None,
        "can_sign_off": p.can_sign_off(user) and benefit is not None and benefit.recorded_at is not None,
        "forecast_form": ForecastForm(initial={"forecast": _wan_shown(benefit.forecast),
                                               "forecast_soft": benefit.forecast_soft})
        if benefit is not None and p.can_revise_forecast(user) else None,
        "reward_form": RewardForm() if p.can_pay(user) else None, "preview": preview,
        "preview_mode": RewardMode(preview.reward.mode).label if preview else "",
        "preview_grade": Grade(preview.reward.grade).label if preview else "",
        "can_archive": p.can_archive(user),
        "attach_form": AttachForm() if p.can_attach(user) else None,
        "projects": queries.projects_of_proposal(user, p),
        "can_start_project": can_change and benefit is not None and project_rules.proposal_startable(p.state, True),
        "steps": [(s, State(s).label, workflow.stage_index(p.state) >= workflow.stage_index(s))
                  for s in workflow.ORDER],
    })


def _sees_evidence(p: Proposal, user: Any) -> bool:
    """The benefit evidence is for the union's cadres and the finance officer, not for every reader."""
    return p.can_change(user) or holds_duty(user, Duty.FINANCE, p.enterprise)


def _recorded(benefit: Benefit | None) -> dict[str, Any] | None:
    """The benefit recorded so far, to correct it before the sign-off (the form starts from it, not empty)."""
    if benefit is None or benefit.recorded_at is None:
        return None
    def plain(yuan: Any) -> str:  # 260000 → "26" (not "26.0000", never "2.6E+1")
        return format(rewards.wan(yuan or 0).normalize(), "f")

    return {"gross": plain(benefit.gross), "cost": plain(benefit.cost), "soft": benefit.soft}


def _posted(form_class: Any, call: Callable[[HttpRequest, Proposal, dict[str, Any]], Any], success: Any
            ) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST view of one step of a proposal (views.common.step_view), back to the proposal's page."""
    return step_view(proposal_or_404, _back, form_class, call, success)


def _actor(request: HttpRequest) -> Any:
    return logged_in(request.user)


def _accept(request: HttpRequest, p: Proposal, d: dict[str, Any]) -> Any:
    pk = request.POST.get("department", "")
    department = None
    if pk:
        if not pk.isdigit():
            raise Http404
        department = get_object_or_404(Org.objects.filter(path__startswith=p.enterprise.path), pk=pk)
    return services.accept_proposal(actor=_actor(request), proposal=p, department=department)


def _assign(request: HttpRequest, p: Proposal, d: dict[str, Any]) -> Any:
    form = AssignForm(request.POST, valuators=valuator_choices([p.enterprise]))
    chosen = list(form.cleaned_data["valuators"]) if form.is_valid() else []
    return services.assign_valuators(actor=_actor(request), proposals=[p], valuators=chosen)


def _value(request: HttpRequest, p: Proposal, d: dict[str, Any]) -> Any:
    assignment = get_object_or_404(Assignment, proposal=p, valuator_id=request.user.pk, active=True)
    return services.submit_valuation(actor=_actor(request), assignment=assignment, opinion=d["opinion"],
                                     score=d["score"], comment=d["comment"])


accept = _posted(None, _accept, gettext_lazy("Proposal accepted."))
reject = _posted(ReasonForm, lambda r, p, d: services.reject_proposal(actor=_actor(r), proposal=p,
                                                                      reason=d["reason"]),
                 gettext_lazy("The proposers are told that it was not adopted, and why."))
assign_one = _posted(None, _assign, gettext_lazy("Valuators assigned."))
value = _posted(ValuationForm, _value, gettext_lazy("Your valuation has been saved."))
adopt = _posted(AdoptForm, lambda r, p, d: services.adopt_proposal(
    actor=_actor(r), proposal=p, forecast=yuan(d["forecast"]), forecast_soft=d["forecast_soft"], note=d["note"]),
    gettext_lazy("Proposal adopted: its forecast is locked."))
implement = _posted(None, lambda r, p, d: services.start_implementation(actor=_actor(r), proposal=p),
                    gettext_lazy("Implementation started."))
record = _posted(BenefitForm, lambda r, p, d: services.record_benefit(
    actor=_actor(r), proposal=p, gross=yuan(d["gross"]), cost=yuan(d["cost"]), soft=d["soft"],
    evidence=d["evidence"]), gettext_lazy("Benefit recorded: it waits for the finance sign-off."))
sign_off = _posted(None, lambda r, p, d: services.sign_off_benefit(actor=_actor(r), proposal=p),
                   gettext_lazy("Benefit signed off."))
revise = _posted(ForecastForm, lambda r, p, d: services.revise_forecast(
    actor=_actor(r), proposal=p, forecast=yuan(d["forecast"]), forecast_soft=d["forecast_soft"],
    reason=d["reason"]), gettext_lazy("Forecast revised."))
pay = _posted(RewardForm, lambda r, p, d: services.pay_reward(actor=_actor(r), proposal=p, voucher=d["voucher"]),
              gettext_lazy("Reward paid and entered in the ledger."))
archive = _posted(None, lambda r, p, d: services.archive_proposal(actor=_actor(r), proposal=p),
                  gettext_lazy("Proposal archived."))
attach = _posted(AttachForm, lambda r, p, d: services.add_attachments(actor=_actor(r), proposal=p, files=d["files"]),
                 gettext_lazy("Files added."))


@login_required
def attachment(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    """A proposal's file, to whoever may see the proposal (else 404): never served by the web server itself."""
    proposal = proposal_or_404(request, pk)
    found = get_object_or_404(Attachment, proposal=proposal, pk=file_pk)
    if found.kind == AttachmentKind.EVIDENCE and not _sees_evidence(proposal, request.user):
        raise Http404
    return serve_file(found.file, found.name, found.content_type)


@login_required
def valuations(request: HttpRequest) -> HttpResponse:
    """The valuator's proposals: the open ones first."""
    rows = list(queries.my_assignments(request.user)[:300])
    if not rows and not Appointment.objects.filter(user_id=request.user.pk, duty=Duty.VALUATOR, active=True).exists():
        raise PermissionDenied
    return render(request, "innovation/union/valuations.html", {"rows": rows})

