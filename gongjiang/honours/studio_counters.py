"""The studios' figures in the fact store (orgs/facts.py, metrics declared in `figures`): the studio verbs add their
differences at the host enterprise — the store adds them to every union above it, regionally and along its industry
union's tree — per figure and studio level, so the figures page of a province or a city reads a few rows, never
counts studios (DESIGN §5). Recognitions and assessments count on the first day of their year (the registry keeps
the year only), suspensions and revocations on the day of the decision. `rows()` is the studios' part of the
honours source: the truth `facts.differences` and `facts.rebuild` check and rebuild the store against."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator

from django.db.models import Count

from gongjiang.orgs import facts
from gongjiang.orgs.models import Org

from .models import Assessment, Studio, StudioStatusChange
from .studio_choices import AssessmentState, Result, StudioStatus

FIELDS = ("recognised", "excellent", "passed", "failed", "suspended", "revoked")
RESULT_FIELD = {Result.EXCELLENT: "excellent", Result.PASS: "passed", Result.FAIL: "failed"}
STATUS_FIELD = {StudioStatus.SUSPENDED: "suspended", StudioStatus.REVOKED: "revoked"}
# field → metric prefix: one metric per figure and studio level (declared in `figures`)
STUDIO_PREFIX = {"recognised": "honours.studios_recognised", "excellent": "honours.studio_excellent",
                 "passed": "honours.studio_passed", "failed": "honours.studio_failed",
                 "suspended": "honours.studios_suspended", "revoked": "honours.studios_revoked"}


def studio_metric(field: str, level: str) -> str:
    return f"{STUDIO_PREFIX[field]}_{level}"


def year_day(year: int) -> datetime.date:
    """The day a figure the registry keeps by year only counts on: the first of the year."""
    return datetime.date(year, 1, 1)


def add(host: Org, day: datetime.date, level: str, **deltas: int) -> None:
    """Add the differences ({figure: n}) to the figures of the host's reach for `day` and the studio's level."""
    unknown = set(deltas) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown figures: {sorted(unknown)}")
    facts.add(host, day, {studio_metric(k, level): v for k, v in deltas.items() if v})


def counted_by(studio: Studio) -> dict[tuple[datetime.date, str], int]:
    """What one studio counts beside its recognition: (day, figure) → n, from its confirmed assessments and its
    status changes (the correction of its host, level or year moves them: `services.studio_registry`)."""
    out: dict[tuple[datetime.date, str], int] = defaultdict(int)
    for year, res in studio.assessments.filter(state=AssessmentState.CONFIRMED).values_list("year", "result"):
        out[(year_day(year), RESULT_FIELD[Result(res)])] += 1
    for on, after in studio.status_changes.filter(after__in=list(STATUS_FIELD)).values_list("on", "after"):
        out[(on, STATUS_FIELD[StudioStatus(after)])] += 1
    return dict(out)


def rows() -> Iterator[facts.Row]:
    """(host id, day, metric, n) of every studio figure, from the studios, their confirmed assessments and their
    status changes (three GROUP BYs)."""
    for host_id, year, level, n in (Studio.objects.values_list("host_id", "year", "level").order_by()
                                    .annotate(n=Count("pk"))):
        yield host_id, year_day(year), studio_metric("recognised", level), n
    for host_id, year, level, res, n in (Assessment.objects.filter(state=AssessmentState.CONFIRMED)
                                         .values_list("studio__host_id", "year", "studio__level", "result")
                                         .order_by().annotate(n=Count("pk"))):
        yield host_id, year_day(year), studio_metric(RESULT_FIELD[Result(res)], level), n
    for host_id, on, level, after, n in (StudioStatusChange.objects.filter(after__in=list(STATUS_FIELD))
                                         .values_list("studio__host_id", "on", "studio__level", "after")
                                         .order_by().annotate(n=Count("pk"))):
        yield host_id, on, studio_metric(STATUS_FIELD[StudioStatus(after)], level), n
