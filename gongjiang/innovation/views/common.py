"""What the innovation views share."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from gongjiang.orgs.models import Org

from .. import queries
from ..models import Proposal


def proposal_or_404(request: HttpRequest, pk: int) -> Proposal:
    """A proposal the user may see (a 404 for anything else: out of scope says nothing of it)."""
    found = queries.detail(request.user, pk)
    if found is None:
        raise Http404
    return found


def scope_org(request: HttpRequest) -> Org | None:
    """The org a cadre's page is about: ?org= (in scope) or the current scope of the top bar."""
    pk = request.GET.get("org", "")
    if pk:
        if not pk.isdigit():
            raise Http404
        return get_object_or_404(Org.objects.for_user(request.user, "view"), pk=pk)
    scope: Any = getattr(request, "scope_org", None)
    if not scope:
        return None
    return getattr(scope, "_wrapped", scope)
