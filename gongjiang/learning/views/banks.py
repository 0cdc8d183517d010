"""The question bank pages (题库): the banks a cadre may use (their unions' own and the shared banks above), a bank
with its questions (filtered by type, difficulty, knowledge point and text; paginated), the forms of a bank and of a
question, the import (Excel through the core framework; GIFT, Aiken, Moodle XML parsed whole) and the exports.

Reading: a bank the user may use (`queries.bank_for`), else 404. Changing: only the cadres of the owner's subtree
(`Bank.can_change`); others get a 404 for what they cannot see, a 403 for what they see but may not change."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.errors import DomainError
from gongjiang.core.models import ImportJob
from gongjiang.core.pages import xlsx_response
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Org
from gongjiang.orgs.plugins import is_cadre

from .. import banks_imports, services
from ..banks_forms import BankForm, ImportForm, QuestionForm
from ..choices import Difficulty, Kind
from ..models import Bank, Question
from ..queries import banks as queries

T = "learning/"


def _cadre(request: HttpRequest) -> None:
    if not is_cadre(request.user):
        raise PermissionDenied(_("Question banks are for the unions' cadres."))


def _bank(request: HttpRequest, pk: int, change: bool = False) -> Bank:
    _cadre(request)
    bank = queries.bank_for(request.user, pk)
    if bank is None:
        raise Http404
    if change and not bank.can_change(request.user):
        raise PermissionDenied(_("Only the cadres of %(org)s change this bank.") % {"org": bank.org.name})
    return bank


@login_required
def bank_list(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    banks = list(queries.usable_banks(request.user).order_by("org__path", "name", "id"))
    own = set(queries.manageable_banks(request.user).values_list("pk", flat=True))
    can_create = queries.manageable_orgs(request.user).exists()
    return render(request, T + "banks_list.html", {"banks": banks, "own": own, "can_create": can_create})


@login_required
def bank_create(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    orgs = queries.manageable_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied(_("You may create banks only for unions you manage."))
    form = BankForm(request.POST or None, orgs=orgs, initial={"org": orgs.first(), "shared": True})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            bank = services.create_bank(actor=logged_in(request.user), org=d["org"], name=d["name"],
                                        description=d["description"], shared=d["shared"])
        except DomainError as e:
            pages.apply_domain_error(form, e)
        else:
            messages.success(request, _("The bank %(name)s was created.") % {"name": bank.name})
            return redirect(bank)
    return render(request, T + "banks_form.html", {"form": form, "bank": None},
                  status=400 if request.method == "POST" else 200)


@login_required
def bank_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bank = _bank(request, pk, change=True)
    form = BankForm(request.POST or None, orgs=Org.objects.none(), editing=True,
                    initial={"name": bank.name, "description": bank.description, "shared": bank.shared})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_bank(actor=logged_in(request.user), bank=bank, name=d["name"],
                                 description=d["description"], shared=d["shared"], trade=bank.trade)
        except DomainError as e:
            pages.apply_domain_error(form, e)
        else:
            messages.success(request, _("The bank was saved."))
            return redirect(bank)
    return render(request, T + "banks_form.html", {"form": form, "bank": bank},
                  status=400 if request.method == "POST" else 200)


@login_required
def bank_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bank = _bank(request, pk)
    filters = queries.Filters.of(request.GET)
    page = pages.paginate(request, queries.questions(bank, filters), per_page=20)
    return pages.render_page(request, T + "banks_detail.html", {
        "bank": bank, "page": page, "filters": filters, "kinds": Kind.choices, "difficulties": Difficulty.choices,
        "tags": queries.bank_tags(bank), "can_change": bank.can_change(request.user),
    }, fragment=T + "_banks_questions.html")


def _question_form(request: HttpRequest, bank: Bank, question: Question | None) -> HttpResponse:
    kind = request.POST.get("kind") or request.GET.get("kind") or (question.kind if question else "single")
    kind = kind if kind in Kind.values else "single"
    initial = QuestionForm.initial_of(question) if question else {"kind": kind}
    if question and request.GET.get("kind") in Kind.values:
        initial["kind"] = kind
    form = QuestionForm(request.POST or None, initial=initial, kind=kind)
    if request.method == "POST" and form.is_valid():
        draft = form.draft()
        if draft is not None:
            try:
                if question is None:
                    services.add_question(actor=logged_in(request.user), bank=bank, draft=draft)
                    messages.success(request, _("The question was added."))
                else:
                    saved = services.edit_question(actor=logged_in(request.user), question=question, draft=draft)
                    messages.success(request, _("The question was saved as version %(v)d.") % {"v": saved.version}
                                     if saved.pk != question.pk else _("The question was saved."))
            except DomainError as e:
                pages.apply_domain_error(form, e)
            else:
                if question is None and "another" in request.POST:
                    return redirect(f"{request.path}?kind={kind}")
                return redirect(bank)
    return render(request, T + "banks_question_form.html", {
        "form": form, "bank": bank, "question": question, "kind": kind, "kinds": Kind.choices,
    }, status=400 if request.method == "POST" else 200)


@login_required
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_form(request, _bank(request, pk, change=True), None)


def _question(request: HttpRequest, pk: int) -> Question:
    _cadre(request)
    q = queries.question_for(request.user, pk)
    if q is None:
        raise Http404
    if not q.bank.can_change(request.user):
        raise PermissionDenied(_("Only the cadres of %(org)s change this bank.") % {"org": q.bank.org.name})
    return q


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(request, pk)
    if not q.current:
        raise Http404
    return _question_form(request, q.bank, q)


@login_required
@require_POST
def question_retire(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(request, pk)
    try:
        services.retire_question(actor=logged_in(request.user), question=q)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The question was retired."))
    return redirect(q.bank)


@login_required
def bank_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the format, upload: an Excel file goes through the import framework (its page shows the errors by row
    and column); a GIFT, Aiken or Moodle XML file is read here and refused whole with every error by line."""
    bank = _bank(request, pk, change=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"bank": bank, "form": form, "columns": banks_imports._Template.columns,
                               "jobs": list(_jobs(request.user, bank)[:10])}
    if request.method == "POST" and form.is_valid():
        fmt, upload = form.cleaned_data["format"], form.cleaned_data["file"]
        try:
            if fmt == "excel":
                job = banks_imports.start_excel_import(actor=logged_in(request.user), bank=bank, upload=upload)
                return redirect("learning:bank_import_status", pk=job.pk)
            summary = banks_imports.import_text(actor=logged_in(request.user), bank=bank, fmt=fmt,
                                                data=upload.read(), filename=upload.name or "")
        except banks_imports.ImportRefused as e:
            context["line_errors"] = e.lines
            context["refused"] = e.message
        except DomainError as e:
            pages.apply_domain_error(form, e)
        else:
            context["summary"] = summary
            bank.refresh_from_db()
            return render(request, T + "banks_import.html", context)
    return render(request, T + "banks_import.html", context,
                  status=400 if request.method == "POST" else 200)


def _jobs(user: Any, bank: Bank | None = None) -> Any:
    jobs = ImportJob.objects.for_user(user).filter(kind=banks_imports.KIND).select_related("created_by")
    return (jobs.filter(params__bank=bank.pk) if bank is not None else jobs).order_by("-created_at", "-id")


@login_required
def bank_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """An Excel import's state; while it runs, HTMX polls the fragment every second."""
    _cadre(request)
    job = _jobs(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    bank = queries.manageable_banks(request.user).filter(pk=(job.params or {}).get("bank")).first()
    return pages.render_page(request, T + "banks_import_status.html", {
        "job": job, "bank": bank, "errors": job.errors[:200], "more_errors": max(0, job.error_count - 200),
    }, fragment=T + "_banks_import_status.html")


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    return xlsx_response(banks_imports.template(), _("question bank template") + ".xlsx")


@login_required
def bank_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    bank = _bank(request, pk)
    return xlsx_response(banks_imports.export_xlsx(bank), f"{bank.name}.xlsx")


@login_required
def bank_export_xml(request: HttpRequest, pk: int) -> HttpResponse:
    from urllib.parse import quote

    bank = _bank(request, pk)
    response = HttpResponse(banks_imports.export_moodle_xml(bank), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(bank.name)}.xml"
    return response


urlpatterns = [
    path("learning/banks/", bank_list, name="bank_list"),
    path("learning/banks/new/", bank_create, name="bank_create"),
    path("learning/banks/template.xlsx", import_template, name="bank_import_template"),
    path("learning/banks/<int:pk>/", bank_detail, name="bank_detail"),
    path("learning/banks/<int:pk>/edit/", bank_edit, name="bank_edit"),
    path("learning/banks/<int:pk>/questions/new/", question_add, name="question_add"),
    path("learning/banks/<int:pk>/import/", bank_import, name="bank_import"),
    path("learning/banks/<int:pk>/export.xlsx", bank_export_xlsx, name="bank_export_xlsx"),
    path("learning/banks/<int:pk>/export.xml", bank_export_xml, name="bank_export_xml"),
    path("learning/banks/imports/<int:pk>/", bank_import_status, name="bank_import_status"),
    path("learning/questions/<int:pk>/edit/", question_edit, name="question_edit"),
    path("learning/questions/<int:pk>/retire/", question_retire, name="question_retire"),
]
