"""A sheet's page: the items as a tree with their points; for the assessed union, the self-assessment (a value and
an explanation per item, the figure's source when prefilled, evidence uploads) and its submission; for the
assessing union, the review item by item (accept, adjust with a reason, return with a reason), returning and
confirming; after publication, appeals and their outcome."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.files import serve_file
from gongjiang.core.rubrics import rubric as rules
from gongjiang.core.types import logged_in

from .. import queries, services
from ..choices import GRADE_LABELS, CampaignState, Outcome, Review
from ..models import Appeal, Evidence, Sheet


def _sheet(request: HttpRequest, pk: int) -> Sheet:
    return get_object_or_404(Sheet.objects.for_user(request.user).select_related(
        "campaign__rubric", "campaign__org", "org"), pk=pk)


def _page(request: HttpRequest, sheet: Sheet, errors: dict[str, str] | None = None,
          posted: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    assessing = sheet.campaign.assesses(user, "view")
    published = sheet.campaign.state == CampaignState.PUBLISHED
    return render(request, "assessments/sheet.html", {
        "sheet": sheet, "campaign": sheet.campaign, "rubric": sheet.campaign.rubric.rules,
        "rows": queries.rows(sheet), "errors": errors or {}, "posted": posted or {},
        "can_fill": sheet.can_fill(user), "can_review": sheet.can_review(user), "assessing": assessing,
        "show_result": published or assessing, "grades": GRADE_LABELS, "reviews": Review,
        "appeals": list(sheet.appeals.all()), "can_appeal": published and sheet.is_own(user),
        "can_decide": published and sheet.campaign.assesses(user), "modes": rules, "outcomes": Outcome,
    }, status=status)


@login_required
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet(request, pk)
    if pages.wants_export(request):
        def shown(value: Any) -> Any:
            if isinstance(value, bool):
                return _("yes") if value else _("no")
            return "" if value is None else value

        return pages.export(f"{sheet.campaign.title}·{sheet.org.display_name}", [
            _("item"), _("maximum"), pgettext("assessment", "answer"), pgettext("assessment", "explanation"),
            _("source of the figure"), pgettext("assessment", "review"),
            _("value after review"), _("reason"), _("points")], [
            [f"{r.item.key} {r.item.title}", r.maximum, shown(r.answer.value) if r.answer else "",
             r.answer.note if r.answer else "",
             r.answer.provenance.get("label", "") if r.answer else "",
             r.answer.get_review_display() if r.answer else "", shown(r.answer.reviewed) if r.answer else "",
             r.answer.review_reason if r.answer else "", r.points if r.points is not None else ""]
            for r in queries.rows(sheet)])
    return _page(request, sheet)


@login_required
@require_POST
def sheet_answers(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet(request, pk)
    keys = [i.key for i in sheet.campaign.rubric.rules.leaves()]
    answers = {k: {"value": request.POST.get(f"item_{k}", ""), "note": request.POST.get(f"note_{k}", "")}
               for k in keys if f"item_{k}" in request.POST}
    _result, refusal = pages.attempt(lambda: services.save_answers(actor=logged_in(request.user), sheet=sheet,
                                                                   answers=answers))
    if refusal is not None:
        errors = refusal.errors or {"sheet": refusal.message}
        return _page(request, sheet, errors, {k: v for k, v in request.POST.items()}, status=400)
    messages.success(request, _("Answers saved."))
    return redirect("assessments:sheet_detail", pk=sheet.pk)


@login_required
@require_POST
def sheet_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet(request, pk)
    item = request.POST.get("item", "")
    pages.act(request, lambda: services.add_evidence(actor=logged_in(request.user), sheet=sheet, item=item,
                                                     uploads=request.FILES.getlist("files")),
              _("Evidence attached."))
    return redirect("assessments:sheet_detail", pk=sheet.pk)


@login_required
@require_POST
def sheet_review(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _sheet(request, pk)
    item = request.POST.get("item", "")
    _result, refusal = pages.attempt(lambda: services.review_item(
        actor=logged_in(request.user), sheet=sheet, item=item, decision=request.POST.get("decision", ""),
        value=request.POST.get("value", ""), reason=request.POST.get("reason", "")))
    if refusal is not None:
        return _page(request, sheet, {f"review_{item}": refusal.message}, {k: v for k, v in request.POST.items()},
                     status=400)
    return redirect(f"{sheet.get_absolute_url()}#item-{item}")


@login_required
@require_POST
def sheet_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    sheet = _sheet(request, pk)
    actor = logged_in(request.user)
    calls = {
        "submit": (lambda: services.submit_sheet(actor=actor, sheet=sheet), _("Self-assessment submitted.")),
        "return": (lambda: services.return_sheet(actor=actor, sheet=sheet), _("Returned for correction.")),
        "confirm": (lambda: services.confirm_sheet(actor=actor, sheet=sheet), _("Sheet confirmed.")),
        "appeal": (lambda: services.file_appeal(actor=actor, sheet=sheet, reason=request.POST.get("reason", "")),
                   _("Appeal filed.")),
    }
    if action not in calls:
        raise Http404
    call, done = calls[action]
    pages.act(request, call, done)
    return redirect("assessments:sheet_detail", pk=sheet.pk)


@login_required
@require_POST
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(Appeal.objects.for_user(request.user).select_related("sheet"), pk=pk)
    adjustments = {}
    for line in request.POST.get("adjustments", "").splitlines():
        if line.strip():
            key, _sep, value = line.partition("=")
            adjustments[key.strip()] = value.strip()
    pages.act(request, lambda: services.decide_appeal(
        actor=logged_in(request.user), appeal=appeal, outcome=request.POST.get("outcome", ""),
        reply=request.POST.get("reply", ""), adjustments=adjustments), _("Outcome of the appeal recorded."))
    return redirect("assessments:sheet_detail", pk=appeal.sheet_id)


@login_required
def evidence(request: HttpRequest, sheet: int, pk: int) -> HttpResponse:
    row = get_object_or_404(Evidence.objects.for_user(request.user), pk=pk, answer__sheet_id=sheet)
    return serve_file(row.file, row.name, row.content_type)

