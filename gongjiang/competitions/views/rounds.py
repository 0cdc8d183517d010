"""The organiser's pages for running one round (赛区: one event × one stage × one organising org): the round page
with its header (state as steps, venue and dates) and the registrations tab (approve, refuse, withdraw,
导出Excel), check-in at the door (a phone page the admission ticket's QR code opens) and the admission ticket.
The round's other tabs are `views.draws` (参赛号 → 赛位号 → 加密号) and `views.judges`.

A round is visible to the users who reach both its competition and its organising org (the Jinan round of
the provincial competition's city qualifier: the province, the Jinan federation and the units below it, not
Qingdao); everything on it is done by `rnd.can_change(user)` (its organiser or the competition's), and the
services check again. Entries are read through `Entry.objects.for_user`, so a unit cadre who sees the round
sees only their own people on it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.pdf import pdf_response, qr_data_uri, render_pdf
from gongjiang.orgs import queries as org_queries
from gongjiang.orgs.models import Org

from .. import queries, services
from ..choices import HOLDING_A_PLACE, EntrySource, EntryStatus, RoundState
from ..forms.rounds import (
    CheckInForm,
    EntryFilterForm,
    RefuseForm,
    RoundDetailsForm,
    WithdrawForm,
    WitnessForm,
)
from ..models import Draw, Entry, Round
from .common import get_round, header_context, round_for_change

CHECKIN_RESULTS = 20


def entry_of_round(request: HttpRequest, rnd: Round, entry_pk: int) -> Entry:
    return get_object_or_404(Entry.objects.for_user(request.user, "view").filter(round=rnd)
                             .select_related("person", "unit"), pk=entry_pk)


# ---------------------------------------------------------------------------------------------
# Registrations tab (the round page)


def filter_entries(qs: QuerySet, form: EntryFilterForm) -> QuerySet:
    d = form.cleaned_data
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    if d.get("source"):
        qs = qs.filter(source=d["source"])
    q = (d.get("q") or "").strip()
    if q:  # the contestant number, or the site's one people search (orgs' queries.people_q)
        qs = qs.filter(Q(contestant_no=q) | org_queries.people_q(q, "person__"))
    return qs


# The columns the registrations sort by (?sort=name, ?sort=-status): the unit in the tree's order, the status in its
# own (awaiting approval, registered, … disqualified). The default: by contestant number, as drawn.
ENTRY_SORTING = pages.Sorting(
    {"number": "contestant_no", "name": "person__name", "unit": "unit__path", "status": "status_rank",
     "source": "source_rank", "station": "station_no"},
    default="number",
    annotations={"status_rank": pages.rank_of("status", EntryStatus.values),
                 "source_rank": pages.rank_of("source", EntrySource.values)})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The round page: header, venue/date form (POST), and the registrations with filters and export."""
    rnd = get_round(request, pk)
    details_form = None
    if request.method == "POST":
        if not rnd.can_change(request.user):
            raise PermissionDenied(_("Only the organiser of this round may do this."))
        details_form = RoundDetailsForm(request.POST)
        if details_form.is_valid():
            d = details_form.cleaned_data
            if pages.handle(details_form, lambda: services.set_round_details(
                    actor=request.user, rnd=rnd, venue=d["venue"], starts_on=d["starts_on"],
                    publicity_until=d["publicity_until"])) is not None:
                messages.success(request, _("The venue and dates of the round have been saved."))
                return redirect("competitions:round_detail", pk=rnd.pk)
    visible = Entry.objects.for_user(request.user, "view").filter(round=rnd)
    units = list(Org.objects.filter(pk__in=visible.values("unit_id")).only("pk", "name", "short_name")
                 .order_by("name"))
    form = EntryFilterForm(request.GET or None, units=units)
    qs = visible
    filtered = False
    if form.is_bound and form.is_valid():
        filtered = form.has_filters()
        qs = filter_entries(qs, form)
    elif not form.is_bound:
        form = EntryFilterForm(units=units)
    sort = ENTRY_SORTING(request)
    qs = sort.apply(qs.select_related("person", "unit"))
    if pages.wants_export(request):
        return export_entries(rnd, qs)
    counts = dict(visible.order_by().values_list("status").annotate(n=Count("pk")))
    page = pages.paginate(request, qs)
    rows = list(page.object_list)
    in_registration = rnd.state in {RoundState.REGISTRATION, RoundState.CHECKIN}
    can_change = rnd.can_change(request.user)
    for e in rows:
        e.can_decide = can_change and e.status in {EntryStatus.PENDING, EntryStatus.WAITLISTED}
        e.can_approve = can_change and e.status == EntryStatus.PENDING
        e.has_ticket = bool(e.contestant_no) and e.status in {EntryStatus.REGISTERED, EntryStatus.CHECKED_IN}
        e.can_withdraw = in_registration and e.status in {*HOLDING_A_PLACE, EntryStatus.WAITLISTED} and (
            can_change or e.unit.in_scope(request.user, "change"))
    context = {
        **header_context(request, rnd, "registrations", details_form),
        "form": form, "page": page, "rows": rows, "filtered": filtered, "sort": sort,
        "counts": [(value, label, counts.get(value, 0)) for value, label in EntryStatus.choices if counts.get(value)],
        "total": sum(counts.values()),
    }
    if details_form is not None and details_form.errors:
        return render(request, "competitions/rounds/detail.html", context, status=400)
    return pages.render_page(request, "competitions/rounds/detail.html", context,
                             fragment="competitions/rounds/_entry_rows.html")


def export_entries(rnd: Round, qs: QuerySet) -> HttpResponse:
    """导出Excel: ID numbers masked; the 加密号 only once the round is decrypted (before, it would link codes to
    names)."""
    headers = [_("Name"), _("ID number"), _("Unit"), _("Status"), _("Source"), _("Contestant number"),
               _("Station")]
    decrypted = rnd.is_decrypted
    if decrypted:
        headers.append(_("Anonymous code"))

    def rows() -> Iterator[list[Any]]:
        for e in qs.iterator(chunk_size=2000):
            row = [e.person.name, e.person.id_masked, e.unit.name, e.get_status_display(), e.get_source_display(),
                   e.contestant_no, e.station_no]
            yield [*row, e.code] if decrypted else row

    return pages.export(f"{_('Registrations')}-{rnd.event.name}-{rnd.organiser.display_name}", headers, rows())


def _back_to_list(request: HttpRequest, rnd: Round) -> HttpResponse:
    url = request.POST.get("next", "")
    if url.startswith(reverse("competitions:round_detail", args=[rnd.pk])):
        return redirect(url)
    return redirect("competitions:round_detail", pk=rnd.pk)


@login_required
@require_POST
def round_entry_approve(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    rnd = round_for_change(request, pk)
    entry = entry_of_round(request, rnd, entry_pk)
    pages.act(request, lambda: services.approve_entry(actor=request.user, entry=entry),
              _("The registration of %(name)s has been approved.") % {"name": entry.person.name})
    return _back_to_list(request, rnd)


@login_required
def round_entry_refuse(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Refusing a registration (awaiting approval or on the waiting list) needs a reason."""
    rnd = round_for_change(request, pk)
    entry = entry_of_round(request, rnd, entry_pk)
    return _entry_action(request, rnd, entry, RefuseForm, services.refuse_entry,
                         _("The registration of %(name)s has been refused."), _("Refuse a registration"),
                         _("Refuse"), danger=True)


@login_required
def round_entry_withdraw(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """The organiser or the entry's unit withdraws a registration; the freed place goes to the waiting list."""
    rnd = get_round(request, pk)
    entry = entry_of_round(request, rnd, entry_pk)
    if not (rnd.can_change(request.user) or entry.unit.in_scope(request.user, "change")):
        raise PermissionDenied(_("You may not withdraw this registration."))
    return _entry_action(request, rnd, entry, WithdrawForm, services.withdraw_entry,
                         _("The registration of %(name)s has been withdrawn."), _("Withdraw a registration"),
                         _("Withdraw"), danger=False)


def _entry_action(request: HttpRequest, rnd: Round, entry: Entry, form_class: Any, verb: Any, done: str,
                  title: str, submit: str, *, danger: bool) -> HttpResponse:
    """A decision on one registration that needs a reason (refuse, withdraw): the form, the verb, the message."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if pages.handle(form, lambda: verb(actor=request.user, entry=entry,
                                           reason=form.cleaned_data["reason"])) is not None:
            messages.success(request, done % {"name": entry.person.name})
            return _back_to_list(request, rnd)
    return render(request, "competitions/rounds/entry_action.html", {
        "rnd": rnd, "entry": entry, "form": form, "title": title, "submit": submit, "danger": danger},
        status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------
# Check-in (a phone page at the door) and the admission ticket


def find_entries(base: QuerySet, q: str) -> list[Entry]:
    """By contestant number (exact), or by the site's one people search (orgs' queries.people_q): part of the
    name, the last four characters of the ID number, a mobile tail, a whole ID or mobile number."""
    q = q.strip()
    if not q:
        return []
    cond = Q(contestant_no=q) | org_queries.people_q(q, "person__")
    return list(base.filter(cond).select_related("person", "unit").order_by("contestant_no", "pk")[:CHECKIN_RESULTS])


@login_required
def round_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    """检录: type or scan a contestant number (the ticket's QR code opens this page with ?no=), or search a
    name or the last four of the ID; the organiser checks the contestant in. Lists who is still missing."""
    rnd = get_round(request, pk)
    base = Entry.objects.for_user(request.user, "view").filter(round=rnd)
    form = CheckInForm(request.POST or None)
    status, error, checked = 200, "", None
    if request.method == "POST":
        if not rnd.can_change(request.user):
            raise PermissionDenied(_("Only the organiser of this round may do this."))
        if form.is_valid():
            no = form.cleaned_data["no"].strip()
            entry = base.filter(contestant_no=no).select_related("person", "unit").first()
            if entry is None:
                error = _("No contestant of this round has the number %(no)s.") % {"no": no}
            else:
                checked, refusal = pages.attempt(lambda: services.check_in(actor=request.user, entry=entry))
                error = refusal.message if refusal else ""
        if error or form.errors:
            status = 400
        else:
            messages.success(request, _("%(name)s (%(no)s) has checked in.") % {
                "name": checked.person.name, "no": checked.contestant_no})
            return redirect("competitions:round_checkin", pk=rnd.pk)
    q = (request.GET.get("no") or request.GET.get("q") or "").strip()
    if error and not q:  # show the contestant again (why they cannot be checked in), or nobody for a wrong number
        q = form.cleaned_data.get("no", "").strip()
    found = find_entries(base, q) if q else []
    missing = list(base.filter(status=EntryStatus.REGISTERED).exclude(contestant_no="")
                   .select_related("person", "unit").order_by("contestant_no"))
    counts = dict(base.order_by().values_list("status").annotate(n=Count("pk")))
    station_draw = Draw.objects.filter(round=rnd, purpose__endswith=f"/ {queries.STATION}").first()
    context = {**header_context(request, rnd, "checkin"), "q": q, "found": found, "missing": missing,
               "error": error, "form": form, "checked_in": counts.get(EntryStatus.CHECKED_IN, 0),
               "expected": counts.get(EntryStatus.CHECKED_IN, 0) + counts.get(EntryStatus.REGISTERED, 0),
               "station_draw": station_draw, "witness_form": WitnessForm(prefix="stations"),
               "is_checkin": rnd.state == RoundState.CHECKIN}
    return render(request, "competitions/rounds/checkin.html", context, status=status)


@login_required
def entry_ticket(request: HttpRequest, pk: int) -> HttpResponse:
    """The admission ticket (准考证) as a PDF: for the round's organisers, the entry's unit and the worker. Its
    QR code opens the check-in page at this contestant's number."""
    entry = get_object_or_404(Entry.objects.for_user(request.user, "view").select_related(
        "person", "unit", "round__event__competition", "round__stage", "round__organiser"), pk=pk)
    rnd = entry.round
    if not entry.contestant_no or entry.status not in {EntryStatus.REGISTERED, EntryStatus.CHECKED_IN}:
        return render(request, "competitions/rounds/ticket_unavailable.html", {"entry": entry, "rnd": rnd},
                      status=409)
    checkin_url = request.build_absolute_uri(
        reverse("competitions:round_checkin", args=[rnd.pk]) + "?" + urlencode({"no": entry.contestant_no}))
    data = render_pdf("competitions/rounds/ticket_pdf.html", {
        "entry": entry, "rnd": rnd, "competition": rnd.event.competition, "checkin_url": checkin_url,
        "qr": qr_data_uri(checkin_url, scale=4)}, request=request)
    return pdf_response(data, f"{_('Admission ticket')}-{entry.contestant_no}-{entry.person.name}.pdf")


urlpatterns: list[URLPattern] = [
    path("competitions/rounds/<id:pk>/", round_detail, name="round_detail"),
    path("competitions/rounds/<id:pk>/entries/<id:entry_pk>/approve/", round_entry_approve,
         name="round_entry_approve"),
    path("competitions/rounds/<id:pk>/entries/<id:entry_pk>/refuse/", round_entry_refuse, name="round_entry_refuse"),
    path("competitions/rounds/<id:pk>/entries/<id:entry_pk>/withdraw/", round_entry_withdraw,
         name="round_entry_withdraw"),
    path("competitions/rounds/<id:pk>/checkin/", round_checkin, name="round_checkin"),
    path("competitions/entries/<id:pk>/ticket.pdf", entry_ticket, name="entry_ticket"),
]
