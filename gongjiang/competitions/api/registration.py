"""Endpoints of registration: a round's entries, a worker's own entries, eligibility, approval, withdrawal and
check-in (检录)."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Listing, Pagination, one
from gongjiang.core.errors import DomainError
from gongjiang.orgs.models import Person

from .. import queries, services
from ..models import Entry, Round
from ..schemas.registration import EligibilityOut, EntryFilter, EntryOut, EntryReasonIn, MyEntryOut, RegisterIn
from .common import DECRYPTED, PUBLISHED, TopicRouter, _actor, _entries, _rounds, fixed_paths

router = TopicRouter(tags=["registrations"])


def _show_entry_data(rnd: Round, user: Any) -> tuple[bool, bool]:
    """(show codes, show results) for the entries of `rnd` seen by `user`: both after decryption to the
    round's organisers; results to units once published."""
    organiser = rnd.can_change(user)
    decrypted = rnd.state in DECRYPTED
    return decrypted and organiser, decrypted and (organiser or rnd.state in PUBLISHED)


def _entry_listing(user: Any, rnd: Round, qs: QuerySet) -> Listing:
    show_code, show_results = _show_entry_data(rnd, user)

    def decorate(rows: list[Entry]) -> None:
        for e in rows:
            e.show_code, e.show_results = show_code, show_results

    return Listing(qs, decorate=decorate)


def _entry_out(user: Any, entry: Entry) -> Entry:
    entry = one(_entries(user).select_related("round__event__competition__organiser", "round__organiser"), entry.pk)
    entry.show_code, entry.show_results = _show_entry_data(entry.round, user)
    return entry


@fixed_paths.get("/competitions/my-entries", response={200: list[MyEntryOut], **ERRORS}, tags=["registrations"],
                 summary="My entries (worker)")
@paginate(Pagination)
def my_entries(request: HttpRequest) -> Any:
    """The worker's own entries, newest first, with their status and — once the results are published —
    their score, place, prize and certificate. The worker's own 加密号 is never shown."""
    qs = (Entry.objects.for_user(_actor(request), "self")
          .select_related("person", "unit", "round__event__competition", "round__stage", "round__organiser",
                          "certificate__document")
          .order_by("-created_at", "-id"))

    def decorate(rows: list[Entry]) -> None:
        for e in rows:
            e.show_results = e.round.state in PUBLISHED
            e.certificate_or_none = getattr(e, "certificate", None)  # selected with the entry: no query

    return Listing(qs, decorate=decorate)


@router.get("/competitions/rounds/{round_id}/entries", response={200: list[EntryOut], **ERRORS},
            summary="The entries of a round")
@paginate(Pagination)
def list_entries(request: HttpRequest, round_id: int, filters: Query[EntryFilter]) -> Any:
    """The round's organisers see every entry; a unit sees its own; a worker their own. In registration
    order. Codes, practical scores, totals and places appear once the round is decrypted (to a unit once the
    results are published)."""
    user = _actor(request)
    rnd = one(_rounds(user), round_id)
    qs = _entries(user).filter(round=rnd)
    if filters.status:
        qs = qs.filter(status=filters.status.value)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.name:
        qs = qs.filter(person__name__startswith=filters.name.strip())
    return _entry_listing(user, rnd, qs.order_by("created_at", "id"))


def _registrant(user: Any, person_id: int | None) -> Person:
    if person_id is None:
        if not getattr(user, "person_id", None):
            raise DomainError(_("Name the worker to register."), field="person")
        person_id = user.person_id
    return one(Person.objects.for_user(user).select_related("employer"), person_id, field="person")


@router.post("/competitions/rounds/{round_id}/entries", response={201: EntryOut, **ERRORS},
             summary="Register a worker in a round")
def register(request: HttpRequest, round_id: int, payload: RegisterIn) -> Any:
    """A worker registers themself (leave out `person`), or a unit's staff register one of their workers. The
    event's rules decide: registered, awaiting approval, on the waiting list — or refused with every reason
    (400 `ineligible`, `errors` by field; nothing is written)."""
    user = _actor(request)
    rnd = one(_rounds(user), round_id)
    person = _registrant(user, payload.person)
    entry = services.register(actor=user, person=person, rnd=rnd)
    return Status(201, _entry_out(user, entry))


@router.get("/competitions/rounds/{round_id}/eligibility", response={200: EligibilityOut, **ERRORS},
            summary="Preview a registration")
def eligibility(request: HttpRequest, round_id: int, person: int | None = None) -> Any:
    """What the event's rules would give for `person` (default: yourself) now — eligible, awaiting approval,
    waiting list, or refused with every reason — without writing anything. Whether registration is open, and
    whether the round covers the person's unit, is answered by the registration itself."""
    user = _actor(request)
    rnd = one(_rounds(user), round_id)
    who = _registrant(user, person)
    decision = queries.preview(person=who, rnd=rnd)
    return {"person": who, "status": decision.status,
            "reasons": [{"code": r.code, "field": r.field, "message": r.message} for r in decision.reasons]}


@router.get("/competitions/entries/{entry_id}", response={200: EntryOut, **ERRORS}, summary="One entry")
def get_entry(request: HttpRequest, entry_id: int) -> Any:
    user = _actor(request)
    return _entry_out(user, one(_entries(user), entry_id))


def _decide(request: HttpRequest, entry_id: int, decision: Callable[..., Entry], **details: Any) -> Entry:
    """A service's decision on one entry in the asker's scope, answered as the asker sees the entry afterwards."""
    user = _actor(request)
    return _entry_out(user, decision(actor=user, entry=one(_entries(user), entry_id), **details))


@router.post("/competitions/entries/{entry_id}/approve", response={200: EntryOut, **ERRORS},
             summary="Approve a registration (organiser)")
def approve_entry(request: HttpRequest, entry_id: int) -> Any:
    return _decide(request, entry_id, services.approve_entry)


@router.post("/competitions/entries/{entry_id}/refuse", response={200: EntryOut, **ERRORS},
             summary="Refuse a registration (organiser; give the reason)")
def refuse_entry(request: HttpRequest, entry_id: int, payload: EntryReasonIn) -> Any:
    """A registration awaiting approval or on the waiting list; a freed place goes to the first waiting."""
    return _decide(request, entry_id, services.refuse_entry, reason=payload.reason)


@router.post("/competitions/entries/{entry_id}/withdraw", response={200: EntryOut, **ERRORS},
             summary="Withdraw a registration")
def withdraw_entry(request: HttpRequest, entry_id: int, payload: EntryReasonIn) -> Any:
    """The worker, their unit or the organiser, before the contest; a freed place goes to the first waiting."""
    return _decide(request, entry_id, services.withdraw_entry, reason=payload.reason)


@router.post("/competitions/entries/{entry_id}/check-in", response={200: EntryOut, **ERRORS}, tags=["draws"],
             summary="Check a contestant in (检录)")
def check_in(request: HttpRequest, entry_id: int) -> Any:
    """At the venue, after the contestant-number draw: the contestant shows their ticket and ID."""
    return _decide(request, entry_id, services.check_in)
