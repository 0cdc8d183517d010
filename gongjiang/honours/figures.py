"""The honours' figures in the fact store (orgs/facts.py): the metrics the speeches quote, the one source that
computes them from the rows, and the helpers the verbs call to add their differences.

Events and where they count (the unit, the day):
- an honour is conferred (`confer_honours`): `conferred` and `conferred_<level>` at the holder's unit on the day of
  the conferral (`Holder.conferred_on`; holders loaded without it count on the first day of their year);
- a title is revoked (`revoke_honour`, a `HolderEvent` "revoked"): `revoked` at the holder's unit on its day;
- a nomination is submitted (`submit_nomination`): `nominations` at the nominating union on the day of its last
  submission; withdrawn, it is taken off that day, submitted again after a return, it moves to the new day;
- the studios (`studio_counters`, the verbs of services.studios and the registry's corrections): recognised
  (`studios_recognised_<level>`) and assessed with each result (`studio_excellent|passed|failed_<level>`) on the
  first day of the year recognised or assessed (the registry keeps the year only), suspended and revoked
  (`studios_suspended|revoked_<level>`) on the day of the decision, at the host enterprise.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs import facts

from . import studio_counters
from .choices import HolderStatus, Level
from .studio_choices import StudioLevel
from .studio_counters import studio_metric, year_day

CONFERRED = "honours.conferred"
NOMINATIONS = "honours.nominations"
REVOKED = "honours.revoked"


def conferred_at(level: str) -> str:
    return f"honours.conferred_{level}"


STUDIO_LABELS = {
    "recognised": (_("Studios recognised (%(level)s)"), _("studios (unit)"),
                   _("Studios and innovative teams recognised at the %(level)s, counted at the host enterprise on the "
                     "first day of the year they were recognised.")),
    "excellent": (_("Studio assessments rated excellent (%(level)s)"), _("assessments (unit)"),
                  _("Yearly assessments of %(level)s studios confirmed as excellent, counted at the host enterprise "
                    "on the first day of the year assessed.")),
    "passed": (_("Studio assessments passed (%(level)s)"), _("assessments (unit)"),
               _("Yearly assessments of %(level)s studios confirmed as passed, counted at the host enterprise on the "
                 "first day of the year assessed.")),
    "failed": (_("Studio assessments failed (%(level)s)"), _("assessments (unit)"),
               _("Yearly assessments of %(level)s studios confirmed as failed, counted at the host enterprise on the "
                 "first day of the year assessed.")),
    "suspended": (_("Studios suspended (%(level)s)"), _("studios (unit)"),
                  _("%(level)s studios suspended by their recognising union, counted at the host enterprise on the "
                    "day of the decision.")),
    "revoked": (_("Studios' recognition revoked (%(level)s)"), _("studios (unit)"),
                _("%(level)s studios whose recognition was revoked, counted at the host enterprise on the day of "
                  "the decision.")),
}


def _with_level(text: object, level: object) -> Any:
    """A lazy text with the level put in when shown (in the language of the moment)."""
    return lazy(lambda: str(text) % {"level": str(level)}, str)()


def _metrics() -> list[facts.Metric]:
    out = [
        facts.Metric(CONFERRED, _("Honours conferred"), _("honours (unit)"),
                     _("Honours conferred (every level), counted at the holder's unit on the day of the conferral."),
                     order=10),
        facts.Metric(REVOKED, _("Honours revoked"), _("honours (unit)"),
                     _("Honorary titles revoked by decision, counted at the holder's unit on the day the revocation "
                       "took effect."), order=20),
        facts.Metric(NOMINATIONS, _("Honour nominations submitted"), _("nominations (unit)"),
                     _("Nominations submitted by the nominating unions and not withdrawn, counted at the nominating "
                       "union on the day of their last submission."), order=30),
    ]
    for i, level in enumerate(Level):
        out.append(facts.Metric(
            conferred_at(level.value), _with_level(_("Honours conferred (%(level)s)"), level.label),
            _("honours (unit)"),
            _with_level(_("Honours of the %(level)s level conferred, counted at the holder's unit on the day of the "
                          "conferral."), level.label), order=11 + i))
    for i, (field, (label, unit, definition)) in enumerate(STUDIO_LABELS.items()):
        for j, studio_level in enumerate(StudioLevel):
            out.append(facts.Metric(studio_metric(field, studio_level.value), _with_level(label, studio_level.label),
                                    unit, _with_level(definition, studio_level.label), order=40 + 3 * i + j))
    return out


def rows() -> Iterator[facts.Row]:
    """(unit id, day, metric, value) from the rows, each figure one GROUP BY."""
    from .models import Holder, HolderEvent, Nomination

    for unit_id, year, on, level, n in (Holder.objects.values_list("unit_id", "year", "conferred_on",
                                                                   "honour_type__level")
                                        .order_by().annotate(n=Count("pk"))):
        day = on or year_day(year)
        yield unit_id, day, CONFERRED, n
        yield unit_id, day, conferred_at(level), n
    for unit_id, on, n in (HolderEvent.objects.filter(kind=HolderStatus.REVOKED)
                           .values_list("holder__unit_id", "on").order_by().annotate(n=Count("pk"))):
        yield unit_id, on, REVOKED, n
    for unit_id, day, n in (Nomination.objects.filter(submitted_at__isnull=False)
                            .annotate(day=TruncDate("submitted_at")).values_list("unit_id", "day")
                            .order_by().annotate(n=Count("pk"))):
        yield unit_id, day, NOMINATIONS, n
    yield from studio_counters.rows()


def register() -> None:
    """From the AppConfig: the metrics and the one source of the app."""
    metrics = _metrics()
    facts.register_metric(*metrics)
    facts.register_source(facts.Source("honours", tuple(m.key for m in metrics), rows))


def holders_conferred(holders: list[Any]) -> None:
    """Count new holders (`Holder` rows with their unit and honour type) in one statement: `conferred` and
    `conferred_<level>` at each holder's unit, on its conferral day (or the first day of its year)."""
    facts.add_many([(h.unit, h.conferred_on or year_day(h.year), key, 1) for h in holders
                    for key in (CONFERRED, conferred_at(h.honour_type.level))])


def submitted_day(at: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(at) if at is not None else None
