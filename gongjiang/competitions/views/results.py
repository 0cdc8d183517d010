"""Results pages: a round's ranking (加密号 before decryption, names after), theory scores, publishing and
confirming the results, and the public notice (公示, open to everybody). Appeals are in `views.appeals`, grade
promotions and certificates in `views.awards`, the analysis charts in `views.analysis`.

Who sees what: a round's organisers (the round's own organiser or the competition's) see and run everything;
once the results are published (公示 or final), everyone who can see the round reads its ranking and
analysis — the same names, units and prizes the public notice shows, never an ID number. A certificate PDF
is for the organiser, the winner and the winner's unit (`Entry.objects.for_user`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from gongjiang.core import imports, pages, workdays
from gongjiang.core.notices.views import objection_context
from gongjiang.core.pages import xlsx_response

from .. import publicity, queries, services
from ..choices import AppealState, EntryStatus, RoundState
from ..forms.results import PublishForm, TheoryUploadForm
from ..models import Appeal, Certificate, Entry, Round, Team, hundredths
from ..theory_import import parse_theory, read_theory_workbook, theory_import
from .common import PUBLISHED, ROUND_RELATED, results_round, results_round_for_change

CERTIFICATES_PER_PDF = 300


# ---------------------------------------------------------------------------------------------
# Helpers


def _duration(seconds: int | None) -> str:
    if seconds is None:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _tied_places(rnd: Round) -> set[int]:
    """Places shared by more than one entrant (并列), in one GROUP BY."""
    return set(Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN, place__isnull=False)
               .values("place").order_by().annotate(n=Count("pk")).filter(n__gt=1).values_list("place", flat=True))


def _ranking(rnd: Round) -> QuerySet[Entry]:
    qs = Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).select_related("person", "unit",
                                                                                       "certificate__document")
    if rnd.is_decrypted:
        return qs.order_by(F("place").asc(nulls_last=True), F("total").desc(nulls_last=True), "contestant_no", "pk")
    return qs.order_by(F("practical").desc(nulls_last=True), "code", "pk")


def _teams(rnd: Round) -> list[Team]:
    if not rnd.event.is_team:
        return []
    teams = list(Team.objects.filter(round=rnd).select_related("unit").order_by(F("place").asc(nulls_last=True),
                                                                                   "name"))
    for t in teams:
        t.total_shown = hundredths(t.total)
    return teams


def _decorate(rows: list[Entry], user: Any, organiser: bool, tied: set[int]) -> None:
    person_id = getattr(user, "person_id", None)
    for e in rows:
        e.tied = e.place in tied
        e.theory_shown, e.practical_shown = hundredths(e.theory), hundredths(e.practical)
        e.total_shown = hundredths(e.total)
        e.time_shown = _duration(e.time_used)
        e.cert = cert = e.certificate if _has_certificate(e) else None
        e.cert_visible = cert is not None and (organiser or e.person_id == person_id or e.unit.in_scope(user, "view"))


def _objection_counts(rnd: Round) -> dict[str, Any] | None:
    """The objections of the public to the round's notice (core), for the organisers' results page."""
    if rnd.notice_id is None:
        return None
    counts = rnd.notice.objections.aggregate(total=Count("pk"), open=Count("pk", filter=~Q(state="decided")))
    return {**counts, "url": reverse("core:notice_objections", args=[rnd.notice_id])}


def _has_certificate(entry: Entry) -> bool:
    try:
        return entry.certificate is not None
    except Certificate.DoesNotExist:
        return False

# ---------------------------------------------------------------------------------------------
# The ranking


@login_required
def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    """成绩排名: the organisers' working page (publish, finalise, theory, appeals) and, once published, the
    units' and contestants' results page."""
    rnd, organiser = results_round(request, pk)
    decrypted = rnd.is_decrypted
    ranking = _ranking(rnd)
    if pages.wants_export(request):
        return _export_ranking(rnd, ranking, organiser)
    page = pages.paginate(request, ranking)
    rows = list(page.object_list)
    _decorate(rows, request.user, organiser, _tied_places(rnd) if decrypted else set())
    summary = Entry.objects.filter(round=rnd).aggregate(
        checked_in=Count("pk", filter=Q(status=EntryStatus.CHECKED_IN)),
        scored=Count("pk", filter=Q(status=EntryStatus.CHECKED_IN, practical__isnull=False)),
        no_theory=Count("pk", filter=Q(status=EntryStatus.CHECKED_IN, theory__isnull=True)),
        winners=Count("pk", filter=~Q(prize="")),
        advanced=Count("pk", filter=Q(advanced=True)))
    open_appeals = Appeal.objects.filter(entry__round=rnd, state=AppealState.FILED).count() if organiser else 0
    certificates = (Certificate.objects.filter(entry__round=rnd).count()
                    if organiser and rnd.state == RoundState.FINAL else 0)
    event = rnd.event
    context = {
        "rnd": rnd, "event": event, "competition": event.competition, "organiser": organiser,
        "decrypted": decrypted, "page": page, "rows": rows, "teams": _teams(rnd), "summary": summary,
        "open_appeals": open_appeals, "has_theory": event.theory_weight > 0,
        "publish_form": PublishForm() if organiser and rnd.state == RoundState.DECRYPTED else None,
        "can_finalise": organiser and rnd.state == RoundState.PUBLICITY,
        "can_enter_theory": organiser and event.theory_weight > 0 and rnd.state not in {
            RoundState.REGISTRATION, RoundState.FINAL},
        "published": rnd.state in PUBLISHED,
        "notice_open": publicity.notice_running(rnd),
        "objections": _objection_counts(rnd) if organiser else None,
        "certificate_parts": range(1, -(-certificates // CERTIFICATES_PER_PDF) + 1) if certificates else [],
    }
    return pages.render_page(request, "competitions/results/round_results.html", context,
                             fragment="competitions/results/_ranking_rows.html")


def _export_ranking(rnd: Round, ranking: QuerySet[Entry], organiser: bool) -> HttpResponse:
    """导出Excel: every ranked row, with the certificate numbers (all of a round's results and certificates)."""
    decrypted = rnd.is_decrypted
    tied = _tied_places(rnd) if decrypted else set()
    headers = [_("Place"), _("Tied")]
    # Before decryption the 加密号 stands alone: a 参赛号 beside it would join it, through the entries export
    # (参赛号 → name), to a person.
    if not decrypted:
        headers += [_("Anonymous code")]
    elif organiser:
        headers += [_("Contestant number"), _("Anonymous code"), _("Name"), _("Unit")]
    else:
        headers += [_("Name"), _("Unit")]
    headers += [_("Theory"), _("Practical"), pgettext("score", "Total"), _("Time used"), _("Prize"), _("Advanced"),
                _("Certificate number")]

    def rows() -> Any:
        for e in ranking.iterator(chunk_size=2000):
            row: list[Any] = [e.place, _("tied") if e.place in tied else ""]
            if not decrypted:
                row += [e.code]
            elif organiser:
                row += [e.contestant_no, e.code, e.person.name, e.unit.name]
            else:
                row += [e.person.name, e.unit.name]
            cert = e.certificate if _has_certificate(e) else None
            row += [hundredths(e.theory), hundredths(e.practical), hundredths(e.total), _duration(e.time_used),
                    e.get_prize_display(), _("yes") if e.advanced else "",
                    cert.number if cert and cert.revoked_at is None else ""]
            yield row

    return pages.export(f"{rnd.event.name}-{rnd.stage.name}-{rnd.organiser.display_name}", headers, rows())


def _import_theory(request: HttpRequest, rnd: Round, f: Any) -> tuple[int, list[Any]]:
    """The theory scores of an uploaded workbook, saved only when every row of it is right: (how many were saved,
    the rows' errors)."""
    scores, import_errors = read_theory_workbook(rnd, f.read(), f.name)
    if import_errors:
        return 0, import_errors
    return services.set_theory_scores(actor=request.user, rnd=rnd, scores=scores,
                                      note=_("imported from %(name)s") % {"name": f.name}), []


def _typed_theory(rows: list[Entry], data: Any) -> tuple[dict[int, str], dict[int, Decimal], dict[int, str]]:
    """The theory scores typed on a page of the table, by entry id: (what was typed, the scores read, the errors)."""
    typed: dict[int, str] = {}
    scores: dict[int, Decimal] = {}
    errors: dict[int, str] = {}
    for e in rows:
        text = typed[e.pk] = (data.get(f"t{e.pk}") or "").strip()
        if not text:
            continue
        try:
            scores[e.pk] = parse_theory(text)
        except ValueError as err:
            errors[e.pk] = str(err)
    return typed, scores, errors


@login_required
def round_theory(request: HttpRequest, pk: int) -> HttpResponse:
    """理论成绩: typed into a table (a page at a time) or imported from .xlsx (参赛号, 理论成绩), checked whole
    before `set_theory_scores` saves anything."""
    rnd = results_round_for_change(request, pk)
    if request.GET.get("template"):
        return xlsx_response(imports.template(theory_import), "理论成绩导入模板.xlsx")
    editable = rnd.state != RoundState.FINAL
    page = pages.paginate(request, queries.theory_sheet(rnd))
    rows = list(page.object_list)
    upload = TheoryUploadForm()
    row_errors: dict[int, str] = {}
    import_errors: list[Any] = []
    typed: dict[int, str] = {}
    status = 200
    if request.method == "POST" and editable:
        if "file" in request.FILES:
            upload = TheoryUploadForm(request.POST, request.FILES)
            if upload.is_valid():
                imported = pages.handle(upload, lambda: _import_theory(request, rnd, upload.cleaned_data["file"]))
                if imported is not None:
                    count, import_errors = imported
                    if not import_errors:
                        messages.success(request, _("%(n)s theory scores were imported.") % {"n": count})
                        return redirect("competitions:round_theory", pk=rnd.pk)
            status = 400
        else:
            on_page = {e.pk for e in rows}
            typed, scores, row_errors = _typed_theory(rows, request.POST)
            if not row_errors and scores:
                count, refusal = pages.attempt(lambda: services.set_theory_scores(actor=request.user, rnd=rnd,
                                                                                  scores=scores))
                if refusal is None:
                    messages.success(request, _("%(n)s theory scores were saved.") % {"n": count})
                    return redirect(request.get_full_path())
                row_errors = {int(k): v for k, v in refusal.errors.items() if k.isdigit() and int(k) in on_page}
                if not row_errors:
                    messages.error(request, refusal.message)
                status = 400
            elif not row_errors:
                messages.info(request, _("No theory score was typed in."))
            if row_errors:
                status = 400
    for e in rows:
        e.theory_shown = hundredths(e.theory)
        e.typed = typed.get(e.pk, "")
        e.error = row_errors.get(e.pk, "")
    return render(request, "competitions/results/round_theory.html", {
        "rnd": rnd, "event": rnd.event, "page": page, "rows": rows, "upload": upload, "editable": editable,
        "import_errors": import_errors, "row_errors": row_errors,
    }, status=status)


@login_required
@require_POST
def round_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """成绩公示: the decrypted, ranked results go on public notice until the chosen day."""
    rnd = results_round_for_change(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the last day of the public notice."))
        return redirect("competitions:round_results", pk=rnd.pk)
    days = form.cleaned_data["working_days"]
    until = None if days else form.cleaned_data["publicity_until"]

    def published(r: Round) -> str:
        text = _("The results are on public notice until %(date)s.") % {"date": r.publicity_until}
        if days and r.notice.period_estimated:  # beyond the calendar's holiday data: say so
            text += " " + workdays.period_note(workdays.working_period(r.notice.starts_on, days))
        return text

    pages.act(request, lambda: services.publish_results(actor=request.user, rnd=rnd, publicity_until=until,
                                                        working_days=days), published)
    return redirect("competitions:round_results", pk=rnd.pk)


@login_required
@require_POST
def round_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """成绩确认: after the notice and every appeal decided — certificates, promotions, advancement."""
    rnd = results_round_for_change(request, pk)
    pages.act(request, lambda: services.finalise_round(actor=request.user, rnd=rnd),
              lambda figures: _("The results are final: %(certificates)s certificates issued, %(promotions)s grade "
                                "promotions proposed, %(advanced)s contestants entered into the next stage.") % figures)
    return redirect("competitions:round_results", pk=rnd.pk)


# ---------------------------------------------------------------------------------------------
# Public notice (公示): no log-in


def _notice_round(pk: int) -> Round:
    rnd = Round.objects.filter(pk=pk, state__in=PUBLISHED).select_related(*ROUND_RELATED).first()
    if rnd is None:
        raise Http404(_("No results of this round are on public notice."))
    return rnd


# The columns the rounds on public notice sort by (?sort=competition, ?sort=-until): the organiser in the tree's order.
# The default: the soonest end of the notice first.
NOTICE_SORTING = pages.Sorting(
    {"competition": ("event__competition__name", "event__order"), "event": "event__name", "stage": "stage__order",
     "organiser": "organiser__path", "until": ("publicity_until", "event__competition__name", "event__name")},
    default="until")


def public_notices(request: HttpRequest) -> HttpResponse:
    """The rounds whose results are on public notice now."""
    sort = NOTICE_SORTING(request)
    qs = sort.apply(Round.objects.filter(state=RoundState.PUBLICITY).select_related(*ROUND_RELATED))
    page = pages.paginate(request, qs)
    return render(request, "competitions/results/public_notices.html", {"page": page, "rows": list(page.object_list),
                                                                        "today": timezone.localdate(), "sort": sort})


def public_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """成绩公示: competition, event, stage, the notice period, the ranked list (name, unit, score, prize — never an
    ID number) and how to object."""
    rnd = _notice_round(pk)
    qs = (Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN, place__isnull=False)
          .select_related("person", "unit").only("place", "total", "prize", "advanced", "person__name", "unit__name",
                                                  "unit__short_name")
          .order_by("place", "contestant_no", "pk"))
    page = pages.paginate(request, qs)
    rows = list(page.object_list)
    tied = _tied_places(rnd)
    for e in rows:
        e.tied, e.total_shown = e.place in tied, hundredths(e.total)
    window_open = publicity.notice_running(rnd)
    return render(request, "competitions/results/public_notice.html", {
        "rnd": rnd, "event": rnd.event, "competition": rnd.event.competition, "page": page, "rows": rows,
        "teams": _teams(rnd), "window_open": window_open,
        **(objection_context(rnd.notice) if rnd.notice_id else {}),
    })


urlpatterns: list[URLPattern] = [
    path("competitions/rounds/<id:pk>/results/", round_results, name="round_results"),
    path("competitions/rounds/<id:pk>/results/theory/", round_theory, name="round_theory"),
    path("competitions/rounds/<id:pk>/results/publish/", round_publish, name="round_publish"),
    path("competitions/rounds/<id:pk>/results/finalise/", round_finalise, name="round_finalise"),
    path("public/results/", public_notices, name="public_notices"),
    path("public/results/<id:pk>/", public_notice, name="public_notice"),
]
