"""Witnessed draws and the two-stage anonymisation (二次加密): 参赛号 → drawn 赛位号 → drawn 加密号.

Every draw is recorded with its seed (a server secret combined with a number from each witness), the
witnesses, the input list, the algorithm and the result (rules.draws); anyone with access re-runs it from the
record; a second draw of the same thing is refused. The station draw takes contestant numbers, the code draw
takes station numbers: neither draw sees a name, so whoever draws the 加密号 cannot link it to a person."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import verb
from gongjiang.orgs.models import Person, User

from .. import figures, notify
from ..choices import TAKING_PART, EntrySource, EntryStatus, RoundState
from ..models import Competition, Draw, Entry, Round, Team
from ..queries.registration import city_path_of, team_candidates
from ..rules import draws
from .common import _require_round_organiser, _require_state


def _clean_witnesses(witnesses: Sequence[dict[str, str]] | Sequence[str]) -> list[dict[str, str]]:
    """At least two witnesses (监督 and another), each named; a witness may add a number to the seed."""
    cleaned = []
    for w in witnesses:
        item = {"name": w, "number": ""} if isinstance(w, str) else {"name": w.get("name", ""),
                                                                     "number": str(w.get("number", "") or "")}
        item = {k: v.strip() for k, v in item.items()}
        if item["name"]:
            cleaned.append(item)
    if len(cleaned) < 2:
        raise DomainError(_("A draw needs at least two witnesses (e.g. the supervisor and a contestants'"
                            " representative)."), field="witnesses")
    return cleaned


def _perform(*, actor: User, competition: Competition, rnd: Round | None, purpose: str, kind: str,
            items: Sequence[Any], witnesses: Sequence[Any], **params: int) -> Draw:
    """Run and record one draw (a step of the draw verbs, after their permission check). The seed combines a fresh
    server secret with each witness's number, so neither the organiser nor a witness decides the result alone."""
    witnesses = _clean_witnesses(witnesses)
    existing = Draw.objects.filter(competition=competition, round=rnd, purpose=purpose).first()
    if existing is not None:
        raise DomainError(_("This draw (%(purpose)s) was already made on %(when)s; a draw is never repeated —"
                            " re-run the record to check it.") % {
            "purpose": purpose, "when": timezone.localtime(existing.drawn_at).strftime("%Y-%m-%d %H:%M")},
            code="already_drawn")
    server = draws.new_seed()
    parts = [server, *[w["number"] for w in witnesses if w["number"]]]
    seed = draws.seed_from(*parts)
    record = draws.perform(kind, list(items), seed, purpose, **params).as_json()
    try:
        with transaction.atomic():
            draw = Draw.objects.create(
                competition=competition, round=rnd, purpose=purpose, kind=kind, params=record["params"],
                algorithm=record["algorithm"], seed=seed, seed_parts=parts, witnesses=witnesses,
                inputs=record["inputs"], input_digest=record["input_digest"], result=record["result"],
                drawn_by=actor if getattr(actor, "pk", None) else None)
    except IntegrityError:  # the same draw made at the same moment by someone else
        raise DomainError(_("This draw (%(purpose)s) was already made.") % {"purpose": purpose},
                          code="already_drawn") from None
    audit.record(actor, "competitions.draw.made", draw, after={
        "purpose": purpose, "kind": kind, "inputs": len(record["inputs"]), "seed": seed,
        "witnesses": [w["name"] for w in witnesses]})
    return draw


def _purpose(rnd: Round, what: str) -> str:
    return f"round {rnd.pk} / {what}"


def _result_map(draw: Draw) -> dict[Any, str]:
    return {item: label for item, label in draw.result}


# ---------------------------------------------------------------------------------------------
# Numbers, check-in, stations, codes


def _locked_round(rnd: Round, actor: User) -> Round:
    rnd = Round.objects.select_for_update(of=("self",)).select_related("event__competition__organiser", "organiser",
                                                           "stage").get(pk=rnd.pk)
    _require_round_organiser(rnd, actor)
    return rnd


@verb
def draw_contestant_numbers(*, actor: User, rnd: Round, witnesses: Sequence[Any]) -> Draw:
    """Close registration of the round and draw the 参赛号 of every registered entry (input: entry ids)."""
    rnd = _locked_round(rnd, actor)
    _require_state(rnd, RoundState.REGISTRATION)
    if Entry.objects.filter(round=rnd, status=EntryStatus.PENDING).exists():
        raise DomainError(_("Some registrations still await approval: approve or refuse them first."), code="state")
    ids = list(Entry.objects.filter(round=rnd, status__in=TAKING_PART).order_by("pk").values_list("pk", flat=True))
    if not ids:
        raise DomainError(_("Nobody is registered in this round."), code="empty")
    width = max(3, len(str(len(ids))))
    draw = _perform(actor=actor, competition=rnd.event.competition, rnd=rnd, purpose=_purpose(rnd, "contestant_no"),
                   kind=draws.NUMBERS, items=ids, witnesses=witnesses, start=1, width=width)
    numbers = _result_map(draw)
    entries = list(Entry.objects.filter(pk__in=ids))
    for e in entries:
        e.contestant_no = numbers[e.pk]
    Entry.objects.bulk_update(entries, ["contestant_no"], batch_size=2000)
    waiting = list(Entry.objects.filter(round=rnd, status=EntryStatus.WAITLISTED).only("pk", "person_id"))
    Entry.objects.filter(round=rnd, status=EntryStatus.WAITLISTED).update(status=EntryStatus.REFUSED)
    notify.numbers_drawn(rnd, entries, not_admitted=waiting)  # each worker's own 参赛号 and ticket
    rnd.state = RoundState.CHECKIN
    rnd.save(update_fields=["state"])
    audit.record(actor, "competitions.round.checkin_opened", rnd, after={"entries": len(ids)})
    return draw


@verb
def check_in(*, actor: User, entry: Entry) -> Entry:
    """检录: the contestant shows their ticket and ID at the venue."""
    entry = Entry.objects.select_for_update(of=("self",)).select_related("round__event__competition__organiser",
                                                             "round__organiser").get(pk=entry.pk)
    _require_round_organiser(entry.round, actor)
    _require_state(entry.round, RoundState.CHECKIN)
    if entry.status != EntryStatus.REGISTERED:
        raise DomainError(_("%(no)s cannot be checked in (%(status)s).") % {
            "no": entry.contestant_no, "status": entry.get_status_display()}, code="state")
    entry.status, entry.checked_in_at = EntryStatus.CHECKED_IN, timezone.now()
    entry.save(update_fields=["status", "checked_in_at", "updated_at"])
    audit.record(actor, "competitions.entry.checked_in", entry, after={"contestant_no": entry.contestant_no})
    return entry


@verb
def draw_stations(*, actor: User, rnd: Round, witnesses: Sequence[Any]) -> Draw:
    """First encryption: draw a 赛位号 for every checked-in contestant; the others are marked absent. The
    input list is the contestant numbers (no names)."""
    rnd = _locked_round(rnd, actor)
    _require_state(rnd, RoundState.CHECKIN)
    entries = list(Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).order_by("contestant_no"))
    if not entries:
        raise DomainError(_("Nobody has checked in yet."), code="empty")
    numbers = [e.contestant_no for e in entries]
    draw = _perform(actor=actor, competition=rnd.event.competition, rnd=rnd, purpose=_purpose(rnd, "station"),
                   kind=draws.NUMBERS, items=numbers, witnesses=witnesses, start=1,
                   width=max(2, len(str(len(numbers)))))
    stations = _result_map(draw)
    for e in entries:
        e.station_no = stations[e.contestant_no]
    Entry.objects.bulk_update(entries, ["station_no"], batch_size=2000)
    absent = Entry.objects.filter(round=rnd, status=EntryStatus.REGISTERED).update(status=EntryStatus.ABSENT)
    audit.record(actor, "competitions.round.stations_drawn", rnd, after={"stations": len(entries), "absent": absent})
    return draw


@verb
def draw_codes(*, actor: User, rnd: Round, witnesses: Sequence[Any], length: int = 6) -> Draw:
    """Second encryption: draw a 加密号 for every station (input: station numbers only). Judges will know the
    entries by these codes alone; marking opens."""
    rnd = _locked_round(rnd, actor)
    _require_state(rnd, RoundState.CHECKIN)
    entries = list(Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).exclude(station_no="")
                   .order_by("station_no"))
    if not entries:
        raise DomainError(_("Draw the stations first."), code="state")
    stations = [e.station_no for e in entries]
    draw = _perform(actor=actor, competition=rnd.event.competition, rnd=rnd, purpose=_purpose(rnd, "code"),
                   kind=draws.CODES, items=stations, witnesses=witnesses, length=length)
    codes = _result_map(draw)
    for e in entries:
        e.code = codes[e.station_no]
    Entry.objects.bulk_update(entries, ["code"], batch_size=2000)
    audit.record(actor, "competitions.round.codes_drawn", rnd, after={"codes": len(entries)})
    return draw


# ---------------------------------------------------------------------------------------------
# Team members drawn from the unit's roster


@verb
def draw_team_members(*, actor: User, team: Team, witnesses: Sequence[Any]) -> Draw:
    """The organiser draws the rest of a team from its unit's roster ("随机抽取参赛单位部分职工"): the input
    is every eligible worker of the unit not already entered, in id order; the drawn are registered."""
    team = Team.objects.select_related("round__event__competition__organiser", "round__organiser", "unit").get(
        pk=team.pk)
    rnd = _locked_round(team.round, actor)
    _require_state(rnd, RoundState.REGISTRATION)
    k = rnd.event.team_drawn
    if k <= 0:
        raise DomainError(_("No members of this event's teams are drawn."), code="state")
    candidates = team_candidates(team)
    if len(candidates) < k:
        raise DomainError(_("%(unit)s has only %(n)s eligible workers left to draw %(k)s from.") % {
            "unit": team.unit.name, "n": len(candidates), "k": k}, field="team")
    draw = _perform(actor=actor, competition=rnd.event.competition, rnd=rnd, purpose=_purpose(rnd, f"team {team.pk}"),
                   kind=draws.SAMPLE, items=candidates, witnesses=witnesses, k=k)
    people = Person.objects.select_related("employer").in_bulk(draw.result)
    for pid in draw.result:
        p = people[pid]
        entry = Entry.objects.create(round=rnd, person=p, unit=team.unit, team=team, status=EntryStatus.REGISTERED,
                                     source=EntrySource.DRAWN, city_path=city_path_of(p.employer),
                                     accepted_on=figures.today(),
                                     created_by=actor if getattr(actor, "pk", None) else None)
        figures.accept(entry)
    audit.record(actor, "competitions.team.members_drawn", team, after={"drawn": [people[p].name for p in draw.result]})
    return draw
