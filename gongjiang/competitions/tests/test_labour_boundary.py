"""Labour competitions live inside the competitions app as a slice of their own (docs/architecture.md says why they
are not an app yet): they share with skills competitions the Competition row alone — its fields, its scoping, the
verbs that create and update it and the organiser's check. This test keeps the slice separable, so that moving it
into an app of its own stays a matter of migrations:

- no skills module (structure, registration, draws, judging, results, awards, analysis…) uses a labour model, verb,
  read or rule, not even through the packages' re-exports;
- a labour module takes nothing from the skills side but that shared row.

The wiring that names every part of the app (the packages' re-exports, urls, the menu and to-do registries, the
demo, the audit labels, the choices) is exempt."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1]
LABOUR = {"models.labour", "services.labour", "services.evaluation", "queries.labour", "queries.evaluation",
          "rules.labour", "views.labour", "forms.labour", "labour_figures"}
WIRING = {"models", "services", "queries", "rules", "views", "api", "forms", "schemas", "urls", "plugins", "demo",
          "apps", "verbs", "choices"}
# What labour takes from the skills side: the competition row, its verbs, the organiser's check.
SHARED = {"models": {"Competition", "reach_q"}, "models.structure": {"Competition"},
          "services.structure": {"create_competition", "update_competition"}, "services.common": {"_require_organiser"}}


def modules() -> dict[str, Path]:
    found = {}
    for path in APP.rglob("*.py"):
        rel = path.relative_to(APP)
        if rel.parts[0] in {"tests", "migrations"}:
            continue
        name = ".".join(rel.with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = modules()


def resolve(module: str, node: ast.ImportFrom) -> str | None:
    """The app-relative name of what `node` imports from ("models", "services.structure"), None outside the app."""
    if node.level == 0:
        prefix = "gongjiang.competitions"
        target = node.module or ""
        return target.removeprefix(prefix).lstrip(".") if target.startswith(prefix) else None
    package = module.split(".") if (APP / Path(*module.split("."))).is_dir() else module.split(".")[:-1]
    base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
    return ".".join([*base, *([node.module] if node.module else [])])


def uses(module: str) -> set[tuple[str, str]]:
    """(app module, name) of everything `module` takes from the app: imported names, and the attributes it reads of
    the `services` and `queries` packages it imported whole."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[tuple[str, str]] = set()
    packages: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = resolve(module, node)
            if source is None:
                continue
            for alias in node.names:
                child = f"{source}.{alias.name}".lstrip(".")
                if child in {"services", "queries"}:
                    packages[alias.asname or alias.name] = child
                elif child in MODULES:
                    found.add((child, "*"))
                else:
                    found.add((source, alias.name))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in packages:
            found.add((packages[node.value.id], node.attr))
    return found


def public_names(module: str) -> set[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name) and not t.id.startswith("_")}
    return names


LABOUR_NAMES = {
    "models": public_names("models.labour"),
    "services": public_names("services.labour") | public_names("services.evaluation"),
    "queries": public_names("queries.labour") | public_names("queries.evaluation"),
}


def test_the_slice_is_where_the_test_looks():
    assert LABOUR <= MODULES.keys()
    assert {"Indicator", "CompetingUnit", "Period", "Evaluator", "Evaluation", "PeriodResult"} <= LABOUR_NAMES["models"]
    assert {"close_period", "set_indicators"} <= LABOUR_NAMES["services"]
    assert {"year_table", "is_evaluator"} <= LABOUR_NAMES["queries"]


@pytest.mark.parametrize("module", sorted(set(MODULES) - LABOUR - WIRING))
def test_a_skills_module_knows_nothing_of_labour(module):
    for source, name in uses(module):
        assert source not in LABOUR, f"{module} imports {source}"
        assert name not in LABOUR_NAMES.get(source, set()), f"{module} uses {source}.{name}"


@pytest.mark.parametrize("module", sorted(LABOUR))
def test_a_labour_module_takes_only_the_competition_row_from_the_skills_side(module):
    for source, name in uses(module):
        if source in LABOUR or (source in {"choices", "rules"} and name in {"labour", "*"}) or source == "choices":
            continue
        if source in {"services", "queries", "models"} and name in LABOUR_NAMES[source]:
            continue
        assert name in SHARED.get(source, set()), f"{module} takes {source}.{name} from the skills side"
