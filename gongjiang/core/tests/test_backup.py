"""`manage.py backup` / `manage.py restore`: a round trip loses nothing.

The commands run as an operator runs them: in subprocesses, against a real database of the engine the
suite runs on (a temporary SQLite file in WAL mode — pytest-django's own SQLite test database lives in
memory — or a scratch database in the PostgreSQL cluster of `make test`). The data is the `sd` province
(built by the same `build_province` as the fixture) plus roster imports that leave an uploaded file and an
error report in the media directory.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
# The commands use the engine of DATABASE_URL in subprocesses: the PostgreSQL run of `make test` runs these too.
pytestmark = pytest.mark.database

ENGINE = "postgresql" if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")) else "sqlite"

# Runs inside the subprocess: build | mutate | snapshot (prints JSON).
SCRIPT = r'''
import hashlib, io, json, os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongjiang.settings")
django.setup()
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from gongjiang.core.imports import start_import
from gongjiang.core.models import AuditEvent, ImportJob
from gongjiang.orgs.models import Membership, Org, Person, RoleGrant, SkillGradeRecord, User

def xlsx(rows, name):
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "手机号码", "工种", "技能等级", "一线职工", "入会日期"])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile(name, buf.getvalue())

def digest(field):
    if not field:
        return None
    if not field.storage.exists(field.name):
        return "missing"
    with field.open("rb") as f:
        return hashlib.sha256(f.read()).hexdigest()

def snapshot():
    return {
        "counts": {m._meta.label: m._base_manager.count() for m in apps.get_models()},
        "orgs": sorted([o.path, o.code, o.name, o.industry_path, o.person_count, o.member_count, o.is_active]
                       for o in Org.objects.all()),
        "people": sorted([p.name, p.id_number, p.id_masked, p.mobile, p.employer.code, p.skill_grade,
                          p.trade.code if p.trade else None]
                         for p in Person.objects.select_related("employer", "trade")),
        "grades": sorted([g.person.name, g.grade, g.source] for g in SkillGradeRecord.objects.select_related("person")),
        "members": sorted([m.person.name, m.union.code, m.status, str(m.member_since)]
                          for m in Membership.objects.select_related("person", "union")),
        "users": sorted([u.username, u.phone, u.check_password("Gongjiang-2026"), u.person.name if u.person else None]
                        for u in User.objects.select_related("person")),
        "grants": sorted([g.user.username, g.org.code, g.role]
                         for g in RoleGrant.objects.select_related("user", "org")),
        "imports": sorted([j.filename, j.state, j.error_count, json.dumps(j.summary, sort_keys=True),
                           digest(j.file), digest(j.error_report)] for j in ImportJob.objects.all()),
        "audit": sorted([e.verb, e.object_repr, e.org_path] for e in AuditEvent.objects.all()),
    }

action = sys.argv[1]
if action == "build":
    from gongjiang.orgs.tests.factories import build_province, id_number
    sd = build_province()
    a, b, bad = id_number(), id_number(), id_number()
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    done = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=xlsx([
        ["赵一", a, "13900000001", "车工", "四级/中级工", "是", "2015-09-01"],
        ["钱二", b, "", "6-18-02-04", "技师", "否", ""]], "名册.xlsx"))
    invalid = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel, upload=xlsx([
        ["孙三", bad, "12345", "车工", "", "", ""]], "名册-有错.xlsx"))
    assert done.state == "done" and invalid.state == "invalid", (done.message, invalid.message)
elif action == "mutate":
    Org.objects.filter(code="3701").update(name="改名的济南市总工会")
    Person.objects.filter(name="钱二").delete()
    for job in ImportJob.objects.all():
        job.file.delete(save=False)
        if job.error_report:
            job.error_report.delete(save=False)
    ImportJob.objects.filter(state="invalid").delete()
    user = User.objects.get(username="worker")
    user.set_password("Another-password-1")
    user.save()
    Org.objects.add_child(Org.objects.get(code="3702"),
                          create_kwargs={"name": "新建工会", "kind": "county", "code": "NEW1"})
elif action == "snapshot":
    print(json.dumps(snapshot(), ensure_ascii=False))
'''


class Site:
    """One database + media directory that the subprocesses work on."""

    def __init__(self, url: str, root: Path) -> None:
        self.url, self.root = url, root
        self.media = root / "media"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT"}}
        env.update(DATABASE_URL=self.url, MEDIA_ROOT=str(self.media), GONGJIANG_VAR_DIR=str(self.root),
                   GONGJIANG_TESTING="1", DJANGO_SETTINGS_MODULE="gongjiang.settings")
        return env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=self.env(), capture_output=True, text=True,
                              timeout=300)
        if check and proc.returncode != 0:
            what = args[-1] if args[0] == "-c" else " ".join(args[:3])
            raise AssertionError(f"{what} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("manage.py", *args, check=check)

    def script(self, action: str) -> str:
        return self.run("-c", SCRIPT, action).stdout

    def snapshot(self) -> dict:
        return json.loads(self.script("snapshot"))

    def media_files(self) -> dict[str, bytes]:
        return {p.relative_to(self.media).as_posix(): p.read_bytes() for p in self.media.rglob("*") if p.is_file()}


@pytest.fixture
def new_site(tmp_path: Path) -> Iterator:
    """Makes empty databases of the running engine (SQLite files, or scratch PostgreSQL databases)."""
    created: list[str] = []
    admin = dj_database_url.parse(os.environ["DATABASE_URL"]) if ENGINE == "postgresql" else None

    def pg_admin():
        import psycopg

        return psycopg.connect(host=admin["HOST"] or None, port=admin["PORT"] or None, user=admin["USER"] or None,
                               password=admin["PASSWORD"] or None, dbname=admin["NAME"], autocommit=True)

    def make(name: str) -> Site:
        root = tmp_path / name
        root.mkdir()
        if ENGINE == "sqlite":
            return Site(f"sqlite:///{root / 'gongjiang.sqlite3'}", root)
        dbname = f"gj_backup_{name}_{uuid.uuid4().hex[:8]}"
        with pg_admin() as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        created.append(dbname)
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + dbname
        return Site(url, root)

    yield make
    if created:
        with pg_admin() as conn:
            for dbname in created:
                conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def test_a_backup_restores_everything_it_held_and_nothing_else(new_site):
    live = new_site("live")
    live.manage("migrate", "--noinput", "-v0")
    live.script("build")
    before, media_before = live.snapshot(), live.media_files()
    assert before["counts"]["orgs.Person"] == 4 and len(before["imports"]) == 2
    assert all(row[4] for row in before["imports"]) and any(row[5] for row in before["imports"])
    assert len(media_before) == 3  # two uploaded workbooks and one error report

    archive = live.root / "backup.tar.gz"
    out = live.manage("backup", "--output", str(archive)).stdout
    assert str(archive) in out
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert manifest["engine"] == ENGINE and manifest["media_files"] == 3

    live.script("mutate")
    changed = live.snapshot()
    assert changed != before and changed["counts"]["orgs.Person"] == 3
    assert live.media_files() == {}

    # Into the changed database: refused without --force, and nothing is touched.
    refused = live.manage("restore", str(archive), check=False)
    assert refused.returncode != 0 and "--force" in refused.stderr
    assert live.snapshot() == changed

    live.manage("restore", str(archive), "--force")
    assert live.snapshot() == before
    assert live.media_files() == media_before

    # Disaster recovery: a brand-new, empty database and media directory need no --force.
    fresh = new_site("fresh")
    fresh.manage("restore", str(archive))
    assert fresh.snapshot() == before
    assert fresh.media_files() == media_before
    assert "No migrations to apply" in fresh.manage("migrate", "--noinput").stdout


# The following need no server: they use SQLite files of their own, so they run on every engine.


def sqlite_site(tmp_path: Path, name: str) -> Site:
    root = tmp_path / name
    root.mkdir()
    return Site(f"sqlite:///{root / 'gongjiang.sqlite3'}", root)


def test_a_sqlite_backup_is_consistent_while_another_connection_is_writing(tmp_path):
    site = sqlite_site(tmp_path, "busy")
    site.manage("migrate", "--noinput", "-v0")
    db = site.root / "gongjiang.sqlite3"
    writer = sqlite3.connect(db, isolation_level=None)
    try:
        assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        writer.execute("INSERT INTO orgs_occupation (code, name, level, parent_code, definition, is_digital,"
                       " is_green) VALUES ('X-1', 'committed', 4, '', '', 0, 0)")
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO orgs_occupation (code, name, level, parent_code, definition, is_digital,"
                       " is_green) VALUES ('X-2', 'uncommitted', 4, '', '', 0, 0)")
        archive = site.root / "b.tar.gz"
        site.manage("backup", "--output", str(archive))  # the open write transaction does not block it
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    with tarfile.open(archive) as tar:
        copy = site.root / "copy.sqlite3"
        copy.write_bytes(tar.extractfile("database.sqlite3").read())
    names = {r[0] for r in sqlite3.connect(copy).execute("SELECT name FROM orgs_occupation WHERE code LIKE 'X-%'")}
    assert names == {"committed"}


def _archive_with(tmp_path: Path, manifest: dict, db: bytes = b"not a database") -> Path:
    path = tmp_path / "crafted.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, data in (("database.sqlite3", db), ("manifest.json", json.dumps(manifest).encode())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_a_backup_of_another_engine_is_refused(tmp_path):
    site = sqlite_site(tmp_path, "engine")
    archive = _archive_with(tmp_path, {"format": 1, "app": "gongjiang", "engine": "postgresql",
                                       "database_member": "database.sqlite3"})
    proc = site.manage("restore", str(archive), "--force", check=False)
    assert proc.returncode != 0
    assert "PostgreSQL" in proc.stderr and "SQLite" in proc.stderr
    assert not (site.root / "media").exists()


def test_a_damaged_archive_restores_nothing(tmp_path):
    site = sqlite_site(tmp_path, "damaged")
    site.manage("migrate", "--noinput", "-v0")
    archive = _archive_with(tmp_path, {"format": 1, "app": "gongjiang", "engine": "sqlite",
                                       "database_member": "database.sqlite3", "database_sha256": "0" * 64})
    proc = site.manage("restore", str(archive), check=False)
    assert proc.returncode != 0 and "CommandError" in proc.stderr
    not_ours = tmp_path / "not-a-backup.tar.gz"
    not_ours.write_bytes(b"hello")
    assert site.manage("restore", str(not_ours), check=False).returncode != 0
    # The database is still the migrated one.
    tables = {r[0] for r in sqlite3.connect(site.root / "gongjiang.sqlite3").execute(
        "SELECT name FROM sqlite_master WHERE type='table'")}
    assert "orgs_person" in tables
