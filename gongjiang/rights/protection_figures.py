"""The labour-protection figures of the rights app in the fact store (declared and sourced through figures.py):

Flows, at the enterprise checked, on their day: `rights.checks` (checks held, on the day checked),
`rights.hazards_found` (on the day found), `rights.hazards_closed` (on the day closed).
Yearly, at the entered unit (an enterprise or a team) on 1 January of the competition's year:
`rights.ankang_entries` (安康杯 participants: entries) and `rights.ankang_workers` (the workers of the entries whose
indicators are recorded)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs import facts

CHECKS = "rights.checks"
HAZARDS_FOUND = "rights.hazards_found"
HAZARDS_CLOSED = "rights.hazards_closed"
ANKANG_ENTRIES = "rights.ankang_entries"
ANKANG_WORKERS = "rights.ankang_workers"


def metrics() -> list[facts.Metric]:
    return [
        facts.Metric(CHECKS, _("Labour protection checks held"), _("checks (unit)"),
                     _("Supervision checks of enterprises by the unions (labour protection, summer heat, "
                       "occupational disease), counted at the enterprise on the day checked."), order=60),
        facts.Metric(HAZARDS_FOUND, _("Hazards found in checks"), _("hazards (unit)"),
                     _("Hazards found in the unions' checks, counted at the enterprise on the day found."), order=61),
        facts.Metric(HAZARDS_CLOSED, _("Hazards put right"), _("hazards (unit)"),
                     _("Hazards of the unions' checks put right and closed, counted at the enterprise on the day "
                       "closed."), order=62),
        facts.Metric(ANKANG_ENTRIES, _("Ankang Cup participants"), _("entries (unit)"),
                     _("Enterprises and teams entered in an Ankang Cup competition of the year, counted at the unit "
                       "on 1 January."), order=63, yearly=True),
        facts.Metric(ANKANG_WORKERS, _("Workers in the Ankang Cup"), _("people"),
                     _("The workers of the Ankang Cup entries of the year whose indicators are recorded, counted at "
                       "the unit on 1 January."), order=64, yearly=True),
    ]


def year_day(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def rows() -> Iterator[facts.Row]:
    from .models import AnkangEntry, Hazard, SafetyCheck

    for ent, day, n in (SafetyCheck.objects.values_list("enterprise_id", "checked_on").order_by()
                        .annotate(n=Count("pk"))):
        yield ent, day, CHECKS, n
    for ent, day, n in (Hazard.objects.values_list("safety_check__enterprise_id", "found_on").order_by()
                        .annotate(n=Count("pk"))):
        yield ent, day, HAZARDS_FOUND, n
    for ent, day, n in (Hazard.objects.exclude(closed_on=None)
                        .values_list("safety_check__enterprise_id", "closed_on").order_by().annotate(n=Count("pk"))):
        yield ent, day, HAZARDS_CLOSED, n
    for unit, year, n, workers in (AnkangEntry.objects.values_list("unit_id", "campaign__year").order_by()
                                   .annotate(n=Count("pk"), w=Sum("workers"))):
        yield unit, year_day(year), ANKANG_ENTRIES, n
        if workers:
            yield unit, year_day(year), ANKANG_WORKERS, workers
