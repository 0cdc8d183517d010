"""Verbs of a technical association's councils and activities: a new council term (which closes the current one)
with its chair, the seats of the current council, and the activities — technical exchanges, on-the-job drills and
the four technical services for enterprises (四技服务) — planned or recorded, held, and (a contract) closed with its
outcome. Members and the association itself are in `techassoc`."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import verb
from gongjiang.orgs.models import Org, User

from .. import techassoc_counters as figures
from ..choices import ActivityState, Post
from ..models import Activity, ActivityMember, Council, Seat, TechAssociation, TechMember
from ..rules import techassoc as rules
from .techassoc import _locked, _require_run, _within

TITLE_MAX = 120


def _active_member(association: TechAssociation, member: TechMember, field: str = "member") -> TechMember:
    """`member` re-read, if an active member of `association`; otherwise refused naming the field."""
    found = (TechMember.objects.select_related("person").filter(pk=member.pk, association=association,
                                                                left_on__isnull=True).first())
    if found is None:
        raise DomainError(_("%(name)s is not a member of %(association)s: only its members take part.") % {
            "name": member.person.name, "association": association.name}, field=field, code="not_member")
    return found


def _term_label(number: int) -> str:
    return _("term %(n)s") % {"n": number}


@verb
def start_council(*, actor: User, association: TechAssociation, number: int, starts_on: datetime.date,
                  ends_on: datetime.date, chair: TechMember) -> Council:
    """A new council term (第N届) with its chair (理事长, a member). Terms never overlap: the new one starts after the
    current one began, and closes it the day before (换届)."""
    association = _locked(association)
    _require_run(actor, association)
    councils = list(Council.objects.select_for_update().filter(association=association))
    found = rules.term_problem(number, starts_on, ends_on, [c.term() for c in councils])
    if found is not None:
        problem, term = found
        if problem == "order":
            raise DomainError(_("A term ends after it starts."), field="ends_on", code="order")
        if problem == "number":
            raise DomainError(_("Term number: the current council is the %(term)s; the next is %(next)s.") % {
                "term": _term_label(term.number) if term else "", "next": (term.number + 1) if term else 1},
                field="number", code="number")
        assert term is not None
        raise DomainError(_("The term %(start)s–%(end)s overlaps the %(term)s (%(s)s–%(e)s): a new term starts "
                            "after the current one began and after every earlier one ended.") % {
            "start": starts_on.isoformat(), "end": ends_on.isoformat(), "term": _term_label(term.number),
            "s": term.starts.isoformat(), "e": term.ends.isoformat()}, field="starts_on", code="overlap")
    chair = _active_member(association, chair, "chair")
    current = next((c for c in councils if c.current), None)
    if current is not None:
        closing = rules.closing_day(current.term(), starts_on)
        before = {"term_ends": current.ends_on}
        current.current = False
        if closing is not None:
            current.ends_on = closing
        current.save(update_fields=["current", "ends_on"])
        audit.record(actor, "innovation.techassoc.council_closed", association, before=before, after={
            "term": current.number, "term_ends": current.ends_on})
    council = Council.objects.create(association=association, number=number, starts_on=starts_on, ends_on=ends_on)
    Seat.objects.create(council=council, member=chair, post=Post.CHAIR)
    audit.record(actor, "innovation.techassoc.council_started", association, after={
        "term": number, "term_starts": starts_on, "term_ends": ends_on, "tech_member": chair.person.name,
        "post": Post.CHAIR})
    return council


def _locked_council(council: Council) -> Council:
    """The council re-read under a lock (whether it is still the current one is the caller's question)."""
    return Council.objects.select_for_update().select_related("association__org").get(pk=council.pk)


def _seats_message(problem: str) -> str:
    return {
        "post": _("Choose the post."),
        "twice": _("This member holds a seat on the council already."),
        "chairs": _("A council has exactly one chair."),
        "no_chair": _("A council has exactly one chair: name another chair first."),
    }[problem]


@verb
def set_seat(*, actor: User, council: Council, member: TechMember, post: str, former_post: str = "") -> Seat:
    """Give a member a seat on the current council, or change their post. A council has exactly one chair (理事长):
    naming another chair is refused unless the present one is given `former_post` (another post) at once."""
    council = _locked_council(council)
    association = council.association
    _require_run(actor, association)
    if not council.current:
        raise DomainError(_("The %(term)s has ended: only the current council's seats change.") % {
            "term": _term_label(council.number)}, field="council", code="closed")
    if post not in Post.values:
        raise DomainError(_seats_message("post"), field="post")
    member = _active_member(association, member)
    seats = list(Seat.objects.select_for_update().filter(council=council).select_related("member__person"))
    mine = next((s for s in seats if s.member_id == member.pk), None)
    if mine is not None and mine.post == post:
        raise DomainError(_("%(name)s is %(post)s already.") % {"name": member.person.name,
                                                                 "post": Post(post).label}, field="post")
    chair = next((s for s in seats if s.post == Post.CHAIR and s.member_id != member.pk), None)
    if post == Post.CHAIR and chair is not None:
        if not former_post:
            raise DomainError(_("%(name)s is the chair of this council: a council has exactly one chair. Give the "
                                "present chair another post to name a new one.") % {"name": chair.member.person.name},
                              field="post", code="second_chair")
        if former_post not in Post.values or former_post == Post.CHAIR:
            raise DomainError(_("Choose the present chair's new post."), field="former_post")
        chair.post = former_post
    planned = [(s.member_id, s.post) for s in seats if s.member_id != member.pk] + [(member.pk, post)]
    problem = rules.seats_problem(planned)
    if problem:
        raise DomainError(_seats_message(problem), field="post")
    if post == Post.CHAIR and chair is not None:
        chair.save(update_fields=["post"])  # before the new chair: one chair at any time (the partial index)
        audit.record(actor, "innovation.techassoc.seat_set", association, before={"post": Post.CHAIR}, after={
            "term": council.number, "tech_member": chair.member.person.name, "post": former_post})
    before = mine.post if mine is not None else ""
    if mine is None:
        mine = Seat.objects.create(council=council, member=member, post=post)
    else:
        mine.post = post
        mine.save(update_fields=["post"])
    audit.record(actor, "innovation.techassoc.seat_set", association, before={"post": before} if before else None,
                 after={"term": council.number, "tech_member": member.person.name, "post": post})
    return mine


@verb
def remove_seat(*, actor: User, seat: Seat) -> Seat:
    """Take a member off the current council (never its chair: name another chair first)."""
    seat = Seat.objects.select_related("council__association__org", "member__person").get(pk=seat.pk)
    council = _locked_council(seat.council)
    _require_run(actor, council.association)
    if not council.current:
        raise DomainError(_("The %(term)s has ended: only the current council's seats change.") % {
            "term": _term_label(council.number)}, field="council", code="closed")
    if seat.post == Post.CHAIR:
        raise DomainError(_seats_message("no_chair"), field="seat", code="chair")
    seat.delete()
    audit.record(actor, "innovation.techassoc.seat_removed", council.association, before={
        "term": council.number, "tech_member": seat.member.person.name, "post": seat.post})
    return seat


# ---------------------------------------------------------------------------------------------
# Activities


def _activity_errors(kind: str, client: str, value: Decimal | None, participants: int) -> dict[str, str]:
    messages = {
        ("kind", "unknown"): _("Choose the kind of activity."),
        ("client", "missing"): _("A four-technical-services contract names its client enterprise."),
        ("value", "missing"): _("A four-technical-services contract gives its value (0 if free of charge)."),
        ("value", "negative"): _("A contract value is 0 or more."),
        ("value", "fen"): _("A contract value is given to the fen."),
        ("value", "large"): _("This contract value is too large."),
        ("participants", "range"): _("Participants: a count from 0 to %(n)s.") % {"n": rules.PARTICIPANTS_MAX},
    }
    return {f: messages[(f, code)] for f, code in rules.activity_problems(kind, client, value, participants).items()}


@verb
def record_activity(*, actor: User, association: TechAssociation, kind: str, title: str, held_on: datetime.date,
                    unit: Org, place: str = "", participants: int = 0, members: Sequence[TechMember] = (),
                    client: str = "", value: Decimal | None = None) -> Activity:
    """An activity of the association, held in (or for) a unit of its union's subtree: planned when its day is still
    to come, else recorded as held (it counts in the figures at once). A four-technical-services contract (技术服务、
    咨询、开发、转让) names its client enterprise and its value in yuan."""
    association = _locked(association)
    _require_run(actor, association)
    title, place, client = title.strip(), place.strip(), client.strip()
    errors = _activity_errors(kind, client, value, participants)
    if not title:
        errors["title"] = _("Give the activity a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("A title has at most %(n)s characters.") % {"n": TITLE_MAX}
    if len(place) > TITLE_MAX:
        errors["place"] = _("A place has at most %(n)s characters.") % {"n": TITLE_MAX}
    if len(client) > TITLE_MAX:
        errors["client"] = _("A client's name has at most %(n)s characters.") % {"n": TITLE_MAX}
    if not _within(association.org, unit):
        errors["unit"] = _("%(unit)s lies outside %(org)s: an activity of %(association)s is held within its "
                           "union's units.") % {"unit": unit.name, "org": association.org.name,
                                                "association": association.name}
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    involved = [_active_member(association, m, "members") for m in dict.fromkeys(members)]
    four = rules.is_four_services(kind)
    state = ActivityState.PLANNED if held_on > timezone.localdate() else ActivityState.HELD
    activity = Activity.objects.create(
        association=association, kind=kind, title=title, held_on=held_on, year=held_on.year, place=place, unit=unit,
        participants=participants, client=client if four else "", value=value if four else None, state=state,
        created_by=actor)
    ActivityMember.objects.bulk_create([ActivityMember(activity=activity, member=m) for m in involved])
    audit.record(actor, "innovation.techassoc.activity_recorded", association, after={
        "activity_kind": kind, "activity_title": title, "activity_date": held_on, "activity_state": state,
        **({"client": client, "contract_value": value} if four else {})})
    if state == ActivityState.HELD:
        figures.add(association.org, activity.held_on, **figures.activity_deltas(activity))
        figures.count_activities(association, 1)
    return activity


def _locked_activity(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().select_related("association__org").get(pk=activity.pk)


@verb
def hold_activity(*, actor: User, activity: Activity, held_on: datetime.date, participants: int) -> Activity:
    """A planned activity took place: its day (not in the future) and how many took part. It counts in the figures
    on that day."""
    activity = _locked_activity(activity)
    _require_run(actor, activity.association)
    if rules.state_problem(activity.kind, activity.state, ActivityState.HELD) is not None:
        raise DomainError(_("This activity is %(state)s: only a planned one is recorded as held.") % {
            "state": ActivityState(activity.state).label}, field="state", code="wrong_state")
    if held_on > timezone.localdate():
        raise DomainError(_("Activity date: a day in the future cannot be recorded as held."), field="held_on",
                          code="future")
    if participants < 0 or participants > rules.PARTICIPANTS_MAX:
        raise DomainError(_("Participants: a count from 0 to %(n)s.") % {"n": rules.PARTICIPANTS_MAX},
                          field="participants")
    activity.state, activity.held_on, activity.year, activity.participants = (
        ActivityState.HELD, held_on, held_on.year, participants)
    activity.save(update_fields=["state", "held_on", "year", "participants"])
    audit.record(actor, "innovation.techassoc.activity_held", activity.association, before={
        "activity_state": ActivityState.PLANNED}, after={"activity_title": activity.title,
                                                          "activity_state": ActivityState.HELD,
                                                          "activity_date": held_on, "participants": participants})
    figures.add(activity.association.org, activity.held_on, **figures.activity_deltas(activity))
    figures.count_activities(activity.association, 1)
    return activity


@verb
def close_activity(*, actor: User, activity: Activity, outcome: str) -> Activity:
    """A four-technical-services contract is closed with its outcome (验收, what the client gained)."""
    activity = _locked_activity(activity)
    _require_run(actor, activity.association)
    problem = rules.state_problem(activity.kind, activity.state, ActivityState.CLOSED)
    if problem == "not_four":
        raise DomainError(_("Only a four-technical-services contract is closed with an outcome."), field="kind",
                          code="not_four")
    if problem is not None:
        raise DomainError(_("This activity is %(state)s: a contract is closed once it has been held.") % {
            "state": ActivityState(activity.state).label}, field="state", code="wrong_state")
    outcome = outcome.strip()
    if not outcome:
        raise DomainError(_("Give the contract's outcome."), field="outcome")
    activity.state, activity.outcome = ActivityState.CLOSED, outcome
    activity.save(update_fields=["state", "outcome"])
    audit.record(actor, "innovation.techassoc.activity_closed", activity.association, before={
        "activity_state": ActivityState.HELD}, after={"activity_title": activity.title,
                                                       "activity_state": ActivityState.CLOSED, "outcome": outcome})
    return activity

