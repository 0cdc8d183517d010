"""The import framework as an app sees it: a tiny import (计数) declares its start parameters, who may start it, how
many rows it takes and how many run in the request — and writes nothing else. Refusals come before anything is
stored; the job keeps its parameters and its union (id, paths, name), and the scoping kernel shows it where the
union is seen. Core itself imports no domain app, and its import service does not import the task module."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import translation

from gongjiang.core import imports
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.imports import CellError, Column, Param, Target
from gongjiang.core.models import AuditEvent, ImportJob
from gongjiang.core.verbs import VERBS, verb_label
from gongjiang.orgs.models import Org
from gongjiang.orgs.tests.factories import xlsx_upload

CORE = Path(imports.__file__).parent
HEADERS = ["名称", "数量"]
CLOSED = {9}


def parse_count(text: str, ctx: Any = None) -> int:
    if not text.isdigit():
        raise CellError(f"“{text}”不是数量。")
    return int(text)


class TallyImport(imports.ImportSpec):
    """Rows of a name and a count, into a union, for a batch (a start parameter). Core's hooks only."""

    kind = "test.tally"
    title = "计数"
    columns = [Column("name", "名称", required=True), Column("count", "数量", required=True, parse=parse_count)]
    params = (Param("batch", missing="请选择批次。"), Param("note", parse=str, required=False))
    max_rows = 5
    inline_rows = 2

    def describe_target(self, org: Any) -> Target:
        return Target(pk=org.pk, path=org.path, name=org.name, industry_path=org.industry_path)

    def find_target(self, user: Any, pk: int) -> Any:
        return Org.objects.for_user(user, "view").filter(pk=pk).first()

    def check_start(self, actor: Any, org: Any, params: dict[str, Any]) -> None:
        if not org.in_scope(actor, "change"):
            raise PermissionDeniedError("只能导入本单位的数据。")
        if params["batch"] in CLOSED:  # parsed: the declared int, whatever was given
            raise DomainError(f"第{params['batch']}批已截止，不能再导入。", field="batch")

    def commit(self, job: Any, rows: list[dict[str, Any]], ctx: Any) -> dict[str, Any]:
        return {"batch": job.params["batch"], "total": sum(r["count"] for r in rows)}


@pytest.fixture
def tally() -> Any:
    spec = imports.register(TallyImport())
    yield spec
    imports.REGISTRY.pop(spec.kind)


def upload(n: int) -> Any:
    return xlsx_upload(HEADERS, [[f"项{i}", str(i)] for i in range(1, n + 1)], "计数.xlsx")


def start(sd: Any, n: int = 2, actor: Any = None, **params: Any) -> Any:
    return imports.start_import(actor=actor or sd.enterprise_cadre, kind="test.tally", target=sd.steel,
                                upload=upload(n), params=params)


def nothing_stored(media: Path) -> bool:
    return not ImportJob.objects.exists() and not [p for p in Path(media).rglob("*") if p.is_file()]


def test_the_declared_parameters_are_parsed_checked_and_kept_with_the_union(sd, tally, settings):
    job = start(sd, batch="3", note="补录")
    assert job.state == ImportJob.State.DONE, job.message
    assert job.params == {"batch": 3, "note": "补录"}  # parsed as declared, stored for the run
    assert job.summary == {"batch": 3, "total": 3}
    assert (job.org_id, job.org_path, job.industry_path, job.org_name) == (
        sd.steel.pk, sd.steel.path, sd.steel.industry_path, sd.steel.name)
    assert AuditEvent.objects.get(verb="import.test.tally").org_path == sd.steel.path
    assert start(sd, batch=4).params == {"batch": 4}  # an optional parameter may be left out


@pytest.mark.parametrize("params, field, message", [
    ({}, "batch", "请选择批次。"),  # the declared refusal of a missing parameter
    ({"batch": "三"}, "batch", "“三”"),
    ({"batch": 1, "colour": "red"}, "colour", "colour"),
    ({"batch": 9}, "batch", "第9批已截止，不能再导入。"),  # check_start, with the parsed value
])
def test_a_start_that_is_refused_stores_nothing(sd, tally, settings, params, field, message):
    with pytest.raises(DomainError) as refused:
        start(sd, **params)
    assert refused.value.field == field and message in refused.value.message
    assert nothing_stored(settings.MEDIA_ROOT)


def test_check_start_refuses_an_actor_outside_the_union_in_chinese(sd, tally, settings):
    with pytest.raises(PermissionDeniedError, match="只能导入本单位的数据。"):
        start(sd, actor=sd.qingdao_cadre, batch=1)
    with pytest.raises(PermissionDeniedError):
        start(sd, actor=sd.jinan_viewer, batch=1)  # sees the unit, may not change it
    assert nothing_stored(settings.MEDIA_ROOT)


def test_more_rows_than_the_spec_takes_are_refused_before_anything_is_stored(sd, tally, settings):
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        start(sd, 6, batch=1)
    assert refused.value.field == "file"
    assert refused.value.message == "文件有6行；“计数”导入最多5行。"
    assert nothing_stored(settings.MEDIA_ROOT)
    assert start(sd, 5, batch=1).total_rows == 5  # the limit itself is fine


def test_small_files_run_in_the_request_and_larger_ones_in_the_background(sd, tally, settings,
                                                                          django_capture_on_commit_callbacks):
    settings.IMPORT_BACKGROUND_ROWS = 0  # the spec's own threshold decides
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        small = start(sd, 2, batch=1)
    assert small.state == ImportJob.State.DONE and callbacks == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        large = start(sd, 3, batch=1)
    assert large.state == ImportJob.State.PENDING and len(callbacks) == 1
    callbacks[0]()  # the task queue runs it (the immediate backend in tests), with the parameters kept in the job
    large.refresh_from_db()
    assert large.state == ImportJob.State.DONE and large.summary == {"batch": 1, "total": 6}


def test_a_job_is_seen_where_its_union_is_seen_and_nowhere_else(sd, tally):
    job = start(sd, batch=1)
    seen = {user: list(ImportJob.objects.for_user(user)) for user in (
        sd.enterprise_cadre, sd.county_cadre, sd.jinan_cadre, sd.province_admin, sd.industry_cadre, sd.jinan_viewer)}
    assert all(jobs == [job] for jobs in seen.values()), seen  # the industry union: through the industry path
    for user in (sd.qingdao_cadre, sd.worker, AnonymousUser(), None):
        assert not ImportJob.objects.for_user(user).exists(), user
    assert not ImportJob.objects.for_user(sd.jinan_cadre, "no-such-action").exists()
    assert job.in_scope(sd.industry_cadre, "manage") and not job.in_scope(sd.qingdao_cadre)


def test_the_shared_pages_ask_the_spec(client, sd, tally):
    url = reverse("core:import_list")
    client.force_login(sd.enterprise_cadre)
    page = client.get(url, {"kind": "test.tally", "org": sd.steel.pk})
    assert page.status_code == 200 and page.context["refusal"] == "请选择批次。" and page.context["form"] is None
    assert client.get(url, {"kind": "no-such-kind"}).status_code == 404
    assert client.get(url).context["spec"].kind == "roster"  # the default orgs declared
    job = start(sd, batch=1)
    status = client.get(reverse("core:import_status", args=[job.pk]))
    assert status.status_code == 200 and sd.steel.name in status.content.decode()


def test_without_a_declared_default_the_list_needs_a_kind(client, sd, monkeypatch):
    monkeypatch.setattr(imports, "_DEFAULT", [])
    client.force_login(sd.enterprise_cadre)
    assert client.get(reverse("core:import_list")).status_code == 404
    assert client.get(reverse("core:import_list"), {"kind": "roster"}).status_code == 200


# ---------------------------------------------------------------------------------------------
# Layers


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, at its top or inside a function (relative imports made absolute)."""
    package = "gongjiang.core" + "".join(f".{p}" for p in path.relative_to(CORE).parent.parts)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(p for p in (base, node.module or "") if p)
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)
    return found


CORE_MODULES = sorted(p for p in CORE.rglob("*.py") if "tests" not in p.parts)


@pytest.mark.parametrize("path", CORE_MODULES, ids=lambda p: str(p.relative_to(CORE)))
def test_core_imports_no_domain_app(path):
    domain = {m for m in imported_modules(path) if m.startswith("gongjiang.") and
              not m.startswith(("gongjiang.core", "gongjiang.settings"))}
    assert not domain, f"core/{path.relative_to(CORE)} imports {sorted(domain)}"


def test_the_import_service_does_not_import_the_task_module():
    """tasks.py imports the services it runs; imports.py defines its own task, so there is no cycle."""
    assert not {m for m in imported_modules(CORE / "imports.py") if m.startswith("gongjiang.core.tasks")}
    assert "gongjiang.core.imports.run_import_task" in imported_modules(CORE / "tasks.py")


def test_core_names_only_its_own_verbs_and_apps_register_theirs():
    tree = ast.parse((CORE / "verbs.py").read_text(encoding="utf-8"))
    declared = [k.value for node in ast.walk(tree) if isinstance(node, ast.Dict) for k in node.keys
                if isinstance(k, ast.Constant)]
    assert declared and all(k.startswith("core.") for k in declared), declared
    with translation.override("en"):  # registered by OrgsConfig.ready and CompetitionsConfig.ready
        assert verb_label("orgs.org.moved") == "Organisation moved"
        assert verb_label("import.roster") == "Roster imported"
        assert verb_label("competitions.entry.registered") == "Registered"
    assert "orgs.person.exported" in VERBS
