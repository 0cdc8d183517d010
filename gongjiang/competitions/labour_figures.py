"""The labour slice's figure in the fact store (orgs/facts.py): `labour_periods_closed`, an evaluation period closed
(`close_period`), counted at the competition's organiser on the period's last day. The skills side's figures (and
`labour_started`, which counts the competition row both kinds share) are `figures`; the AppConfig registers the
app's one source with the rows of both."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs import facts

from .choices import PeriodState

LABOUR_PERIODS = "competitions.labour_periods_closed"

METRICS = (
    facts.Metric(LABOUR_PERIODS, _("Labour competition periods evaluated"), _("periods (unit)"),
                 _("Evaluation periods of labour competitions closed with their results, counted at the organising "
                   "union on the period's last day."), order=60),
)


def rows() -> Iterator[facts.Row]:
    """(organiser id, the period's last day, metric, periods closed): one GROUP BY."""
    from .models import Period

    for org_id, day, n in (Period.objects.filter(state=PeriodState.CLOSED)
                           .values_list("competition__organiser_id", "ends_on").order_by().annotate(n=Count("pk"))):
        yield org_id, day, LABOUR_PERIODS, n
