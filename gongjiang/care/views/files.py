"""The archive's pages: the list (filters, Excel export with masked or — for the roles allowed — clear ID numbers,
audited), a file's page (members, income, grade with reasons, the requests' timeline; every opening audited),
filing, change, exit and review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.crypto import lookup_hash
from gongjiang.core.errors import DomainError
from gongjiang.core.ids import IdentifierError, parse_id_card
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Person
from gongjiang.orgs.plugins import is_cadre
from gongjiang.orgs.queries.orgs import page_org

from .. import queries, services
from ..choices import Cause, FileStatus, Grade
from ..forms import MEMBER_ROWS, ExitForm, HouseholdForm
from ..models import HouseholdFile

PER_PAGE = 50


def _cadre(request: HttpRequest) -> None:
    if not is_cadre(request.user):
        raise PermissionDenied(_("The needy-worker archive is for union cadres."))


def _export(request: HttpRequest, org: Any, qs: Any) -> HttpResponse:
    clear = request.GET.get("ids") == "clear"
    files = list(qs.prefetch_related("members")[:20000])
    services.export_files(actor=logged_in(request.user), org=org, file_ids=[f.pk for f in files], clear_ids=clear)
    rows = []
    for f in files:
        for m in f.members.all():
            rows.append([f.pk, f.union.display_name, f.get_status_display(), f.get_grade_display(),
                         "、".join(f.cause_labels()), m.get_relation_display(), m.name,
                         m.id_number if clear else m.id_masked, m.get_health_display(), m.get_work_display(),
                         m.monthly_income])
    return pages.export(f"{_('Needy-worker archive')}-{org.display_name}", [
        _("file no."), _("enterprise union"), _("status"), _("hardship grade"), _("causes of hardship"),
        _("relation"), _("name"), _("ID number"), _("health"), _("work"), _("monthly income")], rows)


@login_required
def file_list(request: HttpRequest) -> HttpResponse:
    """困难职工档案: the files of the cadre's subtree, filtered by grade, cause, status, union, due for review."""
    _cadre(request)
    org = page_org(request)
    filters = queries.Filters.parse(request.GET)
    qs = queries.files_for(request.user, filters, org)
    if pages.wants_export(request):
        if org is None:
            raise Http404
        try:
            return _export(request, org, qs)
        except DomainError as e:
            raise PermissionDenied(e.message) from None
    page = pages.paginate(request, qs, PER_PAGE)
    return render(request, "care/file_list.html", {
        "page": page, "org": org, "filters": filters, "grades": Grade.choices, "causes": Cause.choices,
        "statuses": FileStatus.choices, "query": request.GET.urlencode()})


def _file(request: HttpRequest, pk: int, action: str = "view") -> HouseholdFile:
    return get_object_or_404(HouseholdFile.objects.for_user(request.user, action).select_related(
        "person", "union", "approver", "caseworker"), pk=pk)


@login_required
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A file's page: every opening is audited; ?ids=clear shows the full numbers to the roles that may see them."""
    file = _file(request, pk)
    clear = request.GET.get("ids") == "clear"
    try:
        services.open_file(actor=logged_in(request.user), file=file, channel="page", clear_ids=clear)
    except DomainError as e:
        raise PermissionDenied(e.message) from None
    members = list(file.members.all())
    total = sum((m.monthly_income for m in members), 0)
    return render(request, "care/file_detail.html", {
        "file": file, "members": members, "clear": clear, "total": total,
        "per_capita": (total / len(members)) if members else 0, "timeline": queries.timeline(file),
        "can_change": file.can_change(request.user), "can_see_ids": file.can_see_ids(request.user),
        "open_request": any(r.is_open for r in queries.timeline(file))})


def _rows_context(form: HouseholdForm, members: list[dict[str, Any]]) -> dict[str, Any]:
    rows = [*members, *[{} for _i in range(MEMBER_ROWS - len(members))]][:MEMBER_ROWS]
    return {"form": form, "rows": list(enumerate(rows)), "choices": HouseholdForm.choices()}


@login_required
def file_new(request: HttpRequest) -> HttpResponse:
    """建档申请: the worker (by ID number, on the cadre's roster), the household and its members."""
    _cadre(request)
    form = HouseholdForm(request.POST or None, worker=True)
    members = form.member_rows() if form.is_bound else []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = None
        try:
            number = parse_id_card(d["worker_id"]).number
            person = Person.objects.for_user(request.user, "change").select_related("employer").filter(
                id_hash=lookup_hash(number)).first()
            if person is None:
                form.add_error("worker_id", _("No worker with this ID number is on your unions' roster."))
        except IdentifierError as e:
            form.add_error("worker_id", str(e))
        union = person.employer.grassroots_union() if person else None
        if person is not None and union is None:
            form.add_error("worker_id", _("The worker's employer has no grassroots union."))
        if person is not None and union is not None:
            req = pages.handle(form, lambda: services.file_household(
                actor=logged_in(request.user), person=person, union=union, housing=d["housing"],
                causes=d["causes"], members=members, note=d["note"]))
            if req is not None:
                messages.success(request, _("Filing application submitted for the enterprise union's check."))
                return redirect("care:file_detail", pk=req.file_id)
    return render(request, "care/file_form.html", {**_rows_context(form, members), "title": _("File a household")},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def file_change(request: HttpRequest, pk: int) -> HttpResponse:
    """变更: the household as it is now (the members' numbers typed again: they are never shown in a form)."""
    file = _file(request, pk, "change")
    initial = {"housing": file.housing, "causes": file.causes, "note": file.note}
    form = HouseholdForm(request.POST or None, initial=initial)
    members = form.member_rows() if form.is_bound else [
        {"relation": m.relation, "name": m.name, "health": m.health, "schooling": m.schooling, "work": m.work,
         "monthly_income": m.monthly_income} for m in file.members.all()]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        actor = logged_in(request.user)
        if file.status == FileStatus.FILING:
            call: Any = lambda: services.file_household(  # noqa: E731
                actor=actor, person=file.person, union=file.union, housing=d["housing"], causes=d["causes"],
                members=members, note=d["note"], file=file)
        else:
            call = lambda: services.request_change(  # noqa: E731
                actor=actor, file=file, housing=d["housing"], causes=d["causes"], members=members, note=d["note"])
        if pages.handle(form, call) is not None:
            messages.success(request, _("Request submitted for the enterprise union's check."))
            return redirect("care:file_detail", pk=file.pk)
    return render(request, "care/file_form.html", {**_rows_context(form, members), "file": file,
                                                   "title": _("Change a household file")},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def file_exit(request: HttpRequest, pk: int) -> HttpResponse:
    """解困退出: the reason, kept on the file once approved."""
    file = _file(request, pk, "change")
    form = ExitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if pages.handle(form, lambda: services.request_exit(actor=logged_in(request.user), file=file,
                                                            reason=form.cleaned_data["reason"])) is not None:
            messages.success(request, _("Exit request submitted for the enterprise union's check."))
            return redirect("care:file_detail", pk=file.pk)
    return render(request, "care/exit_form.html", {"form": form, "file": file},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def file_review(request: HttpRequest, pk: int) -> HttpResponse:
    """动态管理: re-grade by today's threshold and set the next review a year on."""
    file = _file(request, pk, "change")
    pages.act(request, lambda: services.review_file(actor=logged_in(request.user), file=file),
              _("Reviewed: the grade is computed again and the next review is in a year."))
    return redirect("care:file_detail", pk=file.pk)
