"""Shared fixtures: `sd` is a small 山东 province with one account per persona (see factories)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

# Property tests run on a CI machine of two cores that the suite keeps busy (and on developers' machines running
# several suites at once): no deadline per example and no "input generation is slow" health check, which fail on a
# busy machine and say nothing about the rules. The number of examples stays Hypothesis's default.
settings.register_profile("gongjiang", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("gongjiang")


# `make test` runs the suite twice, on SQLite and on PostgreSQL. The second run needs only the tests that touch the
# database: a test using none (a pure rule, a property test, a type or layer check, the production settings read in
# a subprocess against its own SQLite file) runs the same code whatever DATABASE_URL says, and already ran.
_DATABASE_FIXTURES = frozenset({"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                                "live_server"})


def pytest_addoption(parser):
    parser.addoption("--database-tests-only", action="store_true",
                     help="run only the tests that use the database (django_db, its fixtures or the `database` mark)")


def _uses_database(item) -> bool:
    return (item.get_closest_marker("django_db") is not None or item.get_closest_marker("database") is not None
            or bool(_DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ()))))


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-tests-only"):
        return
    kept = [item for item in items if _uses_database(item)]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if not _uses_database(item)])
        items[:] = kept


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language: a request with another Accept-Language (a test of the English
    fallback) leaves its language active in the thread, and a later test's stored texts (an audit row's object
    name) would be in English."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded files and error reports go to a temporary directory, never into var/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True, scope="module")
def _reference_data_after_transactional_tests(request, django_db_blocker):
    """A transactional test ends by emptying every table, the reference data the apps' migrations load included
    (`core.registry.register_reference_data`: occupations, standard honour types…). Put them back once the module
    is done, for the modules the same worker runs after it. (Module scope: a function-scoped fixture is torn down
    before the database fixture's flush, so it would restore too early.)"""
    yield
    transactional = any(
        (marker := item.get_closest_marker("django_db")) is not None and marker.kwargs.get("transaction")
        for item in request.session.items if item.module is request.module)
    if not transactional:
        return
    from gongjiang.core.registry import reference_data

    with django_db_blocker.unblock():
        for entry in reference_data():  # what the apps' migrations load (occupations, standard honour types…)
            if entry.missing():
                entry.load()


_TRANSACTIONAL_FIXTURES = frozenset({"transactional_db", "live_server", "django_db_reset_sequences",
                                     "django_db_serialized_rollback"})


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return ((marker is not None and bool(marker.kwargs.get("transaction")))
            or bool(_TRANSACTIONAL_FIXTURES.intersection(getattr(item, "fixturenames", ()))))


_SHARING_FIXTURES = frozenset({"sd", "module_transaction", "module_province"})


@pytest.fixture(scope="module")
def module_transaction(request, django_db_setup, django_db_blocker):
    """A transaction around the whole test module, which the module's end rolls back (as Django's TestCase opens
    one around a class for `setUpTestData`): what a module-scoped fixture builds in it is built once, and each test
    runs in a savepoint of it, its own changes undone after it. Yields True when open.

    It opens only where every test of the module that uses the database takes part (uses `sd` or this fixture): a
    test that expects the tables as the migrations left them (a demo loaded from nothing) would see the module's
    data. Nor where a test is transactional (it commits and empties the tables, which cannot happen inside an open
    transaction). There it yields False, and the fixtures built on it build per test, as before."""
    items = [item for item in request.session.items if item.module is request.module]
    if any(_transactional(item) or (_uses_database(item) and not _SHARING_FIXTURES.intersection(item.fixturenames))
           for item in items):
        yield False
        return
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # as TestCase marks its own: `atomic(durable=True)` in the code stays allowed
        outer.__enter__()
    try:
        yield True
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def module_province(module_transaction, django_db_blocker):
    """The factory province, built once per module when the module's transaction is open (else None: `sd` builds
    it per test). Building it was a tenth of a second, thousands of times per run."""
    if not module_transaction:
        return None
    from gongjiang.orgs.tests.factories import build_province

    with django_db_blocker.unblock():
        return build_province()


@pytest.fixture
def sd(module_province, db):
    """The factory province: the module's copy (each test gets its own copy of the objects, the rows it changes are
    restored after it), or one built for the test."""
    if module_province is None:
        from gongjiang.orgs.tests.factories import build_province

        return build_province()
    import copy

    return copy.deepcopy(module_province)
