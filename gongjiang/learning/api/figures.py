"""The learning figures of a union for a period (mounted on the learning router): the totals, the trend by day or
month and the unions right below with theirs — from the daily figures, like the page; a union out of your scope is
a 404, a period that cannot be read a 400 naming its field, and only cadres read figures (403)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from gongjiang.core.api import ERRORS, Id, one
from gongjiang.core.errors import DomainError
from gongjiang.orgs.models import Org
from gongjiang.orgs.plugins import is_cadre
from gongjiang.orgs.schemas import OrgRef

from ..queries import figures as reads

router = Router(tags=["learning"])


class TotalsOut(Schema):
    learners: int = Field(..., description="Workers who took their first attempt ever in the period.")
    attempts: int
    passes: int
    contest_takers: int = Field(..., description="Workers who took their first attempt at a contest.")
    trainings: int
    training_hours: Decimal = Field(..., description="Hours × attendees.")
    mentor_pairs: int
    pass_rate: int | None = Field(..., description="Percent of the attempts passed; null without attempts.")


class PointOut(Schema):
    day: datetime.date = Field(..., description="The day, or the first day of the month for a monthly trend.")
    totals: TotalsOut


class RowOut(Schema):
    org: OrgRef
    totals: TotalsOut


class FiguresOut(Schema):
    org: OrgRef
    period: str
    start: datetime.date
    end: datetime.date
    monthly: bool = Field(..., description="The trend is by month (a period longer than a quarter).")
    totals: TotalsOut
    trend: list[PointOut]
    below: list[RowOut] = Field(..., description="The unions right below (an industry union: its affiliates).")


def _totals(t: reads.Totals) -> dict[str, Any]:
    return {**{f: getattr(t, f) for f in reads.FIELDS}, "pass_rate": t.pass_rate}


@router.get("/learning/figures", response={200: FiguresOut, **ERRORS}, summary="A union's learning figures")
def figures(request: HttpRequest, org_id: Id, period: str = "month", month: str = "", year: str = "",
            start: str = "", end: str = "") -> Any:
    """`period` is month (`month` 2026-05, default this month), year (`year` 2026, default this year) or range
    (`start` and `end`, ISO dates, at most five years)."""
    user = request.auth  # type: ignore[attr-defined]
    if not is_cadre(user):
        raise PermissionDenied
    org = one(Org.objects.for_user(user, "view"), org_id)
    try:
        p = reads.period(period, month=month, year=year, start=start, end=end, today=timezone.localdate())
    except reads.PeriodError as e:
        raise DomainError(e.message, code="period", errors={e.field: e.message}) from None
    return {"org": org, "period": p.kind, "start": p.start, "end": p.end, "monthly": p.monthly,
            "totals": _totals(reads.totals(org, p)),
            "trend": [{"day": pt.day, "totals": _totals(pt.totals)} for pt in reads.trend(org, p)],
            "below": [{"org": r.org, "totals": _totals(r.totals)} for r in reads.breakdown(org, p)]}
