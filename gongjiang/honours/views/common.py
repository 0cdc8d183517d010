"""What the honours pages share: the union a page is about and the objects fetched through the scopes (anything
out of scope is a 404)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from gongjiang.orgs import queries as org_queries
from gongjiang.orgs.models import Org

from .. import queries
from ..models import Campaign, Nomination


def page_org(request: HttpRequest, param: str = "org") -> Org | None:
    """The union a page is about: ?org= (or `param`; in the user's scope) or the current scope of the top bar."""
    return org_queries.page_org(request, param)


def campaign_or_404(request: HttpRequest, pk: int) -> Campaign:
    found = queries.campaigns_for(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def nomination_or_404(request: HttpRequest, pk: int) -> Nomination:
    found = queries.detail(request.user, pk)
    if found is None:
        raise Http404
    return found
