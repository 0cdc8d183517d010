"""What the organisers' page modules share: fetching a competition, an event or a round within the user's reach
(out of reach: 404) and refusing a change to whoever does not organise it (403), a service refusal put back on
a form, and the round's header (state as steps, tabs) that every tab of a round shows.

Two ways of reaching a round, kept apart on purpose: the running pages (`get_round`: registrations, draws,
check-in, judges) also need the round's organising org within reach, so Qingdao never opens the Jinan round;
the results pages (`results_round`) follow `Round.objects.for_user` alone, because published results are read
further afield."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from gongjiang.core import pages
from gongjiang.core.scoping import covers, memo, scope_for
from gongjiang.orgs.plugins import is_cadre

from ..choices import EntrySource, EntryStatus, RoundState
from ..forms.rounds import RoundDetailsForm
from ..models import Competition, Entry, Event, Round
from ..plugins import has_worker_record, is_judge

# ---------------------------------------------------------------------------------------------
# Competitions and events

# Registrations: the people entered for a competition (not those carried into a later stage, not refused).
NOT_REGISTRATIONS = [EntryStatus.REFUSED, EntryStatus.WITHDRAWN]
# Service fields shown at another input of the forms.
FIELD_ALIASES = {"prize_rule": "first_value", "tie_breaks": "tie_break_1", "advancement": "mode",
                 "organisers": "orgs"}


def visible_competitions(user: Any) -> QuerySet[Competition]:
    return Competition.objects.for_user(user, "view")


def sees_participation(user: Any, competition: Competition) -> bool:
    """Whether the competition's participation page (views.analysis) opens for `user`: the unions that reach its
    organiser and those inside its area. A worker or a judge sees the competition's page but not the figures, so
    the page offers them no link (it would answer 403)."""
    organiser = competition.organiser
    return organiser.in_scope(user, "view") or any(covers(organiser.path, p) for p in scope_for(user, "view").paths)


def only_the_organiser(competition: Competition) -> PermissionDenied:
    return PermissionDenied(_("Only the organiser of %(competition)s may do this.") % {
        "competition": competition.name})


def get_competition(request: HttpRequest, pk: int) -> Competition:
    return get_object_or_404(visible_competitions(request.user).select_related("organiser"), pk=pk)


def competition_for_change(request: HttpRequest, pk: int) -> Competition:
    """A competition the user sees (else 404) and organises (else 403)."""
    competition = get_competition(request, pk)
    if not competition.can_change(request.user):
        raise only_the_organiser(competition)
    return competition


def get_event(request: HttpRequest, pk: int) -> Event:
    return get_object_or_404(Event.objects.filter(competition__in=visible_competitions(request.user))
                             .select_related("competition__organiser", "trade"), pk=pk)


def event_for_change(request: HttpRequest, pk: int) -> Event:
    event = get_event(request, pk)
    if not event.competition.can_change(request.user):
        raise only_the_organiser(event.competition)
    return event


def count_of(qs: QuerySet, group: str) -> Coalesce:
    """A correlated COUNT of `qs` (already filtered on an OuterRef) as an annotation."""
    return Coalesce(Subquery(qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def registrations(**filters: Any) -> QuerySet[Entry]:
    return Entry.objects.filter(**filters).exclude(source=EntrySource.ADVANCED).exclude(status__in=NOT_REGISTRATIONS)


def handle(form: Any, call: Any) -> Any:
    """`pages.handle` (the result, or None with the refusal on the form) knowing the competition forms' inputs
    that stand for a service field (FIELD_ALIASES)."""
    return pages.handle(form, call, FIELD_ALIASES)


# ---------------------------------------------------------------------------------------------
# Rounds

ROUND_RELATED = ("event__competition__organiser", "event__trade", "stage", "organiser", "notice")
PUBLISHED = {RoundState.PUBLICITY, RoundState.FINAL}


def visible_rounds(user: Any) -> QuerySet[Round]:
    """Rounds of a competition the user reaches whose organising org they reach too: the province sees every
    round, a city its own round and the rounds above it, a county its city's round; Qingdao never sees the
    Jinan round."""
    return Round.objects.for_user(user, "open")


def get_round(request: HttpRequest, pk: int) -> Round:
    return get_object_or_404(visible_rounds(request.user).select_related(*ROUND_RELATED), pk=pk)


def round_for_change(request: HttpRequest, pk: int) -> Round:
    """A round the user sees (else 404) and runs (else 403)."""
    rnd = get_round(request, pk)
    if not rnd.can_change(request.user):
        raise PermissionDenied(_("Only the organiser of this round may do this."))
    return rnd


def _results_round_of(request: HttpRequest, pk: int) -> Round:
    return get_object_or_404(Round.objects.for_user(request.user, "view").select_related(*ROUND_RELATED), pk=pk)


def results_round(request: HttpRequest, pk: int) -> tuple[Round, bool]:
    """The round and whether the user organises it; others read the results only once published."""
    rnd = _results_round_of(request, pk)
    organiser = rnd.can_change(request.user)
    if not organiser and rnd.state not in PUBLISHED:
        raise PermissionDenied(_("The results of this round are not published yet."))
    return rnd, organiser


def results_round_for_change(request: HttpRequest, pk: int) -> Round:
    """A round of the results pages that the user organises (else 403): theory, publishing, appeals."""
    rnd = _results_round_of(request, pk)
    if not rnd.can_change(request.user):
        raise PermissionDenied(_("Only the organiser of this round may do this."))
    return rnd


# ---------------------------------------------------------------------------------------------
# The round's header, shared by every tab


STEP_LABELS = {  # the state indicator reads as the contest runs: 报名→检录→评分→锁定→解密→公示→成绩确认
    RoundState.REGISTRATION: pgettext_lazy("round step", "Registration"),
    RoundState.CHECKIN: pgettext_lazy("round step", "Check-in"),
    RoundState.MARKING: pgettext_lazy("round step", "Marking"),
    RoundState.LOCKED: pgettext_lazy("round step", "Locked"),
    RoundState.DECRYPTED: pgettext_lazy("round step", "Decryption"),
    RoundState.PUBLICITY: pgettext_lazy("round step", "Public notice"),
    RoundState.FINAL: pgettext_lazy("round step", "Results confirmed"),
}


def steps(rnd: Round) -> list[dict[str, Any]]:
    states = list(RoundState.values)
    current = states.index(rnd.state)
    return [{"label": str(STEP_LABELS[RoundState(s)]), "done": i < current, "current": i == current}
            for i, s in enumerate(states)]


def header_context(request: HttpRequest, rnd: Round, tab: str, details_form: RoundDetailsForm | None = None
                   ) -> dict[str, Any]:
    can_change = rnd.can_change(request.user)
    if details_form is None and can_change:
        details_form = RoundDetailsForm(initial={"venue": rnd.venue, "starts_on": rnd.starts_on,
                                                 "publicity_until": rnd.publicity_until})
    tabs = [("competitions:round_detail", "registrations", pgettext("round tab", "Registrations")),
            ("competitions:round_draws", "draws", pgettext("round tab", "Draws")),
            ("competitions:round_checkin", "checkin", pgettext("round tab", "Check-in")),
            ("competitions:round_judges", "judges", pgettext("round tab", "Judges"))]
    if can_change or rnd.state in PUBLISHED:  # the results pages' own rule (results_round)
        tabs.append(("competitions:round_results", "results", pgettext("round tab", "Results")))
    here = next((label for _name, key, label in tabs if key == tab), "")
    return {"rnd": rnd, "competition": rnd.event.competition, "tab": tab, "steps": steps(rnd),
            "can_change": can_change, "details_form": details_form, "tabs": tabs,
            "trail": round_trail(request.user, rnd, here)}


# ---------------------------------------------------------------------------------------------
# Breadcrumbs: where a round's page sits (the competitions › the competition › its stage › the round › the page)


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str = ""  # "" for a step the user may not open (or the current page)


def round_access(user: Any, rnd: Round) -> tuple[bool, bool]:
    """(sees the competition's page, opens the round's running pages) — two EXISTS, once per request."""
    def load() -> tuple[bool, bool]:
        return (visible_competitions(user).filter(pk=rnd.event.competition_id).exists(),
                visible_rounds(user).filter(pk=rnd.pk).exists())

    return memo(user, f"competitions.round_access.{rnd.pk}", load)


def round_trail(user: Any, rnd: Round, here: str = "", via: Crumb | None = None) -> list[Crumb]:
    """省总工会's 技能竞赛 › the competition › the stage › the event · the round's organiser › `here`. Each step links
    where the user may open it: a cadre starts from the competitions' list, a judge from their mark sheets, a worker
    from their competitions; the competition and its stage when they see the competition's page; the round's
    registrations when they run it (or see it), else its published results."""
    competition = rnd.event.competition
    sees_competition, opens_round = round_access(user, rnd)
    crumbs: list[Crumb] = []
    if is_cadre(user):
        crumbs.append(Crumb(_("Skills competitions"), reverse("competitions:competition_list")))
    elif is_judge(user):
        crumbs.append(Crumb(_("My mark sheets"), reverse("competitions:judge_home")))
    elif has_worker_record(user):
        crumbs.append(Crumb(_("My competitions"), reverse("competitions:my_competitions")))
    detail = reverse("competitions:competition_detail", args=[competition.pk]) if sees_competition else ""
    crumbs.append(Crumb(competition.name, detail))
    crumbs.append(Crumb(rnd.stage.name, f"{detail}#stage-{rnd.stage_id}" if detail else ""))
    if opens_round:
        url = reverse("competitions:round_detail", args=[rnd.pk])
    elif rnd.state in PUBLISHED:
        url = reverse("competitions:round_results", args=[rnd.pk])
    else:
        url = ""
    crumbs.append(Crumb(f"{rnd.event.name} · {rnd.organiser.display_name}", url))
    if via is not None:  # a page below another of the round's (the re-check below the chief judge's board)
        crumbs.append(via)
    if here:
        crumbs.append(Crumb(str(here)))
    return crumbs
