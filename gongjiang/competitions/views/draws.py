"""The round's draws tab and the draw records: the three draws of a round (参赛号 → 赛位号 → 加密号, each with
its witnesses), the printable record of any draw with the published algorithm, its JSON download, and its
re-run by anyone who can see it ("一致" or which part does not check out).

The record's input list is what the draw was made from (services.draws): entry ids for the contestant numbers,
contestant numbers for the stations, station numbers for the codes. The record page says whom each item
stands for where that does not break the anonymity (never a name next to a 加密号), while the re-run always
works on the recorded items themselves."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gongjiang.core import pages

from .. import queries, services
from ..choices import EntryStatus, RoundState
from ..forms.rounds import WitnessForm
from ..models import Draw, Entry, Round
from .common import ROUND_RELATED, get_round, header_context, round_for_change, visible_rounds

PREVIEW = 8  # results shown per record on the draws tab
DRAW_KINDS = {"numbers": queries.CONTESTANT_NO, "stations": queries.STATION, "codes": queries.CODE}


def visible_draw(request: HttpRequest, pk: int) -> Draw:
    """A draw of a visible round (or, for a competition-wide draw, of a visible competition)."""
    draw = get_object_or_404(Draw.objects.for_user(request.user).select_related("drawn_by", "competition"), pk=pk)
    if draw.round_id:
        draw.round = visible_rounds(request.user).select_related(*ROUND_RELATED).get(pk=draw.round_id)
    return draw


def pair_text(x: Any) -> str:
    """One element of a draw's result: "item→label" for numbers and codes, the item for a shuffle or sample."""
    return f"{x[0]}→{x[1]}" if isinstance(x, list) and len(x) == 2 else str(x)


def entries_by_id(user: Any, ids: list[Any]) -> dict[int, Entry]:
    """The entries a contestant-number draw was made from, as far as the user may see them (a unit cadre sees
    only their own people's names; the others stay an entry number)."""
    return Entry.objects.for_user(user, "view").filter(pk__in=ids).select_related("person", "unit").in_bulk()


def who(entry: Entry | None) -> list[str]:
    """Name, the last four characters of the (masked) ID number, unit: enough to tell namesakes apart."""
    if entry is None:
        return ["—", "", ""]
    return [entry.person.name, entry.person.id_masked[-4:], entry.unit.display_name]


def record_table(draw: Draw, user: Any) -> tuple[list[str], list[list[Any]]]:
    """The record's input list, in its order, with whom or what each item stands for and what it drew.

    Contestant numbers are drawn from entry numbers: the name, ID tail and unit beside each. Stations are drawn
    from contestant numbers and codes from stations: never a name there, so the codes stay anonymous; only the
    round's organiser also sees which contestant number each station belongs to, once the codes are unsealed.
    The re-run works on the recorded items themselves, whatever this table shows."""
    drawn = {item: label for item, label in draw.result} if not draw.sealed else {}
    if draw.key == queries.CONTESTANT_NO:
        entries = entries_by_id(user, draw.inputs)
        return ([_("Entry no."), _("Name"), _("ID number (last 4)"), _("Unit"), _("Contestant number drawn")],
                [[item, *who(entries.get(item)), drawn.get(item, "")] for item in draw.inputs])
    if draw.key == queries.STATION:
        return ([_("Contestant number"), _("Station drawn")], [[item, drawn.get(item, "")] for item in draw.inputs])
    # The code draw: station numbers in, codes out.
    headers = [_("Station")] if draw.sealed else [_("Station"), _("Anonymous code drawn")]
    rows: list[list[Any]] = [[item] if draw.sealed else [item, drawn.get(item, "")] for item in draw.inputs]
    if not draw.sealed and draw.round is not None and draw.round.can_change(user):
        numbers = dict(Entry.objects.filter(round=draw.round, station_no__in=draw.inputs)
                       .values_list("station_no", "contestant_no"))
        headers = [_("Contestant number"), *headers]
        rows = [[numbers.get(row[0], ""), *row] for row in rows]
    return headers, rows


PAIR_LEGENDS = {queries.CONTESTANT_NO: gettext_lazy("name → contestant number"),
                queries.STATION: gettext_lazy("contestant number → station"),
                queries.CODE: gettext_lazy("station → anonymous code")}
INPUT_NOTES = {
    queries.CONTESTANT_NO: gettext_lazy(
        "The draw was made from the entry numbers of the registrations taking part, in the order they were "
        "made; name, the last four characters of the ID number and unit say whom each entry number stands for."),
    queries.STATION: gettext_lazy(
        "The draw was made from the contestant numbers of those checked in, without names: nobody can steer a "
        "person to a station."),
    queries.CODE: gettext_lazy(
        "The draw was made from the station numbers only, without names: the anonymous codes cannot be linked "
        "to a person from the draw itself."),
}


def describe_draws(found: list[Draw], rnd: Round | None, user: Any, *, full: bool = False) -> list[Draw]:
    """Label each draw, say whether its record is sealed (the 加密号 draw before decryption), and put its first
    results (`preview`, the draws tab) or its whole record as a table (`full`, the record page) in words."""
    labels = {queries.CONTESTANT_NO: _("Contestant numbers"), queries.STATION: _("Stations"),
              queries.CODE: _("Anonymous codes"), queries.TEAM: _("Team members drawn from the roster"),
              queries.RECHECK: _("Re-check sample"), queries.OTHER: _("Other draw")}
    for d in found:
        d.key = queries.purpose_key(d)
        d.label = labels[d.key]
        d.sealed = queries.is_sealed(d, rnd if d.round_id else None)
        d.result_digest = queries.result_digest(d) if d.sealed else ""
        d.result_size = len(d.result)
        d.legend = PAIR_LEGENDS.get(d.key, "")
        d.input_note = INPUT_NOTES.get(d.key, "")
        d.headers, d.rows = record_table(d, user) if full and d.key in PAIR_LEGENDS else ([], [])
        d.result_texts = [pair_text(x) for x in d.result] if full and not d.sealed and not d.rows else []
        d.preview = [] if d.sealed or full else [pair_text(x) for x in d.result[:PREVIEW]]
        if d.key == queries.CONTESTANT_NO and d.preview:
            entries = entries_by_id(user, [item for item, _label in d.result[:PREVIEW]])
            d.preview = [f"{who(entries.get(item))[0]}→{label}" for item, label in d.result[:PREVIEW]]
    return found


def draws_context(request: HttpRequest, rnd: Round, bound: dict[str, WitnessForm] | None = None) -> dict[str, Any]:
    records = describe_draws(list(Draw.objects.filter(round=rnd).select_related("drawn_by").order_by("drawn_at",
                                                                                                         "pk")),
                             rnd, request.user)
    done = {d.key: d for d in records}
    counts = dict(Entry.objects.filter(round=rnd).order_by().values_list("status").annotate(n=Count("pk")))
    forms = {kind: (bound or {}).get(kind) or WitnessForm(prefix=kind) for kind in DRAW_KINDS}
    checkin = rnd.state == RoundState.CHECKIN
    steps_ = [
        {"kind": "numbers", "title": _("1. Contestant numbers"), "draw": done.get(queries.CONTESTANT_NO),
         "open": rnd.state == RoundState.REGISTRATION,
         "help": _("Draws a contestant number for every registered entry and closes registration: those awaiting "
                   "approval must be decided first, those still waiting for a place are refused.")},
        {"kind": "stations", "title": _("2. Stations (first encryption)"), "draw": done.get(queries.STATION),
         "open": checkin and not done.get(queries.STATION),
         "help": _("After check-in: draws a station for every checked-in contestant from the contestant numbers "
                   "(no names); whoever has not checked in is marked absent.")},
        {"kind": "codes", "title": _("3. Anonymous codes (second encryption)"), "draw": done.get(queries.CODE),
         "open": checkin and bool(done.get(queries.STATION)),
         "help": _("Draws a code for every station (from the station numbers only). Judges know the entries by "
                   "these codes alone; the record stays sealed until decryption.")},
    ]
    for s in steps_:
        s["form"] = forms[s["kind"]]
    return {**header_context(request, rnd, "draws"), "records": records, "draw_steps": steps_,
            "registered": counts.get(EntryStatus.REGISTERED, 0), "checked_in": counts.get(EntryStatus.CHECKED_IN, 0),
            "pending": counts.get(EntryStatus.PENDING, 0)}


@login_required
def round_draws(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_round(request, pk)
    return render(request, "competitions/rounds/draws.html", draws_context(request, rnd))


@login_required
@require_POST
def round_draw(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Make one of the round's draws with its witnesses; a refusal (too few witnesses, a second draw, the wrong
    state) is shown on the form and nothing is drawn."""
    if kind not in DRAW_KINDS:
        raise Http404
    rnd = round_for_change(request, pk)
    form = WitnessForm(request.POST, prefix=kind)
    service = {"numbers": services.draw_contestant_numbers, "stations": services.draw_stations,
               "codes": services.draw_codes}[kind]
    if form.is_valid():
        draw = pages.handle(form, lambda: service(actor=request.user, rnd=rnd, witnesses=form.witnesses()))
        if draw is not None:
            messages.success(request, _("The draw has been made and recorded (%(n)s drawn).") % {
                "n": len(draw.result)})
            if request.POST.get("next") == "checkin":
                return redirect("competitions:round_checkin", pk=rnd.pk)
            return redirect("competitions:round_draws", pk=rnd.pk)
    rnd.refresh_from_db(fields=["state"])
    return render(request, "competitions/rounds/draws.html", draws_context(request, rnd, {kind: form}), status=400)


@login_required
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A printable draw record with the algorithm, so a witness can re-run it independently; `?format=json`
    downloads the record itself (not for a sealed draw)."""
    draw = visible_draw(request, pk)
    if request.GET.get("format") == "json":
        if queries.is_sealed(draw, draw.round):
            raise PermissionDenied(_("This record is sealed until the round is decrypted."))
        record = {**draw.as_record(), "seed_parts": draw.seed_parts, "witnesses": draw.witnesses,
                  "drawn_at": draw.drawn_at.isoformat()}
        response = HttpResponse(json.dumps(record, ensure_ascii=False, indent=1),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}.json"'
        return response
    return record_page(request, draw, None)


@login_required
def draw_rerun(request: HttpRequest, pk: int) -> HttpResponse:
    """Re-run a recorded draw (anyone who can see it): 一致 or 不一致, and which part does not check out."""
    draw = visible_draw(request, pk)
    report = queries.rerun_report(draw)
    if pages.is_htmx(request):
        return render(request, "competitions/rounds/_rerun_result.html", {"report": report, "draw": draw})
    return record_page(request, draw, report)


# The kinds of draw and their parameters in words (the algorithm's steps on the page name them the same way).
ALGORITHM_KINDS = {"shuffle": gettext_lazy("shuffle"), "sample": gettext_lazy("sample of k items"),
                   "numbers": gettext_lazy("numbers"), "codes": gettext_lazy("anonymous codes")}
ALGORITHM_PARAMS = {"k": gettext_lazy("items drawn, k"), "start": gettext_lazy("first number"),
                    "width": gettext_lazy("width in digits"), "length": gettext_lazy("digits of a code, L")}


def record_page(request: HttpRequest, draw: Draw, report: queries.RerunReport | None) -> HttpResponse:
    [draw] = describe_draws([draw], draw.round, request.user, full=True)
    params = [(ALGORITHM_PARAMS.get(k, k), v) for k, v in sorted((draw.params or {}).items())]
    return render(request, "competitions/rounds/draw_detail.html", {
        "draw": draw, "rnd": draw.round, "report": report, "params": params,
        "kind_label": ALGORITHM_KINDS.get(draw.kind, draw.kind)})


urlpatterns: list[URLPattern] = [
    path("competitions/rounds/<id:pk>/draws/", round_draws, name="round_draws"),
    path("competitions/rounds/<id:pk>/draws/<str:kind>/", round_draw, name="round_draw"),
    path("competitions/draws/<id:pk>/", draw_detail, name="draw_detail"),
    path("competitions/draws/<id:pk>/rerun/", draw_rerun, name="draw_rerun"),
]
