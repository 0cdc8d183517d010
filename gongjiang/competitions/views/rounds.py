"""The organiser's pages for running one round (赛区: one event × one stage × one organising org): the round's
header (state as steps, venue and dates) and its tabs — registrations (approve, refuse, withdraw, 导出Excel),
draws (参赛号 → 赛位号 → 加密号, witnessed, every record re-runnable), check-in at the door (a phone page the
admission ticket's QR code opens) and judges (pool, roles, conflicts, opening the marking).

A round is visible to the users who reach both its competition and its organising org (the Jinan round of
the provincial competition's city qualifier: the province, the Jinan federation and the units below it, not
Qingdao); everything on it is done by `rnd.can_change(user)` (its organiser or the competition's), and the
services check again. Entries are read through `Entry.objects.for_user`, so a unit cadre who sees the round
sees only their own people on it."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from gongjiang.core import audit, pages
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.pdf import pdf_response, qr_data_uri, render_pdf
from gongjiang.orgs.models import Org, User, scope_q

from ..choices import HOLDING_A_PLACE, EntryStatus, JudgeRole, RoundState
from ..forms.rounds import (
    AddJudgeForm,
    AssignJudgeForm,
    CheckInForm,
    ConflictForm,
    EntryFilterForm,
    RefuseForm,
    RoundDetailsForm,
    WithdrawForm,
    WitnessForm,
    apply_domain_error,
)
from ..models import Competition, Conflict, Draw, Entry, Judge, Round, RoundJudge, Scheme, reach_q
from ..services import draws, judging, registration, structure

ROUND_RELATED = ("event__competition__organiser", "event__trade", "stage", "organiser")
DRAW_KINDS = {"numbers": draws.CONTESTANT_NO, "stations": draws.STATION, "codes": draws.CODE}
CHECKIN_RESULTS = 20
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


# ---------------------------------------------------------------------------------------------
# Fetching


def visible_rounds(user: Any) -> QuerySet[Round]:
    """Rounds of a competition the user reaches whose organising org they reach too: the province sees every
    round, a city its own round and the rounds above it, a county its city's round; Qingdao never sees the
    Jinan round."""
    return Round.objects.for_user(user, "view").filter(reach_q(user, "organiser"))


def get_round(request: HttpRequest, pk: int) -> Round:
    return get_object_or_404(visible_rounds(request.user).select_related(*ROUND_RELATED), pk=pk)


def round_for_change(request: HttpRequest, pk: int) -> Round:
    """A round the user sees (else 404) and runs (else 403)."""
    rnd = get_round(request, pk)
    if not rnd.can_change(request.user):
        raise PermissionDenied(_("Only the organiser of this round may do this."))
    return rnd


def entry_of_round(request: HttpRequest, rnd: Round, entry_pk: int) -> Entry:
    return get_object_or_404(Entry.objects.for_user(request.user, "view").filter(round=rnd)
                             .select_related("person", "unit"), pk=entry_pk)


def visible_draw(request: HttpRequest, pk: int) -> Draw:
    """A draw of a visible round (or, for a competition-wide draw, of a visible competition)."""
    draw = get_object_or_404(Draw.objects.select_related("drawn_by", "competition"), pk=pk)
    if draw.round_id:
        draw.round = get_object_or_404(visible_rounds(request.user).select_related(*ROUND_RELATED), pk=draw.round_id)
    elif not Competition.objects.for_user(request.user, "view").filter(pk=draw.competition_id).exists():
        raise Http404
    return draw


# ---------------------------------------------------------------------------------------------
# The round's header, shared by every tab


STEP_LABELS = {  # the state indicator reads as the contest runs: 报名→检录→评分→锁定→解密→公示→成绩确认
    RoundState.REGISTRATION: pgettext_lazy("round step", "Registration"),
    RoundState.CHECKIN: pgettext_lazy("round step", "Check-in"),
    RoundState.MARKING: pgettext_lazy("round step", "Marking"),
    RoundState.LOCKED: pgettext_lazy("round step", "Locked"),
    RoundState.DECRYPTED: pgettext_lazy("round step", "Decryption"),
    RoundState.PUBLICITY: pgettext_lazy("round step", "Public notice"),
    RoundState.FINAL: pgettext_lazy("round step", "Results confirmed"),
}


def steps(rnd: Round) -> list[dict[str, Any]]:
    states = list(RoundState.values)
    current = states.index(rnd.state)
    return [{"label": str(STEP_LABELS[RoundState(s)]), "done": i < current, "current": i == current}
            for i, s in enumerate(states)]


def header_context(request: HttpRequest, rnd: Round, tab: str, details_form: RoundDetailsForm | None = None
                   ) -> dict[str, Any]:
    can_change = rnd.can_change(request.user)
    if details_form is None and can_change:
        details_form = RoundDetailsForm(initial={"venue": rnd.venue, "starts_on": rnd.starts_on,
                                                 "publicity_until": rnd.publicity_until})
    return {"rnd": rnd, "competition": rnd.event.competition, "tab": tab, "steps": steps(rnd),
            "can_change": can_change, "details_form": details_form,
            "tabs": [("round_detail", "registrations", pgettext("round tab", "Registrations")),
                     ("round_draws", "draws", pgettext("round tab", "Draws")),
                     ("round_checkin", "checkin", pgettext("round tab", "Check-in")),
                     ("round_judges", "judges", pgettext("round tab", "Judges"))]}


def forbidden(e: PermissionDeniedError) -> PermissionDenied:
    return PermissionDenied(e.message)


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
    if q:
        qs = qs.filter(Q(person__name__contains=q) | Q(contestant_no=q))
    return qs


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
            try:
                structure.set_round_details(actor=request.user, rnd=rnd, venue=d["venue"], starts_on=d["starts_on"],
                                            publicity_until=d["publicity_until"])
            except PermissionDeniedError as e:
                raise forbidden(e) from None
            except DomainError as e:
                apply_domain_error(details_form, e)
            else:
                messages.success(request, _("The venue and dates of the round have been saved."))
                return redirect("round_detail", pk=rnd.pk)
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
    qs = qs.select_related("person", "unit").order_by("contestant_no", "pk")
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
        "form": form, "page": page, "rows": rows, "filtered": filtered,
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
    if url.startswith(reverse("round_detail", args=[rnd.pk])):
        return redirect(url)
    return redirect("round_detail", pk=rnd.pk)


@login_required
@require_POST
def round_entry_approve(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    rnd = round_for_change(request, pk)
    entry = entry_of_round(request, rnd, entry_pk)
    try:
        registration.approve_entry(actor=request.user, entry=entry)
    except PermissionDeniedError as e:
        raise forbidden(e) from None
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The registration of %(name)s has been approved.") % {"name": entry.person.name})
    return _back_to_list(request, rnd)


@login_required
def round_entry_refuse(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Refusing a registration (awaiting approval or on the waiting list) needs a reason."""
    rnd = round_for_change(request, pk)
    entry = entry_of_round(request, rnd, entry_pk)
    return _entry_action(request, rnd, entry, RefuseForm, registration.refuse_entry,
                         _("The registration of %(name)s has been refused."), _("Refuse a registration"),
                         _("Refuse"), danger=True)


@login_required
def round_entry_withdraw(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """The organiser or the entry's unit withdraws a registration; the freed place goes to the waiting list."""
    rnd = get_round(request, pk)
    entry = entry_of_round(request, rnd, entry_pk)
    if not (rnd.can_change(request.user) or entry.unit.in_scope(request.user, "change")):
        raise PermissionDenied(_("You may not withdraw this registration."))
    return _entry_action(request, rnd, entry, WithdrawForm, registration.withdraw_entry,
                         _("The registration of %(name)s has been withdrawn."), _("Withdraw a registration"),
                         _("Withdraw"), danger=False)


def _entry_action(request: HttpRequest, rnd: Round, entry: Entry, form_class: Any, verb: Any, done: str,
                  title: str, submit: str, *, danger: bool) -> HttpResponse:
    """A decision on one registration that needs a reason (refuse, withdraw): the form, the verb, the message."""
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verb(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
        except PermissionDeniedError as e:
            raise forbidden(e) from None
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, done % {"name": entry.person.name})
            return _back_to_list(request, rnd)
    return render(request, "competitions/rounds/entry_action.html", {
        "rnd": rnd, "entry": entry, "form": form, "title": title, "submit": submit, "danger": danger},
        status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------
# Draws tab, draw records


def pair_text(x: Any) -> str:
    """One element of a draw's result: "item→label" for numbers and codes, the item for a shuffle or sample."""
    return f"{x[0]}→{x[1]}" if isinstance(x, list) and len(x) == 2 else str(x)


def describe_draws(found: list[Draw], rnd: Round | None, *, full: bool = False) -> list[Draw]:
    """Label each draw and say whether its record is sealed (the 加密号 draw before decryption)."""
    labels = {draws.CONTESTANT_NO: _("Contestant numbers"), draws.STATION: _("Stations"),
              draws.CODE: _("Anonymous codes"), draws.TEAM: _("Team members drawn from the roster"),
              draws.RECHECK: _("Re-check sample"), draws.OTHER: _("Other draw")}
    for d in found:
        d.key = draws.purpose_key(d)
        d.label = labels[d.key]
        d.sealed = draws.is_sealed(d, rnd if d.round_id else None)
        d.result_digest = draws.result_digest(d) if d.sealed else ""
        d.result_size = len(d.result)
        d.preview = [] if d.sealed else [pair_text(x) for x in d.result[:8]]
        d.result_texts = [pair_text(x) for x in d.result] if full and not d.sealed else []
    return found


def draws_context(request: HttpRequest, rnd: Round, bound: dict[str, WitnessForm] | None = None) -> dict[str, Any]:
    records = describe_draws(list(Draw.objects.filter(round=rnd).select_related("drawn_by").order_by("drawn_at",
                                                                                                         "pk")), rnd)
    done = {d.key: d for d in records}
    counts = dict(Entry.objects.filter(round=rnd).order_by().values_list("status").annotate(n=Count("pk")))
    forms = {kind: (bound or {}).get(kind) or WitnessForm(prefix=kind) for kind in DRAW_KINDS}
    checkin = rnd.state == RoundState.CHECKIN
    steps_ = [
        {"kind": "numbers", "title": _("1. Contestant numbers"), "draw": done.get(draws.CONTESTANT_NO),
         "open": rnd.state == RoundState.REGISTRATION,
         "help": _("Draws a contestant number for every registered entry and closes registration: those awaiting "
                   "approval must be decided first, those still waiting for a place are refused.")},
        {"kind": "stations", "title": _("2. Stations (first encryption)"), "draw": done.get(draws.STATION),
         "open": checkin and not done.get(draws.STATION),
         "help": _("After check-in: draws a station for every checked-in contestant from the contestant numbers "
                   "(no names); whoever has not checked in is marked absent.")},
        {"kind": "codes", "title": _("3. Anonymous codes (second encryption)"), "draw": done.get(draws.CODE),
         "open": checkin and bool(done.get(draws.STATION)),
         "help": _("Draws a code for every station (from the station numbers only). Judges know the entries by "
                   "these codes alone; the record stays sealed until decryption.")},
    ]
    for s in steps_:
        s["form"] = forms[s["kind"]]
    return {**header_context(request, rnd, "draws"), "records": records, "draw_steps": steps_,
            "registered": counts.get(EntryStatus.REGISTERED, 0), "checked_in": counts.get(EntryStatus.CHECKED_IN, 0),
            "pending": counts.get(EntryStatus.PENDING, 0)}


@login_required
def round_draws(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round(request, pk)
    return render(request, "competitions/rounds/draws.html", draws_context(request, rnd))


@login_required
@require_POST
def round_draw(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Make one of the round's draws with its witnesses; a refusal (too few witnesses, a second draw, the wrong
    state) is shown on the form and nothing is drawn."""
    if kind not in DRAW_KINDS:
        raise Http404
    rnd = round_for_change(request, pk)
    form = WitnessForm(request.POST, prefix=kind)
    service = {"numbers": draws.draw_contestant_numbers, "stations": draws.draw_stations,
               "codes": draws.draw_codes}[kind]
    if form.is_valid():
        try:
            draw = service(actor=request.user, rnd=rnd, witnesses=form.witnesses())
        except PermissionDeniedError as e:
            raise forbidden(e) from None
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The draw has been made and recorded (%(n)s drawn).") % {
                "n": len(draw.result)})
            if request.POST.get("next") == "checkin":
                return redirect("round_checkin", pk=rnd.pk)
            return redirect("round_draws", pk=rnd.pk)
    rnd.refresh_from_db(fields=["state"])
    return render(request, "competitions/rounds/draws.html", draws_context(request, rnd, {kind: form}), status=400)


@login_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable draw record with the algorithm, so a witness can re-run it independently; `?format=json`
    downloads the record itself (not for a sealed draw)."""
    draw = visible_draw(request, pk)
    [draw] = describe_draws([draw], draw.round, full=True)
    if request.GET.get("format") == "json":
        if draw.sealed:
            raise PermissionDenied(_("This record is sealed until the round is decrypted."))
        record = {**draw.as_record(), "seed_parts": draw.seed_parts, "witnesses": draw.witnesses,
                  "drawn_at": draw.drawn_at.isoformat()}
        response = HttpResponse(json.dumps(record, ensure_ascii=False, indent=1),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}.json"'
        return response
    return render(request, "competitions/rounds/draw_detail.html", {
        "draw": draw, "rnd": draw.round, "report": None, "params": sorted((draw.params or {}).items())})


@login_required
def draw_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-run a recorded draw (anyone who can see it): 一致 or 不一致, and which part does not check out."""
    draw = visible_draw(request, pk)
    report = draws.rerun_report(draw)
    if pages.is_htmx(request):
        return render(request, "competitions/rounds/_rerun_result.html", {"report": report, "draw": draw})
    [draw] = describe_draws([draw], draw.round, full=True)
    return render(request, "competitions/rounds/draw_detail.html", {
        "draw": draw, "rnd": draw.round, "report": report, "params": sorted((draw.params or {}).items())})


# ---------------------------------------------------------------------------------------------
# Check-in (a phone page at the door) and the admission ticket


def find_entries(base: QuerySet, q: str) -> list[Entry]:
    """By contestant number (exact), by name, or by the last four characters of the ID number."""
    q = q.strip()
    if not q:
        return []
    cond = Q(contestant_no=q) | Q(person__name__contains=q)
    if len(q) == 4:
        cond |= Q(person__id_masked__endswith=q.upper())
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
                try:
                    checked = draws.check_in(actor=request.user, entry=entry)
                except PermissionDeniedError as e:
                    raise forbidden(e) from None
                except DomainError as e:
                    error = e.message
        if error or form.errors:
            status = 400
        else:
            messages.success(request, _("%(name)s (%(no)s) has checked in.") % {
                "name": checked.person.name, "no": checked.contestant_no})
            return redirect("round_checkin", pk=rnd.pk)
    q = (request.GET.get("no") or request.GET.get("q") or "").strip()
    if error and not q:  # show the contestant again (why they cannot be checked in), or nobody for a wrong number
        q = form.cleaned_data.get("no", "").strip()
    found = find_entries(base, q) if q else []
    missing = list(base.filter(status=EntryStatus.REGISTERED).exclude(contestant_no="")
                   .select_related("person", "unit").order_by("contestant_no"))
    counts = dict(base.order_by().values_list("status").annotate(n=Count("pk")))
    station_draw = Draw.objects.filter(round=rnd, purpose__endswith=f"/ {draws.STATION}").first()
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
        reverse("round_checkin", args=[rnd.pk]) + "?" + urlencode({"no": entry.contestant_no}))
    data = render_pdf("competitions/rounds/ticket_pdf.html", {
        "entry": entry, "rnd": rnd, "competition": rnd.event.competition, "checkin_url": checkin_url,
        "qr": qr_data_uri(checkin_url, scale=4)}, request=request)
    return pdf_response(data, f"{_('Admission ticket')}-{entry.contestant_no}-{entry.person.name}.pdf")


# ---------------------------------------------------------------------------------------------
# Judges tab


def pool_orgs(user: Any, rnd: Round) -> list[Org]:
    """The pools a user may add judges to for this round: the round's organiser and the competition's, where
    the user has change rights."""
    orgs = {rnd.organiser.pk: rnd.organiser, rnd.event.competition.organiser.pk: rnd.event.competition.organiser}
    return [o for o in orgs.values() if o.in_scope(user, "change")]


def pool_judges(user: Any, rnd: Round) -> QuerySet[Judge]:
    """Judges of the pools inside the user's scopes, and of the pools of the orgs above the round's organiser up
    to the competition's (a province lends its judges to a city round)."""
    above = [rnd.organiser.path[:i] for i in range(Org.steplen, len(rnd.organiser.path) + 1, Org.steplen)]
    mine = scope_q(user, "view", prefix="pool__")
    qs = Judge.objects.filter(is_active=True)
    if mine:  # an empty Q means the whole tree: no filter at all (Q() | x would be x alone)
        qs = qs.filter(mine | Q(pool__path__in=above))
    return qs.select_related("unit", "pool").order_by("name", "pk")


def conflict_judges(user: Any, rnd: Round) -> QuerySet[Judge]:
    """The round's judges whose pool the user keeps: a conflict is recorded on the judge (for every round), so
    the cadres of the judge's pool declare it (services.judging.declare_conflict)."""
    return (Judge.objects.filter(assignments__round=rnd).filter(scope_q(user, "change", prefix="pool__"))
            .select_related("unit").order_by("name"))


def judges_context(request: HttpRequest, rnd: Round, *, assign_form: AssignJudgeForm | None = None,
                   conflict_form: ConflictForm | None = None, marking_error: str = "") -> dict[str, Any]:
    can_change = rnd.can_change(request.user)
    assigned = list(RoundJudge.objects.filter(round=rnd).select_related("judge__unit", "judge__pool", "judge__user")
                    .prefetch_related("judge__trades").order_by("role", "judge__name"))
    conflicts: dict[int, list[Conflict]] = {}
    for c in Conflict.objects.filter(judge__in=[rj.judge_id for rj in assigned]).select_related("person", "org"):
        conflicts.setdefault(c.judge_id, []).append(c)
    for rj in assigned:
        rj.conflicts = conflicts.get(rj.judge_id, [])
    roles = {r: sum(1 for rj in assigned if rj.role == r) for r in JudgeRole.values}
    scheme = Scheme.objects.filter(event=rnd.event_id).first()
    context = {**header_context(request, rnd, "judges"), "assigned": assigned, "roles": roles, "scheme": scheme,
               "marking_error": marking_error,
               "codes_drawn": Draw.objects.filter(round=rnd, purpose__endswith=f"/ {draws.CODE}").exists(),
               "can_assign": can_change and rnd.state in {RoundState.REGISTRATION, RoundState.CHECKIN}}
    if can_change:
        round_judges = conflict_judges(request.user, rnd)
        entries = list(Entry.objects.filter(round=rnd).exclude(status__in=[EntryStatus.WITHDRAWN,
                                                                           EntryStatus.REFUSED])
                       .select_related("person", "unit").order_by("unit__name", "person__name"))
        units = list({e.unit_id: e.unit for e in entries}.values())
        people = [(e.person_id, f"{e.person.name}（{e.unit.display_name}）") for e in entries]
        context["assign_form"] = assign_form or AssignJudgeForm(judges=pool_judges(request.user, rnd))
        context["conflict_form"] = conflict_form or ConflictForm(judges=round_judges, people=people, units=units)
    return context


@login_required
def round_judges(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round(request, pk)
    return render(request, "competitions/rounds/judges.html", judges_context(request, rnd))


@login_required
@require_POST
def round_judge_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign a judge of the pool as judge, chief judge or supervisor (again with another role: a change)."""
    rnd = round_for_change(request, pk)
    form = AssignJudgeForm(request.POST, judges=pool_judges(request.user, rnd))
    if form.is_valid():
        try:
            rj = judging.assign_judge(actor=request.user, rnd=rnd, judge=form.cleaned_data["judge"],
                                      role=form.cleaned_data["role"])
        except PermissionDeniedError as e:
            raise forbidden(e) from None
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, _("%(name)s is %(role)s of this round.") % {
                "name": rj.judge.name, "role": rj.get_role_display()})
            return redirect("round_judges", pk=rnd.pk)
    return render(request, "competitions/rounds/judges.html", judges_context(request, rnd, assign_form=form),
                  status=400)


def new_password() -> str:
    """An initial password for a new judge account, easy to read out (no 0/O, 1/l/I)."""
    chars = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


@login_required
def round_judge_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Put a judge into a pool (an existing account, or a new one with a generated initial password shown once)
    and, optionally, assign them to this round at once. All or nothing."""
    rnd = round_for_change(request, pk)
    pools = pool_orgs(request.user, rnd)
    if not pools:
        raise PermissionDenied(_("You may not add judges to a pool of this round's organisers."))
    form = AddJudgeForm(request.POST or None, pools=pools)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        password = ""
        try:
            with transaction.atomic():
                if d["account"] == AddJudgeForm.EXISTING:
                    account = User.objects.filter(username=d["username"], is_active=True).first()
                    if account is None:
                        raise DomainError(_("No active account has the user name %(u)s.") % {"u": d["username"]},
                                          field="username")
                else:
                    if User.objects.filter(username=d["username"]).exists():
                        raise DomainError(_("The user name %(u)s is taken; choose “Use an existing account” if it"
                                            " is the judge's.") % {"u": d["username"]}, field="username")
                    password = new_password()
                    account = User.objects.create_user(username=d["username"], password=password,
                                                       full_name=d["name"].strip())
                    audit.record(request.user, "orgs.account.created", account,
                                 after={"username": account.username, "full_name": account.full_name, "judge": True},
                                 org=d["pool"])
                judge = judging.add_judge(actor=request.user, pool=d["pool"], user=account, unit=d["unit"],
                                          name=d["name"], trades=d["trades"], qualification=d["qualification"])
                if d["role"]:
                    judging.assign_judge(actor=request.user, rnd=rnd, judge=judge, role=d["role"])
        except PermissionDeniedError as e:
            raise forbidden(e) from None
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            return render(request, "competitions/rounds/judge_added.html", {
                **header_context(request, rnd, "judges"), "judge": judge, "account": account,
                "password": password, "role": dict(form.fields["role"].choices).get(d["role"], "")})
    return render(request, "competitions/rounds/judge_add.html", {**header_context(request, rnd, "judges"),
                                                                   "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def round_judge_conflict(request: HttpRequest, pk: int) -> HttpResponse:
    """Declare a conflict of interest of one of the round's judges with a contestant or a unit."""
    rnd = round_for_change(request, pk)
    judges_qs = conflict_judges(request.user, rnd)
    entries = list(Entry.objects.filter(round=rnd).select_related("person", "unit"))
    units = list({e.unit_id: e.unit for e in entries}.values())
    form = ConflictForm(request.POST, judges=judges_qs, units=units,
                        people=[(e.person_id, e.person.name) for e in entries])
    if form.is_valid():
        d = form.cleaned_data
        person = next((e.person for e in entries if e.person_id == d["person"]), None)
        unit = next((u for u in units if u.pk == d["unit"]), None)
        try:
            judging.declare_conflict(actor=request.user, judge=d["judge"], reason=d["reason"], person=person,
                                     org=unit)
        except PermissionDeniedError as e:
            raise forbidden(e) from None
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, _("The conflict of interest of %(name)s has been recorded.") % {
                "name": d["judge"].name})
            return redirect("round_judges", pk=rnd.pk)
    return render(request, "competitions/rounds/judges.html", judges_context(request, rnd, conflict_form=form),
                  status=400)


@login_required
@require_POST
def round_open_marking(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the mark sheets and open marking; a refusal (e.g. a contestant, named by 加密号, left without enough
    judges free of conflict) is shown on the judges tab."""
    rnd = round_for_change(request, pk)
    try:
        sheets = judging.open_marking(actor=request.user, rnd=rnd)
    except PermissionDeniedError as e:
        raise forbidden(e) from None
    except DomainError as e:
        return render(request, "competitions/rounds/judges.html", judges_context(request, rnd,
                                                                                 marking_error=e.message), status=400)
    messages.success(request, _("Marking is open: %(n)s mark sheets have been handed to the judges.") % {"n": sheets})
    return redirect("round_judges", pk=rnd.pk)


urlpatterns: list[URLPattern] = [
    path("competitions/rounds/<int:pk>/", round_detail, name="round_detail"),
    path("competitions/rounds/<int:pk>/entries/<int:entry_pk>/approve/", round_entry_approve,
         name="round_entry_approve"),
    path("competitions/rounds/<int:pk>/entries/<int:entry_pk>/refuse/", round_entry_refuse, name="round_entry_refuse"),
    path("competitions/rounds/<int:pk>/entries/<int:entry_pk>/withdraw/", round_entry_withdraw,
         name="round_entry_withdraw"),
    path("competitions/rounds/<int:pk>/draws/", round_draws, name="round_draws"),
    path("competitions/rounds/<int:pk>/draws/<str:kind>/", round_draw, name="round_draw"),
    path("competitions/rounds/<int:pk>/checkin/", round_checkin, name="round_checkin"),
    path("competitions/rounds/<int:pk>/judges/", round_judges, name="round_judges"),
    path("competitions/rounds/<int:pk>/judges/assign/", round_judge_assign, name="round_judge_assign"),
    path("competitions/rounds/<int:pk>/judges/add/", round_judge_add, name="round_judge_add"),
    path("competitions/rounds/<int:pk>/judges/conflict/", round_judge_conflict, name="round_judge_conflict"),
    path("competitions/rounds/<int:pk>/marking/open/", round_open_marking, name="round_open_marking"),
    path("competitions/draws/<int:pk>/", draw_detail, name="draw_detail"),
    path("competitions/draws/<int:pk>/rerun/", draw_rerun, name="draw_rerun"),
    path("competitions/entries/<int:pk>/ticket.pdf", entry_ticket, name="entry_ticket"),
]
