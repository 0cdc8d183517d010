"""Adding an app touches no other app: the example app in tests/example_app is installed in INSTALLED_APPS and
plugs into the menu, the landing pages, the to-do inbox, the search, the demo, the personas and the audit labels
through core's registries alone — and imports nothing of orgs or competitions (docs/architecture.md)."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gongjiang.core import registry
from gongjiang.core.verbs import verb_label
from gongjiang.orgs.models import User
from tests.example_app import plugins

APP = Path(__file__).parent / "example_app"


@pytest.fixture
def example_user(db):
    return User.objects.create_user(username=plugins.USER, password="Gongjiang-2026", full_name="示例用户")


def test_its_menu_entry_landing_todo_and_search_reach_its_users(example_user):
    client = Client()
    client.force_login(example_user)
    landed = client.get(reverse("orgs:home"))
    assert landed.status_code == 302 and landed["Location"] == reverse("example_app:index")
    page = client.get(landed["Location"])
    assert page.status_code == 200 and "改进车床夹具" in page.content.decode()
    menu = [(s["label"], [i["label"] for i in s["items"]]) for s in page.context["gj_nav"]]
    assert ("Example", ["Suggestions"]) in menu
    current = [i for s in page.context["gj_nav"] for i in s["items"] if i["current"]]
    assert [i["label"] for i in current] == ["Suggestions"]
    todo = client.get(reverse("core:todo")).context["items"]
    assert [(i.app, i.count) for i in todo] == [("example_app", 2)]
    found = client.get(reverse("core:search"), {"q": "焊材"}).context["groups"]
    assert [(g["key"], [h.label for h in g["hits"]]) for g in found] == [("example", ["降低焊材损耗"])]


def test_other_users_see_nothing_of_it(sd):
    client = Client()
    client.force_login(sd.jinan_cadre)
    page = client.get(reverse("orgs:home"))
    assert "Suggestions" not in [i["label"] for s in page.context["gj_nav"] for i in s["items"]]
    assert all(i.app != "example_app" for i in page.context["todo"])


def test_its_demo_loader_runs_after_the_one_it_names_and_only_when_asked(db):
    order = [loader.key for loader in registry.demo_loaders()]
    assert order.index("example") > order.index("orgs")
    plugins.LOADED.clear()
    call_command("load_demo", scale="tiny", stdout=io.StringIO())
    assert plugins.LOADED == []  # its scales are none: only on request
    out = io.StringIO()
    call_command("load_demo", scale="tiny", reset=True, include=["example"], stdout=out)
    assert plugins.LOADED == ["tiny"] and "Loaded 2 example suggestions." in out.getvalue()


def test_its_persona_and_verb_labels_are_registered(example_user):
    assert plugins.USER in [p.username for p in registry.personas()]
    out = io.StringIO()
    call_command("demo_logins", stdout=out)
    assert plugins.USER in out.getvalue() and "Reviews the example suggestions" in out.getvalue()
    assert verb_label("example_app.suggestion.reviewed") == "审阅建议"


def test_it_imports_no_other_app_and_no_app_imports_it():
    for f in APP.rglob("*.py"):
        tree = ast.parse(f.read_text(encoding="utf-8"))
        names = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not [m for m in names if m.startswith(("gongjiang.orgs", "gongjiang.competitions"))], f
    package = Path(__file__).parent.parent / "gongjiang"
    assert not [f for f in package.rglob("*.py")  # settings.py installs it for the tests, nothing else knows it
                if f.name != "settings.py" and "example_app" in f.read_text(encoding="utf-8")]


def test_a_demo_loader_circle_is_refused():
    saved = registry.snapshot()
    try:
        registry.register_demo(registry.DemoLoader("a", plugins._load_demo, after=("b",)),
                               registry.DemoLoader("b", plugins._load_demo, after=("a",)))
        with pytest.raises(ValueError, match="circle"):
            registry.demo_loaders(["a"])
    finally:
        registry.restore(saved)
