from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context: Any, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (pagination, sorting, export links)."""
    query = context["request"].GET.copy()
    for k, v in kwargs.items():
        if v in (None, ""):
            query.pop(k, None)
        else:
            query[k] = v
    return query.urlencode()


@register.filter
def yesno_zh(value: Any) -> str:
    return "是" if value else "否"
