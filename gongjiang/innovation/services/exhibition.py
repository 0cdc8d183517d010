"""Verbs of the 6·18 exhibition and matchmaking (成果展洽会, 技术对接): the organiser (a province or city union) sets
up the exhibition and moves it from 筹备 to 征集, 已举办 and 已结束, checks the offers and needs the enterprises'
unions enter before the registration deadline, and confirms suggested matches; either union of a match asks for one
too, books a meeting in a free slot (the other side accepts or declines), and records the outcome one step at a time:
对接 → 签约 (with the contract value) → 落地, or closed without agreement with a reason. Signed matches count in the
figures of both unions' reach on the day it was signed (`facts.add_pair`); both unions hear of every step
(`notify.match_step`)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, Person, User

from .. import metrics, notify, suggestions
from ..choices import Category, EntryState, ExpoState, MatchOrigin, MatchState, MeetingState, TransferMode
from ..models import Achievement, Exhibition, Match, Meeting, Need, Offer, Project
from ..queries.exhibition import entry_item
from ..rules import exhibition as rules
from ..rules import matching

NAME_MAX = 120
TITLE_MAX = 120
TEXT_MIN = 10  # a summary or a problem of fewer characters tells a partner nothing
ORGANISER_KINDS = (OrgKind.PROVINCE, OrgKind.CITY)
LIVE = (MeetingState.REQUESTED, MeetingState.ACCEPTED)


def _label(choices: type, code: str) -> str:
    return str(choices(code).label) if code in choices.values else code  # type: ignore[attr-defined]


def _refuse_out_of(org: Org) -> PermissionDeniedError:
    return PermissionDeniedError(_("You do not have permission for %(org)s.") % {"org": org.name})


def _require_run(actor: User, exhibition: Exhibition) -> None:
    if not exhibition.can_run(actor):
        raise _refuse_out_of(exhibition.organiser)


def _money(value: Decimal | None, field: str, errors: dict[str, str]) -> None:
    if rules.price_problem(value):
        errors[field] = _("An amount of at least 0 yuan, to the fen (leave it empty for 面议).")


def _slot_label(at: datetime.datetime) -> str:
    return date_format(timezone.localtime(at), "Y-m-d H:i")


# ---------------------------------------------------------------------------------------------
# The exhibition


@verb
def create_exhibition(*, actor: User, organiser: Org, name: str, year: int, starts_on: datetime.date,
                      ends_on: datetime.date, venue: str, registration_deadline: datetime.date,
                      slot_minutes: int = 30, day_start: datetime.time = datetime.time(9, 0),
                      day_end: datetime.time = datetime.time(17, 0), tables: int = 10) -> Exhibition:
    """Set up an exhibition (筹备), organised by a province or city union of the actor's scope, with its dates, venue,
    registration deadline and meeting slots."""
    if not organiser.in_scope(actor, "change"):
        raise _refuse_out_of(organiser)
    errors: dict[str, str] = {}
    name, venue = name.strip(), venue.strip()
    if organiser.kind not in ORGANISER_KINDS:
        errors["organiser"] = _("An exhibition is organised by a province or city union, not by %(org)s.") % {
            "org": organiser.name}
    if not name or len(name) > NAME_MAX:
        errors["name"] = _("Name the exhibition (at most %(n)s characters).") % {"n": NAME_MAX}
    if not venue:
        errors["venue"] = _("Give the venue.")
    if starts_on.year != year:
        errors["starts_on"] = _("The exhibition starts in its year, %(year)s.") % {"year": year}
    messages = {
        "order": _("The end comes before the start."),
        "long": _("An exhibition lasts at most %(n)s days.") % {"n": rules.DAYS_MAX},
        "deadline": _("Registration closes on or before the first day of the exhibition."),
        "minutes": _("A meeting slot lasts %(minutes)s minutes.") % {
            "minutes": "、".join(str(m) for m in rules.SLOT_MINUTES)},
        "tables": _("Between 1 and %(n)s meeting tables.") % {"n": rules.TABLES_MAX},
    }
    for field, problem in rules.schedule_problems(starts_on, ends_on, registration_deadline, day_start, day_end,
                                                  slot_minutes, tables).items():
        errors.setdefault(field, messages[problem])
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    exhibition = Exhibition.objects.create(
        organiser=organiser, year=year, name=name, starts_on=starts_on, ends_on=ends_on, venue=venue,
        registration_deadline=registration_deadline, slot_minutes=slot_minutes, day_start=day_start,
        day_end=day_end, tables=tables, created_by=actor)
    audit.record(actor, "innovation.exhibition.created", exhibition, after={
        "exhibition": name, "starts_on": starts_on, "ends_on": ends_on, "venue": venue,
        "registration_deadline": registration_deadline, "tables": tables})
    return exhibition


@verb
def advance_exhibition(*, actor: User, exhibition: Exhibition, state: str) -> Exhibition:
    """The exhibition's next state: 筹备 → 征集 (offers and needs may be entered) → 已举办 → 已结束, one at a time."""
    exhibition = Exhibition.objects.select_for_update().select_related("organiser").get(pk=exhibition.pk)
    _require_run(actor, exhibition)
    current, nxt = exhibition.state, exhibition.next_state
    if nxt is None:
        raise DomainError(_("This exhibition is closed: it changes no more."), field="state", code="closed")
    if state != nxt:
        raise DomainError(_("This exhibition is %(state)s: its next state is %(next)s.") % {
            "state": _label(ExpoState, current), "next": _label(ExpoState, nxt)}, field="state", code="wrong_state")
    exhibition.state = state
    exhibition.save(update_fields=["state"])
    audit.record(actor, "innovation.exhibition.state_changed", exhibition, before={"exhibition_state": current},
                 after={"exhibition_state": state})
    return exhibition


# ---------------------------------------------------------------------------------------------
# Offers and needs


def _entry_checks(actor: User, exhibition: Exhibition, org: Org, title: str, text: str, text_field: str,
                  category: str, contact: Person, errors: dict[str, str], *, again: bool = False) -> None:
    """What an offer and a need must both satisfy (the actor's scope first: a PermissionDeniedError). `again`: a
    returned entry corrected and submitted again — it came in time, so the registration deadline does not apply,
    only that the exhibition is still open for entries."""
    if not org.in_scope(actor, "change"):
        raise _refuse_out_of(org)
    organiser = exhibition.organiser
    if not (org.path.startswith(organiser.path) or (org.industry_path or "").startswith(organiser.path)):
        errors["org"] = _("%(org)s is not within the reach of %(organiser)s.") % {
            "org": org.name, "organiser": organiser.name}
    elif org.kind != OrgKind.GRASSROOTS:
        errors["org"] = _("Offers and needs are entered by an enterprise's union (基层工会), not by %(org)s.") % {
            "org": org.name}
    if exhibition.state != ExpoState.OPEN:
        errors["exhibition"] = _("%(name)s is %(state)s: offers and needs are entered while it is open for "
                                 "entries.") % {"name": exhibition.name, "state": _label(ExpoState, exhibition.state)}
    elif not again and timezone.localdate() > exhibition.registration_deadline:
        errors["exhibition"] = _("Registration for %(name)s closed on %(day)s.") % {
            "name": exhibition.name, "day": exhibition.registration_deadline.isoformat()}
    if not title or len(title) > TITLE_MAX:
        errors["title"] = _("Give a title (at most %(n)s characters).") % {"n": TITLE_MAX}
    if len(text) < TEXT_MIN:
        errors[text_field] = _("Describe it in at least %(n)s characters.") % {"n": TEXT_MIN}
    if category not in Category.values:
        errors["category"] = _("Choose the category.")
    if not contact.employer.path.startswith(org.path):
        errors["contact"] = _("%(name)s does not work in %(enterprise)s.") % {
            "name": contact.name, "enterprise": org.name}


def _offer_problems(actor: User, exhibition: Exhibition, org: Org, title: str, summary: str, category: str,
                    mode: str, contact: Person, price: Decimal | None, authors: str, project: Project | None,
                    achievement: Achievement | None, *, again: bool = False) -> None:
    """An offer's checks (on entering it and on submitting it again): a DomainError naming every wrong field."""
    errors: dict[str, str] = {}
    _entry_checks(actor, exhibition, org, title, summary, "summary", category, contact, errors, again=again)
    if mode not in TransferMode.values:
        errors["mode"] = _("Choose how it is offered.")
    _money(price, "price", errors)
    if len(authors) > 200:
        errors["authors"] = _("At most %(n)s characters.") % {"n": 200}
    if project is not None and (project.enterprise_id != org.pk
                                or not Project.objects.for_user(actor, "view").filter(pk=project.pk).exists()):
        errors["project"] = _("The project %(number)s is not one of %(org)s.") % {
            "number": project.number, "org": org.name}
    if achievement is not None and (achievement.enterprise_id != org.pk or not Achievement.objects.for_user(
            actor, "view").filter(pk=achievement.pk).exists()):
        errors["achievement"] = _("The achievement %(title)s is not one of %(org)s.") % {
            "title": achievement.title, "org": org.name}
    _raise(errors, exhibition)


def _need_problems(actor: User, exhibition: Exhibition, org: Org, title: str, description: str, category: str,
                   contact: Person, budget: Decimal | None, solve_by: datetime.date | None, *,
                   again: bool = False) -> None:
    """A need's checks (on entering it and on submitting it again)."""
    errors: dict[str, str] = {}
    _entry_checks(actor, exhibition, org, title, description, "description", category, contact, errors, again=again)
    _money(budget, "budget", errors)
    if solve_by is not None and solve_by < timezone.localdate():
        errors["solve_by"] = _("A date from today on.")
    _raise(errors, exhibition)


def _raise(errors: dict[str, str], exhibition: Exhibition) -> None:
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors, code="deadline_passed" if (
            "exhibition" in errors and exhibition.state == ExpoState.OPEN) else "invalid")


@verb
def submit_offer(*, actor: User, exhibition: Exhibition, org: Org, title: str, summary: str, category: str,
                 mode: str, contact: Person, price: Decimal | None = None, authors: str = "",
                 project: Project | None = None, achievement: Achievement | None = None) -> Offer:
    """An enterprise's union offers an achievement for transfer at an exhibition open for entries, before its
    registration deadline; it waits for the organiser's check."""
    exhibition = Exhibition.objects.select_related("organiser").get(pk=exhibition.pk)
    title, summary, authors = title.strip(), summary.strip(), authors.strip()
    _offer_problems(actor, exhibition, org, title, summary, category, mode, contact, price, authors, project,
                    achievement)
    offer = Offer.objects.create(exhibition=exhibition, org=org, title=title, summary=summary, category=category,
                                 mode=mode, price=price, authors=authors, project=project,
                                 achievement=achievement, contact=contact, created_by=actor)
    audit.record(actor, "innovation.offer.submitted", offer, after={
        "exhibition": exhibition.name, "offer": title, "transfer_mode": mode, "price": price, "contact": contact.name,
        **({"project": project.number} if project else {}),
        **({"achievement": achievement.title} if achievement else {})})
    return offer


@verb
def submit_need(*, actor: User, exhibition: Exhibition, org: Org, title: str, description: str, category: str,
                contact: Person, budget: Decimal | None = None, solve_by: datetime.date | None = None) -> Need:
    """An enterprise's union enters a technical need at an exhibition open for entries, before its registration
    deadline; it waits for the organiser's check."""
    exhibition = Exhibition.objects.select_related("organiser").get(pk=exhibition.pk)
    title, description = title.strip(), description.strip()
    _need_problems(actor, exhibition, org, title, description, category, contact, budget, solve_by)
    need = Need.objects.create(exhibition=exhibition, org=org, title=title, description=description,
                               category=category, budget=budget, solve_by=solve_by, contact=contact, created_by=actor)
    audit.record(actor, "innovation.need.submitted", need, after={
        "exhibition": exhibition.name, "need": title, "budget": budget, "contact": contact.name})
    return need


# The audit keys of an entry's fields whose own names are no keys of the verbs' labels (verbs.py).
AUDIT_KEYS = {"mode": "transfer_mode"}


def _returned(actor: User, entry: Offer | Need) -> Offer | Need:
    """A returned entry re-read under a lock, for its own union (the enterprise's union or one above it with a
    change role) to correct: refused in any other check state."""
    entry = type(entry).objects.select_for_update(of=("self",)).select_related(
        "exhibition__organiser", "org", "contact").get(pk=entry.pk)
    if not entry.is_own(actor):
        raise _refuse_out_of(entry.org)
    if entry.state != EntryState.RETURNED:
        raise DomainError(_("Only an entry the organiser returned is corrected and submitted again: this one is "
                            "%(state)s.") % {"state": _label(EntryState, entry.state)}, field="state",
                          code="wrong_state")
    return entry


def _changes(entry: Offer | Need, values: dict[str, object]) -> tuple[dict[str, object], dict[str, object]]:
    """(before, after) of the audit record: the fields that change (a person or a record by its name)."""
    def shown(v: object) -> object:
        if isinstance(v, Person):
            return v.name
        if isinstance(v, Project):
            return v.number
        return v.title if isinstance(v, Achievement) else v

    before: dict[str, object] = {}
    after: dict[str, object] = {}
    for name, value in values.items():
        old = getattr(entry, name)
        if old != value:
            before[name], after[name] = shown(old), shown(value)
    return before, after


def _submit_again(actor: User, entry: Offer | Need, kind: str, values: dict[str, object]) -> None:
    reason = entry.return_reason
    before, after = _changes(entry, values)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.state, entry.return_reason, entry.checked_at = EntryState.SUBMITTED, "", None
    entry.save(update_fields=[*values, "state", "return_reason", "checked_at"])
    audit.record(actor, "innovation.offer.resubmitted" if kind == "offer" else "innovation.need.resubmitted", entry,
                 before={**{AUDIT_KEYS.get(k, k): v for k, v in before.items()}, "check": EntryState.RETURNED},
                 after={**{AUDIT_KEYS.get(k, k): v for k, v in after.items()}, "check": EntryState.SUBMITTED},
                 note=reason)
    notify.entry_resubmitted(entry, kind)


@verb
def resubmit_offer(*, actor: User, offer: Offer, title: str, summary: str, category: str, mode: str,
                   contact: Person, price: Decimal | None = None, authors: str = "", project: Project | None = None,
                   achievement: Achievement | None = None) -> Offer:
    """The union whose offer the organiser returned corrects it and submits it again (while the exhibition is open
    for entries, the deadline notwithstanding: it came in time); it waits for the check again and the organiser
    hears of it."""
    found = _returned(actor, offer)
    assert isinstance(found, Offer)
    title, summary, authors = title.strip(), summary.strip(), authors.strip()
    _offer_problems(actor, found.exhibition, found.org, title, summary, category, mode, contact, price, authors,
                    project, achievement, again=True)
    _submit_again(actor, found, "offer", {"title": title, "summary": summary, "category": category, "mode": mode,
                                          "price": price, "authors": authors, "project": project,
                                          "achievement": achievement, "contact": contact})
    return found


@verb
def resubmit_need(*, actor: User, need: Need, title: str, description: str, category: str, contact: Person,
                  budget: Decimal | None = None, solve_by: datetime.date | None = None) -> Need:
    """The union whose need the organiser returned corrects it and submits it again (as `resubmit_offer`)."""
    found = _returned(actor, need)
    assert isinstance(found, Need)
    title, description = title.strip(), description.strip()
    _need_problems(actor, found.exhibition, found.org, title, description, category, contact, budget, solve_by,
                   again=True)
    _submit_again(actor, found, "need", {"title": title, "description": description, "category": category,
                                         "budget": budget, "solve_by": solve_by, "contact": contact})
    return found


def _check(actor: User, entry: Offer | Need, accept: bool, reason: str, kind: str) -> Offer | Need:
    entry = type(entry).objects.select_for_update().select_related("exhibition__organiser", "org").get(pk=entry.pk)
    _require_run(actor, entry.exhibition)
    if entry.state != EntryState.SUBMITTED:
        raise DomainError(_("This entry was checked already: %(state)s.") % {
            "state": _label(EntryState, entry.state)}, field="state", code="wrong_state")
    reason = reason.strip()
    if not accept and not reason:
        raise DomainError(_("Give the reason for returning it: the union reads it."), field="reason")
    entry.state = EntryState.ACCEPTED if accept else EntryState.RETURNED
    entry.return_reason = "" if accept else reason
    entry.checked_at = timezone.now()
    entry.save(update_fields=["state", "return_reason", "checked_at"])
    audit.record(actor, f"innovation.{kind}.{'accepted' if accept else 'returned'}", entry,
                 before={"check": EntryState.SUBMITTED}, after={"check": entry.state}, note=reason)
    if accept:
        suggestions.refresh(entry.exhibition)  # the catalogue grew
    return entry


@verb
def check_offer(*, actor: User, offer: Offer, accept: bool, reason: str = "") -> Offer:
    """The organiser accepts an offer into the catalogue, or returns it with a reason."""
    found = _check(actor, offer, accept, reason, "offer")
    assert isinstance(found, Offer)
    return found


@verb
def check_need(*, actor: User, need: Need, accept: bool, reason: str = "") -> Need:
    """The organiser accepts a need into the catalogue, or returns it with a reason."""
    found = _check(actor, need, accept, reason, "need")
    assert isinstance(found, Need)
    return found


# ---------------------------------------------------------------------------------------------
# Matches


def _make(actor: User, offer: Offer, need: Need, origin: str, note: str) -> Match:
    offer = Offer.objects.select_related("exhibition__organiser", "org").get(pk=offer.pk)
    need = Need.objects.select_related("exhibition__organiser", "org").get(pk=need.pk)
    exhibition = offer.exhibition
    errors: dict[str, str] = {}
    if need.exhibition_id != exhibition.pk:
        errors["need"] = _("The need belongs to another exhibition.")
    if offer.state != EntryState.ACCEPTED:
        errors["offer"] = _("Only an offer in the catalogue can be matched: %(title)s is %(state)s.") % {
            "title": offer.title, "state": _label(EntryState, offer.state)}
    if need.state != EntryState.ACCEPTED:
        errors["need"] = _("Only a need in the catalogue can be matched: %(title)s is %(state)s.") % {
            "title": need.title, "state": _label(EntryState, need.state)}
    if offer.org_id == need.org_id:
        errors["need"] = _("An offer and a need of the same enterprise are not matched at an exhibition.")
    if exhibition.state not in (ExpoState.OPEN, ExpoState.HELD):
        errors["exhibition"] = _("%(name)s is %(state)s: matches are made while it is open or being held.") % {
            "name": exhibition.name, "state": _label(ExpoState, exhibition.state)}
    if Match.objects.filter(offer=offer, need=need).exists():
        errors["need"] = _("These two are matched already.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    match = Match.objects.create(exhibition=exhibition, offer=offer, need=need, origin=origin,
                                 score=matching.score(entry_item(offer), entry_item(need)).score, note=note.strip(),
                                 created_by=actor)
    audit.record(actor, "innovation.match.made", match, after={
        "offer": offer.title, "need": need.title, "origin": origin, "match_state": MatchState.MATCHED},
        note=note.strip())
    suggestions.refresh(exhibition)  # the pair is suggested no more
    notify.match_step(match, "matched")
    return match


@verb
def confirm_match(*, actor: User, offer: Offer, need: Need, note: str = "") -> Match:
    """The organiser confirms a suggested pair (or any pair of its catalogue) into a match."""
    _require_run(actor, Exhibition.objects.select_related("organiser").get(pk=offer.exhibition_id))
    return _make(actor, offer, need, MatchOrigin.SUGGESTED, note)


@verb
def request_match(*, actor: User, offer: Offer, need: Need, note: str = "") -> Match:
    """The union of one side asks for a match of its own offer (or need) with a need (or offer) of the catalogue."""
    if offer.org.in_scope(actor, "change"):
        origin = MatchOrigin.OFFER_SIDE
    elif need.org.in_scope(actor, "change"):
        origin = MatchOrigin.NEED_SIDE
    else:
        raise PermissionDeniedError(_("A match is asked for by the union of the offer or of the need."),
                                    field="offer")
    return _make(actor, offer, need, origin, note)


def _locked_match(match: Match) -> Match:
    return (Match.objects.select_for_update().select_related("exhibition__organiser", "offer__org", "need__org")
            .get(pk=match.pk))


def _require_side(actor: User, match: Match) -> str:
    side = match.side(actor)
    if not side:
        raise PermissionDeniedError(_("Only the two unions of this match may do this."), field="match")
    return side


@verb
def request_meeting(*, actor: User, match: Match, starts_at: datetime.datetime, table: int | None = None) -> Meeting:
    """One side asks for a meeting in a slot of the exhibition, at a free table (the first free one unless `table`
    is given). Refused when the slot is no slot of the exhibition, when every table (or the table asked for) is
    taken then, or when either union has another meeting at that time."""
    match = _locked_match(match)
    side = _require_side(actor, match)
    exhibition = Exhibition.objects.select_for_update().get(pk=match.exhibition_id)  # one booking at a time
    if match.state not in rules.OPEN_MATCH:
        raise DomainError(_("This match is %(state)s: meetings are for matches not yet signed or closed.") % {
            "state": _label(MatchState, match.state)}, field="match", code="wrong_state")
    if exhibition.state not in (ExpoState.OPEN, ExpoState.HELD):
        raise DomainError(_("%(name)s is %(state)s: meetings are booked while it is open or being held.") % {
            "name": exhibition.name, "state": _label(ExpoState, exhibition.state)}, field="exhibition")
    if starts_at not in exhibition.slots():
        raise DomainError(_("Choose one of the exhibition's meeting slots."), field="starts_at", code="no_slot")
    live = list(Meeting.objects.filter(exhibition=exhibition, starts_at=starts_at, state__in=LIVE)
                .select_related("match__offer__org", "match__need__org"))
    parties = {match.offer.org_id: match.offer.org, match.need.org_id: match.need.org}
    for m in live:
        busy = {m.match.offer.org_id, m.match.need.org_id} & set(parties)
        if busy:
            raise DomainError(_("%(org)s has another meeting at %(slot)s: choose another slot.") % {
                "org": parties[min(busy)].name, "slot": _slot_label(starts_at)}, field="starts_at", code="busy")
    taken = {m.table for m in live}
    if table is not None:
        if isinstance(table, bool) or not 1 <= table <= exhibition.tables:
            raise DomainError(_("Tables are numbered 1 to %(n)s.") % {"n": exhibition.tables}, field="table")
        if table in taken:
            raise DomainError(_("Table %(table)s is taken at %(slot)s: choose another table or slot.") % {
                "table": table, "slot": _slot_label(starts_at)}, field="table", code="slot_taken")
    else:
        table = rules.free_table(exhibition.tables, taken)
        if table is None:
            raise DomainError(_("Every table is taken at %(slot)s: choose another slot.") % {
                "slot": _slot_label(starts_at)}, field="starts_at", code="slot_taken")
    meeting = Meeting.objects.create(exhibition=exhibition, match=match, starts_at=starts_at, table=table,
                                     requested_by=side, created_by=actor)
    audit.record(actor, "innovation.match.meeting_requested", match,
                 after={"slot": _slot_label(starts_at), "table": table})
    notify.match_step(match, "meeting_requested", slot=_slot_label(starts_at), table=table,
                      by=(match.offer.org if side == "offer" else match.need.org).name)
    return meeting


def _answer(actor: User, meeting: Meeting) -> tuple[Meeting, Match]:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    match = _locked_match(meeting.match)
    side = _require_side(actor, match)
    if side == meeting.requested_by:
        raise DomainError(_("The other side answers a meeting request: %(org)s asked for it.") % {
            "org": (match.offer.org if side == "offer" else match.need.org).name}, field="meeting",
            code="own_request")
    if meeting.state != MeetingState.REQUESTED:
        raise DomainError(_("This meeting was answered already: %(state)s.") % {
            "state": _label(MeetingState, meeting.state)}, field="meeting", code="wrong_state")
    return meeting, match


@verb
def accept_meeting(*, actor: User, meeting: Meeting) -> Meeting:
    """The other side accepts a requested meeting (then both see each other's contact)."""
    meeting, match = _answer(actor, meeting)
    meeting.state, meeting.answered_at = MeetingState.ACCEPTED, timezone.now()
    meeting.save(update_fields=["state", "answered_at"])
    audit.record(actor, "innovation.match.meeting_accepted", match,
                 after={"slot": _slot_label(meeting.starts_at), "table": meeting.table})
    notify.match_step(match, "meeting_accepted", slot=_slot_label(meeting.starts_at), table=meeting.table)
    return meeting


@verb
def decline_meeting(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """The other side declines a requested meeting, with a reason; the slot is free again."""
    meeting, match = _answer(actor, meeting)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for declining."), field="reason")
    meeting.state, meeting.answered_at, meeting.decline_reason = MeetingState.DECLINED, timezone.now(), reason
    meeting.save(update_fields=["state", "answered_at", "decline_reason"])
    audit.record(actor, "innovation.match.meeting_declined", match,
                 after={"slot": _slot_label(meeting.starts_at)}, note=reason)
    notify.match_step(match, "meeting_declined", slot=_slot_label(meeting.starts_at), reason=reason)
    return meeting


@verb
def cancel_meeting(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """Either side cancels an accepted meeting that has not taken place, with a reason: its table is free again in
    that slot (anyone may book it) and the other side hears of it."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    match = _locked_match(meeting.match)
    side = _require_side(actor, match)
    Exhibition.objects.select_for_update().get(pk=match.exhibition_id)  # one booking (or freeing) at a time
    if meeting.state == MeetingState.CANCELLED:
        raise DomainError(_("This meeting was cancelled already."), field="meeting", code="wrong_state")
    if meeting.state != MeetingState.ACCEPTED:
        raise DomainError(_("Only an accepted meeting is cancelled: this one is %(state)s (a request is declined "
                            "instead).") % {"state": _label(MeetingState, meeting.state)}, field="meeting",
                          code="wrong_state")
    if meeting.starts_at <= timezone.now():
        raise DomainError(_("The meeting on %(slot)s has begun or is over: it is no longer cancelled.") % {
            "slot": _slot_label(meeting.starts_at)}, field="meeting", code="past")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for cancelling: the other side reads it."), field="reason")
    meeting.state, meeting.cancelled_by, meeting.cancel_reason = MeetingState.CANCELLED, side, reason
    meeting.cancelled_at = timezone.now()
    meeting.save(update_fields=["state", "cancelled_by", "cancel_reason", "cancelled_at"])
    by = match.offer.org if side == "offer" else match.need.org
    audit.record(actor, "innovation.match.meeting_cancelled", match,
                 after={"slot": _slot_label(meeting.starts_at), "table": meeting.table}, note=reason)
    notify.match_step(match, "meeting_cancelled", to=[match.need.org if side == "offer" else match.offer.org],
                      slot=_slot_label(meeting.starts_at), table=meeting.table, by=by.name, reason=reason)
    return meeting


# ---------------------------------------------------------------------------------------------
# A match's outcome


def _step(actor: User, match: Match, target: str, day: datetime.date | None, day_field: str) -> Match:
    """The match re-read under a lock, the actor one of its unions or the organiser, the step allowed from the
    current state (no step skipped) and its day neither in the future nor before the step before it."""
    match = _locked_match(match)
    if not match.can_follow(actor):
        raise PermissionDeniedError(_("Only the two unions of this match and the organiser may record its "
                                      "outcome."), field="match")
    current = match.state
    problem = rules.outcome_problem(current, target)
    if problem == "skipped":
        raise DomainError(_("This match is %(state)s: it must be %(missing)s first — no step can be skipped.") % {
            "state": _label(MatchState, current),
            "missing": "、".join(_label(MatchState, s) for s in rules.outcome_missing(current, target))},
            field="state", code="step_skipped")
    if problem == "closed":
        raise DomainError(_("This match was closed without agreement: it changes no more."), field="state",
                          code="closed")
    if problem == "final":
        raise DomainError(_("A signed match is no longer closed without agreement."), field="state",
                          code="wrong_state")
    if problem is not None:
        raise DomainError(_("This match is %(state)s already or past it.") % {"state": _label(MatchState, current)},
                          field="state", code="wrong_state")
    if day is not None:
        if day > timezone.localdate():
            raise DomainError(_("A date today or earlier, not in the future."), field=day_field)
        before = max((d for d in (match.met_on, match.signed_on) if d), default=None)
        if before is not None and day < before:
            raise DomainError(_("A date on or after the step before it (%(day)s).") % {"day": before.isoformat()},
                              field=day_field)
    return match


@verb
def record_met(*, actor: User, match: Match, met_on: datetime.date, note: str = "") -> Match:
    """对接: the two sides met (at the exhibition or after it)."""
    match = _step(actor, match, MatchState.MET, met_on, "met_on")
    match.state, match.met_on = MatchState.MET, met_on
    match.save(update_fields=["state", "met_on"])
    audit.record(actor, "innovation.match.met", match, before={"match_state": MatchState.MATCHED},
                 after={"match_state": MatchState.MET, "met_on": met_on}, note=note.strip())
    notify.match_step(match, "met")
    return match


@verb
def sign_match(*, actor: User, match: Match, contract_value: Decimal | None, signed_on: datetime.date,
               note: str = "") -> Match:
    """签约: a contract was signed, with its value (yuan, above zero) and date; counted in the year's figures of both
    unions' reach."""
    match = _step(actor, match, MatchState.SIGNED, signed_on, "signed_on")
    problem = rules.value_problem(contract_value)
    if problem == "missing":
        raise DomainError(_("Give the contract value (yuan): a signature is counted with its value."),
                          field="contract_value", code="missing")
    if problem is not None or contract_value is None:
        raise DomainError(_("A contract value is more than 0 yuan, to the fen."), field="contract_value",
                          code="range")
    match.state, match.signed_on, match.contract_value = MatchState.SIGNED, signed_on, contract_value
    match.save(update_fields=["state", "signed_on", "contract_value"])
    audit.record(actor, "innovation.match.signed", match, before={"match_state": MatchState.MET},
                 after={"match_state": MatchState.SIGNED, "contract_value": contract_value, "signed_on": signed_on},
                 note=note.strip())
    facts.add_pair(match.offer.org, match.need.org, signed_on,
                   {metrics.MATCHES_SIGNED: 1, metrics.SIGNED_VALUE: contract_value})
    notify.match_step(match, "signed", value=f"{contract_value:,.2f}", day=signed_on.isoformat())
    return match


@verb
def record_implemented(*, actor: User, match: Match, implemented_on: datetime.date, note: str) -> Match:
    """落地: the signed achievement is in use at the enterprise with the need, with a note of what was done."""
    match = _step(actor, match, MatchState.IMPLEMENTED, implemented_on, "implemented_on")
    note = note.strip()
    if not note:
        raise DomainError(_("Say what was implemented: it stays in the match's timeline."), field="note")
    match.state, match.implemented_on, match.implementation_note = MatchState.IMPLEMENTED, implemented_on, note
    match.save(update_fields=["state", "implemented_on", "implementation_note"])
    audit.record(actor, "innovation.match.implemented", match, before={"match_state": MatchState.SIGNED},
                 after={"match_state": MatchState.IMPLEMENTED, "implemented_on": implemented_on}, note=note)
    notify.match_step(match, "implemented", note=note)
    return match


@verb
def close_match(*, actor: User, match: Match, reason: str) -> Match:
    """未达成: the match is closed without agreement (before a signature), with the reason."""
    match = _step(actor, match, MatchState.CLOSED, None, "")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason: it stays in the match's timeline."), field="reason")
    before = match.state
    match.state, match.closed_on, match.close_reason = MatchState.CLOSED, timezone.localdate(), reason
    match.save(update_fields=["state", "closed_on", "close_reason"])
    Meeting.objects.filter(match=match, state=MeetingState.REQUESTED).update(
        state=MeetingState.DECLINED, decline_reason=reason, answered_at=timezone.now())
    audit.record(actor, "innovation.match.closed", match, before={"match_state": before},
                 after={"match_state": MatchState.CLOSED}, note=reason)
    notify.match_step(match, "closed", reason=reason)
    return match
