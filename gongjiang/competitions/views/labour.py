"""Labour competitions (劳动竞赛/立功竞赛): the list, the competition page (indicators, units, periods, the
year table with scores and places, the trend chart, the merits, the fund split with its calculation), the
organiser's set-up pages, the period page (the calculation, then closing it) and the evaluators' grid
(phone-sized, every cell saved as it is typed, over HTMX).

Who sees what: a labour competition is visible to the cadres of its organiser's subtree and above it, to
workers below it, and to its appointed evaluators (who may hold no role at all); anybody else gets a 404.
The organiser's cadres with change rights set it up and close periods; only appointed evaluators enter
evaluations. The services check the same rights again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gongjiang.core import pages
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User
from gongjiang.orgs.scoping import grant_orgs

from .. import queries, services
from ..choices import CompetitionKind, CompetitionState, PeriodState
from ..forms.labour import (
    CompetitionForm,
    EvaluatorForm,
    FundForm,
    IndicatorFormSet,
    PeriodsForm,
    UnitForm,
    cell_key,
    parse_cell,
    parse_grid,
)
from ..models import CompetingUnit, Competition, Evaluation, Evaluator, Period, reach_q

ORGANISER_KINDS = {OrgKind.PROVINCE, OrgKind.CITY, OrgKind.INDUSTRY, OrgKind.COUNTY, OrgKind.GRASSROOTS}
MAX_UNIT_CHOICES = 20


# ---------------------------------------------------------------------------------------------
# Reading


def visible(user: Any) -> QuerySet[Competition]:
    """The labour competitions `user` may see: organised inside or above their scopes (or above a worker's
    unit), or ones they evaluate."""
    qs = Competition.objects.filter(kind=CompetitionKind.LABOUR)
    reach = reach_q(user, "organiser")
    if not reach:  # the whole tree: no filter (Q() | x would be x alone)
        return qs
    evaluating = Q(pk__in=Evaluator.objects.filter(user_id=user.pk).values("competition_id"))
    return qs.filter(reach | evaluating)


def _competition(request: HttpRequest, pk: int) -> Competition:
    return get_object_or_404(visible(request.user).select_related("organiser"), pk=pk)


def _for_change(request: HttpRequest, pk: int) -> Competition:
    """The competition for a set-up page: visible (else 404) and run by the user (else 403)."""
    competition = _competition(request, pk)
    if not competition.can_change(request.user):
        raise PermissionDenied
    return competition


def _period(competition: Competition, period_pk: int) -> Period:
    period = get_object_or_404(Period, competition=competition, pk=period_pk)
    period.competition = competition
    return period


def _method(request: HttpRequest) -> str:
    method = request.GET.get("method", "mean")
    return method if method in queries.YEAR_METHODS else "mean"


def _count(model: Any, **filters: Any) -> Coalesce:
    """A correlated count (one subquery per column, no join fan-out)."""
    sub = (model.objects.filter(competition=OuterRef("pk"), **filters).order_by().values("competition")
           .annotate(n=Count("pk")).values("n"))
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def organiser_choices(user: Any) -> QuerySet[Org]:
    """The orgs a cadre may organise a competition for: those they run with change rights and, below them,
    the cities, counties and industry unions."""
    mine = [o for o in grant_orgs(user) if o.kind in ORGANISER_KINDS and o.in_scope(user, "change")]
    if not mine:
        return Org.objects.none()
    below = Q()
    for o in mine:
        below |= Q(path__startswith=o.path, depth=o.depth + 1)
    return Org.objects.filter(Q(pk__in=[o.pk for o in mine]) | (below & Q(
        kind__in=[OrgKind.CITY, OrgKind.COUNTY, OrgKind.INDUSTRY]))).filter(is_active=True).order_by("path")


# The columns the list sorts by: the organiser in the tree's order, the state in its own (preparing → finished), the
# counts by their correlated subqueries in the same query as the rows ("periods": the closed ones, then all). The
# default: the latest year first.
SORTING = pages.Sorting(
    {"name": "name", "year": "year", "organiser": "organiser__path", "state": "state_rank", "units": "unit_count",
     "periods": ("closed_count", "period_count"), "fund": "fund_amount"},
    default="-year", first_descending=("year", "units", "periods", "fund"),
    annotations={"state_rank": pages.rank_of("state", CompetitionState.values)})


@login_required
def labour_list(request: HttpRequest) -> HttpResponse:
    sort = SORTING(request)
    qs = sort.apply(visible(request.user).select_related("organiser")
                    .annotate(unit_count=_count(CompetingUnit), period_count=_count(Period),
                              closed_count=_count(Period, state=PeriodState.CLOSED)))
    if pages.wants_export(request):
        return pages.export(_("Labour competitions"), [
            _("Name"), _("Year"), _("Organiser"), _("State"), _("Competing units"), _("Periods closed"),
            _("Competition fund (yuan)")], ([c.name, c.year, c.organiser.name, c.get_state_display(), c.unit_count,
                                           f"{c.closed_count}/{c.period_count}", c.fund_amount] for c in qs))
    page = pages.paginate(request, qs)
    rows = list(page.object_list)
    evaluating = set(Evaluator.objects.filter(user_id=request.user.pk, competition__in=[c.pk for c in rows])
                     .values_list("competition_id", flat=True))
    for c in rows:
        c.user_evaluates = c.pk in evaluating
    can_create = any(o.kind in ORGANISER_KINDS and o.in_scope(request.user, "change")
                     for o in grant_orgs(request.user))
    return pages.render_page(request, "competitions/labour/list.html", {
        "page": page, "rows": rows, "can_create": can_create, "sort": sort},
        fragment="competitions/labour/_list_rows.html")


@login_required
def labour_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The competition: indicators, units, periods, the year table, the chart, merits and the fund split."""
    competition = _competition(request, pk)
    method = _method(request)
    table = queries.year_table(competition, method)
    if pages.wants_export(request):
        return _export_fund(table) if request.GET.get("table") == "fund" else _export_year(table)
    indicators = list(competition.indicators.all())
    evaluators = list(Evaluator.objects.filter(competition=competition).select_related("user").order_by("pk"))
    user_evaluates = any(e.user_id == request.user.pk for e in evaluators)
    closed = table.closed_periods
    chart = {
        "periods": [p.label for p in closed],
        "series": [{"name": r.unit.name,
                    "data": [str(c.score) if c is not None else None
                             for c, p in zip(r.cells, table.periods, strict=True) if p.state == PeriodState.CLOSED]}
                   for r in table.rows if r.periods_scored],
        "score": _("Score"),
    }
    return render(request, "competitions/labour/detail.html", {
        "competition": competition, "table": table, "method": method, "indicators": indicators,
        "weight_total": sum(i.weight for i in indicators), "evaluators": evaluators,
        "user_evaluates": user_evaluates, "can_change": competition.can_change(request.user),
        "chart": chart, "periods_form": PeriodsForm(),
        "individuals": table.awarded(individual=True), "collectives": table.awarded(individual=False),
    })


def _export_year(table: queries.YearTable) -> HttpResponse:
    closed = [(i, p) for i, p in enumerate(table.periods) if p.state == PeriodState.CLOSED]
    headers = [_("Rank"), _("Competing unit"), _("Category")]
    for _i, p in closed:
        headers += [_("%(period)s score") % {"period": p.label}, _("%(period)s place") % {"period": p.label}]
    headers += [_("Year score (mean)") if table.method == "mean" else _("Year score (sum)"), _("Award")]
    rows = []
    for r in table.rows:
        row: list[Any] = [r.rank or "", r.unit.name, _("Individual") if r.individual else _("Collective")]
        for i, _p in closed:
            cell = r.cells[i]
            row += [cell.score, cell.place] if cell is not None else ["", ""]
        row += [r.year_score if r.year_score is not None else "", r.award_name]
        rows.append(row)
    return pages.export(_("%(competition)s year results") % {"competition": table.competition.name}, headers, rows)


def _export_fund(table: queries.YearTable) -> HttpResponse:
    headers = [_("Competing unit"), _("Year score"), _("Takes part"), _("Share (%)"), _("Exact amount (yuan)"),
               _("Amount (yuan)"), _("Received a fen left over")]
    rows = [[line.unit.name, line.calc.score, _("Yes") if line.calc.eligible else _("No"), line.calc.share_percent,
             line.calc.raw_amount, line.calc.amount, _("Yes") if line.calc.extra_fen else ""] for line in table.split]
    rows.append([_("Total"), table.score_total, "", Decimal(100) if table.split else "", "", table.split_total, ""])
    return pages.export(_("%(competition)s fund split") % {"competition": table.competition.name}, headers, rows)


# ---------------------------------------------------------------------------------------------
# Setting up (the organiser)


@login_required
def labour_create(request: HttpRequest) -> HttpResponse:
    organisers = organiser_choices(request.user)
    if not organisers.exists():
        raise PermissionDenied
    form = CompetitionForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        competition = pages.handle(form, lambda: services.create_labour_competition(
            actor=request.user, organiser=d["organiser"], name=d["name"], year=d["year"],
            fund_amount=d["fund_amount"], co_organisers=d.get("co_organisers") or "",
            description=d.get("description") or ""))
        if competition is not None:
            messages.success(request, _("%(name)s has been created with the standard indicators; adjust them, add "
                                        "the competing units and open the periods.") % {"name": competition.name})
            return redirect("competitions:labour_detail", pk=competition.pk)
    return render(request, "competitions/labour/create.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@login_required
def labour_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    """The indicator table: weights in whole points adding up to 100; one safety indicator turns the veto on."""
    competition = _for_change(request, pk)
    current = [{"code": i.code, "name": i.name, "weight": i.weight, "is_safety": i.is_safety}
               for i in competition.indicators.all()]
    formset = IndicatorFormSet(request.POST or None, initial=current)
    error = ""
    if request.method == "POST" and formset.is_valid():
        rows = [row for form in formset for row in [form.row()] if row is not None]
        refusal = pages.attempt(lambda: services.set_indicators(actor=request.user, competition=competition,
                                                                indicators=rows))[1]
        if refusal is None:
            messages.success(request, _("The indicators have been saved."))
            return redirect("competitions:labour_detail", pk=competition.pk)
        error = refusal.message
    locked = Evaluation.objects.filter(period__competition=competition).exists()
    weights = [str(form["weight"].value() or "").strip() for form in formset]
    return render(request, "competitions/labour/indicators.html", {
        "competition": competition, "formset": formset, "error": error, "locked": locked,
        "weight_total": sum(int(w) for w in weights if w.isdigit()),
    }, status=400 if request.method == "POST" else 200)


def find_units(competition: Competition, q: str) -> list[Org]:
    """Enterprises, 项目部/workshops and teams of the organiser's subtree matching `q` (name or code)."""
    q = (q or "").strip()
    if not q:
        return []
    root = competition.organiser
    return list(Org.objects.filter(Q(path__startswith=root.path) | Q(industry_path__startswith=root.path))
                .filter(is_active=True, kind__in=queries.UNIT_KINDS)
                .filter(Q(name__contains=q) | Q(code__startswith=q)).order_by("depth", "path")[:MAX_UNIT_CHOICES])


@login_required
def labour_units(request: HttpRequest, pk: int) -> HttpResponse:
    """The competing units; the organiser adds one from the tree (searched over HTMX) or by name."""
    competition = _competition(request, pk)
    can_change = competition.can_change(request.user)
    data = request.POST if request.method == "POST" else (request.GET if "q" in request.GET else None)
    form = UnitForm(data)
    q = request.GET.get("q", "") if request.method == "GET" else request.POST.get("q", "")
    if request.headers.get("HX-Request") and request.method == "GET":
        return render(request, "competitions/labour/_unit_choices.html", {
            "choices": find_units(competition, q), "q": q, "limit": MAX_UNIT_CHOICES, "selected": None})
    selected = None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            org = None
            if d.get("org"):
                org = Org.objects.filter(pk=d["org"]).first()
                if org is None:
                    form.add_error("org", _("Search for the unit and choose it from the list."))
            selected = org.pk if org else None
            if not form.errors:
                unit = pages.handle(form, lambda: services.add_unit(actor=request.user, competition=competition,
                                                                    org=org, name=d.get("name") or ""))
                if unit is not None:
                    messages.success(request, _("%(unit)s now competes.") % {"unit": unit.name})
                    return redirect("competitions:labour_units", pk=competition.pk)
    units = list(competition.units.select_related("org").order_by("name", "pk"))
    evaluated = set(Evaluation.objects.filter(unit__competition=competition).values_list("unit_id", flat=True)
                    .distinct())
    for u in units:
        u.individual = queries.is_individual(u)
        u.removable = u.pk not in evaluated
    return render(request, "competitions/labour/units.html", {
        "competition": competition, "units": units, "form": form, "q": q, "can_change": can_change,
        "choices": find_units(competition, q), "limit": MAX_UNIT_CHOICES, "selected": selected,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def labour_unit_remove(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    competition = _for_change(request, pk)
    unit = get_object_or_404(CompetingUnit, competition=competition, pk=unit_pk)
    unit.competition = competition
    pages.act(request, lambda: services.remove_unit(actor=request.user, unit=unit),
              _("%(unit)s has been removed.") % {"unit": unit.name})
    return redirect("competitions:labour_units", pk=competition.pk)


def find_account(text: str) -> User | None:
    text = (text or "").strip()
    if not text:
        return None
    return User.objects.filter(Q(username=text) | Q(phone=text)).first()


@login_required
def labour_evaluators(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluators (考评员): accounts appointed by the organiser, found by user name or mobile number."""
    competition = _for_change(request, pk)
    form = EvaluatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = find_account(form.cleaned_data["account"])
        if user is None:
            form.add_error("account", _("No account has this user name or mobile number."))
        elif pages.act(request, lambda: services.appoint_evaluator(actor=request.user, competition=competition,
                                                                   user=user),
                       _("%(name)s is now an evaluator.") % {"name": user},
                       refused=lambda e: form.add_error("account", e.message)):
            return redirect("competitions:labour_evaluators", pk=competition.pk)
    evaluators = list(Evaluator.objects.filter(competition=competition).select_related("user", "appointed_by")
                      .order_by("pk"))
    return render(request, "competitions/labour/evaluators.html", {
        "competition": competition, "form": form, "evaluators": evaluators,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def labour_evaluator_remove(request: HttpRequest, pk: int, evaluator_pk: int) -> HttpResponse:
    competition = _for_change(request, pk)
    evaluator = get_object_or_404(Evaluator.objects.select_related("user"), competition=competition, pk=evaluator_pk)
    evaluator.competition = competition
    pages.act(request, lambda: services.withdraw_evaluator(actor=request.user, evaluator=evaluator),
              _("%(name)s is no longer an evaluator.") % {"name": evaluator.user})
    return redirect("competitions:labour_evaluators", pk=competition.pk)


@login_required
@require_POST
def labour_periods_open(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _for_change(request, pk)
    form = PeriodsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose months or quarters."))
        return redirect("competitions:labour_detail", pk=competition.pk)
    pages.act(request, lambda: services.open_periods(actor=request.user, competition=competition,
                                                     kind=form.cleaned_data["kind"]),
              lambda periods: _("%(n)s periods have been opened for evaluation.") % {"n": len(periods)})
    return redirect(reverse("competitions:labour_detail", args=[competition.pk]) + "#periods")


@login_required
def labour_fund(request: HttpRequest, pk: int) -> HttpResponse:
    competition = _for_change(request, pk)
    form = FundForm(request.POST or None, initial={"amount": competition.fund_amount})
    if request.method == "POST" and form.is_valid():
        if pages.act(request, lambda: services.set_fund(actor=request.user, competition=competition,
                                                        amount=form.cleaned_data["amount"]),
                     _("The competition fund has been set."), refused=lambda e: form.add_error("amount", e.message)):
            return redirect(reverse("competitions:labour_detail", args=[competition.pk]) + "#fund")
    return render(request, "competitions/labour/fund.html", {"competition": competition, "form": form},
                  status=400 if request.method == "POST" else 200)


# ---------------------------------------------------------------------------------------------
# A period: the calculation, closing


@login_required
def labour_period(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    """A period's calculation per unit: the indicator means over the evaluators, the veto, the score and the
    place (a preview while open, the stored results once closed)."""
    competition = _competition(request, pk)
    period = _period(competition, period_pk)
    sheet = queries.period_sheet(period)
    for row in sheet.rows:
        row.mean_cells = [row.means.get(i.code) for i in sheet.indicators]  # type: ignore[attr-defined]
    return render(request, "competitions/labour/period.html", {
        "competition": competition, "period": period, "sheet": sheet,
        "can_close": period.state == PeriodState.OPEN and competition.can_change(request.user),
        "user_evaluates": queries.is_evaluator(competition, request.user),
    })


@login_required
@require_POST
def labour_period_close(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    competition = _for_change(request, pk)
    period = _period(competition, period_pk)
    pages.act(request, lambda: services.close_period(actor=request.user, period=period),
              lambda results: _("%(period)s is closed: %(n)s units scored and ranked.") % {
                  "period": period.label, "n": len(results)})
    return redirect("competitions:labour_period", pk=competition.pk, period_pk=period.pk)


# ---------------------------------------------------------------------------------------------
# The evaluator's grid


def _grid_rows(units: list[CompetingUnit], indicators: list[Any], mine: dict[tuple[int, int], Evaluation],
               posted: Any = None, errors: dict[str, str] | None = None) -> list[dict[str, Any]]:
    errors = errors or {}
    rows = []
    for unit in units:
        cells = []
        for indicator in indicators:
            key = cell_key(unit.pk, indicator.pk)
            stored = mine.get((unit.pk, indicator.pk))
            if posted is not None and f"v-{key}" in posted:
                value, veto = posted.get(f"v-{key}", ""), posted.get(f"x-{key}") in {"on", "1", "true"}
            else:
                value = "" if stored is None or (stored.veto and stored.value == 0) else _plain(stored.value)
                veto = bool(stored and stored.veto)
            cells.append({"key": key, "indicator": indicator, "value": value, "veto": veto, "saved": stored,
                          "error": errors.get(key, "")})
        rows.append({"unit": unit, "cells": cells, "filled": sum(1 for c in cells if c["saved"] is not None)})
    return rows


def _plain(value: Decimal) -> str:
    """85.00 → 85, 85.50 → 85.5: what the evaluator typed."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@login_required
def labour_evaluate(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    """The evaluator's grid for one period: units × indicators, each cell saved as soon as it changes (HTMX
    posts the one cell and gets its status back); without JavaScript the whole grid is saved at once."""
    competition = _competition(request, pk)
    period = _period(competition, period_pk)
    if not queries.is_evaluator(competition, request.user):
        raise PermissionDenied
    units = list(competition.units.select_related("org").order_by("name", "pk"))
    indicators = list(competition.indicators.all())
    mine = {(e.unit_id, e.indicator_id): e for e in Evaluation.objects.filter(period=period, evaluator=request.user)}
    if request.method == "POST" and pages.is_htmx(request) and request.POST.get("cell"):
        return _save_cell(request, competition, period, units, indicators)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        cells, errors = parse_grid(request.POST, units, indicators, mine)
        if not errors:
            refusal = pages.attempt(lambda: services.enter_evaluations(actor=request.user, period=period,
                                                                       cells=cells))[1]
            if refusal is None:
                messages.success(request, _("Your evaluations of %(period)s have been saved.") % {
                    "period": period.label})
                return redirect("competitions:labour_evaluate", pk=competition.pk, period_pk=period.pk)
            errors = refusal.errors or {"": refusal.message}
            if not refusal.errors:
                messages.error(request, refusal.message)
        status = 400
    rows = _grid_rows(units, indicators, mine, request.POST if status == 400 else None, errors)
    return render(request, "competitions/labour/evaluate.html", {
        "competition": competition, "period": period, "rows": rows, "indicators": indicators,
        "filled": len(mine), "cells_total": len(units) * len(indicators), "errors": errors,
        "open": period.state == PeriodState.OPEN,
    }, status=status)


def _save_cell(request: HttpRequest, competition: Competition, period: Period, units: list[CompetingUnit],
               indicators: list[Any]) -> HttpResponse:
    """One cell over HTMX: save it and answer with its status (and the progress count, out of band)."""
    key = request.POST["cell"]
    try:
        unit_pk, indicator_pk = (int(x) for x in key.split("-"))
    except ValueError:
        raise Http404 from None
    unit = next((u for u in units if u.pk == unit_pk), None)
    indicator = next((i for i in indicators if i.pk == indicator_pk), None)
    if unit is None or indicator is None:
        raise Http404

    def enter() -> Evaluation | None:
        value, veto = parse_cell(request.POST, key, indicator)
        return services.enter_evaluation(actor=request.user, period=period, unit=unit, indicator=indicator,
                                         value=value, veto=veto)

    saved, refusal = pages.attempt(enter)
    error = refusal.message if refusal else ""
    filled = Evaluation.objects.filter(period=period, evaluator=request.user).count()
    # 200 even for a refused value: htmx swaps only successful answers, and the message must show.
    return render(request, "competitions/labour/_cell_status.html", {
        "error": error, "saved": saved, "cleared": not error and saved is None, "filled": filled,
        "cells_total": len(units) * len(indicators), "oob": True})


urlpatterns: list[URLPattern] = [
    path("labour/", labour_list, name="labour_list"),
    path("labour/new/", labour_create, name="labour_create"),
    path("labour/<id:pk>/", labour_detail, name="labour_detail"),
    path("labour/<id:pk>/indicators/", labour_indicators, name="labour_indicators"),
    path("labour/<id:pk>/units/", labour_units, name="labour_units"),
    path("labour/<id:pk>/units/<id:unit_pk>/remove/", labour_unit_remove, name="labour_unit_remove"),
    path("labour/<id:pk>/evaluators/", labour_evaluators, name="labour_evaluators"),
    path("labour/<id:pk>/evaluators/<id:evaluator_pk>/remove/", labour_evaluator_remove,
         name="labour_evaluator_remove"),
    path("labour/<id:pk>/periods/open/", labour_periods_open, name="labour_periods_open"),
    path("labour/<id:pk>/fund/", labour_fund, name="labour_fund"),
    path("labour/<id:pk>/periods/<id:period_pk>/", labour_period, name="labour_period"),
    path("labour/<id:pk>/periods/<id:period_pk>/close/", labour_period_close, name="labour_period_close"),
    path("labour/<id:pk>/periods/<id:period_pk>/evaluate/", labour_evaluate, name="labour_evaluate"),
]
