"""The worker's phone pages: submit a proposal (similar existing proposals shown as the title and the problem are
typed, over htmx) and follow their own proposals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gongjiang.core import pages
from gongjiang.core.types import logged_in

from .. import queries, services
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
    return render(request, "innovation/worker/submit.html", {"form": form, "similar": similar,
                                                             "similar_achievements": achievements},
                  status=400 if form.is_bound and form.errors else 200)


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
