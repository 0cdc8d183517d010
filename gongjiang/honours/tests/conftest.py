import pytest

from gongjiang.core.tests.english import _english_messages, client  # noqa: F401  (fixtures of this package)


@pytest.fixture
def hw(sd):
    from .factories import honours

    return honours(sd)


@pytest.fixture
def st(sd):
    from .studio_factories import studios

    return studios(sd)
