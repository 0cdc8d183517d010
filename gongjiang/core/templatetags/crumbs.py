"""Breadcrumbs and other links to the pages of things a user may or may not open (`{% load crumbs %}`).

ONE place decides whether a crumb is a link: `{% crumb_url obj as url %}` gives the object's page when the user may
open it — the object says so itself (`can_open(user)`, e.g. `Org.can_open`: the same condition as the page's own
`for_user`) — and "" otherwise, so the trail shows an org above the user's scope (a city cadre's 省总工会) as plain
text instead of a link to a 404. Whatever builds a trail (`Org.ancestors_and_self`, the org pages' visible trails,
an import's `target_trail`, a competition's round) only chooses what is in it. Fails closed: an object that cannot
answer, or an anonymous visitor, gets no link."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


def crumb_link(obj: Any, user: Any) -> str:
    """The URL of `obj`'s page if `user` may open it, else ''."""
    can_open = getattr(obj, "can_open", None)
    if user is None or not getattr(user, "is_authenticated", False) or can_open is None:
        return ""
    if not can_open(user):
        return ""
    return str(obj.get_absolute_url())


@register.simple_tag(takes_context=True)
def crumb_url(context: Any, obj: Any) -> str:
    """`{% crumb_url org as url %}{% if url %}<a href="{{ url }}">…</a>{% else %}…{% endif %}`"""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return crumb_link(obj, user)
