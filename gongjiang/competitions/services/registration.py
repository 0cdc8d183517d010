"""Registration: workers register themselves, units register their people one by one, the rules decide
(registered / awaiting approval / waiting list / refused with every reason), organisers approve or refuse, a
freed place goes to the first on the waiting list; team events. Many registrations at once — the previews
of the worker's and the unit's pages, the bulk import — are decided by `planner` with the same rules."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import require
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Membership, Org, Person

from ..choices import HOLDING_A_PLACE, CompetitionState, EntrySource, EntryStatus, RoundState
from ..models import Entry, Event, Round, Team
from ..rules import eligibility
from . import notify
from .common import _require_round_organiser

STATUS_OF = {"eligible": EntryStatus.REGISTERED, "pending_approval": EntryStatus.PENDING,
             "waitlisted": EntryStatus.WAITLISTED}
ENTRY_FIELDS = ["status", "source", "unit", "team", "notes"]


def event_rules(event: Event) -> eligibility.EventRules:
    """The rules' view of an event's registration settings."""
    return eligibility.EventRules(
        min_age=event.min_age, max_age=event.max_age, age_reference_date=event.age_reference_date,
        min_grade=event.min_grade, max_grade=event.max_grade, members_only=event.members_only,
        front_line_only=event.front_line_only, exclude_leaders=event.exclude_leaders,
        exclusive=event.competition.exclusive, unit_quota=event.unit_quota, total_capacity=event.capacity,
        requires_approval=event.requires_approval, waitlist=event.waitlist and event.capacity is not None)


def candidate(person: Person, rnd: Round, *, membership: Membership | bool | None = False) -> eligibility.Candidate:
    """The rules' view of a person registering for `rnd` (its other entries in the competition included)."""
    if membership is False:
        membership = Membership.objects.filter(person=person).first()
    event = rnd.event
    others = (Entry.objects.filter(person=person, round__event__competition_id=event.competition_id,
                                   status__in=[*HOLDING_A_PLACE, EntryStatus.WAITLISTED])
              .exclude(round__event=event).values_list("round__event__name", flat=True).distinct())
    already = Entry.objects.filter(person=person, round__event=event, round__stage_id=rnd.stage_id,
                                   status__in=[*HOLDING_A_PLACE, EntryStatus.WAITLISTED]).exists()
    return eligibility.Candidate(
        birth_date=person.birth_date, skill_grade=person.skill_grade,
        membership_status=membership.status if membership else None, is_front_line=person.is_front_line,
        is_leader=eligibility.is_enterprise_leader(person.post), other_events_in_competition=tuple(others),
        already_registered_for_event=already)


def _counts(rnd: Round, unit: Org) -> tuple[int, int, int]:
    """(entries of the unit holding a place, entries holding a place, entries waiting) in the round."""
    c = Entry.objects.filter(round=rnd).aggregate(
        unit=Count("pk", filter=Q(unit=unit, status__in=HOLDING_A_PLACE)),
        total=Count("pk", filter=Q(status__in=HOLDING_A_PLACE)),
        waiting=Count("pk", filter=Q(status=EntryStatus.WAITLISTED)))
    return c["unit"], c["total"], c["waiting"]


def round_for(event: Event, person: Person, stage: Any = None) -> Round:
    """The round of `event` a person registers in: of the first stage open to registration (or `stage`),
    the one whose organiser's area holds the person's unit (the deepest, e.g. their city's round)."""
    return round_for_unit(event, person.employer, stage)


def round_for_unit(event: Event, unit: Org, stage: Any = None) -> Round:
    """The round of `event` that a unit's people (or its team) enter: see `round_for`."""
    stages = event.competition.stages.filter(direct_registration=True)
    stage = stage or stages.order_by("order").first()
    if stage is None:
        raise DomainError(_("No stage of %(event)s is open to registration.") % {"event": event.name})
    rounds = Round.objects.filter(event=event, stage=stage).select_related("organiser", "stage")
    found = _deepest_covering(rounds, unit)
    if found is None:
        raise DomainError(_("No round of %(event)s (%(stage)s) covers %(unit)s.") % {
            "event": event.name, "stage": stage.name, "unit": unit.name}, field="round")
    return found


def _covers(organiser: Org, unit: Org) -> bool:
    return unit.path.startswith(organiser.path) or bool(unit.industry_path
                                                        and unit.industry_path.startswith(organiser.path))


def _deepest_covering(rounds: Any, unit: Org) -> Round | None:
    covering = [r for r in rounds if _covers(r.organiser, unit)]
    return max(covering, key=lambda r: len(r.organiser.path)) if covering else None


def _check_open(rnd: Round) -> None:
    competition = rnd.event.competition
    if competition.state != CompetitionState.REGISTRATION:
        raise DomainError(_("Registration for %(competition)s is not open (%(state)s).") % {
            "competition": competition.name, "state": competition.get_state_display()}, code="state")
    if not rnd.stage.direct_registration:
        raise DomainError(_("%(stage)s takes its contestants from the previous stage, not by registration.") % {
            "stage": rnd.stage.name}, code="state")
    if rnd.state != RoundState.REGISTRATION:
        raise DomainError(_("Registration for this round is closed."), code="state")
    today = timezone.localdate()
    if competition.registration_closes and today > competition.registration_closes:
        raise DomainError(_("Registration closed on %(date)s.") % {"date": competition.registration_closes},
                          code="state")
    if competition.registration_opens and today < competition.registration_opens:
        raise DomainError(_("Registration opens on %(date)s.") % {"date": competition.registration_opens},
                          code="state")


def city_path_of(org: Org) -> str:
    """The path of the city federation above `org` ('' for a unit directly under the province or an
    industry union): per-city quotas of a final and the same-city conflict of interest use it."""
    return next((o.path for o in org.ancestors_and_self() if o.kind == OrgKind.CITY), "")


def _notes(decision: eligibility.Decision) -> list[dict[str, Any]]:
    return [{"code": r.code, "template": r.template, "params": r.params_dict} for r in decision.reasons]


def _entry_source(actor: Any, person: Person) -> str:
    """A worker registering themself, or a cadre of the person's unit; anyone else is refused."""
    if getattr(actor, "person_id", None) == person.pk:
        return EntrySource.SELF
    if not person.employer.in_scope(actor, "change"):
        raise PermissionDeniedError(_("You may register only yourself or the workers of your own units."))
    return EntrySource.UNIT


def preview(*, person: Person, rnd: Round) -> eligibility.Decision:
    """What registering would give now (every reason), without writing anything: for the registration page."""
    unit = person.employer.grassroots_union() or person.employer
    unit_count, total, waiting = _counts(rnd, unit)
    return eligibility.decide(candidate(person, rnd), event_rules(rnd.event), unit_count=unit_count,
                              total_count=total, waitlist_count=waiting)


@transaction.atomic
def register(*, actor: Any, person: Person, rnd: Round, source: str | None = None, team: Team | None = None) -> Entry:
    """Register `person` in `rnd`. Refused registrations raise a DomainError with every reason (nothing is
    written); otherwise the entry is registered, awaits approval, or waits on the list."""
    rnd = Round.objects.select_for_update(of=("self",)).select_related("event__competition__organiser", "stage",
                                                           "organiser").get(pk=rnd.pk)
    person = Person.objects.select_related("employer").get(pk=person.pk)
    own_source = _entry_source(actor, person)
    _check_open(rnd)
    employer = person.employer
    if not (employer.path.startswith(rnd.organiser.path)
            or (employer.industry_path and employer.industry_path.startswith(rnd.organiser.path))):
        raise DomainError(_("%(unit)s is outside the area of this round (%(organiser)s).") % {
            "unit": employer.name, "organiser": rnd.organiser.name}, field="round")
    unit = employer.grassroots_union() or employer
    unit_count, total, waiting = _counts(rnd, unit)
    decision = eligibility.decide(candidate(person, rnd), event_rules(rnd.event), unit_count=unit_count,
                                  total_count=total, waitlist_count=waiting)
    decision.raise_if_refused()
    status = STATUS_OF[decision.status]
    fields = {"unit": unit, "city_path": city_path_of(employer), "status": status,
              "source": source or own_source, "notes": _notes(decision), "team": team,
              "created_by": actor if getattr(actor, "pk", None) else None}
    entry = Entry.objects.filter(round=rnd, person=person).first()  # withdrawn or refused before: re-use the row
    if entry is not None:
        before = audit.snapshot(entry, ENTRY_FIELDS)
        for k, v in fields.items():
            setattr(entry, k, v)
        entry.save()
    else:
        before = {}
        entry = Entry.objects.create(round=rnd, person=person, **fields)
    audit.record(actor, "competitions.entry.registered", entry, before=before,
                 after=audit.snapshot(entry, ENTRY_FIELDS))
    return entry


def _decided_notes(entry: Entry) -> list[dict[str, Any]]:
    """The entry's notes without "awaits the organiser's approval" or "on the waiting list", which the worker's
    page would go on showing beside the decision."""
    return [n for n in entry.notes or [] if n.get("code") not in {"approval", "waitlisted"}]


@transaction.atomic
def approve_entry(*, actor: Any, entry: Entry) -> Entry:
    entry = Entry.objects.select_for_update(of=("self",)).select_related("round__event__competition__organiser",
                                                             "round__organiser").get(pk=entry.pk)
    _require_round_organiser(entry.round, actor)
    if entry.status != EntryStatus.PENDING:
        raise DomainError(_("Only a registration awaiting approval can be approved."), code="state")
    entry.status = EntryStatus.REGISTERED
    entry.notes = _decided_notes(entry)
    entry.save(update_fields=["status", "notes", "updated_at"])
    audit.record(actor, "competitions.entry.approved", entry, before={"status": EntryStatus.PENDING},
                 after={"status": entry.status})
    notify.entry_decided(entry, approved=True)
    return entry


@transaction.atomic
def refuse_entry(*, actor: Any, entry: Entry, reason: str) -> Entry:
    """The organiser refuses a registration awaiting approval or waiting for a place (with the reason)."""
    entry = Entry.objects.select_for_update(of=("self",)).select_related("round__event__competition__organiser",
                                                             "round__organiser").get(pk=entry.pk)
    _require_round_organiser(entry.round, actor)
    if entry.status not in {EntryStatus.PENDING, EntryStatus.WAITLISTED}:
        raise DomainError(_("Only a registration awaiting approval or on the waiting list can be refused."),
                          code="state")
    if not reason.strip():
        raise DomainError(_("Please give the reason."), field="reason")
    before = entry.status
    entry.status = EntryStatus.REFUSED
    entry.notes = _decided_notes(entry)
    entry.save(update_fields=["status", "notes", "updated_at"])
    audit.record(actor, "competitions.entry.refused", entry, before={"status": before},
                 after={"status": entry.status}, note=reason)
    notify.entry_decided(entry, approved=False, reason=reason)
    if before == EntryStatus.PENDING:
        promote_waiting(actor=actor, rnd=entry.round)
    return entry


@transaction.atomic
def withdraw_entry(*, actor: Any, entry: Entry, reason: str = "") -> Entry:
    """The worker, their unit or the organiser withdraws an entry before the contest; the freed place goes to
    the first on the waiting list."""
    entry = Entry.objects.select_for_update(of=("self",)).select_related(
        "round__event__competition__organiser", "round__organiser", "person__employer").get(pk=entry.pk)
    is_self = getattr(actor, "person_id", None) == entry.person_id
    if not (is_self or entry.unit.in_scope(actor, "change") or entry.round.can_change(actor)):
        raise PermissionDeniedError(_("You may not withdraw this registration."))
    if entry.round.state not in {RoundState.REGISTRATION, RoundState.CHECKIN}:
        raise DomainError(_("The contest has started: a contestant who does not appear is marked absent."),
                          code="state")
    if entry.status not in {*HOLDING_A_PLACE, EntryStatus.WAITLISTED}:
        raise DomainError(_("This registration is not active (%(status)s).") % {
            "status": entry.get_status_display()}, code="state")
    before = entry.status
    entry.status = EntryStatus.WITHDRAWN
    entry.save(update_fields=["status", "updated_at"])
    audit.record(actor, "competitions.entry.withdrawn", entry, before={"status": before},
                 after={"status": entry.status}, note=reason)
    if before in HOLDING_A_PLACE:
        promote_waiting(actor=actor, rnd=entry.round)
    return entry


def promote_waiting(*, actor: Any, rnd: Round) -> Entry | None:
    """Give a freed place to the first waiting entry that the rules still admit (its unit's quota may have
    filled meanwhile); it then is registered, or awaits approval."""
    rnd = Round.objects.select_for_update(of=("self",)).select_related("event__competition").get(pk=rnd.pk)
    rules = event_rules(rnd.event)
    for entry in (Entry.objects.filter(round=rnd, status=EntryStatus.WAITLISTED).select_related("person", "unit")
                  .order_by("created_at", "pk")):
        unit_count, total, _waiting = _counts(rnd, entry.unit)
        if eligibility.is_full(rules, total):
            return None
        cand = candidate(entry.person, rnd)
        cand = eligibility.Candidate(**{**cand.__dict__, "already_registered_for_event": False})
        decision = eligibility.decide(cand, rules, unit_count=unit_count, total_count=total)
        if decision.refused:
            continue
        entry.status = STATUS_OF[decision.status]
        entry.notes = _notes(decision)
        entry.save(update_fields=["status", "notes", "updated_at"])
        audit.record(actor, "competitions.entry.promoted", entry, before={"status": EntryStatus.WAITLISTED},
                     after={"status": entry.status})
        notify.entry_promoted(entry)
        return entry
    return None


# ---------------------------------------------------------------------------------------------
# Teams


@transaction.atomic
def form_team(*, actor: Any, rnd: Round, unit: Org, members: list[Person], name: str = "") -> Team:
    """A unit enters a team: its selected contestants (team size minus the members the organiser draws
    from the unit's roster). Each member is registered under the event's rules."""
    rnd = Round.objects.select_related("event__competition", "stage", "organiser").get(pk=rnd.pk)
    event = rnd.event
    if not event.is_team:
        raise DomainError(_("%(event)s is not a team event.") % {"event": event.name})
    require(unit, actor)
    selected = event.team_size - event.team_drawn
    if len(members) != selected or len({m.pk for m in members}) != len(members):
        raise DomainError(_("Select %(n)s different contestants; the other %(drawn)s members are drawn from the"
                            " unit's roster by the organiser.") % {"n": selected, "drawn": event.team_drawn},
                          field="members")
    for m in members:
        if (m.employer.grassroots_union() or m.employer).pk != unit.pk:
            raise DomainError(_("%(name)s does not work in %(unit)s.") % {"name": m.name, "unit": unit.name},
                              field="members")
    if Team.objects.filter(round=rnd, unit=unit).exists():
        raise DomainError(_("%(unit)s already has a team in this event.") % {"unit": unit.name}, field="unit")
    team = Team.objects.create(round=rnd, unit=unit, name=(name or unit.display_name).strip())
    for m in members:
        register(actor=actor, person=m, rnd=rnd, team=team)
    audit.record(actor, "competitions.team.formed", team, after={"members": [m.name for m in members]})
    return team


def team_candidates(team: Team) -> list[int]:
    """Ids of the unit's workers eligible to be drawn into the team (not already entered), in id order: the
    recorded input list of the draw."""
    rnd = team.round
    rules = event_rules(rnd.event)
    rules = eligibility.EventRules(**{**rules.__dict__, "unit_quota": None, "total_capacity": None,
                                      "requires_approval": False})
    taken = set(Entry.objects.filter(round__event=rnd.event, round__stage=rnd.stage)
                .exclude(status__in=[EntryStatus.WITHDRAWN, EntryStatus.REFUSED]).values_list("person_id", flat=True))
    elsewhere: dict[int, list[str]] = {}
    for pid, ename in (Entry.objects.filter(round__event__competition_id=rnd.event.competition_id,
                                            status__in=[*HOLDING_A_PLACE, EntryStatus.WAITLISTED])
                       .exclude(round__event=rnd.event).values_list("person_id", "round__event__name")):
        elsewhere.setdefault(pid, []).append(ename)
    people = (Person.objects.filter(employer__path__startswith=team.unit.path).exclude(pk__in=taken)
              .select_related("membership").order_by("pk"))
    ids = []
    for p in people:  # one query for all: the rules run on plain data
        membership = getattr(p, "membership", None)
        cand = eligibility.Candidate(
            birth_date=p.birth_date, skill_grade=p.skill_grade,
            membership_status=membership.status if membership else None, is_front_line=p.is_front_line,
            is_leader=eligibility.is_enterprise_leader(p.post),
            other_events_in_competition=tuple(elsewhere.get(p.pk, ())))
        if not eligibility.decide(cand, rules, unit_count=0, total_count=0).refused:
            ids.append(p.pk)
    return ids
