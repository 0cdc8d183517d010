import pytest

from gongjiang.core.tests.english import _english_messages, client  # noqa: F401  (fixtures of this package)


@pytest.fixture
def cw(sd):
    from .factories import care

    return care(sd)
