"""The nominations' pages: a new nomination (one nominee), a nomination's page (facts, deeds, materials, submit,
withdraw) and the download of a material through the nomination's scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongjiang.core import audit, history, pages
from gongjiang.core.files import serve_file
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Org, Person

from .. import services
from ..choices import Material
from ..forms import FilesForm, NominationForm
from ..models import NominationFile
from .common import campaign_or_404, nomination_or_404, page_org
from .reviews import review_context


@login_required
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_or_404(request, pk)
    unit = page_org(request, "unit") or page_org(request)
    if unit is None or not unit.can_change(request.user):
        raise PermissionDenied(_("Choose the union that nominates."))
    subject = campaign.honour_type.subject
    initial, chosen = _prefill(request, unit)
    form = NominationForm(request.POST or None, unit=unit, subject=subject, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = pages.handle(form, lambda: services.nominate(
            actor=logged_in(request.user), campaign=campaign, unit=unit, subject=subject, person=d.get("person"),
            nominee_org=d.get("nominee_org"), name=d.get("name") or "", front_line=d["front_line"],
            is_leader=d["is_leader"], years_in_trade=d["years_in_trade"],
            disciplinary_record=d["disciplinary_record"], deeds=d["deeds"]), aliases={"person": "id_number"})
        if done is not None:
            messages.success(request, _("Nomination saved as a draft: attach the materials, then submit it."))
            return redirect("honours:nomination_detail", pk=done.pk)
    return render(request, "honours/nominate.html", {"campaign": campaign, "unit": unit, "form": form,
                                                     "subject": subject, "chosen": chosen},
                  status=400 if form.is_bound and form.errors else 200)


def _prefill(request: HttpRequest, unit: Org) -> tuple[dict[str, Any], Person | None]:
    """The form opened from a suggestion (?person= or ?nominee_org=, ?deeds=): the nominee, if on the union's roster
    or within it, and the reasons as a first account of deeds. Nothing is nominated until the form is saved."""
    initial: dict[str, Any] = {"deeds": request.GET.get("deeds", "")[:5000]}
    source = request.POST if request.method == "POST" else request.GET
    pk = source.get("person_id") or request.GET.get("person", "")
    chosen = (Person.objects.filter(pk=pk, employer__path__startswith=unit.path).first()
              if str(pk).isdigit() else None)
    if chosen is not None:
        initial.update(person_id=chosen.pk, person_name=chosen.name)
    org_pk = request.GET.get("nominee_org", "")
    if org_pk.isdigit():
        initial["nominee_org"] = int(org_pk)
    return initial, chosen


@login_required
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = nomination_or_404(request, pk)
    can_change = nomination.can_change(request.user)
    edit = NominationForm(initial={"front_line": nomination.front_line, "is_leader": nomination.is_leader,
                                   "years_in_trade": nomination.years_in_trade, "deeds": nomination.deeds,
                                   "disciplinary_record": nomination.disciplinary_record},
                          unit=nomination.unit, subject=nomination.subject)
    files_form = FilesForm()
    if request.method == "POST" and can_change:
        actor = logged_in(request.user)
        if "files" in request.FILES or request.POST.get("step") == "files":
            files_form = FilesForm(request.POST, request.FILES)
            if files_form.is_valid() and pages.handle(files_form, lambda: services.add_nomination_files(
                    actor=actor, nomination=nomination, kind=files_form.cleaned_data["kind"],
                    uploads=files_form.cleaned_data["files"])) is not None:
                messages.success(request, _("Materials attached."))
                return redirect(nomination.get_absolute_url())
        else:
            edit = NominationForm(request.POST, unit=nomination.unit, subject="edit")
            if edit.is_valid() and pages.handle(edit, lambda: services.update_nomination(
                    actor=actor, nomination=nomination, deeds=edit.cleaned_data["deeds"],
                    is_leader=edit.cleaned_data["is_leader"], front_line=edit.cleaned_data["front_line"],
                    years_in_trade=edit.cleaned_data["years_in_trade"],
                    disciplinary_record=edit.cleaned_data["disciplinary_record"])) is not None:
                messages.success(request, _("Nomination saved."))
                return redirect(nomination.get_absolute_url())
    elif request.method == "POST":
        raise PermissionDenied
    files = list(nomination.files.all())
    have = {f.kind for f in files}
    required = [(Material(m).label, m in have) for m in nomination.campaign.materials]
    return render(request, "honours/nomination.html", {
        "nomination": nomination, "can_change": can_change, "edit": edit, "files_form": files_form,
        "files": files, "required": required, "events": history.describe(audit.timeline(nomination)),
        **review_context(request, nomination)},
        status=400 if request.method == "POST" else 200)  # a POST that came back here was refused


def _step(call: Callable[..., Any], success: Any) -> Callable[[HttpRequest, int], HttpResponse]:
    """A button of a nomination's page: the nomination through its scope (404), the verb (a refusal with every
    reason as an error message, a permission refusal a 403), back to the page."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        nomination = nomination_or_404(request, pk)
        pages.act(request, lambda: call(actor=logged_in(request.user), nomination=nomination), str(success))
        return redirect(nomination.get_absolute_url())

    return view


nomination_submit = _step(services.submit_nomination, gettext_lazy("Nomination submitted."))
nomination_withdraw = _step(services.withdraw_nomination, gettext_lazy("Nomination withdrawn into a draft."))


@login_required
def nomination_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    found = NominationFile.objects.for_user(request.user, "view").filter(nomination_id=pk, pk=file_pk).first()
    if found is None:
        raise Http404
    return serve_file(found.file, found.name, found.content_type)
