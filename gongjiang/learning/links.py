"""Where an attempt's page leads back to, per purpose (a level to its challenge's map, a contest to its page…):
each part of the app registers its own (`register_return`), the attempt page asks (`return_url`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse

_RETURNS: dict[str, Callable[[Any], str]] = {}


def register_return(purpose: str, url: Callable[[Any], str]) -> None:
    _RETURNS[purpose] = url


def return_url(attempt: Any) -> str:
    found = _RETURNS.get(attempt.purpose)
    return found(attempt) if found else reverse("orgs:home")
