"""Form pieces every app's pages share (widgets); the forms themselves live with their app."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker, with the ISO value it sends and shows (2026-09-01)."""

    input_type = "date"

    def __init__(self, **kw: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kw)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (the verbs check each file's type and size: `core.files`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.pptx,.doc,.xls"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []
