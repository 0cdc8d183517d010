"""`manage.py backup [--output PATH]`: one .tar.gz holding the database and the media directory.

Archive layout (read by `manage.py restore`):

    manifest.json        format, engine, time, migrations, checksum of the database member
    database.sqlite3     SQLite: a consistent copy made with SQLite's online backup API
    database.pgdump      PostgreSQL: `pg_dump -Fc` (custom format, for pg_restore)
    media/...            uploaded import files and error reports (MEDIA_ROOT)

Both copies are consistent while the server and the task worker keep running: SQLite's backup API
copies a snapshot (in WAL mode readers and the writer are not blocked), pg_dump reads in one
repeatable-read transaction. The database is copied before the media directory, so every file the
database refers to is in the archive (a file uploaded a moment later may be there too, unreferenced).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
MEDIA_PREFIX = "media/"
# Tables that `migrate` fills by itself (bookkeeping and reference data loaded by data migrations): rows
# there do not make a database "not empty". An app that loads reference data in a migration adds its table.
BOOKKEEPING_TABLES = {
    "django_migrations", "django_content_type", "auth_permission", "django_session",
    "orgs_occupation",  # 职业分类大典, orgs/migrations/0002_occupations.py
}


def engine_of(alias: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[alias].vendor
    if vendor not in DB_MEMBER:
        raise CommandError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor})
    return vendor


def sqlite_path(alias: str = DEFAULT_DB_ALIAS) -> Path:
    name = str(connections[alias].settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise CommandError(_("An in-memory SQLite database cannot be backed up or restored."))
    return Path(name)


def pg_binary(name: str) -> str:
    """pg_dump / pg_restore: $PG_BIN first, then the newest /usr/lib/postgresql/N/bin, then PATH.

    A client must be at least as new as the server, which is why the versioned directories come before
    Debian's /usr/bin wrapper."""
    candidates: list[Path] = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]) / name)
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                      key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    candidates += [v / name for v in versions]
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return str(c)
    found = shutil.which(name)
    if found:
        return found
    raise CommandError(_("%(name)s was not found: install the PostgreSQL client (apt-get install postgresql-client)"
                         " or set PG_BIN to its directory.") % {"name": name})


def pg_env(alias: str = DEFAULT_DB_ALIAS) -> tuple[dict[str, str], str]:
    """Environment for libpq tools from settings.DATABASES (the password never appears on a command line)."""
    s = connections[alias].settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if s.get(key):
            env[var] = str(s[key])
    options = s.get("OPTIONS") or {}
    for key, var in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"), ("sslcert", "PGSSLCERT"),
                     ("sslkey", "PGSSLKEY"), ("passfile", "PGPASSFILE"), ("service", "PGSERVICE")):
        if options.get(key):
            env[var] = str(options[key])
    env["PGDATABASE"] = str(s["NAME"])
    return env, str(s["NAME"])


def run_tool(args: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run(args, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise CommandError(_("%(tool)s failed (exit %(code)d): %(err)s") % {
            "tool": Path(args[0]).name, "code": proc.returncode, "err": proc.stderr.strip()[-2000:]})


def data_tables(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Tables holding at least one row of data (bookkeeping tables filled by `migrate` aside)."""
    connection = connections[alias]
    full: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table in BOOKKEEPING_TABLES or table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
            if cursor.fetchone():
                full.append(table)
    return full


def applied_migrations(alias: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    """The latest applied migration of each app (by name order), to tell a backup's schema generation."""
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return {}
    latest: dict[str, str] = {}
    for app, name in recorder.applied_migrations():
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sqlite_online_copy(source: Path, target: Path) -> None:
    """Copy a live SQLite database with the online backup API: a consistent snapshot even while other
    connections write (a write during the copy restarts it, so the result is never torn)."""
    if not source.is_file():
        raise CommandError(_("The SQLite database %(path)s does not exist.") % {"path": source})
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst, pages=4096)
    finally:
        dst.close()
        src.close()


class Command(BaseCommand):
    help = "Back up the database and the media directory (uploaded files) into one .tar.gz archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", help="Archive path (default: var/backups/gongjiang-<time>.tar.gz)."
                            " An existing directory puts the archive inside it.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        engine = engine_of(alias)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        default_name = f"gongjiang-{stamp}.tar.gz"
        output = Path(options["output"]) if options["output"] else Path(settings.VAR_DIR) / "backups" / default_name
        if output.is_dir():
            output = output / default_name
        output.parent.mkdir(parents=True, exist_ok=True)
        media_root = Path(settings.MEDIA_ROOT)

        with tempfile.TemporaryDirectory(prefix="gongjiang-backup-", dir=output.parent) as tmp:
            db_file = Path(tmp) / DB_MEMBER[engine]
            if engine == "sqlite":
                sqlite_online_copy(sqlite_path(alias), db_file)
            else:
                env, dbname = pg_env(alias)
                run_tool([pg_binary("pg_dump"), "--format=custom", "--no-password", f"--file={db_file}", dbname],
                         env)
            manifest = {
                "format": FORMAT,
                "app": "gongjiang",
                "engine": engine,
                "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "database_member": db_file.name,
                "database_sha256": sha256_file(db_file),
                "database_bytes": db_file.stat().st_size,
                "migrations": applied_migrations(alias),
            }
            media_files = 0
            partial = output.with_name(output.name + ".partial")
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                # The manifest is updated with the media count after the walk, so it is written last.
                tar.add(db_file, arcname=db_file.name)
                if media_root.is_dir():
                    for path in sorted(media_root.rglob("*")):
                        if path.is_file() and not path.is_symlink():
                            tar.add(path, arcname=MEDIA_PREFIX + path.relative_to(media_root).as_posix(),
                                    recursive=False)
                            media_files += 1
                manifest["media_files"] = media_files
                manifest_file = Path(tmp) / "manifest.json"
                manifest_file.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
                tar.add(manifest_file, arcname="manifest.json")
            os.replace(partial, output)
        size = output.stat().st_size / 1048576
        self.stdout.write(self.style.SUCCESS(
            _("Backup written to %(path)s (%(engine)s, %(files)d media files, %(size).1f MB).") % {
                "path": output, "engine": engine, "files": media_files, "size": size}))
