"""Bulk inserts for large imports: PostgreSQL COPY (about 8× bulk_create), bulk_create elsewhere.

Primary keys are set on the objects in both cases (COPY takes ids reserved from the sequence first),
so callers can insert dependent rows next."""

from __future__ import annotations

import json as _json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils import timezone

M = TypeVar("M", bound=models.Model)
Getter = Callable[[models.Model], Any]


def _column(field: object) -> str:
    """The database column of a concrete field (Django's types allow none: a reverse relation has none)."""
    column = getattr(field, "column", None)
    if not isinstance(column, str):
        raise ValueError(f"{field} has no database column")
    return column


def bulk_insert(model: type[M], objs: list[M], batch_size: int = 5000) -> list[M]:
    """Insert unsaved model instances and set their primary keys: COPY on PostgreSQL, a prepared
    executemany INSERT elsewhere (several times faster than bulk_create, which compiles SQL per batch and
    prepares every value through the ORM). auto_now/auto_now_add fields and JSON fields are handled."""
    if not objs:
        return objs
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not (f.primary_key and connection.vendor != "postgresql")]
    getters = [_value_getter(f) for f in fields]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids = reserve_ids(model, len(objs))
            for obj, pk in zip(objs, ids, strict=True):
                obj.pk = pk
            columns = ", ".join(connection.ops.quote_name(_column(f)) for f in fields)
            sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for obj in objs:
                    copy.write_row([get(obj) for get in getters])
        else:
            for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
                obj.pk = pk
            names = [_column(meta.pk)] + [_column(f) for f in fields]
            columns = ", ".join(connection.ops.quote_name(c) for c in names)
            sql = (f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "
                   f"VALUES ({', '.join(['%s'] * len(names))})")
            for start in range(0, len(objs), batch_size):
                cursor.executemany(sql, [(obj.pk, *(get(obj) for get in getters))
                                         for obj in objs[start:start + batch_size]])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = "default"
    return objs


Rows = Sequence[models.Model] | Mapping[str, Sequence[Any]]
"""The rows of one model for `insert_together`: unsaved instances, or plain columns {field name: values} (an index's
many small rows, where making instances would cost more than writing them)."""

# name -> the statement and, per group, its fields and their getters (made once per process)
_TOGETHER: dict[tuple[str, tuple[bool, ...]], tuple[
    str, list[str], list[list[tuple[models.Field[Any, Any], bool, Getter]]]]] = {}


def insert_together(name: str, groups: Sequence[tuple[type[models.Model], Rows]]) -> None:
    """Insert the rows of several models — a row and what hangs off it — in ONE statement on PostgreSQL: a
    data-modifying WITH per model, each model's rows sent as one array per column (`unnest`), prepared once per
    connection as `name` (core.statements), so the statement's text is the same whatever the number of rows. One
    statement is atomic by itself: no transaction (BEGIN, COMMIT) is needed around it, and its foreign keys are
    checked at its end, when every row is in. Elsewhere (SQLite) one executemany INSERT per model, inside the
    caller's transaction.

    Instances: the primary key column is written when they carry one (reserved with `reserve_ids`), else left to
    the database (for rows nothing refers to, such as audit events); auto_now fields are stamped. Columns: the
    fields named, nothing else. `name` must be given to one shape of groups only (the same models, the same
    fields, the same choice of primary keys): it names the statement made for the first call."""
    from . import statements

    singles = tuple(not isinstance(rows, Mapping) and len(rows) == 1 for _model, rows in groups)
    plan = _TOGETHER.get((name, singles))
    if plan is None:
        plan = _TOGETHER[(name, singles)] = _together_plan(groups, singles)
    sql, types, group_fields = plan
    now = timezone.now()
    arrays: list[list[Any]] = []
    for (_model, rows), fields in zip(groups, group_fields, strict=True):
        if isinstance(rows, Mapping):
            arrays += [list(rows[f.name]) for f, _stamp, _get in fields]
            continue
        for f, stamp, get in fields:
            if stamp:
                for obj in rows:
                    setattr(obj, f.attname, now)
            arrays.append([get(obj) for obj in rows])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # a group of one row sends its values as they are (an array costs more to send than its value)
            values = [column[0] if single else column
                      for (single, fields), columns in _by_group(singles, group_fields, arrays)
                      for column in columns]
            statements.execute(cursor, name, sql, types, values)
            return
        at = 0
        for (model, _rows), fields in zip(groups, group_fields, strict=True):
            columns = arrays[at:at + len(fields)]
            at += len(fields)
            quoted = ", ".join(connection.ops.quote_name(_column(f)) for f, _s, _g in fields)
            cursor.executemany(f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({quoted}) "
                               f"VALUES ({', '.join(['%s'] * len(fields))})", list(zip(*columns, strict=True)))


def _by_group(singles: tuple[bool, ...], group_fields: list[list[Any]],
              arrays: list[list[Any]]) -> Iterable[tuple[tuple[bool, list[Any]], list[list[Any]]]]:
    at = 0
    for single, fields in zip(singles, group_fields, strict=True):
        yield (single, fields), arrays[at:at + len(fields)]
        at += len(fields)


def _together_plan(groups: Sequence[tuple[type[models.Model], Rows]], singles: tuple[bool, ...]) -> tuple[
        str, list[str], list[list[tuple[models.Field[Any, Any], bool, Getter]]]]:
    """`insert_together`'s statement for PostgreSQL (a group of one row as VALUES, the others as arrays), its
    parameters' types, and per group its fields with whether each is stamped with the time and how its value is read
    from an instance."""
    parts, types, group_fields = [], [], []
    for (model, rows), single in zip(groups, singles, strict=True):
        meta = model._meta
        fields: list[models.Field[Any, Any]]
        if isinstance(rows, Mapping):
            fields = [f for f in (meta.get_field(n) for n in rows) if isinstance(f, models.Field)]
            if len(fields) != len(rows):
                raise ValueError(f"insert_together: {model.__name__} has no column for some of {list(rows)}")
        else:
            if not rows:
                raise ValueError(f"insert_together: no {model.__name__} rows (a prepared shape needs them all)")
            with_pk = rows[0].pk is not None
            fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
        plan = []
        for f in fields:
            stamp = isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
            plan.append((f, stamp, _plain_getter(f)))
        group_fields.append(plan)
        elements = [_array_type(f) for f in fields]
        quoted = ", ".join(connection.ops.quote_name(_column(f)) for f in fields)
        table = connection.ops.quote_name(meta.db_table)
        if single:
            parts.append(f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('%s' for _ in fields)})")
            types += elements
            continue
        values = ", ".join(f"u.c{i}::jsonb" if t == "jsonb" else f"u.c{i}" for i, t in enumerate(elements))
        names = ", ".join(f"c{i}" for i in range(len(fields)))
        parts.append(f"INSERT INTO {table} ({quoted}) SELECT {values} "
                     f"FROM unnest({', '.join('%s' for _ in fields)}) AS u({names})")
        types += [f"{'text' if t == 'jsonb' else t}[]" for t in elements]
    *first, last = parts
    sql = ("WITH " + ", ".join(f"w{i} AS ({p})" for i, p in enumerate(first)) + " " if first else "") + last
    return sql, types, group_fields


def _plain_getter(f: models.Field[Any, Any]) -> Getter:
    """How `insert_together` reads a field's database value from an instance (the time stamped before)."""
    attname = f.attname
    if isinstance(f, models.DateTimeField) and connection.vendor != "postgresql":
        adapt = connection.ops.adapt_datetimefield_value
        return lambda obj: adapt(getattr(obj, attname))
    if isinstance(f, models.JSONField):
        return lambda obj: _json.dumps(getattr(obj, attname), cls=f.encoder)
    if isinstance(f, (models.DecimalField, models.UUIDField)):
        return lambda obj: f.get_db_prep_save(getattr(obj, attname), connection)
    return lambda obj: getattr(obj, attname)


def _array_type(field: models.Field[Any, Any]) -> str:
    """The element type of a column's array in `insert_together` (a key's type for a foreign key, bigint for an
    auto id, varchar without its length: the table checks it)."""
    kind = field.db_type(connection) if not isinstance(field, models.AutoField) else field.rel_db_type(connection)
    if not kind:
        raise ValueError(f"{field} has no database type")
    return kind.split("(")[0] if kind.startswith("varchar") else kind


def among(values: Iterable[Any], kind: str = "text") -> RawSQL:
    """The right-hand side of an `__in` filter over many values (a file's 100,000 ID hashes or ids) sent as ONE
    parameter — a PostgreSQL array, a JSON array read by SQLite's json_each — so the query is compiled once rather
    than once per chunk of 999 placeholders: `Person.objects.filter(id_hash__in=among(hashes))`. `kind`: "text" or
    "bigint", the values' type."""
    if kind not in {"text", "bigint"}:
        raise ValueError(f"among(): unknown kind {kind!r}")
    items = list(values)
    if connection.vendor == "postgresql":
        return RawSQL(f"SELECT unnest(%s::{kind}[])", [items])
    return RawSQL("SELECT value FROM json_each(%s)", [_json.dumps(items)])


def reserve_ids(model: type[models.Model], n: int) -> Sequence[int]:
    """Primary keys for `n` rows about to be inserted with explicit ids (`insert_rows`, `bulk_insert`).

    PostgreSQL: taken from the table's sequence (never handed out twice). SQLite: max(id)+1 onwards, and
    after sqlite_sequence (AUTOINCREMENT never reuses the id of a deleted row); this must run inside the
    caller's transaction, where the writer holds the database lock until the rows are in."""
    meta = model._meta
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, _column(meta.pk), n])
            return [r[0] for r in cursor.fetchall()]
        if not connection.in_atomic_block:
            raise RuntimeError("explicit ids on SQLite must be reserved inside transaction.atomic()")
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(_column(meta.pk))}) FROM "
                       f"{connection.ops.quote_name(meta.db_table)}")
        top = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table])
        seq = cursor.fetchone()
        start = max(top, seq[0] if seq else 0) + 1
        return range(start, start + n)


def _value_getter(f: models.Field[Any, Any]) -> Getter:
    """How to read one field's database value from an unsaved instance, doing only the work it needs."""
    attname = f.attname
    postgres = connection.vendor == "postgresql"
    adapt = _memo(connection.ops.adapt_datetimefield_value)
    if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
        now = timezone.now()  # one timestamp for the whole bulk insert

        def stamp(obj: models.Model) -> Any:
            setattr(obj, attname, now)
            return now if postgres else adapt(now)

        return stamp
    if isinstance(f, models.DateTimeField) and not postgres:
        return lambda obj: adapt(getattr(obj, attname))
    if isinstance(f, models.JSONField):
        return lambda obj: _json.dumps(getattr(obj, attname), cls=f.encoder)
    if isinstance(f, (models.DecimalField, models.UUIDField)) or f.get_internal_type() in {
            "BinaryField", "DurationField", "TimeField"}:
        return lambda obj: f.get_db_prep_save(f.pre_save(obj, True), connection)
    if (isinstance(f, models.DateField) and f.auto_now) or getattr(f, "auto_now_add", False):
        return lambda obj: f.pre_save(obj, True)
    return lambda obj: getattr(obj, attname)


def _memo(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Remember the last conversion: bulk rows mostly share one timestamp."""
    last: list[Any] = [object(), None]

    def convert(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, (fn(value) if value is not None else None)
        return last[1]

    return convert


def insert_rows(model: type[models.Model], fields: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert plain tuples (values in the order of `fields`, primary keys included if listed) as fast as
    the database allows: COPY on PostgreSQL, one prepared executemany INSERT elsewhere. Returns the count.

    No model instances, no signals, no defaults: the caller gives every NOT NULL column. Dates and times
    are adapted here (SQLite stores them as text in UTC), so callers pass Python values. For bulk loads
    (the demo province, the raw reference of the import benchmark, the roster import). `rows` may be a
    generator: on PostgreSQL the server then stores rows while the next ones are being made."""
    if isinstance(rows, (list, tuple)) and not rows:
        return 0
    meta = model._meta
    columns = [_column(meta.get_field(f)) for f in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
                    count += 1
        else:
            adapt = _row_adapter(model, fields)
            batch = [adapt(r) for r in rows] if adapt else list(rows)
            if batch:
                sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"
                cursor.executemany(sql, batch)
            count = len(batch)
    return count


def _row_adapter(model: type[models.Model], fields: list[str]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]] | None:
    """For non-PostgreSQL databases: convert datetimes (and dates) the way Django's field would."""
    meta = model._meta
    datetime_idx = [i for i, f in enumerate(fields) if isinstance(meta.get_field(f), models.DateTimeField)]
    if not datetime_idx:
        return None
    convert = _memo(connection.ops.adapt_datetimefield_value)

    def adapt(row: tuple[Any, ...]) -> tuple[Any, ...]:
        values = list(row)
        for i in datetime_idx:
            values[i] = convert(values[i])
        return tuple(values)

    return adapt


def reset_sequences(*model_list: type[models.Model]) -> None:
    """After inserting explicit primary keys: move the id sequences past them (PostgreSQL; no-op elsewhere)."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


class foreign_keys_checked_after:
    """On PostgreSQL, drop the foreign keys of the given tables for a bulk load and re-add them at the end,
    where each is validated by one join instead of one trigger call per row (several times faster for
    millions of rows). Use inside a transaction; a no-op on other databases."""

    def __init__(self, *model_list: type[models.Model]) -> None:
        self.tables = [m._meta.db_table for m in model_list]
        self.saved: list[tuple[str, str, str]] = []

    def __enter__(self) -> foreign_keys_checked_after:
        if connection.vendor != "postgresql":
            return self
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)", [self.tables])
            self.saved = list(cursor.fetchall())
            for table, name, _definition in self.saved:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None or not self.saved:
            return
        with connection.cursor() as cursor:
            for table, name, definition in self.saved:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
