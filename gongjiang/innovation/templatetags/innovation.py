"""Template filters of the innovation pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from gongjiang.core.history import number

register = template.Library()


@register.filter
def wan(value: Any) -> str:
    """An amount of yuan shown in 万元 (two places, grouped): 1,234,500 → 123.45."""
    if value in (None, ""):
        return "—"
    try:
        return number((Decimal(str(value)) / 10000).quantize(Decimal("0.01")), 2)
    except InvalidOperation:
        return str(value)
