"""Hot-path statements prepared once per PostgreSQL connection (core.statements): the same rows either way, every
execution in Django's query log, nothing prepared on SQLite or behind a per-transaction pooler."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gongjiang.core import statements

SQL = "SELECT %s + 1, %s"


def run(value: int, text: str) -> tuple[int, str]:
    with connection.cursor() as cursor:
        statements.execute(cursor, "gj_test_plus_one", SQL, ("integer", "text"), [value, text])
        return cursor.fetchone()


@pytest.mark.django_db
def test_a_statement_gives_its_rows_and_every_execution_is_logged():
    with CaptureQueriesContext(connection) as first:
        assert run(1, "一") == (2, "一")
    with CaptureQueriesContext(connection) as second:
        assert run(41, "it's") == (42, "it's")
    assert len(first) == len(second) == 1
    if connection.vendor == "postgresql":  # bound on the server: the logged text names the parameters' types
        assert second[0]["sql"].startswith("SELECT $1::integer + 1, $2::text")
    else:
        assert "PREPARE" not in first[0]["sql"] and "EXECUTE" not in second[0]["sql"]


@pytest.mark.django_db
def test_behind_a_per_transaction_pooler_nothing_is_prepared(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    with CaptureQueriesContext(connection) as ctx:
        assert run(2, "x") == (3, "x")
    assert not ctx[0]["sql"].startswith("EXECUTE")


@pytest.mark.django_db
def test_a_wrong_number_of_values_is_refused():
    if connection.vendor != "postgresql":
        pytest.skip("the statement is sent as it is on SQLite")
    with connection.cursor() as cursor, pytest.raises(ValueError):
        statements.execute(cursor, "gj_test_wrong", SQL, ("integer",), [1, "a"])
