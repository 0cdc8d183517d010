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
locked only from the verb's write to its commit. Readers: `values`, `values_at`, `series` below (stats' pages and
API, the apps' figure panels).
"""

from __future__ import annotations

import datetime
import decimal
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
    # A state counted once a year (on 1 January: "enterprises with a workers' congress in the year"): kept for the
    # year only — a day and a month row of it would say nothing and cost as many rows again.
    yearly: bool = False

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


def _starts(key: str, day: datetime.date) -> dict[str, datetime.date]:
    """The periods a metric is kept for, holding `day`: all three, or the year alone for a yearly state."""
    metric = _metrics.get(key)
    if metric is not None and metric.yearly:
        return {Period.YEAR: day.replace(month=1, day=1)}
    return starts(day)


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
        for period, start in _starts(key, day).items():
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
            for period, start in _starts(key, day).items():
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
        for period, start in _starts(key, day).items():
            for org_id in up.get(unit_id, ()):
                totals[(org_id, key, period, start)] += Decimal(value)
    for (a_id, b_id, key, day), value in paired.items():
        for period, start in _starts(key, day).items():
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
    if drop:
        q = connection.ops.quote_name
        sql = (f"DELETE FROM {q(Fact._meta.db_table)} WHERE {q('org_id')} = %s AND {q('metric')} = %s "
               f"AND {q('period')} = %s AND {q('start')} = %s")
        with connection.cursor() as cursor:
            cursor.executemany(sql, drop)
    _upsert({k: want - have for k, (have, want) in diff.items() if want})
    return len(diff)


# ---------------------------------------------------------------------------------------------
# Reading


# Hand-written statements (made once per database vendor and shape, prepared once per PostgreSQL connection by
# gongjiang.core.statements), their columns converted as the ORM would convert them: a dashboard reads a few rows
# per call, and compiling the equivalent querysets cost three times what running them did (docs/BENCHMARKS.md §15).

Converters = list[tuple[int, Any, list[Any]]]
_CONVERTERS: dict[tuple[Any, ...], Converters] = {}
_STATEMENTS: dict[tuple[Any, ...], str] = {}


def converters(*fields: Any) -> Converters:
    """(index, column, converters) of a statement's columns, each a model field (or None: read as it is), that the
    ORM converts when it reads them from this database (SQLite's decimals and dates); made once per vendor."""
    key = (connection.vendor, *fields)
    found = _CONVERTERS.get(key)
    if found is None:
        found = []
        for i, f in enumerate(fields):
            if f is not None:
                col = f.get_col(f.model._meta.db_table)
                convert = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                if convert:
                    found.append((i, col, convert))
        _CONVERTERS[key] = found
    return found


def fact_fields(*names: str) -> list[Any]:
    return [Fact._meta.get_field(n) for n in names]


def fetch(name: str, sql: str, types: Sequence[str], params: Sequence[Any], convert: Converters) -> list[list[Any]]:
    """The rows of a hand-written statement (`statements.execute`), converted by `convert` (`converters`)."""
    from gongjiang.core import statements

    with connection.cursor() as cursor:
        statements.execute(cursor, name, sql, types, params)
        if not convert:
            return cursor.fetchall()  # type: ignore[no-any-return]
        rows = [list(r) for r in cursor.fetchall()]
    for row in rows:
        for i, col, functions in convert:
            for function in functions:
                row[i] = function(row[i], col, connection)
    return rows


def in_list(n: int) -> str:
    return "(" + ", ".join(["%s"] * n) + ")"


def _statement(kind: str, n_orgs: int, n_keys: int, n_starts: int = 1) -> str:
    key = (connection.vendor, kind, n_orgs, n_keys, n_starts)
    sql = _STATEMENTS.get(key)
    if sql is None:
        q = connection.ops.quote_name
        columns = {"values": "org_id, metric, value", "starts": "metric, start, value",
                   "series": "metric, start, value"}
        where = (f"{q('org_id')} IN {in_list(n_orgs)}" if n_orgs > 1 else f"{q('org_id')} = %s") + (
            f" AND {q('metric')} IN {in_list(n_keys)} AND {q('period')} = %s AND {q('start')} ")
        where += "BETWEEN %s AND %s" if kind == "series" else f"IN {in_list(n_starts)}" if n_starts > 1 else "= %s"
        sql = _STATEMENTS[key] = (f"SELECT {', '.join(q(c) for c in columns[kind].split(', '))} "
                                  f"FROM {q(Fact._meta.db_table)} WHERE {where}")
    return sql


def values(org_ids: Iterable[int], keys: Iterable[str], period: str, start: datetime.date, *,
           raw: bool = False) -> dict[tuple[int, str], Decimal]:
    """{(org id, metric): value} of the period beginning on `start` (missing rows are 0 to the caller): one
    statement (none when there are no orgs or no metrics). `raw`: the values as the database driver gives them
    (SQLite's ints and floats, not converted to Decimal as the ORM would: for a caller converting them itself,
    see `exact`)."""
    ids, ks = list(org_ids), list(keys)
    if not ids or not ks:
        return {}
    rows = fetch("gj_fact_values", _statement("values", len(ids), len(ks)),
                 ["bigint"] * len(ids) + ["text"] * len(ks) + ["text", "date"], [*ids, *ks, period, start],
                 [] if raw else converters(*fact_fields("org", "metric", "value")))
    return {(o, m): v for o, m, v in rows}


_FROM_FLOAT = decimal.Context(prec=15).create_decimal_from_float  # as Django's SQLite backend reads a decimal
_CENTS = Decimal("0.01")


def exact(value: Decimal | float | int | None) -> Decimal:
    """A value read `raw` as the ORM would have read it (SQLite keeps a decimal as an integer or a float: the
    float's 15 significant digits, to the field's two places), 0 for None."""
    if value.__class__ is float:
        return _FROM_FLOAT(value).quantize(_CENTS, context=_VALUE_CONTEXT)
    return Decimal(value or 0)


_VALUE_CONTEXT = decimal.Context(prec=Fact._meta.get_field("value").max_digits)


def values_at(org_id: int, keys: Iterable[str], period: str,
              starts: Sequence[datetime.date]) -> dict[datetime.date, dict[str, Decimal]]:
    """{period start: {metric: value}} of one org for the periods beginning on each of `starts` (e.g. this year and
    the year before): one statement (none when there are no metrics or periods)."""
    ks, days = list(keys), list(dict.fromkeys(starts))
    out: dict[datetime.date, dict[str, Decimal]] = {d: {} for d in days}
    if not ks or not days:
        return out
    rows = fetch("gj_fact_values_at", _statement("starts", 1, len(ks), len(days)),
                 ["bigint"] + ["text"] * len(ks) + ["text"] + ["date"] * len(days), [org_id, *ks, period, *days],
                 converters(*fact_fields("metric", "start", "value")))
    for key, start, value in rows:
        out[start][key] = value
    return out


def series(org_id: int, keys: Iterable[str], period: str, first: datetime.date,
           last: datetime.date) -> dict[str, dict[datetime.date, Decimal]]:
    """{metric: {period start: value}} of one org for the periods beginning between `first` and `last`: one
    statement (none when there are no metrics)."""
    out: dict[str, dict[datetime.date, Decimal]] = defaultdict(dict)
    ks = list(keys)
    if not ks:
        return out
    rows = fetch("gj_fact_series", _statement("series", 1, len(ks)),
                 ["bigint"] + ["text"] * len(ks) + ["text", "date", "date"], [org_id, *ks, period, first, last],
                 converters(*fact_fields("metric", "start", "value")))
    for key, start, value in rows:
        out[key][start] = value
    return out
