"""Schemas of a marking scheme: its aspects (by section and criterion code), their kinds and limits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from ..choices import AspectKind
from .common import decimal, label, via


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

    resolve_kind_label = label("kind")
    resolve_max_mark = decimal("max_mark")
    resolve_step = decimal("step")

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

    resolve_expected_total = decimal("expected_total")
    resolve_aspects = via("aspects_list")
