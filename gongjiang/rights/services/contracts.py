"""Collective contracts (drafted, signed, filed with the labour authority, terminated; renewed by a new contract
naming the old) and the 要约 campaigns (offers sent, answered, negotiated, signed or refused)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import audit, notifications
from gongjiang.core.services import verb
from gongjiang.orgs import facts
from gongjiang.orgs.models import Org, User

from .. import figures
from ..choices import WOMEN_ITEMS, ContractKind, ContractState, OfferState
from ..models import BargainingCampaign, Contract, Coverage, Offer
from ..rules import contracts as rules
from .common import _enterprises_below as enterprises_below
from .common import _not_future as not_future
from .common import _refuse as refuse
from .common import _refuse_all as refuse_all
from .common import _require_change as require_change
from .common import _text as text


def _union_accounts(*orgs: Org) -> list[int]:
    """The active accounts with a staff or admin role on these unions themselves."""
    return list(User.objects.filter(is_active=True, grants__org__in=orgs, grants__role__in=("admin", "staff"))
                .values_list("pk", flat=True).distinct())


def _check_overlap(kind: str, starts_on: datetime.date, last_day: datetime.date, enterprise_ids: Sequence[int],
                   exclude: int | None) -> None:
    rows = (Coverage.objects.filter(enterprise_id__in=enterprise_ids, contract__kind=kind)
            .exclude(contract__state=ContractState.TERMINATED)
            .values_list("contract_id", "contract__title", "contract__starts_on", "contract__ends_on",
                         "contract__terminated_on", "enterprise__name"))
    new = rules.Term(exclude, starts_on, last_day)
    for cid, title, start, end, stop, ent in rows:
        if rules.overlapping(new, [rules.Term(cid, start, min(end, stop) if stop else end)]):
            refuse("starts_on", _("%(org)s already has a contract of this kind, %(title)s, from %(start)s to "
                                  "%(end)s: the terms overlap.") % {"org": ent, "title": title, "start": start,
                                                                    "end": end})


@verb
def draft_contract(*, actor: User, org: Org, kind: str, title: str, employer_party: str, starts_on: datetime.date,
                   ends_on: datetime.date, coverage: Sequence[tuple[Org, int]], min_wage: Decimal | None = None,
                   wage_increase: Decimal | None = None, weekly_hours: Decimal | None = None,
                   women_items: Sequence[str] = (), renews: Contract | None = None) -> Contract:
    """Record a contract as drafted: the union party (`org`), the enterprises covered with their workers (the
    enterprise itself for its own contract), the term and the key clauses. Refused when the term ends before it
    starts, runs beyond three years, or overlaps another contract of the same kind for one of the enterprises."""
    require_change(actor, org)
    errors: dict[str, str] = {}
    if kind not in ContractKind.values:
        errors["kind"] = _("Choose the kind of contract.")
    problem = rules.term_problem(starts_on, ends_on)
    if problem == "before":
        errors["ends_on"] = _("The contract ends (%(end)s) before it starts (%(start)s).") % {
            "end": ends_on, "start": starts_on}
    elif problem == "long":
        errors["ends_on"] = _("A collective contract runs for at most three years.")
    if not coverage:
        errors["coverage"] = _("List the enterprises the contract covers.")
    elif any(w <= 0 for _e, w in coverage):
        errors["coverage"] = _("Give the number of workers covered in each enterprise.")
    elif len({e.pk for e, _w in coverage}) != len(coverage):
        errors["coverage"] = _("An enterprise is listed twice.")
    if min_wage is not None and min_wage <= 0:
        errors["min_wage"] = _("The minimum wage must be more than zero.")
    if wage_increase is not None and not Decimal(-50) <= wage_increase <= Decimal(100):
        errors["wage_increase"] = _("The wage increase is a percentage between -50 and 100.")
    if weekly_hours is not None and not Decimal(1) <= weekly_hours <= Decimal(60):
        errors["weekly_hours"] = _("Weekly working hours lie between 1 and 60.")
    unknown = [i for i in women_items if i not in WOMEN_ITEMS]
    if unknown:
        errors["women_items"] = _("Unknown women's protection items: %(items)s.") % {"items": "、".join(unknown)}
    if renews is not None and (renews.kind != kind or not renews.in_force):
        errors["renews"] = _("A renewal follows a signed contract of the same kind.")
    elif renews is not None and hasattr(renews, "renewal"):
        errors["renews"] = _("This contract has been renewed already.")
    refuse_all(errors)
    title = text(title, "title", _("The title"), 120)
    employer_party = text(employer_party, "employer_party", _("The employer party"), 120)
    enterprises_below(org, [e for e, _w in coverage], "coverage")
    _check_overlap(kind, starts_on, ends_on, [e.pk for e, _w in coverage], None)
    contract = Contract.objects.create(
        org=org, kind=kind, title=title, employer_party=employer_party, starts_on=starts_on, ends_on=ends_on,
        covered_workers=sum(w for _e, w in coverage), min_wage=min_wage, wage_increase=wage_increase,
        weekly_hours=weekly_hours, women_items=list(women_items), renews=renews, created_by=actor)
    Coverage.objects.bulk_create([Coverage(contract=contract, enterprise=e, workers=w) for e, w in coverage])
    audit.record(actor, "rights.contract.drafted", contract, after={
        "kind": kind, "starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(),
        "covered_workers": contract.covered_workers, "renews": renews.pk if renews else None})
    return contract


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().select_related("org").get(pk=contract.pk)


def _covered_ids(contract: Contract) -> list[int]:
    return list(contract.coverage.values_list("enterprise_id", flat=True))


@verb
def sign_contract(*, actor: User, contract: Contract, signed_on: datetime.date) -> Contract:
    """The parties signed: from now on the contract counts for the enterprises it covers, in every year of its
    term."""
    contract = _locked(contract)
    require_change(actor, contract.org)
    if contract.state != ContractState.DRAFT:
        refuse("state", _("Only a draft is signed."))
    not_future(signed_on, "signed_on", _("The date signed"))
    if signed_on > contract.ends_on:
        refuse("signed_on", _("A contract is signed before its term ends."))
    with figures.tracking(_covered_ids(contract)):
        contract.state, contract.signed_on = ContractState.SIGNED, signed_on
        contract.save(update_fields=["state", "signed_on"])
    audit.record(actor, "rights.contract.signed", contract, before={"state": ContractState.DRAFT},
                 after={"state": contract.state, "signed_on": signed_on.isoformat()})
    return contract


@verb
def file_contract(*, actor: User, contract: Contract, filed_on: datetime.date, filed_with: str) -> Contract:
    """Sent to the labour authority for review and filing (报送审查备案)."""
    contract = _locked(contract)
    require_change(actor, contract.org)
    if contract.state != ContractState.SIGNED:
        refuse("state", _("Only a signed contract is filed."))
    filed_with = text(filed_with, "filed_with", _("The labour authority"), 60)
    not_future(filed_on, "filed_on", _("The date filed"))
    if contract.signed_on and filed_on < contract.signed_on:
        refuse("filed_on", _("A contract is filed after it is signed."))
    contract.state, contract.filed_on, contract.filed_with = ContractState.FILED, filed_on, filed_with
    contract.save(update_fields=["state", "filed_on", "filed_with"])
    audit.record(actor, "rights.contract.filed", contract, before={"state": ContractState.SIGNED},
                 after={"state": contract.state, "filed_on": filed_on.isoformat(), "filed_with": filed_with})
    return contract


@verb
def terminate_contract(*, actor: User, contract: Contract, terminated_on: datetime.date, reason: str) -> Contract:
    """Ended before its term (the enterprise closed, the parties agreed): it counts up to that day."""
    contract = _locked(contract)
    require_change(actor, contract.org)
    if not contract.in_force:
        refuse("state", _("Only a contract in force is terminated."))
    reason = text(reason, "reason", _("The reason"), 200)
    if not contract.starts_on <= terminated_on <= contract.ends_on:
        refuse("terminated_on", _("The day of termination must lie within the term."))
    before = {"state": contract.state}
    with figures.tracking(_covered_ids(contract)):
        contract.terminated_on = terminated_on
        contract.save(update_fields=["terminated_on"])
    audit.record(actor, "rights.contract.terminated", contract, before=before,
                 after={"terminated_on": terminated_on.isoformat()}, note=reason)
    return contract


@verb
def open_bargaining_campaign(*, actor: User, org: Org, year: int, title: str,
                             kind: str = ContractKind.WAGES) -> BargainingCampaign:
    """Open a union's 要约 campaign of a year."""
    require_change(actor, org)
    if kind not in ContractKind.values:
        refuse("kind", _("Choose the kind of contract."))
    if not 2000 <= year <= datetime.date.today().year + 1:
        refuse("year", _("The year must be between 2000 and next year."))
    title = text(title, "title", _("The title"), 120)
    if BargainingCampaign.objects.filter(org=org, year=year, kind=kind).exists():
        refuse("year", _("This union already runs a campaign of this kind for %(year)d.") % {"year": year})
    campaign = BargainingCampaign.objects.create(org=org, year=year, title=title, kind=kind)
    audit.record(actor, "rights.campaign.opened", campaign, after={"year": year, "title": title, "kind": kind})
    return campaign


@verb
def send_offers(*, actor: User, campaign: BargainingCampaign, enterprises: Sequence[Org],
                sent_on: datetime.date) -> list[Offer]:
    """Record the offers (要约书) sent to the employers of these enterprises; their unions are told."""
    require_change(actor, campaign.org)
    if not enterprises:
        refuse("enterprises", _("Choose the enterprises."))
    not_future(sent_on, "sent_on", _("The date sent"))
    enterprises_below(campaign.org, enterprises)
    already = set(campaign.offers.filter(enterprise__in=enterprises).values_list("enterprise__name", flat=True))
    if already:
        refuse("enterprises", _("Offers already sent to: %(names)s.") % {"names": "、".join(sorted(already))})
    offers = Offer.objects.bulk_create([Offer(campaign=campaign, enterprise=e, sent_on=sent_on) for e in enterprises])
    facts.add_many([(e, sent_on, figures.offer_metric(OfferState.SENT), 1) for e in enterprises])
    audit.record(actor, "rights.offers.sent", campaign, after={"enterprises": [e.name for e in enterprises]})
    notifications.notify(_union_accounts(*enterprises), "rights.offer.sent", campaign,
                         title=gettext_lazy("Wage bargaining offer sent: %(title)s"),
                         body=gettext_lazy("An offer to bargain was sent to your employer on %(day)s in %(title)s. "
                                           "Record the answer and the negotiation here."),
                         params={"title": campaign.title, "day": sent_on.isoformat()},
                         url=reverse("rights:campaign_detail", args=[campaign.pk]))
    return offers


NEXT = {OfferState.SENT: {OfferState.ANSWERED, OfferState.REFUSED},
        OfferState.ANSWERED: {OfferState.NEGOTIATING, OfferState.REFUSED},
        OfferState.NEGOTIATING: {OfferState.SIGNED, OfferState.REFUSED}}
DAY_FIELD = {OfferState.ANSWERED: "answered_on", OfferState.NEGOTIATING: "negotiated_on",
             OfferState.SIGNED: "signed_on", OfferState.REFUSED: "refused_on"}


@verb
def advance_offer(*, actor: User, offer: Offer, step: str, on: datetime.date, contract: Contract | None = None,
                  note: str = "") -> Offer:
    """Move an offer one step on (sent → answered → negotiating → signed; refused from any of them), on a day not
    before the last step; a signed offer may name the contract it produced."""
    offer = Offer.objects.select_for_update().select_related("campaign__org", "enterprise").get(pk=offer.pk)
    require_change(actor, offer.enterprise)
    if step not in NEXT.get(OfferState(offer.state), set()):
        refuse("step", _("An offer that is %(state)s cannot move to %(step)s.") % {
            "state": OfferState(offer.state).label, "step": OfferState(step).label if step in OfferState.values
            else step})
    not_future(on, "on", _("The date"))
    last = max(d for d in (offer.sent_on, offer.answered_on, offer.negotiated_on) if d)
    if on < last:
        refuse("on", _("This step cannot come before the last one (%(day)s).") % {"day": last})
    if contract is not None and not contract.coverage.filter(enterprise=offer.enterprise).exists():
        refuse("contract", _("The contract does not cover %(org)s.") % {"org": offer.enterprise.display_name})
    note = text(note, "note", _("The note"), 200, required=False)
    before = {"state": offer.state}
    offer.state = step
    setattr(offer, DAY_FIELD[OfferState(step)], on)
    offer.contract, offer.note = contract or offer.contract, note or offer.note
    offer.save(update_fields=["state", DAY_FIELD[OfferState(step)], "contract", "note"])
    if step in figures.OFFER_STEPS:
        facts.add(offer.enterprise, on, {figures.offer_metric(step): 1})
    audit.record(actor, "rights.offer.advanced", offer, before=before, after={"state": step, "on": on.isoformat()})
    return offer
