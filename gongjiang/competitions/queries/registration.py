"""Reads of registration: the rules' view of an event and of a person registering, the round a person or a unit
enters, whether registration is open, the counts a decision weighs (unit quota, capacity, waiting list), what
registering would give now (`preview`), and the workers of a unit who may be drawn into its team. Many
registrations at once are previewed by `planner`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError
from gongjiang.orgs import scoping
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Membership, Org, Person

from ..choices import HOLDING_A_PLACE, CompetitionState, EntryStatus, RoundState
from ..models import Entry, Event, Round, Stage, Team
from ..rules import eligibility

STATUS_OF = {"eligible": EntryStatus.REGISTERED, "pending_approval": EntryStatus.PENDING,
             "waitlisted": EntryStatus.WAITLISTED}


def event_rules(event: Event) -> eligibility.EventRules:
    """The rules' view of an event's registration settings."""
    return eligibility.EventRules(
        min_age=event.min_age, max_age=event.max_age, age_reference_date=event.age_reference_date,
        min_grade=event.min_grade, max_grade=event.max_grade, members_only=event.members_only,
        front_line_only=event.front_line_only, exclude_leaders=event.exclude_leaders,
        exclusive=event.competition.exclusive, unit_quota=event.unit_quota, total_capacity=event.capacity,
        requires_approval=event.requires_approval, waitlist=event.waitlist and event.capacity is not None)


def candidate(person: Person, rnd: Round, *,
              membership: Membership | Literal[False] | None = False) -> eligibility.Candidate:
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


def place_counts(rnd: Round, unit: Org) -> tuple[int, int, int]:
    """(entries of the unit holding a place, entries holding a place, entries waiting) in the round."""
    c = Entry.objects.filter(round=rnd).aggregate(
        unit=Count("pk", filter=Q(unit=unit, status__in=HOLDING_A_PLACE)),
        total=Count("pk", filter=Q(status__in=HOLDING_A_PLACE)),
        waiting=Count("pk", filter=Q(status=EntryStatus.WAITLISTED)))
    return c["unit"], c["total"], c["waiting"]


def round_for(event: Event, person: Person, stage: Stage | None = None) -> Round:
    """The round of `event` a person registers in: of the first stage open to registration (or `stage`),
    the one whose organiser's area holds the person's unit (the deepest, e.g. their city's round)."""
    return round_for_unit(event, person.employer, stage)


def round_for_unit(event: Event, unit: Org, stage: Stage | None = None) -> Round:
    """The round of `event` that a unit's people (or its team) enter: see `round_for`."""
    stages = event.competition.stages.filter(direct_registration=True)
    stage = stage or stages.order_by("order").first()
    if stage is None:
        raise DomainError(_("No stage of %(event)s is open to registration.") % {"event": event.name})
    rounds = Round.objects.filter(event=event, stage=stage).select_related("organiser", "stage")
    found = deepest_covering(rounds, unit)
    if found is None:
        raise DomainError(_("No round of %(event)s (%(stage)s) covers %(unit)s.") % {
            "event": event.name, "stage": stage.name, "unit": unit.name}, field="round")
    return found


def _covers(organiser: Org, unit: Org) -> bool:
    return scoping.within(unit, organiser)


def deepest_covering(rounds: Iterable[Round], unit: Org) -> Round | None:
    covering = [r for r in rounds if _covers(r.organiser, unit)]
    return max(covering, key=lambda r: len(r.organiser.path)) if covering else None


def check_open(rnd: Round) -> None:
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


def preview(*, person: Person, rnd: Round) -> eligibility.Decision:
    """What registering would give now (every reason), without writing anything: for the registration page."""
    unit = person.employer.grassroots_union() or person.employer
    unit_count, total, waiting = place_counts(rnd, unit)
    return eligibility.decide(candidate(person, rnd), event_rules(rnd.event), unit_count=unit_count,
                              total_count=total, waitlist_count=waiting)


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
