"""Results pages: a round's ranking (加密号 before decryption, names after), theory scores, the public notice
(公示, open to everybody), appeals and their arbitration, grade promotions, certificates with a public QR
verification page, and the analysis charts (where contestants are weak; participation rolled up the tree).

Who sees what: a round's organisers (the round's own organiser or the competition's) see and run everything;
once the results are published (公示 or final), everyone who can see the round reads its ranking and
analysis — the same names, units and prizes the public notice shows, never an ID number. A certificate PDF
is for the organiser, the winner and the winner's unit (`Entry.objects.for_user`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from gongjiang.core import imports, pages
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.core.pdf import pdf_response, qr_data_uri, render_pdf
from gongjiang.core.views import xlsx_response
from gongjiang.orgs.choices import SkillGrade
from gongjiang.orgs.forms.people import apply_domain_error
from gongjiang.orgs.models import Org, scope_paths

from ..choices import AppealState, EntryStatus, PromotionState, RoundState
from ..forms.results import (
    AppealDecisionForm,
    AppealForm,
    PublishForm,
    RevokeForm,
    TheoryUploadForm,
    amendments_from,
    appeal_grid,
    promotion_state_choices,
)
from ..models import (
    Appeal,
    Certificate,
    Competition,
    Entry,
    Mark,
    Promotion,
    Round,
    Scheme,
    Sheet,
    Team,
    hundredths,
)
from ..services import results
from ..services.results import parse_theory, read_theory_workbook, theory_import

PUBLISHED = {RoundState.PUBLICITY, RoundState.FINAL}
ROUND_RELATED = ("event__competition__organiser", "stage", "organiser")
CERTIFICATES_PER_PDF = 300


# ---------------------------------------------------------------------------------------------
# Fetching


def _round(request: HttpRequest, pk: int) -> Round:
    return get_object_or_404(Round.objects.for_user(request.user, "view").select_related(*ROUND_RELATED), pk=pk)


def _results_round(request: HttpRequest, pk: int) -> tuple[Round, bool]:
    """The round and whether the user organises it; others read the results only once published."""
    rnd = _round(request, pk)
    organiser = rnd.can_change(request.user)
    if not organiser and rnd.state not in PUBLISHED:
        raise PermissionDenied(_("The results of this round are not published yet."))
    return rnd, organiser


def _organiser_round(request: HttpRequest, pk: int) -> Round:
    rnd = _round(request, pk)
    if not rnd.can_change(request.user):
        raise PermissionDenied(_("Only the organiser of this round may do this."))
    return rnd


def _score(value: int | None) -> Decimal | None:
    return hundredths(value)


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
                                                                                       "certificate")
    if rnd.is_decrypted:
        return qs.order_by(F("place").asc(nulls_last=True), F("total").desc(nulls_last=True), "contestant_no", "pk")
    return qs.order_by(F("practical").desc(nulls_last=True), "code", "pk")


def _teams(rnd: Round) -> list[Team]:
    if not rnd.event.is_team:
        return []
    teams = list(Team.objects.filter(round=rnd).select_related("unit").order_by(F("place").asc(nulls_last=True),
                                                                                   "name"))
    for t in teams:
        t.total_shown = _score(t.total)
    return teams


def _decorate(rows: list[Entry], user: Any, organiser: bool, tied: set[int]) -> None:
    person_id = getattr(user, "person_id", None)
    for e in rows:
        e.tied = e.place in tied
        e.theory_shown, e.practical_shown, e.total_shown = _score(e.theory), _score(e.practical), _score(e.total)
        e.time_shown = _duration(e.time_used)
        e.cert = cert = e.certificate if _has_certificate(e) else None
        e.cert_visible = cert is not None and (organiser or e.person_id == person_id or e.unit.in_scope(user, "view"))


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
    rnd, organiser = _results_round(request, pk)
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
        "notice_open": rnd.state == RoundState.PUBLICITY and (
            rnd.publicity_until is None or timezone.localdate() <= rnd.publicity_until),
        "certificate_parts": range(1, -(-certificates // CERTIFICATES_PER_PDF) + 1) if certificates else [],
    }
    return pages.render_page(request, "competitions/results/round_results.html", context,
                             fragment="competitions/results/_ranking_rows.html")


def _export_ranking(rnd: Round, ranking: QuerySet[Entry], organiser: bool) -> HttpResponse:
    """导出Excel: every ranked row, with the certificate numbers (all of a round's results and certificates)."""
    decrypted = rnd.is_decrypted
    tied = _tied_places(rnd) if decrypted else set()
    headers = [_("Place"), _("Tied")]
    if organiser:
        headers += [_("Contestant number"), _("Anonymous code")]
    if decrypted:
        headers += [_("Name"), _("Unit")]
    headers += [_("Theory"), _("Practical"), pgettext("score", "Total"), _("Time used"), _("Prize"), _("Advanced"),
                _("Certificate number")]

    def rows() -> Any:
        for e in ranking.iterator(chunk_size=2000):
            row: list[Any] = [e.place, _("tied") if e.place in tied else ""]
            if organiser:
                row += [e.contestant_no, e.code]
            if decrypted:
                row += [e.person.name, e.unit.name]
            cert = e.certificate if _has_certificate(e) else None
            row += [_score(e.theory), _score(e.practical), _score(e.total), _duration(e.time_used),
                    e.get_prize_display(), _("yes") if e.advanced else "",
                    cert.number if cert and cert.revoked_at is None else ""]
            yield row

    return pages.export(f"{rnd.event.name}-{rnd.stage.name}-{rnd.organiser.display_name}", headers, rows())


@login_required
def round_theory(request: HttpRequest, pk: int) -> HttpResponse:
    """理论成绩: typed into a table (a page at a time) or imported from .xlsx (参赛号, 理论成绩), checked whole
    before `set_theory_scores` saves anything."""
    rnd = _organiser_round(request, pk)
    if request.GET.get("template"):
        return xlsx_response(imports.template(theory_import), "理论成绩导入模板.xlsx")
    editable = rnd.state != RoundState.FINAL
    entries = (Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).select_related("person", "unit")
               .order_by("contestant_no", "pk"))
    page = pages.paginate(request, entries)
    rows = list(page.object_list)
    upload = TheoryUploadForm()
    row_errors: dict[int, str] = {}
    import_errors: list[Any] = []
    typed: dict[int, str] = {}
    scores: dict[int, Decimal] = {}
    status = 200
    if request.method == "POST" and editable:
        if "file" in request.FILES:
            upload = TheoryUploadForm(request.POST, request.FILES)
            if upload.is_valid():
                f = upload.cleaned_data["file"]
                try:
                    scores, import_errors = read_theory_workbook(rnd, f.read(), f.name)
                    if not import_errors:
                        count = results.set_theory_scores(actor=request.user, rnd=rnd, scores=scores,
                                                          note=_("imported from %(name)s") % {"name": f.name})
                        messages.success(request, _("%(n)s theory scores were imported.") % {"n": count})
                        return redirect("round_theory", pk=rnd.pk)
                except PermissionDeniedError as e:
                    raise PermissionDenied(e.message) from None
                except DomainError as e:
                    apply_domain_error(upload, e)
            status = 400
        else:
            on_page = {e.pk for e in rows}
            for e in rows:
                text = (request.POST.get(f"t{e.pk}") or "").strip()
                typed[e.pk] = text
                if not text:
                    continue
                try:
                    scores[e.pk] = parse_theory(text)
                except ValueError as err:
                    row_errors[e.pk] = str(err)
            if not row_errors and scores:
                try:
                    count = results.set_theory_scores(actor=request.user, rnd=rnd, scores=scores)
                except PermissionDeniedError as e:
                    raise PermissionDenied(e.message) from None
                except DomainError as e:
                    row_errors = {int(k): v for k, v in e.errors.items() if k.isdigit() and int(k) in on_page}
                    if not row_errors:
                        messages.error(request, e.message)
                    status = 400
                else:
                    messages.success(request, _("%(n)s theory scores were saved.") % {"n": count})
                    return redirect(request.get_full_path())
            elif not row_errors:
                messages.info(request, _("No theory score was typed in."))
            if row_errors:
                status = 400
    for e in rows:
        e.theory_shown = _score(e.theory)
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
    rnd = _organiser_round(request, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the last day of the public notice."))
        return redirect("round_results", pk=rnd.pk)
    try:
        results.publish_results(actor=request.user, rnd=rnd, publicity_until=form.cleaned_data["publicity_until"])
    except PermissionDeniedError as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The results are on public notice until %(date)s.") % {
            "date": form.cleaned_data["publicity_until"]})
    return redirect("round_results", pk=rnd.pk)


@login_required
@require_POST
def round_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    """成绩确认: after the notice and every appeal decided — certificates, promotions, advancement."""
    rnd = _organiser_round(request, pk)
    try:
        figures = results.finalise_round(actor=request.user, rnd=rnd)
    except PermissionDeniedError as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The results are final: %(certificates)s certificates issued, %(promotions)s "
                                    "grade promotions proposed, %(advanced)s contestants entered into the next "
                                    "stage.") % figures)
    return redirect("round_results", pk=rnd.pk)


# ---------------------------------------------------------------------------------------------
# Public notice (公示): no log-in


def _notice_round(pk: int) -> Round:
    rnd = Round.objects.filter(pk=pk, state__in=PUBLISHED).select_related(*ROUND_RELATED).first()
    if rnd is None:
        raise Http404(_("No results of this round are on public notice."))
    return rnd


def public_notices(request: HttpRequest) -> HttpResponse:
    """The rounds whose results are on public notice now."""
    qs = (Round.objects.filter(state=RoundState.PUBLICITY).select_related(*ROUND_RELATED)
          .order_by("publicity_until", "event__competition__name", "event__name", "pk"))
    page = pages.paginate(request, qs)
    return render(request, "competitions/results/public_notices.html", {"page": page, "rows": list(page.object_list),
                                                                        "today": timezone.localdate()})


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
        e.tied, e.total_shown = e.place in tied, _score(e.total)
    today = timezone.localdate()
    return render(request, "competitions/results/public_notice.html", {
        "rnd": rnd, "event": rnd.event, "competition": rnd.event.competition, "page": page, "rows": rows,
        "teams": _teams(rnd), "window_open": rnd.state == RoundState.PUBLICITY and (
            rnd.publicity_until is None or today <= rnd.publicity_until),
    })


# ---------------------------------------------------------------------------------------------
# Appeals (申诉)


@login_required
def appeal_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A contestant (or their unit) objects to their result while the notice runs (phone-sized page)."""
    entry = get_object_or_404(Entry.objects.for_user(request.user, "view").select_related(
        "round__event__competition__organiser", "round__stage", "round__organiser", "person", "unit"), pk=pk)
    if not (entry.person_id == getattr(request.user, "person_id", None) or entry.unit.in_scope(request.user,
                                                                                                "change")):
        raise PermissionDenied(_("Only the contestant or their unit may appeal."))
    rnd = entry.round
    form = AppealForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                results.file_appeal(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
            except PermissionDeniedError as e:
                raise PermissionDenied(e.message) from None
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                messages.success(request, _("Your appeal has been filed; the organiser will decide on it and the "
                                            "decision will appear here."))
                return redirect("appeal_file", pk=entry.pk)
        status = 400
    today = timezone.localdate()
    return render(request, "competitions/results/appeal_file.html", {
        "entry": entry, "rnd": rnd, "form": form, "appeals": list(entry.appeals.order_by("-filed_at")),
        "total_shown": _score(entry.total), "published": rnd.state in PUBLISHED,
        "window_open": rnd.state == RoundState.PUBLICITY and (
            rnd.publicity_until is None or today <= rnd.publicity_until),
    }, status=status)


APPEAL_RELATED = ("entry__person", "entry__unit", "filed_by", "decided_by")


def _standings(appeals: list[Appeal]) -> dict[int, tuple[Any, Any]]:
    """The place before and after each decided appeal, from its audit event (one query for the page)."""
    decided = [str(a.pk) for a in appeals if a.state != AppealState.FILED]
    if not decided:
        return {}
    events = AuditEvent.objects.filter(content_type=ContentType.objects.get_for_model(Appeal), object_id__in=decided,
                                       verb="competitions.appeal.decided").values_list("object_id", "before", "after")
    return {int(oid): ((before or {}).get("place"), (after or {}).get("place")) for oid, before, after in events}


@login_required
def appeal_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's appeals of a round: waiting ones first."""
    rnd = _organiser_round(request, pk)
    state = request.GET.get("state", "")
    qs = Appeal.objects.filter(entry__round=rnd).select_related(*APPEAL_RELATED)
    if state in AppealState.values:
        qs = qs.filter(state=state)
    qs = qs.order_by(F("decided_at").desc(nulls_first=True), "-filed_at", "-pk")
    page = pages.paginate(request, qs)
    rows = list(page.object_list)
    standings = _standings(rows)
    for a in rows:
        a.place_before, a.place_after = standings.get(a.pk, (None, None))
        a.place_changed = a.pk in standings and a.place_before != a.place_after
    return pages.render_page(request, "competitions/results/appeal_list.html", {
        "rnd": rnd, "event": rnd.event, "page": page, "rows": rows, "state": state,
        "states": AppealState.choices, "notice_open": rnd.state == RoundState.PUBLICITY,
    }, fragment="competitions/results/_appeal_rows.html")


@login_required
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """仲裁: the decision and, when upheld, the entry's new marks (measurements once, judgements per judge)."""
    appeal = get_object_or_404(Appeal.objects.select_related(
        "entry__round__event__competition__organiser", "entry__round__organiser", "entry__round__stage",
        *APPEAL_RELATED).filter(entry__round__in=Round.objects.for_user(request.user, "view")), pk=pk)
    entry, rnd = appeal.entry, appeal.entry.round
    if not rnd.can_change(request.user):
        raise PermissionDenied(_("Only the organiser of this round may do this."))
    scheme = Scheme.objects.filter(event=rnd.event_id).prefetch_related("aspects").first()
    sheets = list(Sheet.objects.filter(entry=entry).select_related("judge__judge").order_by("judge__judge__name",
                                                                                              "pk"))
    grid = appeal_grid(scheme, sheets, list(Mark.objects.filter(sheet__entry=entry))) if scheme else []
    form = AppealDecisionForm(request.POST or None)
    status = 200
    if request.method == "POST" and appeal.state == AppealState.FILED:
        if form.is_valid():
            d = form.cleaned_data
            try:
                changes = amendments_from(request.POST, grid)
                decided = results.decide_appeal(actor=request.user, appeal=appeal, upheld=d["outcome"] == "upheld",
                                                decision=d["decision"], amendments=changes, reason=d["reason"])
            except PermissionDeniedError as e:
                raise PermissionDenied(e.message) from None
            except DomainError as e:
                apply_domain_error(form, e)
            else:
                before, after = decided.before, decided.after
                messages.success(request, _("The appeal is decided (%(state)s). Place: %(before)s → %(after)s; "
                                            "total: %(t1)s → %(t2)s.") % {
                    "state": decided.get_state_display(), "before": before["place"] or "—",
                    "after": after["place"] or "—", "t1": _score(before["total"]) or "—",
                    "t2": _score(after["total"]) or "—"})
                return redirect("appeal_list", pk=rnd.pk)
        status = 400
    return render(request, "competitions/results/appeal_decide.html", {
        "appeal": appeal, "entry": entry, "rnd": rnd, "form": form, "grid": grid, "sheets": sheets,
        "total_shown": _score(entry.total), "practical_shown": _score(entry.practical),
        "theory_shown": _score(entry.theory), "standing": _standings([appeal]).get(appeal.pk),
    }, status=status)


# ---------------------------------------------------------------------------------------------
# Grade promotions (晋升技术等级)


def _grade(value: int) -> str:
    return str(SkillGrade(value).label) if value in SkillGrade.values else str(value)


@login_required
def promotion_list(request: HttpRequest, pk: int) -> HttpResponse:
    """Proposed grade promotions of a competition, for the organisers of its rounds to approve or reject."""
    competition = get_object_or_404(Competition.objects.for_user(request.user, "view").select_related("organiser"),
                                    pk=pk)
    qs = Promotion.objects.filter(entry__round__event__competition=competition)
    if not competition.can_change(request.user):
        mine = Round.objects.for_user(request.user, "change").filter(event__competition=competition)
        if not mine.exists():
            raise PermissionDenied(_("Only the organisers of this competition see its grade promotions."))
        qs = qs.filter(entry__round__in=mine)
    state = request.GET.get("state", "")
    if state in PromotionState.values:
        qs = qs.filter(state=state)
    qs = qs.select_related("entry__person", "entry__unit", "entry__round__event__competition__organiser",
                           "entry__round__stage", "entry__round__organiser", "decided_by").order_by(
        "entry__round__event__order", "entry__round__pk", "entry__place", "pk")
    if pages.wants_export(request):
        return pages.export(f"{competition.name}-{_('Grade promotions')}", [
            _("Name"), _("Unit"), _("Event"), _("Stage"), _("Round"), _("Place"), _("Prize"), _("Current grade"),
            _("Proposed grade"), _("State")], (
            [p.entry.person.name, p.entry.unit.name, p.entry.round.event.name, p.entry.round.stage.name,
             p.entry.round.organiser.display_name, p.entry.place, p.entry.get_prize_display(),
             _grade(p.current_grade), _grade(p.proposed_grade), p.get_state_display()]
            for p in qs.iterator(chunk_size=2000)))
    page = pages.paginate(request, qs)
    rows = list(page.object_list)
    for p in rows:
        p.current_label, p.proposed_label = _grade(p.current_grade), _grade(p.proposed_grade)
        p.can_decide = p.state == PromotionState.PROPOSED and p.entry.round.can_change(request.user)
    return pages.render_page(request, "competitions/results/promotion_list.html", {
        "competition": competition, "page": page, "rows": rows, "state": state,
        "states": promotion_state_choices(),
    }, fragment="competitions/results/_promotion_rows.html")


@login_required
@require_POST
def promotion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    promotion = get_object_or_404(Promotion.objects.select_related("entry__round__event", "entry__person").filter(
        entry__round__in=Round.objects.for_user(request.user, "change")), pk=pk)
    approve = request.POST.get("approve") == "1"
    try:
        results.decide_promotion(actor=request.user, promotion=promotion, approve=approve)
    except PermissionDeniedError as e:
        raise PermissionDenied(e.message) from None
    except DomainError as e:
        messages.error(request, e.message)
    else:
        text = (_("The promotion of %(name)s to %(grade)s is approved and recorded in the grade history.") if approve
                else _("The promotion of %(name)s to %(grade)s is rejected."))
        messages.success(request, text % {"name": promotion.entry.person.name,
                                          "grade": _grade(promotion.proposed_grade)})
    back = reverse("promotion_list", args=[promotion.entry.round.event.competition_id])
    state = request.POST.get("state", "")
    return redirect(f"{back}?state={state}" if state in PromotionState.values else back)


# ---------------------------------------------------------------------------------------------
# Certificates (获奖证书) and their public verification


CERT_RELATED = ("entry__person", "entry__unit", "entry__round__event__competition__organiser", "entry__round__stage",
                "entry__round__organiser")


def _certificate_context(request: HttpRequest, cert: Certificate) -> dict[str, Any]:
    entry = cert.entry
    url = request.build_absolute_uri(reverse("certificate_verify", args=[cert.token]))
    competition = entry.round.event.competition
    return {"cert": cert, "entry": entry, "event": entry.round.event, "stage": entry.round.stage,
            "competition": competition, "organiser": competition.organiser, "verify_url": url,
            "qr": qr_data_uri(url, scale=3), "issued_on": timezone.localtime(cert.issued_at).date()}


@login_required
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate as an A4 landscape PDF with the QR code of its verification page."""
    cert = get_object_or_404(Certificate.objects.select_related(*CERT_RELATED).filter(
        entry__in=Entry.objects.for_user(request.user, "view")), pk=pk)
    data = render_pdf("competitions/results/certificate_pdf.html", {"certificates": [_certificate_context(
        request, cert)]}, request=request)
    return pdf_response(data, f"{cert.number}-{cert.entry.person.name}.pdf")


@login_required
def round_certificates_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Every certificate of a round in one PDF (one per page), in parts of CERTIFICATES_PER_PDF."""
    rnd = _organiser_round(request, pk)
    try:
        part = max(1, int(request.GET.get("part", "1")))
    except ValueError:
        part = 1
    start = (part - 1) * CERTIFICATES_PER_PDF
    certs = list(Certificate.objects.filter(entry__round=rnd, revoked_at__isnull=True).select_related(*CERT_RELATED)
                 .order_by("entry__place", "number")[start:start + CERTIFICATES_PER_PDF])
    if not certs:
        raise Http404(_("This round has no certificates."))
    data = render_pdf("competitions/results/certificate_pdf.html", {
        "certificates": [_certificate_context(request, c) for c in certs]}, request=request)
    return pdf_response(data, f"{rnd.event.name}-{rnd.stage.name}-{_('certificates')}-{part}.pdf", inline=False)


@login_required
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    cert = get_object_or_404(Certificate.objects.select_related(*CERT_RELATED).filter(
        entry__round__in=Round.objects.for_user(request.user, "change")), pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            results.revoke_certificate(actor=request.user, certificate=cert, reason=form.cleaned_data["reason"])
        except PermissionDeniedError as e:
            raise PermissionDenied(e.message) from None
        except DomainError as e:
            apply_domain_error(form, e)
        else:
            messages.success(request, _("Certificate %(no)s is revoked.") % {"no": cert.number})
            return redirect("round_results", pk=cert.entry.round_id)
    return render(request, "competitions/results/certificate_revoke.html", {"cert": cert, "form": form},
                  status=400 if form.errors else 200)


def certificate_verify(request: HttpRequest, token: str) -> HttpResponse:
    """The public page the QR code opens: valid (with the certificate's particulars), revoked, or unknown."""
    cert = Certificate.objects.select_related(*CERT_RELATED).filter(token=token).first() if len(token) <= 32 else None
    context: dict[str, Any] = {"cert": cert}
    if cert is not None:
        context.update(_certificate_context(request, cert))
    return render(request, "competitions/results/certificate_verify.html", context,
                  status=200 if cert is not None else 404)


# ---------------------------------------------------------------------------------------------
# Analysis


@login_required
def round_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    """分析查找参赛选手存在的突出问题: per aspect, the entrants' marks as % of max (a chart per section) and
    the aspects ranked by their mean, lowest first."""
    rnd, organiser = _results_round(request, pk)
    stats = results.aspect_analysis(rnd)
    for s in stats:
        s.max_shown = _score(s.max_mark)  # type: ignore[attr-defined]
    weakest = sorted((s for s in stats if s.mean_percent is not None), key=lambda s: (s.mean_percent, s.code))
    if pages.wants_export(request):
        return pages.export(f"{rnd.event.name}-{_('Analysis')}", [
            _("Rank"), _("Aspect"), _("Description"), _("Section"), _("Maximum mark"), _("Entrants marked"),
            _("Mean score rate")], ([i, s.code, s.description, s.section, _score(s.max_mark), s.marked,
                                   s.mean_percent] for i, s in enumerate(weakest, start=1)))
    sections: dict[str, list[Any]] = defaultdict(list)
    for s in stats:
        sections[s.section].append(s)
    bins = [f"{int(b.lower)}–{int(b.upper)}%" for b in stats[0].histogram] if stats and stats[0].histogram else []
    data = {
        "bins": bins,
        "labels": {"entrants": _("Entrants"), "bin": _("Score rate band"), "mean": _("Mean score rate")},
        "sections": [{"title": title, "aspects": [{
            "code": s.code, "label": f"{s.code} {s.description}", "counts": [b.count for b in s.histogram],
            "mean": float(s.mean_percent) if s.mean_percent is not None else None} for s in aspects]}
            for title, aspects in sections.items()],
    }
    return render(request, "competitions/results/round_analysis.html", {
        "rnd": rnd, "event": rnd.event, "organiser": organiser, "data": data, "weakest": weakest,
        "sections": [(i, title) for i, title in enumerate(sections)],
        "entrants": max((s.marked for s in stats), default=0),
    })


def _participation_base(request: HttpRequest, competition: Competition) -> Org:
    """The org whose children are counted: ?org= (inside the competition's area and the user's reach), else the
    organiser (when the user covers it) or the user's own scope inside the competition's area."""
    organiser = competition.organiser
    covers = organiser.in_scope(request.user, "view")
    wanted = request.GET.get("org", "")
    if wanted.isdigit():
        org = Org.objects.filter(pk=int(wanted), path__startswith=organiser.path).first()
        if org is None or not (covers or org.in_scope(request.user, "view")):
            raise Http404
        return org
    if covers:
        return organiser
    paths = [p for p in (scope_paths(request.user, "view") or []) if p.startswith(organiser.path)]
    if not paths:
        raise PermissionDenied(_("The participation figures are for the organisers and the unions inside the "
                                 "competition's area."))
    return Org.objects.get(path=paths[0])


@login_required
def competition_participation(request: HttpRequest, pk: int) -> HttpResponse:
    """Entries of a competition by org, rolled up the tree one level at a time (cities → counties → ...)."""
    competition = get_object_or_404(Competition.objects.for_user(request.user, "view").select_related("organiser"),
                                    pk=pk)
    base = _participation_base(request, competition)
    stages = list(competition.stages.order_by("order"))
    stage = next((s for s in stages if str(s.pk) == request.GET.get("stage")), None)
    rows = results.participation(competition, base, stage)
    if pages.wants_export(request):
        return pages.export(f"{competition.name}-{_('Participation')}", [
            _("Organisation"), pgettext("participation", "Entries"), _("Checked in"), _("Prize winners")],
            ([r.org.name, r.entries, r.checked_in, r.winners] for r in rows))
    covers = competition.organiser.in_scope(request.user, "view")
    trail = [o for o in base.ancestors_and_self() if o.path.startswith(competition.organiser.path)
             and (covers or o.in_scope(request.user, "view"))]
    totals = Counter()
    for r in rows:
        totals.update({"entries": r.entries, "checked_in": r.checked_in, "winners": r.winners})
    top = rows[:20]
    data = {"labels": {"entries": pgettext("participation", "Entries"), "checked_in": _("Checked in"),
                       "winners": _("Prize winners")},
            "orgs": [r.org.display_name for r in top], "entries": [r.entries for r in top],
            "checked_in": [r.checked_in for r in top], "winners": [r.winners for r in top]}
    return render(request, "competitions/results/competition_participation.html", {
        "competition": competition, "base": base, "trail": trail, "rows": rows, "totals": totals,
        "stages": stages, "stage": stage, "data": data,
    })


urlpatterns = [
    path("competitions/rounds/<int:pk>/results/", round_results, name="round_results"),
    path("competitions/rounds/<int:pk>/results/theory/", round_theory, name="round_theory"),
    path("competitions/rounds/<int:pk>/results/publish/", round_publish, name="round_publish"),
    path("competitions/rounds/<int:pk>/results/finalise/", round_finalise, name="round_finalise"),
    path("competitions/rounds/<int:pk>/certificates.pdf", round_certificates_pdf, name="round_certificates_pdf"),
    path("competitions/rounds/<int:pk>/appeals/", appeal_list, name="appeal_list"),
    path("competitions/rounds/<int:pk>/analysis/", round_analysis, name="round_analysis"),
    path("competitions/appeals/<int:pk>/", appeal_decide, name="appeal_decide"),
    path("competitions/entries/<int:pk>/appeal/", appeal_file, name="appeal_file"),
    path("competitions/<int:pk>/promotions/", promotion_list, name="promotion_list"),
    path("competitions/<int:pk>/participation/", competition_participation, name="competition_participation"),
    path("competitions/promotions/<int:pk>/decide/", promotion_decide, name="promotion_decide"),
    path("competitions/certificates/<int:pk>.pdf", certificate_pdf, name="certificate_pdf"),
    path("competitions/certificates/<int:pk>/revoke/", certificate_revoke, name="certificate_revoke"),
    path("public/certificates/<str:token>/", certificate_verify, name="certificate_verify"),
    path("public/results/", public_notices, name="public_notices"),
    path("public/results/<int:pk>/", public_notice, name="public_notice"),
]
