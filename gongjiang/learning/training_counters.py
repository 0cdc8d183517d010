"""The training part's share of the learning figures: `rebuild()` adds the sessions, person-hours and mentor pairs
of every union and day to DayFigure from the rows (registered with `counters.register_rebuild`; the services keep
the figures as they go, this puts them back after `counters.rebuild` recomputed DayFigure)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Count, Sum

from gongjiang.orgs.models import Org

from . import counters
from .models import MentorPair, TrainingSession


def rebuild() -> int:
    """Sum the rows per union and day, then add each over the union's reach (`counters.add_day`): one call per
    union and day. Returns the number of (union, day) figures added."""
    totals: dict[tuple[int, datetime.date], dict[str, Any]] = defaultdict(dict)
    for row in TrainingSession.objects.order_by().values("org_id", "starts_on").annotate(
            n=Count("id"), hours=Sum("person_hours")):
        totals[(row["org_id"], row["starts_on"])].update(trainings=row["n"], training_hours=row["hours"] or 0)
    for row in MentorPair.objects.order_by().values("org_id", "starts_on").annotate(n=Count("id")):
        totals[(row["org_id"], row["starts_on"])]["mentor_pairs"] = row["n"]
    orgs = Org.objects.in_bulk({k[0] for k in totals})
    for (org_id, day), deltas in totals.items():
        counters.add_day(orgs[org_id], day, **deltas)
    return len(totals)
