"""What the innovation views share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.orgs import queries as org_queries
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
    return org_queries.page_org(request)


Fetch = Callable[[HttpRequest, int], Any]


def step_view(fetch: Fetch, back: Callable[[HttpRequest, Any], HttpResponse], form_class: Any,
              call: Callable[[HttpRequest, Any, dict[str, Any]], Any], success: Any
              ) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST view of one step on an object's page: the object through `fetch` (out of scope: 404), the form's data
    (a bad field is an error message naming it, nothing changed), then the verb through `pages.act` (a refusal is an
    error message, a permission refusal a 403), and `back` to the page."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int, **more: int) -> HttpResponse:
        obj: Model = fetch(request, pk)
        data: dict[str, Any] = dict(more)
        if form_class is not None:
            form = form_class(request.POST, request.FILES or None)
            if not form.is_valid():
                field, errors = next(iter(form.errors.items()))
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}：{errors[0]}" if label else errors[0])
                return back(request, obj)
            data.update(form.cleaned_data)
        pages.act(request, lambda: call(request, obj, data), str(success))
        return back(request, obj)

    return view
