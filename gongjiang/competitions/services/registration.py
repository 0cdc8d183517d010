"""Registration: workers register themselves, units register their people one by one, the rules decide
(registered / awaiting approval / waiting list / refused with every reason), organisers approve or refuse, a
freed place goes to the first on the waiting list; team events; many registrations at once (`register_bulk`, the
bulk import), decided by `queries.planner` with the same rules as one registration (its previews on the worker's
and the unit's pages are what registering gives)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.bulk import insert_rows, reserve_ids
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import require, verb
from gongjiang.orgs import scoping
from gongjiang.orgs.models import Org, Person, User

from .. import figures, notify
from ..choices import HOLDING_A_PLACE, EntrySource, EntryStatus, RoundState
from ..models import Competition, Entry, Event, Round, Team
from ..queries.planner import Planner, Registrant
from ..queries.registration import (
    STATUS_OF,
    candidate,
    check_open,
    city_path_of,
    event_rules,
    place_counts,
)
from ..rules import eligibility
from .common import _require_round_organiser

ENTRY_FIELDS = ["status", "source", "unit", "team", "notes"]


def _notes(decision: eligibility.Decision) -> list[dict[str, Any]]:
    return [{"code": r.code, "template": r.template, "params": r.params_dict} for r in decision.reasons]


def _entry_source(actor: User, person: Registrant) -> str:
    """A worker registering themself, or a cadre of the person's unit; anyone else is refused."""
    if getattr(actor, "person_id", None) == person.pk:
        return EntrySource.SELF
    if not person.employer.in_scope(actor, "change"):
        raise PermissionDeniedError(_("You may register only yourself or the workers of your own units."))
    return EntrySource.UNIT


@verb
def register(*, actor: User, person: Person, rnd: Round, source: str | None = None, team: Team | None = None) -> Entry:
    """Register `person` in `rnd`. Refused registrations raise a DomainError with every reason (nothing is
    written); otherwise the entry is registered, awaits approval, or waits on the list."""
    rnd = Round.objects.select_for_update(of=("self",)).select_related("event__competition__organiser", "stage",
                                                           "organiser").get(pk=rnd.pk)
    person = Person.objects.select_related("employer").get(pk=person.pk)
    own_source = _entry_source(actor, person)
    check_open(rnd)
    employer = person.employer
    if not scoping.within(employer, rnd.organiser):
        raise DomainError(_("%(unit)s is outside the area of this round (%(organiser)s).") % {
            "unit": employer.name, "organiser": rnd.organiser.name}, field="round")
    unit = employer.grassroots_union() or employer
    unit_count, total, waiting = place_counts(rnd, unit)
    decision = eligibility.decide(candidate(person, rnd), event_rules(rnd.event), unit_count=unit_count,
                                  total_count=total, waitlist_count=waiting)
    decision.raise_if_refused()
    status = STATUS_OF[decision.status]
    fields = {"unit": unit, "city_path": city_path_of(employer), "status": status,
              "source": source or own_source, "notes": _notes(decision), "team": team,
              "created_by": actor if getattr(actor, "pk", None) else None,
              "accepted_on": figures.today() if status == EntryStatus.REGISTERED else None}
    entry = Entry.objects.filter(round=rnd, person=person).first()  # withdrawn or refused before: re-use the row
    if entry is not None:
        before = audit.snapshot(entry, ENTRY_FIELDS)
        counted = (entry.accepted_on, entry.source)
        for k, v in fields.items():
            setattr(entry, k, v)
        entry.save()
        figures.accept(entry, counted)
    else:
        before = {}
        entry = Entry.objects.create(round=rnd, person=person, **fields)
        figures.accept(entry)
    audit.record(actor, "competitions.entry.registered", entry, before=before,
                 after=audit.snapshot(entry, ENTRY_FIELDS))
    return entry


def _decided_notes(entry: Entry) -> list[dict[str, Any]]:
    """The entry's notes without "awaits the organiser's approval" or "on the waiting list", which the worker's
    page would go on showing beside the decision."""
    return [n for n in entry.notes or [] if n.get("code") not in {"approval", "waitlisted"}]


@verb
def approve_entry(*, actor: User, entry: Entry) -> Entry:
    entry = Entry.objects.select_for_update(of=("self",)).select_related("round__event__competition__organiser",
                                                             "round__organiser").get(pk=entry.pk)
    _require_round_organiser(entry.round, actor)
    if entry.status != EntryStatus.PENDING:
        raise DomainError(_("Only a registration awaiting approval can be approved."), code="state")
    entry.status, entry.accepted_on = EntryStatus.REGISTERED, figures.today()
    entry.notes = _decided_notes(entry)
    entry.save(update_fields=["status", "accepted_on", "notes", "updated_at"])
    figures.accept(entry, (None, entry.source))
    audit.record(actor, "competitions.entry.approved", entry, before={"status": EntryStatus.PENDING},
                 after={"status": entry.status})
    notify.entry_decided(entry, approved=True)
    return entry


@verb
def refuse_entry(*, actor: User, entry: Entry, reason: str) -> Entry:
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
        _promote_waiting(actor, entry.round)
    return entry


@verb
def withdraw_entry(*, actor: User, entry: Entry, reason: str = "") -> Entry:
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
    counted = (entry.accepted_on, entry.source)
    entry.status, entry.accepted_on = EntryStatus.WITHDRAWN, None
    entry.save(update_fields=["status", "accepted_on", "updated_at"])
    figures.accept(entry, counted)
    audit.record(actor, "competitions.entry.withdrawn", entry, before={"status": before},
                 after={"status": entry.status}, note=reason)
    if before in HOLDING_A_PLACE:
        _promote_waiting(actor, entry.round)
    return entry


def _promote_waiting(actor: User, rnd: Round) -> Entry | None:
    """Give a freed place to the first waiting entry that the rules still admit (its unit's quota may have
    filled meanwhile); it then is registered, or awaits approval. A step of `refuse_entry` and `withdraw_entry`."""
    rnd = Round.objects.select_for_update(of=("self",)).select_related("event__competition").get(pk=rnd.pk)
    rules = event_rules(rnd.event)
    for entry in (Entry.objects.filter(round=rnd, status=EntryStatus.WAITLISTED).select_related("person", "unit")
                  .order_by("created_at", "pk")):
        unit_count, total, _waiting = place_counts(rnd, entry.unit)
        if eligibility.is_full(rules, total):
            return None
        cand = candidate(entry.person, rnd)
        cand = eligibility.Candidate(**{**cand.__dict__, "already_registered_for_event": False})
        decision = eligibility.decide(cand, rules, unit_count=unit_count, total_count=total)
        if decision.refused:
            continue
        entry.status = STATUS_OF[decision.status]
        entry.notes = _notes(decision)
        entry.accepted_on = figures.today() if entry.status == EntryStatus.REGISTERED else None
        entry.save(update_fields=["status", "notes", "accepted_on", "updated_at"])
        figures.accept(entry, (None, entry.source))
        audit.record(actor, "competitions.entry.promoted", entry, before={"status": EntryStatus.WAITLISTED},
                     after={"status": entry.status})
        notify.entry_promoted(entry)
        return entry
    return None


# ---------------------------------------------------------------------------------------------
# Teams


@verb
def form_team(*, actor: User, rnd: Round, unit: Org, members: list[Person], name: str = "") -> Team:
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


# ---------------------------------------------------------------------------------------------
# Many at once (the bulk import)

# The columns of a new entry written as a plain row by `register_bulk` (the others are NULL).
NEW_ENTRY_COLUMNS = ["id", "round", "person", "unit", "city_path", "team", "status", "source", "notes",
                     "contestant_no", "station_no", "code", "aspect_marks", "prize", "advanced", "created_by",
                     "created_at", "updated_at", "accepted_on"]


def _remark_note(text: str) -> list[dict[str, Any]]:
    """A unit's remark (备注) kept with the entry's notes, in the notes' shape (shown as is)."""
    text = (text or "").strip()
    return [{"code": "remark", "template": "%(text)s", "params": {"text": text}}] if text else []


@verb
def register_bulk(*, actor: User, competition: Competition, items: Sequence[tuple[Registrant, Event, str]],
                  source: str = EntrySource.IMPORT, loaded: bool = False,
                  checked_by: Planner | None = None) -> dict[str, int]:
    """Register many people at once (the bulk import): `items` are (person, event, remark), decided in order
    exactly as `register` decides each, the earlier ones counting against quotas for the later ones. If any
    is refused nothing is written. The rows of a team event form their unit's team (its selected
    contestants; the organiser draws the rest). `loaded`: the people come read with their employer and membership
    (from a `Planner`, or `PersonRow`s). `checked_by`: the planner that already decided these items (the import's
    check); its decisions stand if the planner here, reading under the rounds' locks, finds everything they depend
    on as it was (`Planner.decisions_hold`), else every item is decided again. Returns the number of entries per
    status and of teams."""
    planner = Planner(competition, [p for p, _e, _n in items], lock=True, loaded=loaded)
    competition = planner.competition
    checked: set[int] = set()  # employers whose workers the actor may register
    for person, _event, _note in items:
        person = planner.person(person)
        if person.employer_id not in checked:
            _entry_source(actor, person)
            checked.add(person.employer_id)
    if checked_by is not None and checked_by.decisions_hold(planner, items):
        planned = list(checked_by.decided)
    else:
        planned = [planner.decide(p, e) for p, e, _n in items]
    problems = {i: " ".join(p.messages) for i, p in enumerate(planned) if p.refused}
    problems.update({i: m for i, m in planner.team_problems(planned).items() if i not in problems})
    if problems:
        shown = [f"{planned[i].person.name}（{planned[i].event.name}）：{problems[i]}" for i in sorted(problems)[:5]]
        raise DomainError(_("%(n)d of the registrations are refused, so none was made: %(list)s") % {
            "n": len(problems), "list": "；".join(shown)}, code="ineligible")
    creator = actor if getattr(actor, "pk", None) else None
    teams: dict[tuple[int, int], Team] = {}
    for p in planned:
        if p.event.is_team and p.rnd is not None and p.unit is not None and (p.rnd.pk, p.unit.pk) not in teams:
            teams[(p.rnd.pk, p.unit.pk)] = Team.objects.create(round=p.rnd, unit=p.unit, name=p.unit.display_name)
    # (Ids as attributes, not `.pk`, in the loops over every row: a file may hold 100,000.)
    reused_ids = [planner.rows[(p.rnd.id, p.person.id)] for p in planned
                  if p.rnd is not None and (p.rnd.id, p.person.id) in planner.rows]
    reused = Entry.objects.in_bulk(reused_ids) if reused_ids else {}
    updated: list[Entry] = []
    updated_refs: list[audit.Ref] = []  # their audit, as the new rows' (a person may be a `PersonRow`)
    # New entries go in as plain rows (a file may hold 100,000): ids reserved, audited through `audit.Ref`s.
    fresh = [(p, note) for (_person, _event, note), p in zip(items, planned, strict=True)
             if (p.rnd.id, p.person.id) not in planner.rows]  # type: ignore[union-attr]
    new_ids = iter(reserve_ids(Entry, len(fresh)))
    creator_id = creator.pk if creator else None
    audited: list[Any] = []
    now = timezone.now()
    today = figures.today()
    counted: list[tuple[int, Any, int]] = []  # the participants' differences (figures)
    round_labels: dict[int, str] = {}

    def new_rows() -> Iterator[tuple[Any, ...]]:
        for p, note in fresh:
            assert p.rnd is not None and p.unit is not None and p.decision is not None
            pk, rid = next(new_ids), p.rnd.id
            label = round_labels.get(rid) or round_labels.setdefault(rid, str(p.rnd))
            audited.append(audit.Ref(pk, f"{p.person.name} · {label}", p.unit))
            team = teams.get((rid, p.unit.id)) if p.event.is_team else None
            notes = (json.dumps(_notes(p.decision) + _remark_note(note), ensure_ascii=False)
                     if p.decision.reasons or (note and note.strip()) else "[]")
            accepted = today if p.status == EntryStatus.REGISTERED else None
            if accepted is not None and source != EntrySource.ADVANCED:
                counted.append((p.unit.id, today, 1))
            yield (pk, rid, p.person.id, p.unit.id, p.city_path, team.pk if team else None, p.status, source,
                   notes, "", "", "", "{}", "", False, creator_id, now, now, accepted)

    insert_rows(Entry, NEW_ENTRY_COLUMNS, new_rows())
    for (_person, _event, note), p in zip(items, planned, strict=True):
        assert p.rnd is not None and p.unit is not None and p.decision is not None
        pk = planner.rows.get((p.rnd.pk, p.person.pk))
        if pk is None:
            continue
        entry = reused[pk]
        if figures.counts_as_participant(entry):
            counted.append((entry.unit_id, entry.accepted_on, -1))
        entry.accepted_on = today if p.status == EntryStatus.REGISTERED else None
        for k, v in {"unit": p.unit, "city_path": p.city_path, "status": p.status, "source": source,
                     "notes": _notes(p.decision) + _remark_note(note),
                     "team": teams.get((p.rnd.pk, p.unit.pk)) if p.event.is_team else None,
                     "created_by": creator}.items():
            setattr(entry, k, v)
        entry.round, entry.person_id, entry.updated_at = p.rnd, p.person.pk, now
        updated.append(entry)
        if figures.counts_as_participant(entry):
            counted.append((entry.unit_id, entry.accepted_on, 1))
        label = round_labels.get(p.rnd.pk) or round_labels.setdefault(p.rnd.pk, str(p.rnd))
        updated_refs.append(audit.Ref(entry.pk, f"{p.person.name} · {label}", p.unit))
    if updated:
        Entry.objects.bulk_update(updated, [*ENTRY_FIELDS, "city_path", "created_by", "updated_at", "accepted_on"],
                                  batch_size=500)
    figures.participants(counted)
    audit.record_bulk(actor, "competitions.entry.registered", [*audited, *updated_refs], model=Entry,
                      note=_("Bulk registration for %(competition)s") % {"competition": competition.name})
    for team in teams.values():
        audit.record(actor, "competitions.team.formed", team, after={
            "members": [p.person.name for p in planned if p.event.is_team and p.rnd.pk == team.round_id  # type: ignore[union-attr]
                        and p.unit.pk == team.unit_id]})  # type: ignore[union-attr]
    summary = Counter(p.status for p in planned)
    return {"registered": summary[EntryStatus.REGISTERED], "pending": summary[EntryStatus.PENDING],
            "waitlisted": summary[EntryStatus.WAITLISTED], "teams": len(teams)}
