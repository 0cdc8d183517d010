"""The fact store: every figure the speeches quote, kept per org × period (day, month, year) × metric, ahead of
every reader — the pattern orgs/counters.py set for people and members, made one interface for every app.

- An app declares its metrics (`register_metric`: key "app.name", Chinese label, unit, decimals, definition) and
  one source (`register_source`): a function giving the raw figures from its own rows as (unit id, day, metric,
  value), the truth the store is checked and rebuilt against.
- Its verbs add their differences with `add(unit, day, {metric: delta})` (or `add_many` for a batch, e.g. the
  learning fold). The unit is where the thing happened (the worker's union, the proposal's unit); the store adds
  the delta to the rows of the unit and of every org above it — regionally and along its industry union's tree —
  for the day, the month and the year: a province, a city or an industry union reads its figures from one row.
- `rebuild()` recomputes every row from the sources (`manage.py rebuild_facts`); `differences()` lists what the
  kept rows and the sources disagree on (`manage.py rebuild_facts --check`; tests run it after every verb of every
  app in tests/test_timelines.py).

One statement per call writes every row (INSERT … ON CONFLICT DO UPDATE SET value = value + excluded.value, on
PostgreSQL and SQLite alike), rows in key order, so two writers never deadlock on an ancestor's row; the rows are
locked only from the verb's write to its commit. Readers: `values`, `series`, `by_child` below (stats' pages and
API, the apps' figure panels).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils.functional import Promise

from .fact_models import Fact, Period
from .scoping import ancestors

Number = int | Decimal
Row = tuple[int, datetime.date, str, Number]  # (unit id, day, metric, value)
PairRow = tuple[int, int, datetime.date, str, Number]  # (unit a id, unit b id, day, metric, value): add_pair's
Key = tuple[int, str, str, datetime.date]  # (org id, metric, period, start): a row of the store


@dataclass(frozen=True)
class Metric:
    """A figure the platform keeps: `key` "app.name" (stored in every row), its label and unit as the screen
    shows them (人, 人次, 项, 元), the decimals it has, what it counts (`definition`, printed beside it in reports),
    and `wan` when reports quote it in 万元 (the value is kept in yuan)."""

    key: str
    label: str | Promise
    unit: str | Promise
    definition: str | Promise
    places: int = 0
    wan: bool = False
    order: int = 50

    @property
    def app(self) -> str:
        return self.key.split(".", 1)[0]


@dataclass(frozen=True)
class Source:
    """Where an app's metrics come from: `rows()` gives (unit id, day, metric, value) for every metric in
    `metrics`, computed from the app's own rows (several rows for one unit and day are added up); `pairs()`, if
    the app adds with `add_pair`, gives (unit a id, unit b id, day, metric, value) for those, counted once in the
    reach of either unit as `add_pair` counts them."""

    app: str
    metrics: tuple[str, ...]
    rows: Callable[[], Iterable[Row]]
    pairs: Callable[[], Iterable[PairRow]] | None = None


_metrics: dict[str, Metric] = {}
_sources: dict[str, Source] = {}


def register_metric(*metrics: Metric) -> None:
    for m in metrics:
        if "." not in m.key or len(m.key) > 48:
            raise ValueError(f"a metric key is app.name, at most 48 characters: {m.key!r}")
        _metrics[m.key] = m


def register_source(source: Source) -> None:
    unknown = set(source.metrics) - set(_metrics)
    if unknown:
        raise ValueError(f"undeclared metrics: {sorted(unknown)}")
    _sources[source.app] = source


def metrics() -> list[Metric]:
    return sorted(_metrics.values(), key=lambda m: (m.app, m.order, m.key))


def metric(key: str) -> Metric:
    return _metrics[key]


def sources() -> list[Source]:
    return list(_sources.values())


# ---------------------------------------------------------------------------------------------
# Periods


def starts(day: datetime.date) -> dict[str, datetime.date]:
    """The first day of the day, month and year holding `day`, by period."""
    return {Period.DAY: day, Period.MONTH: day.replace(day=1), Period.YEAR: day.replace(month=1, day=1)}


def period_start(period: str, day: datetime.date) -> datetime.date:
    return starts(day)[Period(period)]


def period_end(period: str, start: datetime.date) -> datetime.date:
    """The last day of the period beginning on `start`."""
    if period == Period.DAY:
        return start
    if period == Period.YEAR:
        return start.replace(month=12, day=31)
    following = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


# ---------------------------------------------------------------------------------------------
# Writing


def reach(units: Iterable[Any]) -> dict[int, list[int]]:
    """{unit id: the ids of the unit and of every org above it, regionally and through its industry union} for
    units with `pk`, `path`, `industry_path` (orgs, or their values): one query."""
    from .models import Org

    wanted: dict[int, set[str]] = {}
    for unit in units:
        paths = set(ancestors(unit.path))
        if unit.industry_path:
            paths |= set(ancestors(unit.industry_path))
        wanted[unit.pk] = paths
    ids = dict(Org.objects.filter(path__in={p for paths in wanted.values() for p in paths}).values_list("path", "pk"))
    return {unit_id: sorted(ids[p] for p in paths if p in ids) for unit_id, paths in wanted.items()}


def add(unit: Any, day: datetime.date, deltas: Mapping[str, Number]) -> None:
    """Add `deltas` ({"innovation.submitted": 1, "innovation.benefit": Decimal("1200.50")}) to the figures of
    `unit`'s whole reach for the day, month and year of `day`."""
    add_many([(unit, day, key, value) for key, value in deltas.items()])


def add_many(entries: Iterable[tuple[Any, datetime.date, str, Number]]) -> None:
    """Add many (unit, day, metric, delta) at once — a batch of the learning fold, two unions of a match — in one
    statement (a unit is an org or anything with `pk`, `path`, `industry_path`)."""
    entries = [e for e in entries if e[3]]
    if not entries:
        return
    unknown = {e[2] for e in entries} - set(_metrics)
    if unknown:
        raise ValueError(f"undeclared metrics: {sorted(unknown)}")
    units = {e[0].pk: e[0] for e in entries}
    up = reach(units.values())
    totals: dict[Key, Number] = defaultdict(int)
    for unit, day, key, value in entries:
        for period, start in starts(day).items():
            for org_id in up[unit.pk]:
                totals[(org_id, key, period, start)] += value
    _upsert(totals)


def add_pair(a: Any, b: Any, day: datetime.date, deltas: Mapping[str, Number]) -> None:
    """Add `deltas` once to every org in the reach of `a` or of `b` (a match between two unions: the unions above
    both count it once)."""
    up = reach([a, b])
    ids = sorted(set(up[a.pk]) | set(up[b.pk]))
    totals: dict[Key, Number] = {}
    for key, value in deltas.items():
        if key not in _metrics:
            raise ValueError(f"undeclared metric: {key}")
        if value:
            for period, start in starts(day).items():
                for org_id in ids:
                    totals[(org_id, key, period, start)] = value
    _upsert(totals)


def _upsert(totals: Mapping[Key, Number]) -> None:
    rows = [(*key, value) for key, value in sorted(totals.items()) if value]
    if not rows:
        return
    q = connection.ops.quote_name
    table = q(Fact._meta.db_table)
    sql = (f"INSERT INTO {table} ({q('org_id')}, {q('metric')}, {q('period')}, {q('start')}, {q('value')}) "
           f"VALUES (%s, %s, %s, %s, %s) ON CONFLICT ({q('org_id')}, {q('metric')}, {q('period')}, {q('start')}) "
           f"DO UPDATE SET {q('value')} = {table}.{q('value')} + excluded.{q('value')}")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# ---------------------------------------------------------------------------------------------
# Rebuilding and checking


def computed(apps: Sequence[str] | None = None) -> dict[Key, Decimal]:
    """Every row the sources (of `apps`, or all) say the store should hold, zeros left out."""
    from .models import Org

    own: dict[tuple[int, str, datetime.date], Number] = defaultdict(int)
    paired: dict[tuple[int, int, str, datetime.date], Number] = defaultdict(int)
    for source in _sources.values():
        if apps is None or source.app in apps:
            for unit_id, day, key, value in source.rows():
                if value:
                    own[(unit_id, key, day)] += value
            for a_id, b_id, day, key, value in source.pairs() if source.pairs is not None else ():
                if value:
                    paired[(a_id, b_id, key, day)] += value
    unit_ids = {k[0] for k in own} | {u for k in paired for u in k[:2]}
    units = Org.objects.filter(pk__in=unit_ids).only("pk", "path", "industry_path") if unit_ids else []
    up = reach(units)
    totals: dict[Key, Decimal] = defaultdict(Decimal)
    for (unit_id, key, day), value in own.items():
        for period, start in starts(day).items():
            for org_id in up.get(unit_id, ()):
                totals[(org_id, key, period, start)] += Decimal(value)
    for (a_id, b_id, key, day), value in paired.items():
        for period, start in starts(day).items():
            for org_id in set(up.get(a_id, ())) | set(up.get(b_id, ())):
                totals[(org_id, key, period, start)] += Decimal(value)
    return {k: v for k, v in totals.items() if v}


def _metric_keys(apps: Sequence[str] | None) -> list[str]:
    return [k for k in _metrics if apps is None or k.split(".", 1)[0] in apps]


def _kept(apps: Sequence[str] | None) -> dict[Key, Decimal]:
    rows = Fact.objects.filter(metric__in=_metric_keys(apps)).exclude(value=0).values_list(
        "org_id", "metric", "period", "start", "value")
    return {(o, m, p, s): v for o, m, p, s, v in rows.iterator(chunk_size=10000)}


def differences(apps: Sequence[str] | None = None) -> dict[Key, tuple[Decimal, Decimal]]:
    """{row key: (kept, computed)} for every row where the store and the sources disagree (empty when right)."""
    want, have = computed(apps), _kept(apps)
    zero = Decimal(0)
    return {k: (have.get(k, zero), want.get(k, zero)) for k in set(want) | set(have)
            if have.get(k, zero) != want.get(k, zero)}


def rebuild(apps: Sequence[str] | None = None) -> int:
    """Make the store hold exactly what the sources say (of `apps`, or all); returns how many rows changed."""
    diff = differences(apps)
    if not diff:
        return 0
    drop = [k for k, (_have, want) in diff.items() if not want]
    for org_id, key, period, start in drop:
        Fact.objects.filter(org_id=org_id, metric=key, period=period, start=start).delete()
    _upsert({k: want - have for k, (have, want) in diff.items() if want})
    return len(diff)


# ---------------------------------------------------------------------------------------------
# Reading


def values(org_ids: Iterable[int], keys: Iterable[str], period: str,
           start: datetime.date) -> dict[tuple[int, str], Decimal]:
    """{(org id, metric): value} of the period beginning on `start` (missing rows are 0 to the caller)."""
    rows = Fact.objects.filter(org_id__in=list(org_ids), metric__in=list(keys), period=period, start=start)
    return {(o, m): v for o, m, v in rows.values_list("org_id", "metric", "value")}


def series(org_id: int, keys: Iterable[str], period: str, first: datetime.date,
           last: datetime.date) -> dict[str, dict[datetime.date, Decimal]]:
    """{metric: {period start: value}} of one org for the periods beginning between `first` and `last`."""
    out: dict[str, dict[datetime.date, Decimal]] = defaultdict(dict)
    rows = Fact.objects.filter(org_id=org_id, metric__in=list(keys), period=period, start__range=(first, last))
    for key, start, value in rows.values_list("metric", "start", "value"):
        out[key][start] = value
    return out
