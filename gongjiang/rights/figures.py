"""The rights app's figures in the fact store (orgs/facts.py).

Yearly states (counted at the enterprise, on 1 January of each year, 0 or 1 per enterprise and year):
- `rights.congress`: a congress term (its own, or a regional/industry congress listing it) touches the year;
- `rights.openness`: at least one 厂务公开 item was published in the year;
- `rights.contract_<kind>`: a signed contract of the kind covering it is in force on some day of the year;
- `rights.covered`: the workers covered there by the contracts in force in the year (the largest figure of any
  contract covering it, so two kinds never count the same workers twice).
Flows (counted on their day): `rights.sessions` at the congress's union; `rights.offers_sent|answered|negotiated|
signed` at the enterprise on the day of each step of a 要约.

The verbs keep the yearly states right by computing them for the enterprises they touch before and after their
change (`tracking`) and adding the difference; the source computes them for every enterprise the same way
(`states`), so the store and the rows cannot disagree."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from gongjiang.orgs import facts
from gongjiang.orgs.models import Org

from . import protection_figures
from .choices import ContractKind, ContractState, OfferState
from .rules import congress as congress_rules
from .rules import contracts as contract_rules

CONGRESS = "rights.congress"
OPENNESS = "rights.openness"
COVERED = "rights.covered"
SESSIONS = "rights.sessions"
OFFER_STEPS = {OfferState.SENT: "sent_on", OfferState.ANSWERED: "answered_on",
               OfferState.NEGOTIATING: "negotiated_on", OfferState.SIGNED: "signed_on"}


def contract_metric(kind: str) -> str:
    return f"rights.contract_{kind}"


def offer_metric(step: str) -> str:
    return f"rights.offers_{step}"


CONTRACT_METRICS = {k.value: contract_metric(k.value) for k in ContractKind}
STATE_KEYS = (CONGRESS, OPENNESS, *CONTRACT_METRICS.values(), COVERED)


def _metrics() -> list[facts.Metric]:
    out = [
        facts.Metric(CONGRESS, _("Enterprises with a workers' congress"), _("enterprises (unit)"),
                     _("Enterprises whose workers' congress (or general assembly, or a regional or industry congress "
                       "covering them) has a term touching the year, counted once per enterprise on 1 January."),
                     order=10, yearly=True),
        facts.Metric(OPENNESS, _("Enterprises making their affairs public"), _("enterprises (unit)"),
                     _("Enterprises that published at least one item of enterprise affairs to their workers in the "
                       "year, counted once per enterprise on 1 January."), order=11, yearly=True),
        facts.Metric(COVERED, _("Workers covered by collective contracts"), _("people"),
                     _("Workers covered by the signed collective contracts in force in the year, each enterprise's "
                       "largest figure, counted on 1 January."), order=20, yearly=True),
        facts.Metric(SESSIONS, _("Workers' congress sessions held"), _("sessions (unit)"),
                     _("Sessions of workers' congresses, counted at the congress's union on the day held."),
                     order=30),
    ]
    for i, kind in enumerate(ContractKind):
        out.append(facts.Metric(
            contract_metric(kind.value), kind.label, _("enterprises (unit)"),
            _("Enterprises covered by a signed contract of this kind in force on some day of the year, counted "
              "once per enterprise on 1 January."), order=12 + i, yearly=True))
    steps = {OfferState.SENT: _("Bargaining offers sent"), OfferState.ANSWERED: _("Bargaining offers answered"),
             OfferState.NEGOTIATING: _("Bargaining offers negotiated"),
             OfferState.SIGNED: _("Bargaining offers signed")}
    for i, (step, label) in enumerate(steps.items()):
        out.append(facts.Metric(offer_metric(step.value), label, _("offers (unit)"),
                                _("Offers of the wage bargaining campaigns reaching this step, counted at the "
                                  "enterprise on the day of the step."), order=40 + i))
    return out + protection_figures.metrics()


def year_day(year: int) -> datetime.date:
    return datetime.date(year, 1, 1)


def states(enterprise_ids: Iterable[int] | None = None) -> dict[int, dict[tuple[int, str], int]]:
    """{enterprise id: {(year, metric): value}} of the yearly states, from the rows (three queries); for the
    enterprises given, or every enterprise with a record (None)."""
    from .models import Congress, Coverage, OpennessItem

    ids = None if enterprise_ids is None else list(enterprise_ids)
    out: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    if ids is not None and not ids:
        return out
    through = Congress.enterprises.through.objects.all()
    if ids is not None:
        through = through.filter(org_id__in=ids)
    for ent, start, end in through.values_list("org_id", "congress__established_on", "congress__ends_on"):
        for y in congress_rules.years_touched(start, end):
            out[ent][(y, CONGRESS)] = 1
    items = OpennessItem.objects.all() if ids is None else OpennessItem.objects.filter(enterprise_id__in=ids)
    for ent, day in items.values_list("enterprise_id", "published_on").distinct():
        out[ent][(day.year, OPENNESS)] = 1
    cover = Coverage.objects.filter(contract__state__in=(ContractState.SIGNED, ContractState.FILED))
    if ids is not None:
        cover = cover.filter(enterprise_id__in=ids)
    for ent, kind, start, end, stop, workers in cover.values_list(
            "enterprise_id", "contract__kind", "contract__starts_on", "contract__ends_on", "contract__terminated_on",
            "workers"):
        last = min(end, stop) if stop else end
        for y in contract_rules.years_in_force(start, last):
            out[ent][(y, CONTRACT_METRICS[kind])] = 1
            out[ent][(y, COVERED)] = max(out[ent].get((y, COVERED), 0), workers)
    return out


def _state_rows() -> Iterator[facts.Row]:
    for ent, figures in states().items():
        for (year, key), value in figures.items():
            yield ent, year_day(year), key, value


def rows() -> Iterator[facts.Row]:
    from . import case_figures
    from .models import Offer, Session

    yield from _state_rows()
    for org_id, day, n in (Session.objects.values_list("congress__org_id", "held_on").order_by()
                           .annotate(n=Count("pk"))):
        yield org_id, day, SESSIONS, n
    for step, field in OFFER_STEPS.items():
        for ent, day, n in (Offer.objects.filter(**{f"{field}__isnull": False})
                            .values_list("enterprise_id", field).order_by().annotate(n=Count("pk"))):
            yield ent, day, offer_metric(step), n
    yield from case_figures.rows()
    yield from protection_figures.rows()


def register() -> None:
    """From the AppConfig: the metrics and the one source of the app."""
    from . import case_figures

    metrics = _metrics() + case_figures.metrics()
    facts.register_metric(*metrics)
    facts.register_source(facts.Source("rights", tuple(m.key for m in metrics), rows))


@contextmanager
def tracking(enterprise_ids: Iterable[int]) -> Iterator[None]:
    """Around a verb's change: the yearly states of these enterprises before and after, the difference added to the
    store (at each enterprise's whole reach)."""
    ids = sorted(set(enterprise_ids))
    before = states(ids)
    yield
    after = states(ids)
    units = {o.pk: o for o in Org.objects.filter(pk__in=ids).only("pk", "path", "industry_path")}
    entries: list[tuple[Any, datetime.date, str, int]] = []
    for ent in ids:
        old, new = before.get(ent, {}), after.get(ent, {})
        for year, key in set(old) | set(new):
            delta = new.get((year, key), 0) - old.get((year, key), 0)
            if delta:
                entries.append((units[ent], year_day(year), key, delta))
    facts.add_many(entries)
