"""Form pieces every app's pages share (widgets); the forms themselves live with their app."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker, with the ISO value it sends and shows (2026-09-01)."""

    input_type = "date"

    def __init__(self, **kw: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kw)
