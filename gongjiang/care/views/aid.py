"""Aid programmes and cycles (帮扶项目与批次): the programmes of the cadre's reach and the form for a new one; a
programme with its cycles; a cycle's board — totals per union against the budgets, the list with add and remove,
build, confirm, approve, the bank batches (export, reconcile from the bank's returned Excel), cash and in-kind
payments against a signature, closing the cycle."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.errors import DomainError
from gongjiang.core.imports import check_upload, read_xlsx
from gongjiang.core.scoping import scope_for
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Org
from gongjiang.orgs.queries.orgs import page_org

from .. import services
from ..choices import CycleState
from ..forms_aid import AddForm, BudgetForm, CycleForm, PaymentForm, ProgrammeForm, ReconcileForm
from ..models import Cycle, Entitlement, HouseholdFile, PaymentBatch, Programme
from ..queries import aid as queries
from ..rules import amounts
from .files import _cadre

PER_PAGE = 100


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    cycles = list(queries.cycles_for(request.user).order_by("-year", "-id")[:200])
    programmes: dict[int, Any] = {}
    for c in cycles:
        programmes.setdefault(c.programme_id, {"programme": c.programme, "cycles": []})["cycles"].append(c)
    own = Programme.objects.for_user(request.user, "view").select_related("owner").order_by("-starts_on")[:200]
    for p in own:
        programmes.setdefault(p.pk, {"programme": p, "cycles": []})
    return render(request, "care/programme_list.html", {"rows": list(programmes.values()),
                                                        "turn": queries.turn_for(request.user)})


@login_required
def programme_new(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    org = page_org(request)
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and org is not None and form.is_valid():
        eligibility, amount = form.rules()
        made = pages.handle(form, lambda: services.create_programme(
            actor=logged_in(request.user), owner=org, name=form.cleaned_data["name"], kind=form.cleaned_data["kind"],
            eligibility_rule=eligibility, amount_rule=amount, starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"]), aliases={"women_age": "women_min", "kind": "amount_kind",
                                                              "amounts": "deep", "amounts.deep": "deep",
                                                              "amounts.relative": "relative",
                                                              "amounts.sudden": "sudden"})
        if made is not None:
            messages.success(request, _("Programme created."))
            return redirect(made.get_absolute_url())
    return render(request, "care/programme_form.html", {"form": form, "org": org},
                  status=400 if form.is_bound and form.errors else 200)


def _programme(request: HttpRequest, pk: int) -> Programme:
    found = get_object_or_404(Programme.objects.select_related("owner"), pk=pk)
    if not queries.cycles_for(request.user).filter(programme=found).exists() and not found.owner.in_scope(
            request.user, "view"):
        raise Http404
    return found


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    programme = _programme(request, pk)
    form = CycleForm(request.POST or None)
    can_run = scope_for(request.user, "change").covers_regionally(programme.owner.path)
    if request.method == "POST" and can_run and form.is_valid():
        made = pages.handle(form, lambda: services.create_cycle(
            actor=logged_in(request.user), programme=programme, name=form.cleaned_data["name"],
            year=form.cleaned_data["year"], budget=form.cleaned_data["budget"]))
        if made is not None:
            messages.success(request, _("Cycle created."))
            return redirect(made.get_absolute_url())
    return render(request, "care/programme_detail.html", {
        "programme": programme, "cycles": programme.cycles.order_by("-year", "-id"), "form": form,
        "can_run": can_run, "eligibility": queries.describe_rule(programme.eligibility),
        "amount": amounts.describe(programme.amount_rule)}, status=400 if form.is_bound and form.errors else 200)


def _cycle(request: HttpRequest, pk: int) -> Cycle:
    return get_object_or_404(queries.cycles_for(request.user), pk=pk)


def _levels(request: HttpRequest, cycle: Cycle) -> list[Org]:
    """The unions the user acts for in this cycle: the budgeted ones and its own unions under the owner."""
    change = scope_for(request.user, "change")
    budgeted = [b.org for b in cycle.budgets.select_related("org").order_by("org__path")
                if change.covers_regionally(b.org.path)]
    return budgeted


@login_required
def cycle_board(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    cycle = _cycle(request, pk)
    qs = queries.entitlements_for(request.user, cycle)
    state = request.GET.get("state", "")
    if state in ("listed", "removed"):
        qs = qs.filter(state=state)
    page = pages.paginate(request, qs, PER_PAGE)
    levels = _levels(request, cycle)
    below = Org.objects.filter(path__startswith=levels[0].path, kind__in=("city", "county"),
                               is_active=True).order_by("path")[:200] if levels else []
    return render(request, "care/cycle_board.html", {
        "cycle": cycle, "programme": cycle.programme, "totals": queries.totals(cycle), "page": page,
        "levels": levels, "below": below, "can_own": scope_for(request.user, "change").covers_regionally(
            cycle.owner.path),
        "batches": PaymentBatch.objects.for_user(request.user, "view").filter(cycle=cycle).select_related("org"),
        "add_form": AddForm(), "pay_form": PaymentForm(), "budget_form": BudgetForm(),
        "reconcile_form": ReconcileForm(), "states": CycleState, "state": state,
        "needs_cost": amounts.needs_cost(cycle.programme.amount_rule)})


def _org(request: HttpRequest, cycle: Cycle) -> Org:
    pk = str(request.POST.get("org") or "")
    if not pk.isdigit():
        raise DomainError(_("Choose the union you act for."), field="org")
    found: Org = get_object_or_404(Org.objects.for_user(request.user, "view"), pk=pk)
    return found


def _file(request: HttpRequest) -> HouseholdFile:
    pk = str(request.POST.get("file") or "").strip()
    found = HouseholdFile.objects.for_user(request.user, "view").filter(pk=pk).first() if pk.isdigit() else None
    if found is None:
        raise DomainError(_("No household file no. %(no)s in your reach.") % {"no": pk or "—"}, field="file")
    return found


@login_required
@require_POST
def cycle_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    _cadre(request)
    cycle = _cycle(request, pk)
    actor = logged_in(request.user)
    post = request.POST

    def paid_on() -> Any:
        import datetime

        try:
            return datetime.date.fromisoformat(str(post.get("paid_on") or ""))
        except ValueError:
            raise DomainError(_("The date must be like 2027-01-20."), field="paid_on") from None

    def entitlement() -> Entitlement:
        found: Entitlement = get_object_or_404(Entitlement.objects.for_user(request.user, "view"), cycle=cycle,
                                               pk=str(post.get("entitlement") or "0"))
        return found

    calls: dict[str, tuple[Any, Any]] = {
        "build": (lambda: services.build_cycle(actor=actor, cycle=cycle),
                  lambda n: _("The list is built: %(n)d households.") % {"n": n}),
        "confirm": (lambda: services.confirm_list(actor=actor, cycle=cycle), _("List confirmed.")),
        "approve": (lambda: services.approve_cycle(actor=actor, cycle=cycle), _("Cycle approved.")),
        "close": (lambda: services.close_cycle(actor=actor, cycle=cycle), _("Cycle reconciled and closed.")),
        "budget": (lambda: services.set_budget(actor=actor, cycle=cycle, org=_org(request, cycle),
                                               amount=post.get("amount")), _("Budget saved.")),
        "add": (lambda: services.add_entitlement(actor=actor, cycle=cycle, file=_file(request),
                                                 org=_org(request, cycle), reason=str(post.get("reason") or ""),
                                                 cost=post.get("cost") or None), _("Household added to the list.")),
        "remove": (lambda: services.remove_entitlement(actor=actor, entitlement=entitlement(),
                                                       org=_org(request, cycle),
                                                       reason=str(post.get("reason") or "")),
                   _("Household removed from the list.")),
        "batch": (lambda: services.make_bank_batch(actor=actor, cycle=cycle, org=_org(request, cycle)),
                  lambda b: _("%(batch)s made: %(n)d transfers.") % {"batch": b, "n": b.payments.count()}),
        "pay": (lambda: services.record_payment(actor=actor, cycle=cycle, file=_file(request),
                                                method=str(post.get("method") or ""),
                                                signed_by=str(post.get("signed_by") or ""), paid_on=paid_on(),
                                                signature_note=str(post.get("signature_note") or "")),
                _("Payment recorded.")),
    }
    if action not in calls:
        raise Http404
    call, done = calls[action]
    pages.act(request, call, done)
    return redirect(cycle.get_absolute_url())


def _batch(request: HttpRequest, pk: int) -> PaymentBatch:
    return get_object_or_404(PaymentBatch.objects.for_user(request.user, "change").select_related("cycle", "org"),
                             pk=pk)


@login_required
def batch_export(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    batch = _batch(request, pk)
    try:
        data = services.export_batch(actor=logged_in(request.user), batch=batch)
    except DomainError as e:
        raise PermissionDenied(e.message) from None
    return pages.xlsx_response(data, f"{batch.cycle.name}-{batch.pk}.xlsx")


HEADERS = {"reference": ("付款参考号", "参考号", "reference"), "result": ("结果", "状态", "result"),
           "paid_on": ("日期", "付款日期", "paid_on"), "note": ("说明", "备注", "note")}


def read_return(data: bytes, name: str) -> list[dict[str, str]]:
    """The bank's returned Excel: the columns 付款参考号, 结果 (成功/失败), 日期, 说明, in any order."""
    check_upload(name, len(data), data[:8])
    headers, body = read_xlsx(data)
    where = {key: next((i for i, h in enumerate(headers) if h.strip() in names), None)
             for key, names in HEADERS.items()}
    if where["reference"] is None or where["result"] is None:
        raise DomainError(_("The sheet needs the columns 付款参考号 and 结果."), field="file")
    return [{k: row[i] for k, i in where.items() if i is not None} for row in body if any(row)]


@login_required
@require_POST
def batch_reconcile(request: HttpRequest, pk: int) -> HttpResponse:
    _cadre(request)
    batch = _batch(request, pk)
    upload = request.FILES.get("file")

    def call() -> Any:
        if upload is None:
            raise DomainError(_("Choose the bank's returned Excel."), field="file")
        rows = read_return(upload.read(), upload.name or "")
        return services.reconcile_batch(actor=logged_in(request.user), batch=batch, rows=rows)

    pages.act(request, call, lambda done: _("Reconciled: %(paid)d paid, %(failed)d failed.") % done)
    return redirect(batch.cycle.get_absolute_url())
