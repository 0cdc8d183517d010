"""Pre-aggregated figures of the org tree, so no page ever counts people or walks a subtree.

Every org carries two sets of counters:

- its *own* figures — people it employs (`person_count`), members it holds (`member_count`), and of its
  people the front-line workers and migrant workers;
- its *subtree* figures (`tree_*`): the same sums over itself and every unit below it, plus the number of
  units (`tree_orgs`), of active units (`tree_active`) and of active units of each kind (`tree_city`,
  `tree_grassroots`, … : `KIND_TO_TREE`, the overview's units by kind).

A province page then reads 16 city rows instead of summing 44,716 orgs (docs/BENCHMARKS.md §2).

How they stay right:

- Writers of people and memberships call `refresh(org_ids)` with the orgs they touched, once, at the end of
  their transaction. It reads, in ONE statement, the stored own counters next to the true counts (so both
  come from one snapshot), and adds the *differences* (never absolute values) to the org and to its
  ancestors' subtree counters. Two transactions touching the same union both add their own difference, so
  neither overwrites the other.
- Tree changes (a unit added, moved, deactivated, reactivated, its kind changed) call the matching function below.
- Every change first locks the affected rows in path order (root first), so two writers never deadlock
  on an ancestor chain; the lock is held only from the end of the writer's work to its commit.
- `rebuild()` recomputes everything from the rows (repair tool, and the demo loader's last step).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from .choices import MembershipStatus, OrgKind

# own counter → its subtree sum
OWN_TO_TREE = {
    "person_count": "tree_people",
    "member_count": "tree_members",
    "front_line_count": "tree_front_line",
    "migrant_count": "tree_migrant",
}
OWN = tuple(OWN_TO_TREE)
# kind → its subtree counter: the active units of that kind in the subtree (the org itself included)
KIND_TO_TREE = {kind: f"tree_{kind}" for kind in OrgKind.values}
TREE = ("tree_orgs", "tree_active", *OWN_TO_TREE.values(), *KIND_TO_TREE.values())
STEP = 4  # Org.steplen (not imported: models import this module)


def chain(path: str) -> list[str]:
    """The paths of the node at `path` and of its ancestors, root first."""
    return [path[:i] for i in range(STEP, len(path) + 1, STEP)]


def _models() -> Any:
    from . import models

    return models


def _true_counts(org_ids: list[int]) -> list[dict[str, Any]]:
    """Stored own counters and the true counts of `org_ids`, read in one statement."""
    m = _models()

    def count(qs: Any, key: str) -> Coalesce:
        sub = qs.filter(**{key: OuterRef("pk")}).order_by().values(key).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(sub, output_field=IntegerField()), 0)

    people = m.Person.objects.all()
    return list(
        m.Org.objects.filter(pk__in=org_ids).order_by().annotate(
            true_person_count=count(people, "employer"),
            true_front_line_count=count(people.filter(is_front_line=True), "employer"),
            true_migrant_count=count(people.filter(is_migrant=True), "employer"),
            true_member_count=count(m.Membership.objects.filter(status=MembershipStatus.ACTIVE), "union"),
        ).values("pk", "path", *OWN, *(f"true_{f}" for f in OWN))
    )


def refresh(org_ids: Iterable[int | None]) -> None:
    """Bring the own counters of `org_ids` to the truth and carry the differences up the tree.

    Call it at the end of a transaction that added, removed or moved people or memberships, or changed
    their front-line / migrant flags, with every org whose people or members changed."""
    ids = sorted({i for i in org_ids if i is not None})
    if not ids:
        return
    own: dict[str, dict[str, int]] = {}
    tree: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in _true_counts(ids):
        diff = {f: row[f"true_{f}"] - row[f] for f in OWN if row[f"true_{f}"] != row[f]}
        if not diff:
            continue
        own[row["path"]] = diff
        for p in chain(row["path"]):
            for f, d in diff.items():
                tree[p][OWN_TO_TREE[f]] += d
    _apply(own, tree)


def _apply(own: dict[str, dict[str, int]], tree: dict[str, dict[str, int]]) -> None:
    """Add the given differences: `own` to orgs' own counters, `tree` to subtree counters, by path.

    Locks the rows in path order first, then groups rows with the same differences into one UPDATE."""
    m = _models()
    paths = sorted(set(own) | set(tree))
    if not paths:
        return
    if connection.features.has_select_for_update and connection.in_atomic_block:
        list(m.Org.objects.select_for_update().filter(path__in=paths).order_by("path").values_list("pk"))
    groups: dict[tuple[tuple[str, int], ...], list[str]] = defaultdict(list)
    for p in paths:
        change = {**own.get(p, {}), **{f: d for f, d in tree.get(p, {}).items() if d}}
        if change:
            groups[tuple(sorted(change.items()))].append(p)
    for diffs, group in groups.items():
        m.Org.objects.filter(path__in=group).update(**{f: F(f) + d for f, d in diffs})


def _subtree_figures(org: Any) -> dict[str, int]:
    return {f: getattr(org, f) for f in TREE}


def org_added(org: Any) -> None:
    """A new (active, empty) unit, a root too: its ancestors count one more unit, and it and they one more active
    unit of its kind. Its own row starts at 1/1/0… (the fields' defaults) and 0 of every kind."""
    kind = KIND_TO_TREE[org.kind]
    _apply({org.path: {kind: 1}}, {p: {"tree_orgs": 1, "tree_active": 1, kind: 1} for p in chain(org.path)[:-1]})
    setattr(org, kind, getattr(org, kind) + 1)


def kind_changed(org: Any, old_kind: str) -> None:
    """`org` (active or not, saved with its new kind) was of `old_kind`: if active, it and its ancestors count one
    unit of its new kind instead."""
    if not org.is_active or old_kind == org.kind:
        return
    old, new = KIND_TO_TREE[old_kind], KIND_TO_TREE[org.kind]
    _apply({}, {p: {old: -1, new: 1} for p in chain(org.path)})


def subtree_moved(old_path: str, new_path: str, figures: dict[str, int]) -> None:
    """A subtree with `figures` (its root's `tree_*` values) moved from `old_path` to `new_path`: the old
    ancestors lose its figures, the new ones gain them (shared ancestors are untouched)."""
    tree: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for p in chain(old_path)[:-1]:
        for f, v in figures.items():
            tree[p][f] -= v
    for p in chain(new_path)[:-1]:
        for f, v in figures.items():
            tree[p][f] += v
    _apply({}, tree)


def subtree_deactivated(org: Any, active_before: int) -> None:
    """`org` (its counters as they were) and its subtree were deactivated: no active units below it any more."""
    m = _models()
    kinds = KIND_TO_TREE.values()
    m.Org.objects.filter(path__startswith=org.path).update(tree_active=0, **dict.fromkeys(kinds, 0))
    lost = {"tree_active": -active_before, **{f: -getattr(org, f) for f in kinds if getattr(org, f)}}
    _apply({}, {p: lost for p in chain(org.path)[:-1]})


def subtree_reactivated(org: Any) -> None:
    """`org` and its subtree were reactivated: every unit below it is active again."""
    m = _models()
    m.Org.objects.filter(path__startswith=org.path).update(tree_active=F("tree_orgs"))
    _recount_kinds(org.path)
    after = m.Org.objects.get(pk=org.pk)
    kinds = {f: getattr(after, f) for f in KIND_TO_TREE.values() if getattr(after, f)}
    gained = {"tree_active": after.tree_orgs, **kinds}
    _apply({}, {p: gained for p in chain(org.path)[:-1]})


def _recount_kinds(path: str) -> None:
    """Set the units-by-kind counters of the subtree at `path` from its rows (every unit of it active: a
    reactivation)."""
    m = _models()
    rows = list(m.Org.objects.filter(path__startswith=path).order_by().values_list("pk", "path", "kind"))
    sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KIND_TO_TREE.values(), 0))
    for _pk, p, kind in rows:
        for a in chain(p)[len(path) // STEP - 1:]:
            sums[a][KIND_TO_TREE[kind]] += 1
    _write_counters(m, list(KIND_TO_TREE.values()), [(*sums[p].values(), pk) for pk, p, _kind in rows])


def rebuild(models: Any = None) -> int:
    """Recompute every own and subtree counter from the rows; return how many orgs changed.

    One grouped query per source table and one pass over the org table (44,716 rows for the 2,000,000-
    person province: about a second). `models` (with Org, Person, Membership) lets a migration pass its
    historical models."""
    m = models or _models()
    own: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OWN, 0))
    for employer, n, front, migrant in (
        m.Person.objects.order_by().values("employer")
        .annotate(n=Count("pk"), f=Count("pk", filter=Q(is_front_line=True)),
                  g=Count("pk", filter=Q(is_migrant=True)))
        .values_list("employer", "n", "f", "g")
    ):
        own[employer].update(person_count=n, front_line_count=front, migrant_count=migrant)
    for union, n in (m.Membership.objects.filter(status=MembershipStatus.ACTIVE).order_by().values("union")
                     .annotate(n=Count("pk")).values_list("union", "n")):
        own[union]["member_count"] = n
    # The counters the model has (a migration's historical model may predate the later ones).
    present = {f.name for f in m.Org._meta.concrete_fields}
    tree = tuple(f for f in TREE if f in present)
    kinds = {k: f for k, f in KIND_TO_TREE.items() if f in present}
    fields = ("pk", "path", "is_active", "kind", *OWN, *tree)
    rows = list(m.Org.objects.order_by().values_list(*fields))
    sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(tree, 0))
    for pk, path, active, kind, *_ in rows:
        mine = own.get(pk) or dict.fromkeys(OWN, 0)
        by_kind = kinds.get(kind) if active else None
        for p in chain(path):
            s = sums[p]
            s["tree_orgs"] += 1
            s["tree_active"] += active
            for f, t in OWN_TO_TREE.items():
                s[t] += mine[f]
            if by_kind:
                s[by_kind] += 1
    changed = []
    for pk, path, _active, _kind, *stored in rows:
        mine = own.get(pk) or dict.fromkeys(OWN, 0)
        want = [*(mine[f] for f in OWN), *(sums[path][f] for f in tree)]
        if list(stored) != want:
            changed.append((*want, pk))
    _write_counters(m, [*OWN, *tree], changed)
    return len(changed)


def _write_counters(m: Any, fields: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Set `fields` of many orgs: `rows` are their values in that order, then the org's id. One prepared UPDATE
    for all the rows (bulk_update's CASE per field is quadratic on 44,716 orgs)."""
    if not rows:
        return
    meta = m.Org._meta
    quote = connection.ops.quote_name
    sets = ", ".join(f"{quote(meta.get_field(f).column)} = %s" for f in fields)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(meta.pk.column)} = %s", rows)


def lock(*paths: str) -> None:
    """Lock the orgs at `paths` and their ancestors, root first, before a writer locks any org itself.

    Every counter update locks its ancestor chain root first; a writer that locked an org lower down
    first and then updated counters could deadlock with one that holds the root. Writers that lock orgs
    (create, move, deactivate, reactivate) therefore take the chain here first."""
    if not connection.features.has_select_for_update or not connection.in_atomic_block:
        return  # nothing to lock outside a transaction (a script in autocommit mode)
    wanted = sorted({p for path in paths for p in chain(path)})
    list(_models().Org.objects.select_for_update().filter(path__in=wanted).order_by("path").values_list("pk"))
