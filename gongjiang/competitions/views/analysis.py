"""Analysis pages: where a round's contestants are weak (分析查找参赛选手存在的突出问题: per aspect of the marking
scheme, the entrants' marks as % of max, charted per section, weakest first) and a competition's participation
by organisation, rolled up the tree one level at a time. Both export what they show to .xlsx."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gongjiang.core import pages
from gongjiang.orgs import scoping
from gongjiang.orgs.models import Org

from .. import queries
from ..models import Competition, hundredths
from .common import results_round


@login_required
def round_analysis(request: HttpRequest, pk: int) -> HttpResponse:
    """分析查找参赛选手存在的突出问题: per aspect, the entrants' marks as % of max (a chart per section) and
    the aspects ranked by their mean, lowest first."""
    rnd, organiser = results_round(request, pk)
    stats = queries.aspect_analysis(rnd)
    for s in stats:
        s.max_shown = hundredths(s.max_mark)  # type: ignore[attr-defined]
    weakest = sorted((s for s in stats if s.mean_percent is not None), key=lambda s: (s.mean_percent, s.code))
    if pages.wants_export(request):
        return pages.export(f"{rnd.event.name}-{_('Analysis')}", [
            _("Rank"), _("Aspect"), _("Description"), _("Section"), _("Maximum mark"), _("Entrants marked"),
            _("Mean score rate")], ([i, s.code, s.description, s.section, hundredths(s.max_mark), s.marked,
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
    paths = [p for p in scoping.scope_for(request.user, "view").paths if scoping.covers(organiser.path, p)]
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
    rows = queries.participation(competition, base, stage)
    # Every figure counts entries, one per stage: a worker who advances from the city qualifier to the final counts
    # in both (人次), unlike the registrations of the competitions' list.
    labels = {"entries": pgettext("participation", "Contest entries"),
              "checked_in": pgettext("participation", "Checked in"), "winners": pgettext("participation", "Prizes")}
    if pages.wants_export(request):
        return pages.export(f"{competition.name}-{_('Participation')}", [
            _("Organisation"), labels["entries"], labels["checked_in"], labels["winners"]],
            ([r.org.name, r.entries, r.checked_in, r.winners] for r in rows))
    covers = competition.organiser.in_scope(request.user, "view")
    trail = [o for o in base.ancestors_and_self() if scoping.covers(competition.organiser.path, o.path)
             and (covers or o.in_scope(request.user, "view"))]
    totals = Counter()
    for r in rows:
        totals.update({"entries": r.entries, "checked_in": r.checked_in, "winners": r.winners})
    top = rows[:20]
    data = {"labels": labels,
            "orgs": [r.org.display_name for r in top], "entries": [r.entries for r in top],
            "checked_in": [r.checked_in for r in top], "winners": [r.winners for r in top]}
    return render(request, "competitions/results/competition_participation.html", {
        "competition": competition, "base": base, "trail": trail, "rows": rows, "totals": totals,
        "stages": stages, "stage": stage, "data": data, "labels": labels,
    })


urlpatterns: list[URLPattern] = [
    path("competitions/rounds/<id:pk>/analysis/", round_analysis, name="round_analysis"),
    path("competitions/<id:pk>/participation/", competition_participation, name="competition_participation"),
]
