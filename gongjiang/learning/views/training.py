"""The training pages: sessions (the list with its filters, totals and Excel export; a session's page with its
attendees — added from the roster through the person picker or imported from Excel —, its materials, and its form),
mentor pairs (the list, the form, a pair's page where it is finished or ended), and learning materials (a worker's
phone page where a material is opened and marked done; a cadre's list with the completions in their scope)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, history, pages
from gongjiang.core import imports as core_imports
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.files import serve_file
from gongjiang.core.models import ImportJob
from gongjiang.core.types import logged_in
from gongjiang.orgs import queries as org_queries
from gongjiang.orgs.models import Org, Person
from gongjiang.orgs.plugins import is_cadre

from .. import training_imports
from ..models import SessionFile, TrainingSession
from ..queries import training as queries
from ..services import training as services
from ..training_forms import (
    CloseForm,
    FilesForm,
    ImportForm,
    MaterialFilterForm,
    MaterialForm,
    PairFilterForm,
    PairForm,
    PickForm,
    SessionFilterForm,
    SessionForm,
)

T = "learning/"


def _org(request: HttpRequest) -> Org | None:
    return org_queries.page_org(request)


def _changeable_org(request: HttpRequest) -> Org:
    """The union a new session, pair or material is recorded for: the page's, which the user must change."""
    org = _org(request)
    if org is None or not org.can_change(request.user):
        raise PermissionDenied(_("Choose a union of yours to record this for."))
    return org


def _session(request: HttpRequest, pk: int) -> TrainingSession:
    found = queries.session_detail(request.user, pk)
    if found is None:
        raise Http404
    return found


def _cadre(request: HttpRequest) -> None:
    if not is_cadre(request.user):
        raise PermissionDenied(_("This page is for union cadres."))


# ---------------------------------------------------------------------------------------------
# Sessions


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    form = SessionFilterForm(request.GET or None)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    org = _org(request)
    filters["org"] = org
    qs = queries.sessions_for(request.user, filters)
    if pages.wants_export(request):
        return pages.export(_("Training sessions"), [
            _("topic"), _("organising union"), _("trade"), _("starts on"), _("ends on"), _("venue"), _("trainer"),
            _("hours per attendee"), _("attendees"), _("person-hours")], (
            [s.topic, s.org.name, s.trade.name if s.trade else "", s.starts_on, s.ends_on, s.place, s.trainer,
             s.hours, s.attendee_count, s.person_hours] for s in qs.iterator(chunk_size=2000)))
    return render(request, T + "training_sessions.html", {
        "form": form, "org": org, "page": pages.paginate(request, qs, 50), "totals": queries.totals(qs),
        "can_record": org is not None and org.can_change(request.user)})


def _session_kwargs(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d.get(k) for k in ("topic", "trade", "starts_on", "ends_on", "hours")} | {
        k: d.get(k) or "" for k in ("place", "trainer", "notes")}


@login_required
def session_create(request: HttpRequest) -> HttpResponse:
    org = _changeable_org(request)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = pages.handle(form, lambda: services.record_session(
            actor=logged_in(request.user), org=org, **_session_kwargs(form.cleaned_data)))
        if session is not None:
            messages.success(request, _("Session recorded: add its attendees."))
            return redirect(session.get_absolute_url())
    return render(request, T + "training_session_form.html", {"form": form, "org": org, "session": None},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    if not session.can_change(request.user):
        raise PermissionDenied(_("You do not have permission for %(org)s.") % {"org": session.org.name})
    initial = {**{k: getattr(session, k) for k in ("topic", "starts_on", "ends_on", "hours", "place", "trainer",
                                                    "notes")}, "trade": session.trade.code if session.trade else ""}
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = pages.handle(form, lambda: services.edit_session(
            actor=logged_in(request.user), session=session, **_session_kwargs(form.cleaned_data)))
        if done is not None:
            messages.success(request, _("Session saved."))
            return redirect(session.get_absolute_url())
    return render(request, T + "training_session_form.html", {"form": form, "org": session.org, "session": session},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A session: its facts, materials and roll; for its union's cadres the person picker (search by name, ID
    number or mobile among the people of the union's reach), the files form, and taking someone off the roll."""
    session = _session(request, pk)
    can_change = session.can_change(request.user)
    roll = queries.attendees(session)
    q = request.GET.get("q", "").strip()[:40]
    candidates = queries.pick_people(request.user, session.org, q, exclude=roll.values("person_id")) \
        if can_change and q else []
    pick = PickForm(candidates=candidates)
    files_form = FilesForm()
    status = 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("You do not have permission for %(org)s.") % {"org": session.org.name})
        step, actor = request.POST.get("step"), logged_in(request.user)
        if step == "add":
            picked = Person.objects.for_user(request.user, "view").filter(
                pk__in=[v for v in request.POST.getlist("people") if v.isdigit()]).select_related("employer")
            pick = PickForm(request.POST, candidates=list(picked))
            if pick.is_valid() and pages.handle(pick, lambda: services.add_attendees(
                    actor=actor, session=session, people=[pick.candidates[v] for v in pick.cleaned_data["people"]],
                    hours=pick.cleaned_data.get("hours"))) is not None:
                messages.success(request, _("Attendees added."))
                return redirect(session.get_absolute_url())
        elif step == "remove":
            person = Person.objects.for_user(request.user, "view").filter(pk=request.POST.get("person") or 0).first()
            if person is None:
                raise Http404
            if pages.act(request, lambda: services.remove_attendee(actor=actor, session=session, person=person),
                         _("%(name)s was taken off the roll.") % {"name": person.name}):
                return redirect(session.get_absolute_url())
        elif step == "files":
            files_form = FilesForm(request.POST, request.FILES)
            if files_form.is_valid() and pages.handle(files_form, lambda: services.add_session_files(
                    actor=actor, session=session, uploads=files_form.cleaned_data["files"])) is not None:
                messages.success(request, _("Files attached."))
                return redirect(session.get_absolute_url())
        status = 400
    return render(request, T + "training_session_detail.html", {
        "session": session, "can_change": can_change, "roll": pages.paginate(request, roll, 100), "q": q,
        "candidates": candidates, "pick": pick, "files_form": files_form, "files": list(session.files.all()),
        "timeline": history.describe(audit.timeline(session)) if can_change else []}, status=status)


@login_required
def session_file(request: HttpRequest, pk: int, file_pk: int) -> FileResponse:
    found = SessionFile.objects.for_user(request.user, "view").filter(session_id=pk, pk=file_pk).first()
    if found is None:
        raise Http404
    return serve_file(found.file, found.name, found.content_type)


def _jobs(user: Any, session: TrainingSession | None = None) -> Any:
    jobs = ImportJob.objects.for_user(user).filter(kind=training_imports.KIND).select_related("created_by")
    return jobs.filter(params__session=session.pk) if session is not None else jobs


@login_required
def attendee_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a session's roll (姓名, 身份证号, 学时): every row checked, all or nothing."""
    session = _session(request, pk)
    if not session.can_change(request.user):
        raise PermissionDenied(_("You do not have permission for %(org)s.") % {"org": session.org.name})
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = training_imports.start_attendee_import(actor=logged_in(request.user), session=session,
                                                         upload=form.cleaned_data["file"])
        except PermissionDeniedError as e:
            raise PermissionDenied(e.message) from None
        except DomainError as e:
            form.add_error("file", e.message)
        else:
            return redirect("learning:attendee_import_status", pk=job.pk)
    return render(request, T + "training_import.html", {
        "session": session, "form": form, "columns": training_imports.attendee_import.columns,
        "jobs": list(_jobs(request.user, session).order_by("-created_at", "-id")[:20])},
        status=400 if request.method == "POST" else 200)


@login_required
def attendee_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    return pages.xlsx_response(core_imports.template(training_imports.attendee_import),
                               f"{session.topic}-{_('attendees template')}.xlsx")


@login_required
def attendee_import_status(request: HttpRequest, pk: int) -> HttpResponse:
    job = _jobs(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    session = queries.sessions_for(request.user).filter(pk=(job.params or {}).get("session")).first()
    return pages.render_page(request, T + "training_import_status.html", {
        "job": job, "session": session, "errors": job.errors[:200], "more_errors": max(0, job.error_count - 200)},
        fragment=T + "_training_import_status.html")


# ---------------------------------------------------------------------------------------------
# Mentor pairs


@login_required
def pair_list(request: HttpRequest) -> HttpResponse:
    _cadre(request)
    form = PairFilterForm(request.GET or None)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    org = _org(request)
    filters["org"] = org
    qs = queries.pairs_for(request.user, filters)
    if pages.wants_export(request):
        return pages.export(_("Mentor pairs"), [
            _("mentor"), _("mentor's unit"), _("apprentice"), _("apprentice's unit"), _("trade"),
            _("recording union"), _("starts on"), _("agreed end"), _("state"), _("pairing closed on"),
            _("apprentice's grade at the start"), _("apprentice's grade at the end"), _("goals"), _("pairing result"),
            _("reason for ending early")], (
            [p.mentor.name, p.mentor.employer.name, p.apprentice.name, p.apprentice.employer.name,
             p.trade.name if p.trade else "", p.org.name, p.starts_on, p.ends_on or "", p.get_state_display(),
             p.closed_on or "", p.get_grade_before_display(),
             p.get_grade_after_display() if p.grade_after is not None else "", p.goals, p.result, p.end_reason]
            for p in qs.iterator(chunk_size=2000)))
    return render(request, T + "training_pairs.html", {
        "form": form, "org": org, "page": pages.paginate(request, qs, 50),
        "can_record": org is not None and org.can_change(request.user)})


@login_required
def pair_create(request: HttpRequest) -> HttpResponse:
    org = _changeable_org(request)
    form = PairForm(request.POST or None, org=org, user=request.user,
                    initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        pair = pages.handle(form, lambda: services.start_pair(
            actor=logged_in(request.user), org=org, mentor=d["mentor_person"], apprentice=d["apprentice_person"],
            trade=d.get("trade"), goals=d["goals"], starts_on=d["starts_on"], ends_on=d.get("ends_on")))
        if pair is not None:
            messages.success(request, _("Mentor pair recorded."))
            return redirect(pair.get_absolute_url())
    return render(request, T + "training_pair_form.html", {"form": form, "org": org},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def pair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = queries.pair_detail(request.user, pk)
    if pair is None:
        raise Http404
    can_change = pair.active and pair.can_change(request.user)
    form = CloseForm(request.POST or None, initial={"on": timezone.localdate(), "action": "finish"})
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied(_("You do not have permission for %(org)s.") % {"org": pair.org.name})
        if form.is_valid():
            d, actor = form.cleaned_data, logged_in(request.user)
            if d["action"] == "finish":
                call: Any = lambda: services.finish_pair(actor=actor, pair=pair, on=d["on"], result=d["result"],  # noqa: E731
                                                         grade_after=d.get("grade_after"))
            else:
                call = lambda: services.end_pair(actor=actor, pair=pair, on=d["on"], reason=d["reason"],  # noqa: E731
                                                 result=d["result"])
            if pages.handle(form, call) is not None:
                messages.success(request, _("Pairing closed."))
                return redirect(pair.get_absolute_url())
    return render(request, T + "training_pair_detail.html", {
        "pair": pair, "can_change": can_change, "form": form, "grades": queries.grades_during(pair),
        "timeline": history.describe(audit.timeline(pair))},
        status=400 if form.is_bound and form.errors else 200)


# ---------------------------------------------------------------------------------------------
# Materials


def _own_person(request: HttpRequest) -> Person | None:
    pk = getattr(request.user, "person_id", None)
    return Person.objects.select_related("employer").filter(pk=pk).first() if pk else None


@login_required
def material_list(request: HttpRequest) -> HttpResponse:
    """A cadre's list (with the completions in their scope, the export, the form's button); a worker's phone page
    (the materials shared with their unit, each to open and mark done)."""
    form = MaterialFilterForm(request.GET or None)
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    if not is_cadre(request.user):
        person = _own_person(request)
        if person is None:
            raise PermissionDenied(_("Learning materials are for workers and union cadres."))
        found = queries.learner_materials(person, filters)
        return render(request, T + "training_materials_learner.html", {
            "form": form, "rows": [(m, found.done.get(m.pk)) for m in found.rows], "person": person,
            "done_count": len(found.done)})
    qs = queries.materials_for(request.user, filters)
    if pages.wants_export(request):
        rows = list(qs[:5000])
        counts = queries.completions_in_scope(request.user, rows)
        return pages.export(_("Learning materials"), [
            _("material title"), _("material kind"), _("owner"), _("trade"), _("tags"),
            _("shared with the unions below"),
            _("web address"), _("completions in your scope"), _("added on")], (
            [m.title, m.get_kind_display(), m.org.name, m.trade.name if m.trade else "", "、".join(m.tags),
             _("yes") if m.shared else _("no"), m.url or m.file_name, counts.get(m.pk, 0), m.created_at.date()]
            for m in rows))
    page = pages.paginate(request, qs, 50)
    counts = queries.completions_in_scope(request.user, list(page.object_list))
    org = _org(request)
    return render(request, T + "training_materials.html", {
        "form": form, "page": page, "rows": [(m, counts.get(m.pk, 0)) for m in page.object_list], "org": org,
        "can_add": org is not None and org.can_change(request.user)})


@login_required
def material_create(request: HttpRequest) -> HttpResponse:
    org = _changeable_org(request)
    form = MaterialForm(request.POST or None, request.FILES or None, initial={"shared": True})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        material = pages.handle(form, lambda: services.add_material(
            actor=logged_in(request.user), org=org, title=d["title"], kind=d["kind"], url=d.get("url") or "",
            upload=d.get("upload"), description=d.get("description") or "", trade=d.get("trade"),
            tags=d.get("tags") or [], shared=bool(d.get("shared"))))
        if material is not None:
            messages.success(request, _("Material added."))
            return redirect(f"{reverse('learning:material_list')}?org={org.pk}")
    return render(request, T + "training_material_form.html", {"form": form, "org": org},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def material_file(request: HttpRequest, pk: int) -> HttpResponse:
    found = queries.material_visible(request.user, pk)
    if found is None or not found.file:
        raise Http404
    return serve_file(found.file, found.file_name, found.content_type)


@login_required
def material_done(request: HttpRequest, pk: int) -> HttpResponse:
    """A learner marks a material done (POST; again changes nothing)."""
    if request.method != "POST":
        return redirect("learning:material_list")
    material = queries.material_visible(request.user, pk)
    if material is None:
        raise Http404
    pages.act(request, lambda: services.complete_material(actor=logged_in(request.user), material=material),
              _("Marked as learnt: %(title)s.") % {"title": material.title})
    return redirect(f"{reverse('learning:material_list')}#material-{material.pk}")

