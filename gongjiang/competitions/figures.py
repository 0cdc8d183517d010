"""The competitions' figures in the fact store (orgs/facts.py): the metrics the speeches quote, the source that
computes them from the rows, and the helpers the verbs call to add their differences.

Events and where they count (the unit, the day):
- a round is held (举办) when its results become final (`finalise_round`, `Round.finalised_on`): `held` at the
  round's organising union; `trade_rounds` too when its event names a trade (工种); `prizes` — its prize winners —
  at each winner's unit, the same day;
- a registration is accepted (`Entry.accepted_on`: registered by the worker, the unit, an import, a drawn team
  member, admitted from the waiting list or approved by the organiser): `participants` at the entering unit;
  withdrawn, it is taken off the day it counted on. Entries advanced from an earlier stage are the same workers:
  they count once, where they entered;
- a grade promotion is approved (`decide_promotion`): `promotions` at the worker's unit on the day of the decision;
- a labour competition is created (the competition row both kinds share): `labour_started` at its organiser.

The labour slice's own figure (periods evaluated) is `labour_figures`; the app's one source, registered by the
AppConfig, gives the rows of both.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs import facts
from gongjiang.orgs.models import Org

from .choices import CompetitionKind, EntrySource, PromotionState

if TYPE_CHECKING:
    from .models import Entry, Round

HELD = "competitions.held"
TRADE_ROUNDS = "competitions.trade_rounds"
PARTICIPANTS = "competitions.participants"
PRIZES = "competitions.prizes"
PROMOTIONS = "competitions.promotions"
LABOUR_STARTED = "competitions.labour_started"

METRICS = (
    facts.Metric(HELD, _("Competition rounds held"), _("rounds (unit)"),
                 _("Rounds (one event in one stage at one organising union) whose results became final, counted at "
                   "the organising union on the day they became final."), order=10),
    facts.Metric(TRADE_ROUNDS, _("Rounds held in a trade"), _("rounds (unit)"),
                 _("Rounds held whose event names a trade (工种), counted at the organising union on the day their "
                   "results became final."), order=15),
    facts.Metric(PARTICIPANTS, _("Competition participants"), _("person-times"),
                 _("Registrations accepted (not those advanced from an earlier stage, nor those withdrawn), counted "
                   "at the worker's unit on the day they were accepted."), order=20),
    facts.Metric(PRIZES, _("Competition prize winners"), _("person-times"),
                 _("Contestants awarded a prize in a round whose results became final, counted at the contestant's "
                   "unit on that day."), order=30),
    facts.Metric(PROMOTIONS, _("Grade promotions through competitions"), _("person-times"),
                 _("Skill grade promotions earned by a competition result and approved by the organiser, counted at "
                   "the worker's unit on the day of approval."), order=40),
    facts.Metric(LABOUR_STARTED, _("Labour competitions started"), _("competitions (unit)"),
                 _("Labour competitions created, counted at the organising union on the day they were created."),
                 order=50),
)


def rows() -> Iterator[facts.Row]:
    """(unit id, day, metric, value) from the rows, each metric one GROUP BY."""
    from .models import Competition, Entry, Promotion, Round

    held = Round.objects.filter(finalised_on__isnull=False).values_list("organiser_id", "finalised_on")
    for org_id, day, n in held.order_by().annotate(n=Count("pk")):
        yield org_id, day, HELD, n
    for org_id, day, n in held.filter(event__trade__isnull=False).order_by().annotate(n=Count("pk")):
        yield org_id, day, TRADE_ROUNDS, n
    for unit_id, day, n in (Entry.objects.filter(accepted_on__isnull=False).exclude(source=EntrySource.ADVANCED)
                            .values_list("unit_id", "accepted_on").order_by().annotate(n=Count("pk"))):
        yield unit_id, day, PARTICIPANTS, n
    for unit_id, day, n in (Entry.objects.filter(round__finalised_on__isnull=False).exclude(prize="")
                            .values_list("unit_id", "round__finalised_on").order_by().annotate(n=Count("pk"))):
        yield unit_id, day, PRIZES, n
    for unit_id, day, n in (Promotion.objects.filter(state=PromotionState.APPROVED, decided_at__isnull=False)
                            .annotate(day=TruncDate("decided_at")).values_list("entry__unit_id", "day")
                            .order_by().annotate(n=Count("pk"))):
        yield unit_id, day, PROMOTIONS, n
    for org_id, day, n in (Competition.objects.filter(kind=CompetitionKind.LABOUR)
                           .annotate(day=TruncDate("created_at")).values_list("organiser_id", "day")
                           .order_by().annotate(n=Count("pk"))):
        yield org_id, day, LABOUR_STARTED, n


# ---------------------------------------------------------------------------------------------
# What the verbs add


def _units(ids: Iterable[int]) -> dict[int, Org]:
    return Org.objects.only("pk", "path", "industry_path").in_bulk(set(ids))


def counts_as_participant(entry: Entry) -> bool:
    return entry.accepted_on is not None and entry.source != EntrySource.ADVANCED


def participants(changes: Iterable[tuple[int, datetime.date, int]]) -> None:
    """Add (unit id, day, ±1) differences of `participants` in one statement."""
    totals: Counter[tuple[int, datetime.date]] = Counter()
    for unit_id, day, n in changes:
        totals[(unit_id, day)] += n
    units = _units(u for (u, _d), n in totals.items() if n)
    facts.add_many([(units[u], d, PARTICIPANTS, n) for (u, d), n in totals.items() if n])


def accept(entry: Entry, before: tuple[datetime.date | None, str] | None = None) -> None:
    """An entry's acceptance changed: `before` is its (accepted_on, source) before the verb (None for a new one);
    the entry's current values are what counts now. Sets nothing: the verb sets `accepted_on` and saves."""
    changes = []
    if before is not None and before[0] is not None and before[1] != EntrySource.ADVANCED:
        changes.append((entry.unit_id, before[0], -1))
    if entry.accepted_on is not None and counts_as_participant(entry):
        changes.append((entry.unit_id, entry.accepted_on, 1))
    participants(changes)


def today() -> datetime.date:
    return timezone.localdate()


def round_finalised(rnd: Round) -> None:
    """A round's results became final on `rnd.finalised_on`: held (and in a trade) at its organiser, its prize
    winners at their units."""
    from .models import Entry

    day = rnd.finalised_on
    assert day is not None
    deltas = {HELD: 1, TRADE_ROUNDS: 1 if rnd.event.trade_id else 0}
    facts.add(rnd.organiser, day, deltas)
    winners = Counter(Entry.objects.filter(round=rnd).exclude(prize="").values_list("unit_id", flat=True))
    units = _units(winners)
    facts.add_many([(units[u], day, PRIZES, n) for u, n in winners.items()])
