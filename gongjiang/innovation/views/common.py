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
# A page shown again with a refused form: (request, the object, the step's data so far — the URL's ids —, the bound
# form carrying its errors) → the page, answered 400, with the form filled with what was typed.
Page = Callable[[HttpRequest, Any, dict[str, Any], Any], HttpResponse]


def step_view(fetch: Fetch, back: Callable[[HttpRequest, Any], HttpResponse], form_class: Any,
              call: Callable[[HttpRequest, Any, dict[str, Any]], Any], success: Any, page: Page | None = None,
              aliases: dict[str, str] | None = None) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST view of one step on an object's page: the object through `fetch` (out of scope: 404), the form's data,
    then the verb, and `back` to the page.

    With `page`, a refusal — a bad field or the verb's — shows the page again with the bound form: what the user typed
    is kept and each error stands next to the field it names (status 400, nothing changed). Without it (buttons and
    forms of one choice), a bad field is an error message naming it and a refusal of the verb an error message
    (`pages.act`), after the redirect back. A permission refusal is a 403 either way. `aliases` renames a field the
    verb names to the form's input standing for it (`pages.handle`)."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int, **more: int) -> HttpResponse:
        obj: Model = fetch(request, pk)
        data: dict[str, Any] = dict(more)
        if form_class is not None:
            form = form_class(request.POST, request.FILES or None)
            if not form.is_valid():
                if page is not None:
                    return page(request, obj, data, form)
                field, errors = next(iter(form.errors.items()))
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}：{errors[0]}" if label else errors[0])
                return back(request, obj)
            data.update(form.cleaned_data)
            if page is not None:
                if pages.handle(form, lambda: call(request, obj, data), aliases) is None:
                    return page(request, obj, data, form)
                messages.success(request, str(success))
                return back(request, obj)
        pages.act(request, lambda: call(request, obj, data), str(success))
        return back(request, obj)

    return view
