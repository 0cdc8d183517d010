"""Request and response schemas of the competitions API (competitions, registration, draws, judging, results).

Vocabularies travel as codes with a `*_label` in the request's language; marks and scores are decimals with
two places, sent as strings ("87.50") so no precision is lost; dates are ISO 8601.

Anonymity is part of the schemas: a judge's sheet carries the anonymous code (加密号) and never a name or an
entry id; an entry carries its code and its scores only once the round is decrypted (the endpoint decides
and sets `show_code` / `show_results` on the object; both default to hidden).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext
from ninja import Field, Schema

from gongjiang.orgs.choices import SkillGrade
from gongjiang.orgs.schemas import OrgRef, PersonRef, TradeOut, UserRef

from .choices import (
    COMPETITION_TRANSITIONS,
    AspectKind,
    CompetitionClass,
    CompetitionKind,
    CompetitionState,
    ContestGroup,
    EntryStatus,
    Level,
    Prize,
    RoundState,
    SheetState,
)
from .models import hundredths


def _user(context: Any) -> Any:
    """The authenticated user of the request being answered (ninja puts the request in the context)."""
    request = (context or {}).get("request")
    return getattr(request, "auth", None) or getattr(request, "user", None)


def _label(obj: Any, field: str) -> str:
    return str(getattr(obj, f"get_{field}_display")()) if getattr(obj, field) else ""


def _grade_label(grade: int | None) -> str:
    return str(SkillGrade(grade).label) if grade in SkillGrade.values else ""


# ---------------------------------------------------------------------------------------------
# Competitions, stages, events


class CompetitionRef(Schema):
    id: int
    name: str
    year: int


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

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return _label(obj, "kind")

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return _label(obj, "level")

    @staticmethod
    def resolve_klass_label(obj: Any) -> str:
        return _label(obj, "klass")

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return _label(obj, "state")


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

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return _label(obj, "level")


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

    @staticmethod
    def resolve_group_label(obj: Any) -> str:
        return _label(obj, "group")

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

    @staticmethod
    def resolve_stages(obj: Any) -> list[Any]:
        return obj.stages_list

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return obj.events_list

    @staticmethod
    def resolve_can_change(obj: Any, context: Any) -> bool:
        return bool(obj.can_change(_user(context)))

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


class CompetitionUpdateIn(Schema):
    name: str | None = Field(None, max_length=120)
    year: int | None = None
    co_organisers: str | None = Field(None, max_length=300)
    level: Level | None = None
    klass: CompetitionClass | None = None
    description: str | None = Field(None, max_length=5000)
    registration_opens: datetime.date | None = None
    registration_closes: datetime.date | None = None
    exclusive: bool | None = None
    fund_amount: Decimal | None = Field(None, max_digits=14, decimal_places=2)


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


class EventUpdateIn(Schema):
    name: str | None = Field(None, max_length=80)
    trade: str | None = None
    group: ContestGroup | None = None
    is_team: bool | None = None
    team_size: int | None = Field(None, ge=1, le=100)
    team_drawn: int | None = Field(None, ge=0, le=100)
    theory_weight: int | None = Field(None, ge=0, le=100)
    practical_weight: int | None = Field(None, ge=0, le=100)
    min_age: int | None = Field(None, ge=0, le=100)
    max_age: int | None = Field(None, ge=0, le=100)
    age_reference_date: datetime.date | None = None
    min_grade: int | None = Field(None, ge=0, le=5)
    max_grade: int | None = Field(None, ge=0, le=5)
    members_only: bool | None = None
    front_line_only: bool | None = None
    exclude_leaders: bool | None = None
    unit_quota: int | None = Field(None, ge=1)
    capacity: int | None = Field(None, ge=1)
    waitlist: bool | None = None
    requires_approval: bool | None = None
    tie_breaks: list[str] | None = None
    prize_rule: PrizeRuleIO | None = None
    recheck_top_percent: int | None = Field(None, ge=0, le=100)
    recheck_sample_percent: int | None = Field(None, ge=0, le=100)
    order: int | None = Field(None, ge=0, le=30000)


# ---------------------------------------------------------------------------------------------
# Marking schemes


class BandIO(Schema):
    upto: Decimal = Field(description="Largest absolute deviation earning `mark`.")
    mark: Decimal


class DeductionIO(Schema):
    item: str = Field(max_length=16)
    amount: Decimal
    description: str = Field("", max_length=120)


class AspectIn(Schema):
    section_code: str = Field(max_length=12)
    section_name: str = Field("", max_length=80)
    criterion_code: str = Field(max_length=12)
    criterion_name: str = Field("", max_length=80)
    code: str = Field(max_length=16)
    description: str = Field("", max_length=200)
    kind: AspectKind
    max_mark: Decimal
    step: Decimal | None = Field(None, description="Marks are multiples of the step (default 0.5).")
    bands: list[BandIO] = Field(default_factory=list, description="Tolerance aspects: the bands, tightest first.")
    deductions: list[DeductionIO] = Field(default_factory=list, description="Deduction aspects: the fault items.")


class AspectOut(Schema):
    id: int
    section_code: str
    section_name: str
    criterion_code: str
    criterion_name: str
    code: str
    description: str
    kind: str
    kind_label: str
    max_mark: Decimal
    step: Decimal
    bands: list[BandIO]
    deductions: list[DeductionIO]

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return _label(obj, "kind")

    @staticmethod
    def resolve_max_mark(obj: Any) -> Decimal | None:
        return hundredths(obj.max_mark)

    @staticmethod
    def resolve_step(obj: Any) -> Decimal | None:
        return hundredths(obj.step)

    @staticmethod
    def resolve_bands(obj: Any) -> list[dict[str, Any]]:
        return [{"upto": u, "mark": m} for u, m in obj.bands]

    @staticmethod
    def resolve_deductions(obj: Any) -> list[dict[str, Any]]:
        return [{"item": d[0], "amount": d[1], "description": d[2] if len(d) > 2 else ""} for d in obj.deductions]


class SchemeIn(Schema):
    aspects: list[AspectIn] = Field(description="Every aspect, in order (sections and criteria by their codes).")
    expected_total: Decimal = Field(Decimal(100), description="The marks must add up to this.")
    judgement_method: Literal["mean", "trimmed_mean", "worldskills"] = "mean"
    trim: int = Field(0, ge=0, le=10, description="Trimmed mean: marks dropped at each end.")
    rounding_mode: Literal["half_up", "half_even", "down"] = "half_up"
    rounding_places: int = Field(2, ge=0, le=2)
    rounding_level: Literal["aspect", "criterion", "total"] = "aspect"
    judges_per_entry: int = Field(3, ge=1, le=50)


class SchemeOut(Schema):
    event_id: int
    expected_total: Decimal
    judgement_method: str
    trim: int
    rounding_mode: str
    rounding_places: int
    rounding_level: str
    judges_per_entry: int
    aspects: list[AspectOut]

    @staticmethod
    def resolve_expected_total(obj: Any) -> Decimal | None:
        return hundredths(obj.expected_total)

    @staticmethod
    def resolve_aspects(obj: Any) -> list[Any]:
        return obj.aspects_list


# ---------------------------------------------------------------------------------------------
# Rounds


class EventRef(Schema):
    id: int
    name: str
    group: str
    is_team: bool


class StageRef(Schema):
    id: int
    order: int
    name: str


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

    @staticmethod
    def resolve_competition_id(obj: Any) -> int:
        return obj.event.competition_id

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return _label(obj, "state")

    @staticmethod
    def resolve_decrypted(obj: Any) -> bool:
        return obj.decrypted_at is not None


class RoundDetailOut(RoundOut):
    competition: CompetitionRef
    can_change: bool
    entry_counts: dict[str, int] = Field(description="Entries you can see, by status.")
    sheet_counts: dict[str, int] = Field(description="Mark sheets by state (open, signed, locked).")

    @staticmethod
    def resolve_competition(obj: Any) -> Any:
        return obj.event.competition

    @staticmethod
    def resolve_can_change(obj: Any, context: Any) -> bool:
        return bool(obj.can_change(_user(context)))


class RoundFilter(Schema):
    stage: int | None = None
    event: int | None = None
    state: RoundState | None = None


class OpenRoundsIn(Schema):
    organisers: list[int] | None = Field(None, description="Ids of the orgs running the stage's rounds; default:"
                                                            " the orgs of the stage's level under the organiser.")
    events: list[int] | None = Field(None, description="Ids of the events; default: every event.")


# ---------------------------------------------------------------------------------------------
# Registration


class ReasonOut(Schema):
    code: str
    field: str
    message: str


def _reasons(notes: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Reasons kept on an entry (untranslated templates) rendered in the request's language."""
    out = []
    for n in notes or []:
        try:
            message = gettext(n.get("template", "")) % (n.get("params") or {})
        except (KeyError, TypeError, ValueError):
            message = gettext(n.get("template", ""))
        out.append({"code": n.get("code", ""), "field": n.get("field", "event"), "message": message})
    return out


class EntryOut(Schema):
    """One entry as its unit and the round's organisers see it. The anonymous code, the practical score, the
    total, the place and the prize are null until the round is decrypted (and, for a unit, published)."""

    id: int
    round_id: int
    person: PersonRef
    unit: OrgRef
    team_id: int | None
    status: str
    status_label: str
    source: str
    source_label: str
    reasons: list[ReasonOut]
    contestant_no: str
    station_no: str
    code: str | None
    checked_in_at: datetime.datetime | None
    theory: Decimal | None
    practical: Decimal | None
    total: Decimal | None
    time_used: int | None
    place: int | None
    prize: str | None
    prize_label: str | None
    advanced: bool
    created_at: datetime.datetime

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return _label(obj, "status")

    @staticmethod
    def resolve_source_label(obj: Any) -> str:
        return _label(obj, "source")

    @staticmethod
    def resolve_reasons(obj: Any) -> list[dict[str, str]]:
        return _reasons(obj.notes)

    @staticmethod
    def resolve_code(obj: Any) -> str | None:
        return (obj.code or None) if getattr(obj, "show_code", False) else None

    @staticmethod
    def resolve_theory(obj: Any) -> Decimal | None:
        return hundredths(obj.theory)

    @staticmethod
    def resolve_practical(obj: Any) -> Decimal | None:
        return hundredths(obj.practical) if getattr(obj, "show_results", False) else None

    @staticmethod
    def resolve_total(obj: Any) -> Decimal | None:
        return hundredths(obj.total) if getattr(obj, "show_results", False) else None

    @staticmethod
    def resolve_place(obj: Any) -> int | None:
        return obj.place if getattr(obj, "show_results", False) else None

    @staticmethod
    def resolve_prize(obj: Any) -> str | None:
        return obj.prize if getattr(obj, "show_results", False) else None

    @staticmethod
    def resolve_prize_label(obj: Any) -> str | None:
        return _label(obj, "prize") if getattr(obj, "show_results", False) else None

    @staticmethod
    def resolve_advanced(obj: Any) -> bool:
        return bool(obj.advanced) if getattr(obj, "show_results", False) else False


class MyEntryOut(EntryOut):
    """A worker's own entry, with where it stands (their own code stays hidden: a contestant who knew it
    could tell a judge)."""

    competition: CompetitionRef
    event: EventRef
    stage: StageRef
    organiser: OrgRef
    round_state: str
    round_state_label: str
    certificate_token: str | None = Field(description="The verification token of the prize certificate, once issued.")

    @staticmethod
    def resolve_competition(obj: Any) -> Any:
        return obj.round.event.competition

    @staticmethod
    def resolve_event(obj: Any) -> Any:
        return obj.round.event

    @staticmethod
    def resolve_stage(obj: Any) -> Any:
        return obj.round.stage

    @staticmethod
    def resolve_organiser(obj: Any) -> Any:
        return obj.round.organiser

    @staticmethod
    def resolve_round_state(obj: Any) -> str:
        return obj.round.state

    @staticmethod
    def resolve_round_state_label(obj: Any) -> str:
        return _label(obj.round, "state")

    @staticmethod
    def resolve_certificate_token(obj: Any) -> str | None:
        cert = getattr(obj, "certificate_or_none", None)
        return cert.token if cert is not None and cert.revoked_at is None else None


class EntryFilter(Schema):
    status: EntryStatus | None = None
    unit: int | None = Field(None, description="Only entries of this unit (grassroots union).")
    name: str | None = Field(None, max_length=40, description="Name, or its beginning.")


class RegisterIn(Schema):
    person: int | None = Field(None, description="Id of the worker to register; a worker leaves it out to register"
                                                 " themself.")


class EligibilityOut(Schema):
    person: PersonRef
    status: Literal["eligible", "pending_approval", "waitlisted", "refused"]
    reasons: list[ReasonOut] = Field(description="Every broken rule when refused; otherwise why the entry would"
                                                 " wait (approval, waiting list).")


class EntryReasonIn(Schema):
    reason: str = Field("", max_length=200)


# ---------------------------------------------------------------------------------------------
# Draws


class WitnessIn(Schema):
    name: str = Field(max_length=40)
    number: str = Field("", max_length=20, description="A number the witness adds to the seed (optional).")


class DrawIn(Schema):
    witnesses: list[WitnessIn] = Field(description="At least two witnesses (e.g. the supervisor and a"
                                                   " contestants' representative).")


class DrawSummaryOut(Schema):
    id: int
    round_id: int | None
    purpose: str
    kind: str
    witnesses: list[dict[str, str]]
    drawn_by: UserRef | None
    drawn_at: datetime.datetime


class DrawOut(DrawSummaryOut):
    """A draw's full record. A 加密号 draw is sealed until the round is decrypted: its seed and result are then
    null (with the station numbers and the seed anyone could recompute who is behind each code)."""

    algorithm: str
    params: dict[str, Any]
    sealed: bool
    seed: str | None
    seed_parts: list[str] | None
    inputs: list[Any]
    input_digest: str
    result: list[Any] | None

    @staticmethod
    def resolve_seed(obj: Any) -> str | None:
        return None if obj.sealed else obj.seed

    @staticmethod
    def resolve_seed_parts(obj: Any) -> list[str] | None:
        return None if obj.sealed else [str(p) for p in obj.seed_parts]

    @staticmethod
    def resolve_result(obj: Any) -> list[Any] | None:
        return None if obj.sealed else obj.result


class RerunOut(Schema):
    consistent: bool = Field(description="The seed, the input list and the result all check out.")


# ---------------------------------------------------------------------------------------------
# Judging (by 加密号 only)


class JudgeRoundOut(Schema):
    """A round the user judges, and their role in it."""

    round: RoundOut
    role: str
    role_label: str

    @staticmethod
    def resolve_role_label(obj: Any) -> str:
        return _label(obj, "role")


class JudgeRoundDetailOut(JudgeRoundOut):
    sheet_counts: dict[str, int] = Field(description="Sheets of the whole round by state (open, signed, locked).")


class SheetOut(Schema):
    id: int
    round_id: int
    event_name: str
    stage_name: str
    code: str = Field(description="The entry's anonymous code (加密号): the only way a judge knows it.")
    judge_name: str
    is_mine: bool
    state: str
    state_label: str
    marked: int = Field(description="Aspects marked so far.")
    signed_at: datetime.datetime | None
    locked_at: datetime.datetime | None

    @staticmethod
    def resolve_event_name(obj: Any) -> str:
        return obj.round.event.name

    @staticmethod
    def resolve_stage_name(obj: Any) -> str:
        return obj.round.stage.name

    @staticmethod
    def resolve_code(obj: Any) -> str:
        return obj.entry.code

    @staticmethod
    def resolve_judge_name(obj: Any) -> str:
        return obj.judge.judge.name

    @staticmethod
    def resolve_is_mine(obj: Any, context: Any) -> bool:
        return obj.judge.judge.user_id == getattr(_user(context), "pk", None)

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return _label(obj, "state")

    @staticmethod
    def resolve_marked(obj: Any) -> int:
        return getattr(obj, "marked", 0) or 0


class SheetFilter(Schema):
    round: int | None = Field(None, description="Only the sheets of this round.")
    state: SheetState | None = None
    mine: bool = Field(False, description="Only your own sheets (a chief judge sees the whole round's).")


class MarkOut(Schema):
    aspect_id: int
    aspect_code: str
    value: Decimal | None = Field(description="The judge's number: a mark, or a WorldSkills score 0–3.")
    raw: dict[str, Any] = Field(description="What the judge entered for a measurement.")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_aspect_code(obj: Any) -> str:
        return obj.aspect.code

    @staticmethod
    def resolve_value(obj: Any) -> Decimal | None:
        return hundredths(obj.value)


class SheetAspectOut(AspectOut):
    mark: MarkOut | None

    @staticmethod
    def resolve_mark(obj: Any) -> Any:
        return getattr(obj, "sheet_mark", None)


class SheetDetailOut(SheetOut):
    judgement_method: str
    aspects: list[SheetAspectOut]

    @staticmethod
    def resolve_judgement_method(obj: Any) -> str:
        return obj.scheme.judgement_method

    @staticmethod
    def resolve_aspects(obj: Any) -> list[Any]:
        return obj.aspects_list


class MarkIn(Schema):
    """What a judge enters for one aspect, by the aspect's kind: binary `achieved`; tolerance `deviation`;
    deduction `faults` ({item: count}); judgement or direct `mark` (WorldSkills: `score` 0–3). Send numbers as
    strings ("7.5") to keep them exact."""

    achieved: bool | None = None
    deviation: Decimal | str | None = None
    faults: dict[str, Any] | None = None
    mark: Decimal | str | None = None
    score: int | str | None = None


class ReturnIn(Schema):
    reason: str = Field(max_length=200)


class LockOut(Schema):
    code: str
    locked_sheets: int
    round_state: str


class DecryptIn(Schema):
    supervisor_username: str = Field(max_length=150)
    supervisor_password: str = Field(max_length=200)


# ---------------------------------------------------------------------------------------------
# Results


class RankingRowOut(Schema):
    """One line of a round's ranking. Before decryption only the 加密号 and the practical score (the theory
    score, the total and the time were entered against names, so they would link a code to a person); after
    it the name, unit, contestant number and every score."""

    place: int | None
    prize: str
    prize_label: str
    code: str
    entry_id: int | None
    contestant_no: str | None
    name: str | None
    unit: OrgRef | None
    theory: Decimal | None
    practical: Decimal | None
    total: Decimal | None
    time_used: int | None
    advanced: bool

    @staticmethod
    def resolve_prize_label(obj: Any) -> str:
        return _label(obj, "prize")

    @staticmethod
    def resolve_entry_id(obj: Any) -> int | None:
        return obj.pk if getattr(obj, "show_names", False) else None

    @staticmethod
    def resolve_contestant_no(obj: Any) -> str | None:
        return obj.contestant_no if getattr(obj, "show_names", False) else None

    @staticmethod
    def resolve_name(obj: Any) -> str | None:
        return obj.person.name if getattr(obj, "show_names", False) else None

    @staticmethod
    def resolve_unit(obj: Any) -> Any:
        return obj.unit if getattr(obj, "show_names", False) else None

    @staticmethod
    def resolve_theory(obj: Any) -> Decimal | None:
        return hundredths(obj.theory) if getattr(obj, "show_names", False) else None

    @staticmethod
    def resolve_practical(obj: Any) -> Decimal | None:
        return hundredths(obj.practical)

    @staticmethod
    def resolve_total(obj: Any) -> Decimal | None:
        return hundredths(obj.total) if getattr(obj, "show_names", False) else None

    @staticmethod
    def resolve_time_used(obj: Any) -> int | None:
        return obj.time_used if getattr(obj, "show_names", False) else None


class TheoryScoreIn(Schema):
    entry: int = Field(description="Id of the entry.")
    score: Decimal | str = Field(description="0–100, e.g. \"86.5\".")


class TheoryIn(Schema):
    scores: list[TheoryScoreIn] = Field(min_length=1)
    note: str = Field("", max_length=200)


class CountOut(Schema):
    updated: int


class PublishIn(Schema):
    publicity_until: datetime.date = Field(description="The last day of the public notice (appeals until then).")


class FinaliseOut(Schema):
    certificates: int
    promotions: int
    advanced: int


class AppealIn(Schema):
    reason: str = Field(max_length=2000)


class AppealDecisionIn(Schema):
    upheld: bool
    decision: str = Field(max_length=2000)


class AppealOut(Schema):
    id: int
    entry_id: int
    round_id: int
    person: PersonRef
    unit: OrgRef
    reason: str
    state: str
    state_label: str
    decision: str
    filed_at: datetime.datetime
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_round_id(obj: Any) -> int:
        return obj.entry.round_id

    @staticmethod
    def resolve_person(obj: Any) -> Any:
        return obj.entry.person

    @staticmethod
    def resolve_unit(obj: Any) -> Any:
        return obj.entry.unit

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return _label(obj, "state")


class PromotionOut(Schema):
    id: int
    entry_id: int
    person: PersonRef
    place: int | None
    prize: str
    current_grade: int
    current_grade_label: str
    proposed_grade: int
    proposed_grade_label: str
    title: str
    state: str
    state_label: str
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_person(obj: Any) -> Any:
        return obj.entry.person

    @staticmethod
    def resolve_place(obj: Any) -> int | None:
        return obj.entry.place

    @staticmethod
    def resolve_prize(obj: Any) -> str:
        return obj.entry.prize

    @staticmethod
    def resolve_current_grade_label(obj: Any) -> str:
        return _grade_label(obj.current_grade)

    @staticmethod
    def resolve_proposed_grade_label(obj: Any) -> str:
        return _grade_label(obj.proposed_grade)

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return _label(obj, "state")


class PromotionDecisionIn(Schema):
    approve: bool


class CertificateOut(Schema):
    """What the public verification page shows for a certificate's QR code."""

    number: str
    valid: bool = Field(description="False when the certificate was revoked.")
    name: str
    unit: str
    competition: str
    year: int
    event: str
    stage: str
    prize: str
    prize_label: str
    place: int | None
    issued_at: datetime.datetime

    @staticmethod
    def resolve_valid(obj: Any) -> bool:
        return obj.revoked_at is None

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.entry.person.name

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return obj.entry.unit.name

    @staticmethod
    def resolve_competition(obj: Any) -> str:
        return obj.entry.round.event.competition.name

    @staticmethod
    def resolve_year(obj: Any) -> int:
        return obj.entry.round.event.competition.year

    @staticmethod
    def resolve_event(obj: Any) -> str:
        return str(obj.entry.round.event)

    @staticmethod
    def resolve_stage(obj: Any) -> str:
        return obj.entry.round.stage.name

    @staticmethod
    def resolve_prize_label(obj: Any) -> str:
        return _label(obj, "prize")

    @staticmethod
    def resolve_place(obj: Any) -> int | None:
        return obj.entry.place

