"""Democratic management: congress terms, delegates, sessions (with the quorum), motions, matters reviewed,
厂务公开 items, employee directors and supervisors."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.choices import Gender, OrgKind
from gongjiang.orgs.models import Org, Person, User

from .. import figures
from ..choices import (
    Channel,
    CongressForm,
    MatterKind,
    MotionState,
    OpennessTopic,
    Resolution,
    Seat,
    SessionKind,
)
from ..models import BoardSeat, Congress, Delegate, Matter, Motion, OpennessItem, Session
from ..rules import congress as rules
from .common import _employee_of as employee_of
from .common import _enterprises_below as enterprises_below
from .common import _not_future as not_future
from .common import _refuse as refuse
from .common import _refuse_all as refuse_all
from .common import _require_change as require_change
from .common import _require_enterprise as require_enterprise
from .common import _text as text

REGIONAL_KINDS = {OrgKind.TOWN, OrgKind.COUNTY, OrgKind.INDUSTRY}


@verb
def record_congress(*, actor: User, org: Org, form: str, established_on: datetime.date, term_years: int,
                    term: int | None = None, enterprises: Sequence[Org] = (), note: str = "") -> Congress:
    """Record a congress term: an enterprise's own (职代会 or 职工大会), or a regional or industry congress held by a
    town, county or industry union for the enterprises listed. The next term number unless given."""
    require_change(actor, org)
    errors: dict[str, str] = {}
    if form not in CongressForm.values:
        errors["form"] = _("Choose the form of the congress.")
    elif form in (CongressForm.REGIONAL, CongressForm.INDUSTRY):
        if org.kind not in REGIONAL_KINDS:
            errors["form"] = _("A regional or industry congress is held by a town, county or industry union.")
        elif not enterprises:
            errors["enterprises"] = _("List the enterprises the congress covers.")
    elif org.kind != OrgKind.GRASSROOTS:
        errors["form"] = _("A workers' congress or general assembly is held by an enterprise union; a town, county "
                           "or industry union holds a regional or industry congress.")
    if not rules.MIN_TERM_YEARS <= term_years <= rules.MAX_TERM_YEARS:
        errors["term_years"] = _("A congress is elected for three to five years.")
    refuse_all(errors)
    not_future(established_on, "established_on", _("The date of establishment"))
    covered = list(enterprises) if form in (CongressForm.REGIONAL, CongressForm.INDUSTRY) else [org]
    enterprises_below(org, covered)
    last = Congress.objects.filter(org=org).order_by("-term").first()
    if term is None:
        term = (last.term + 1) if last else 1
    if Congress.objects.filter(org=org, term=term).exists():
        refuse("term", _("Term %(n)d of this congress is already recorded.") % {"n": term})
    note = text(note, "note", _("The note"), 200, required=False)
    ends_on = rules.term_end(established_on, term_years)
    with figures.tracking(e.pk for e in covered):
        congress = Congress.objects.create(org=org, form=form, term=term, established_on=established_on,
                                           ends_on=ends_on, note=note, created_by=actor)
        congress.enterprises.set(covered)
    audit.record(actor, "rights.congress.recorded", congress, after={
        "form": form, "term": term, "established_on": established_on.isoformat(), "ends_on": ends_on.isoformat(),
        "enterprises": len(covered)})
    return congress


@verb
def elect_delegates(*, actor: User, congress: Congress, people: Sequence[Person],
                    elected_on: datetime.date) -> list[Delegate]:
    """Add delegates from the roster: each must work in an enterprise the congress covers; their front-line,
    woman and migrant flags are taken from the roster."""
    require_change(actor, congress.org)
    if not people:
        refuse("people", _("Choose the delegates."))
    not_future(elected_on, "elected_on", _("The election date"))
    covered = list(congress.enterprises.all())
    for p in people:
        if not employee_of(p, covered):
            refuse("people", _("%(name)s is not an employee of %(org)s.") % {
                "name": p.name, "org": "、".join(e.display_name for e in covered)})
    taken = set(congress.delegates.filter(person__in=people).values_list("person__name", flat=True))
    if taken:
        refuse("people", _("Already delegates of this congress: %(names)s.") % {"names": "、".join(sorted(taken))})
    made = Delegate.objects.bulk_create([
        Delegate(congress=congress, person=p, is_front_line=p.is_front_line, is_woman=p.gender == Gender.FEMALE,
                 is_migrant=p.is_migrant, elected_on=elected_on) for p in people])
    audit.record(actor, "rights.delegates.elected", congress, after={"delegates": [p.name for p in people]})
    return made


@verb
def remove_delegate(*, actor: User, delegate: Delegate, reason: str) -> None:
    """A delegate leaves (left the enterprise, recalled by the workers)."""
    congress = delegate.congress
    require_change(actor, congress.org)
    reason = text(reason, "reason", _("The reason"), 200)
    name = delegate.person.name
    delegate.delete()
    audit.record(actor, "rights.delegate.removed", congress, before={"delegates": [name]}, note=reason)


@verb
def hold_session(*, actor: User, congress: Congress, held_on: datetime.date, present: int,
                 kind: str = SessionKind.REGULAR, note: str = "") -> Session:
    """Record a session: valid only with two thirds of the delegates present, within the congress's term."""
    require_change(actor, congress.org)
    if kind not in SessionKind.values:
        refuse("kind", _("Choose the kind of session."))
    not_future(held_on, "held_on", _("The date of the session"))
    if not congress.in_term(held_on):
        refuse("held_on", _("The session must be held within the term, %(start)s to %(end)s.") % {
            "start": congress.established_on, "end": congress.ends_on})
    delegates = congress.delegates.count()
    if not delegates:
        refuse("present", _("Elect the delegates before recording a session."))
    if present > delegates:
        refuse("present", _("More delegates present (%(present)d) than the congress has (%(n)d).") % {
            "present": present, "n": delegates})
    if not rules.quorate(delegates, present):
        refuse("present", _("Only %(present)d of %(n)d delegates present: a session needs two thirds, at least "
                            "%(quorum)d.") % {"present": present, "n": delegates, "quorum": rules.quorum(delegates)})
    note = text(note, "note", _("The note"), 200, required=False)
    number = (congress.sessions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    session = Session.objects.create(congress=congress, number=number, kind=kind, held_on=held_on,
                                     delegates=delegates, present=present, note=note)
    facts.add(congress.org, held_on, {figures.SESSIONS: 1})
    audit.record(actor, "rights.session.held", session, after={
        "held_on": held_on.isoformat(), "present": present, "delegates": delegates})
    return session


@verb
def submit_motion(*, actor: User, session: Session, title: str, proposer: str) -> Motion:
    require_change(actor, session.congress.org)
    title = text(title, "title", _("The title"), 120)
    proposer = text(proposer, "proposer", _("The proposer"), 60)
    motion = Motion.objects.create(session=session, title=title, proposer=proposer)
    audit.record(actor, "rights.motion.submitted", motion, after={"title": title, "proposer": proposer})
    return motion


@verb
def handle_motion(*, actor: User, motion: Motion, state: str, handled_on: datetime.date, handler: str = "",
                  reply: str = "") -> Motion:
    """Accept it as a motion, handle it as an opinion, or record the answer of the department responsible."""
    motion = Motion.objects.select_for_update().select_related("session__congress__org").get(pk=motion.pk)
    require_change(actor, motion.session.congress.org)
    if state not in (MotionState.ACCEPTED, MotionState.CONVERTED, MotionState.HANDLED):
        refuse("state", _("Choose how the motion was handled."))
    if motion.state == MotionState.HANDLED:
        refuse("state", _("This motion has been answered already."))
    not_future(handled_on, "handled_on", _("The date handled"))
    if handled_on < motion.session.held_on:
        refuse("handled_on", _("A motion is handled after the session that received it."))
    handler = text(handler, "handler", _("The department responsible"), 60, required=state == MotionState.HANDLED)
    reply = text(reply, "reply", _("The reply"), 2000, required=state == MotionState.HANDLED)
    before = {"state": motion.state}
    motion.state, motion.handled_on, motion.handler, motion.reply = state, handled_on, handler, reply
    motion.save(update_fields=["state", "handled_on", "handler", "reply"])
    audit.record(actor, "rights.motion.handled", motion, before=before, after={"state": state, "reply": reply})
    return motion


@verb
def record_matter(*, actor: User, session: Session, kind: str, title: str, resolution: str, votes_for: int = 0,
                  votes_against: int = 0, abstentions: int = 0) -> Matter:
    """A matter the session reviewed, with its resolution: adopted needs more than half of the delegates for it."""
    require_change(actor, session.congress.org)
    errors: dict[str, str] = {}
    if kind not in MatterKind.values:
        errors["kind"] = _("Choose the kind of matter.")
    if resolution not in Resolution.values:
        errors["resolution"] = _("Choose the resolution.")
    if min(votes_for, votes_against, abstentions) < 0:
        errors["votes_for"] = _("Votes cannot be negative.")
    elif votes_for + votes_against + abstentions > session.present:
        errors["votes_for"] = _("More votes (%(votes)d) than delegates present (%(present)d).") % {
            "votes": votes_for + votes_against + abstentions, "present": session.present}
    elif resolution == Resolution.ADOPTED and votes_for * 2 <= session.delegates:
        errors["resolution"] = _("Adopted needs the votes of more than half of all %(n)d delegates.") % {
            "n": session.delegates}
    refuse_all(errors)
    title = text(title, "title", _("The title"), 120)
    matter = Matter.objects.create(session=session, kind=kind, title=title, resolution=resolution,
                                   votes_for=votes_for, votes_against=votes_against, abstentions=abstentions)
    audit.record(actor, "rights.matter.recorded", matter, after={
        "kind": kind, "title": title, "resolution": resolution, "votes": [votes_for, votes_against, abstentions]})
    return matter


@verb
def publish_openness(*, actor: User, enterprise: Org, topic: str, channel: str, title: str,
                     published_on: datetime.date) -> OpennessItem:
    """Record an item of enterprise affairs made public (厂务公开)."""
    require_change(actor, enterprise)
    require_enterprise(enterprise)
    errors: dict[str, str] = {}
    if topic not in OpennessTopic.values:
        errors["topic"] = _("Choose the topic.")
    if channel not in Channel.values:
        errors["channel"] = _("Choose the channel.")
    refuse_all(errors)
    title = text(title, "title", _("The title"), 120)
    not_future(published_on, "published_on", _("The date published"))
    with figures.tracking([enterprise.pk]):
        item = OpennessItem.objects.create(enterprise=enterprise, topic=topic, channel=channel, title=title,
                                           published_on=published_on)
    audit.record(actor, "rights.openness.published", item, after={
        "topic": topic, "channel": channel, "published_on": published_on.isoformat()})
    return item


@verb
def elect_board_seat(*, actor: User, enterprise: Org, person: Person, seat: str, elected_on: datetime.date,
                     until: datetime.date | None = None) -> BoardSeat:
    """An employee director or supervisor elected by the congress: an employee of the enterprise."""
    require_change(actor, enterprise)
    require_enterprise(enterprise)
    if seat not in Seat.values:
        refuse("seat", _("Choose director or supervisor."))
    if not employee_of(person, [enterprise]):
        refuse("person", _("%(name)s is not an employee of %(org)s.") % {"name": person.name,
                                                                        "org": enterprise.display_name})
    not_future(elected_on, "elected_on", _("The election date"))
    if until is not None and until <= elected_on:
        refuse("until", _("The end of the mandate must come after the election."))
    board = BoardSeat.objects.create(enterprise=enterprise, person=person, seat=seat, elected_on=elected_on,
                                     until=until)
    audit.record(actor, "rights.board_seat.elected", board, after={"seat": seat, "person": person.name})
    return board


@verb
def end_board_seat(*, actor: User, board_seat: BoardSeat, until: datetime.date) -> BoardSeat:
    require_change(actor, board_seat.enterprise)
    if until < board_seat.elected_on:
        refuse("until", _("The end of the mandate must come after the election."))
    before = {"until": board_seat.until.isoformat() if board_seat.until else None}
    board_seat.until = until
    board_seat.save(update_fields=["until"])
    audit.record(actor, "rights.board_seat.ended", board_seat, before=before, after={"until": until.isoformat()})
    return board_seat
