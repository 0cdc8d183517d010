import pytest

from gongjiang.core.tests.english import _english_messages, client  # noqa: F401  (fixtures of this package)
from gongjiang.orgs import facts


@pytest.fixture(autouse=True)
def _metrics():
    """The metrics the sample rubric names (registered by their apps once those declare them)."""
    from .factories import ensure_metrics

    added = ensure_metrics()
    yield
    for key in added:
        facts._metrics.pop(key, None)


@pytest.fixture
def aw(sd):
    from .factories import assessments

    return assessments(sd)
