"""The union's figures, reward policy, ledger and appointments (valuators, finance officers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Org, User

from .. import queries, services
from ..choices import Stage
from ..forms import AppointForm, HandOverForm, PolicyForm
from ..models import Appointment
from ..models.proposals import policy_fields
from ..rules import projects as project_rules
from ..rules import rewards
from .common import scope_org

# The columns of the projects' figures: projects reaching each stage in the year (counters.PROJECT_FIELDS' order).
STAGE_LABELS = [Stage(s).label for s in (*project_rules.ORDER, project_rules.STOPPED)]


def _org(request: HttpRequest) -> Org:
    org = scope_org(request)
    if org is None:
        raise PermissionDenied(_("Your account holds no role on a union."))
    return org


def _year(request: HttpRequest) -> int:
    y = request.GET.get("year", "")
    return int(y) if y.isdigit() and 2000 <= int(y) <= 2100 else timezone.localdate().year


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The year's figures of the union and of each unit directly below it (from the counters)."""
    org, year = _org(request), _year(request)
    own = queries.year_figures(org, year)
    rows = queries.children_figures(org, year)
    if pages.wants_export(request):
        return pages.export(_("Innovation figures %(year)s") % {"year": year}, [
            _("Organisation"), _("Submitted"), _("Adopted"), _("Adoption rate (%)"), _("Benefits accounted"),
            _("Net benefit (10,000 yuan)"), _("Proposals rewarded"), _("Rewards paid (10,000 yuan)"),
            *[str(label) for label in STAGE_LABELS], _("Matches signed"), _("Contract value (10,000 yuan)")],
            ([f.org.name, f.submitted, f.adopted, f.adoption_rate, f.accounted, f.benefit_wan, f.rewarded,
              f.rewards_wan, *f.project_stages, f.matches_signed, f.signed_value_wan] for f in [own, *rows]))
    return render(request, "innovation/union/figures.html", {
        "org": org, "year": year, "own": own, "rows": rows, "history": queries.years(org),
        "stage_labels": STAGE_LABELS,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1)})


@login_required
def policy(request: HttpRequest) -> HttpResponse:
    """The reward policy of the union (the one applying when it has none of its own is shown)."""
    org = _org(request)
    own = queries.policy_row_for(org)
    own = own if own is not None and own.org_id == org.pk else None
    applying = queries.policy_for(org)
    form = PolicyForm(request.POST or None, instance=own, initial=None if own else policy_fields(applying))
    can_change = org.can_change(request.user)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in form.fields}
            done = pages.handle(form, lambda: services.set_reward_policy(actor=logged_in(request.user), org=org,
                                                                         **data))
            if done is not None:
                messages.success(request, _("Reward policy saved."))
                return redirect(f"{request.path}?org={org.pk}")
    example = [(label, rewards.calculate(applying, amount, score)) for label, amount, score in (
        (_("Net benefit 50,000 yuan"), 50000, None), (_("Net benefit 800,000 yuan"), 800000, None),
        (_("Soft benefit only, score 85"), 0, 85))]
    return render(request, "innovation/union/policy.html", {
        "org": org, "form": form, "own": own, "can_change": can_change, "example": example},
        status=400 if form.is_bound and form.errors else 200)


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    year_asked = request.GET.get("year", "")
    qs = queries.ledger(request.user, org, int(year_asked) if year_asked.isdigit() else None)
    if pages.wants_export(request):
        return pages.export(_("Reward ledger"), [
            _("Paid at"), _("Proposal"), _("Number"), _("Recipient"), pgettext("unit", "Enterprise"), _("Grade"),
            _("Calculation"),
            _("Amount (yuan)"), _("Voucher number")],
            ([r.paid_at.date(), r.proposal.title, r.proposal.number, r.person.name, r.enterprise.name,
              r.get_grade_display(), r.get_mode_display(), r.amount, r.voucher] for r in qs.iterator(chunk_size=2000)))
    page = pages.paginate(request, qs, 50)
    return pages.render_page(request, "innovation/union/ledger.html", {"org": org, "page": page,
                                                                      "rows": page.object_list},
                             "innovation/union/_ledger_rows.html")


@login_required
def appointments(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    if not org.in_scope(request.user, "view"):
        raise Http404
    rows = list(Appointment.objects.for_user(request.user).filter(org__path__startswith=org.path, active=True)
                .select_related("org", "user").order_by("org__path", "duty", "user__username"))
    form = AppointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        account = User.objects.filter(username=form.cleaned_data["username"].strip()).first()
        if account is None:
            form.add_error("username", _("No account has this user name."))
        else:
            done = pages.handle(form, lambda: services.appoint(actor=logged_in(request.user), org=org, user=account,
                                                               duty=form.cleaned_data["duty"]))
            if done is not None:
                messages.success(request, _("%(name)s appointed.") % {"name": account})
                return redirect(f"{request.path}?org={org.pk}")
    return render(request, "innovation/union/appointments.html", {
        "org": org, "rows": rows, "form": form, "hand_over": HandOverForm(), "can_manage": org.can_manage(request.user),
        "can_change": org.can_change(request.user)}, status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def end_appointment(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Appointment.objects.for_user(request.user).select_related("org"), pk=pk)
    pages.act(request, lambda: services.end_appointment(actor=logged_in(request.user), appointment=found),
              _("Appointment ended."))
    return redirect(f"{_appointments_url()}?org={found.org_id}")


@login_required
@require_POST
def hand_over(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    form = HandOverForm(request.POST)
    if form.is_valid():
        users = {u.username: u for u in User.objects.filter(
            username__in=[form.cleaned_data["leaving"].strip(), form.cleaned_data["successor"].strip()])}
        leaving, successor = users.get(form.cleaned_data["leaving"].strip()), users.get(
            form.cleaned_data["successor"].strip())
        if leaving is None or successor is None:
            messages.error(request, _("No account has this user name."))
        else:
            pages.act(request, lambda: services.hand_over_valuations(actor=logged_in(request.user), org=org,
                                                                     leaving=leaving, successor=successor),
                      lambda n: _("%(n)s open valuations handed over.") % {"n": n})
    else:
        messages.error(request, _("Give both user names."))
    return redirect(f"{_appointments_url()}?org={org.pk}")


def _appointments_url() -> str:
    from django.urls import reverse

    return reverse("innovation:appointments")
