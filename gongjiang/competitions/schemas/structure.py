"""Schemas of a competition's structure: competitions, their stages and events, and the rounds of a stage."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from gongjiang.orgs.schemas import OrgRef, TradeOut

from ..choices import (
    COMPETITION_TRANSITIONS,
    CompetitionClass,
    CompetitionKind,
    CompetitionState,
    ContestGroup,
    Level,
    Prize,
    RoundState,
)
from .common import CompetitionRef, EventRef, StageRef, can_change, label, optional_copy, via

# ---------------------------------------------------------------------------------------------
# Competitions, stages, events


class CompetitionFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    kind: CompetitionKind | None = None
    state: CompetitionState | None = None


class CompetitionOut(Schema):
    id: int
    name: str
    year: int
    kind: str
    kind_label: str
    organiser: OrgRef
    co_organisers: str
    level: str
    level_label: str
    klass: int = Field(description="1: 一类, 2: 二类 (decides titles and grade promotions).")
    klass_label: str
    state: str
    state_label: str
    description: str
    registration_opens: datetime.date | None
    registration_closes: datetime.date | None
    exclusive: bool = Field(description="A worker may enter only one event of the competition.")
    fund_amount: Decimal = Field(description="Competition fund in yuan (labour competitions).")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    resolve_kind_label = label("kind")
    resolve_level_label = label("level")
    resolve_klass_label = label("klass")
    resolve_state_label = label("state")


class AdvancementOut(Schema):
    mode: str | None = None
    n: int | None = None
    percent: int | None = None
    ties: str | None = None
    city_quotas: dict[str, int] = {}


class StageOut(Schema):
    id: int
    order: int
    name: str
    level: str
    level_label: str
    direct_registration: bool
    advancement: AdvancementOut

    resolve_level_label = label("level")


class PrizeBandIO(Schema):
    prize: Prize
    percent: int | None = Field(None, ge=0, le=100, description="Share of the ranked entrants (or `count`).")
    count: int | None = Field(None, ge=0, description="A fixed number of entrants (or `percent`).")


class PrizeRuleIO(Schema):
    bands: list[PrizeBandIO] = Field(default_factory=list, description="Best first: first, second, third (merit).")
    merit_from: Decimal | None = Field(None, description="Every other entrant with at least this total gets 优胜奖.")
    min_total: Decimal | None = Field(None, description="Nobody below this total gets a prize.")


class EventOut(Schema):
    id: int
    competition_id: int
    name: str
    trade: TradeOut | None
    group: str
    group_label: str
    is_team: bool
    team_size: int
    team_drawn: int = Field(description="Members of each team drawn from the unit's roster by the organiser.")
    theory_weight: int
    practical_weight: int
    min_age: int | None
    max_age: int | None
    age_reference_date: datetime.date | None
    min_grade: int | None = Field(description="The lowest skill grade admitted (5 is the lowest grade, 1 the"
                                              " highest).")
    max_grade: int | None
    members_only: bool
    front_line_only: bool
    exclude_leaders: bool
    unit_quota: int | None
    capacity: int | None
    waitlist: bool
    requires_approval: bool
    tie_breaks: list[str]
    prize_rule: PrizeRuleIO | None
    recheck_top_percent: int
    recheck_sample_percent: int
    order: int
    has_scheme: bool

    resolve_group_label = label("group")

    @staticmethod
    def resolve_prize_rule(obj: Any) -> Any:
        return obj.prize_rule or None

    @staticmethod
    def resolve_has_scheme(obj: Any) -> bool:
        return hasattr(obj, "scheme")


class CompetitionDetailOut(CompetitionOut):
    stages: list[StageOut]
    events: list[EventOut]
    can_change: bool
    next_states: list[str] = Field(description="The states the competition may move to from its current one.")

    resolve_stages = via("stages_list")
    resolve_events = via("events_list")
    resolve_can_change = can_change

    @staticmethod
    def resolve_next_states(obj: Any) -> list[str]:
        return sorted(str(s) for s in COMPETITION_TRANSITIONS.get(obj.state, set()))


class CompetitionIn(Schema):
    name: str = Field(max_length=120)
    year: int | None = Field(None, description="Defaults to this year.")
    kind: CompetitionKind = CompetitionKind.SKILLS
    organiser: int = Field(description="Id of the organising org (its scope runs the competition).")
    co_organisers: str = Field("", max_length=300)
    level: Level = Level.PROVINCE
    klass: CompetitionClass = CompetitionClass.CLASS2
    description: str = Field("", max_length=5000)
    registration_opens: datetime.date | None = None
    registration_closes: datetime.date | None = None
    exclusive: bool = True
    fund_amount: Decimal = Field(Decimal("0"), max_digits=14, decimal_places=2)


# The kind and the organiser of a competition do not change.
CompetitionUpdateIn = optional_copy(CompetitionIn, "CompetitionUpdateIn", exclude={"kind", "organiser"})


class CompetitionStateIn(Schema):
    state: CompetitionState
    note: str = Field("", max_length=200)


class AdvancementIn(Schema):
    mode: str = Field(description="top_n: the best `n` of each round; percent: the best `percent` %.")
    n: int | None = None
    percent: int | None = None
    ties: str = Field("include", description="include: entrants tied at the cut all advance; strict: they do not.")
    city_quotas: dict[str, int] = Field(default_factory=dict, description="{org id: places} for a final.")


class StageIn(Schema):
    name: str = Field(max_length=60)
    level: Level
    direct_registration: bool = False
    advancement: AdvancementIn | None = None


class EventIn(Schema):
    """Fields of an event as sent on create; on update every field is optional."""

    name: str = Field(max_length=80)
    trade: str | None = Field(None, description="Occupation code of the national classification, e.g. 6-18-01-01.")
    group: ContestGroup = ContestGroup.WORKERS
    is_team: bool = False
    team_size: int = Field(1, ge=1, le=100)
    team_drawn: int = Field(0, ge=0, le=100)
    theory_weight: int = Field(30, ge=0, le=100)
    practical_weight: int = Field(70, ge=0, le=100)
    min_age: int | None = Field(None, ge=0, le=100)
    max_age: int | None = Field(None, ge=0, le=100)
    age_reference_date: datetime.date | None = None
    min_grade: int | None = Field(None, ge=0, le=5)
    max_grade: int | None = Field(None, ge=0, le=5)
    members_only: bool = True
    front_line_only: bool = False
    exclude_leaders: bool = True
    unit_quota: int | None = Field(None, ge=1)
    capacity: int | None = Field(None, ge=1)
    waitlist: bool = True
    requires_approval: bool = False
    tie_breaks: list[str] = Field(default_factory=lambda: ["practical", "time_used"],
                                  description="practical, theory, time_used (prefix - to reverse).")
    prize_rule: PrizeRuleIO | None = None
    recheck_top_percent: int = Field(30, ge=0, le=100)
    recheck_sample_percent: int = Field(15, ge=0, le=100)
    order: int = Field(0, ge=0, le=30000)


EventUpdateIn = optional_copy(EventIn, "EventUpdateIn")


# ---------------------------------------------------------------------------------------------
# Rounds


class RoundOut(Schema):
    id: int
    competition_id: int
    event: EventRef
    stage: StageRef
    organiser: OrgRef
    state: str
    state_label: str
    venue: str
    starts_on: datetime.date | None
    publicity_until: datetime.date | None
    decrypted: bool

    resolve_competition_id = via("event.competition_id")
    resolve_state_label = label("state")

    @staticmethod
    def resolve_decrypted(obj: Any) -> bool:
        return obj.decrypted_at is not None


class RoundDetailOut(RoundOut):
    competition: CompetitionRef
    can_change: bool
    entry_counts: dict[str, int] = Field(description="Entries you can see, by status.")
    sheet_counts: dict[str, int] = Field(description="Mark sheets by state (open, signed, locked).")

    resolve_competition = via("event.competition")
    resolve_can_change = can_change


class RoundFilter(Schema):
    stage: int | None = None
    event: int | None = None
    state: RoundState | None = None


class OpenRoundsIn(Schema):
    organisers: list[int] | None = Field(None, description="Ids of the orgs running the stage's rounds; default:"
                                                            " the orgs of the stage's level under the organiser.")
    events: list[int] | None = Field(None, description="Ids of the events; default: every event.")
