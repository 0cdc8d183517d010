"""Schemas of the witnessed draws (contestant numbers, stations, anonymous codes)."""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from gongjiang.orgs.schemas import UserRef


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
