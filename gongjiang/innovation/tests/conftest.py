import pytest

from gongjiang.core.tests.english import _english_messages, client  # noqa: F401  (fixtures of this package)


@pytest.fixture
def inn(sd):
    from .factories import innovation

    return innovation(sd)


@pytest.fixture
def ta(inn):
    """The technical associations of the province, Jinan, 济钢 and Qingdao, and Jinan's 技协 officer."""
    from .techassoc_factories import tech

    return tech(inn)


@pytest.fixture
def ex(inn):
    from .exhibition_factories import expo

    return expo(inn)
