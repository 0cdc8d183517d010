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
def hw(sd):
    from .factories import honours

    return honours(sd)
