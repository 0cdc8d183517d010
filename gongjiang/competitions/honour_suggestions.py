"""What the competitions suggest to the honours (core's registry of honour suggestions): the top places of the
finals of a competition of the honour's level, in the campaign's year and the year before — a provincial final's
first three for the provincial honours of persons (省技术能手, 省五一劳动奖章, 省金牌职工…), and for the national ones
the province recommends to; a city final's for a city's honours. Only results made final (after their public
notice), only the entries the asking user sees, only workers within the nominating union's subtree."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from gongjiang.core.registry import Suggestion, SuggestionQuery

from .choices import Level, RoundState
from .models import Entry

TOP = 3  # the places a final suggests
# The competition level whose finals suggest for an honour of each level (national: the province's best).
LEVELS = {"national": Level.PROVINCE, "province": Level.PROVINCE, "city": Level.CITY, "county": Level.COUNTY}


def suggest(user: Any, query: SuggestionQuery) -> Sequence[Suggestion]:
    level = LEVELS.get(query.level)
    if query.subject != "person" or level is None:
        return []
    entries = (Entry.objects.for_user(user, "view")
               .filter(round__state=RoundState.FINAL, round__stage__level=level,
                       round__event__competition__level=F("round__stage__level"),
                       round__event__competition__year__in=[query.year - 1, query.year],
                       place__isnull=False, place__lte=TOP, person__employer__path__startswith=query.org_path)
               .select_related("person", "round__stage", "round__event__competition")
               .order_by("place", "-round__event__competition__year", "id")[: query.limit])
    source = _("Skills competition")
    found = []
    for e in entries:
        event, competition = e.round.event, e.round.event.competition
        reason = _("Place %(place)s in %(event)s, %(stage)s of %(competition)s") % {
            "place": e.place, "event": event.name, "stage": e.round.stage.name, "competition": competition.name}
        if e.prize:
            reason = f"{reason}（{e.get_prize_display()}）"
        found.append(Suggestion(name=e.person.name, reason=reason, source=source, person_id=e.person_id,
                                url=reverse("competitions:round_results", args=[e.round_id])))
    return found
