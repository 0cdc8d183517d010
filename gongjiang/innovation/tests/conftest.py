import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service tests match the English msgids (the Chinese is checked by the translation tests)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")


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
