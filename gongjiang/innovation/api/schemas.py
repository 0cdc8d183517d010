"""Schemas of the innovation API. Amounts are yuan (decimal strings); codes come with a `*_label` in the request's
language."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from gongjiang.core.api import Id
from gongjiang.orgs.schemas import OrgRef

from ..choices import Category, Kind, Opinion, State


class ProposalFilter(Schema):
    q: str = Field("", max_length=60, description="Part of the title, or the proposer's whole name.")
    state: State | None = None
    category: Category | None = None
    kind: Kind | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    waiting: str = Field("", pattern="^(|acceptance|valuation|decision|sign_off)$")


class ProposalOut(Schema):
    id: int
    number: str
    title: str
    category: str
    category_label: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    year: int
    unit: OrgRef
    enterprise: OrgRef
    submitted_at: datetime.datetime
    score: int | None
    grade: int | None
    reward: Decimal | None

    @staticmethod
    def resolve_category_label(obj: Any) -> str:
        return _label(obj, "category")

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return _label(obj, "kind")

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return _label(obj, "state")


_ENUMS: dict[str, Any] = {"category": Category, "kind": Kind, "state": State}


def _label(obj: Any, field: str) -> str:
    """A code's label: from a proposal (by the choices' enum: get_FOO_display hashes every label of the field to
    find one), or from the dict an endpoint assembled."""
    if isinstance(obj, dict):
        return str(obj[f"{field}_label"])
    return str(_ENUMS[field](getattr(obj, field)).label)


class ContributorOut(Schema):
    name: str
    share: int
    is_lead: bool


class AssignmentOut(Schema):
    valuator: str
    active: bool
    opinion: str
    score: int | None
    comment: str
    valued_at: datetime.datetime | None


class BenefitOut(Schema):
    forecast: Decimal
    forecast_soft: str
    forecast_locked_at: datetime.datetime | None
    gross: Decimal | None
    cost: Decimal | None
    net: Decimal | None
    soft: str
    signed_off_at: datetime.datetime | None


class AttachmentOut(Schema):
    id: int
    name: str
    kind: str
    size: int
    url: str


class ProposalDetailOut(ProposalOut):
    problem: str
    solution: str
    expected_benefit: str
    reason: str
    department: OrgRef | None
    proposers: list[ContributorOut]
    valuations: list[AssignmentOut] = Field(description="Only for the union's cadres.")
    benefit: BenefitOut | None
    files: list[AttachmentOut]


class CoProposerIn(Schema):
    name: str = Field(..., min_length=1, max_length=40)
    share: int = Field(..., ge=1, le=99)
    mobile_tail: str = Field("", pattern="^([0-9]{4})?$")


class SubmitIn(Schema):
    title: str = Field(..., max_length=120)
    problem: str
    solution: str
    category: Category
    kind: Kind = Kind.PROPOSAL
    expected_benefit: str = ""
    co_proposers: list[CoProposerIn] = []


class AcceptIn(Schema):
    department_id: Id | None = None


class ReasonIn(Schema):
    reason: str = ""


class AssignIn(Schema):
    proposal_ids: list[Id] = Field(..., min_length=1, max_length=500)
    valuator_ids: list[Id] = Field(..., min_length=1, max_length=7)


class ValuationIn(Schema):
    opinion: Opinion
    score: int = Field(..., ge=0, le=100)
    comment: str = ""


class AdoptIn(Schema):
    forecast: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2, description="Yuan per year.")
    forecast_soft: str = ""
    note: str = ""


class BenefitIn(Schema):
    gross: Decimal = Field(..., ge=0, max_digits=14, decimal_places=2)
    cost: Decimal = Field(Decimal(0), ge=0, max_digits=14, decimal_places=2)
    soft: str = ""


class RewardIn(Schema):
    voucher: str = Field("", max_length=40)


class PaymentOut(Schema):
    person: str
    amount: Decimal
    grade: int
    mode: str


class SimilarOut(Schema):
    id: int
    title: str
    state: str
    state_label: str
    year: int
    unit: str
    score: float
    openable: bool


class StageCountOut(Schema):
    stage: str = Field(description="The stage's code (finding … transferred, then stopped).")
    label: str = Field(description="The stage's name in the request's language.")
    count: int = Field(description="Projects that reached the stage in the year.")


class ActivityCountOut(Schema):
    kind: str = Field(description="The activity's kind (exchange, drill, service, consulting, development, transfer).")
    label: str = Field(description="The kind's name in the request's language.")
    count: int = Field(description="Activities of the kind held in the year.")


class YearFiguresOut(Schema):
    """An org's figures for a year over its whole reach (itself, every unit below it and, for an industry union,
    its affiliates), read from the fact store the services keep. Amounts in yuan, each with its `*_wan` in 10,000
    yuan."""

    org: OrgRef
    year: int
    submitted: int = Field(description="Proposals submitted in the year.")
    adopted: int = Field(description="Proposals adopted in the year.")
    adoption_rate: Decimal | None = Field(description="Adopted per submitted, in percent (null: none submitted).")
    accounted: int = Field(description="Proposals whose benefit finance signed off in the year.")
    benefit: Decimal = Field(description="Net hard benefit signed off in the year (yuan).")
    benefit_wan: Decimal
    rewarded: int = Field(description="Proposals rewarded in the year.")
    rewards: Decimal = Field(description="Rewards paid in the year (yuan).")
    rewards_wan: Decimal
    projects: list[StageCountOut] = Field(description="Innovation projects reaching each stage in the year.")
    achievements: int = Field(description="Achievements submitted to the year's calls.")
    awards_first: int = Field(description="First prizes awarded in the year's calls.")
    awards_second: int = Field(description="Second prizes awarded.")
    awards_third: int = Field(description="Third prizes awarded.")
    matches_signed: int = Field(description="6·18 exhibition matches signed in the year.")
    signed_value: Decimal = Field(description="Their contract value (yuan).")
    signed_value_wan: Decimal
    tech_members: int = Field(description="Technical association members at the end of the year.")
    tech_joined: int = Field(description="Members who joined a technical association in the year.")
    tech_left: int = Field(description="Members who left in the year.")
    tech_activities: int = Field(description="Technical association activities held in the year.")
    tech_activities_by_kind: list[ActivityCountOut]
    tech_contracts: int = Field(description="Four-technical-services contracts in the year.")
    tech_contract_value: Decimal = Field(description="Their value (yuan).")
    tech_contract_value_wan: Decimal


# The name the endpoint imports. The class has its own: the OpenAPI components are keyed by class name, and the
# technical associations' API has a FiguresOut of its own (api/techassoc.py), which took this one's place.
FiguresOut = YearFiguresOut
