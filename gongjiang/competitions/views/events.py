"""The organiser's event pages: adding and editing an event (trade found by name or code, eligibility,
tie-breaks, prizes, re-check) and its marking scheme (the tree of sections → criteria → aspects, the marking
settings, .xlsx import and export, the import template).

Who may do what, and how refusals show, as on the competition page (`views.competitions`); a scheme is
read-only once marking has begun (`queries.scheme_locked`)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core.pages import xlsx_response
from gongjiang.orgs.models import Occupation

from .. import queries, services
from ..forms.setup import EventForm, SchemeImportForm, SchemeSettingsForm
from ..imports import (
    export_scheme,
    format_bands,
    format_deductions,
    format_number,
    scheme_template,
    start_scheme_import,
)
from ..models import Competition, Event, Scheme
from ..rules import marking
from .common import competition_for_change, event_for_change, get_event, handle

TRADE_RESULTS = 20



def find_trades(q: str) -> list[Occupation]:
    """Trades (level-4 occupations) by name or code: exact names first, then the shortest names."""
    q = (q or "").strip()
    if not q:
        return []
    found = list(Occupation.objects.filter(level=4).filter(Q(name__contains=q) | Q(code__startswith=q))
                 .order_by("code")[:100])
    found.sort(key=lambda o: (o.name != q and o.code != q, not o.name.startswith(q), len(o.name), o.code))
    return found[:TRADE_RESULTS]


@login_required
def trade_search(request: HttpRequest) -> HttpResponse:
    """The event form's HTMX trade search: type 车工, get the matching trades to choose from."""
    q = request.GET.get("trade_q") or request.GET.get("q") or ""
    return render(request, "competitions/setup/_trade_choices.html", {
        "q": q, "trades": find_trades(q), "selected": None, "limit": TRADE_RESULTS})


def _event_form_page(request: HttpRequest, form: EventForm, competition: Competition, event: Event | None,
                     status: int) -> HttpResponse:
    q = request.POST.get("trade_q", "") if request.method == "POST" else ""
    trades = find_trades(q)
    selected = None
    if form.is_bound:
        value = form.data.get("trade")
        selected = int(value) if value and str(value).isdigit() else None
    else:
        selected = form.initial.get("trade")
    current = None
    if selected and all(t.pk != selected for t in trades):
        current = Occupation.objects.filter(pk=selected).first()
        if current:
            trades = [current, *trades]
    return render(request, "competitions/setup/event_form.html", {
        "form": form, "competition": competition, "event": event, "q": q, "trades": trades, "selected": selected,
        "limit": TRADE_RESULTS,
        "title": _("Edit the event %(name)s") % {"name": event.name} if event else _("New event"),
    }, status=status)


def _save_event(request: HttpRequest, form: EventForm, competition: Competition, event: Event | None) -> Any:
    if request.POST.get("search_trade") is not None or not form.is_valid():
        return None
    data = form.service_data()
    if event is None:
        return handle(form, lambda: services.add_event(actor=request.user, competition=competition,
                                                                  **data))
    return handle(form, lambda: services.update_event(actor=request.user, event=event, **data))


def _event_status(request: HttpRequest) -> int:
    if request.method != "POST" or request.POST.get("search_trade") is not None:
        return 200
    return 400


@login_required
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    competition = competition_for_change(request, pk)
    form = EventForm(request.POST or None)
    if request.method == "POST":
        event = _save_event(request, form, competition, None)
        if event is not None:
            messages.success(request, _("The event %(name)s has been added. Set up its marking scheme next.") % {
                "name": event.name})
            return redirect("competitions:scheme_detail", pk=event.pk)
    return _event_form_page(request, form, competition, None, _event_status(request))


@login_required
def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_change(request, pk)
    form = EventForm(request.POST or None, event=event)
    if request.method == "POST":
        done = _save_event(request, form, event.competition, event)
        if done is not None:
            messages.success(request, _("The changes have been saved."))
            return redirect("competitions:competition_detail", pk=event.competition_id)
    return _event_form_page(request, form, event.competition, event, _event_status(request))


# ---------------------------------------------------------------------------------------------
# Marking scheme


def scheme_tree(aspects: Iterable[Any]) -> list[dict[str, Any]]:
    """Sections → criteria → aspects with their maximum marks and subtotals, in the scheme's order."""
    sections: dict[str, dict[str, Any]] = {}
    for a in aspects:
        section = sections.setdefault(a.section_code, {"code": a.section_code, "name": a.section_name,
                                                       "max": Decimal(0), "criteria": {}})
        criterion = section["criteria"].setdefault(a.criterion_code, {
            "code": a.criterion_code, "name": a.criterion_name, "max": Decimal(0), "aspects": []})
        max_mark = marking.from_hundredths(a.max_mark)
        criterion["aspects"].append({
            "code": a.code, "description": a.description, "kind": a.get_kind_display(), "kind_code": a.kind,
            "max": format_number(max_mark), "step": format_number(marking.from_hundredths(a.step)),
            "bands": format_bands(a.bands), "deductions": format_deductions(a.deductions)})
        criterion["max"] += max_mark
        section["max"] += max_mark
    out = []
    for s in sections.values():
        s["criteria"] = list(s["criteria"].values())
        for c in s["criteria"]:
            c["max"] = format_number(c["max"])
        s["max"] = format_number(s["max"])
        out.append(s)
    return out


def _settings_initial(scheme: Scheme | None) -> dict[str, Any]:
    if scheme is None:
        return {}
    return {"expected_total": format_number(marking.from_hundredths(scheme.expected_total)),
            "judgement_method": scheme.judgement_method, "trim": scheme.trim,
            "rounding_mode": scheme.rounding_mode, "rounding_places": scheme.rounding_places,
            "rounding_level": scheme.rounding_level, "judges_per_entry": scheme.judges_per_entry}


def _scheme_page(request: HttpRequest, event: Event, *, settings_form: SchemeSettingsForm | None = None,
                 import_form: SchemeImportForm | None = None, job: Any = None, status: int = 200) -> HttpResponse:
    scheme = Scheme.objects.filter(event=event).first()
    aspects = list(scheme.aspects.all()) if scheme else []
    tree = scheme_tree(aspects)
    total = sum((marking.from_hundredths(a.max_mark) for a in aspects), Decimal(0))
    can_change = event.competition.can_change(request.user)
    locked = queries.scheme_locked(event) if can_change else True
    return render(request, "competitions/setup/scheme_detail.html", {
        "event": event, "competition": event.competition, "scheme": scheme, "tree": tree,
        "total": format_number(total), "aspect_count": len(aspects),
        "expected_total": format_number(marking.from_hundredths(scheme.expected_total)) if scheme else "100",
        "method_label": marking.METHOD_LABELS.get(scheme.judgement_method, "") if scheme else "",
        "rounding_mode_label": marking.ROUNDING_MODE_LABELS.get(scheme.rounding_mode, "") if scheme else "",
        "rounding_level_label": marking.ROUNDING_LEVEL_LABELS.get(scheme.rounding_level, "") if scheme else "",
        "can_change": can_change, "locked": locked, "editable": can_change and not locked,
        "settings_form": settings_form or SchemeSettingsForm(initial=_settings_initial(scheme)),
        "import_form": import_form or SchemeImportForm(), "job": job,
        "job_errors": (job.errors or [])[:200] if job is not None else [],
    }, status=status)


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _scheme_page(request, get_event(request, pk))


@login_required
@require_POST
def scheme_settings(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for_change(request, pk)
    form = SchemeSettingsForm(request.POST)
    if form.is_valid():
        done = handle(form, lambda: services.update_scheme_settings(
            actor=request.user, event=event, **form.service_data()))
        if done is not None:
            messages.success(request, _("The marking settings have been saved."))
            return redirect("competitions:scheme_detail", pk=event.pk)
    return _scheme_page(request, event, settings_form=form, status=400)


@login_required
@require_POST
def scheme_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the scheme from an .xlsx: done → back to the page; row errors → shown here, with the marked report."""
    event = event_for_change(request, pk)
    form = SchemeImportForm(request.POST, request.FILES)
    job = None
    if form.is_valid():
        job = handle(form, lambda: start_scheme_import(actor=request.user, event=event,
                                                                 upload=form.cleaned_data["file"]))
        if job is not None and job.state == job.State.DONE:
            messages.success(request, _("The marking scheme has been imported: %(n)s aspects.") % {
                "n": job.summary.get("aspects", 0)})
            return redirect("competitions:scheme_detail", pk=event.pk)
    return _scheme_page(request, event, import_form=form, job=job, status=400)


@login_required
def scheme_export(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_event(request, pk)
    scheme = Scheme.objects.filter(event=event).first()
    aspects = list(scheme.aspects.all()) if scheme else []
    name = _("Marking scheme")
    return xlsx_response(export_scheme(aspects, name), f"{name}-{event.name}.xlsx")


@login_required
def scheme_template_download(request: HttpRequest) -> HttpResponse:
    return xlsx_response(scheme_template(), _("Marking scheme import template") + ".xlsx")


urlpatterns: list[URLPattern] = [
    path("competitions/<id:pk>/events/new/", event_create, name="event_create"),
    path("competitions/events/<id:pk>/edit/", event_edit, name="event_edit"),
    path("competitions/trades/", trade_search, name="trade_search"),
    path("competitions/events/<id:pk>/scheme/", scheme_detail, name="scheme_detail"),
    path("competitions/events/<id:pk>/scheme/settings/", scheme_settings, name="scheme_settings"),
    path("competitions/events/<id:pk>/scheme/import/", scheme_import, name="scheme_import"),
    path("competitions/events/<id:pk>/scheme/export.xlsx", scheme_export, name="scheme_export"),
    path("competitions/scheme-template.xlsx", scheme_template_download, name="scheme_template"),
]
