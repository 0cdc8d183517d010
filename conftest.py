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


@pytest.fixture
def sd(db):
    from gongjiang.orgs.tests.factories import build_province

    return build_province()
