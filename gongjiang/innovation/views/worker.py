"""The worker's phone pages: submit a proposal (similar existing proposals shown as the title and the problem are
typed, over htmx) and follow their own proposals. The submit form carries a signed ticket (tickets.py): its script
sends a proposal without co-proposers or files to `send`, the workers' hot path, which answers 201 with the new
proposal's address (400 with every problem, the page then posting the form itself to show them in place); the form
posts to `submit` without JavaScript, with co-proposers or files, as before."""

from __future__ import annotations

import json
from collections.abc import Mapping

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.types import logged_in

from .. import queries, services, tickets
from ..forms import SubmitForm


@login_required
def my_proposals(request: HttpRequest) -> HttpResponse:
    rows = list(queries.my_proposals(request.user)[:200])
    return render(request, "innovation/worker/my_proposals.html", {"rows": rows})


@login_required
def submit(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "person_id", None):
        raise PermissionDenied(_("Only a worker's own account can submit a proposal."))
    form = SubmitForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        proposal = pages.handle(form, lambda: services.submit_proposal(
            actor=logged_in(request.user), title=d["title"], problem=d["problem"], solution=d["solution"],
            category=d["category"], kind=d["kind"], expected_benefit=d["expected_benefit"],
            co_proposers=d["co_proposers"], files=d["files"]))
        if proposal is not None:
            messages.success(request, _("Your proposal %(number)s has been submitted.") % {"number": proposal.number})
            return redirect("innovation:proposal_detail", pk=proposal.pk)
    similar, achievements = [], []
    if form.is_bound and form.data.get("title"):
        similar = queries.similar(request.user, form.data.get("title", ""), form.data.get("problem", ""))
        achievements = queries.achievements.similar_achievements(request.user, form.data.get("title", ""),
                                                                 form.data.get("problem", ""))
    return render(request, "innovation/worker/submit.html", {
        "form": form, "similar": similar, "similar_achievements": achievements, "ticket": _ticket(request),
    }, status=400 if form.is_bound and form.errors else 200)


def _ticket(request: HttpRequest) -> str:
    """The form's signed ticket for the worker (their unit and union read once, here); "" when their unit belongs
    to no union (the form's own path then tells them)."""
    found = queries.submitter(request.user)
    if found is None:
        return ""
    person, enterprise = found
    return tickets.issue(request.user.pk, person.pk, person.employer_id, person.employer.path, enterprise.pk,
                         enterprise.name, getattr(request.user, "language", "") or "")


SENT_FIELDS = ("ticket", "title", "problem", "solution", "category", "kind", "expected_benefit")


@csrf_exempt
@require_POST
def send(request: HttpRequest) -> JsonResponse:
    """The form's script sends a proposal without co-proposers or files here, with the ticket and no cookies: the
    ticket is the credential — signed for the worker, read only from their own page (another site's page cannot read
    it), so it also does what the CSRF token does for a cookie's session; the session is neither read nor saved. The
    script sends a JSON object of strings (`application/json`); a url-encoded form is read too. 201 {"id", "number",
    "url"} (the script goes to the url with ?sent=1, where the page confirms it); 400 {"error", "errors": {field:
    message}}; 403 when the ticket's account is switched off."""
    try:
        p = _sent_fields(request)
        ticket = tickets.read(p.get("ticket", ""))
        sent = services.send_proposal(
            actor=ticket, title=p.get("title", ""), problem=p.get("problem", ""), solution=p.get("solution", ""),
            category=p.get("category", ""), kind=p.get("kind", ""), expected_benefit=p.get("expected_benefit", ""))
    except PermissionDeniedError as e:
        return JsonResponse({"error": e.message, "code": e.code}, status=403)
    except DomainError as e:
        return JsonResponse({"error": e.message, "errors": e.errors, "code": e.code}, status=400)
    return JsonResponse({"id": sent.pk, "number": sent.number, "url": sent.url}, status=201)


def _sent_fields(request: HttpRequest) -> Mapping[str, str]:
    """The fields `send` reads: a JSON object whose values are strings (as the script sends it; a few µs to read),
    or a url-encoded form."""
    if request.content_type != "application/json":
        return request.POST
    try:
        data = json.loads(request.body)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not all(isinstance(data.get(k, ""), str) for k in SENT_FIELDS):
        raise DomainError(_("The form was sent in a shape this page does not read: reload the page."),
                          field="form", code="form")
    return data


@login_required
def similar(request: HttpRequest) -> HttpResponse:
    """The similar proposals of what is being typed (the submit form's htmx fragment; a valuator's page too)."""
    title = request.GET.get("title", "")[:120]
    body = request.GET.get("problem", "")[:2000]
    exclude = request.GET.get("exclude", "")
    found = queries.similar(request.user, title, body, exclude=int(exclude) if exclude.isdigit() else None)
    achievements = queries.achievements.similar_achievements(request.user, title, body)
    return render(request, "innovation/_similar.html", {"similar": found, "similar_achievements": achievements,
                                                        "typed": bool(title.strip())})
