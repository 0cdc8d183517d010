"""The contest and theory exam pages. Cadres: the contests of their unions (list, set up, change, publish), a
contest's page with its live figures, the ranking, the results per unit (drill-down), the prizes and certificates,
the suspicious-pattern report (导出Excel everywhere). Workers (phone-first): the contests open to them, entering (→ the
attempt page), their result and place after the end, and the theory exams of the rounds they take part in.
Reads go through `for_user` (out of scope: 404) and the verbs decide (a refusal is shown, nothing changed)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages, registry
from gongjiang.core.types import logged_in
from gongjiang.orgs.models import Org
from gongjiang.orgs.scoping import grant_orgs, scope_for

from ..choices import AttemptState, TheoryState
from ..contest_forms import ContestForm, PaperForm
from ..models import Attempt, Contest, ContestAward, TheoryExam
from ..queries import contests as q
from ..rules import contests as contest_rules
from ..services import contests as services
from ..services import theory as theory_services

# ---------------------------------------------------------------------------------------------
# Cadres: contests


def _contest(request: HttpRequest, pk: int) -> Contest:
    return get_object_or_404(Contest.objects.for_user(request.user, "view").select_related("org"), pk=pk)


def _managed(request: HttpRequest, pk: int) -> Contest:
    contest = _contest(request, pk)
    if not contest.can_change(request.user):
        raise PermissionDenied(_("Only the organiser's cadres may do this."))
    return contest


def _organisers(request: HttpRequest) -> list[Org]:
    """The unions the user may set a contest up for (those they hold a role with change rights on)."""
    change = scope_for(request.user, "change")
    return [o for o in grant_orgs(request.user) if change.covers(o.path, o.industry_path)]


@login_required
def contest_list(request: HttpRequest) -> HttpResponse:
    contests = q.cadre_contests(request.user).order_by("-opens_at", "-id")
    if scope_for(request.user, "view").is_empty:
        raise PermissionDenied(_("The contests' pages are for the unions' cadres."))
    if pages.wants_export(request):
        return pages.export(_("Knowledge contests"), [
            _("Title"), _("Organiser"), _("Opens at"), _("Closes at"), _("Published"), _("Results published")],
            ([c.title, c.org.name, timezone.localtime(c.opens_at), timezone.localtime(c.closes_at),
              _("yes") if c.published else "", _("yes") if c.results_published else ""] for c in contests))
    page = pages.paginate(request, contests)
    return render(request, "learning/contest_list.html", {
        "page": page, "organisers": _organisers(request), "now": timezone.now()})


def _form_org(request: HttpRequest) -> Org:
    organisers = _organisers(request)
    if not organisers:
        raise PermissionDenied(_("Only a union's cadres with the right to make changes set up contests."))
    wanted = request.GET.get("org", "")
    return next((o for o in organisers if str(o.pk) == wanted), organisers[0])


@login_required
def contest_create(request: HttpRequest) -> HttpResponse:
    org = _form_org(request)
    form = ContestForm(request.POST or None, banks=q.usable_banks(org).order_by("name"))
    if request.method == "POST" and form.is_valid():
        contest = pages.handle(form, lambda: services.create_contest(actor=logged_in(request.user), org=org,
                                                                     data=form.data_for_verb()),
                               aliases={"draw": "count_1", "time_limit": "minutes"})
        if contest is not None:
            messages.success(request, _("Contest set up. Check it, then publish it."))
            return redirect("learning:contest_detail", pk=contest.pk)
    return render(request, "learning/contest_form.html", {
        "form": form, "org": org, "organisers": _organisers(request), "contest": None},
        status=400 if form.is_bound and form.errors else 200)


@login_required
def contest_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    form = ContestForm(request.POST or None, banks=q.usable_banks(contest.org).order_by("name"),
                       initial=ContestForm.initial_from(contest))
    if request.method == "POST" and form.is_valid():
        done = pages.handle(form, lambda: services.edit_contest(actor=logged_in(request.user), contest=contest,
                                                                data=form.data_for_verb()),
                            aliases={"draw": "count_1", "time_limit": "minutes"})
        if done is not None:
            messages.success(request, _("Contest changed."))
            return redirect("learning:contest_detail", pk=contest.pk)
    return render(request, "learning/contest_form.html", {
        "form": form, "org": contest.org, "organisers": [], "contest": contest},
        status=400 if form.is_bound and form.errors else 200)


@login_required
@require_POST
def contest_publish(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    pages.act(request, lambda: services.publish_contest(actor=logged_in(request.user), contest=contest),
              _("Contest published: the workers of the organiser's unions see it."))
    return redirect("learning:contest_detail", pk=contest.pk)


@login_required
@require_POST
def contest_results(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    pages.act(request, lambda: services.publish_results(actor=logged_in(request.user), contest=contest),
              lambda awards: _("Results published: %(n)d prizes awarded.") % {"n": len(awards)})
    return redirect("learning:contest_detail", pk=contest.pk)


@login_required
def contest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _contest(request, pk)
    now = timezone.now()
    return render(request, "learning/contest_detail.html", {
        "contest": contest, "figures": q.figures(contest), "top": q.ranking(contest, limit=10),
        "can_change": contest.can_change(request.user), "now": now,
        "editable": not contest.results_published and not (contest.published and contest.opens_at <= now),
        "ended": now >= contest.closes_at, "question_count": contest.question_count,
        "minutes": contest.time_limit // 60,
        "banks": list(contest.banks.all())})


@login_required
def contest_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _contest(request, pk)
    if pages.wants_export(request):
        return pages.export(f"{contest.title}-{_('ranking')}", [
            _("Place"), _("Name"), _("Unit"), _("Best score"), _("Time taken (s)"), _("Attempts"), _("Prize")],
            ([r.place, r.name, r.unit, r.score, r.seconds, r.attempts, r.prize] for r in q.ranking(contest)))
    page = pages.paginate(request, q.standings(contest), per_page=50)
    offset = (page.number - 1) * page.paginator.per_page
    rows = q.ranking(contest, limit=page.paginator.per_page, offset=offset)
    return render(request, "learning/contest_ranking.html", {"contest": contest, "page": page, "rows": rows})


@login_required
def contest_units(request: HttpRequest, pk: int) -> HttpResponse:
    """Results per unit: the organiser's children, or (drill-down, ?org=) the children of a union below it."""
    contest = _contest(request, pk)
    parent = contest.org
    wanted = request.GET.get("org", "")
    if wanted.isdigit() and int(wanted) != contest.org_id:
        parent = get_object_or_404(Org.objects.for_user(request.user, "view").filter(path__startswith=contest.org.path),
                                   pk=int(wanted))
    rows = q.by_unit(contest, parent)
    prizes = list(contest.prizes or {})
    if pages.wants_export(request):
        return pages.export(f"{contest.title}-{parent.display_name}", [
            _("Unit"), _("Members"), _("Participants"), _("Participation rate (%)"), _("Attempts"),
            _("Mean score"), *prizes],
            ([r.org.name, r.members, r.takers, r.rate, r.attempts, r.mean, *[r.prizes.get(p, 0) for p in prizes]]
             for r in rows))
    trail = [o for o in parent.ancestors_and_self() if o.path.startswith(contest.org.path)]
    return render(request, "learning/contest_units.html", {
        "contest": contest, "parent": parent, "rows": [(r, [r.prizes.get(p, 0) for p in prizes]) for r in rows],
        "prizes": prizes, "trail": trail})


@login_required
def contest_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """The prize winners with their certificates; ?pdf=<award> prints one (A4, QR code of its verification page)."""
    from django.contrib.contenttypes.models import ContentType

    from gongjiang.core import certificates
    from gongjiang.core.models import IssuedCertificate

    contest = _managed(request, pk)
    awards = list(ContestAward.objects.filter(contest=contest).select_related("person", "unit").order_by("place",
                                                                                                          "id"))
    docs = {d.owner_id: d for d in IssuedCertificate.objects.filter(
        kind=services.CONTEST_CERTIFICATE, owner_type=ContentType.objects.get_for_model(ContestAward),
        owner_id__in=[a.pk for a in awards])}
    wanted = request.GET.get("pdf", "")
    if wanted:
        from gongjiang.core.pdf import pdf_response, render_pdf

        chosen = [a for a in awards if str(a.pk) == wanted or wanted == "all"]
        found = [docs[a.pk] for a in chosen if a.pk in docs]
        if not found:
            raise Http404
        data = render_pdf("core/certificates/certificate_pdf.html",
                          {"certificates": [certificates.pdf_context(request, d) for d in found]}, request=request)
        return pdf_response(data, f"{contest.title}-{found[0].number if len(found) == 1 else _('certificates')}.pdf")
    if pages.wants_export(request):
        return pages.export(f"{contest.title}-{_('prizes')}", [
            _("Place"), _("Prize"), _("Name"), _("Unit"), _("Score"), _("Certificate number")],
            ([a.place, a.prize, a.person.name, a.unit.name, a.score, docs[a.pk].number if a.pk in docs else ""]
             for a in awards))
    return render(request, "learning/contest_certificates.html", {
        "contest": contest, "rows": [(a, docs.get(a.pk)) for a in awards]})


def _decimal(text: str, default: Decimal, low: Decimal, high: Decimal) -> Decimal:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return default
    return value if value.is_finite() and low <= value <= high else default


@login_required
def contest_suspicious(request: HttpRequest, pk: int) -> HttpResponse:
    """可疑作答: identical answers scoring high, impossible speed, answers in quick succession, bursts from one unit;
    thresholds adjustable."""
    contest = _managed(request, pk)
    min_score = int(_decimal(request.GET.get("min_score", ""), Decimal(q.DEFAULT_MIN_SCORE), Decimal(0),
                             Decimal(100)))
    floor = _decimal(request.GET.get("floor", ""), q.DEFAULT_FLOOR, Decimal("0.1"), Decimal(60))
    burst = int(_decimal(request.GET.get("burst", ""), Decimal(q.DEFAULT_BURST), Decimal(2), Decimal(100000)))
    gap = _decimal(request.GET.get("gap", ""), q.DEFAULT_GAP, Decimal("0.1"), Decimal(10))
    run = int(_decimal(request.GET.get("run", ""), Decimal(q.DEFAULT_RUN), Decimal(3), Decimal(1000)))
    report = q.suspicious(contest, min_score=min_score, floor=floor, burst=burst, gap=gap, run=run)
    if pages.wants_export(request):
        return pages.export(f"{contest.title}-{_('suspicious attempts')}", [
            _("Pattern"), _("Group or count"), _("Name"), _("Unit"), _("Score"), _("Time taken (s)"), _("Started")],
            q.report_rows(report))
    return render(request, "learning/contest_suspicious.html", {"contest": contest, "report": report,
                                                                "questions": contest.question_count})


# ---------------------------------------------------------------------------------------------
# Workers


def _person(request: HttpRequest) -> Any:
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied(_("These pages are for workers with a record in the union's roster."))
    return person


def _my_theory_exams(person: Any) -> list[tuple[TheoryExam, str]]:
    out = []
    for exam in TheoryExam.objects.filter(state=TheoryState.OPEN).order_by("opens_at"):
        rnd = registry.theory_round(exam.round_id)
        code = rnd.code_of(person.pk) if rnd is not None else None
        if code is not None:
            out.append((exam, code))
    return out


@login_required
def contest_open(request: HttpRequest) -> HttpResponse:
    person = _person(request)
    now = timezone.now()
    contests = q.open_to(person, now)
    active = Attempt.objects.filter(person=person, state=AttemptState.ACTIVE).first()
    return render(request, "learning/contest_open.html", {
        "contests": contests, "now": now, "active": active, "theory": _my_theory_exams(person)})


def _enterable(request: HttpRequest, pk: int) -> tuple[Contest, Any]:
    contest = get_object_or_404(Contest.objects.select_related("org"), pk=pk, published=True)
    person = _person(request)
    if not q.may_enter(person, contest):
        raise Http404
    return contest, person


@login_required
@require_POST
def contest_enter(request: HttpRequest, pk: int) -> HttpResponse:
    contest, _who = _enterable(request, pk)
    attempt, refusal = pages.attempt(lambda: services.enter_contest(actor=logged_in(request.user), contest=contest))
    if refusal is not None:
        running = getattr(refusal, "attempt_id", None)
        if running:
            messages.info(request, refusal.message)
            return redirect("learning:attempt", pk=running)
        messages.error(request, refusal.message)
        return redirect("learning:contest_mine", pk=contest.pk)
    return redirect("learning:attempt", pk=attempt.pk)


@login_required
def contest_mine(request: HttpRequest, pk: int) -> HttpResponse:
    contest, person = _enterable(request, pk)
    now = timezone.now()
    mine = q.my_result(contest, person)
    certificate = None
    if mine.award is not None:
        from django.contrib.contenttypes.models import ContentType

        from gongjiang.core.models import IssuedCertificate

        certificate = IssuedCertificate.objects.filter(
            kind=services.CONTEST_CERTIFICATE, owner_type=ContentType.objects.get_for_model(ContestAward),
            owner_id=mine.award.pk).first()
    used = len(mine.attempts)
    return render(request, "learning/contest_mine.html", {
        "contest": contest, "mine": mine, "now": now, "ended": now >= contest.closes_at,
        "started": now >= contest.opens_at, "certificate": certificate,
        "active": next((a for a in mine.attempts if a.state == AttemptState.ACTIVE), None),
        "left": (contest.max_attempts - used) if contest.max_attempts else None})


# ---------------------------------------------------------------------------------------------
# Theory exams


def _exam(request: HttpRequest, pk: int) -> TheoryExam:
    return get_object_or_404(TheoryExam.objects.for_user(request.user, "view").select_related("org"), pk=pk)


def _runner(request: HttpRequest, exam: TheoryExam) -> None:
    if not registry.can_run_theory(request.user, exam.round_id):
        raise PermissionDenied(_("Only the organiser of the round runs its theory exam."))


@login_required
def theory_list(request: HttpRequest) -> HttpResponse:
    exams = list(TheoryExam.objects.for_user(request.user, "view").select_related("org").order_by("-opens_at"))
    if not exams and not _organisers(request):
        raise PermissionDenied(_("The theory exams' pages are for the rounds' organisers."))
    have = set(TheoryExam.objects.values_list("round_id", flat=True))
    rounds = [r for r in registry.theory_rounds(request.user) if r.id not in have]
    return render(request, "learning/contest_theory_list.html", {"exams": exams, "rounds": rounds})


@login_required
def theory_create(request: HttpRequest, round_id: int) -> HttpResponse:
    rnd = registry.theory_round(round_id)
    if rnd is None or not registry.can_run_theory(request.user, round_id):
        raise Http404
    org = get_object_or_404(Org, pk=rnd.org_id)
    form = PaperForm(request.POST or None, banks=q.usable_banks(org).order_by("name"), initial={"title": rnd.title})
    if request.method == "POST" and form.is_valid():
        exam = pages.handle(form, lambda: theory_services.create_theory_exam(
            actor=logged_in(request.user), round_id=round_id, data=form.data_for_verb()),
            aliases={"draw": "count_1", "time_limit": "minutes"})
        if exam is not None:
            messages.success(request, _("Theory exam set up. Open it when it is ready."))
            return redirect("learning:theory_detail", pk=exam.pk)
    return render(request, "learning/contest_theory_form.html", {"form": form, "rnd": rnd, "exam": None},
                  status=400 if form.is_bound and form.errors else 200)


@login_required
def theory_edit(request: HttpRequest, pk: int) -> HttpResponse:
    exam = _exam(request, pk)
    _runner(request, exam)
    form = PaperForm(request.POST or None, banks=q.usable_banks(exam.org).order_by("name"),
                     initial=PaperForm.initial_from(exam))
    if request.method == "POST" and form.is_valid():
        done = pages.handle(form, lambda: theory_services.edit_theory_exam(
            actor=logged_in(request.user), exam=exam, data=form.data_for_verb()),
            aliases={"draw": "count_1", "time_limit": "minutes"})
        if done is not None:
            messages.success(request, _("Theory exam changed."))
            return redirect("learning:theory_detail", pk=exam.pk)
    return render(request, "learning/contest_theory_form.html", {
        "form": form, "rnd": registry.theory_round(exam.round_id), "exam": exam},
        status=400 if form.is_bound and form.errors else 200)


@login_required
def theory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The exam's page for the round's organiser: the contestants by code (never by name), who started and
    submitted when, the scores scaled to 100; open, close and send."""
    exam = _exam(request, pk)
    rnd = registry.theory_round(exam.round_id)
    attempts = {a.person_id: a for a in Attempt.objects.filter(theory_exam=exam)}
    rows = []
    for c in rnd.candidates if rnd else ():
        a = attempts.get(c.person_id)
        rows.append((c.code, a, contest_rules.hundredths(a.score, a.max_score) / 100
                     if a is not None and a.state != AttemptState.ACTIVE else None))
    return render(request, "learning/contest_theory_detail.html", {
        "exam": exam, "rnd": rnd, "rows": rows, "can_run": registry.can_run_theory(request.user, exam.round_id),
        "now": timezone.now(), "taken": len(attempts)})


@login_required
@require_POST
def theory_open(request: HttpRequest, pk: int) -> HttpResponse:
    exam = _exam(request, pk)
    _runner(request, exam)
    pages.act(request, lambda: theory_services.open_theory_exam(actor=logged_in(request.user), exam=exam),
              _("Theory exam opened to the round's contestants."))
    return redirect("learning:theory_detail", pk=exam.pk)


@login_required
@require_POST
def theory_close(request: HttpRequest, pk: int) -> HttpResponse:
    exam = _exam(request, pk)
    _runner(request, exam)
    pages.act(request, lambda: theory_services.close_theory_exam(actor=logged_in(request.user), exam=exam),
              lambda n: _("Theory exam closed: %(n)d scores sent to the round.") % {"n": n})
    return redirect("learning:theory_detail", pk=exam.pk)


def _candidate_exam(request: HttpRequest, pk: int) -> tuple[TheoryExam, str]:
    exam = get_object_or_404(TheoryExam, pk=pk)
    person = _person(request)
    rnd = registry.theory_round(exam.round_id)
    code = rnd.code_of(person.pk) if rnd is not None else None
    if code is None:
        raise Http404
    return exam, code


@login_required
def theory_take(request: HttpRequest, pk: int) -> HttpResponse:
    exam, code = _candidate_exam(request, pk)
    attempt = Attempt.objects.filter(theory_exam=exam, person=request.user.person).first()  # type: ignore[union-attr]
    now = timezone.now()
    return render(request, "learning/contest_theory_take.html", {
        "exam": exam, "code": code, "attempt": attempt, "now": now,
        "can_start": attempt is None and exam.state == TheoryState.OPEN and exam.opens_at <= now < exam.closes_at})


@login_required
@require_POST
def theory_start(request: HttpRequest, pk: int) -> HttpResponse:
    exam, _code = _candidate_exam(request, pk)
    attempt, refusal = pages.attempt(lambda: theory_services.start_theory(actor=logged_in(request.user), exam=exam))
    if refusal is not None:
        running = getattr(refusal, "attempt_id", None)
        messages.error(request, refusal.message)
        if running:
            return redirect("learning:attempt", pk=running)
        return redirect("learning:theory_take", pk=exam.pk)
    return redirect(reverse("learning:attempt", args=[attempt.pk]))


urlpatterns = [
    path("learning/contests/", contest_list, name="contest_list"),
    path("learning/contests/new/", contest_create, name="contest_create"),
    path("learning/contests/<id:pk>/", contest_detail, name="contest_detail"),
    path("learning/contests/<id:pk>/edit/", contest_edit, name="contest_edit"),
    path("learning/contests/<id:pk>/publish/", contest_publish, name="contest_publish"),
    path("learning/contests/<id:pk>/results/", contest_results, name="contest_results"),
    path("learning/contests/<id:pk>/ranking/", contest_ranking, name="contest_ranking"),
    path("learning/contests/<id:pk>/units/", contest_units, name="contest_units"),
    path("learning/contests/<id:pk>/certificates/", contest_certificates, name="contest_certificates"),
    path("learning/contests/<id:pk>/suspicious/", contest_suspicious, name="contest_suspicious"),
    path("learning/contests/<id:pk>/enter/", contest_enter, name="contest_enter"),
    path("learning/my/contests/", contest_open, name="contest_open"),
    path("learning/my/contests/<id:pk>/", contest_mine, name="contest_mine"),
    path("learning/theory/", theory_list, name="theory_list"),
    path("learning/theory/new/<id:round_id>/", theory_create, name="theory_create"),
    path("learning/theory/<id:pk>/", theory_detail, name="theory_detail"),
    path("learning/theory/<id:pk>/edit/", theory_edit, name="theory_edit"),
    path("learning/theory/<id:pk>/open/", theory_open, name="theory_open"),
    path("learning/theory/<id:pk>/close/", theory_close, name="theory_close"),
    path("learning/my/theory/<id:pk>/", theory_take, name="theory_take"),
    path("learning/my/theory/<id:pk>/start/", theory_start, name="theory_start"),
]
