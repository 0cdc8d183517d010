import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages():
    """Service tests match the English msgids (the Chinese is checked by the translation tests)."""
    with translation.override("en"):
        yield
