"""API endpoints of skills competitions: structure, registration, draws, judging and results (mounted under
/api/v1 by gongjiang/api.py). Labour competitions have their own endpoints.

Thin like the views: parse (schemas), fetch through `for_user` (out of scope is a 404), call a service (which
checks the role: not allowed is a 403), answer. Judges reach their rounds and sheets through their own
assignments (`Sheet.objects.for_judge`), never through an org scope, and only ever by 加密号.

Anonymity (二次加密) is kept by the answers, not only by the pages: before a round is decrypted no answer
links a 加密号 to a person — entries carry no code and no practical score or total, the ranking carries codes
and practical scores only, and the 加密号 draw is sealed (its seed and result are withheld).
"""

from decimal import Decimal
from enum import Enum
from types import SimpleNamespace
from typing import Any, Literal

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.api import ERRORS, Listing, Pagination
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.orgs import api as orgs_api
from gongjiang.orgs.models import Org, Person

from .choices import EntryStatus, RoundState
from .models import (
    Appeal,
    Aspect,
    Certificate,
    Competition,
    Draw,
    Entry,
    Event,
    Mark,
    Promotion,
    Round,
    RoundJudge,
    Scheme,
    Sheet,
    Stage,
)
from .rules import draws as draw_rules
from .schemas import (
    AppealDecisionIn,
    AppealIn,
    AppealOut,
    CertificateOut,
    CompetitionDetailOut,
    CompetitionFilter,
    CompetitionIn,
    CompetitionOut,
    CompetitionStateIn,
    CompetitionUpdateIn,
    CountOut,
    DecryptIn,
    DrawIn,
    DrawOut,
    DrawSummaryOut,
    EligibilityOut,
    EntryFilter,
    EntryOut,
    EntryReasonIn,
    EventIn,
    EventOut,
    EventUpdateIn,
    FinaliseOut,
    JudgeRoundDetailOut,
    JudgeRoundOut,
    LockOut,
    MarkIn,
    MarkOut,
    MyEntryOut,
    OpenRoundsIn,
    PromotionDecisionIn,
    PromotionOut,
    PublishIn,
    RankingRowOut,
    RegisterIn,
    RerunOut,
    ReturnIn,
    RoundDetailOut,
    RoundFilter,
    RoundOut,
    SchemeIn,
    SchemeOut,
    SheetDetailOut,
    SheetFilter,
    SheetOut,
    StageIn,
    StageOut,
    TheoryIn,
)
from .services import draws, judging, registration, results, structure

router = Router(tags=["competitions"])

PUBLISHED = {RoundState.PUBLICITY, RoundState.FINAL}
DECRYPTED = {RoundState.DECRYPTED, *PUBLISHED}


def _actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


# The shared helpers of every router (404 in scope, enum values, refused nulls, occupations by code).
_one, _plain, _no_nulls, _trade = orgs_api._one, orgs_api._plain, orgs_api._no_nulls, orgs_api._trade


# ---------------------------------------------------------------------------------------------
# Scoped querysets (each read starts from a `for_user`)


def _competitions(user: Any) -> QuerySet:
    return Competition.objects.for_user(user).select_related("organiser")


def _events(user: Any) -> QuerySet:
    return Event.objects.filter(competition__in=Competition.objects.for_user(user)).select_related(
        "competition__organiser", "trade", "scheme")


def _stages(user: Any) -> QuerySet:
    return Stage.objects.filter(competition__in=Competition.objects.for_user(user)).select_related(
        "competition__organiser")


def _rounds(user: Any) -> QuerySet:
    return Round.objects.for_user(user).select_related("event__competition__organiser", "stage", "organiser")


def _entries(user: Any) -> QuerySet:
    return Entry.objects.for_user(user).select_related("person", "unit", "round")


def _draws(user: Any) -> QuerySet:
    return Draw.objects.filter(competition__in=Competition.objects.for_user(user)).select_related(
        "round", "drawn_by")


def _judged_rounds(user: Any) -> QuerySet:
    """Rounds where the user is a judge, chief judge or supervisor (a judge has no org scope)."""
    return Round.objects.filter(judges__judge__user=user).select_related(
        "event__competition__organiser", "stage", "organiser").distinct()


# ---------------------------------------------------------------------------------------------
# Competitions


def _competition_detail(user: Any, pk: int) -> Competition:
    competition = _one(_competitions(user), pk)
    competition.stages_list = list(competition.stages.order_by("order"))
    competition.events_list = list(competition.events.select_related("trade", "scheme").order_by("order", "id"))
    return competition


@router.get("/competitions", response={200: list[CompetitionOut], **ERRORS}, summary="Competitions")
@paginate(Pagination)
def list_competitions(request: HttpRequest, filters: Query[CompetitionFilter]) -> Any:
    """Competitions organised inside your scope, or above it (those your units may enter); a worker sees the
    competitions open to their unit. Newest first."""
    qs = _competitions(_actor(request))
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind.value)
    if filters.state:
        qs = qs.filter(state=filters.state.value)
    return qs.order_by("-year", "-id")


@router.get("/competitions/my-entries", response={200: list[MyEntryOut], **ERRORS}, tags=["registrations"],
            summary="My entries (worker)")
@paginate(Pagination)
def my_entries(request: HttpRequest) -> Any:
    """The worker's own entries, newest first, with their status and — once the results are published —
    their score, place, prize and certificate. The worker's own 加密号 is never shown."""
    qs = (Entry.objects.for_user(_actor(request), "self")
          .select_related("person", "unit", "round__event__competition", "round__stage", "round__organiser",
                          "certificate")
          .order_by("-created_at", "-id"))

    def decorate(rows: list[Entry]) -> None:
        for e in rows:
            e.show_results = e.round.state in PUBLISHED
            e.certificate_or_none = getattr(e, "certificate", None)  # selected with the entry: no query

    return Listing(qs, decorate=decorate)


@router.get("/competitions/certificates/{token}", response={200: CertificateOut, **ERRORS}, auth=None,
            tags=["results"], summary="Verify a certificate (public)")
def verify_certificate(request: HttpRequest, token: str) -> Any:
    """The page a certificate's QR code opens: anyone may check that a certificate is genuine (holder, prize,
    competition, event, stage; `valid` is false once revoked). No login; an unknown token is a 404."""
    cert = (Certificate.objects.select_related("entry__person", "entry__unit", "entry__round__stage",
                                               "entry__round__event__competition")
            .filter(token=token).first())
    if cert is None:
        raise Http404
    return cert


@router.get("/competitions/{competition_id}", response={200: CompetitionDetailOut, **ERRORS},
            summary="One competition, with its stages and events")
def get_competition(request: HttpRequest, competition_id: int) -> Any:
    return _competition_detail(_actor(request), competition_id)


def _competition_data(payload: Any, *, partial: bool) -> dict[str, Any]:
    data = _plain(payload.dict(exclude_unset=partial))
    if partial:
        _no_nulls(data, nullable={"registration_opens", "registration_closes"})
    elif data.get("year") is None:
        data.pop("year", None)
    return data


@router.post("/competitions", response={201: CompetitionDetailOut, **ERRORS}, summary="Create a competition")
def create_competition(request: HttpRequest, payload: CompetitionIn) -> Any:
    """A new competition in preparation, organised by `organiser` (staff or administrator there)."""
    user = _actor(request)
    data = _competition_data(payload, partial=False)
    organiser = _one(Org.objects.for_user(user), data.pop("organiser"), field="organiser")
    competition = structure.create_competition(actor=user, organiser=organiser, **data)
    return Status(201, _competition_detail(user, competition.pk))


@router.patch("/competitions/{competition_id}", response={200: CompetitionDetailOut, **ERRORS},
              summary="Update a competition")
def update_competition(request: HttpRequest, competition_id: int, payload: CompetitionUpdateIn) -> Any:
    """Change the fields sent (the organiser; not once finished). The kind, organiser and state do not change
    here (the state moves through POST …/state)."""
    user = _actor(request)
    competition = _one(_competitions(user), competition_id)
    structure.update_competition(actor=user, competition=competition, **_competition_data(payload, partial=True))
    return _competition_detail(user, competition.pk)


@router.post("/competitions/{competition_id}/state", response={200: CompetitionDetailOut, **ERRORS},
             summary="Move a competition to its next state")
def change_competition_state(request: HttpRequest, competition_id: int, payload: CompetitionStateIn) -> Any:
    """筹备 → 报名中 → 报名截止 → 比赛中 → 成绩公示 → 已结束 (registration may reopen from 报名截止); any other
    move is refused naming both states. `next_states` of the competition lists the allowed ones."""
    user = _actor(request)
    competition = _one(_competitions(user), competition_id)
    structure.change_state(actor=user, competition=competition, state=payload.state.value, note=payload.note)
    return _competition_detail(user, competition.pk)


@router.post("/competitions/{competition_id}/stages", response={201: StageOut, **ERRORS},
             summary="Add a stage")
def add_stage(request: HttpRequest, competition_id: int, payload: StageIn) -> Any:
    """Append a stage (基层赛 → 市级选拔赛 → 省级决赛). The first takes its entries by registration; later ones
    from the previous stage by the advancement rule (top N or a percentage per round, per-city quotas)."""
    user = _actor(request)
    competition = _one(_competitions(user), competition_id)
    advancement = payload.advancement.dict() if payload.advancement is not None else None
    stage = structure.add_stage(actor=user, competition=competition, name=payload.name, level=payload.level.value,
                                direct_registration=payload.direct_registration, advancement=advancement)
    return Status(201, stage)


def _event_data(payload: Any, *, partial: bool) -> dict[str, Any]:
    data = _plain(payload.dict(exclude_unset=partial))
    if partial:
        _no_nulls(data, nullable={"trade", "min_age", "max_age", "age_reference_date", "min_grade", "max_grade",
                                  "unit_quota", "capacity", "prize_rule"})
    if "trade" in data:
        data["trade"] = _trade(data["trade"])
    if data.get("prize_rule") is not None:
        rule = {k: v for k, v in data["prize_rule"].items() if v is not None}
        rule["bands"] = [{k: (v.value if isinstance(v, Enum) else v) for k, v in b.items() if v is not None}
                         for b in rule.get("bands", [])]
        for key in ("merit_from", "min_total"):
            if key in rule:
                rule[key] = str(rule[key])
        try:
            results.prize_rule(SimpleNamespace(prize_rule=rule))
        except DomainError as e:
            raise DomainError(e.message, field="prize_rule") from None
        data["prize_rule"] = rule
    elif "prize_rule" in data:
        data["prize_rule"] = {}
    return data


@router.post("/competitions/{competition_id}/events", response={201: EventOut, **ERRORS}, summary="Add an event")
def add_event(request: HttpRequest, competition_id: int, payload: EventIn) -> Any:
    """An event (赛项): a trade and group, individual or team, with its eligibility rules, theory:practical
    weights (adding up to 100), tie-breaks, prize bands and re-check policy."""
    user = _actor(request)
    competition = _one(_competitions(user), competition_id)
    event = structure.add_event(actor=user, competition=competition, **_event_data(payload, partial=False))
    return Status(201, _one(_events(user), event.pk))


@router.get("/competitions/{competition_id}/rounds", response={200: list[RoundOut], **ERRORS},
            summary="The rounds of a competition")
@paginate(Pagination)
def list_rounds(request: HttpRequest, competition_id: int, filters: Query[RoundFilter]) -> Any:
    """Every round (one event, one stage, one organising org), by stage, event and organiser."""
    user = _actor(request)
    competition = _one(_competitions(user), competition_id)
    qs = _rounds(user).filter(event__competition=competition)
    if filters.stage:
        qs = qs.filter(stage_id=filters.stage)
    if filters.event:
        qs = qs.filter(event_id=filters.event)
    if filters.state:
        qs = qs.filter(state=filters.state.value)
    return qs.order_by("stage__order", "event__order", "event_id", "organiser__path")


@router.get("/competitions/events/{event_id}", response={200: EventOut, **ERRORS}, summary="One event")
def get_event(request: HttpRequest, event_id: int) -> Any:
    return _one(_events(_actor(request)), event_id)


@router.patch("/competitions/events/{event_id}", response={200: EventOut, **ERRORS}, summary="Update an event")
def update_event(request: HttpRequest, event_id: int, payload: EventUpdateIn) -> Any:
    """Change the fields sent (the organiser, until the competition is under way)."""
    user = _actor(request)
    event = _one(_events(user), event_id)
    structure.update_event(actor=user, event=event, **_event_data(payload, partial=True))
    return _one(_events(user), event.pk)


def _scheme_out(event: Event) -> Scheme:
    scheme = Scheme.objects.filter(event=event).first()
    if scheme is None:
        raise DomainError(_("The event has no marking scheme yet."), code="not_found", status=404)
    scheme.aspects_list = list(scheme.aspects.all())
    return scheme


@router.get("/competitions/events/{event_id}/scheme", response={200: SchemeOut, **ERRORS},
            summary="The marking scheme of an event")
def get_scheme(request: HttpRequest, event_id: int) -> Any:
    """Sections → criteria → aspects (by their codes, in order), each with its kind, maximum mark, step and,
    for measurements, its tolerance bands or deduction items; the judgement method and the rounding."""
    return _scheme_out(_one(_events(_actor(request)), event_id))


@router.put("/competitions/events/{event_id}/scheme", response={200: SchemeOut, **ERRORS},
            summary="Replace the marking scheme of an event")
def set_scheme(request: HttpRequest, event_id: int, payload: SchemeIn) -> Any:
    """The whole scheme at once (the organiser, before marking starts). Refused whole, nothing changed, when an
    aspect is wrong (duplicate code, bad step or bands) or the marks do not add up to `expected_total`."""
    user = _actor(request)
    event = _one(_events(user), event_id)
    aspects = []
    for a in payload.aspects:
        row = _plain(a.dict())
        row["bands"] = [[str(b.upto), str(b.mark)] for b in a.bands]
        row["deductions"] = [[d.item, str(d.amount), d.description] for d in a.deductions]
        aspects.append(row)
    structure.set_scheme(actor=user, event=event, aspects=aspects, expected_total=payload.expected_total,
                         judgement_method=payload.judgement_method, trim=payload.trim,
                         rounding_mode=payload.rounding_mode, rounding_places=payload.rounding_places,
                         rounding_level=payload.rounding_level, judges_per_entry=payload.judges_per_entry)
    return _scheme_out(event)


@router.post("/competitions/stages/{stage_id}/rounds", response={200: list[RoundOut], **ERRORS},
             summary="Open the rounds of a stage")
def open_rounds(request: HttpRequest, stage_id: int, payload: OpenRoundsIn) -> Any:
    """One round per event and organising org (by default the orgs of the stage's level under the competition's
    organiser: the cities for a city qualifier). Rounds that exist already are kept; all are returned."""
    user = _actor(request)
    stage = _one(_stages(user), stage_id)
    organisers = None
    if payload.organisers is not None:
        found = Org.objects.for_user(user).in_bulk(payload.organisers)
        if len(found) != len(set(payload.organisers)):
            raise DomainError(_("Not found, or outside your scope."), field="organisers", code="not_found",
                              status=404)
        organisers = [found[pk] for pk in dict.fromkeys(payload.organisers)]
    events = None
    if payload.events is not None:
        found_events = Event.objects.filter(competition=stage.competition).in_bulk(payload.events)
        if len(found_events) != len(set(payload.events)):
            raise DomainError(_("Not found, or outside your scope."), field="events", code="not_found", status=404)
        events = [found_events[pk] for pk in dict.fromkeys(payload.events)]
    opened = structure.open_rounds(actor=user, stage=stage, organisers=organisers, events=events)
    return list(_rounds(user).filter(pk__in=[r.pk for r in opened]).order_by("event__order", "event_id",
                                                                               "organiser__path"))


def _round_detail(user: Any, rnd: Round) -> Round:
    counts = dict(Entry.objects.for_user(user).filter(round=rnd).order_by().values_list("status")
                  .annotate(n=Count("pk")))
    rnd.entry_counts = {s: counts.get(s, 0) for s in EntryStatus.values}
    rnd.sheet_counts = judging.sheet_progress(rnd)
    return rnd


@router.get("/competitions/rounds/{round_id}", response={200: RoundDetailOut, **ERRORS}, summary="One round")
def get_round(request: HttpRequest, round_id: int) -> Any:
    """With its entries by status (those you can see) and its mark sheets by state."""
    user = _actor(request)
    return _round_detail(user, _one(_rounds(user), round_id))


# ---------------------------------------------------------------------------------------------
# Registration


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
    entry = _one(_entries(user).select_related("round__event__competition__organiser", "round__organiser"), entry.pk)
    entry.show_code, entry.show_results = _show_entry_data(entry.round, user)
    return entry


@router.get("/competitions/rounds/{round_id}/entries", response={200: list[EntryOut], **ERRORS},
            tags=["registrations"], summary="The entries of a round")
@paginate(Pagination)
def list_entries(request: HttpRequest, round_id: int, filters: Query[EntryFilter]) -> Any:
    """The round's organisers see every entry; a unit sees its own; a worker their own. In registration
    order. Codes, practical scores, totals and places appear once the round is decrypted (to a unit once the
    results are published)."""
    user = _actor(request)
    rnd = _one(_rounds(user), round_id)
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
    return _one(Person.objects.for_user(user).select_related("employer"), person_id, field="person")


@router.post("/competitions/rounds/{round_id}/entries", response={201: EntryOut, **ERRORS},
             tags=["registrations"], summary="Register a worker in a round")
def register(request: HttpRequest, round_id: int, payload: RegisterIn) -> Any:
    """A worker registers themself (leave out `person`), or a unit's staff register one of their workers. The
    event's rules decide: registered, awaiting approval, on the waiting list — or refused with every reason
    (400 `ineligible`, `errors` by field; nothing is written)."""
    user = _actor(request)
    rnd = _one(_rounds(user), round_id)
    person = _registrant(user, payload.person)
    entry = registration.register(actor=user, person=person, rnd=rnd)
    return Status(201, _entry_out(user, entry))


@router.get("/competitions/rounds/{round_id}/eligibility", response={200: EligibilityOut, **ERRORS},
            tags=["registrations"], summary="Preview a registration")
def eligibility(request: HttpRequest, round_id: int, person: int | None = None) -> Any:
    """What the event's rules would give for `person` (default: yourself) now — eligible, awaiting approval,
    waiting list, or refused with every reason — without writing anything. Whether registration is open, and
    whether the round covers the person's unit, is answered by the registration itself."""
    user = _actor(request)
    rnd = _one(_rounds(user), round_id)
    who = _registrant(user, person)
    decision = registration.preview(person=who, rnd=rnd)
    return {"person": who, "status": decision.status,
            "reasons": [{"code": r.code, "field": r.field, "message": r.message} for r in decision.reasons]}


@router.get("/competitions/entries/{entry_id}", response={200: EntryOut, **ERRORS}, tags=["registrations"],
            summary="One entry")
def get_entry(request: HttpRequest, entry_id: int) -> Any:
    user = _actor(request)
    return _entry_out(user, _one(_entries(user), entry_id))


@router.post("/competitions/entries/{entry_id}/approve", response={200: EntryOut, **ERRORS},
             tags=["registrations"], summary="Approve a registration (organiser)")
def approve_entry(request: HttpRequest, entry_id: int) -> Any:
    user = _actor(request)
    entry = registration.approve_entry(actor=user, entry=_one(_entries(user), entry_id))
    return _entry_out(user, entry)


@router.post("/competitions/entries/{entry_id}/refuse", response={200: EntryOut, **ERRORS},
             tags=["registrations"], summary="Refuse a registration (organiser; give the reason)")
def refuse_entry(request: HttpRequest, entry_id: int, payload: EntryReasonIn) -> Any:
    """A registration awaiting approval or on the waiting list; a freed place goes to the first waiting."""
    user = _actor(request)
    entry = registration.refuse_entry(actor=user, entry=_one(_entries(user), entry_id), reason=payload.reason)
    return _entry_out(user, entry)


@router.post("/competitions/entries/{entry_id}/withdraw", response={200: EntryOut, **ERRORS},
             tags=["registrations"], summary="Withdraw a registration")
def withdraw_entry(request: HttpRequest, entry_id: int, payload: EntryReasonIn) -> Any:
    """The worker, their unit or the organiser, before the contest; a freed place goes to the first waiting."""
    user = _actor(request)
    entry = registration.withdraw_entry(actor=user, entry=_one(_entries(user), entry_id), reason=payload.reason)
    return _entry_out(user, entry)


@router.post("/competitions/entries/{entry_id}/check-in", response={200: EntryOut, **ERRORS}, tags=["draws"],
             summary="Check a contestant in (检录)")
def check_in(request: HttpRequest, entry_id: int) -> Any:
    """At the venue, after the contestant-number draw: the contestant shows their ticket and ID."""
    user = _actor(request)
    entry = draws.check_in(actor=user, entry=_one(_entries(user), entry_id))
    return _entry_out(user, entry)


# ---------------------------------------------------------------------------------------------
# Draws


DRAWS = {
    "contestant-numbers": draws.draw_contestant_numbers,
    "stations": draws.draw_stations,
    "codes": draws.draw_codes,
}


def _sealed(draw: Draw) -> Draw:
    """A 加密号 draw stays sealed until its round is decrypted."""
    draw.sealed = draw.kind == draw_rules.CODES and draw.round is not None and draw.round.decrypted_at is None
    return draw


@router.post("/competitions/rounds/{round_id}/draws/{what}", response={201: DrawOut, **ERRORS}, tags=["draws"],
             summary="Make a witnessed draw: contestant numbers, stations or codes")
def make_draw(request: HttpRequest, round_id: int, what: Literal["contestant-numbers", "stations", "codes"],
              payload: DrawIn) -> Any:
    """`contestant-numbers` closes registration and draws the 参赛号; after check-in, `stations` draws the 赛位号
    (absentees are marked), then `codes` draws the 加密号 from the station numbers only. The seed combines a
    fresh server secret with each witness's number; a second draw of the same thing is refused (400
    `already_drawn`)."""
    user = _actor(request)
    rnd = _one(_rounds(user), round_id)
    witnesses = [w.dict() for w in payload.witnesses]
    draw = DRAWS[what](actor=user, rnd=rnd, witnesses=witnesses)
    return Status(201, _sealed(_one(_draws(user), draw.pk)))


@router.get("/competitions/rounds/{round_id}/draws", response={200: list[DrawSummaryOut], **ERRORS},
            tags=["draws"], summary="The draws of a round")
@paginate(Pagination)
def list_draws(request: HttpRequest, round_id: int) -> Any:
    user = _actor(request)
    rnd = _one(_rounds(user), round_id)
    return _draws(user).filter(round=rnd).defer("inputs", "result", "seed_parts").order_by("drawn_at", "id")


@router.get("/competitions/draws/{draw_id}", response={200: DrawOut, **ERRORS}, tags=["draws"],
            summary="A draw's record")
def get_draw(request: HttpRequest, draw_id: int) -> Any:
    """Seed, witnesses, input list, algorithm and result: enough to re-run the draw anywhere. A 加密号 draw is
    sealed (seed and result null) until its round is decrypted."""
    return _sealed(_one(_draws(_actor(request)), draw_id))


@router.post("/competitions/draws/{draw_id}/rerun", response={200: RerunOut, **ERRORS}, tags=["draws"],
             summary="Re-run a draw from its record")
def rerun_draw(request: HttpRequest, draw_id: int) -> Any:
    """Recomputes the seed from its recorded parts and the result from the seed and the input list; writes
    nothing. A sealed draw is re-run too (only the answer is given)."""
    return {"consistent": draws.rerun(_one(_draws(_actor(request)), draw_id))}


# ---------------------------------------------------------------------------------------------
# Judging (judges see 加密号 only)


def _sheets(user: Any) -> QuerySet:
    marked = (Mark.objects.filter(sheet=OuterRef("pk"), value__isnull=False).order_by().values("sheet")
              .annotate(n=Count("pk")).values("n"))
    return (Sheet.objects.for_judge(user)
            .select_related("round__event", "round__stage", "entry", "judge__judge")
            .only("id", "round_id", "state", "signed_at", "locked_at", "entry__code", "round__event__name",
                  "round__stage__name", "round__state", "round__event_id", "judge__judge__name",
                  "judge__judge__user_id")
            .annotate(marked=Subquery(marked, output_field=IntegerField())))


@router.get("/judging/rounds", response={200: list[JudgeRoundOut], **ERRORS}, tags=["judging"],
            summary="The rounds I judge")
@paginate(Pagination)
def my_judge_rounds(request: HttpRequest) -> Any:
    return (RoundJudge.objects.filter(judge__user=_actor(request))
            .select_related("round__event__competition__organiser", "round__stage", "round__organiser")
            .order_by("-round_id"))


@router.get("/judging/rounds/{round_id}", response={200: JudgeRoundDetailOut, **ERRORS}, tags=["judging"],
            summary="A round I judge, with its sheets by state")
def my_judge_round(request: HttpRequest, round_id: int) -> Any:
    return _judge_round(_actor(request), round_id)


def _judge_round(user: Any, round_id: int) -> RoundJudge:
    assignment = (RoundJudge.objects.filter(judge__user=user, round_id=round_id)
                  .select_related("round__event__competition__organiser", "round__stage", "round__organiser")
                  .first())
    if assignment is None:
        raise Http404
    assignment.sheet_counts = judging.sheet_progress(assignment.round)
    return assignment


@router.get("/judging/sheets", response={200: list[SheetOut], **ERRORS}, tags=["judging"],
            summary="My mark sheets")
@paginate(Pagination)
def my_sheets(request: HttpRequest, filters: Query[SheetFilter]) -> Any:
    """Your sheets (a chief judge or supervisor: every sheet of their rounds; `mine=true` for your own only),
    by round and 加密号. Never a name."""
    user = _actor(request)
    qs = _sheets(user)
    if filters.round:
        qs = qs.filter(round_id=filters.round)
    if filters.state:
        qs = qs.filter(state=filters.state.value)
    if filters.mine:
        qs = qs.filter(judge__judge__user=user)
    return qs.order_by("round_id", "entry__code", "id")


def _sheet_detail(user: Any, sheet_id: int) -> Sheet:
    sheet = _one(_sheets(user), sheet_id)
    scheme = Scheme.objects.filter(event_id=sheet.round.event_id).first()
    if scheme is None:
        raise Http404
    marks = {m.aspect_id: m for m in Mark.objects.filter(sheet=sheet).select_related("aspect")}
    aspects = list(Aspect.objects.filter(scheme=scheme))
    for a in aspects:
        a.sheet_mark = marks.get(a.pk)
    sheet.scheme, sheet.aspects_list = scheme, aspects
    return sheet


@router.get("/judging/sheets/{sheet_id}", response={200: SheetDetailOut, **ERRORS}, tags=["judging"],
            summary="A mark sheet with its aspects and marks")
def get_sheet(request: HttpRequest, sheet_id: int) -> Any:
    return _sheet_detail(_actor(request), sheet_id)


@router.put("/judging/sheets/{sheet_id}/marks/{aspect_id}", response={200: MarkOut, **ERRORS}, tags=["judging"],
            summary="Save one mark")
def save_mark(request: HttpRequest, sheet_id: int, aspect_id: int, payload: MarkIn) -> Any:
    """Saved at once (nothing is lost if the page closes) and shown back. The input follows the aspect's kind:
    binary `{"achieved": true}`; tolerance `{"deviation": "0.03"}`; deduction `{"faults": {"S1": 2}}`;
    judgement or direct `{"mark": "7.5"}` (WorldSkills `{"score": 2}`). Refused (nothing saved): out of range
    or off the step, a sheet signed or locked, a sheet that is not yours."""
    user = _actor(request)
    data = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    for key in ("mark", "deviation"):
        if isinstance(data.get(key), Decimal):
            data[key] = str(data[key])
    try:  # the service finds the judge's own sheet itself: the hot path makes no other query
        mark = judging.save_mark(actor=user, sheet_id=sheet_id, aspect_id=aspect_id, data=data)
    except PermissionDeniedError:
        _one(Sheet.objects.for_judge(user), sheet_id)  # a sheet the user cannot even see is a 404
        raise
    return mark  # its aspect is loaded: no query for the response


@router.post("/judging/sheets/{sheet_id}/sign", response={200: SheetOut, **ERRORS}, tags=["judging"],
             summary="Sign my sheet")
def sign_sheet(request: HttpRequest, sheet_id: int) -> Any:
    """Once every aspect is marked; afterwards a mark changes only if the chief judge returns the sheet."""
    user = _actor(request)
    sheet = _one(Sheet.objects.for_judge(user), sheet_id)
    judging.sign_sheet(actor=user, sheet_id=sheet.pk)
    return _one(_sheets(user), sheet.pk)


@router.post("/judging/sheets/{sheet_id}/return", response={200: SheetOut, **ERRORS}, tags=["judging"],
             summary="Return a signed sheet to its judge (chief judge)")
def return_sheet(request: HttpRequest, sheet_id: int, payload: ReturnIn) -> Any:
    user = _actor(request)
    sheet = _one(Sheet.objects.for_judge(user), sheet_id)
    judging.return_sheet(actor=user, sheet_id=sheet.pk, reason=payload.reason)
    return _one(_sheets(user), sheet.pk)


@router.post("/judging/rounds/{round_id}/entries/{code}/lock", response={200: LockOut, **ERRORS},
             tags=["judging"], summary="Verify and lock an entry's sheets (chief judge)")
def lock_entry(request: HttpRequest, round_id: int, code: str) -> Any:
    """Every sheet of the 加密号 signed and the judges agreeing (measurements equal, WorldSkills scores within
    1); when the last entry is locked the round is locked and its practical scores computed."""
    user = _actor(request)
    rnd = _one(_judged_rounds(user), round_id)
    entry = Entry.objects.filter(round=rnd, code=code).exclude(code="").first()
    if entry is None:
        raise Http404
    locked = judging.lock_entry(actor=user, entry=entry)
    rnd.refresh_from_db(fields=["state"])
    return {"code": entry.code, "locked_sheets": len(locked), "round_state": rnd.state}


@router.post("/judging/rounds/{round_id}/decrypt", response={200: JudgeRoundDetailOut, **ERRORS},
             tags=["judging"], summary="Decrypt a round (chief judge, with the supervisor's password)")
def decrypt(request: HttpRequest, round_id: int, payload: DecryptIn) -> Any:
    """解密: links the 加密号 to names, only once every sheet is locked; the round's supervisor confirms with their
    own username and password. Audited; the round is ranked."""
    user = _actor(request)
    rnd = _one(_judged_rounds(user), round_id)
    judging.decrypt(actor=user, rnd=rnd, supervisor_username=payload.supervisor_username,
                    supervisor_password=payload.supervisor_password)
    return _judge_round(user, rnd.pk)


# ---------------------------------------------------------------------------------------------
# Results


@router.get("/competitions/rounds/{round_id}/ranking", response={200: list[RankingRowOut], **ERRORS},
            tags=["results"], summary="The ranking of a round")
@paginate(Pagination)
def ranking(request: HttpRequest, round_id: int) -> Any:
    """The round's organisers see it as soon as practical scores exist — by 加密号 and practical score only
    until decryption, then with names, units and every score. Everyone else who sees the round sees it once
    the results are on public notice (公示). Best first."""
    user = _actor(request)
    rnd = _one(_rounds(user), round_id)
    organiser = rnd.can_change(user)
    if not organiser and rnd.state not in PUBLISHED:
        raise PermissionDeniedError(_("The results of this round are not published yet."), code="not_published")
    show_names = rnd.state in DECRYPTED
    qs = Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).select_related("person", "unit")
    if show_names:
        qs = qs.order_by(F("place").asc(nulls_last=True), F("total").desc(nulls_last=True), "code", "id")
    else:
        qs = qs.exclude(practical__isnull=True).order_by("-practical", "code", "id")

    def decorate(rows: list[Entry]) -> None:
        for e in rows:
            e.show_names = show_names

    return Listing(qs, decorate=decorate)


@router.put("/competitions/rounds/{round_id}/theory", response={200: CountOut, **ERRORS}, tags=["results"],
            summary="Enter theory scores")
def set_theory(request: HttpRequest, round_id: int, payload: TheoryIn) -> Any:
    """Theory scores (0–100) by entry id; totals follow (and the ranking, once decrypted). Refused whole when
    one is wrong (`errors` keyed by entry id)."""
    user = _actor(request)
    rnd = _one(_rounds(user), round_id)
    scores = {s.entry: s.score for s in payload.scores}
    return {"updated": results.set_theory_scores(actor=user, rnd=rnd, scores=scores, note=payload.note)}


@router.post("/competitions/rounds/{round_id}/publish", response={200: RoundDetailOut, **ERRORS},
             tags=["results"], summary="Put the results on public notice (公示)")
def publish(request: HttpRequest, round_id: int, payload: PublishIn) -> Any:
    """After decryption (and every theory score); appeals are accepted until `publicity_until`."""
    user = _actor(request)
    rnd = _one(_rounds(user), round_id)
    results.publish_results(actor=user, rnd=rnd, publicity_until=payload.publicity_until)
    return _round_detail(user, _one(_rounds(user), rnd.pk))


@router.post("/competitions/entries/{entry_id}/appeals", response={201: AppealOut, **ERRORS}, tags=["results"],
             summary="File an appeal (申诉)")
def file_appeal(request: HttpRequest, entry_id: int, payload: AppealIn) -> Any:
    """The contestant or their unit, while the results are on public notice; one open appeal per entry."""
    user = _actor(request)
    appeal = results.file_appeal(actor=user, entry=_one(_entries(user), entry_id), reason=payload.reason)
    return Status(201, _one(_appeals(user), appeal.pk))


def _appeals(user: Any) -> QuerySet:
    return Appeal.objects.filter(entry__in=Entry.objects.for_user(user)).select_related(
        "entry__person", "entry__unit")


@router.get("/competitions/rounds/{round_id}/appeals", response={200: list[AppealOut], **ERRORS},
            tags=["results"], summary="The appeals of a round")
@paginate(Pagination)
def list_appeals(request: HttpRequest, round_id: int) -> Any:
    """The organisers see every appeal; a unit its own entries' appeals; a worker their own."""
    user = _actor(request)
    rnd = _one(_rounds(user), round_id)
    return _appeals(user).filter(entry__round=rnd).order_by("filed_at", "id")


@router.post("/competitions/appeals/{appeal_id}/decide", response={200: AppealOut, **ERRORS}, tags=["results"],
             summary="Decide an appeal (仲裁, organiser)")
def decide_appeal(request: HttpRequest, appeal_id: int, payload: AppealDecisionIn) -> Any:
    """Upheld or dismissed, with the written decision. An upheld appeal's marks are then changed by the
    organiser (re-mark), which recomputes the scores and the ranking."""
    user = _actor(request)
    appeal = _one(_appeals(user), appeal_id)
    results.decide_appeal(actor=user, appeal=appeal, upheld=payload.upheld, decision=payload.decision)
    return _one(_appeals(user), appeal.pk)


@router.post("/competitions/rounds/{round_id}/finalise", response={200: FinaliseOut, **ERRORS}, tags=["results"],
             summary="Make the results final")
def finalise(request: HttpRequest, round_id: int) -> Any:
    """After the public notice, with every appeal decided: certificates for the prize winners, promotions
    proposed (in a stage of the competition's level), and — once every round of the stage is final — the best
    advance into the next stage."""
    user = _actor(request)
    rnd = _one(_rounds(user), round_id)
    return results.finalise_round(actor=user, rnd=rnd)


def _promotions(user: Any) -> QuerySet:
    return Promotion.objects.filter(entry__in=Entry.objects.for_user(user)).select_related("entry__person")


@router.get("/competitions/rounds/{round_id}/promotions", response={200: list[PromotionOut], **ERRORS},
            tags=["results"], summary="Grade promotions proposed by a round")
@paginate(Pagination)
def list_promotions(request: HttpRequest, round_id: int) -> Any:
    user = _actor(request)
    rnd = _one(_rounds(user), round_id)
    return _promotions(user).filter(entry__round=rnd).order_by("entry__place", "id")


@router.post("/competitions/promotions/{promotion_id}/decide", response={200: PromotionOut, **ERRORS},
             tags=["results"], summary="Approve or reject a grade promotion (organiser)")
def decide_promotion(request: HttpRequest, promotion_id: int, payload: PromotionDecisionIn) -> Any:
    """Approved: the grade goes into the person's grade history."""
    user = _actor(request)
    promotion = _one(_promotions(user), promotion_id)
    results.decide_promotion(actor=user, promotion=promotion, approve=payload.approve)
    return _one(_promotions(user), promotion.pk)
