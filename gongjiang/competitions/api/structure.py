"""Endpoints of a competition's structure: competitions, stages, events, marking schemes and rounds."""

from enum import Enum
from types import SimpleNamespace
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query
from ninja.pagination import paginate
from ninja.responses import Status

from gongjiang.core.api import ERRORS, Pagination, no_nulls, one, plain
from gongjiang.core.errors import DomainError
from gongjiang.orgs.models import Org
from gongjiang.orgs.occupations import trade_by_code

from .. import queries, services
from ..models import Competition, Event, Scheme, Stage
from ..schemas.schemes import SchemeIn, SchemeOut
from ..schemas.structure import (
    CompetitionDetailOut,
    CompetitionFilter,
    CompetitionIn,
    CompetitionOut,
    CompetitionStateIn,
    CompetitionUpdateIn,
    EventIn,
    EventOut,
    EventUpdateIn,
    OpenRoundsIn,
    RoundDetailOut,
    RoundFilter,
    RoundOut,
    StageIn,
    StageOut,
)
from .common import TopicRouter, _actor, _round_detail, _rounds

router = TopicRouter(tags=["competitions"])


def _competitions(user: Any) -> QuerySet:
    return Competition.objects.for_user(user).select_related("organiser")


def _events(user: Any) -> QuerySet:
    return Event.objects.filter(competition__in=Competition.objects.for_user(user)).select_related(
        "competition__organiser", "trade", "scheme")


def _stages(user: Any) -> QuerySet:
    return Stage.objects.filter(competition__in=Competition.objects.for_user(user)).select_related(
        "competition__organiser")


# ---------------------------------------------------------------------------------------------
# Competitions and what they hold (stages, events, rounds)


def _competition_detail(user: Any, pk: int) -> Competition:
    competition = one(_competitions(user), pk)
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


@router.get("/competitions/{competition_id}", response={200: CompetitionDetailOut, **ERRORS},
            summary="One competition, with its stages and events")
def get_competition(request: HttpRequest, competition_id: int) -> Any:
    return _competition_detail(_actor(request), competition_id)


def _competition_data(payload: Any, *, partial: bool) -> dict[str, Any]:
    data = plain(payload.dict(exclude_unset=partial))
    if partial:
        no_nulls(data, nullable={"registration_opens", "registration_closes"})
    elif data.get("year") is None:
        data.pop("year", None)
    return data


@router.post("/competitions", response={201: CompetitionDetailOut, **ERRORS}, summary="Create a competition")
def create_competition(request: HttpRequest, payload: CompetitionIn) -> Any:
    """A new competition in preparation, organised by `organiser` (staff or administrator there)."""
    user = _actor(request)
    data = _competition_data(payload, partial=False)
    organiser = one(Org.objects.for_user(user), data.pop("organiser"), field="organiser")
    competition = services.create_competition(actor=user, organiser=organiser, **data)
    return Status(201, _competition_detail(user, competition.pk))


@router.patch("/competitions/{competition_id}", response={200: CompetitionDetailOut, **ERRORS},
              summary="Update a competition")
def update_competition(request: HttpRequest, competition_id: int, payload: CompetitionUpdateIn) -> Any:
    """Change the fields sent (the organiser; not once finished). The kind, organiser and state do not change
    here (the state moves through POST …/state)."""
    user = _actor(request)
    competition = one(_competitions(user), competition_id)
    services.update_competition(actor=user, competition=competition, **_competition_data(payload, partial=True))
    return _competition_detail(user, competition.pk)


@router.post("/competitions/{competition_id}/state", response={200: CompetitionDetailOut, **ERRORS},
             summary="Move a competition to its next state")
def change_competition_state(request: HttpRequest, competition_id: int, payload: CompetitionStateIn) -> Any:
    """筹备 → 报名中 → 报名截止 → 比赛中 → 成绩公示 → 已结束 (registration may reopen from 报名截止); any other
    move is refused naming both states. `next_states` of the competition lists the allowed ones."""
    user = _actor(request)
    competition = one(_competitions(user), competition_id)
    services.change_state(actor=user, competition=competition, state=payload.state.value, note=payload.note)
    return _competition_detail(user, competition.pk)


@router.post("/competitions/{competition_id}/stages", response={201: StageOut, **ERRORS},
             summary="Add a stage")
def add_stage(request: HttpRequest, competition_id: int, payload: StageIn) -> Any:
    """Append a stage (基层赛 → 市级选拔赛 → 省级决赛). The first takes its entries by registration; later ones
    from the previous stage by the advancement rule (top N or a percentage per round, per-city quotas)."""
    user = _actor(request)
    competition = one(_competitions(user), competition_id)
    advancement = payload.advancement.dict() if payload.advancement is not None else None
    stage = services.add_stage(actor=user, competition=competition, name=payload.name, level=payload.level.value,
                               direct_registration=payload.direct_registration, advancement=advancement)
    return Status(201, stage)


def _event_data(payload: Any, *, partial: bool) -> dict[str, Any]:
    data = plain(payload.dict(exclude_unset=partial))
    if partial:
        no_nulls(data, nullable={"trade", "min_age", "max_age", "age_reference_date", "min_grade", "max_grade",
                                  "unit_quota", "capacity", "prize_rule"})
    if "trade" in data:
        data["trade"] = trade_by_code(data["trade"])
    if data.get("prize_rule") is not None:
        rule = {k: v for k, v in data["prize_rule"].items() if v is not None}
        rule["bands"] = [{k: (v.value if isinstance(v, Enum) else v) for k, v in b.items() if v is not None}
                         for b in rule.get("bands", [])]
        for key in ("merit_from", "min_total"):
            if key in rule:
                rule[key] = str(rule[key])
        try:
            queries.prize_rule(SimpleNamespace(prize_rule=rule))
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
    competition = one(_competitions(user), competition_id)
    event = services.add_event(actor=user, competition=competition, **_event_data(payload, partial=False))
    return Status(201, one(_events(user), event.pk))


@router.get("/competitions/{competition_id}/rounds", response={200: list[RoundOut], **ERRORS},
            summary="The rounds of a competition")
@paginate(Pagination)
def list_rounds(request: HttpRequest, competition_id: int, filters: Query[RoundFilter]) -> Any:
    """Every round (one event, one stage, one organising org), by stage, event and organiser."""
    user = _actor(request)
    competition = one(_competitions(user), competition_id)
    qs = _rounds(user).filter(event__competition=competition)
    if filters.stage:
        qs = qs.filter(stage_id=filters.stage)
    if filters.event:
        qs = qs.filter(event_id=filters.event)
    if filters.state:
        qs = qs.filter(state=filters.state.value)
    return qs.order_by("stage__order", "event__order", "event_id", "organiser__path")


# ---------------------------------------------------------------------------------------------
# Events and their marking schemes


@router.get("/competitions/events/{event_id}", response={200: EventOut, **ERRORS}, summary="One event")
def get_event(request: HttpRequest, event_id: int) -> Any:
    return one(_events(_actor(request)), event_id)


@router.patch("/competitions/events/{event_id}", response={200: EventOut, **ERRORS}, summary="Update an event")
def update_event(request: HttpRequest, event_id: int, payload: EventUpdateIn) -> Any:
    """Change the fields sent (the organiser, until the competition is under way)."""
    user = _actor(request)
    event = one(_events(user), event_id)
    services.update_event(actor=user, event=event, **_event_data(payload, partial=True))
    return one(_events(user), event.pk)


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
    return _scheme_out(one(_events(_actor(request)), event_id))


@router.put("/competitions/events/{event_id}/scheme", response={200: SchemeOut, **ERRORS},
            summary="Replace the marking scheme of an event")
def set_scheme(request: HttpRequest, event_id: int, payload: SchemeIn) -> Any:
    """The whole scheme at once (the organiser, before marking starts). Refused whole, nothing changed, when an
    aspect is wrong (duplicate code, bad step or bands) or the marks do not add up to `expected_total`."""
    user = _actor(request)
    event = one(_events(user), event_id)
    aspects = []
    for a in payload.aspects:
        row = plain(a.dict())
        row["bands"] = [[str(b.upto), str(b.mark)] for b in a.bands]
        row["deductions"] = [[d.item, str(d.amount), d.description] for d in a.deductions]
        aspects.append(row)
    services.set_scheme(actor=user, event=event, aspects=aspects, expected_total=payload.expected_total,
                        judgement_method=payload.judgement_method, trim=payload.trim,
                        rounding_mode=payload.rounding_mode, rounding_places=payload.rounding_places,
                        rounding_level=payload.rounding_level, judges_per_entry=payload.judges_per_entry)
    return _scheme_out(event)


# ---------------------------------------------------------------------------------------------
# The rounds of a stage


def _each(qs: QuerySet, ids: list[int] | None, field: str) -> list[Any] | None:
    """The objects with these ids in `qs`, in the order sent without repeats (None stays None); one that is not
    there is a 404 naming `field`."""
    if ids is None:
        return None
    found = qs.in_bulk(ids)
    if len(found) != len(set(ids)):
        raise DomainError(_("Not found, or outside your scope."), field=field, code="not_found", status=404)
    return [found[pk] for pk in dict.fromkeys(ids)]


@router.post("/competitions/stages/{stage_id}/rounds", response={200: list[RoundOut], **ERRORS},
             summary="Open the rounds of a stage")
def open_rounds(request: HttpRequest, stage_id: int, payload: OpenRoundsIn) -> Any:
    """One round per event and organising org (by default the orgs of the stage's level under the competition's
    organiser: the cities for a city qualifier). Rounds that exist already are kept; all are returned."""
    user = _actor(request)
    stage = one(_stages(user), stage_id)
    organisers = _each(Org.objects.for_user(user), payload.organisers, "organisers")
    events = _each(Event.objects.filter(competition=stage.competition), payload.events, "events")
    opened = services.open_rounds(actor=user, stage=stage, organisers=organisers, events=events)
    return list(_rounds(user).filter(pk__in=[r.pk for r in opened]).order_by("event__order", "event_id",
                                                                               "organiser__path"))


@router.get("/competitions/rounds/{round_id}", response={200: RoundDetailOut, **ERRORS}, summary="One round")
def get_round(request: HttpRequest, round_id: int) -> Any:
    """With its entries by status (those you can see) and its mark sheets by state."""
    user = _actor(request)
    return _round_detail(user, one(_rounds(user), round_id))
