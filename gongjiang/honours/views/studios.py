"""The studios' pages: the registry (filters, pages, Excel), registering a studio, a studio's page (members,
funding, assessments, status history, timeline, and the forms of whoever may act on it), a year's assessment (the
host union's self-assessment with evidence files, the assessing union's confirmation item by item), the work
waiting, and the figures by level and result of a union and year with a chart."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, history, pages, registry
from gongjiang.core.files import serve_file
from gongjiang.core.scoping import scope_for
from gongjiang.core.types import logged_in
from gongjiang.orgs.choices import OrgKind

from .. import services
from ..models import AssessmentFile, Studio
from ..queries import studios as queries
from ..studio_choices import Result, StudioLevel, StudioStatus
from ..studio_forms import (
    ConfirmForm,
    DecisionForm,
    EvidenceFilesForm,
    FundingForm,
    MembersForm,
    SelfAssessmentForm,
    StudioEditForm,
    StudioFilterForm,
    StudioForm,
)
from .common import page_org


def _studio_or_404(request: HttpRequest, pk: int) -> Studio:
    found = queries.detail(request.user, pk)
    if found is None:
        raise Http404
    return found


def can_register(user: Any, org: Any) -> bool:
    return bool(org is not None and org.kind in (OrgKind.PROVINCE, OrgKind.CITY)
                and scope_for(user, "change").covers(org.path))


@login_required
def studio_list(request: HttpRequest) -> HttpResponse:
    form = StudioFilterForm(request.GET or None, cities=queries.cities_for(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    qs = queries.studios_for(request.user, filters)
    if pages.wants_export(request):
        return pages.export(_("Studios"), [
            _("studio name"), _("studio kind"), _("level"), _("year recognised"), _("host enterprise"), _("city"),
            _("lead"), _("recognising union"), _("status"), _("last assessed"), _("last result")], (
            [s.name, s.get_kind_display(), s.get_level_display(), s.year, s.host.name,
             s.city.display_name if s.city else "", s.lead.name, s.recognised_by.name, s.get_status_display(),
             s.last_year or "", s.get_last_result_display()] for s in qs.iterator(chunk_size=2000)))
    org = page_org(request)
    counts = queries.level_counts(qs)
    return render(request, "honours/studios.html", {
        "form": form, "page": pages.paginate(request, qs, 50), "statuses": StudioStatus.choices,
        "counts": [(label, [counts[code][s] for s in StudioStatus.values]) for code, label in StudioLevel.choices],
        "can_register": can_register(request.user, org), "org": org})


@login_required
def studio_create(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    if not can_register(request.user, org):
        raise PermissionDenied(_("Studios are registered by the provincial federation or a city union."))
    assert org is not None
    form = StudioForm(request.POST or None, union=org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        studio = pages.handle(form, lambda: services.register_studio(
            actor=logged_in(request.user), name=d["name"], kind=d["kind"], lead=d["lead"], host=d["host"],
            level=d["level"], year=d["year"], recognised_by=org, specialty=d["specialty"]),
            aliases={"lead": "lead_id", "host": "host_code", "recognised_by": "level"})
        if studio is not None:
            messages.success(request, _("Studio registered: add its members."))
            return redirect(studio.get_absolute_url())
    return render(request, "honours/studio_form.html", {"form": form, "org": org},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def studio_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """更正: the recognising union corrects the registry entry (others: 403; out of scope: 404)."""
    studio = _studio_or_404(request, pk)
    if not studio.can_decide(request.user) or studio.revoked:
        raise PermissionDenied(_("Only the union that recognised this studio corrects its entry."))
    form = StudioEditForm(request.POST or None, studio=studio)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = pages.handle(form, lambda: services.update_studio(
            actor=logged_in(request.user), studio=studio, name=d["name"], specialty=d["specialty"], host=d["host"],
            lead=d["lead"], level=d["level"], year=d["year"], reason=d["reason"]),
            aliases={"host": "host_code", "lead": "lead_id"})
        if done is not None:
            messages.success(request, _("The studio's entry is corrected."))
            return redirect(studio.get_absolute_url())
    return render(request, "honours/studio_edit.html", {"form": form, "studio": studio},
                  status=400 if form.is_bound and form.errors else 200)


def _decide(actor: Any, studio: Studio, d: dict[str, Any]) -> Any:
    if d["action"] == "suspend":
        return services.suspend_studio(actor=actor, studio=studio, reason=d["reason"], decision=d["decision"])
    if d["action"] == "reinstate":
        return services.reinstate_studio(actor=actor, studio=studio, reason=d["reason"], decision=d["decision"])
    return services.revoke_studio(actor=actor, studio=studio, reason=d["reason"], decision=d["decision"])


@login_required
def studio_detail(request: HttpRequest, pk: int) -> HttpResponse:
    studio = _studio_or_404(request, pk)
    can_change, can_decide = studio.can_change(request.user), studio.can_decide(request.user)
    members = list(studio.members.all())
    members_form = MembersForm(host=studio.host, members=members)
    funding_form = FundingForm(initial={"year": timezone.localdate().year})
    decision_form = DecisionForm()
    if request.method == "POST":
        step, actor = request.POST.get("step"), logged_in(request.user)
        if step == "decision" and can_decide:
            decision_form = DecisionForm(request.POST)
            if decision_form.is_valid() and pages.handle(decision_form, lambda: _decide(
                    actor, studio, decision_form.cleaned_data), aliases={"status": "action"}) is not None:
                messages.success(request, _("Decision recorded."))
                return redirect(studio.get_absolute_url())
        elif step == "members" and can_change:
            members_form = MembersForm(request.POST, host=studio.host, members=members)
            if members_form.is_valid():
                d = members_form.cleaned_data
                add = [(d["add_person"], d["role"])] if d.get("add_person") else []
                if pages.handle(members_form, lambda: services.change_studio_members(
                        actor=actor, studio=studio, lead=d.get("lead"), add=add, remove=d["remove_people"]),
                        aliases={"lead": "lead_id", "add": "add_id", "members": "add_id"}) is not None:
                    messages.success(request, _("Members saved."))
                    return redirect(studio.get_absolute_url())
        elif step == "funding" and can_change:
            funding_form = FundingForm(request.POST)
            if funding_form.is_valid():
                d = funding_form.cleaned_data
                if pages.handle(funding_form, lambda: services.record_funding(
                        actor=actor, studio=studio, year=d["year"], amount=d["amount"], source=d["source"])):
                    messages.success(request, _("Funding recorded."))
                    return redirect(studio.get_absolute_url())
        else:
            raise PermissionDenied
    year = timezone.localdate().year
    assessments = list(studio.assessments.all())
    return render(request, "honours/studio.html", {
        "studio": studio, "members": members, "funding": list(studio.funding.all()),
        "funding_total": queries.funding_total(studio), "assessments": assessments,
        "changes": list(studio.status_changes.all()), "can_change": can_change, "can_decide": can_decide,
        "members_form": members_form, "funding_form": funding_form, "decision_form": decision_form,
        "this_year": year, "assessed_this_year": any(a.year == year for a in assessments),
        "events": history.describe(audit.timeline(studio))},
        status=400 if request.method == "POST" else 200)


@login_required
def assessment_detail(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    studio = _studio_or_404(request, pk)
    assessment = queries.assessment(request.user, studio, year)
    r = assessment.rules if assessment else queries.rubric(studio.kind)
    items = list(r.leaves()) if r else []
    scores = list(assessment.scores.all()) if assessment else []
    files = list(assessment.files.all()) if assessment else []
    lines = queries.lines(r, scores) if r else []
    titles = {i.key: i.title for i in items}
    confirmed = bool(assessment and assessment.confirmed)
    can_self = studio.can_change(request.user) and not confirmed and studio.year <= year <= timezone.localdate().year
    can_confirm = bool(assessment and not confirmed and not studio.revoked
                       and assessment.assessing.in_scope(request.user, "change"))
    self_form = SelfAssessmentForm(items=items, answers={ln.item.key: ln.self_value for ln in lines},
                                   notes={s.key: s.note for s in scores},
                                   initial={"apprentices": assessment.apprentices if assessment else 0,
                                            "summary": assessment.summary if assessment else ""})
    confirm_form = ConfirmForm(lines=lines)
    files_form = EvidenceFilesForm(items=items)
    if request.method == "POST":
        step, actor = request.POST.get("step"), logged_in(request.user)
        if step == "self" and can_self:
            self_form = SelfAssessmentForm(request.POST, items=items, answers={}, notes={})
            if self_form.is_valid() and pages.handle(self_form, lambda: services.self_assess(
                    actor=actor, studio=studio, year=year, points=self_form.points(), notes=self_form.notes(),
                    apprentices=self_form.cleaned_data["apprentices"], summary=self_form.cleaned_data["summary"])):
                messages.success(request, _("Self-assessment saved: the assessing union confirms it."))
                return redirect("honours:assessment_detail", pk=studio.pk, year=year)
        elif step == "files" and can_self and assessment is not None:
            files_form = EvidenceFilesForm(request.POST, request.FILES, items=items)
            if files_form.is_valid() and pages.handle(files_form, lambda: services.add_assessment_files(
                    actor=actor, assessment=assessment, item=files_form.cleaned_data["item"],
                    uploads=files_form.cleaned_data["files"])):
                messages.success(request, _("Evidence attached."))
                return redirect("honours:assessment_detail", pk=studio.pk, year=year)
        elif step == "confirm" and can_confirm and assessment is not None:
            confirm_form = ConfirmForm(request.POST, lines=lines)
            if confirm_form.is_valid() and pages.handle(confirm_form, lambda: services.confirm_assessment(
                    actor=actor, assessment=assessment, points=confirm_form.points(),
                    reasons=confirm_form.reasons())):
                messages.success(request, _("Assessment confirmed."))
                return redirect("honours:assessment_detail", pk=studio.pk, year=year)
        else:
            raise PermissionDenied
    elif assessment is None and not can_self:
        raise Http404
    labels = {e.key: e.label for e in registry.evidence_keys()}
    score = queries.current_score(r, scores) if r and scores else None
    return render(request, "honours/assessment.html", {
        "studio": studio, "year": year, "assessment": assessment, "scores": scores, "files": files,
        "can_self": can_self, "can_confirm": can_confirm, "self_form": self_form, "confirm_form": confirm_form,
        "files_form": files_form, "rubric": r, "lines": lines,
        "file_items": [(f, titles.get(f.key, f.key)) for f in files],
        "score": score, "vetoes": [r.item(k) for k in score.vetoes] if r and score else [],
        "grades": dict(r.grades) if r else {},
        "counted": [(labels.get(k, k), n) for k, n in (assessment.counted.items() if assessment else [])]},
        status=400 if request.method == "POST" else 200)


@login_required
def assessment_file(request: HttpRequest, pk: int, assessment_pk: int, file_pk: int) -> FileResponse:
    found = (AssessmentFile.objects.for_user(request.user, "view")
             .filter(assessment__studio_id=pk, assessment_id=assessment_pk, pk=file_pk).first())
    if found is None:
        raise Http404
    return serve_file(found.file, found.name, found.content_type)


@login_required
def studio_todo(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    return render(request, "honours/studio_todo.html", {
        "year": year, "waiting": list(queries.waiting_to_confirm(request.user)[:200]),
        "due": pages.paginate(request, queries.due_self_assessment(request.user, year), 50)})


@login_required
def studio_figures(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    if org is None:
        raise Http404
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    own = queries.figures([org], year)[0]
    rows = queries.figures(queries.children(org), year)
    level_names = dict(StudioLevel.choices)
    if pages.wants_export(request):
        return pages.export(_("Studio figures %(year)s") % {"year": year}, [
            _("Organisation"), _("level"), _("recognised"), _("excellent"), _("pass"), _("fail"), _("suspended"),
            _("recognition revoked")], ([f.org.name, level_names[lv.level], lv.recognised, lv.excellent, lv.passed,
                                         lv.failed, lv.suspended, lv.revoked] for f in [own, *rows] for lv in f.levels))
    chart = {
        "empty": _("No figures yet"),
        "levels": [str(level_names[lv.level]) for lv in own.levels],
        "series": [{"name": str(Result(r).label), "values": [getattr(lv, f) for lv in own.levels]}
                   for r, f in ((Result.EXCELLENT, "excellent"), (Result.PASS, "passed"), (Result.FAIL, "failed"))],
        "years": queries.years(org, year),
        "recognised_name": _("Recognised"), "revoked_name": _("recognition revoked"),
    }
    fields = queries.FIELDS
    table = [{"name": org.display_name, "own": True, "level": level_names[lv.level],
              "values": [getattr(lv, k) for k in fields]} for lv in own.levels]
    table += [{"name": f.org.display_name, "url": f"?org={f.org.pk}&year={year}", "level": _("All levels"),
               "values": [f.total(k) for k in fields]} for f in rows]
    return render(request, "honours/studio_figures.html", {
        "org": org, "year": year, "table": table, "chart": chart,
        "years": range(today.year, today.year - 5, -1)})
