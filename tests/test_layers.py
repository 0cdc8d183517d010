"""`make lint` enforces the layers with import-linter (pyproject.toml, [tool.importlinter]): the real tree keeps
every contract, and each contract catches a deliberate violation in a small package shaped like ours."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"]


def lint(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run([*LINT, str(cwd / "pyproject.toml")], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def test_the_code_keeps_every_layer_contract():
    result = lint(ROOT, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


SHAPE = {
    "gongjiang/__init__.py": "",
    "gongjiang/urls.py": "import gongjiang.competitions.views\n",
    "gongjiang/api.py": "import gongjiang.orgs.api\n",
    "gongjiang/core/__init__.py": "",
    "gongjiang/core/models.py": "",
    "gongjiang/core/views.py": "import gongjiang.core.models\n",
    "gongjiang/core/tests/__init__.py": "",
    "gongjiang/core/tests/test_x.py": "import gongjiang.orgs.models\n",  # tests may cross layers
    "gongjiang/orgs/__init__.py": "",
    "gongjiang/orgs/models.py": "import gongjiang.core.models\n",
    "gongjiang/orgs/views.py": "import gongjiang.orgs.models\n",
    "gongjiang/orgs/api.py": "import gongjiang.orgs.models\n",
    "gongjiang/orgs/forms.py": "", "gongjiang/orgs/urls.py": "", "gongjiang/orgs/imports.py": "",
    "gongjiang/orgs/middleware.py": "",
    "gongjiang/competitions/__init__.py": "",
    "gongjiang/competitions/models.py": "import gongjiang.orgs.models\n",
    "gongjiang/competitions/views.py": "import gongjiang.competitions.models\n",
    "gongjiang/competitions/tests/__init__.py": "",
    "gongjiang/innovation/__init__.py": "",
    "gongjiang/innovation/models.py": "import gongjiang.orgs.models\n",
    "gongjiang/innovation/tests/__init__.py": "",
    "gongjiang/honours/__init__.py": "",
    "gongjiang/honours/models.py": "import gongjiang.orgs.models\n",
    "gongjiang/honours/tests/__init__.py": "",
    "gongjiang/learning/__init__.py": "",
    "gongjiang/learning/models.py": "import gongjiang.orgs.models\n",
    "gongjiang/learning/tests/__init__.py": "",
    "gongjiang/assessments/__init__.py": "",
    "gongjiang/assessments/models.py": "import gongjiang.orgs.models\n",
    "gongjiang/assessments/tests/__init__.py": "",
    "gongjiang/stats/__init__.py": "",
    "gongjiang/stats/models.py": "import gongjiang.orgs.models\n",
    "gongjiang/stats/tests/__init__.py": "",
    "gongjiang/care/__init__.py": "",
    "gongjiang/care/models.py": "import gongjiang.orgs.models\n",
    "gongjiang/care/tests/__init__.py": "",
    "gongjiang/rights/__init__.py": "",
    "gongjiang/rights/models.py": "import gongjiang.orgs.models\n",
    "gongjiang/rights/tests/__init__.py": "",
}


def shaped(tmp_path: Path, **extra: str) -> Path:
    for name, text in {**SHAPE, **{k.replace("__", "/") + ".py": v for k, v in extra.items()}}.items():
        f = tmp_path / name
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(text)
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(config[config.index("[tool.importlinter]"):], encoding="utf-8")
    return tmp_path


def test_the_shape_itself_is_clean(tmp_path):
    result = lint(shaped(tmp_path), tmp_path)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("extra, broken", [
    ({"gongjiang__core__audit": "import gongjiang.orgs.models\n"}, "Layers"),
    ({"gongjiang__orgs__demo": "import gongjiang.competitions.models\n"}, "Layers"),
    ({"gongjiang__core__links": "import gongjiang.urls\n"}, "Nobody imports the wiring"),
    ({"gongjiang__competitions__forms": "import gongjiang.orgs.views\n"}, "public modules"),
    ({"gongjiang__core__a": "import gongjiang.core.b\n", "gongjiang__core__b": "import gongjiang.core.a\n"},
     "No import cycles"),
], ids=["core-imports-orgs", "orgs-imports-an-app", "wiring", "another-apps-views", "cycle"])
def test_a_deliberate_violation_fails_the_lint(tmp_path, extra, broken):
    result = lint(shaped(tmp_path, **extra), tmp_path)
    assert result.returncode != 0
    report = " ".join(result.stdout.split())
    assert broken in report[report.index("Broken contracts"):], result.stdout


def test_the_drawing_of_the_imports_is_todays():
    """docs/imports.md draws who imports whom; it is regenerated with tools/import_graph.py when that changes."""
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "import_graph.py"), "--check"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, env={**os.environ, "DEBUG": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    drawing = (ROOT / "docs" / "imports.md").read_text(encoding="utf-8")
    assert "core -->" not in drawing  # core imports no app
    assert "orgs --> competitions" not in drawing and "--> urls" not in drawing.replace("urls --> api", "")
