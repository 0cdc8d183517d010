"""Schemas of results: the ranking, theory scores, public notice, appeals, grade promotions and certificates."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from gongjiang.orgs.schemas import OrgRef, PersonRef

from .common import decimal, grade_label, label, via

NAMES = "show_names"  # the flag the ranking sets on its rows once the round is decrypted


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

    resolve_prize_label = label("prize")
    resolve_entry_id = via("pk", shown=NAMES)
    resolve_contestant_no = via("contestant_no", shown=NAMES)
    resolve_name = via("person.name", shown=NAMES)
    resolve_unit = via("unit", shown=NAMES)
    resolve_theory = decimal("theory", shown=NAMES)
    resolve_practical = decimal("practical")
    resolve_total = decimal("total", shown=NAMES)
    resolve_time_used = via("time_used", shown=NAMES)


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

    resolve_round_id = via("entry.round_id")
    resolve_person = via("entry.person")
    resolve_unit = via("entry.unit")
    resolve_state_label = label("state")


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

    resolve_person = via("entry.person")
    resolve_place = via("entry.place")
    resolve_prize = via("entry.prize")
    resolve_current_grade_label = grade_label("current_grade")
    resolve_proposed_grade_label = grade_label("proposed_grade")
    resolve_state_label = label("state")


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

    resolve_name = via("entry.person.name")
    resolve_unit = via("entry.unit.name")
    resolve_competition = via("entry.round.event.competition.name")
    resolve_year = via("entry.round.event.competition.year")
    resolve_event = via("entry.round.event", then=str)
    resolve_stage = via("entry.round.stage.name")
    resolve_prize_label = label("prize")
    resolve_place = via("entry.place")

    @staticmethod
    def resolve_valid(obj: Any) -> bool:
        return obj.revoked_at is None
