"""Pages of workers (on their phones) and of the unit cadres who register their people.

- A worker sees the competitions open to registration that reach their unit, each event with what registering
  would give them *before* they try (every reason of the rules), registers themself, and follows their
  entries: status, contestant and station numbers, the admission ticket, results and certificate; they may
  withdraw while the contest has not started.
- A unit cadre finds a worker of their units (name, mobile, the last digits of the ID number), sees the same
  reasons and registers them; lists, filters, exports and withdraws their units' entries; imports
  registrations in bulk from .xlsx (every row checked first, all or nothing); enters a team for a team event
  (its selected contestants), whose other members the round's organiser draws, witnessed, on the team page.

Reads go through `for_user`; writes only through `services.registration` and `services.draws`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.errors import DomainError
from gongjiang.core.models import ImportJob
from gongjiang.core.pages import xlsx_response
from gongjiang.orgs import queries as org_queries
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.scoping import grant_orgs, scope_for

from .. import queries, registration_import, services
from ..choices import CompetitionKind, CompetitionState, EntrySource, EntryStatus, RoundState
from ..forms.worker import (
    EntryFilterForm,
    RegisterForm,
    RegistrationImportForm,
    TeamForm,
    UnitPickForm,
    WithdrawForm,
    WitnessForm,
)
from ..models import Competition, Draw, Entry, Event, Team

T = "competitions/worker/"
ACTIVE = {EntryStatus.PENDING, EntryStatus.REGISTERED, EntryStatus.WAITLISTED, EntryStatus.CHECKED_IN}
WITHDRAWABLE_ROUND = {RoundState.REGISTRATION, RoundState.CHECKIN}
PUBLISHED = {RoundState.PUBLICITY, RoundState.FINAL}
# The admission ticket (准考证) is useful from the draw of the contestant numbers (which opens the check-in) until
# marking ends; after it, the entry offers the results (公示) and the certificate instead.
TICKET_ROUND = {RoundState.CHECKIN, RoundState.MARKING}
ENTRY_RELATED = ("person", "unit", "team", "round__event__competition", "round__stage", "round__organiser")
MAX_FOUND = 20


def open_competitions(user: Any) -> QuerySet[Competition]:
    """Skills competitions open to registration that reach the user (organised above their unit or inside
    their scopes), with their events."""
    return (Competition.objects.for_user(user, "view")
            .filter(kind=CompetitionKind.SKILLS, state=CompetitionState.REGISTRATION)
            .select_related("organiser")
            .prefetch_related(Prefetch("events", queryset=Event.objects.order_by("order", "id")))
            .order_by("-year", "-id"))


def _visible_events(user: Any) -> QuerySet[Event]:
    return Event.objects.filter(competition__in=Competition.objects.for_user(user, "view")).select_related(
        "competition__organiser")


def note_messages(entry: Entry) -> list[str]:
    """The entry's notes (the rules' reasons at registration, the unit's remark) in the active language."""
    found = []
    for note in entry.notes or []:
        params = note.get("params") or {}
        if note.get("code") == "remark":
            found.append(_("Remark: %(text)s") % {"text": params.get("text", "")})
            continue
        try:
            found.append(_(note.get("template", "")) % params)
        except (KeyError, TypeError, ValueError):
            found.append(note.get("template", ""))
    return found


def decorate(entries: list[Entry], user: Any) -> list[Entry]:
    """What the entry rows show: notes, whether the results are out, the links (the ticket while it admits to
    the contest, the results and certificate once they are out) and the withdraw button."""
    for e in entries:
        e.note_messages = note_messages(e)
        e.results_published = e.round.state in PUBLISHED
        e.ticket_url = (
            reverse("competitions:entry_ticket", args=[e.pk])
            if e.contestant_no
            and e.round.state in TICKET_ROUND
            and e.status in {EntryStatus.REGISTERED, EntryStatus.CHECKED_IN}
            else ""
        )
        e.results_url = (reverse("competitions:public_notice", args=[e.round_id])
                         if e.results_published and e.status == EntryStatus.CHECKED_IN else "")
        cert = getattr(e, "certificate", None) if "certificate" in e._state.fields_cache else None
        e.certificate_url = (reverse("competitions:certificate_pdf", args=[cert.pk])
                             if cert is not None and not cert.revoked_at else "")
        e.can_withdraw = (e.status in ACTIVE and e.round.state in WITHDRAWABLE_ROUND
                          and (e.person_id == getattr(user, "person_id", None) or e.unit.in_scope(user, "change")))
        # 申诉: while the results are on public notice, the contestant (or their unit) appeals from the entry,
        # and reads the arbitration decision there until the results are final.
        e.appeal_url = e.appeal_open = ""
        if (e.round.state == RoundState.PUBLICITY and e.status == EntryStatus.CHECKED_IN
                and (e.person_id == getattr(user, "person_id", None) or e.unit.in_scope(user, "change"))):
            e.appeal_url = reverse("competitions:appeal_file", args=[e.pk])
            until = e.round.publicity_until
            e.appeal_open = until is None or timezone.localdate() <= until
    return entries


def _next_url(request: HttpRequest, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


def _registered_message(entry: Entry) -> str:
    name, event = entry.person.name, entry.round.event.name
    if entry.status == EntryStatus.WAITLISTED:
        return _("%(name)s is on the waiting list of %(event)s; a place freed by a withdrawal goes to the first"
                 " on the list.") % {"name": name, "event": event}
    if entry.status == EntryStatus.PENDING:
        return _("%(name)s is registered for %(event)s; the registration awaits the organiser's approval.") % {
            "name": name, "event": event}
    return _("%(name)s is registered for %(event)s.") % {"name": name, "event": event}


def _my_registered_message(entry: Entry) -> str:
    """What a worker who has just registered themself is told: where they are entered and what happens next."""
    rnd = entry.round
    params = {"event": rnd.event.name, "round": f"{rnd.stage.name} · {rnd.organiser.display_name}",
              "organiser": rnd.organiser.display_name}
    if entry.status == EntryStatus.WAITLISTED:
        return _("You are on the waiting list of %(event)s (%(round)s): the round is full. If a place is freed you "
                 "move up automatically and are told in your messages.") % params
    if entry.status == EntryStatus.PENDING:
        return _("You are registered for %(event)s (%(round)s). Next: %(organiser)s checks and approves the "
                 "registration; you are told the decision in your messages.") % params
    return _("You are registered for %(event)s (%(round)s). Next: when registration closes, %(organiser)s draws the "
             "contestant numbers; you are told yours in your messages and your admission ticket appears here under "
             "“My registrations”. Bring it to the check-in on the day.") % params


def _register(request: HttpRequest, person: Person, event: Event) -> Entry:
    """Register `person` in the round of `event` that covers their unit (finding none is a refusal too)."""
    return services.register(actor=request.user, person=person, rnd=queries.round_for(event, person))


# ---------------------------------------------------------------------------------------------
# A worker's own page


def _own_person(request: HttpRequest) -> Person | None:
    return Person.objects.for_user(request.user, "self").select_related("employer").first()


@login_required
def my_competitions(request: HttpRequest) -> HttpResponse:
    """竞赛报名 on a phone: open competitions with each event's verdict for me, then my entries."""
    person = _own_person(request)
    if person is None:
        return render(request, T + "my_competitions.html", {"person": None})
    competitions = list(open_competitions(request.user))
    previews = queries.preview_events(person, [e for c in competitions for e in c.events.all()])
    entries = decorate(list(Entry.objects.for_user(request.user, "self")
                            .select_related(*ENTRY_RELATED, "certificate__document").order_by("-created_at", "-id")),
                       request.user)
    entered = {e.round.event_id: e for e in entries if e.status in ACTIVE}
    for c in competitions:
        c.cards = [(e, previews[e.pk]) for e in c.events.all()]
        for e in c.events.all():
            e.my_entry = entered.get(e.pk)
            # Closed because the worker entered another event of the competition (每人限报一项), not for who they are.
            e.one_event_closed = any(r.code == "exclusive" for r in previews[e.pk].reasons)
    return pages.render_page(request, T + "my_competitions.html", {
        "person": person, "competitions": competitions, "entries": entries, "withdraw_form": WithdrawForm(),
    }, fragment=T + "_my_entries.html")


@login_required
@require_POST
def my_register(request: HttpRequest, event_pk: int) -> HttpResponse:
    """A worker registers themself (never anyone else) in the round that covers their unit."""
    person = _own_person(request)
    if person is None:
        raise PermissionDenied(_("Your account is not linked to a worker record."))
    event = get_object_or_404(_visible_events(request.user), pk=event_pk)
    if event.is_team:
        messages.error(request, _("%(event)s is a team event: your unit enters its team.") % {"event": event.name})
        return redirect("competitions:my_competitions")
    pages.act(request, lambda: _register(request, person, event), _my_registered_message)
    return redirect("competitions:my_competitions")


@login_required
@require_POST
def my_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(Entry.objects.for_user(request.user, "self").select_related(*ENTRY_RELATED), pk=pk)
    return _withdraw(request, entry, reverse("competitions:my_competitions"))


def _withdraw(request: HttpRequest, entry: Entry, default: str) -> HttpResponse:
    form = WithdrawForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    pages.act(request, lambda: services.withdraw_entry(actor=request.user, entry=entry, reason=reason),
              _("The registration of %(name)s for %(event)s has been withdrawn.") % {
                  "name": entry.person.name, "event": entry.round.event.name})
    return redirect(_next_url(request, default))


# ---------------------------------------------------------------------------------------------
# A unit's registrations


def search_people(qs: QuerySet[Person], q: str) -> QuerySet[Person]:
    """Workers found by the site's one people search (`gongjiang.orgs.queries.people_q`): part of the name, the
    last four of the ID number, a mobile tail, a whole ID or mobile number; none for an empty text."""
    return org_queries.people_matching(qs, q)


def _require_cadre(user: Any) -> None:
    if scope_for(user, "view").is_empty:
        raise PermissionDenied(_("This page is for the cadres of union organisations."))


def _unit_entries(user: Any) -> QuerySet[Entry]:
    """The entries of the units in the user's scopes."""
    return scope_for(user, "view").apply(Entry.objects, "unit__").select_related(*ENTRY_RELATED)


def _unit_competitions(user: Any) -> list[Competition]:
    """The competitions a unit page offers: those open to registration first, then recent ones under way."""
    return list(Competition.objects.for_user(user, "view").filter(kind=CompetitionKind.SKILLS)
                .exclude(state=CompetitionState.PREPARING).select_related("organiser")
                .prefetch_related(Prefetch("events", queryset=Event.objects.order_by("order", "id")))
                .order_by("-year", "-id")[:50])


# The columns the units' entries sort by (?sort=worker, ?sort=-status): the event as the competition lists them (its
# rounds' units in the tree's order within it: the default), the unit in the tree's order, the status in its own.
UNIT_ENTRY_SORTING = pages.Sorting(
    {"worker": "person__name", "event": ("round__event__order", "round__event_id", "unit__path"), "unit": "unit__path",
     "status": "status_rank"},
    default="event",
    annotations={"status_rank": pages.rank_of("status", EntryStatus.values)})


@login_required
def unit_registrations(request: HttpRequest) -> HttpResponse:
    """The unit cadre's registration desk: pick the competition and event, find a worker of one's units and
    see what registering gives (or register them); below, the units' entries with filters and export."""
    user = request.user
    _require_cadre(user)
    competitions = sorted(_unit_competitions(user), key=lambda c: c.state != CompetitionState.REGISTRATION)
    wanted = request.GET.get("competition", "")
    competition = next((c for c in competitions if str(c.pk) == wanted), competitions[0] if competitions else None)
    events = list(competition.events.all()) if competition else []
    pick = UnitPickForm(request.GET or None, competitions=competitions, events=events,
                        initial={"competition": competition.pk if competition else None})
    picked = pick.cleaned_data if pick.is_valid() else {}
    event = next((e for e in events if e.pk == picked.get("event")), None)
    can_register = not scope_for(user, "change").is_empty and competition is not None \
        and competition.state == CompetitionState.REGISTRATION
    q = picked.get("q", "")
    found: list[tuple[Person, Any]] = []
    if q and event is not None and can_register:
        people = list(search_people(Person.objects.for_user(user, "change"), q)
                      .select_related("employer").order_by("name", "pk")[:MAX_FOUND])
        planned = queries.preview_people(event, people)
        found = [(p, planned[p.pk]) for p in people]
    filters = EntryFilterForm(request.GET or None)
    f = filters.cleaned_data if filters.is_valid() else {}
    qs = _unit_entries(user)
    if competition is not None:
        qs = qs.filter(round__event__competition=competition)
    if event is not None:
        qs = qs.filter(round__event=event)
    if f.get("status"):
        qs = qs.filter(status=f["status"])
    if f.get("name"):
        text = f["name"].strip()
        qs = qs.filter(org_queries.people_q(text, "person__") | Q(contestant_no=text))
    sort = UNIT_ENTRY_SORTING(request)
    qs = sort.apply(qs)
    if pages.wants_export(request):
        return _export_entries(competition, qs)
    page = pages.paginate(request, qs)
    rows = decorate(list(page.object_list), user)
    return pages.render_page(request, T + "unit_registrations.html", {
        "competitions": competitions, "competition": competition, "events": events, "event": event,
        "pick": pick, "q": q, "found": found, "can_register": can_register, "filters": filters, "page": page,
        "rows": rows, "sort": sort, "export_query": urlencode({**request.GET.dict(), "export": "xlsx"}),
        "max_found": MAX_FOUND, "next": request.get_full_path(),
    }, fragment=T + "_unit_entries.html")


def _export_entries(competition: Competition | None, qs: QuerySet[Entry]) -> HttpResponse:
    headers = [_("Competition"), _("Event"), _("Stage"), _("Round"), _("Unit"), _("Name"), _("ID number"),
               _("Status"), _("Contestant number"), _("Station"), _("Total score"), _("Place"), _("Prize"), _("Source"),
               _("Registered on")]

    def rows() -> Any:
        for e in qs.iterator(chunk_size=2000):
            published = e.round.state in PUBLISHED
            yield [e.round.event.competition.name, str(e.round.event), e.round.stage.name,
                   e.round.organiser.display_name, e.unit.name, e.person.name, e.person.id_masked,
                   e.get_status_display(), e.contestant_no, e.station_no,
                   str(e.total_display) if published and e.total is not None else "",
                   e.place if published and e.place else "", e.get_prize_display() if published else "",
                   e.get_source_display(), e.created_at.strftime("%Y-%m-%d")]

    name = competition.name if competition else _("Registrations")
    suffix = _("registrations")
    return pages.export(f"{name}-{suffix}", headers, rows())


@login_required
@require_POST
def unit_register(request: HttpRequest) -> HttpResponse:
    """Register a worker of one's units (a person outside them is not found: 404)."""
    form = RegisterForm(request.POST)
    default = reverse("competitions:unit_registrations")
    if not form.is_valid():
        messages.error(request, _("Choose the worker and the event."))
        return redirect(_next_url(request, default))
    person = get_object_or_404(Person.objects.for_user(request.user, "change").select_related("employer"),
                               pk=form.cleaned_data["person"])
    event = get_object_or_404(_visible_events(request.user), pk=form.cleaned_data["event"])
    if event.is_team:
        messages.error(request, _("%(event)s is a team event: enter the unit's team on the team page.") % {
            "event": event.name})
        return redirect(_next_url(request, default))
    pages.act(request, lambda: _register(request, person, event), _registered_message,
              refused=lambda e: messages.error(request, _("%(name)s cannot be registered: %(reasons)s") % {
                  "name": person.name, "reasons": e.message}))
    return redirect(_next_url(request, default))


@login_required
@require_POST
def unit_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(Entry.objects.for_user(request.user, "change").select_related(*ENTRY_RELATED), pk=pk)
    return _withdraw(request, entry, reverse("competitions:unit_registrations"))


# ---------------------------------------------------------------------------------------------
# Bulk import


def _import_orgs(user: Any) -> list[Org]:
    """The units a user may import registrations for: the orgs of their roles with change rights."""
    return [o for o in grant_orgs(user) if o.in_scope(user, "change")]


def _import_jobs(user: Any) -> QuerySet[ImportJob]:
    return ImportJob.objects.for_user(user).filter(kind=registration_import.KIND).select_related("created_by")


@login_required
def unit_import(request: HttpRequest) -> HttpResponse:
    """Upload a registration file: refused at once when the file is not a workbook, has the wrong headers or
    the competition is not open; otherwise every row is checked (in the background for big files)."""
    user = request.user
    _require_cadre(user)
    competitions = list(open_competitions(user))
    orgs = _import_orgs(user)
    initial = {"competition": request.GET.get("competition") or None}
    form = RegistrationImportForm(request.POST or None, request.FILES or None, competitions=competitions, orgs=orgs,
                                  initial=initial)
    status = 200
    if request.method == "POST":
        if not orgs:
            raise PermissionDenied(_("You may register only the workers of units you manage."))
        if form.is_valid():
            competition = next(c for c in competitions if c.pk == form.cleaned_data["competition"])
            org = next(o for o in orgs if o.pk == form.cleaned_data["org"])
            try:
                job = registration_import.start_registration_import(
                    actor=user, org=org, competition=competition, upload=form.cleaned_data["file"])
            except DomainError as e:
                form.add_error("competition" if e.field == "competition" else "file", e.message)
            else:
                return redirect("competitions:unit_import_status", pk=job.pk)
        status = 400
    jobs = list(_import_jobs(user).order_by("-created_at", "-id")[:20])
    return render(request, T + "unit_import.html", {
        "form": form, "competitions": competitions, "orgs": orgs, "jobs": jobs,
        "competition_pk": form["competition"].value(),
    }, status=status)


@login_required
def unit_import_template(request: HttpRequest) -> HttpResponse:
    """The template, with a sheet of the chosen competition's events."""
    _require_cadre(request.user)
    pk = request.GET.get("competition", "")
    competition = (Competition.objects.for_user(request.user, "view").filter(pk=pk).first()
                   if pk.isdigit() else None)
    name = f"{competition.name}-" if competition else ""
    stem = _("registration template")
    return xlsx_response(registration_import.template(competition), f"{name}{stem}.xlsx")


@login_required
def unit_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A registration import's state; while it runs, HTMX polls the fragment every second."""
    job = get_object_or_404(_import_jobs(request.user), pk=pk)
    competition = Competition.objects.filter(pk=(job.params or {}).get("competition")).first()
    return pages.render_page(request, T + "unit_import_status.html", {
        "job": job, "competition": competition, "errors": job.errors[:200],
        "more_errors": max(0, job.error_count - 200),
    }, fragment=T + "_import_status.html")


# ---------------------------------------------------------------------------------------------
# Teams


def _teams(user: Any) -> QuerySet[Team]:
    """Teams of the user's units, and the teams of rounds (or competitions) the user organises."""
    return Team.objects.for_user(user, "view")


def team_draw_purpose(team: Team) -> str:
    """The purpose under which services.draws records the draw of a team's members."""
    return f"round {team.round_id} / team {team.pk}"


@login_required
def team_form(request: HttpRequest, event_pk: int) -> HttpResponse:
    """A unit enters its team: choose the unit, then its selected contestants (team size minus the members
    the organiser draws from the unit's roster)."""
    user = request.user
    _require_cadre(user)
    event = get_object_or_404(_visible_events(user).filter(is_team=True), pk=event_pk)
    data = request.POST if request.method == "POST" else request.GET
    unit_pk = data.get("unit", "")
    units = Org.objects.for_user(user, "change").filter(kind=OrgKind.GRASSROOTS, is_active=True)
    if not unit_pk.isdigit():
        find = request.GET.get("find", "").strip()
        choices = units.filter(Q(name__contains=find) | Q(code__startswith=find)) if find else \
            units.filter(pk__in=[o.pk for o in _import_orgs(user)])
        return render(request, T + "team_unit.html", {"event": event, "find": find,
                                                      "units": list(choices.order_by("depth", "path")[:MAX_FOUND])})
    unit = get_object_or_404(units, pk=unit_pk)
    try:
        rnd = queries.round_for_unit(event, unit)
    except DomainError as e:
        return render(request, T + "team_unit.html", {"event": event, "units": [], "problem": e.message},
                      status=409)
    team = Team.objects.filter(round=rnd, unit=unit).first()
    if team is not None:
        return redirect("competitions:team_detail", pk=team.pk)
    roster = Person.objects.for_user(user, "change").filter(employer__path__startswith=unit.path)
    chosen_ids = [int(v) for v in data.getlist("members") if v.isdigit()]
    chosen = list(roster.filter(pk__in=chosen_ids).select_related("employer"))
    q = data.get("q", "").strip()
    found = [p for p in search_people(roster, q).select_related("employer").order_by("name", "pk")[:MAX_FOUND]
             if p.pk not in chosen_ids] if q else []
    people = [*chosen, *found]
    form = TeamForm(request.POST if request.method == "POST" and "save" in request.POST else None, people=people,
                    initial={"members": [p.pk for p in chosen], "name": data.get("name", "")})
    status = 200
    if form.is_bound:
        if form.is_valid():
            members = [p for p in people if p.pk in set(form.cleaned_data["members"])]
            team = pages.handle(form, lambda: services.form_team(
                actor=user, rnd=rnd, unit=unit, members=members, name=form.cleaned_data.get("name") or ""))
            if team is not None:
                messages.success(request, _("The team of %(unit)s is entered for %(event)s.") % {
                    "unit": unit.name, "event": event.name})
                return redirect("competitions:team_detail", pk=team.pk)
        status = 400
    planned = queries.preview_people(event, people) if people else {}
    for p in people:
        p.planned = planned.get(p.pk)
    return render(request, T + "team_form.html", {
        "event": event, "unit": unit, "rnd": rnd, "form": form, "q": q, "chosen": chosen, "found": found,
        "selected": event.team_size - event.team_drawn, "max_found": MAX_FOUND,
    }, status=status)


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A team with its members (drawn ones marked 抽取); the round's organiser draws the other members here,
    before witnesses (POST)."""
    user = request.user
    team = get_object_or_404(_teams(user).select_related(
        "unit", "round__event__competition__organiser", "round__stage", "round__organiser"), pk=pk)
    rnd = team.round
    event = rnd.event
    draw = Draw.objects.filter(round=rnd, purpose=team_draw_purpose(team)).first()
    can_draw = rnd.can_change(user) and event.team_drawn > 0 and draw is None and rnd.state == RoundState.REGISTRATION
    form = WitnessForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if not rnd.can_change(user):
            raise PermissionDenied(_("Only the organiser of this round may do this."))
        if form.is_valid():
            if pages.handle(form, lambda: services.draw_team_members(actor=user, team=team,
                                                                     witnesses=form.witnesses())) is not None:
                messages.success(request, _("The members of %(team)s have been drawn.") % {"team": team.name})
                return redirect("competitions:team_detail", pk=team.pk)
        status = 400
    members = decorate(list(team.members.select_related(*ENTRY_RELATED).order_by("source", "pk")), user)
    return render(request, T + "team_detail.html", {
        "team": team, "rnd": rnd, "event": event, "members": members, "draw": draw, "can_draw": can_draw,
        "form": form, "drawn_source": EntrySource.DRAWN, "selected": event.team_size - event.team_drawn,
    }, status=status)


urlpatterns = [
    path("competitions/my/", my_competitions, name="my_competitions"),
    path("competitions/my/events/<id:event_pk>/register/", my_register, name="my_register"),
    path("competitions/my/entries/<id:pk>/withdraw/", my_withdraw, name="my_withdraw"),
    path("competitions/unit/", unit_registrations, name="unit_registrations"),
    path("competitions/unit/register/", unit_register, name="unit_register"),
    path("competitions/unit/entries/<id:pk>/withdraw/", unit_withdraw, name="unit_withdraw"),
    path("competitions/unit/import/", unit_import, name="unit_import"),
    path("competitions/unit/import/template.xlsx", unit_import_template, name="unit_import_template"),
    path("competitions/unit/import/<id:pk>/", unit_import_status, name="unit_import_status"),
    path("competitions/events/<id:event_pk>/team/", team_form, name="team_form"),
    path("competitions/teams/<id:pk>/", team_detail, name="team_detail"),
]
