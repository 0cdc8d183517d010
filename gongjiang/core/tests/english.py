"""Fixtures of the apps' test packages whose tests match the English msgids (the Chinese catalogue has its own
tests, gongjiang/core/tests/test_translations.py): an app's conftest imports them,
`from gongjiang.core.tests.english import _english_messages, client  # noqa: F401`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Service tests match the English msgids (the Chinese is checked by the translation tests)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client() -> Any:
    """The pages in English, like the services' messages above."""
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="en")
