"""The organiser's set-up pages: the competition list (filters, 导出Excel), creating and editing a competition,
the competition page (state and its next steps, stages with their advancement rules, events, rounds by stage,
timeline), stages and the opening of their rounds, events (trade, eligibility, tie-breaks, prizes, re-check)
and the marking scheme (tree, settings, .xlsx import and export).

Reads go through `Competition.objects.for_user` (out of scope: 404); a user who sees a competition but may not
change it (a county cadre and the provincial competition above them) gets 403 on the change pages and sees no
buttons. Every write is a verb of `services.structure`; a refusal is shown on the field it names, nothing
changed. Every page runs a constant number of queries whatever the number of competitions, events, rounds or
entries (counts are correlated subqueries of the listed rows)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongjiang.core import audit, pages
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.verbs import register_verbs
from gongjiang.core.views import xlsx_response
from gongjiang.orgs.choices import OrgKind, SkillGrade
from gongjiang.orgs.middleware import user_scopes
from gongjiang.orgs.models import Occupation, Org

from ..choices import (
    COMPETITION_TRANSITIONS,
    CompetitionClass,
    CompetitionKind,
    CompetitionState,
    EntrySource,
    EntryStatus,
    Level,
)
from ..forms.setup import (
    CompetitionFilterForm,
    CompetitionForm,
    EventForm,
    OpenRoundsForm,
    SchemeImportForm,
    SchemeSettingsForm,
    StageForm,
    apply_domain_error,
)
from ..imports import (
    export_scheme,
    format_bands,
    format_deductions,
    format_number,
    scheme_template,
    start_scheme_import,
)
from ..models import Competition, Entry, Event, Round, Scheme, Stage, reach_q
from ..rules import marking
from ..services import structure

register_verbs({
    "competitions.competition.created": gettext_lazy("Competition created"),
    "competitions.competition.updated": gettext_lazy("Competition edited"),
    "competitions.competition.state_changed": gettext_lazy("State changed"),
    "competitions.stage.added": gettext_lazy("Stage added"),
    "competitions.rounds.opened": gettext_lazy("Rounds opened"),
    "competitions.event.added": gettext_lazy("Event added"),
    "competitions.event.updated": gettext_lazy("Event edited"),
    "competitions.scheme.set": gettext_lazy("Marking scheme set"),
    "competitions.scheme.settings_changed": gettext_lazy("Marking settings changed"),
})

ORGANISING_KINDS = {OrgKind.PROVINCE, OrgKind.CITY, OrgKind.INDUSTRY, OrgKind.COUNTY, OrgKind.GRASSROOTS}
LEVEL_OF_KIND = {OrgKind.PROVINCE: Level.PROVINCE, OrgKind.CITY: Level.CITY, OrgKind.INDUSTRY: Level.PROVINCE,
                 OrgKind.COUNTY: Level.COUNTY, OrgKind.GRASSROOTS: Level.ENTERPRISE}
# Registrations: the people entered for a competition (not those carried into a later stage, not refused).
NOT_REGISTRATIONS = [EntryStatus.REFUSED, EntryStatus.WITHDRAWN]
TRADE_RESULTS = 20
ROUNDS_SHOWN = 300  # per stage on the competition page; the round pages list the rest
STATE_BADGES = {CompetitionState.PREPARING: "", CompetitionState.REGISTRATION: "badge-ok",
                CompetitionState.CLOSED: "badge-warn", CompetitionState.RUNNING: "badge-red",
                CompetitionState.PUBLICITY: "badge-warn", CompetitionState.FINISHED: ""}


# ---------------------------------------------------------------------------------------------
# Helpers


def organiser_choices(user: Any) -> list[Org]:
    """The user's own scope orgs on which they have change rights and that may organise a competition."""
    return [o for o in user_scopes(user) if o.kind in ORGANISING_KINDS and o.in_scope(user, "change")]


def visible_competitions(user: Any) -> QuerySet[Competition]:
    return Competition.objects.for_user(user, "view")


def get_competition(request: HttpRequest, pk: int) -> Competition:
    return get_object_or_404(visible_competitions(request.user).select_related("organiser"), pk=pk)


def competition_for_change(request: HttpRequest, pk: int) -> Competition:
    """A competition the user sees (else 404) and organises (else 403)."""
    competition = get_competition(request, pk)
    if not competition.can_change(request.user):
        raise PermissionDenied(_("Only the organiser of %(competition)s may do this.") % {
            "competition": competition.name})
    return competition


def get_event(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(Event.objects.filter(competition__in=visible_competitions(request.user))
                             .select_related("competition__organiser", "trade"), pk=pk)


def event_for_change(request: HttpRequest, pk: int) -> Event:
    event = get_event(request, pk)
    if not event.competition.can_change(request.user):
        raise PermissionDenied(_("Only the organiser of %(competition)s may do this.") % {
            "competition": event.competition.name})
    return event


def _count(qs: QuerySet, group: str) -> Coalesce:
    """A correlated COUNT of `qs` (already filtered on an OuterRef) as an annotation."""
    return Coalesce(Subquery(qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def registrations(**filters: Any) -> QuerySet[Entry]:
    return Entry.objects.filter(**filters).exclude(source=EntrySource.ADVANCED).exclude(status__in=NOT_REGISTRATIONS)


def with_counts(qs: QuerySet[Competition]) -> QuerySet[Competition]:
    """Each competition's number of events and of registrations, in the same query as the rows."""
    return qs.annotate(
        event_count=_count(Event.objects.filter(competition=OuterRef("pk")), "competition"),
        entry_count=_count(registrations(round__event__competition=OuterRef("pk")), "round__event__competition"))


# Service fields shown at another input of the forms.
FIELD_ALIASES = {"prize_rule": "first_value", "tie_breaks": "tie_break_1", "advancement": "mode",
                 "organisers": "orgs"}


def _handle(request: HttpRequest, form: Any, call: Any) -> Any:
    """Run a service call; a refusal goes onto the form (403 for a permission refusal). None if refused."""
    try:
        return call()
    except PermissionDeniedError as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        errors = {FIELD_ALIASES.get(k, k) if FIELD_ALIASES.get(k) in form.fields else k: v
                  for k, v in e.errors.items()}
        apply_domain_error(form, DomainError(e.message, errors=errors))
        return None


def grade_name(code: int | None) -> str:
    return str(SkillGrade(code).label) if code else ""


def advancement_text(rule: dict[str, Any], names: dict[str, str] | None = None) -> str:
    """An advancement rule in one sentence (the stage table and the timeline)."""
    if not rule:
        return _("Nobody advances (last stage)")
    if rule.get("mode") == "top_n":
        text = _("The top %(n)s of each round advance") % {"n": rule.get("n")}
    else:
        text = _("The top %(percent)s%% of each round advance") % {"percent": rule.get("percent")}
    text += "；" + (_("tie-breaks decide, the number is a hard limit") if rule.get("ties") == "strict"
                   else _("everyone tied at the last place advances"))
    quotas = rule.get("city_quotas") or {}
    if quotas:
        names = names or {}
        text += "；" + _("quotas: %(list)s") % {"list": "、".join(
            f"{names.get(str(k), k)} {v}" for k, v in quotas.items())}
    return text


def event_rules(event: Event) -> list[str]:
    """Who may enter, in short phrases (the events table)."""
    out: list[str] = []
    if event.min_age or event.max_age:
        ages = f"{event.min_age or ''}–{event.max_age or ''}"
        out.append(_("aged %(ages)s") % {"ages": ages} + (
            _(" on %(date)s") % {"date": event.age_reference_date} if event.age_reference_date else ""))
    if event.min_grade and event.max_grade:
        out.append(_("%(low)s to %(high)s") % {"low": grade_name(event.min_grade), "high": grade_name(event.max_grade)})
    elif event.min_grade:
        out.append(_("%(grade)s or higher") % {"grade": grade_name(event.min_grade)})
    elif event.max_grade:
        out.append(_("at most %(grade)s") % {"grade": grade_name(event.max_grade)})
    if event.members_only:
        out.append(_("union members only"))
    if event.front_line_only:
        out.append(_("front-line workers only"))
    if event.exclude_leaders:
        out.append(_("no enterprise leaders"))
    if event.unit_quota:
        out.append(_("%(n)s per unit") % {"n": event.unit_quota})
    if event.capacity:
        out.append(_("%(n)s places per round") % {"n": event.capacity} + (_(", then a waiting list")
                                                                           if event.waitlist else ""))
    if event.requires_approval:
        out.append(_("approval by the organiser"))
    return out


TIE_BREAK_LABELS = {"practical": gettext_lazy("practical score"), "theory": gettext_lazy("theory score"),
                    "time_used": gettext_lazy("time used")}
PRIZE_NAMES = {"first": gettext_lazy("First prize"), "second": gettext_lazy("Second prize"),
               "third": gettext_lazy("Third prize"), "merit": gettext_lazy("Merit award")}


def prize_text(rule: dict[str, Any]) -> str:
    parts = []
    for band in (rule or {}).get("bands", []):
        amount = (f"{band['percent']}%" if band.get("percent") is not None
                  else _("%(n)s contestants") % {"n": band.get("count")})
        parts.append(f"{PRIZE_NAMES.get(band.get('prize'), band.get('prize'))} {amount}")
    if (rule or {}).get("merit_from") not in (None, ""):
        parts.append(_("Merit award from %(points)s points") % {"points": rule["merit_from"]})
    return "、".join(parts)


def readable_timeline(obj: Any, names: dict[str, str] | None = None) -> list[Any]:
    """The object's 履历 with each change as (label, before, after) in words (`names`: org names by pk)."""
    names = names or {}
    events = list(audit.timeline(obj, limit=50))
    labels: dict[str, str] = {f.name: capfirst(str(f.verbose_name)) for f in Competition._meta.fields}
    labels.update({"kind": _("Kind"), "stage": _("Stage"), "rounds": _("Rounds"), "organisers": _("Organising units"),
                   "advancement": _("Advancement rule"), "state": _("State")})
    vocab: dict[str, Any] = {"state": CompetitionState, "level": Level, "kind": CompetitionKind,
                             "klass": CompetitionClass}
    yes, no = _("Yes"), _("No")

    def show(key: str, value: Any) -> str:
        if value in (None, ""):
            return "—"
        if isinstance(value, bool):
            return yes if value else no
        if key == "advancement" and isinstance(value, dict):
            return advancement_text(value, names)
        if key == "organiser":
            return names.get(str(value), str(value))
        if isinstance(value, list):
            return "、".join(map(str, value))
        if key in vocab and value in vocab[key].values:
            return str(vocab[key](value).label)
        return str(value)

    for e in events:
        before, after = e.before or {}, e.after or {}
        keys = [k for k in after if not (not before and after[k] in (None, "", 0, "0", "0.00", False, [], {}))]
        keys += [k for k in before if k not in after]
        e.changes = [(labels.get(k, k), show(k, before[k]) if k in before else None, show(k, after.get(k)))
                     for k in keys]
    return events


# ---------------------------------------------------------------------------------------------
# List and export


@login_required
def competition_list(request: HttpRequest) -> HttpResponse:
    base = visible_competitions(request.user)
    years = sorted(set(base.order_by().values_list("year", flat=True).distinct()), reverse=True)
    form = CompetitionFilterForm(request.GET or None, years=years)
    qs = base
    filtered = False
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filtered = form.has_filters()
        for key in ("year", "kind", "state", "level"):
            if d.get(key) not in (None, ""):
                qs = qs.filter(**{key: d[key]})
    qs = with_counts(qs.select_related("organiser")).order_by("-year", "-id")
    if pages.wants_export(request):
        return export_competitions(qs)
    page = pages.paginate(request, qs)
    for c in page.object_list:
        c.state_badge = STATE_BADGES.get(c.state, "")
    return pages.render_page(request, "competitions/setup/competition_list.html", {
        "form": form, "page": page, "filtered": filtered, "can_organise": bool(organiser_choices(request.user)),
    }, fragment="competitions/setup/_competition_rows.html")


def export_competitions(qs: QuerySet[Competition]) -> HttpResponse:
    headers = [_("Competition"), _("Year"), _("Kind"), _("Organiser"), _("Level"), _("Class"), _("State"),
               _("Events"), _("Registered"), _("Registration opens"), _("Registration closes"), _("Co-organisers")]
    rows = ([c.name, c.year, c.get_kind_display(), c.organiser.name, c.get_level_display(), c.get_klass_display(),
             c.get_state_display(), c.event_count, c.entry_count, c.registration_opens, c.registration_closes,
             c.co_organisers] for c in qs.iterator(chunk_size=500))
    return pages.export(_("Competitions"), headers, rows)


# ---------------------------------------------------------------------------------------------
# Create and edit


def _competition_form_page(request: HttpRequest, form: CompetitionForm, competition: Competition | None,
                           status: int) -> HttpResponse:
    return render(request, "competitions/setup/competition_form.html", {
        "form": form, "competition": competition,
        "title": _("Edit %(name)s") % {"name": competition.name} if competition else _("New competition"),
    }, status=status)


@login_required
def competition_create(request: HttpRequest) -> HttpResponse:
    organisers = organiser_choices(request.user)
    if not organisers:
        raise PermissionDenied(_("You may organise competitions only as a cadre with change rights in a union."))
    first = organisers[0]
    form = CompetitionForm(request.POST or None, organisers=organisers, initial={
        "organiser": first.pk, "year": datetime.date.today().year, "kind": CompetitionKind.SKILLS,
        "level": LEVEL_OF_KIND.get(OrgKind(first.kind), Level.PROVINCE), "klass": CompetitionClass.CLASS2,
        "exclusive": True})
    if request.method == "POST" and form.is_valid():
        competition = _handle(request, form, lambda: structure.create_competition(
            actor=request.user, organiser=form.cleaned_data["organiser"], **form.service_data()))
        if competition is not None:
            messages.success(request, _("%(name)s has been created. Add its stages and events next.") % {
                "name": competition.name})
            return redirect("competition_detail", pk=competition.pk)
    return _competition_form_page(request, form, None, 400 if request.method == "POST" else 200)


@login_required
def competition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    competition = competition_for_change(request, pk)
    initial = {f: getattr(competition, f) for f in structure.EDITABLE_COMPETITION_FIELDS}
    form = CompetitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _handle(request, form, lambda: structure.update_competition(
            actor=request.user, competition=competition, **form.service_data()))
        if done is not None:
            messages.success(request, _("The changes have been saved."))
            return redirect("competition_detail", pk=competition.pk)
    return _competition_form_page(request, form, competition, 400 if request.method == "POST" else 200)


# ---------------------------------------------------------------------------------------------
# The competition page


def events_with_counts(competition: Competition) -> list[Event]:
    taking = registrations(round__event=OuterRef("pk"))
    events = list(competition.events.select_related("trade").annotate(
        round_count=_count(Round.objects.filter(event=OuterRef("pk")), "event"),
        entry_count=_count(taking, "round__event")).order_by("order", "id"))
    for e in events:
        e.rules_summary = event_rules(e)
        e.prize_summary = prize_text(e.prize_rule)
        e.tie_break_summary = "、".join(str(TIE_BREAK_LABELS.get(k.lstrip("-"), k)) for k in e.tie_breaks or [])
    return events


@login_required
def competition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competition = get_competition(request, pk)
    user = request.user
    can_change = competition.can_change(user)
    stages = list(competition.stages.all())
    events = events_with_counts(competition)
    rounds = list(Round.objects.filter(event__competition=competition).filter(reach_q(user, "organiser"))
                  .select_related("event", "organiser")
                  .annotate(entry_count=_count(Entry.objects.filter(round=OuterRef("pk")).exclude(
                      status__in=NOT_REGISTRATIONS), "round"))
                  .order_by("stage_id", "event__order", "event_id", "organiser__path"))
    by_stage: dict[int, list[Round]] = {}
    for r in rounds:
        by_stage.setdefault(r.stage_id, []).append(r)
    defaults = structure.default_organisers_by_stage(competition, stages) if can_change else {}
    # The names of the orgs the quotas and the timeline name (one query, whether or not there are quotas).
    name_ids = {str(k) for s in stages for k in (s.advancement or {}).get("city_quotas", {})}
    name_ids.add(str(competition.organiser_id))
    names = {str(pk): name for pk, name in Org.objects.filter(pk__in=name_ids).values_list("pk", "name")}
    for s in stages:
        s.rounds_shown = by_stage.get(s.pk, [])[:ROUNDS_SHOWN]
        s.round_count = len(by_stage.get(s.pk, []))
        s.advancement_summary = advancement_text(s.advancement, names)
        s.defaults = defaults.get(s.pk, [])
        default_ids = {o.pk for o in s.defaults}
        opened = {(r.event_id, r.organiser_id) for r in by_stage.get(s.pk, []) if r.organiser_id in default_ids}
        s.defaults_missing = len(events) * len(s.defaults) - len(opened)  # rounds the button would open
    next_states = [CompetitionState(s) for s in sorted(COMPETITION_TRANSITIONS.get(competition.state, set()),
                                                         key=list(CompetitionState.values).index)] \
        if can_change else []
    return render(request, "competitions/setup/competition_detail.html", {
        "competition": competition, "can_change": can_change, "stages": stages, "events": events,
        "next_states": next_states, "state_badge": STATE_BADGES.get(competition.state, ""),
        "is_skills": competition.kind == CompetitionKind.SKILLS,
        "editable": competition.state in {CompetitionState.PREPARING, CompetitionState.REGISTRATION,
                                          CompetitionState.CLOSED},
        "timeline": readable_timeline(competition, names), "rounds_shown": ROUNDS_SHOWN,
    })


@login_required
@require_POST
def competition_state(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the allowed next states (the buttons); a refused move is shown as the service words it."""
    competition = competition_for_change(request, pk)
    state = request.POST.get("state", "")
    if state not in CompetitionState.values:
        messages.error(request, _("Unknown state %(state)s.") % {"state": state})
        return redirect("competition_detail", pk=competition.pk)
    try:
        structure.change_state(actor=request.user, competition=competition, state=state,
                               note=(request.POST.get("note") or "")[:200])
    except PermissionDeniedError as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("%(name)s is now “%(state)s”.") % {"name": competition.name,
                                                                        "state": CompetitionState(state).label})
    return redirect("competition_detail", pk=competition.pk)


# ---------------------------------------------------------------------------------------------
# Stages and rounds


def quota_orgs(competition: Competition, level: str) -> list[Org]:
    """The orgs that will run the rounds of a stage of `level` (one quota each), when there are several."""
    if level not in Level.values:
        return []
    orgs = structure.default_organisers(competition, Stage(competition=competition, level=level))
    return orgs if len(orgs) > 1 else []


@login_required
def stage_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a stage. Its advancement rule may give each organising org (each city) its own quota; the quota table
    follows the level chosen (HTMX reloads it)."""
    competition = competition_for_change(request, pk)
    has_stages = competition.stages.exists()
    default_level = competition.level if has_stages or competition.level != Level.PROVINCE else Level.CITY
    level = request.POST.get("level") or request.GET.get("level") or default_level
    orgs = quota_orgs(competition, level)
    form = StageForm(request.POST or None, quota_orgs=orgs, initial={
        "level": level, "direct_registration": not has_stages, "ties": "include"})
    if request.method == "POST" and form.is_valid():
        stage = _handle(request, form, lambda: structure.add_stage(actor=request.user, competition=competition,
                                                                   **form.service_data()))
        if stage is not None:
            messages.success(request, _("Stage %(name)s has been added. Open its rounds when the events are "
                                        "ready.") % {"name": stage.name})
            return redirect(reverse("competition_detail", args=[competition.pk]) + f"#stage-{stage.pk}")
    context = {"competition": competition, "form": form, "level": level}
    if pages.is_htmx(request) and request.method == "GET":
        return render(request, "competitions/setup/_stage_quotas.html", context)
    return render(request, "competitions/setup/stage_form.html", context,
                  status=400 if request.method == "POST" else 200)


@login_required
def rounds_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the rounds of a stage: one per event and organising org (its defaults, or orgs chosen here)."""
    stage = get_object_or_404(Stage.objects.filter(competition__in=visible_competitions(request.user))
                              .select_related("competition__organiser"), pk=pk)
    competition = stage.competition
    if not competition.can_change(request.user):
        raise PermissionDenied(_("Only the organiser of %(competition)s may do this.") % {
            "competition": competition.name})
    defaults = structure.default_organisers(competition, stage)
    candidates = structure.candidate_organisers(competition, stage.level)
    events = list(competition.events.all())
    form = OpenRoundsForm(request.POST or None, candidates=candidates, events=events,
                          initial={"who": "default" if defaults else "chosen"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        organisers: list[Org] | None = None
        if d["who"] == "chosen":
            by_pk = {str(o.pk): o for o in candidates}
            organisers = [by_pk[p] for p in d.get("orgs") or [] if p in by_pk]
            codes = form.code_list()
            if codes:
                found = {o.code: o for o in Org.objects.filter(code__in=codes, is_active=True,
                                                               path__startswith=competition.organiser.path)}
                unknown = [c for c in codes if c not in found]
                if unknown:
                    form.add_error("codes", _("No active unit inside %(organiser)s has the code %(codes)s.") % {
                        "organiser": competition.organiser.name, "codes": "、".join(unknown)})
                organisers += [o for o in found.values() if o not in organisers]
            if not organisers and "codes" not in form.errors:
                form.add_error("orgs", _("Choose at least one unit, or open the rounds with the default units."))
        chosen_events = [e for e in events if str(e.pk) in (d.get("events") or [])] or None
        if not form.errors:
            rounds = _handle(request, form, lambda: structure.open_rounds(
                actor=request.user, stage=stage, organisers=organisers, events=chosen_events))
            if rounds is not None:
                messages.success(request, _("%(stage)s now has %(n)d rounds.") % {
                    "stage": stage.name, "n": Round.objects.filter(stage=stage).count()})
                return redirect(reverse("competition_detail", args=[competition.pk]) + f"#stage-{stage.pk}")
    if request.method == "POST" and request.POST.get("from") == "detail" and form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect(reverse("competition_detail", args=[competition.pk]) + f"#stage-{stage.pk}")
    return render(request, "competitions/setup/rounds_open.html", {
        "competition": competition, "stage": stage, "form": form, "defaults": defaults, "candidates": candidates,
    }, status=400 if request.method == "POST" else 200)


# ---------------------------------------------------------------------------------------------
# Events


def find_trades(q: str) -> list[Occupation]:
    """Trades (level-4 occupations) by name or code: exact names first, then the shortest names."""
    q = (q or "").strip()
    if not q:
        return []
    found = list(Occupation.objects.filter(level=4).filter(Q(name__contains=q) | Q(code__startswith=q))
                 .order_by("code")[:100])
    found.sort(key=lambda o: (o.name != q and o.code != q, not o.name.startswith(q), len(o.name), o.code))
    return found[:TRADE_RESULTS]


@login_required
def trade_search(request: HttpRequest) -> HttpResponse:
    """The event form's HTMX trade search: type 车工, get the matching trades to choose from."""
    q = request.GET.get("trade_q") or request.GET.get("q") or ""
    return render(request, "competitions/setup/_trade_choices.html", {
        "q": q, "trades": find_trades(q), "selected": None, "limit": TRADE_RESULTS})


def _event_form_page(request: HttpRequest, form: EventForm, competition: Competition, event: Event | None,
                     status: int) -> HttpResponse:
    q = request.POST.get("trade_q", "") if request.method == "POST" else ""
    trades = find_trades(q)
    selected = None
    if form.is_bound:
        value = form.data.get("trade")
        selected = int(value) if value and str(value).isdigit() else None
    else:
        selected = form.initial.get("trade")
    current = None
    if selected and all(t.pk != selected for t in trades):
        current = Occupation.objects.filter(pk=selected).first()
        if current:
            trades = [current, *trades]
    return render(request, "competitions/setup/event_form.html", {
        "form": form, "competition": competition, "event": event, "q": q, "trades": trades, "selected": selected,
        "limit": TRADE_RESULTS,
        "title": _("Edit the event %(name)s") % {"name": event.name} if event else _("New event"),
    }, status=status)


def _save_event(request: HttpRequest, form: EventForm, competition: Competition, event: Event | None) -> Any:
    if request.POST.get("search_trade") is not None or not form.is_valid():
        return None
    data = form.service_data()
    if event is None:
        return _handle(request, form, lambda: structure.add_event(actor=request.user, competition=competition,
                                                                  **data))
    return _handle(request, form, lambda: structure.update_event(actor=request.user, event=event, **data))


def _event_status(request: HttpRequest) -> int:
    if request.method != "POST" or request.POST.get("search_trade") is not None:
        return 200
    return 400


@login_required
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    competition = competition_for_change(request, pk)
    form = EventForm(request.POST or None)
    if request.method == "POST":
        event = _save_event(request, form, competition, None)
        if event is not None:
            messages.success(request, _("The event %(name)s has been added. Set up its marking scheme next.") % {
                "name": event.name})
            return redirect("scheme_detail", pk=event.pk)
    return _event_form_page(request, form, competition, None, _event_status(request))


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_change(request, pk)
    form = EventForm(request.POST or None, event=event)
    if request.method == "POST":
        done = _save_event(request, form, event.competition, event)
        if done is not None:
            messages.success(request, _("The changes have been saved."))
            return redirect("competition_detail", pk=event.competition_id)
    return _event_form_page(request, form, event.competition, event, _event_status(request))


# ---------------------------------------------------------------------------------------------
# Marking scheme


def scheme_tree(aspects: Iterable[Any]) -> list[dict[str, Any]]:
    """Sections → criteria → aspects with their maximum marks and subtotals, in the scheme's order."""
    sections: dict[str, dict[str, Any]] = {}
    for a in aspects:
        section = sections.setdefault(a.section_code, {"code": a.section_code, "name": a.section_name,
                                                       "max": Decimal(0), "criteria": {}})
        criterion = section["criteria"].setdefault(a.criterion_code, {
            "code": a.criterion_code, "name": a.criterion_name, "max": Decimal(0), "aspects": []})
        max_mark = marking.from_hundredths(a.max_mark)
        criterion["aspects"].append({
            "code": a.code, "description": a.description, "kind": a.get_kind_display(), "kind_code": a.kind,
            "max": format_number(max_mark), "step": format_number(marking.from_hundredths(a.step)),
            "bands": format_bands(a.bands), "deductions": format_deductions(a.deductions)})
        criterion["max"] += max_mark
        section["max"] += max_mark
    out = []
    for s in sections.values():
        s["criteria"] = list(s["criteria"].values())
        for c in s["criteria"]:
            c["max"] = format_number(c["max"])
        s["max"] = format_number(s["max"])
        out.append(s)
    return out


def _settings_initial(scheme: Scheme | None) -> dict[str, Any]:
    if scheme is None:
        return {}
    return {"expected_total": format_number(marking.from_hundredths(scheme.expected_total)),
            "judgement_method": scheme.judgement_method, "trim": scheme.trim,
            "rounding_mode": scheme.rounding_mode, "rounding_places": scheme.rounding_places,
            "rounding_level": scheme.rounding_level, "judges_per_entry": scheme.judges_per_entry}


def _scheme_page(request: HttpRequest, event: Event, *, settings_form: SchemeSettingsForm | None = None,
                 import_form: SchemeImportForm | None = None, job: Any = None, status: int = 200) -> HttpResponse:
    scheme = Scheme.objects.filter(event=event).first()
    aspects = list(scheme.aspects.all()) if scheme else []
    tree = scheme_tree(aspects)
    total = sum((marking.from_hundredths(a.max_mark) for a in aspects), Decimal(0))
    can_change = event.competition.can_change(request.user)
    locked = structure.scheme_locked(event) if can_change else True
    return render(request, "competitions/setup/scheme_detail.html", {
        "event": event, "competition": event.competition, "scheme": scheme, "tree": tree,
        "total": format_number(total), "aspect_count": len(aspects),
        "expected_total": format_number(marking.from_hundredths(scheme.expected_total)) if scheme else "100",
        "method_label": marking.METHOD_LABELS.get(scheme.judgement_method, "") if scheme else "",
        "rounding_mode_label": marking.ROUNDING_MODE_LABELS.get(scheme.rounding_mode, "") if scheme else "",
        "rounding_level_label": marking.ROUNDING_LEVEL_LABELS.get(scheme.rounding_level, "") if scheme else "",
        "can_change": can_change, "locked": locked, "editable": can_change and not locked,
        "settings_form": settings_form or SchemeSettingsForm(initial=_settings_initial(scheme)),
        "import_form": import_form or SchemeImportForm(), "job": job,
        "job_errors": (job.errors or [])[:200] if job is not None else [],
    }, status=status)


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _scheme_page(request, get_event(request, pk))


@login_required
@require_POST
def scheme_settings(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_change(request, pk)
    form = SchemeSettingsForm(request.POST)
    if form.is_valid():
        done = _handle(request, form, lambda: structure.update_scheme_settings(
            actor=request.user, event=event, **form.service_data()))
        if done is not None:
            messages.success(request, _("The marking settings have been saved."))
            return redirect("scheme_detail", pk=event.pk)
    return _scheme_page(request, event, settings_form=form, status=400)


@login_required
@require_POST
def scheme_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the scheme from an .xlsx: done → back to the page; row errors → shown here, with the marked report."""
    event = event_for_change(request, pk)
    form = SchemeImportForm(request.POST, request.FILES)
    job = None
    if form.is_valid():
        job = _handle(request, form, lambda: start_scheme_import(actor=request.user, event=event,
                                                                 upload=form.cleaned_data["file"]))
        if job is not None and job.state == job.State.DONE:
            messages.success(request, _("The marking scheme has been imported: %(n)s aspects.") % {
                "n": job.summary.get("aspects", 0)})
            return redirect("scheme_detail", pk=event.pk)
    return _scheme_page(request, event, import_form=form, job=job, status=400)


@login_required
def scheme_export(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request, pk)
    scheme = Scheme.objects.filter(event=event).first()
    aspects = list(scheme.aspects.all()) if scheme else []
    name = _("Marking scheme")
    return xlsx_response(export_scheme(aspects, name), f"{name}-{event.name}.xlsx")


@login_required
def scheme_template_download(request: HttpRequest) -> HttpResponse:
    return xlsx_response(scheme_template(), _("Marking scheme import template") + ".xlsx")


urlpatterns: list[URLPattern] = [
    path("competitions/", competition_list, name="competition_list"),
    path("competitions/new/", competition_create, name="competition_create"),
    path("competitions/<int:pk>/", competition_detail, name="competition_detail"),
    path("competitions/<int:pk>/edit/", competition_edit, name="competition_edit"),
    path("competitions/<int:pk>/state/", competition_state, name="competition_state"),
    path("competitions/<int:pk>/stages/new/", stage_create, name="stage_create"),
    path("competitions/stages/<int:pk>/open-rounds/", rounds_open, name="rounds_open"),
    path("competitions/<int:pk>/events/new/", event_create, name="event_create"),
    path("competitions/events/<int:pk>/edit/", event_edit, name="event_edit"),
    path("competitions/trades/", trade_search, name="trade_search"),
    path("competitions/events/<int:pk>/scheme/", scheme_detail, name="scheme_detail"),
    path("competitions/events/<int:pk>/scheme/settings/", scheme_settings, name="scheme_settings"),
    path("competitions/events/<int:pk>/scheme/import/", scheme_import, name="scheme_import"),
    path("competitions/events/<int:pk>/scheme/export.xlsx", scheme_export, name="scheme_export"),
    path("competitions/scheme-template.xlsx", scheme_template_download, name="scheme_template"),
]
