import pytest

from gongjiang.core.tests.english import _english_messages, client  # noqa: F401  (fixtures of this package)


@pytest.fixture(autouse=True)
def _fresh_pools():
    """Each test draws from the banks as it made them (the engine keeps a paper's pools for a minute)."""
    from gongjiang.learning.services import attempts

    attempts._forget_pools()
    attempts._KEYS.clear()
    yield
    attempts._forget_pools()
