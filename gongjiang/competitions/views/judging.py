"""Judging pages, phone-first: a judge's rounds and mark sheets (by 加密号 only — never a name, a unit or a
contestant number), marks saved one aspect at a time over HTMX and shown back, sign-off; the chief judge's
board (states, judges' totals, disagreements, lock, return, calibration), the re-check (复核) and decryption
with the supervisor.

Who sees what: a judge opens only their own sheets (`Sheet.objects.for_judge`: anything else is a 404, so
nobody learns which sheets exist); the round's chief judge and supervisor see every sheet of the round,
read-only; the board, the re-check and decryption belong to the chief judge (the supervisor reads the board
and the re-check). The services check every right again."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent

from .. import queries, services
from ..choices import AspectKind, JudgeRole, RoundState, SheetState
from ..forms.judging import (
    AspectRow,
    DecryptForm,
    ReasonForm,
    SheetView,
    WitnessForm,
    initial_inputs,
    mark_input,
    points,
)
from ..models import Aspect, Draw, Entry, Judge, Mark, Round, RoundJudge, Sheet
from ..rules import marking

# The short states a judge reads on a phone (评分中 / 已签字 / 已锁定).
SHEET_STATES = {
    SheetState.OPEN: pgettext_lazy("sheet state", "Being marked"),
    SheetState.SIGNED: pgettext_lazy("sheet state", "Signed"),
    SheetState.LOCKED: pgettext_lazy("sheet state", "Locked"),
}
SHEET_BADGES = {SheetState.OPEN: "badge-warn", SheetState.SIGNED: "badge-ok", SheetState.LOCKED: "badge"}
# The board's figures say what they count: "18 / 36 — sheets signed, awaiting the lock".
BOARD_STATS = {
    SheetState.OPEN: pgettext_lazy("board", "Sheets still being marked"),
    SheetState.SIGNED: pgettext_lazy("board", "Sheets signed, awaiting the lock"),
    SheetState.LOCKED: pgettext_lazy("board", "Sheets locked"),
}
AMENDABLE = (RoundState.LOCKED, RoundState.DECRYPTED, RoundState.PUBLICITY)
BOARD_FILTERS = {
    "": pgettext_lazy("entries", "All"),
    "open": pgettext_lazy("entries", "Being marked"),
    "signed": pgettext_lazy("entries", "Ready to lock"),
    "locked": pgettext_lazy("entries", "Locked"),
}


def _next_url(request: HttpRequest, default: str) -> str:
    url = request.POST.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value:+.1f}"


# ---------------------------------------------------------------------------------------------
# A judge's home: my rounds and my sheets by 加密号


@login_required
def judge_home(request: HttpRequest) -> HttpResponse:
    """My rounds (event, stage, venue, state) and in each my sheets by 加密号 with their progress; for a chief
    judge or supervisor, the round's sheets by state and the way to the board; my marks against the panel's.
    A fixed number of queries, whatever the number of entries."""
    judge = Judge.objects.filter(user=request.user).first()
    if judge is None:
        raise PermissionDenied(_("Your account is not in a judge pool: the judging pages are for judges."))
    assignments = list(RoundJudge.objects.filter(judge=judge).select_related(
        "round__event__competition", "round__stage", "round__organiser").order_by("-round__starts_on", "-round_id"))
    rounds = [a.round for a in assignments]
    sheets = (Sheet.objects.filter(judge__judge=judge)
              .annotate(code=F("entry__code"), marked=Count("marks", filter=Q(marks__value__isnull=False)))
              .order_by("entry__code").values("pk", "round_id", "code", "state", "marked"))
    by_round: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for s in sheets:
        s["state_label"], s["badge"] = SHEET_STATES[s["state"]], SHEET_BADGES[s["state"]]
        by_round[s["round_id"]].append(s)
    aspect_counts = dict(Aspect.objects.filter(scheme__event__in={r.event_id for r in rounds}).values(
        "scheme__event").annotate(n=Count("pk")).values_list("scheme__event", "n")) if rounds else {}
    leading = [a.round_id for a in assignments if a.role != JudgeRole.JUDGE]
    progress: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SheetState.values, 0))
    if leading:
        for round_id, state, n in Sheet.objects.filter(round_id__in=leading).values_list(
                "round_id", "state").annotate(n=Count("pk")).order_by():
            progress[round_id][state] = n
    judging_rounds = [a.round_id for a in assignments if a.role == JudgeRole.JUDGE]
    distribution = queries.judge_distribution(judge, judging_rounds)
    charts = {}
    cards = []
    for a in assignments:
        total = aspect_counts.get(a.round.event_id, 0)
        mine = by_round.get(a.round_id, [])
        for s in mine:
            s["total"] = total
            s["percent"] = round(100 * s["marked"] / total) if total else 0
        card: dict[str, Any] = {"assignment": a, "round": a.round, "sheets": mine,
                                "open": sum(1 for s in mine if s["state"] == SheetState.OPEN),
                                "leading": a.role != JudgeRole.JUDGE, "progress": progress.get(a.round_id)}
        dist = distribution.get(a.round_id)
        if dist and sum(dist["panel"]):
            dev = dist["deviation"]
            card["deviation"] = dev
            card["deviation_signed"] = _pct(dev.mean_signed if dev else None)
            card["deviation_absolute"] = "" if not dev or dev.mean_absolute is None else f"{dev.mean_absolute:.1f}"
            charts[str(a.round_id)] = {
                "bands": [f"{i * 10}–{(i + 1) * 10}%" for i in range(queries.BINS)],
                "mine": _shares(dist["mine"]), "panel": _shares(dist["panel"]),
                "mine_label": _("My marks"), "panel_label": _("The panel's marks"),
            }
            card["chart"] = str(a.round_id)
        cards.append(card)
    return render(request, "competitions/judging/home.html", {
        "judge": judge, "cards": cards, "charts": charts})


def _shares(counts: list[int]) -> list[float]:
    """Counts per band as % of all (so a judge's few marks compare with the panel's many)."""
    total = sum(counts)
    return [round(100 * c / total, 1) if total else 0 for c in counts]


# ---------------------------------------------------------------------------------------------
# The mark sheet


def _sheet(request: HttpRequest, pk: int) -> Sheet:
    """A sheet the user may see (their own, or any of a round they lead), with what the page shows: the
    加密号 as `code`, never the entry's person."""
    return get_object_or_404(
        Sheet.objects.for_judge(request.user).select_related(
            "round__event__scheme", "round__stage", "round__organiser", "judge__judge")
        .annotate(code=F("entry__code")), pk=pk)


def _sheet_view(sheet: Sheet, aspects: list[Aspect] | None = None) -> SheetView:
    """The sheet's aspects (in the scheme's order) with its saved marks: two queries, one when the aspects are
    already known."""
    scheme = sheet.round.event.scheme
    worldskills = scheme.judgement_method == marking.WORLDSKILLS
    marks = {m.aspect_id: m for m in Mark.objects.filter(sheet=sheet)}
    rows = []
    for a in aspects if aspects is not None else scheme.aspects.all():
        ws = worldskills and a.kind == AspectKind.JUDGEMENT
        mark = marks.get(a.pk)
        rows.append(AspectRow(a, mark, ws, initial_inputs(a, mark, ws)))
    return SheetView(sheet, scheme, rows)


def _sheet_context(request: HttpRequest, sheet: Sheet, view: SheetView) -> dict[str, Any]:
    user = request.user
    own = sheet.judge.judge.user_id == user.pk
    editable = own and sheet.state == SheetState.OPEN and sheet.round.state == RoundState.MARKING
    chief = RoundJudge.objects.filter(round=sheet.round_id, judge__user=user, role=JudgeRole.CHIEF).exists()
    amendable = chief and sheet.state == SheetState.LOCKED and sheet.round.state in AMENDABLE
    siblings = list(Sheet.objects.filter(round=sheet.round_id, judge=sheet.judge_id).order_by("entry__code")
                    .values_list("pk", "entry__code", "state")) if own else []
    index = next((i for i, s in enumerate(siblings) if s[0] == sheet.pk), None)
    prev_sheet = siblings[index - 1] if index else None
    next_sheet = siblings[index + 1] if index is not None and index + 1 < len(siblings) else None
    return {"sheet": sheet, "view": view, "rnd": sheet.round, "own": own, "editable": editable,
            "unmarked": _unmarked(view),
            "amendable": amendable, "chief": chief, "state_label": SHEET_STATES[sheet.state],
            "badge": SHEET_BADGES[sheet.state], "prev_sheet": prev_sheet, "next_sheet": next_sheet,
            "position": (index + 1) if index is not None else None, "count": len(siblings)}


@login_required
def sheet_mark(request: HttpRequest, pk: int) -> HttpResponse:
    """The mark sheet of one 加密号. GET: the page. POST (one aspect, sent by HTMX as the judge changes an
    input): saved through `services.judging.save_mark`; the answer is that aspect's status (the saved mark
    with ✓, or the refusal in red — the saved mark unchanged) and the running total. Without JavaScript the
    same POST reloads the page."""
    sheet = _sheet(request, pk)
    if request.method == "POST":
        return _save(request, sheet)
    view = _sheet_view(sheet)
    return render(request, "competitions/judging/sheet.html", _sheet_context(request, sheet, view))


def _save(request: HttpRequest, sheet: Sheet) -> HttpResponse:
    view = _sheet_view(sheet)
    row = view.row(request.POST.get("aspect"))
    if row is None:
        return _refused_without_row(request, sheet, _("This aspect is not part of the event's marking scheme."))
    error = _refusal(lambda: services.save_mark(actor=request.user, sheet_id=sheet.pk, aspect_id=row.aspect.pk,
                                                data=mark_input(row.aspect, row.worldskills, request.POST)))
    view, row = _after_saving(sheet, view, row, error)
    if pages.is_htmx(request):
        return render(request, "competitions/judging/_saved.html", {"row": row, "view": view,
                                                                    "unmarked": _unmarked(view)},
                      status=422 if error else 200)
    if error:
        row.inputs = {**row.inputs, **_typed(row, request.POST)}
        return render(request, "competitions/judging/sheet.html", _sheet_context(request, sheet, view), status=400)
    return redirect(reverse("competitions:sheet_mark", args=[sheet.pk]) + f"#aspect-{row.aspect.pk}")


def _refusal(call: Any) -> str:
    """Save one mark: "" when saved, else the refusal, which the page shows beside the aspect's inputs."""
    refusal = pages.attempt(call)[1]
    return refusal.message if refusal else ""


def _after_saving(sheet: Sheet, view: SheetView, row: AspectRow, error: str) -> tuple[SheetView, AspectRow]:
    """The aspect's row after an attempt to save it: read again and marked saved, or carrying the refusal."""
    if error:
        row.error = error
        return view, row
    view = _sheet_view(sheet, [r.aspect for r in view.rows])
    saved = view.row(row.aspect.pk)
    assert saved is not None
    saved.saved_now = True
    return view, saved


def _unmarked(view: SheetView) -> int:
    """How many aspects the judge has still to mark: the sign button waits for none (the service refuses too)."""
    return len(view.rows) - view.marked


def _typed(row: AspectRow, data: Any) -> dict[str, Any]:
    """What the judge typed, shown again beside the refusal (the saved mark is shown as saved)."""
    typed = mark_input(row.aspect, row.worldskills, data)
    out = {key: typed[key] for key in ("achieved", "deviation", "mark", "score") if key in typed}
    if "faults" in typed:
        out["faults"] = [{**f, "count": data.get(f"fault_{f['code']}", "")} for f in row.inputs["faults"]]
    return out


def _refused_without_row(request: HttpRequest, sheet: Sheet, message: str) -> HttpResponse:
    if pages.is_htmx(request):
        return HttpResponse(format_html('<p class="error" role="alert">{}</p>', message), status=422)
    messages.error(request, message)
    return redirect("competitions:sheet_mark", pk=sheet.pk)


@login_required
@require_POST
def sheet_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """签字提交: refused (naming the unmarked aspects) until every aspect is marked; then read-only."""
    sheet = _sheet(request, pk)
    if not pages.act(request, lambda: services.sign_sheet(actor=request.user, sheet_id=sheet.pk),
                     _("The sheet of %(code)s is signed and submitted to the chief judge.") % {"code": sheet.code}):
        return redirect("competitions:sheet_mark", pk=sheet.pk)
    following = (Sheet.objects.filter(round=sheet.round_id, judge=sheet.judge_id, state=SheetState.OPEN)
                 .order_by("entry__code").values_list("pk", flat=True).first())
    return redirect("competitions:sheet_mark", pk=following) if following else redirect("competitions:judge_home")


@login_required
@require_POST
def sheet_return(request: HttpRequest, pk: int) -> HttpResponse:
    """退回: the chief judge sends a signed sheet back to its judge, with the reason."""
    sheet = _sheet(request, pk)
    board = reverse("competitions:chief_board", args=[sheet.round_id])
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("%(code)s: please give the reason for returning the sheet.") % {"code": sheet.code})
        return redirect(_next_url(request, board))
    pages.act(request, lambda: services.return_sheet(actor=request.user, sheet_id=sheet.pk,
                                                     reason=form.cleaned_data["reason"]),
              _("The sheet of %(code)s has been returned to %(judge)s.") % {
                  "code": sheet.code, "judge": sheet.judge.judge.name},
              refused=lambda e: messages.error(request, f"{sheet.code}：{e.message}"))
    return redirect(_next_url(request, board))


@login_required
@require_POST
def sheet_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """复核: the chief judge changes one locked mark, with the reason (`amend_mark(kind="recheck")`); the
    entry's scores (and, once decrypted, the ranking) follow."""
    sheet = _sheet(request, pk)
    view = _sheet_view(sheet)
    row = view.row(request.POST.get("aspect"))
    if row is None:
        return _refused_without_row(request, sheet, _("This aspect is not part of the event's marking scheme."))
    reason = (request.POST.get("reason") or "").strip()[:300]
    error = _refusal(lambda: services.amend_mark(actor=request.user, sheet_id=sheet.pk, aspect_id=row.aspect.pk,
                                                 reason=reason, kind="recheck",
                                                 data=mark_input(row.aspect, row.worldskills, request.POST)))
    if not pages.is_htmx(request):
        if error:
            messages.error(request, f"{row.aspect.code}：{error}")
        else:
            messages.success(request, _("%(aspect)s of %(code)s has been changed on re-check.") % {
                "aspect": row.aspect.code, "code": sheet.code})
        return redirect(reverse("competitions:sheet_mark", args=[sheet.pk]) + f"#aspect-{row.aspect.pk}")
    view, row = _after_saving(sheet, view, row, error)
    if error:
        row.inputs = {**row.inputs, **_typed(row, request.POST)}
    context = {**_sheet_context(request, sheet, view), "row": row}
    return render(request, "competitions/judging/_amend.html", context, status=422 if error else 200)


# ---------------------------------------------------------------------------------------------
# The chief judge's board


def _leading(request: HttpRequest, pk: int, *roles: str) -> RoundJudge:
    """The user's assignment to the round as one of `roles` (a judge of the round: 403; anybody else: 404)."""
    assignment = (RoundJudge.objects.filter(round_id=pk, judge__user=request.user)
                  .select_related("round__event__competition", "round__stage", "round__organiser", "judge").first())
    if assignment is None or not request.user.is_authenticated:
        raise Http404
    if assignment.role not in roles:
        raise PermissionDenied(_("Only the chief judge of this round may do this.") if roles == (JudgeRole.CHIEF,)
                               else _("Only the chief judge and the supervisor of this round see this page."))
    return assignment


@login_required
def chief_board(request: HttpRequest, pk: int) -> HttpResponse:
    """Every entry of the round by 加密号: its sheets' states and the judges' totals, disagreements flagged,
    锁定 per entry and 退回 per signed sheet (the chief judge; the supervisor reads); progress; calibration."""
    assignment = _leading(request, pk, JudgeRole.CHIEF, JudgeRole.SUPERVISOR)
    rnd = assignment.round
    is_chief = assignment.role == JudgeRole.CHIEF
    show = request.GET.get("show", "")
    if show not in BOARD_FILTERS:
        show = ""
    page = pages.paginate(request, queries.board_entries(rnd, show))
    entries = list(page.object_list)
    worldskills = queries.board_rows(rnd, entries)
    for e in entries:
        for s in e["sheets"]:
            s.update(state_label=SHEET_STATES[s["state"]], badge=SHEET_BADGES[s["state"]],
                     total_display=format(s["total"].quantize(Decimal("0.01")).normalize(), "f"))
        for f in e["flags"]:
            f["values"] = "、".join(str(v // 100) if f["rescore"] else points(v) for v in f["values"])
        e["practical_display"] = points(e["practical"])
        e["ready"] = e["lockable"] and not e["flags"]  # what 锁定所选 offers: signed and agreeing
    bulk = is_chief and rnd.state == RoundState.MARKING
    calibration = []
    for row in queries.panel_calibration(rnd):
        dev = row.pop("deviation")
        calibration.append({
            **row, "items": dev.count if dev else 0, "signed": _pct(dev.mean_signed if dev else None),
            "absolute": "" if not dev or dev.mean_absolute is None else f"{dev.mean_absolute:.1f}",
            "value": float(dev.mean_signed) if dev and dev.mean_signed is not None else None})
    chart = {"names": [c["name"] for c in calibration], "values": [c["value"] for c in calibration],
             "label": _("Mean deviation from the panel (percentage points of the maximum)")}
    progress = queries.sheet_progress(rnd)
    return pages.render_page(request, "competitions/judging/board.html", {
        "rnd": rnd, "assignment": assignment, "is_chief": is_chief, "page": page, "entries": entries, "rows": entries,
        "show": show, "filters": list(BOARD_FILTERS.items()), "progress": progress,
        "progress_rows": [(BOARD_STATS[s], progress[s], SHEET_BADGES[s]) for s in SheetState.values],
        "sheets_total": sum(progress.values()), "calibration": calibration, "chart": chart,
        "any_deviation": any(c["value"] is not None for c in calibration), "worldskills": worldskills,
        "bulk": bulk, "ready_count": sum(1 for e in entries if e["ready"]),
    }, fragment="competitions/judging/_board_rows.html")


@login_required
@require_POST
def entry_lock(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """锁定: the chief judge verifies and locks an entry's signed sheets (refused, with the reason, while a
    sheet is unsigned or the judges disagree). The entry is named by its 加密号, never by its id: an entry id is
    what the organisers' pages link names to."""
    assignment = _leading(request, pk, JudgeRole.CHIEF)
    entry = get_object_or_404(Entry.objects.only("pk", "code", "round_id").exclude(code=""), code=code,
                              round=assignment.round)
    locked = pages.act(request, lambda: services.lock_entry(actor=request.user, entry=entry),
                       _("%(code)s is locked.") % {"code": entry.code},
                       refused=lambda e: messages.error(request, _("%(code)s cannot be locked: %(reason)s") % {
                           "code": entry.code, "reason": e.message}))
    if locked and Round.objects.get(pk=pk).state == RoundState.LOCKED:
        messages.success(request, _("Every sheet of the round is locked: draw the re-check, then decrypt."))
    return redirect(_next_url(request, reverse("competitions:chief_board", args=[pk])))


BULK_REPORT_LINES = 20  # refusals named one by one after a bulk lock; the rest are counted


@login_required
@require_POST
def entries_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """锁定所选: the chief judge locks the ticked entries (by 加密号) in one action. Those that cannot be locked are
    left as they are and named with their reason; the others are locked (`services.lock_entries`)."""
    assignment = _leading(request, pk, JudgeRole.CHIEF)
    codes = request.POST.getlist("codes")
    done, refusal = pages.attempt(lambda: services.lock_entries(actor=request.user, rnd=assignment.round, codes=codes))
    if refusal is not None:
        messages.error(request, refusal.message)
    else:
        if done.locked:
            messages.success(request, ngettext(
                "%(n)d contestant's sheets are locked: %(codes)s.", "%(n)d contestants' sheets are locked: %(codes)s.",
                len(done.locked)) % {"n": len(done.locked), "codes": "、".join(done.locked)})
        if done.refused:
            messages.error(request, ngettext(
                "%(n)d contestant was not locked and is left as it was:",
                "%(n)d contestants were not locked and are left as they were:", len(done.refused)) % {
                "n": len(done.refused)})
            for code, reason in done.refused[:BULK_REPORT_LINES]:
                messages.error(request, reason if code in reason else f"{code}：{reason}")
            if len(done.refused) > BULK_REPORT_LINES:
                messages.error(request, _("… and %(n)d more.") % {"n": len(done.refused) - BULK_REPORT_LINES})
        if done.round_locked:
            messages.success(request, _("Every sheet of the round is locked: draw the re-check, then decrypt."))
    return redirect(_next_url(request, reverse("competitions:chief_board", args=[pk])))


# ---------------------------------------------------------------------------------------------
# Re-check (复核) and decryption


@login_required
def round_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    """复核: once every sheet is locked, the chief judge draws the re-check selection before witnesses (the
    top of the ranking and a sample of the rest, by 加密号); locked marks are changed on their sheets with a
    reason; every change is listed from the audit log."""
    assignment = _leading(request, pk, JudgeRole.CHIEF, JudgeRole.SUPERVISOR)
    rnd = assignment.round
    is_chief = assignment.role == JudgeRole.CHIEF
    form = WitnessForm(request.POST or None)
    if request.method == "POST":
        if not is_chief:
            raise PermissionDenied(_("Only the chief judge of this round may do this."))
        if form.is_valid():
            selection = pages.handle(form, lambda: services.draw_recheck(actor=request.user, rnd=rnd,
                                                                         witnesses=form.witnesses()))
            if selection is not None:
                top, sample = selection
                messages.success(request, _("The re-check selection is drawn: %(n)s entries.") % {
                    "n": len(top) + len(sample)})
                return redirect("competitions:round_recheck", pk=rnd.pk)
    drawn = (AuditEvent.objects.filter(verb="competitions.round.recheck_drawn", object_id=str(rnd.pk),
                                       content_type__model="round", content_type__app_label="competitions")
             .order_by("-created_at", "-id").first())
    top = list((drawn.after or {}).get("top", [])) if drawn else []
    sample = [str(c) for c in (drawn.after or {}).get("sample", [])] if drawn else []
    draw = Draw.objects.filter(round=rnd, purpose__endswith="/ recheck").first() if drawn else None
    selected: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if drawn:
        for s in (Sheet.objects.filter(round=rnd, entry__code__in=[*top, *sample]).order_by("judge_id")
                  .values("pk", "entry__code", "state", "judge__judge__name")):
            selected[s["entry__code"]].append(s)
    not_locked = Sheet.objects.filter(round=rnd).exclude(state=SheetState.LOCKED).count()
    events = queries.amendments(rnd)
    for e in events:
        e.changes = [{"aspect": code, "before": _shown(e.before.get(code)), "after": _shown(value)}
                     for code, value in (e.after or {}).items()]
    return render(request, "competitions/judging/recheck.html", {
        "rnd": rnd, "is_chief": is_chief, "form": form, "drawn": drawn, "draw": draw, "not_locked": not_locked,
        "groups": [(_("Top of the ranking"), [(c, selected.get(c, [])) for c in top]),
                   (_("Drawn sample"), [(c, selected.get(c, [])) for c in sample])],
        "can_draw": is_chief and not drawn and rnd.state == RoundState.LOCKED, "amendments": events,
        "amendable": rnd.state in AMENDABLE,
    }, status=400 if form.errors else 200)


def _shown(value: Any) -> str:
    """A mark in the audit log ({"value": hundredths, "raw": input}) as text."""
    if not value or value.get("value") is None:
        return "—"
    raw = value.get("raw") or {}
    if "score" in raw:
        return str(raw["score"])
    return points(value["value"])


@login_required
def round_decrypt(request: HttpRequest, pk: int) -> HttpResponse:
    """解密: the chief judge, with the supervisor typing their own user name and password, links the 加密号 to
    the contestants — refused until every sheet is locked (saying how many are not)."""
    assignment = _leading(request, pk, JudgeRole.CHIEF)
    rnd = assignment.round
    not_locked = Sheet.objects.filter(round=rnd).exclude(state=SheetState.LOCKED).count()
    form = DecryptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.decrypt(actor=request.user, rnd=rnd, supervisor_username=d["supervisor_username"],
                             supervisor_password=d["supervisor_password"])
        except PermissionDeniedError as e:
            if e.field != "supervisor":
                raise PermissionDenied(e.message) from None
            # Wrong name or password, not this round's supervisor, or an account locked out: the service says which.
            form.add_error(None if e.code == "credentials" else "supervisor_username", e.message)
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("The round is decrypted; the organiser's pages now show the contestants."))
            return redirect("competitions:chief_board", pk=rnd.pk)
    return render(request, "competitions/judging/decrypt.html", {
        "rnd": rnd, "form": form, "not_locked": not_locked,
    }, status=400 if form.errors else 200)


urlpatterns = [
    path("judging/", judge_home, name="judge_home"),
    path("judging/sheets/<id:pk>/", sheet_mark, name="sheet_mark"),
    path("judging/sheets/<id:pk>/sign/", sheet_sign, name="sheet_sign"),
    path("judging/sheets/<id:pk>/return/", sheet_return, name="sheet_return"),
    path("judging/sheets/<id:pk>/amend/", sheet_amend, name="sheet_amend"),
    path("judging/rounds/<id:pk>/chief/", chief_board, name="chief_board"),
    path("judging/rounds/<id:pk>/codes/<str:code>/lock/", entry_lock, name="entry_lock"),
    path("judging/rounds/<id:pk>/lock/", entries_lock, name="entries_lock"),
    path("judging/rounds/<id:pk>/recheck/", round_recheck, name="round_recheck"),
    path("judging/rounds/<id:pk>/decrypt/", round_decrypt, name="round_decrypt"),
]
