"""The technical associations' figures (`TechFigure`) and counters (an association's `member_count`,
`activity_count`), kept by the verbs like the innovation figures (`counters`): each verb adds its differences with
F() to the association's own row of the year and to the rows of its union's whole reach (the union and every union
above it, regionally and along the industry tree), so a page reads one row per org and year, never counting members
or activities.

What counts, and in which year: a member joining in the year of `joined_on`, leaving in the year of `left_on` (a
transfer is both, in the two associations); an activity once held, in the year of its date (planned ones do not
count), by kind; a four-technical-services contract and its value likewise. The members at a year's end are the
sum of the flows up to it (rules.techassoc.active_at_year_end), so no stock needs keeping across years.

`rebuild()` recomputes all of it from the rows; `counters.rebuild()` calls it (the demo, the tests comparing it with
what the verbs kept)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum

from gongjiang.orgs.models import Org
from gongjiang.orgs.scoping import ancestors

from .choices import ActivityKind
from .models import Activity, TechAssociation, TechFigure, TechMember
from .rules import techassoc as rules

KIND_FIELDS: tuple[str, ...] = tuple(ActivityKind.values)
FIELDS: tuple[str, ...] = ("joined", "left", *KIND_FIELDS, "contracts", "contract_value")


def _reach_ids(org: Org) -> list[int]:
    """The ids of `org` and of every org above it, regionally and through its industry union (one query; as
    `counters.reach_ids`, which this module may not import: `counters.rebuild` calls this one)."""
    paths = set(ancestors(org.path))
    if org.industry_path:
        paths |= set(ancestors(org.industry_path))
    return list(Org.objects.filter(path__in=paths).order_by("path").values_list("pk", flat=True))


def add(org: Org, year: int, **deltas: int | Decimal) -> None:
    """Add `deltas` (joined=1, service=1, contract_value=Decimal(...)) to the year's row of the association of
    `org` and to the rows of `org`'s whole reach."""
    unknown = set(deltas) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown figures: {sorted(unknown)}")
    changes = {k: v for k, v in deltas.items() if v}
    if not changes:
        return
    ids = _reach_ids(org)
    TechFigure.objects.bulk_create([TechFigure(org_id=org.pk, year=year, own=True),
                                    *[TechFigure(org_id=pk, year=year, own=False) for pk in ids]],
                                   ignore_conflicts=True)
    (TechFigure.objects.filter(Q(own=True, org_id=org.pk) | Q(own=False, org_id__in=ids), year=year)
     .update(**{k: F(k) + v for k, v in changes.items()}))


def activity_deltas(activity: Activity, sign: int = 1) -> dict[str, int | Decimal]:
    """What a held activity adds to the figures of its year (`sign` -1: what it takes away)."""
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
    """Recompute every figure row and every association's counters from the memberships and activities; returns
    the number of figure rows written."""
    own: dict[tuple[int, int], dict[str, Any]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    joined = (TechMember.objects.values_list("association__org_id", "joined_on__year").order_by()
              .annotate(n=Count("pk")))
    for org_id, year, n in joined:
        own[(org_id, year)]["joined"] += n
    left = (TechMember.objects.filter(left_on__isnull=False).values_list("association__org_id", "left_on__year")
            .order_by().annotate(n=Count("pk")))
    for org_id, year, n in left:
        own[(org_id, year)]["left"] += n
    held = (Activity.objects.filter(state__in=[rules.HELD, rules.CLOSED])
            .values_list("association__org_id", "year", "kind").order_by().annotate(n=Count("pk"), v=Sum("value")))
    for org_id, year, kind, n, value in held:
        figures = own[(org_id, year)]
        figures[kind] += n
        if rules.is_four_services(kind):
            figures["contracts"] += n
            figures["contract_value"] += value or Decimal(0)
    units = {o.pk: o for o in Org.objects.filter(pk__in={u for u, _y in own})}
    paths = dict(Org.objects.values_list("path", "pk"))
    reach: dict[tuple[int, int], dict[str, Any]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for (org_id, year), figures in own.items():
        unit = units[org_id]
        above = set(ancestors(unit.path)) | (set(ancestors(unit.industry_path)) if unit.industry_path else set())
        for path in above:
            if path in paths:
                total = reach[(paths[path], year)]
                for k in FIELDS:
                    total[k] += figures[k]
    TechFigure.objects.all().delete()
    rows = [TechFigure(org_id=org_id, year=year, own=True, **f) for (org_id, year), f in own.items()]
    rows += [TechFigure(org_id=org_id, year=year, own=False, **f) for (org_id, year), f in reach.items()]
    TechFigure.objects.bulk_create(rows, batch_size=2000)
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
    return len(rows)
