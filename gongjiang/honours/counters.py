"""The counters of honour holders (`HolderCount`: per union, year conferred and honour; holders not revoked, alive,
active), kept by the roster's verbs and by the conferral: each adds its differences, with F(), to the rows of the
holder's unit and of every union above it — regionally and along its industry union's tree — so the statistics by
city and industry, and the home panel, read a few rows, never count holders (DESIGN §5, as innovation/counters).

Missing rows are made first (`ignore_conflicts`), then one UPDATE adds the differences; rows are touched in path
order. `rebuild()` recomputes every row from the holders (the demo; the tests compare it with what the verbs kept)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, F

from gongjiang.orgs.models import Org
from gongjiang.orgs.scoping import ancestors

from .models import Holder, HolderCount
from .rules import roster as rules

FIELDS = ("holders", "alive", "active", "revoked")


def _reach_paths(path: str, industry_path: str) -> set[str]:
    return set(ancestors(path)) | (set(ancestors(industry_path)) if industry_path else set())


def reach_ids(unit: Org) -> list[int]:
    """The ids of the unit and of every org above it, regionally and through its industry union (one query)."""
    return list(Org.objects.filter(path__in=_reach_paths(unit.path, unit.industry_path)).order_by("path")
                .values_list("pk", flat=True))


def add(unit: Org, year: int, honour_type_id: int, holders: int = 0, alive: int = 0, active: int = 0,
        revoked: int = 0) -> None:
    """Add the differences to the counters of `unit`'s whole reach for the year and the honour."""
    changes = {k: v for k, v in zip(FIELDS, (holders, alive, active, revoked), strict=True) if v}
    if not changes:
        return
    ids = reach_ids(unit)
    HolderCount.objects.bulk_create([HolderCount(org_id=pk, year=year, honour_type_id=honour_type_id) for pk in ids],
                                    ignore_conflicts=True)
    HolderCount.objects.filter(org_id__in=ids, year=year, honour_type_id=honour_type_id).update(
        **{k: F(k) + v for k, v in changes.items()})


def add_holder(holder: Holder) -> None:
    """Count a new holder (the conferral calls this after creating the row)."""
    add(holder.unit, holder.year, holder.honour_type_id, *rules.counts(holder.status))


def change(holder: Holder, old: str, new: str) -> None:
    """A holder's status went from `old` to `new`: move it between the counters."""
    before, after = rules.counts(old), rules.counts(new)
    add(holder.unit, holder.year, holder.honour_type_id, *(n - b for b, n in zip(before, after, strict=True)))


def rebuild() -> int:
    """Recompute every counter from the holders; returns the number of rows written."""
    own: dict[tuple[int, int, int, str], int] = defaultdict(int)
    for unit_id, year, type_id, status, n in (Holder.objects.values_list("unit_id", "year", "honour_type_id", "status")
                                              .order_by().annotate(n=Count("pk"))):
        own[(unit_id, year, type_id, status)] += n
    units = {pk: (p, ip) for pk, p, ip in Org.objects.filter(pk__in={k[0] for k in own})
             .values_list("pk", "path", "industry_path")}
    paths = set().union(*(_reach_paths(p, ip) for p, ip in units.values())) if units else set()
    ids = dict(Org.objects.filter(path__in=paths).values_list("path", "pk"))
    totals: dict[tuple[int, int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (unit_id, year, type_id, status), n in own.items():
        weights = rules.counts(status)
        path, industry_path = units[unit_id]
        for p in _reach_paths(path, industry_path):
            row = totals[(ids[p], year, type_id)]
            for i, w in enumerate(weights):
                row[i] += w * n
    HolderCount.objects.all().delete()
    HolderCount.objects.bulk_create([HolderCount(org_id=o, year=y, honour_type_id=t, holders=v[0], alive=v[1],
                                                 active=v[2], revoked=v[3]) for (o, y, t), v in sorted(totals.items())],
                                    batch_size=2000)
    return len(totals)


def snapshot() -> dict[tuple[int, int, int], tuple[int, int, int, int]]:
    """Every counter with something in it (the tests compare what the verbs kept with a rebuild)."""
    return {(o, y, t): (h, a, c, r) for o, y, t, h, a, c, r in HolderCount.objects.values_list(
        "org_id", "year", "honour_type_id", "holders", "alive", "active", "revoked") if h or a or c or r}
