"""Hand-written statements of the hot paths (an API token's look-up on every request, a judge's save on every
keystroke, a worker's submission), prepared once per PostgreSQL connection.

Django sends every statement as text with its values inlined (psycopg's client-side binding) and asks psycopg not
to prepare anything (so that connection poolers work), so PostgreSQL parses, analyses and plans each statement each
time, and the client quotes every value into the text: for a judge's guarded save that was most of its cost on the
server (docs/BENCHMARKS.md §5). `execute` runs such a statement through a cursor of the same connection that binds
its values on the server (sent apart from the text, each with the type the statement names) and has psycopg prepare
it on first use (psycopg keeps the prepared statements of each connection and prepares again after a
reconnection). It runs through Django's cursor wrapper, so query logging and `execute_wrapper`s see every
execution, and the caller reads the rows from the cursor it passed. Not where connections are pooled per
transaction (PgBouncer: `DISABLE_SERVER_SIDE_CURSORS`, docs/deploy.md §5), where a session's prepared statements
cannot be relied on, nor on SQLite: there the statement is executed as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def execute(cursor: Any, name: str, sql: str, types: Sequence[str], params: Sequence[Any]) -> None:
    """Execute `sql` (with `%s` placeholders, no other %) with `params` through Django's `cursor`: on PostgreSQL
    prepared (once per connection) with parameters of `types` and bound on the server, elsewhere as it is. `name`
    names the statement in the code that runs it (psycopg names its prepared statements itself). The rows are
    read from `cursor` afterwards, as usual."""
    db = cursor.db
    if db.vendor != "postgresql" or db.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        cursor.execute(sql, params)
        return
    if len(types) != len(params):
        raise ValueError(f"{name}: {len(params)} values for {len(types)} parameters")
    typed = _TYPED.get((sql, tuple(types)))
    if typed is None:
        typed = _TYPED[(sql, tuple(types))] = sql % tuple(f"%s::{t}" for t in types)
    bound = _preparing_cursor_class()(db.connection)
    runner = db.make_debug_cursor(bound) if db.queries_logged else db.make_cursor(bound)
    runner.execute(typed, params)
    cursor.cursor.close()
    cursor.cursor = bound  # the caller's cursor reads the statement's rows


_TYPED: dict[tuple[str, tuple[str, ...]], str] = {}  # (statement, types) -> the statement naming its types
_CLASS: list[type[Any]] = []


def _preparing_cursor_class() -> type[Any]:
    """Django's server-binding cursor of psycopg 3, preparing every statement it executes."""
    if not _CLASS:
        from django.db.backends.postgresql.base import ServerBindingCursor

        class PreparingCursor(ServerBindingCursor):
            def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None,
                        binary: bool | None = None) -> Any:
                return super().execute(query, params, prepare=True, binary=binary)  # type: ignore[misc]

        _CLASS.append(PreparingCursor)
    return _CLASS[0]
