"""The read model of the 统计 dashboard, shared by its page, its API and the home panel: for one org (any org the
user sees: its figures are its whole reach, the same for anyone who sees it) and one period, the KPI tiles (every
registered metric, grouped by app, beside the same period a year before), a trend, and the breakdown by child org
along the regional or the industry tree.

Everything is read from the fact store (`facts.values`, `facts.series`: index probes on orgs.Fact's one unique
index), never counted from the apps' rows: a page costs a handful of queries whatever the size of the province.
Metrics are whatever the apps registered (`facts.metrics()`): nothing here names one."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.apps import apps
from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError
from gongjiang.orgs import facts, tree_version
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.fact_models import Period
from gongjiang.orgs.models import Org

from .periods import Chosen

REGION, INDUSTRY = "region", "industry"
MAX_CHILDREN = 1000  # a breakdown lists at most this many children (an industry union's affiliates), by path
WAN = Decimal(10000)
ZERO = Decimal(0)


# ---------------------------------------------------------------------------------------------
# Metrics as the screen shows them


def app_label(app: str) -> str:
    """The Chinese name of the app a metric belongs to (its AppConfig's verbose_name), or the app's key."""
    try:
        return str(apps.get_app_config(app).verbose_name)
    except LookupError:
        return app


def shown(metric: facts.Metric, value: Decimal | int | None) -> Decimal:
    """The value as reports quote it: in 万元 where the metric says so (kept in yuan), rounded to its places."""
    v = Decimal(value or 0)
    if metric.wan:
        return (v / WAN).quantize(Decimal("0.01"))
    return v.quantize(Decimal(1).scaleb(-metric.places)) if metric.places else v.quantize(Decimal(1))


Shower = Callable[[Decimal | float | int | None], Decimal]


def shower(metric: facts.Metric) -> Shower:
    """`shown` for one metric, its rounding worked out once (a breakdown shows a few hundred values), taking a
    value read `raw` (facts.values) or converted."""
    key = (metric.wan, metric.places)
    found = _SHOWERS.get(key)
    if found is None:
        exact = facts.exact
        if metric.wan:
            cents = Decimal("0.01")

            def found(value: Decimal | float | int | None) -> Decimal:
                return (exact(value) / WAN).quantize(cents)
        else:
            places = Decimal(1).scaleb(-metric.places) if metric.places else Decimal(1)

            def found(value: Decimal | float | int | None) -> Decimal:
                return exact(value).quantize(places)
        _SHOWERS[key] = found
    return found


_SHOWERS: dict[tuple[bool, int], Shower] = {}


def unit(metric: facts.Metric) -> str:
    return _("10k yuan") if metric.wan else str(metric.unit)


def change_percent(value: Decimal, before: Decimal) -> Decimal | None:
    """The change against the year before in percent, one decimal; None when there was nothing before."""
    if not before:
        return None
    return ((value - before) * 100 / abs(before)).quantize(Decimal("0.1"))


def chosen_metrics(keys: Iterable[str] | None = None) -> list[facts.Metric]:
    """The registered metrics (those of `keys` only, in their registered order, when given)."""
    every = facts.metrics()
    if keys is None:
        return every
    wanted = set(keys)
    return [m for m in every if m.key in wanted]


def main_metrics() -> list[facts.Metric]:
    """The first metric of each app (the lowest `order`): what the home panel charts."""
    seen: dict[str, facts.Metric] = {}
    for m in facts.metrics():
        seen.setdefault(m.app, m)
    return list(seen.values())


def metric_or_error(key: str, *, field: str = "metric") -> facts.Metric:
    try:
        return facts.metric(key)
    except KeyError:
        raise DomainError(_("There is no metric “%(key)s”; the metrics are listed at /api/v1/stats/metrics.")
                          % {"key": key[:48]}, field=field, status=422) from None


# ---------------------------------------------------------------------------------------------
# KPI tiles


@dataclass(frozen=True)
class Tile:
    metric: facts.Metric
    value: Decimal  # as shown (万元 where the metric says so)
    before: Decimal  # the same period a year before
    change: Decimal | None  # percent

    @property
    def unit(self) -> str:
        return unit(self.metric)


@dataclass(frozen=True)
class Group:
    app: str
    label: str
    tiles: list[Tile] = field(default_factory=list)


def kept_for(metrics: Iterable[facts.Metric], period: Chosen) -> list[facts.Metric]:
    """The metrics the store keeps for `period`'s kind: a yearly state (rights' "enterprises with a workers'
    congress") has no month or day figure, so a month's or a day's view leaves it out rather than show a 0."""
    return [m for m in metrics if not m.yearly or period.kind == Period.YEAR]


def tiles(org: Org, period: Chosen, metrics: Sequence[facts.Metric] | None = None) -> list[Group]:
    """Every metric's value for `org` in `period` and a year before, grouped by app (one query)."""
    metrics = kept_for(metrics if metrics is not None else facts.metrics(), period)
    before = period.year_before()
    got = facts.values_at(org.pk, [m.key for m in metrics], period.kind, [period.start, before.start])
    now, then = got[period.start], got[before.start]
    groups: dict[str, Group] = {}
    for m in metrics:
        v, b = shown(m, now.get(m.key)), shown(m, then.get(m.key))
        group = groups.get(m.app)
        if group is None:
            group = groups[m.app] = Group(m.app, app_label(m.app))
        group.tiles.append(Tile(m, v, b, change_percent(v, b)))
    return list(groups.values())


# ---------------------------------------------------------------------------------------------
# Trend


@dataclass(frozen=True)
class Trend:
    periods: list[Chosen]
    metrics: list[facts.Metric]
    values: dict[str, list[Decimal]]  # metric key → one value per period (as shown)


def trend(org: Org, period: Chosen, metrics: Sequence[facts.Metric]) -> Trend:
    """The metrics over the trend of `period` (five years, twelve months or 31 days up to it): one query."""
    periods = period.trend()
    metrics = kept_for(metrics, period)
    got = facts.series(org.pk, [m.key for m in metrics], period.kind, periods[0].start, periods[-1].start)
    return Trend(periods, list(metrics), {m.key: [shown(m, got.get(m.key, {}).get(p.start)) for p in periods]
                                          for m in metrics})


# ---------------------------------------------------------------------------------------------
# Breakdown by child org


# what a breakdown row shows, in the model's field order (Org.from_db takes them so)
CHILD_FIELDS = ("id", "path", "depth", "name", "short_name", "kind", "industry_path")
REGIONAL, AFFILIATE, ITSELF = 0, 1, 2  # the parts of the breakdown's statement


def _statement(industry_union: bool, n_keys: int) -> str:
    """The breakdown's one statement (made once per vendor and shape): the org's regional children (active, in path
    order, at most MAX_CHILDREN), for an industry union also its affiliated units, each with its figures (a left
    join: a child without figures is listed too; only the children of the tree shown: an industry union's or the
    others), and the org's own figures. Parameters: the children's depth, path prefix and True, [the industry
    union's id and True,] then — when there are metrics — the metrics, the period and its start, the industry kind
    and whether the industry unions' and the others' figures are read, the org's id, the metrics, the period and
    its start for the org."""
    from django.db import connection

    key = (connection.vendor, industry_union, n_keys)
    sql = _STATEMENTS.get(key)
    if sql is not None:
        return sql
    q = connection.ops.quote_name
    org_table, fact_table = q(Org._meta.db_table), q(facts.Fact._meta.db_table)
    columns = ", ".join(q(Org._meta.get_field(f).column) for f in CHILD_FIELDS)
    startswith = "LIKE %s ESCAPE '\\'"  # the path's prefix, escaped by prep_for_like_query (as `startswith`)
    active = f"{q('is_active')} = %s"
    parts = [f"SELECT {REGIONAL} AS part, {columns} FROM (SELECT {columns} FROM {org_table} WHERE {q('depth')} = %s "
             f"AND {q('path')} {startswith} AND {active} ORDER BY {q('path')} LIMIT {MAX_CHILDREN}) regional"]
    if industry_union:
        parts.append(f"SELECT {AFFILIATE}, {columns} FROM (SELECT {columns} FROM {org_table} WHERE "
                     f"{q(Org._meta.get_field('industry_union').column)} = %s AND {active} ORDER BY {q('path')} "
                     f"LIMIT {MAX_CHILDREN}) affiliates")
    kids = " UNION ALL ".join(parts)
    if not n_keys:
        sql = f"SELECT part, {columns}, NULL, NULL FROM ({kids}) c"
    else:
        which = (f"{q('metric')} IN {facts.in_list(n_keys)} AND f.{q('period')} = %s AND f.{q('start')} = %s")
        nulls = ", ".join(["NULL"] * len(CHILD_FIELDS))
        sql = (f"SELECT c.part, {', '.join(f'c.{c}' for c in columns.split(', '))}, f.{q('metric')}, f.{q('value')} "
               f"FROM ({kids}) c LEFT JOIN {fact_table} f ON f.{q('org_id')} = c.{q('id')} AND f.{which} "
               f"AND CASE WHEN c.{q('kind')} = %s THEN %s ELSE %s END "
               f"UNION ALL SELECT {ITSELF}, {nulls}, f.{q('metric')}, f.{q('value')} FROM {fact_table} f "
               f"WHERE f.{q('org_id')} = %s AND f.{which}")
    _STATEMENTS[key] = sql
    return sql


_STATEMENTS: dict[tuple[str, bool, int], str] = {}


class Child(NamedTuple):
    """A child org as the breakdown shows it (CHILD_FIELDS, as read): immutable, so the children of an org are kept
    between requests (`_kept`); `pk` and `display_name` as an Org has them (the page, the API, the export)."""

    id: int
    path: str
    depth: int
    name: str
    short_name: str
    kind: str
    industry_path: str

    @property
    def pk(self) -> int:
        return self.id

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


Along = dict[str, tuple[Child, ...]]  # tree → the children along it


def _read(org: Org, keys: Sequence[str], period: Chosen | None,
          tree: str | None = None) -> tuple[Along, dict[tuple[int, str], Decimal]]:
    """The org's children along each tree (`by_tree`) and {(org id, metric): value} of the org and of the children
    along `tree` (REGION when not given; both trees for an industry union) in `period` for `keys`: one query,
    whatever the number of children. Keeps the children read (`_kept`)."""
    from django.db import connection

    union = org.kind == OrgKind.INDUSTRY
    keys = list(keys) if period is not None else []
    params: list[Any] = [org.depth + 1, connection.ops.prep_for_like_query(org.path) + "%", True]
    types = ["integer", "text", "boolean"]
    if union:
        params += [org.pk, True]
        types += ["bigint", "boolean"]
    if keys and period is not None:
        which = [*keys, period.kind, period.start]
        industry, others = (True, True) if union else (tree == INDUSTRY, tree != INDUSTRY)
        params += [*which, OrgKind.INDUSTRY.value, industry, others, org.pk, *which]
        types += (["text"] * len(keys) + ["text", "date", "text", "boolean", "boolean", "bigint"]
                  + ["text"] * len(keys) + ["text", "date"])
    version = tree_version.current()
    convert = facts.converters(None, *(Org._meta.get_field(f) for f in CHILD_FIELDS),
                               *facts.fact_fields("metric", "value"))
    rows = facts.fetch("gj_stats_breakdown", _statement(union, len(keys)), types, params, convert)
    regional: dict[int, Child] = {}
    affiliates: dict[int, Child] = {}
    got: dict[tuple[int, str], Decimal] = {}
    for part, *row, metric, value in rows:
        if part == ITSELF:
            pk = org.pk
        else:
            pk = row[0]
            found = regional if part == REGIONAL else affiliates
            if pk not in found:
                found[pk] = Child(*row)
        if metric is not None:
            got[(pk, metric)] = value
    region = sorted(regional.values(), key=lambda r: r.path)
    if union:
        both = sorted({**affiliates, **regional}.values(), key=lambda r: r.path)
        along = {REGION: tuple(region), INDUSTRY: tuple(both[:MAX_CHILDREN])}
    else:
        along = {REGION: tuple(r for r in region if r.kind != OrgKind.INDUSTRY),
                 INDUSTRY: tuple(r for r in region if r.kind == OrgKind.INDUSTRY)}
    _keep(org, version, along)
    return along, got


# The children of the orgs read lately, per process: {(org id, path, depth, kind): (the tree's version, when read,
# children)}. An org's children change rarely; a page, its chart switch and the API read the same ones again and
# again. Kept until this process changes an org (orgs.tree_version) and at most tree_version.MAX_AGE seconds (a
# change made by another process shows after that).
_KEPT: dict[tuple[int, str, int, str], tuple[int, float, Along]] = {}
KEPT_AT_MOST = 10000  # orgs (a province has a few thousand above its enterprises)


def _key(org: Org) -> tuple[int, str, int, str]:
    return (org.pk, org.path, org.depth, org.kind)


def _keep(org: Org, version: int, along: Along) -> None:
    if len(_KEPT) >= KEPT_AT_MOST:
        _KEPT.clear()
    _KEPT[_key(org)] = (version, time.monotonic(), along)


def _kept(org: Org) -> Along | None:
    found = _KEPT.get(_key(org))
    if found is None or found[0] != tree_version.current() or time.monotonic() - found[1] > tree_version.MAX_AGE:
        return None
    return found[2]


def _along(org: Org) -> Along:
    kept = _kept(org)
    return kept if kept is not None else _read(org, [], None)[0]


def _orgs(rows: Iterable[Child]) -> list[Org]:
    from django.db import connection

    return [Org.from_db(connection.alias, CHILD_FIELDS, list(r)) for r in rows]


def by_tree(org: Org) -> dict[str, list[Org]]:
    """The org's children along each tree (active ones, in path order, at most MAX_CHILDREN each): one query (none
    when kept from a moment ago).

    - REGION: its regional children; for an org that is not an industry union, its industry unions are left out
      (their figures are their affiliated units', already counted under the cities and counties).
    - INDUSTRY: for an industry union, its directly affiliated units and its regional children; for another org,
      the industry unions among its regional children."""
    return {t: _orgs(rows) for t, rows in _along(org).items()}


def children(org: Org, tree: str) -> list[Org]:
    return by_tree(org)[tree if tree == INDUSTRY else REGION]


def trees(org: Org) -> list[str]:
    """The trees along which the org has children (both: the page offers a switch)."""
    return [t for t, kids in _along(org).items() if kids]


@dataclass(frozen=True)
class Row:
    org: Child | None  # None: the rest (the org itself and whatever no listed child reaches)
    values: dict[str, Decimal]  # metric key → value (as shown)

    @property
    def name(self) -> str:
        return self.org.display_name if self.org else _("Itself and units not listed")


@dataclass(frozen=True)
class Breakdown:
    tree: str
    trees: list[str]
    metrics: list[facts.Metric]
    rows: list[Row]
    rest: Row | None  # what the org's own figure has beyond its children's (None when nothing)
    total: dict[str, Decimal]


def breakdown(org: Org, period: Chosen, metrics: Sequence[facts.Metric], tree: str | None = None) -> Breakdown:
    """The metrics of each child of `org` along `tree` (the first one it has, when not given) in `period`, with the
    org's own figure and what it has beyond its children ("itself and units not listed"): one query — the figures
    of the org and of the children shown when its children are kept from a moment ago, else the children of both
    trees with the figures of those shown (two when an org has no children but industry unions)."""
    metrics = kept_for(metrics, period)
    keys = [m.key for m in metrics]
    asked = tree if tree in (REGION, INDUSTRY) else None
    along = _kept(org)
    if along is not None:
        available = [t for t, found in along.items() if found]
        tree = asked or (available[0] if available else REGION)
        got = facts.values([org.pk, *(k.id for k in along[tree])], keys, period.kind, period.start, raw=True)
    else:
        along, got = _read(org, keys, period, asked)
        available = [t for t, found in along.items() if found]
        tree = asked or (available[0] if available else REGION)
        if asked is None and tree == INDUSTRY and org.kind != OrgKind.INDUSTRY and keys:
            got = facts.values([org.pk, *(k.id for k in along[tree])], keys, period.kind, period.start)
    kids = along[tree]
    show = [(m.key, shower(m)) for m in metrics]
    rows = [Row(k, {key: f(got.get((k.id, key))) for key, f in show}) for k in kids]
    total = {key: f(got.get((org.pk, key))) for key, f in show}
    rest_values = {key: total[key] - sum((r.values[key] for r in rows), ZERO) for key in keys}
    rest = Row(None, rest_values) if kids and any(rest_values.values()) else None
    return Breakdown(tree, available, list(metrics), rows, rest, total)


def tree_label(tree: str) -> str:
    return _("Regional tree") if tree == REGION else _("Industry tree")


# ---------------------------------------------------------------------------------------------
# The whole dashboard, as data (the page's charts, the API)


def number(v: Decimal) -> float | int:
    """A JSON number for a chart (ints stay ints)."""
    return int(v) if v == v.to_integral_value() else float(v)


def metric_data(m: facts.Metric) -> dict[str, Any]:
    return {"key": m.key, "app": m.app, "app_label": app_label(m.app), "label": str(m.label), "unit": unit(m),
            "stored_unit": str(m.unit), "definition": str(m.definition), "places": m.places, "wan": m.wan}


def focus(app: str | None, metric: str | None) -> tuple[str | None, facts.Metric | None, list[facts.Metric]]:
    """The app group the trend and the breakdown show and the metric the breakdown's bars show: `app` and `metric`
    when given and registered (a metric picks its app), else the first app and its first metric. Returns (app,
    metric, the app's metrics); (None, None, []) when no metric is registered."""
    every = facts.metrics()
    if not every:
        return None, None, []
    chosen = metric_or_error(metric) if metric else None
    if chosen is not None:
        app = chosen.app
    elif app not in {m.app for m in every}:
        app = every[0].app
    group = [m for m in every if m.app == app]
    return app, chosen or group[0], group


def data(org: Org, period: Chosen, *, tree: str | None = None, app: str | None = None,
         metric: str | None = None) -> dict[str, Any]:
    """The dashboard of `org` for `period` as plain data: tiles, the trend and the breakdown of the focused app."""
    app, focused, group = focus(app, metric)
    groups = tiles(org, period)
    line = trend(org, period, group)
    parts = breakdown(org, period, group, tree)
    return {
        "org": {"id": org.pk, "name": org.name, "kind": org.kind},
        "period": {"kind": period.kind_name, "code": period.code, "label": period.label,
                   "start": period.start.isoformat(), "end": period.end.isoformat(),
                   "year_before": period.year_before().code},
        "app": app, "metric": focused.key if focused else None,
        "metrics": [metric_data(m) for m in facts.metrics()],
        "tiles": [{"app": g.app, "label": g.label, "items": [
            {"metric": t.metric.key, "label": str(t.metric.label), "unit": t.unit, "value": number(t.value),
             "year_before": number(t.before), "change_percent": None if t.change is None else float(t.change)}
            for t in g.tiles]} for g in groups],
        "trend": {"periods": [p.code for p in line.periods],
                  "series": [{"metric": m.key, "label": str(m.label), "unit": unit(m),
                              "values": [number(v) for v in line.values[m.key]]} for m in line.metrics]},
        "breakdown": {"tree": parts.tree, "trees": parts.trees,
                      "rows": [{"org": {"id": r.org.pk, "name": r.org.display_name, "kind": r.org.kind},
                                "values": {k: number(v) for k, v in r.values.items()}} for r in parts.rows if r.org],
                      "rest": {k: number(v) for k, v in parts.rest.values.items()} if parts.rest else None,
                      "total": {k: number(v) for k, v in parts.total.items()}},
    }
