"""The organiser's stage pages: adding a stage of a competition (基层赛, 市级选拔赛, 省级决赛) with its
advancement rule and per-city quotas, and opening the stage's rounds (one per event and organising union).

Who may do what, and how refusals show, as on the competition page (`views.competitions`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _

from gongjiang.core import pages
from gongjiang.orgs.models import Org

from .. import queries, services
from ..choices import Level
from ..forms.setup import OpenRoundsForm, StageForm
from ..models import Competition, Round, Stage
from .common import competition_for_change, handle, only_the_organiser, visible_competitions


def quota_orgs(competition: Competition, level: str) -> list[Org]:
    """The orgs that will run the rounds of a stage of `level` (one quota each), when there are several."""
    if level not in Level.values:
        return []
    orgs = queries.default_organisers(competition, Stage(competition=competition, level=level))
    return orgs if len(orgs) > 1 else []


@login_required
def stage_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a stage. Its advancement rule may give each organising org (each city) its own quota; the quota table
    follows the level chosen (HTMX reloads it)."""
    competition = competition_for_change(request, pk)
    has_stages = competition.stages.exists()
    default_level = competition.level if has_stages or competition.level != Level.PROVINCE else Level.CITY
    level = request.POST.get("level") or request.GET.get("level") or default_level
    orgs = quota_orgs(competition, level)
    form = StageForm(request.POST or None, quota_orgs=orgs, initial={
        "level": level, "direct_registration": not has_stages, "ties": "include"})
    if request.method == "POST" and form.is_valid():
        stage = handle(form, lambda: services.add_stage(actor=request.user, competition=competition,
                                                                   **form.service_data()))
        if stage is not None:
            messages.success(request, _("Stage %(name)s has been added. Open its rounds when the events are "
                                        "ready.") % {"name": stage.name})
            return redirect(reverse("competitions:competition_detail", args=[competition.pk]) + f"#stage-{stage.pk}")
    context = {"competition": competition, "form": form, "level": level}
    if pages.is_htmx(request) and request.method == "GET":
        return render(request, "competitions/setup/_stage_quotas.html", context)
    return render(request, "competitions/setup/stage_form.html", context,
                  status=400 if request.method == "POST" else 200)


@login_required
def rounds_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the rounds of a stage: one per event and organising org (its defaults, or orgs chosen here)."""
    stage = get_object_or_404(Stage.objects.filter(competition__in=visible_competitions(request.user))
                              .select_related("competition__organiser"), pk=pk)
    competition = stage.competition
    if not competition.can_change(request.user):
        raise only_the_organiser(competition)
    defaults = queries.default_organisers(competition, stage)
    candidates = queries.candidate_organisers(competition, stage.level)
    events = list(competition.events.all())
    form = OpenRoundsForm(request.POST or None, candidates=candidates, events=events,
                          initial={"who": "default" if defaults else "chosen"})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        organisers: list[Org] | None = None
        if d["who"] == "chosen":
            by_pk = {str(o.pk): o for o in candidates}
            organisers = [by_pk[p] for p in d.get("orgs") or [] if p in by_pk]
            codes = form.code_list()
            if codes:
                found = {o.code: o for o in Org.objects.filter(code__in=codes, is_active=True,
                                                               path__startswith=competition.organiser.path)}
                unknown = [c for c in codes if c not in found]
                if unknown:
                    form.add_error("codes", _("No active unit inside %(organiser)s has the code %(codes)s.") % {
                        "organiser": competition.organiser.name, "codes": "、".join(unknown)})
                organisers += [o for o in found.values() if o not in organisers]
            if not organisers and "codes" not in form.errors:
                form.add_error("orgs", _("Choose at least one unit, or open the rounds with the default units."))
        chosen_events = [e for e in events if str(e.pk) in (d.get("events") or [])] or None
        if not form.errors:
            rounds = handle(form, lambda: services.open_rounds(
                actor=request.user, stage=stage, organisers=organisers, events=chosen_events))
            if rounds is not None:
                messages.success(request, _("%(stage)s now has %(n)d rounds.") % {
                    "stage": stage.name, "n": Round.objects.filter(stage=stage).count()})
                return redirect(
                    reverse("competitions:competition_detail", args=[competition.pk]) + f"#stage-{stage.pk}"
                )
    if request.method == "POST" and request.POST.get("from") == "detail" and form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect(reverse("competitions:competition_detail", args=[competition.pk]) + f"#stage-{stage.pk}")
    return render(request, "competitions/setup/rounds_open.html", {
        "competition": competition, "stage": stage, "form": form, "defaults": defaults, "candidates": candidates,
    }, status=400 if request.method == "POST" else 200)


urlpatterns: list[URLPattern] = [
    path("competitions/<id:pk>/stages/new/", stage_create, name="stage_create"),
    path("competitions/stages/<id:pk>/open-rounds/", rounds_open, name="rounds_open"),
]
