"""Schemas of judging. A judge knows an entry by its anonymous code (加密号) only: a sheet carries the code and
never a name or an entry id."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from ..choices import SheetState
from .common import _user, decimal, label, via
from .schemes import AspectOut
from .structure import RoundOut


class JudgeRoundOut(Schema):
    """A round the user judges, and their role in it."""

    round: RoundOut
    role: str
    role_label: str

    resolve_role_label = label("role")


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

    resolve_event_name = via("round.event.name")
    resolve_stage_name = via("round.stage.name")
    resolve_code = via("entry.code")
    resolve_judge_name = via("judge.judge.name")
    resolve_state_label = label("state")

    @staticmethod
    def resolve_is_mine(obj: Any, context: Any) -> bool:
        return obj.judge.judge.user_id == getattr(_user(context), "pk", None)

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

    resolve_aspect_code = via("aspect.code")
    resolve_value = decimal("value")


class SheetAspectOut(AspectOut):
    mark: MarkOut | None

    @staticmethod
    def resolve_mark(obj: Any) -> Any:
        return getattr(obj, "sheet_mark", None)


class SheetDetailOut(SheetOut):
    judgement_method: str
    aspects: list[SheetAspectOut]

    resolve_judgement_method = via("scheme.judgement_method")
    resolve_aspects = via("aspects_list")


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
