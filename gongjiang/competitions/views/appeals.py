"""Appeals (申诉) against a published result and their arbitration (仲裁): the contestant or their unit files
one while the public notice runs (a phone-sized page); the round's organiser lists them, waiting ones first,
and decides each — when upheld, with the entry's new marks, after which ranks, prizes and advancement are
recomputed (services.results.decide_appeal)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from gongjiang.core import pages
from gongjiang.core.models import AuditEvent

from .. import publicity, services
from ..choices import AppealState, RoundState
from ..forms.results import AppealDecisionForm, AppealForm, amendments_from, appeal_grid
from ..models import Appeal, Entry, Mark, Round, Scheme, Sheet, hundredths
from .common import PUBLISHED, results_round_for_change


@login_required
def appeal_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A contestant (or their unit) objects to their result while the notice runs (phone-sized page)."""
    entry = get_object_or_404(Entry.objects.for_user(request.user, "view").select_related(
        "round__event__competition__organiser", "round__stage", "round__organiser", "round__notice", "person",
        "unit"), pk=pk)
    if not (entry.person_id == getattr(request.user, "person_id", None) or entry.unit.in_scope(request.user,
                                                                                                "change")):
        raise PermissionDenied(_("Only the contestant or their unit may appeal."))
    rnd = entry.round
    form = AppealForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if pages.handle(form, lambda: services.file_appeal(actor=request.user, entry=entry,
                                                               reason=form.cleaned_data["reason"])) is not None:
                messages.success(request, _("Your appeal has been filed; the organiser will decide on it and the "
                                            "decision will appear here."))
                return redirect("competitions:appeal_file", pk=entry.pk)
        status = 400
    return render(request, "competitions/results/appeal_file.html", {
        "entry": entry, "rnd": rnd, "form": form, "appeals": list(entry.appeals.order_by("-filed_at")),
        "total_shown": hundredths(entry.total), "published": rnd.state in PUBLISHED,
        "window_open": publicity.notice_running(rnd),
    }, status=status)


APPEAL_RELATED = ("entry__person", "entry__unit", "filed_by", "decided_by")
# The columns the appeals sort by (?sort=filed, ?sort=-place): the state in its own order (filed, upheld, dismissed),
# the place the contestant holds. The default: the waiting ones first, then the latest decided.
SORTING = pages.Sorting(
    {"contestant": "entry__person__name", "filed": "filed_at", "state": "state_rank", "place": "entry__place"},
    default=("waiting", "-decided_at", "-filed_at", "-pk"), first_descending=("filed",),
    annotations={"state_rank": pages.rank_of("state", AppealState.values),
                 "waiting": Case(When(decided_at__isnull=True, then=Value(0)), default=Value(1),
                                 output_field=IntegerField())})


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
    rnd = results_round_for_change(request, pk)
    state = request.GET.get("state", "")
    qs = Appeal.objects.filter(entry__round=rnd).select_related(*APPEAL_RELATED)
    if state in AppealState.values:
        qs = qs.filter(state=state)
    sort = SORTING(request)
    page = pages.paginate(request, sort.apply(qs))
    rows = list(page.object_list)
    standings = _standings(rows)
    for a in rows:
        a.place_before, a.place_after = standings.get(a.pk, (None, None))
        a.place_changed = a.pk in standings and a.place_before != a.place_after
    return pages.render_page(request, "competitions/results/appeal_list.html", {
        "rnd": rnd, "event": rnd.event, "page": page, "rows": rows, "state": state, "sort": sort,
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
            decided = pages.handle(form, lambda: services.decide_appeal(
                actor=request.user, appeal=appeal, upheld=d["outcome"] == "upheld", decision=d["decision"],
                amendments=amendments_from(request.POST, grid), reason=d["reason"]))
            if decided is not None:
                before, after = decided.before, decided.after
                messages.success(request, _("The appeal is decided (%(state)s). Place: %(before)s → %(after)s; "
                                            "total: %(t1)s → %(t2)s.") % {
                    "state": decided.get_state_display(), "before": before["place"] or "—",
                    "after": after["place"] or "—", "t1": hundredths(before["total"]) or "—",
                    "t2": hundredths(after["total"]) or "—"})
                return redirect("competitions:appeal_list", pk=rnd.pk)
        status = 400
    return render(request, "competitions/results/appeal_decide.html", {
        "appeal": appeal, "entry": entry, "rnd": rnd, "form": form, "grid": grid, "sheets": sheets,
        "total_shown": hundredths(entry.total), "practical_shown": hundredths(entry.practical),
        "theory_shown": hundredths(entry.theory), "standing": _standings([appeal]).get(appeal.pk),
    }, status=status)


urlpatterns: list[URLPattern] = [
    path("competitions/rounds/<id:pk>/appeals/", appeal_list, name="appeal_list"),
    path("competitions/appeals/<id:pk>/", appeal_decide, name="appeal_decide"),
    path("competitions/entries/<id:pk>/appeal/", appeal_file, name="appeal_file"),
]
