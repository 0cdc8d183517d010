"""`make lint` checks the types with mypy and django-stubs (pyproject.toml, [tool.mypy]; docs/architecture.md,
"Types"): the tree passes, and a deliberate mistake fails the check — a verb given a name where it takes an account,
a strictly typed module (core, orgs, competitions' services, rules and queries) with a function left unannotated,
returning the wrong type or returning what the checker cannot see.

Each run is the lint's own command (`DEBUG=1 mypy` from the project's root, its configuration), with a cache of
this module's own: the first run checks everything (about ten seconds), the others only what they change. A
mistake goes into a real module through mypy's `--shadow-file` (the module is read from a changed copy), so the
tree itself is never touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


def mypy(cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache), *args], cwd=ROOT,
                          env={**os.environ, "DEBUG": "1"}, capture_output=True, text=True, timeout=600)


def test_the_lint_runs_the_type_check():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("\nlint:"):].split("\n\n")[0]
    assert "\tDEBUG=1 $(VENV)/bin/mypy" in recipe


def test_the_tree_passes_the_type_check(cache):
    result = mypy(cache)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_a_verb_given_a_name_for_its_actor_fails_the_check(cache, tmp_path):
    """A verb's actor is an account (orgs' `User`), which the checker follows from the verb's signature."""
    probe = tmp_path / "probe.py"
    probe.write_text("from gongjiang.orgs import services\n"
                     "from gongjiang.orgs.models import Org\n\n\n"
                     "def close(org: Org) -> None:\n"
                     '    services.deactivate_org(actor="admin", org=org, reason="closed")\n', encoding="utf-8")
    result = mypy(cache, str(probe))
    assert result.returncode == 1
    assert ('probe.py:6: error: Argument "actor" to "deactivate_org" has incompatible type "str"; expected "User"'
            in result.stdout), result.stdout


@pytest.mark.parametrize("module, mistake, code", [
    ("gongjiang/competitions/services/common.py", "def _loose(value):\n    return value\n", "no-untyped-def"),
    ("gongjiang/competitions/queries/results.py", 'def _count() -> int:\n    return "none"\n', "return-value"),
    ("gongjiang/competitions/rules/ranking.py", "def _half(n: int) -> int:\n    return n / 2\n", "return-value"),
    ("gongjiang/orgs/queries/orgs.py", "def _up(org: Org) -> Org:\n    return org.get_parent()\n", "no-any-return"),
    ("gongjiang/core/audit.py", "def _pk(obj) -> int:\n    return 0\n", "no-untyped-def"),
], ids=["competitions-service-unannotated", "competitions-query-wrong-return", "competitions-rule-wrong-return",
        "orgs-returns-any", "core-untyped-argument"])
def test_a_mistake_in_a_strict_module_fails_the_check(cache, tmp_path, module, mistake, code):
    original = (ROOT / module).read_text(encoding="utf-8")
    changed = tmp_path / Path(module).name
    changed.write_text(original + "\n\n" + mistake, encoding="utf-8")
    result = mypy(cache, "--shadow-file", module, str(changed))
    assert result.returncode == 1
    found = [line.split(":")[1] for line in result.stdout.splitlines()
             if line.startswith(f"{module}:") and ": error: " in line and line.endswith(f"[{code}]")]
    assert found and all(int(n) > len(original.splitlines()) for n in found), result.stdout  # the mistake's lines
