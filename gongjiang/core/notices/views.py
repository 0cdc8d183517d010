"""Pages of public notices. Public (no log-in): the notices running now, a notice's own page for kinds without one,
and the objection form (also shown on an owner's public page, e.g. a round's 成绩公示). For the notice's owners:
its objections, and one objection with the objector's name and contact, the investigation notes and the outcome."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import pages
from ..clients import client_key
from ..models.notices import Objection, ObjectionState, PublicNotice
from . import services
from .forms import DecisionForm, NoteForm, ObjectionForm
from .registry import kind_of


def public_url(notice: PublicNotice) -> str:
    """The notice's public page: the owner's own, or core's generic one."""
    hook = kind_of(notice.kind).public_url
    return hook(notice) if hook else reverse("core:public_notice", args=[notice.pk])


def objection_context(notice: PublicNotice, form: ObjectionForm | None = None) -> dict[str, Any]:
    """What `core/notices/_objection_form.html` needs, for an owner's public page to include it."""
    return {"notice": notice, "objection_form": form or ObjectionForm(), "objections_open": notice.is_running()}


# ---------------------------------------------------------------------------------------------
# Public

# The columns the notices running now sort by (?sort=title, ?sort=-until). The default: the soonest end first.
SORTING = pages.Sorting({"title": "title", "publisher": "publisher_name", "until": "ends_on"}, default="until")


def public_notices(request: HttpRequest) -> HttpResponse:
    """Every notice running now, of every kind, soonest end first."""
    today = timezone.localdate()
    sort = SORTING(request)
    qs = sort.apply(PublicNotice.objects.filter(closed_at__isnull=True, starts_on__lte=today, ends_on__gte=today))
    page = pages.paginate(request, qs)
    rows = list(page.object_list)
    for n in rows:
        n.url, n.kind_title = public_url(n), kind_of(n.kind).title
    return render(request, "core/notices/public_notices.html", {"page": page, "rows": rows, "sort": sort})


def public_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """A notice's page for kinds that have none of their own: the period, what is published and the form."""
    notice = get_object_or_404(PublicNotice, pk=pk)
    own = kind_of(notice.kind).public_url
    if own is not None:
        return redirect(own(notice))
    services.close_if_due(notice)
    items_hook = kind_of(notice.kind).items
    page = pages.paginate(request, list(items_hook(notice)) if items_hook else [])
    return render(request, "core/notices/public_notice.html", {
        **objection_context(notice), "page": page, "rows": list(page.object_list)})


def notice_objection(request: HttpRequest, pk: int) -> HttpResponse:
    """异议: the form of the public (real name, a contact kept confidential, whom it concerns, the facts). Sent from
    the notice's page; shown here again with the messages beside the fields when something is missing."""
    notice = get_object_or_404(PublicNotice, pk=pk)
    services.close_if_due(notice)
    form = ObjectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = request.user if request.user.is_authenticated else None
            objection, refusal = pages.attempt(lambda: services.file_objection(
                actor=user, notice=notice, client=client_key(request), **form.cleaned_data))
            if refusal is None:
                messages.success(request, _(
                    "Your objection has been received (reference %(ref)s). %(publisher)s will look into it and "
                    "reply to you; your name and contact are kept confidential.") % {
                    "ref": objection.reference, "publisher": notice.publisher_name})
                return redirect(public_url(notice))
            pages.apply_domain_error(form, refusal)
            status = refusal.status if refusal.status in (400, 429) else 400
        else:
            status = 400
    return render(request, "core/notices/objection.html", {
        **objection_context(notice, form), "back_url": public_url(notice)}, status=status)


# ---------------------------------------------------------------------------------------------
# The owners


def _managed_notice(request: HttpRequest, pk: int) -> PublicNotice:
    notice = get_object_or_404(PublicNotice, pk=pk)
    if not services.can_manage(request.user, notice):
        raise Http404(_("No such public notice."))
    return notice


@login_required
def notice_objections(request: HttpRequest, pk: int) -> HttpResponse:
    """The objections to one notice, open ones first (contacts masked; each objection's page has them in clear)."""
    notice = _managed_notice(request, pk)
    services.close_if_due(notice)
    order: dict[str, int] = {ObjectionState.FILED: 0, ObjectionState.INVESTIGATING: 1, ObjectionState.DECIDED: 2}
    rows = sorted(notice.objections.all(), key=lambda o: (order.get(o.state, 3), -o.pk))
    counts = notice.objections.aggregate(total=Count("pk"), open=Count("pk", filter=~Q(state=ObjectionState.DECIDED)))
    hook = kind_of(notice.kind).manage_url
    return render(request, "core/notices/objection_list.html", {
        "notice": notice, "rows": rows, "counts": counts, "public_url": public_url(notice),
        "manage_url": hook(notice) if hook else ""})


@login_required
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One objection for the owners: the objector (read and audited), the notes, a new note, the outcome."""
    objection = get_object_or_404(Objection.objects.select_related("notice", "decided_by"), pk=pk)
    notice = objection.notice
    user = request.user
    if not user.is_authenticated or not services.can_manage(user, notice):
        raise Http404(_("No such objection."))
    note_form, decision_form = NoteForm(), DecisionForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "decide":
            decision_form = DecisionForm(request.POST)
            if decision_form.is_valid() and pages.handle(decision_form, lambda: services.decide_objection(
                    actor=user, objection=objection, **decision_form.cleaned_data)) is not None:
                messages.success(request, _("The outcome of objection %(ref)s is recorded.") % {
                    "ref": objection.reference})
                return redirect("core:objection_detail", pk=objection.pk)
        else:
            note_form = NoteForm(request.POST)
            if note_form.is_valid() and pages.handle(note_form, lambda: services.add_note(
                    actor=user, objection=objection, text=note_form.cleaned_data["text"])) is not None:
                messages.success(request, _("The note is added."))
                return redirect("core:objection_detail", pk=objection.pk)
        status = 400
    objector = services.read_objector(actor=user, objection=objection)
    return render(request, "core/notices/objection_detail.html", {
        "objection": objection, "notice": notice, "objector": objector,
        "notes": objection.notes.select_related("author"), "note_form": note_form, "decision_form": decision_form,
        "public_url": public_url(notice)}, status=status)


urlpatterns: list[URLPattern] = [
    path("public/notices/", public_notices, name="public_notices"),
    path("public/notices/<id:pk>/", public_notice, name="public_notice"),
    path("public/notices/<id:pk>/objection/", notice_objection, name="notice_objection"),
    path("notices/<id:pk>/objections/", notice_objections, name="notice_objections"),
    path("notices/objections/<id:pk>/", objection_detail, name="objection_detail"),
]
