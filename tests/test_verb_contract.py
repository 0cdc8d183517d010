"""The verb contract (DESIGN §4.13), checked over every app's `services` package, whatever apps come: services/
holds verbs only, and a verb is atomic, takes a keyword-only `actor` and refuses an actor who is not logged in with
`PermissionDeniedError` without writing anything. Read models belong in the app's `queries/`, pure calculations in
its rules, the helpers verbs share are private (`_name`).

- Statically: every public function defined in a module of an app's services is a `core.services.verb` (the very
  function the decorator returned), with a keyword-only `actor`, wrapped in `transaction.atomic` — found in the
  wrapper itself, not taken from the registry's word — unless it is listed in NOT_ATOMIC with the reason; the
  package re-exports exactly its verbs, the same way in every app; no verb is registered outside a services package.
- At run time: each verb, called by an anonymous visitor and by nobody (`actor=None`), is refused with
  `PermissionDeniedError` and no table of any app changes.

Whether a logged-in actor out of scope is refused is the permission matrices' question, verb by verb on realistic
objects (`competitions/tests/test_permission_matrix.py` has a row for every competitions verb;
`orgs/tests/test_scopes.py` tries the orgs verbs)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction

from gongjiang.core import services as core_services
from gongjiang.core.errors import PermissionDeniedError

# Verbs that must do something outside their transaction, each with the reason (and an atomic step of its own).
NOT_ATOMIC = {
    "gongjiang.competitions.services.chief.decrypt": "the supervisor's password is checked outside the transaction "
    "so that a wrong one is counted by the log-in throttle; the decryption itself is the atomic `_decrypt`",
    "gongjiang.innovation.services.proposals.submit_proposal": "a worker's submission writes its rows in one "
    "statement on PostgreSQL (core.bulk.insert_together, atomic by itself) and in a transaction elsewhere, or with "
    "its files",
    "gongjiang.innovation.services.proposals.send_proposal": "the phone form's path writes in one statement on "
    "PostgreSQL (atomic by itself: the account's check, the id and the four rows) and in a transaction elsewhere",
    "gongjiang.competitions.services.judging.save_mark": "the hot path of a final writes in one statement, atomic by "
    "itself (an upsert guarded by the sheet's state, locking its row); a save that statement refuses is made again "
    "by the atomic `_save_mark_locked`",
    "gongjiang.learning.services.attempts.answer": "the hot path of a contest writes in one statement, atomic by "
    "itself (an upsert guarded by the attempt's state, share-locking its row); nothing else is written",
    "gongjiang.learning.services.attempts.start": "a start whose attempt the one-active index refuses is reported "
    "as the attempt in progress: the writes are one atomic block of their own, the refusal read after it",
    "gongjiang.learning.services.attempts.submit": "marks in the atomic `_submit_locked`, the attempt's row locked "
    "first",
    "gongjiang.learning.services.attempts.close_expired": "each timed-out attempt is submitted in a transaction of "
    "its own (`_submit_locked`), so one that fails does not undo the others",
}


def services_packages() -> list[ModuleType]:
    """The `services` package of every app of the project that has one (core's `services` module is the verb
    decorator itself, not a package of verbs)."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("gongjiang."):
            continue
        try:
            package = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError:
            continue
        if hasattr(package, "__path__"):
            found.append(package)
    return found


def public_functions() -> Iterator[tuple[str, Callable[..., Any]]]:
    """(dotted name, function) of every public function defined in a module of a services package."""
    for package in services_packages():
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, fn in inspect.getmembers(module, inspect.isfunction):
                if not name.startswith("_") and fn.__module__ == module.__name__:
                    yield f"{module.__name__}.{name}", fn


FUNCTIONS = dict(public_functions())


def test_the_project_has_services_packages_with_verbs():
    names = {p.__name__ for p in services_packages()}
    assert {"gongjiang.orgs.services", "gongjiang.competitions.services"} <= names
    assert len(FUNCTIONS) > 60


def atomic_blocks(fn: Callable[..., Any]) -> list[transaction.Atomic]:
    """The `transaction.Atomic` a function runs in, found in the closures of its wrappers (what
    `@transaction.atomic` leaves: a function closing over the Atomic instance and the wrapped function)."""
    found, seen, todo = [], set(), [fn]
    while todo:
        f = todo.pop()
        if id(f) in seen:
            continue
        seen.add(id(f))
        for cell in getattr(f, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:  # an empty cell
                continue
            if isinstance(value, transaction.Atomic):
                found.append(value)
            elif inspect.isfunction(value):
                todo.append(value)
    return found


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_public_function_of_services_is_an_atomic_verb_with_a_keyword_only_actor(name):
    fn = FUNCTIONS[name]
    registered = core_services.verb_of(fn)
    assert registered is not None, f"{name} is public in services/ but no verb: make it private or move it to queries/"
    actor = inspect.signature(fn).parameters.get("actor")
    assert actor is not None and actor.kind is inspect.Parameter.KEYWORD_ONLY
    blocks = atomic_blocks(fn)
    if name in NOT_ATOMIC:
        assert not registered.atomic and not blocks, f"{name} is atomic now: take it off NOT_ATOMIC"
    else:
        assert registered.atomic and blocks, f"{name} does not run in a transaction"


def test_no_verb_is_registered_outside_a_services_package():
    prefixes = tuple(f"{p.__name__}." for p in services_packages())
    stray = {name for name in core_services.VERBS if name.startswith("gongjiang.") and not name.startswith(prefixes)}
    assert not stray
    assert set(NOT_ATOMIC) <= set(FUNCTIONS)


@pytest.mark.parametrize("package", services_packages(), ids=lambda p: p.__name__)
def test_each_services_package_re_exports_exactly_its_verbs(package):
    """`from gongjiang.<app> import services; services.<verb>(actor=…, …)` in every app, and nothing else there:
    the input types of the verbs (classes) may be re-exported too."""
    own = {name.rsplit(".", 1)[1]: fn for name, fn in FUNCTIONS.items() if name.startswith(f"{package.__name__}.")}
    exported = set(package.__all__)
    assert set(own) <= exported, "a verb its package does not re-export"
    for name in exported:
        value = getattr(package, name)
        assert inspect.isclass(value) or own.get(name) is value, f"{name} is re-exported but is no verb of the package"


def snapshot() -> dict[str, int]:
    """Rows per table of every app of the project (a refused verb adds, removes or audits nothing)."""
    tables = set(connection.introspection.table_names())
    counts = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.app_label in {"core", "orgs", "competitions", "innovation", "honours"} and table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db
@pytest.mark.parametrize("actor", [AnonymousUser(), None], ids=["anonymous", "nobody"])
def test_every_verb_refuses_an_actor_who_is_not_logged_in_and_writes_nothing(actor):
    before = snapshot()
    for name, fn in sorted(FUNCTIONS.items()):
        with pytest.raises(PermissionDeniedError) as refused:
            fn(actor=actor)  # refused before its other arguments are even looked at
        assert refused.value.status == 403, name
    assert snapshot() == before
