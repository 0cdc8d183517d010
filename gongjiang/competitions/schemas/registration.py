"""Schemas of registration: entries (as their unit, the organisers and the worker see them) and eligibility.

An entry carries its anonymous code only when the endpoint set `show_code`, and its results (practical score,
total, place, prize) only when it set `show_results`: both stay hidden by default.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext
from ninja import Field, Schema

from gongjiang.orgs.schemas import OrgRef, PersonRef

from ..choices import EntryStatus
from .common import CompetitionRef, EventRef, StageRef, decimal, label, via


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


RESULTS = "show_results"  # the flag an endpoint sets on an entry whose results may be shown


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

    resolve_status_label = label("status")
    resolve_source_label = label("source")
    resolve_reasons = via("notes", then=_reasons)
    resolve_code = via("code", shown="show_code", then=lambda code: code or None)
    resolve_theory = decimal("theory")
    resolve_practical = decimal("practical", shown=RESULTS)
    resolve_total = decimal("total", shown=RESULTS)
    resolve_place = via("place", shown=RESULTS)
    resolve_prize = via("prize", shown=RESULTS)
    resolve_prize_label = label("prize", shown=RESULTS)
    resolve_advanced = via("advanced", shown=RESULTS, hidden=False, then=bool)


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

    resolve_competition = via("round.event.competition")
    resolve_event = via("round.event")
    resolve_stage = via("round.stage")
    resolve_organiser = via("round.organiser")
    resolve_round_state = via("round.state")
    resolve_round_state_label = label("state", of="round")

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
