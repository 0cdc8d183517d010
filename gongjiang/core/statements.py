"""Hand-written statements of the hot paths (an API token's look-up on every request, a judge's save on every
keystroke), prepared once per PostgreSQL connection.

Django sends every statement as text with its values inlined and asks psycopg not to prepare anything (so that
connection poolers work), so PostgreSQL parses, analyses and plans each statement each time: for a judge's guarded
save that was most of its cost on the server (docs/BENCHMARKS.md §5). `execute` sends such a statement once as
`PREPARE name (types) AS …` on each connection, then `EXECUTE name (…)` — the values still inlined by Django's
cursor, so query logging and `execute_wrapper`s see every execution. Not where connections are pooled per
transaction (PgBouncer: `DISABLE_SERVER_SIDE_CURSORS`, docs/deploy.md §5), where a session's prepared statements
cannot be relied on, nor on SQLite: there the statement is executed as it is.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

# psycopg connection -> the names prepared on it (a new connection, after a reconnection, prepares again).
_PREPARED: weakref.WeakKeyDictionary[Any, set[str]] = weakref.WeakKeyDictionary()


def execute(cursor: Any, name: str, sql: str, types: Sequence[str], params: Sequence[Any]) -> None:
    """Execute `sql` (with `%s` placeholders, no other %) with `params` through Django's `cursor`: on PostgreSQL
    as the statement `name` prepared once per connection with parameters of `types` (a PREPARE is session set-up,
    sent past Django's query log like its own connection settings), elsewhere as it is."""
    db = cursor.db
    if db.vendor != "postgresql" or db.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        cursor.execute(sql, params)
        return
    if len(types) != len(params):
        raise ValueError(f"{name}: {len(params)} values for {len(types)} parameters")
    raw = db.connection
    prepared = _PREPARED.get(raw)
    if prepared is None:
        prepared = _PREPARED[raw] = set()
    if name not in prepared:
        numbered = sql % tuple(f"${i}" for i in range(1, len(types) + 1))
        cursor.cursor.execute(f"PREPARE {name} ({', '.join(types)}) AS {numbered}")
        prepared.add(name)
    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
