"""Many registrations at once: a worker's page previews every open event, a unit's search previews every
worker found, and the bulk import decides a whole file (its rows count together against the quotas) before
`services.register_bulk` registers it in one transaction, deciding it again here under lock. The `Planner` reads
everything a competition's decisions need in a few queries and decides one registration after the other with the
rules and the counts of `services.register`, so a preview here is what registering gives."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core.bulk import among
from gongjiang.core.errors import DomainError
from gongjiang.core.imports import iter_chunks
from gongjiang.orgs import scoping
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person

from ..choices import HOLDING_A_PLACE, EntryStatus
from ..models import Competition, Entry, Event, Round, Stage, Team
from ..rules import eligibility
from .registration import STATUS_OF, check_open, deepest_covering, event_rules

# Entries that count as a registration of the person (a second one for the same event is a duplicate).
_ACTIVE = {*HOLDING_A_PLACE, EntryStatus.WAITLISTED}


class MembershipRow:
    """A person's membership as the rules read it (its status), for a `PersonRow`."""

    __slots__ = ("status",)

    def __init__(self, status: str) -> None:
        self.status = status


class PersonRow:
    """A person as the planner reads it, without a model instance (a bulk import decides 100,000): the fields the
    rules and the registration read, the employer (an Org, shared by its workers) and the membership's status."""

    __slots__ = ("birth_date", "employer", "employer_id", "id", "id_hash", "is_front_line", "membership", "name",
                 "post", "skill_grade")

    FIELDS = ("id", "name", "id_hash", "employer_id", "birth_date", "skill_grade", "is_front_line", "post")

    def __init__(self, id: int, name: str, id_hash: str, employer_id: int, birth_date: datetime.date | None,
                 skill_grade: int, is_front_line: bool, post: str, membership: MembershipRow | None,
                 employer: Org) -> None:
        self.id, self.name, self.id_hash, self.employer_id = id, name, id_hash, employer_id
        self.birth_date, self.skill_grade, self.is_front_line, self.post = birth_date, skill_grade, is_front_line, post
        self.membership, self.employer = membership, employer

    @property
    def pk(self) -> int:
        return self.id


# A person as a planner decides for them: an instance, or a row read for a bulk import.
Registrant = Person | PersonRow


def planning_people(people: QuerySet[Person]) -> list[PersonRow]:
    """The people of `people` as `PersonRow`s, in one query (plus one for their employers, each read once): what a
    `Planner` takes with `loaded=True`."""
    rows = list(people.order_by().values_list(*PersonRow.FIELDS, "membership__status"))
    employers = Org.objects.in_bulk(sorted({r[3] for r in rows}))
    statuses: dict[Any, MembershipRow | None] = {None: None}
    found = []
    for pid, name, id_hash, employer_id, birth_date, grade, front_line, post, status in rows:
        membership = statuses[status] if status in statuses else statuses.setdefault(status, MembershipRow(status))
        found.append(PersonRow(pid, name, id_hash, employer_id, birth_date, grade, front_line, post, membership,
                               employers[employer_id]))
    return found


@dataclass
class Planned:
    """What registering `person` in `event` gives: the round and unit, and the rules' decision — or the
    problem that stops it before the rules apply (no round covers the unit, registration closed)."""

    person: Registrant
    event: Event
    rnd: Round | None = None
    unit: Org | None = None
    city_path: str = ""
    decision: eligibility.Decision | None = None
    problem: DomainError | None = None

    @property
    def refused(self) -> bool:
        decision = self.decision
        return self.problem is not None or decision is None or decision.status == "refused"

    @property
    def status(self) -> str:
        """The entry status registering would give (refused when it would be refused)."""
        return EntryStatus.REFUSED if self.refused else STATUS_OF[self.decision.status]  # type: ignore[union-attr]

    @property
    def reasons(self) -> tuple[eligibility.Reason, ...]:
        return self.decision.reasons if self.decision is not None else ()

    @property
    def messages(self) -> list[str]:
        """Every reason, in the active language."""
        if self.problem is not None:
            return [self.problem.message]
        return [r.message for r in self.reasons]


def _path_prefixes(path: str) -> list[str]:
    return scoping.ancestors(path)


class Planner:
    """Decides registrations of many people in one competition with a few queries, one after the other:
    each decision counts those before it (unit quota, capacity, waiting list, one event per competition,
    duplicates), as if they had been registered in that order. The rules and the counts are those of
    `register`, so a preview here is what registering gives."""

    def __init__(self, competition: Competition, people: Iterable[Person | PersonRow | int], *, lock: bool = False,
                 loaded: bool = False) -> None:
        """`people`: instances or ids, read here with their employer and membership — unless `loaded` says
        they come read already, with their employer and membership: from another planner, or as `PersonRow`s
        (`planning_people`; a bulk import decides a file once to report its rows, then again under lock to register
        them: the people are read once)."""
        # Read afresh (its state and settings decide): the caller's copy may be older than the database's.
        self.competition = competition = Competition.objects.get(pk=competition.pk)
        self.people: dict[int, Person | PersonRow] = {}
        if loaded:
            self.people = {p.id: p for p in people if isinstance(p, (Person, PersonRow))}
            ids = sorted(self.people)
        else:
            ids = sorted({p if isinstance(p, int) else p.pk for p in people})
            for chunk in iter_chunks(ids, 900):
                self.people.update(Person.objects.select_related("membership").in_bulk(chunk))
            # Each employer once (a big enterprise's 100,000 workers share one: not 100,000 copies of it).
            employer_ids = sorted({p.employer_id for p in self.people.values()})
            employers: dict[int, Org] = {}
            for chunk in iter_chunks(employer_ids, 900):
                employers.update(Org.objects.in_bulk(chunk))
            for p in self.people.values():
                p.employer = employers[p.employer_id]
        self.events = {e.pk: e for e in Event.objects.filter(competition=competition)}
        for e in self.events.values():
            e.competition = competition
        self.rules = {pk: event_rules(e) for pk, e in self.events.items()}
        self.stage = competition.stages.filter(direct_registration=True).order_by("order").first()
        rounds = (Round.objects.filter(event__competition=competition, stage=self.stage).select_related("organiser")
                  if self.stage is not None else Round.objects.none())
        if lock:
            rounds = rounds.select_for_update(of=("self",))
        self.rounds_by_event: dict[int, list[Round]] = defaultdict(list)
        for r in rounds:
            r.event, r.stage = self.events[r.event_id], cast(Stage, self.stage)  # rounds only when there is one
            self.rounds_by_event[r.event_id].append(r)
        round_ids = [r.pk for rs in self.rounds_by_event.values() for r in rs]
        # Units (grassroots union) and cities of the employers: their ancestors, in one query per 900 paths.
        employers = {p.employer_id: p.employer for p in self.people.values()}
        paths = sorted({a for e in employers.values() for a in _path_prefixes(e.path)})
        orgs: dict[str, Org] = {}
        for chunk in iter_chunks(paths, 900):
            orgs.update({o.path: o for o in Org.objects.filter(path__in=chunk)})
        self.units: dict[int, tuple[Org, str]] = {}
        for pk, e in employers.items():
            chain = [orgs.get(a, e) for a in _path_prefixes(e.path)]
            unit = next((o for o in reversed(chain) if o.kind == OrgKind.GRASSROOTS), e)
            self.units[pk] = (unit, next((o.path for o in chain if o.kind == OrgKind.CITY), ""))
        # The people's entries in the competition: duplicates, one event per competition, re-used rows.
        self.entered: dict[int, dict[int, str]] = defaultdict(dict)  # person -> {event: name} (active, any stage)
        self.entered_in_stage: set[tuple[int, int, int]] = set()  # (person, event, stage) active
        self.rows: dict[tuple[int, int], int] = {}  # (round, person) -> entry id, any status
        # (One query whatever the number of people: their ids are one parameter, `among`.)
        found = Entry.objects.filter(person_id__in=among(ids, "bigint"), round__event__competition=competition)
        for pk, pid, rid, eid, sid, status, name in found.values_list(
                "pk", "person_id", "round_id", "round__event_id", "round__stage_id", "status", "round__event__name"):
            self.rows[(rid, pid)] = pk
            if status in _ACTIVE:
                self.entered[pid][eid] = name
                self.entered_in_stage.add((pid, eid, sid))
        self.unit_count: Counter[tuple[int, int]] = Counter()
        self.total: Counter[int] = Counter()
        self.waiting: Counter[int] = Counter()
        if round_ids:
            for row in (Entry.objects.filter(round_id__in=round_ids).values("round_id", "unit_id", "status")
                        .annotate(n=Count("pk")).order_by()):
                if row["status"] in HOLDING_A_PLACE:
                    self.unit_count[(row["round_id"], row["unit_id"])] += row["n"]
                    self.total[row["round_id"]] += row["n"]
                elif row["status"] == EntryStatus.WAITLISTED:
                    self.waiting[row["round_id"]] += row["n"]
        self.teams = set(Team.objects.filter(round_id__in=round_ids).values_list("round_id", "unit_id")) \
            if round_ids else set()
        self._closed: dict[int, DomainError | None] = {}
        self._round_of: dict[tuple[int, int], Round | DomainError] = {}  # (employer, event) -> round or refusal
        self.initial = self._inputs()  # what the decisions start from (`decisions_hold`)
        self.decided: list[Planned] = []  # the decisions made (`decide` with `count`), in order

    def _inputs(self) -> tuple[Any, ...]:
        """Everything the decisions depend on besides the people (who come read already), as read: the day (the
        registration dates), the competition's state and dates, each event's rules, name and team settings, the
        stage, the rounds (state, organiser), the units and cities of the employers, the people's entries in the
        competition, the places taken and waiting per round and unit, the teams."""
        c, stage = self.competition, self.stage
        return (
            timezone.localdate(), c.pk, c.state, c.registration_opens, c.registration_closes, self.rules,
            {pk: (e.name, e.is_team, e.team_size, e.team_drawn) for pk, e in self.events.items()},
            (stage.pk, stage.name, stage.direct_registration) if stage is not None else None,
            {eid: [(r.pk, r.state, r.stage_id, r.organiser.pk, r.organiser.path, r.organiser.industry_path,
                    r.organiser.kind, r.organiser.name) for r in rs] for eid, rs in self.rounds_by_event.items()},
            {pk: (unit.pk, unit.name, city) for pk, (unit, city) in self.units.items()},
            {pid: dict(events) for pid, events in self.entered.items() if events}, set(self.entered_in_stage),
            dict(self.rows), dict(self.unit_count), dict(self.total), dict(self.waiting), set(self.teams))

    def decisions_hold(self, locked: Planner, items: Sequence[tuple[Registrant, Event, Any]]) -> bool:
        """Whether the decisions this planner made (`decided`) are those of `items`, in their order, and `locked` —
        the planner of the commit, reading afresh under the rounds' locks — starts from exactly what this one
        started from: deciding them again would give the same decisions (the rules are pure functions of these
        inputs), so a bulk import decides its file once when nothing moved between its check and its commit."""
        decided = self.decided
        return (len(decided) == len(items)
                and all(p.person.id == person.id and p.event.id == event.id
                        for p, (person, event, _note) in zip(decided, items, strict=True))
                and locked.initial == self.initial)

    def person(self, person: Registrant | int) -> Registrant:
        return self.people[person if isinstance(person, int) else person.id]

    def unit_of(self, person: Registrant) -> Org:
        """The unit (grassroots union) that enters the person, as `register` records it."""
        return self.units[self.person(person).employer_id][0]

    def round_of(self, person: Registrant, event: Event) -> Round:
        """The round the person enters (`round_for`); DomainError when none covers their unit."""
        employer = self.person(person).employer
        key = (employer.id, event.id)
        found = self._round_of.get(key)
        if found is None:
            if self.stage is None:
                found = DomainError(_("No stage of %(event)s is open to registration.") % {"event": event.name})
            else:
                found = deepest_covering(self.rounds_by_event.get(event.id, []), employer) or DomainError(
                    _("No round of %(event)s (%(stage)s) covers %(unit)s.") % {
                        "event": event.name, "stage": self.stage.name, "unit": employer.name}, field="round")
            self._round_of[key] = found
        if isinstance(found, DomainError):  # a fresh one each time (a raised exception keeps its traceback)
            raise DomainError(found.message, field=found.field, code=found.code)
        return found

    def _closed_problem(self, rnd: Round) -> DomainError | None:
        if rnd.id not in self._closed:
            try:
                check_open(rnd)
            except DomainError as e:
                self._closed[rnd.id] = e
            else:
                self._closed[rnd.id] = None
        return self._closed[rnd.id]

    def decide(self, person: Registrant | int, event: Event | int, *, count: bool = True) -> Planned:
        """The decision for one more registration; with `count`, an accepted one counts for those after it."""
        # (A bulk import calls this for each of 100,000 rows: ids are read as attributes, not through `.pk`.)
        person = self.person(person)
        event = self.events[event if isinstance(event, int) else event.id]
        pid, eid = person.id, event.id
        unit, city = self.units[person.employer_id]
        planned = Planned(person, event, unit=unit, city_path=city)
        if count:
            self.decided.append(planned)
        try:
            rnd = planned.rnd = self.round_of(person, event)
        except DomainError as e:
            planned.problem = e
            return planned
        planned.problem = self._closed_problem(rnd)
        if planned.problem is not None:
            return planned
        rid, stage_id, quota_key = rnd.id, rnd.stage_id, (rnd.id, unit.id)
        membership = getattr(person, "membership", None)
        entered = self.entered[pid]
        cand = eligibility.Candidate(
            birth_date=person.birth_date, skill_grade=person.skill_grade,
            membership_status=membership.status if membership else None, is_front_line=person.is_front_line,
            is_leader=eligibility.is_enterprise_leader(person.post),
            other_events_in_competition=tuple(n for e, n in entered.items() if e != eid) if entered else (),
            already_registered_for_event=(pid, eid, stage_id) in self.entered_in_stage)
        decision = planned.decision = eligibility.decide(
            cand, self.rules[eid], unit_count=self.unit_count[quota_key], total_count=self.total[rid],
            waitlist_count=self.waiting[rid])
        if count and not decision.refused:
            if decision.status == "waitlisted":
                self.waiting[rid] += 1
            else:
                self.unit_count[quota_key] += 1
                self.total[rid] += 1
            entered[eid] = event.name
            self.entered_in_stage.add((pid, eid, stage_id))
        return planned

    def team_problems(self, planned: Sequence[Planned]) -> dict[int, str]:
        """For registrations of a team event: a unit's rows form its team, so they must be its selected
        contestants exactly (team size minus the members drawn), and the unit must not have a team yet.
        Returns {index in `planned`: message}."""
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, p in enumerate(planned):
            if p.event.is_team and p.rnd is not None and p.unit is not None:
                groups[(p.rnd.pk, p.unit.pk)].append(i)
        problems: dict[int, str] = {}
        for key, indexes in groups.items():
            first = planned[indexes[0]]
            event, unit = first.event, first.unit
            assert unit is not None
            selected = event.team_size - event.team_drawn
            if key in self.teams:
                message = _("%(unit)s already has a team in %(event)s.") % {"unit": unit.name, "event": event.name}
            elif len(indexes) != selected:
                message = _("A team of %(event)s has %(n)s selected contestants (the other %(drawn)s are drawn by the"
                            " organiser); %(unit)s has %(m)s.") % {
                    "event": event.name, "n": selected, "drawn": event.team_drawn, "unit": unit.name,
                    "m": len(indexes)}
            else:
                continue
            for i in indexes:
                problems[i] = message
        return problems


def preview_events(person: Person, events: Iterable[Event]) -> dict[int, Planned]:
    """What registering `person` gives in each event (a worker's page): {event id: Planned}, in a few
    queries per competition whatever the number of events."""
    by_competition: dict[int, list[Event]] = defaultdict(list)
    for e in events:
        by_competition[e.competition_id].append(e)
    found: dict[int, Planned] = {}
    for competition_events in by_competition.values():
        planner = Planner(competition_events[0].competition, [person])
        for e in competition_events:
            found[e.pk] = planner.decide(person, e.pk, count=False)
    return found


def preview_people(event: Event, people: Iterable[Person]) -> dict[int, Planned]:
    """What registering each of `people` in `event` gives (a unit's search results): {person id: Planned}."""
    people = list(people)
    planner = Planner(event.competition, people)
    return {p.pk: planner.decide(p, event.pk, count=False) for p in people}


