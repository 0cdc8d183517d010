"""`manage.py restore PATH [--force]`: put back a `manage.py backup` archive (database and media).

Safety rules:
- the archive's engine must be the target's (a SQLite backup does not go into PostgreSQL, nor back);
- a target database that already holds data is refused unless `--force` is given (a freshly migrated
  database counts as empty: only `migrate`'s own bookkeeping rows are ignored);
- the database member's checksum is verified before anything is touched;
- the current media directory is not deleted: when it has files it is moved aside to
  `<MEDIA_ROOT>.pre-restore-<time>`, and the archive's files take its place.

Stop the web server and the task worker first (see docs/deploy.md): a restore replaces the data under
their feet.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from .backup import DB_MEMBER, FORMAT, MEDIA_PREFIX, data_tables, engine_of, pg_binary, pg_env, run_tool, sqlite_path

ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


class Command(BaseCommand):
    help = "Restore a backup archive made by `manage.py backup` (database and media directory)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The .tar.gz archive written by `manage.py backup`.")
        parser.add_argument("--force", action="store_true",
                            help="Overwrite a database that already holds data.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="Database alias (default: default).")

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        archive = Path(options["path"])
        if not archive.is_file():
            raise CommandError(_("No backup archive at %(path)s.") % {"path": archive})
        engine = engine_of(alias)
        try:
            tar = tarfile.open(archive, "r:gz")
        except (tarfile.TarError, OSError) as e:
            raise CommandError(_("%(path)s is not a backup archive: %(err)s") % {"path": archive, "err": e}) from None
        with tar, tempfile.TemporaryDirectory(prefix="gongjiang-restore-") as tmp:
            manifest = self.read_manifest(tar)
            if manifest["engine"] != engine:
                raise CommandError(_(
                    "This backup is of a %(backup)s database but the target database is %(target)s. Restore it"
                    " into a %(backup)s database (set DATABASE_URL accordingly).") % {
                    "backup": ENGINE_NAMES.get(manifest["engine"], manifest["engine"]),
                    "target": ENGINE_NAMES[engine]})
            if engine == "sqlite":
                sqlite_path(alias).parent.mkdir(parents=True, exist_ok=True)
            try:
                full = data_tables(alias)
            except DatabaseError as e:
                raise CommandError(_("Cannot open the target database (%(err)s). For PostgreSQL create it first"
                                     " (createdb) with the owner named in DATABASE_URL.") % {"err": e}) from None
            if full and not options["force"]:
                raise CommandError(_(
                    "The target database is not empty (%(n)d tables hold data, e.g. %(tables)s). Restoring"
                    " replaces all of it; run again with --force if that is what you want.") % {
                    "n": len(full), "tables": ", ".join(full[:5])})

            db_file = self.extract_database(tar, manifest, Path(tmp))
            connections[alias].close()
            if engine == "sqlite":
                self.restore_sqlite(db_file, sqlite_path(alias))
            else:
                env, dbname = pg_env(alias)
                run_tool([pg_binary("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
                          "--single-transaction", "--exit-on-error", "--no-password", f"--dbname={dbname}",
                          str(db_file)], env)
            connections[alias].close()
            media_files, aside = self.restore_media(tar)

        self.stdout.write(self.style.SUCCESS(
            _("Restored %(path)s (backup of %(time)s): database and %(files)d media files.") % {
                "path": archive, "time": manifest.get("created_at", "?"), "files": media_files}))
        if aside:
            self.stdout.write(_("The previous media directory was kept at %(path)s; delete it when no longer"
                                " needed.") % {"path": aside})
        if self.needs_migrate(alias):
            self.stdout.write(self.style.WARNING(
                _("The backup is older than this code: run `manage.py migrate` before starting the server.")))

    # ------------------------------------------------------------------------------------------

    def read_manifest(self, tar: tarfile.TarFile) -> dict[str, Any]:
        try:
            member = tar.getmember("manifest.json")
            f = tar.extractfile(member)
            manifest = json.loads(f.read().decode("utf-8")) if f else None
        except (KeyError, ValueError, tarfile.TarError):
            manifest = None
        if not isinstance(manifest, dict) or manifest.get("app") != "gongjiang" or "engine" not in manifest:
            raise CommandError(_("The archive has no valid manifest.json: it was not written by `manage.py"
                                 " backup`."))
        if manifest.get("format", 0) > FORMAT:
            raise CommandError(_("The archive has format %(v)s, newer than this code understands; restore it"
                                 " with the version of Gongjiang that made it.") % {"v": manifest.get("format")})
        return manifest

    def extract_database(self, tar: tarfile.TarFile, manifest: dict[str, Any], tmp: Path) -> Path:
        name = manifest.get("database_member") or DB_MEMBER[manifest["engine"]]
        try:
            source = tar.extractfile(tar.getmember(name))
        except KeyError:
            source = None
        if source is None:
            raise CommandError(_("The archive lacks its database file %(name)s.") % {"name": name})
        target = tmp / Path(name).name
        digest = hashlib.sha256()
        with target.open("wb") as out:
            for block in iter(lambda: source.read(1 << 20), b""):
                digest.update(block)
                out.write(block)
        expected = manifest.get("database_sha256")
        if expected and digest.hexdigest() != expected:
            raise CommandError(_("The database file in the archive is damaged (checksum mismatch); nothing was"
                                 " restored."))
        return target

    def restore_sqlite(self, source: Path, target: Path) -> None:
        """Copy the pages in through SQLite itself (not a file copy), so WAL and locks stay consistent."""
        src = sqlite3.connect(source)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()

    def restore_media(self, tar: tarfile.TarFile) -> tuple[int, Path | None]:
        media_root = Path(settings.MEDIA_ROOT)
        media_root.parent.mkdir(parents=True, exist_ok=True)
        members = []
        for m in tar.getmembers():
            if m.name.startswith(MEDIA_PREFIX) and (m.isfile() or m.isdir()):
                m.name = m.name[len(MEDIA_PREFIX):]
                if m.name:
                    members.append(m)
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
        try:
            # The "data" filter refuses absolute paths, "..", links and devices.
            tar.extractall(staging, members=members, filter="data")
            aside = None
            if media_root.exists() and any(media_root.iterdir()):
                aside = media_root.with_name(f"{media_root.name}.pre-restore-{timezone.now():%Y%m%d-%H%M%S}")
                aside.mkdir()
                for child in media_root.iterdir():
                    shutil.move(child, aside / child.name)
            media_root.mkdir(parents=True, exist_ok=True)
            for child in staging.iterdir():
                shutil.move(child, media_root / child.name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return sum(1 for m in members if m.isfile()), aside

    def needs_migrate(self, alias: str) -> bool:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connections[alias])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        connections[alias].close()
        return bool(plan)
