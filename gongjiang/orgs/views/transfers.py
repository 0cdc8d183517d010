"""Membership transfers (会籍转接): the origin requests, the destination accepts or refuses with a reason,
the origin may withdraw while it waits. Both sides see the transfer; the buttons follow
`transfer.can_decide` / `can_cancel`, and the services check the rights again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.types import logged_in

from .. import queries, rules, services
from ..choices import TransferState
from ..forms.transfers import RefuseForm, TransferRequestForm
from ..models import MembershipTransfer, Org, Person
from ..scoping import ancestor_at, scope_for
from .people import person_for_change

TABS = {
    "incoming": gettext_lazy("Awaiting our acceptance"),
    "outgoing": gettext_lazy("Requested by us"),
    "history": gettext_lazy("History"),
}
RELATED = ("person", "from_union", "to_union", "to_employer", "requested_by", "decided_by")
MAX_DESTINATIONS = 20
# The columns the tabs sort by (?sort=worker, ?sort=-requested): the unions in the tree's order. The open tabs show the
# latest request first, the history the latest decision.
COLUMNS = {"worker": "person__name", "from": "from_union__path", "to": "to_employer__path", "requested": "requested_at"}
OPEN_SORTING = pages.Sorting(COLUMNS, default="-requested", first_descending=("requested",))
HISTORY_SORTING = pages.Sorting({**COLUMNS, "decided": "decided_at"}, default="-decided",
                                first_descending=("requested", "decided"))


def tab_queryset(user: Any, tab: str) -> QuerySet:
    """incoming: waiting for a union in my scope; outgoing: requested from a union in my scope; history:
    decided or withdrawn transfers on either side."""
    qs = MembershipTransfer.objects.select_related(*RELATED)
    scope = scope_for(user, "view")
    if tab == "incoming":
        return scope.apply(qs, "to_union__").filter(state=TransferState.REQUESTED)
    if tab == "outgoing":
        return scope.apply(qs, "from_union__").filter(state=TransferState.REQUESTED)
    return scope.apply(qs, "from_union__", "to_union__").exclude(
        state=TransferState.REQUESTED).order_by("-decided_at", "-id")


@login_required
def transfer_list(request: HttpRequest) -> HttpResponse:
    """The three tabs; ?q= finds a worker's transfers (the site's one people search). On the incoming tab the
    transfers the user may decide have checkboxes for deciding them in a batch (`transfer_decide`), whose report
    is shown here once."""
    tab = request.GET.get("tab", "incoming")
    if tab not in TABS:
        tab = "incoming"
    q = request.GET.get("q", "").strip()[:40]
    qs = tab_queryset(request.user, tab)
    if q:
        qs = queries.people_matching(qs, q, "person__")
    sort = (HISTORY_SORTING if tab == "history" else OPEN_SORTING)(request)
    qs = sort.apply(qs)
    page = pages.paginate(request, qs)
    rows = list(page.object_list)
    visible = set(Person.objects.for_user(request.user, "view").filter(pk__in=[t.person_id for t in rows])
                  .values_list("pk", flat=True))
    for t in rows:
        t.person_visible = t.person_id in visible
        t.user_can_decide = t.can_decide(request.user)
        t.user_can_cancel = t.can_cancel(request.user)
    counts = {key: tab_queryset(request.user, key).count() for key in ("incoming", "outgoing")}
    return pages.render_page(request, "orgs/transfer_list.html", {
        "tab": tab, "tabs": [(key, label, counts.get(key)) for key, label in TABS.items()],
        "page": page, "rows": rows, "q": q, "sort": sort, "search_problem": queries.search_problem(q) if q else "",
        "batch": tab == "incoming" and any(t.user_can_decide for t in rows),
        "report": request.session.pop(REPORT_KEY, None) if not pages.is_htmx(request) else None,
    }, fragment="orgs/_transfer_rows.html")


# ---------------------------------------------------------------------------------------------
# Deciding a batch: choose on the list, confirm on a page that says how many (and, to refuse, why), then the report

REPORT_KEY = "orgs.transfer_batch_report"
DECISIONS = {"accept": True, "refuse": False}


def _chosen_ids(data: Any) -> list[int]:
    return sorted({int(v) for v in data.getlist("transfer") if v.isdigit() and len(v) < 19})


@login_required
def transfer_decide(request: HttpRequest) -> HttpResponse:
    """GET (from the list's "接收所选 (N)" / "拒绝所选 (N)"): the confirmation — how many, who, and for a refusal the
    one reason for all. POST: `services.decide_transfers`, then back to the list with the report: how many were
    decided, and each transfer that could not be (decided meanwhile by a colleague, withdrawn…) with the reason."""
    data = request.POST if request.method == "POST" else request.GET
    decision = data.get("decision", "")
    if decision not in DECISIONS:
        return redirect(reverse("orgs:transfer_list") + "?tab=incoming")
    ids = _chosen_ids(data)
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.cleaned_data.get("decision_note") or ""
        batch = pages.handle(form, lambda: services.decide_transfers(
            actor=logged_in(request.user), transfers=ids, accept=DECISIONS[decision], note=note))
        if batch is not None:
            request.session[REPORT_KEY] = _report(batch)
            return redirect(reverse("orgs:transfer_list") + "?tab=incoming")
    chosen = list(tab_queryset(request.user, "incoming").filter(pk__in=ids)) if ids else []
    decidable = [t for t in chosen if t.can_decide(request.user)]
    missing = len(ids) - len(decidable)
    return render(request, "orgs/transfer_decide.html", {
        "decision": decision, "accept": DECISIONS[decision], "transfers": decidable, "missing": missing,
        "form": form, "n": len(decidable),
    }, status=400 if form.errors else 200)


def _report(batch: Any) -> dict[str, Any]:
    """What the list shows once after a batch (kept in the session across the redirect: plain data)."""
    return {"accept": batch.accept, "decided": len(batch.decided),
            "names": [t.person.name for t in batch.decided][:50],
            "undecided": [{"name": u.name, "reason": u.reason} for u in batch.undecided]}


def _next_url(request: HttpRequest, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


def _transfer(request: HttpRequest, pk: int) -> MembershipTransfer:
    return get_object_or_404(MembershipTransfer.objects.for_user(request.user, "view").select_related(*RELATED),
                             pk=pk)


def _decide(request: HttpRequest, pk: int, verb: Any, done: str, tab: str) -> HttpResponse:
    """A button on a waiting transfer (accept, withdraw): the verb, then back to the list it was pressed on."""
    transfer = _transfer(request, pk)
    pages.act(request, lambda: verb(actor=request.user, transfer=transfer), done % {
        "name": transfer.person.name, "union": transfer.to_union.name})
    return redirect(_next_url(request, reverse("orgs:transfer_list") + f"?tab={tab}"))


@login_required
@require_POST
def transfer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.accept_transfer, _("%(name)s has been taken over by %(union)s."), "incoming")


@login_required
@require_POST
def transfer_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, services.cancel_transfer, _("The transfer of %(name)s has been withdrawn."),
                   "outgoing")


@login_required
def transfer_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    """Refusing needs a reason, which the requesting union reads."""
    transfer = _transfer(request, pk)
    if not transfer.can_decide(request.user):
        raise PermissionDenied
    form = RefuseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = pages.handle(form, lambda: services.refuse_transfer(
            actor=logged_in(request.user), transfer=transfer, note=form.cleaned_data.get("decision_note") or ""))
        if done is not None:
            messages.success(request, _("The transfer of %(name)s has been refused.") % {
                "name": transfer.person.name})
            return redirect(reverse("orgs:transfer_list") + "?tab=incoming")
    return render(request, "orgs/transfer_refuse.html", {"transfer": transfer, "form": form},
                  status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------
# Requesting a transfer


def find_destinations(q: str) -> list[Org]:
    """Active grassroots unions, departments and teams anywhere in the province, by name or code, with the
    city (second level of the tree) they belong to as `city_name` — the destination may lie outside the
    requester's scope."""
    q = (q or "").strip()
    if not q:
        return []
    found = list(Org.objects.filter(is_active=True, kind__in=rules.EMPLOYER_KINDS)
                 .filter(queries.orgs_q(q)).order_by("depth", "path")[:MAX_DESTINATIONS])
    tops = {ancestor_at(o.path, 2) for o in found if o.depth > 2}
    names = dict(Org.objects.filter(path__in=tops).values_list("path", "name")) if tops else {}
    for o in found:
        o.city_name = names.get(ancestor_at(o.path, 2), "")
    return found


@login_required
def transfer_destinations(request: HttpRequest) -> HttpResponse:
    """The HTMX search of the transfer form: a list of units to choose from."""
    q = request.GET.get("q", "")
    return render(request, "orgs/_transfer_destinations.html", {
        "q": q, "destinations": find_destinations(q), "selected": None, "limit": MAX_DESTINATIONS})


@login_required
def transfer_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The origin union asks another union to take a member over (with the worker's employment)."""
    person = person_for_change(request, pk)
    form = TransferRequestForm(request.POST or request.GET or None)
    selected = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        selected = Org.objects.filter(pk=d["to_employer"]).first() if d.get("to_employer") else None
        if selected is None:
            form.add_error("to_employer", _("Search for the receiving unit and choose it from the list."))
        else:
            transfer = pages.handle(form, lambda: services.request_transfer(
                actor=logged_in(request.user), person=person, to_employer=selected, reason=d.get("reason") or ""))
            if transfer is not None:
                messages.success(request, _("The transfer of %(name)s to %(union)s has been requested; it takes "
                                            "effect when the receiving union accepts it.") % {
                    "name": person.name, "union": transfer.to_union.name})
                return redirect("orgs:person_detail", pk=person.pk)
    q = form.data.get("q", "") if form.is_bound else ""
    return render(request, "orgs/transfer_request.html", {
        "person": person, "form": form, "q": q, "destinations": find_destinations(q),
        "selected": selected.pk if selected else None, "limit": MAX_DESTINATIONS,
        "trail": person.employer.ancestors_and_self(),
    }, status=400 if request.method == "POST" else 200)


urlpatterns = [
    path("transfers/", transfer_list, name="transfer_list"),
    path("transfers/destinations/", transfer_destinations, name="transfer_destinations"),
    path("transfers/decide/", transfer_decide, name="transfer_decide"),
    path("transfers/<id:pk>/accept/", transfer_accept, name="transfer_accept"),
    path("transfers/<id:pk>/refuse/", transfer_refuse, name="transfer_refuse"),
    path("transfers/<id:pk>/cancel/", transfer_cancel, name="transfer_cancel"),
    path("people/<id:pk>/transfer/", transfer_request, name="transfer_request"),
]
