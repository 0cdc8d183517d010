"""The pages every app feeds through the registries: the to-do inbox (待办) and the site search (the header's
search box). Core renders them; what they hold comes from the apps' providers, always within the user's scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import registry

MIN_QUERY = 2  # one character matches half the province: ask for two (a surname and a given name, 4 digits…)
PER_GROUP = 10


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """Everything waiting for the user, from every app: what, how many, and a link to where it is done."""
    return render(request, "core/todo.html", {"items": registry.todo_items(request.user)})


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """?q=: organisations, workers (name, last four of the ID number, mobile tail), competitions… of every app
    that registered a search, each within the user's scope."""
    q = request.GET.get("q", "").strip()[:40]
    groups = registry.search(request.user, q, PER_GROUP) if len(q) >= MIN_QUERY else []
    return render(request, "core/search.html", {"q": q, "groups": groups, "too_short": 0 < len(q) < MIN_QUERY,
                                                "min_query": MIN_QUERY})
