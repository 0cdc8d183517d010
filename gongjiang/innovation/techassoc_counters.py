"""The technical associations' figures and counters (an association's `member_count`, `activity_count`), kept by
the verbs: the figures in the fact store (metrics `innovation.tech_*`, declared in `metrics.py`), added under the
association's union — so every org above it reads its reach from one row per period —, the counters on the
association's row, with F().

What counts, and on which day: a member joining on `joined_on`, leaving on `left_on` (a transfer is both, in the
two associations); an activity once held, on `held_on` (planned ones do not count), by kind; a
four-technical-services contract and its value likewise. The members at a year's end are the sum of the flows up to
it (rules.techassoc.active_at_year_end), so no stock needs keeping across years. An association's own figures (as
against its union's whole reach) are read from its own rows (`queries.techassoc`).

`rebuild()` puts the figures (`facts.rebuild(["innovation"])`) and the counters back from the rows (the demo)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, F

from gongjiang.orgs import facts
from gongjiang.orgs.models import Org

from . import metrics
from .choices import ActivityKind
from .models import Activity, TechAssociation, TechMember
from .rules import techassoc as rules

KIND_FIELDS: tuple[str, ...] = tuple(ActivityKind.values)
FIELDS: tuple[str, ...] = ("joined", "left", *KIND_FIELDS, "contracts", "contract_value")


def add(org: Org, day: datetime.date, **deltas: int | Decimal) -> None:
    """Add `deltas` (joined=1, service=1, contract_value=Decimal(...)) on `day` to the figures of `org`'s whole reach
    (`org`: the association's union)."""
    unknown = set(deltas) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown figures: {sorted(unknown)}")
    facts.add(org, day, {metrics.tech_key(k): v for k, v in deltas.items()})


def activity_deltas(activity: Activity, sign: int = 1) -> dict[str, int | Decimal]:
    """What a held activity adds to the figures of its day (`sign` -1: what it takes away)."""
    found: dict[str, int | Decimal] = {activity.kind: sign}
    if rules.is_four_services(activity.kind):
        found["contracts"] = sign
        found["contract_value"] = (activity.value or Decimal(0)) * sign
    return found


def count_members(association: TechAssociation, delta: int) -> None:
    TechAssociation.objects.filter(pk=association.pk).update(member_count=F("member_count") + delta)


def count_activities(association: TechAssociation, delta: int) -> None:
    TechAssociation.objects.filter(pk=association.pk).update(activity_count=F("activity_count") + delta)


def rebuild() -> int:
    """Put the figures and every association's counters back from the memberships and activities; returns how many
    rows changed."""
    return facts.rebuild(["innovation"]) + rebuild_counts()


def rebuild_counts() -> int:
    """Recompute every association's `member_count` and `activity_count` from its rows; returns how many changed."""
    members = dict(TechMember.objects.filter(left_on__isnull=True).order_by().values("association_id")
                   .annotate(n=Count("pk")).values_list("association_id", "n"))
    activities = dict(Activity.objects.filter(state__in=[rules.HELD, rules.CLOSED]).order_by()
                      .values("association_id").annotate(n=Count("pk")).values_list("association_id", "n"))
    changed = []
    for a in TechAssociation.objects.only("pk", "member_count", "activity_count"):
        m, n = members.get(a.pk, 0), activities.get(a.pk, 0)
        if (a.member_count, a.activity_count) != (m, n):
            a.member_count, a.activity_count = m, n
            changed.append(a)
    TechAssociation.objects.bulk_update(changed, ["member_count", "activity_count"], batch_size=2000)
    return len(changed)
