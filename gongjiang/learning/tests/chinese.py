"""Fixtures for the test modules that read the Chinese messages and pages (the banks' tests): imported into such a
module, they take the place of the package's English ones (conftest.py) for it alone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """(Named as the package's fixture it replaces.) The messages in Chinese."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def client() -> Any:
    from django.test import Client

    return Client()
