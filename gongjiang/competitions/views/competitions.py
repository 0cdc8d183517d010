"""The organiser's competition pages: the list (filters, 导出Excel), creating and editing a competition, and the
competition page (state and its next steps, stages with their advancement rules, events, rounds by stage,
timeline) with its state changes.

Reads go through `Competition.objects.for_user` (out of scope: 404); a user who sees a competition but may not
change it (a county cadre and the provincial competition above them) gets 403 on the change pages and sees no
buttons. Every write is a verb of `services.structure`; a refusal is shown on the field it names, nothing
changed. Every page runs a constant number of queries whatever the number of competitions, events, rounds or
entries (counts are correlated subqueries of the listed rows)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongjiang.core import audit, history, pages
from gongjiang.orgs.choices import OrgKind, SkillGrade
from gongjiang.orgs.models import Org
from gongjiang.orgs.scoping import grant_orgs

from .. import queries, services
from ..choices import COMPETITION_TRANSITIONS, CompetitionClass, CompetitionKind, CompetitionState, Level
from ..forms.setup import CompetitionFilterForm, CompetitionForm
from ..models import Competition, Entry, Event, Round, reach_q
from ..services import structure
from .common import (
    NOT_REGISTRATIONS,
    competition_for_change,
    count_of,
    get_competition,
    handle,
    registrations,
    sees_participation,
    visible_competitions,
)

ORGANISING_KINDS = {OrgKind.PROVINCE, OrgKind.CITY, OrgKind.INDUSTRY, OrgKind.COUNTY, OrgKind.GRASSROOTS}
LEVEL_OF_KIND = {OrgKind.PROVINCE: Level.PROVINCE, OrgKind.CITY: Level.CITY, OrgKind.INDUSTRY: Level.PROVINCE,
                 OrgKind.COUNTY: Level.COUNTY, OrgKind.GRASSROOTS: Level.ENTERPRISE}
ROUNDS_SHOWN = 300  # per stage on the competition page; the round pages list the rest
STATE_BADGES = {CompetitionState.PREPARING: "", CompetitionState.REGISTRATION: "badge-ok",
                CompetitionState.CLOSED: "badge-warn", CompetitionState.RUNNING: "badge-red",
                CompetitionState.PUBLICITY: "badge-warn", CompetitionState.FINISHED: ""}


# ---------------------------------------------------------------------------------------------
# Helpers


def organiser_choices(user: Any) -> list[Org]:
    """The user's own scope orgs on which they have change rights and that may organise a competition."""
    return [o for o in grant_orgs(user) if o.kind in ORGANISING_KINDS and o.in_scope(user, "change")]


def with_counts(qs: QuerySet[Competition]) -> QuerySet[Competition]:
    """Each competition's number of events and of registrations, in the same query as the rows."""
    return qs.annotate(
        event_count=count_of(Event.objects.filter(competition=OuterRef("pk")), "competition"),
        entry_count=count_of(registrations(round__event__competition=OuterRef("pk")), "round__event__competition"))


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


TIMELINE_EVENTS = 30  # the latest events of a competition's 履历 (a labour competition records one per evaluation)


def readable_timeline(obj: Any) -> list[Any]:
    """The object's 履历 in words (core.history: labels, formatted values, bulk payloads summarised)."""
    return history.describe(audit.timeline(obj, limit=TIMELINE_EVENTS))


# ---------------------------------------------------------------------------------------------
# List and export

# The columns the list sorts by (?sort=year, ?sort=-registered): the organiser in the tree's order (the province, then
# its cities), level and state in their own order (province first; preparing → finished), the counts by the correlated
# subqueries of `with_counts` in the same query as the rows. The default: the latest year first.
SORTING = pages.Sorting(
    {"name": "name", "year": "year", "organiser": "organiser__path", "level": "level_rank", "class": "klass",
     "state": "state_rank", "events": "event_count", "registered": "entry_count"},
    default="-year", first_descending=("year", "events", "registered"),
    annotations={"level_rank": pages.rank_of("level", Level.values),
                 "state_rank": pages.rank_of("state", CompetitionState.values)})


@login_required
def competition_list(request: HttpRequest) -> HttpResponse:
    """The skills competitions (职业技能竞赛) the user reaches; labour competitions, which have no events, stages or
    classes, are listed on their own page (`labour_list`)."""
    base = visible_competitions(request.user).filter(kind=CompetitionKind.SKILLS)
    years = sorted(set(base.order_by().values_list("year", flat=True).distinct()), reverse=True)
    form = CompetitionFilterForm(request.GET or None, years=years)
    qs = base
    filtered = False
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filtered = form.has_filters()
        for key in ("year", "state", "level"):
            if d.get(key) not in (None, ""):
                qs = qs.filter(**{key: d[key]})
    sort = SORTING(request)
    qs = sort.apply(with_counts(qs.select_related("organiser")))
    if pages.wants_export(request):
        return export_competitions(qs)
    page = pages.paginate(request, qs)
    for c in page.object_list:
        c.state_badge = STATE_BADGES.get(c.state, "")
    return pages.render_page(request, "competitions/setup/competition_list.html", {
        "form": form, "page": page, "rows": page.object_list, "filtered": filtered, "sort": sort,
        "can_organise": bool(organiser_choices(request.user)),
    }, fragment="competitions/setup/_competition_rows.html")


def export_competitions(qs: QuerySet[Competition]) -> HttpResponse:
    headers = [_("Competition"), _("Year"), _("Organiser"), _("Level"), _("Class"), _("State"),
               _("Events"), _("Registered"), _("Registration opens"), _("Registration closes"), _("Co-organisers")]
    rows = ([c.name, c.year, c.organiser.name, c.get_level_display(), c.get_klass_display(),
             c.get_state_display(), c.event_count, c.entry_count, c.registration_opens, c.registration_closes,
             c.co_organisers] for c in qs.iterator(chunk_size=500))
    return pages.export(_("Skills competitions"), headers, rows)


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
        competition = handle(form, lambda: services.create_competition(
            actor=request.user, organiser=form.cleaned_data["organiser"], **form.service_data()))
        if competition is not None:
            messages.success(request, _("%(name)s has been created. Add its stages and events next.") % {
                "name": competition.name})
            return redirect("competitions:competition_detail", pk=competition.pk)
    return _competition_form_page(request, form, None, 400 if request.method == "POST" else 200)


@login_required
def competition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    competition = competition_for_change(request, pk)
    initial = {f: getattr(competition, f) for f in structure.EDITABLE_COMPETITION_FIELDS}
    form = CompetitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = handle(form, lambda: services.update_competition(
            actor=request.user, competition=competition, **form.service_data()))
        if done is not None:
            messages.success(request, _("The changes have been saved."))
            return redirect("competitions:competition_detail", pk=competition.pk)
    return _competition_form_page(request, form, competition, 400 if request.method == "POST" else 200)


# ---------------------------------------------------------------------------------------------
# The competition page


def events_with_counts(competition: Competition) -> list[Event]:
    taking = registrations(round__event=OuterRef("pk"))
    events = list(competition.events.select_related("trade").annotate(
        round_count=count_of(Round.objects.filter(event=OuterRef("pk")), "event"),
        entry_count=count_of(taking, "round__event")).order_by("order", "id"))
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
                  .annotate(entry_count=count_of(Entry.objects.filter(round=OuterRef("pk")).exclude(
                      status__in=NOT_REGISTRATIONS), "round"))
                  .order_by("stage_id", "event__order", "event_id", "organiser__path"))
    by_stage: dict[int, list[Round]] = {}
    for r in rounds:
        by_stage.setdefault(r.stage_id, []).append(r)
    defaults = queries.default_organisers_by_stage(competition, stages) if can_change else {}
    # The names of the orgs the quotas name (one query, whether or not there are quotas).
    name_ids = {str(k) for s in stages for k in (s.advancement or {}).get("city_quotas", {})}
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
        "not_skills": competition.kind != CompetitionKind.SKILLS,
        "sees_participation": competition.kind == CompetitionKind.SKILLS and sees_participation(user, competition),
        "editable": competition.state in {CompetitionState.PREPARING, CompetitionState.REGISTRATION,
                                          CompetitionState.CLOSED},
        "timeline": readable_timeline(competition), "rounds_shown": ROUNDS_SHOWN,
    })


@login_required
@require_POST
def competition_state(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the allowed next states (the buttons); a refused move is shown as the service words it."""
    competition = competition_for_change(request, pk)
    state = request.POST.get("state", "")
    if state not in CompetitionState.values:
        messages.error(request, _("Unknown state %(state)s.") % {"state": state})
        return redirect("competitions:competition_detail", pk=competition.pk)
    pages.act(request, lambda: services.change_state(actor=request.user, competition=competition, state=state,
                                                     note=(request.POST.get("note") or "")[:200]),
              _("%(name)s is now “%(state)s”.") % {"name": competition.name, "state": CompetitionState(state).label})
    return redirect("competitions:competition_detail", pk=competition.pk)


urlpatterns: list[URLPattern] = [
    path("competitions/", competition_list, name="competition_list"),
    path("competitions/new/", competition_create, name="competition_create"),
    path("competitions/<id:pk>/", competition_detail, name="competition_detail"),
    path("competitions/<id:pk>/edit/", competition_edit, name="competition_edit"),
    path("competitions/<id:pk>/state/", competition_state, name="competition_state"),
]
