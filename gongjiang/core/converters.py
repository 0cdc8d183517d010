"""URL converters shared by every app's pages."""

from __future__ import annotations

from django.urls.converters import IntConverter

MAX_ID = 2**63 - 1


class IdConverter(IntConverter):
    """`<id:pk>`: a row id — digits that fit a 64-bit primary key. A longer number is no URL of ours (404),
    rather than an overflow in the database driver (a 500 on SQLite)."""

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")
        return number
