"""Shared set-up of a benchmark process: a fresh database (a temp SQLite file, or a new database in the
PostgreSQL cluster of BENCH_PG_URL), production-like settings, migrations, and the JSON output."""

from __future__ import annotations

import json
import os
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

WORKDIR = tempfile.mkdtemp(prefix="gongjiang-bench-")


def configure(db: str, name: str) -> str:
    """Point the settings at a new database for this benchmark; returns a label for the output."""
    import base64

    env = os.environ
    env.setdefault("GONGJIANG_VAR_DIR", WORKDIR)
    env["DEBUG"] = "0"
    env["GONGJIANG_TESTING"] = "1"  # plain static files storage, immediate task backend (inline imports)
    env["SECURE_SSL_REDIRECT"] = "0"
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env["GONGJIANG_DATA_KEY"] = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    env["IMPORT_BACKGROUND_ROWS"] = str(10**8)  # the benchmark runs the import inline
    env["IMPORT_MAX_BYTES"] = str(500 * 1024 * 1024)
    env["CONN_MAX_AGE"] = "600"
    if db == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{WORKDIR}/{name}.sqlite3"
        return "sqlite"
    base = env.get("BENCH_PG_URL")
    if not base:
        raise SystemExit("BENCH_PG_URL is not set (make bench starts a PostgreSQL cluster and sets it)")
    import psycopg

    dbname = f"bench_{name}_{os.getpid()}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
        conn.execute(f'CREATE DATABASE "{dbname}"')
    env["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + dbname
    return "postgresql"


def setup(db: str, name: str) -> str:
    label = configure(db, name)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjiang.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return label


def emit(name: str, data: dict[str, Any], summary: str) -> None:
    print("BENCH_JSON " + json.dumps({"bench": name, **data}, ensure_ascii=False, default=str), flush=True)
    print(summary, flush=True)


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


def timed_cpu(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall time and this process's CPU time (the CPU time is what a busy shared machine distorts least)."""
    t, c = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - t, time.process_time() - c, result


def median_ms(fn: Callable[[], Any], n: int) -> tuple[float, list[float]]:
    fn()  # warm-up (template loading, first connection)
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), times


def db_arg() -> str:
    return sys.argv[1] if len(sys.argv) > 1 else "sqlite"
