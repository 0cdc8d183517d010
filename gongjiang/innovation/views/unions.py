"""The union's figures, reward policy, ledger and appointments (valuators, finance officers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Org, User

from .. import queries, services
from ..choices import Award, Stage
from ..forms import AppointForm, HandOverForm, PolicyForm
from ..models import Appointment
from ..models.proposals import policy_fields
from ..queries import figures as figure_queries
from ..rules import projects as project_rules
from ..rules import rewards
from .common import scope_org

# The columns of the projects' figures: projects reaching each stage in the year (metrics.STAGES' order).
STAGE_LABELS = [Stage(s).label for s in (*project_rules.ORDER, project_rules.STOPPED)]


def _org(request: HttpRequest) -> Org:
    org = scope_org(request)
    if org is None:
        raise PermissionDenied(_("Your account holds no role on a union."))
    return org


def _year(request: HttpRequest) -> int:
    y = request.GET.get("year", "")
    return int(y) if y.isdigit() and 2000 <= int(y) <= 2100 else timezone.localdate().year


def _figure_headers() -> list[str]:
    """The columns of the figures' exports (after the organisation or the year): every figure."""
    return [_("Submitted"), _("Adopted"), _("Adoption rate (%)"), _("Benefits accounted"),
            _("Net benefit (10,000 yuan)"), _("Proposals rewarded"), _("Rewards paid (10,000 yuan)"),
            *[str(label) for label in STAGE_LABELS],
            _("Achievements submitted"), _("First prizes"), _("Second prizes"), _("Third prizes"),
            _("Matches signed"), _("Contract value (10,000 yuan)"),
            _("Technical association members at year end"), _("Technical association activities held"),
            _("Four technical services contracts"), _("Four technical services value (10,000 yuan)")]


def _figure_cells(f: figure_queries.Figures) -> list[object]:
    return [f.submitted, f.adopted, f.adoption_rate, f.accounted, f.benefit_wan, f.rewarded, f.rewards_wan,
            *f.project_stages, f.achievements, *f.award_levels, f.matches_signed, f.signed_value_wan,
            f.tech_members, f.tech_activities, f.tech_contracts, f.tech_contract_value_wan]


def _figures_url(org: Org, year: int) -> str:
    return f"{reverse('innovation:figures')}?org={org.pk}&year={year}"


def _figure_charts(history: list[figure_queries.Figures], own: figure_queries.Figures,
                   rows: list[figure_queries.Figures]) -> dict[str, object]:
    """The data of the page's charts (figures.js): numbers as numbers, money in 万元, labels in the user's
    language."""
    return {
        "empty": _("No figures yet"),
        "years": {"labels": [str(f.year) for f in history], "submitted": [f.submitted for f in history],
                  "adopted": [f.adopted for f in history], "benefit": [float(f.benefit_wan) for f in history],
                  "submitted_name": _("Proposals submitted"), "adopted_name": _("Proposals adopted"),
                  "benefit_name": _("Net benefit (10,000 yuan)"), "count_axis": _("Proposals"),
                  "money_axis": _("10,000 yuan")},
        "stages": {"labels": [str(label) for label in STAGE_LABELS], "values": own.project_stages,
                   "name": _("Projects")},
        "awards": {"labels": [str(a.label) for a in (Award.FIRST, Award.SECOND, Award.THIRD)],
                   "values": own.award_levels, "name": _("Achievements awarded a prize")},
        "children": {"labels": [f.org.display_name for f in rows],
                     "urls": [_figures_url(f.org, own.year) for f in rows],
                     "submitted": [f.submitted for f in rows], "adopted": [f.adopted for f in rows],
                     "submitted_name": _("Proposals submitted"), "adopted_name": _("Proposals adopted")},
    }


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """The year's figures of the union (this year beside last, the last five years) and of each unit directly below
    it, all from the counters, with charts and exports (?export=xlsx: the units; ?export=years: the five years)."""
    org, year = _org(request), _year(request)
    history = figure_queries.series(org, year)
    own, last = history[-1], history[-2]
    if request.GET.get("export") == "years":
        return pages.export(_("Innovation figures by year %(org)s") % {"org": org.name},
                            [_("Year"), *_figure_headers()], ([f.year, *_figure_cells(f)] for f in history))
    rows = figure_queries.children_figures(org, year)
    if pages.wants_export(request):
        return pages.export(_("Innovation figures %(year)s") % {"year": year}, [_("Organisation"), *_figure_headers()],
                            ([f.org.name, *_figure_cells(f)] for f in [own, *rows]))
    return render(request, "innovation/union/figures.html", {
        "org": org, "year": year, "own": own, "last": last, "rows": rows, "history": history,
        "kpis": figure_queries.kpis(own, last), "charts": _figure_charts(history, own, rows),
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
