"""Verbs of the review (逐级审核), the public notice of the shortlist (公示) and the conferral (授予).

A submitted nomination waits at the share it counts under (`Nomination.at`: the county's, say). The union of that
level forwards it to the share above (推荐上报) within its own quota and reserves — counted by the `forwarded*`
counters of its share, separate from what was nominated under it —, returns it one step down with the reason (to
the level below, or to the nominating unit, which corrects and submits it again), or does not recommend it (a
reason; final). At the top of the campaign (the organising union) forwarding puts the nomination on the shortlist.
The organiser publishes the shortlist through core's public notice, decides the objections (one upheld takes the
nomination off: not conferred) and, once the notice has ended with every objection decided, confers the honours:
a holder in the roster and a certificate with its verification QR code for each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit, certificates, notices
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import Objection
from gongjiang.core.models.notices import ObjectionOutcome, ObjectionState
from gongjiang.core.services import verb
from gongjiang.orgs.models import User

from .. import counters, figures, notify, publicity
from ..choices import NominationState
from ..models import Allocation, Campaign, Holder, Nomination
from ..queries.reviews import unlinked_upheld
from ..queries.roster import facts_from_nomination
from ..rules import quotas
from .common import _refuse
from .nominations import _chain, _count

REASON_MAX = 1000


def _locked(nomination: Nomination) -> Nomination:
    return (Nomination.objects.select_for_update(of=("self",))
            .select_related("campaign__honour_type", "campaign__org", "unit", "allocation__org", "at__org")
            .get(pk=nomination.pk))


def _require_level(actor: User, nomination: Nomination) -> None:
    """Only a submitted nomination is decided, and only by the union of the level it waits at."""
    if nomination.state != NominationState.SUBMITTED or nomination.at is None:
        raise DomainError(_("This nomination is %(state)s: only a submitted nomination waiting for a decision is "
                            "decided.") % {"state": nomination.get_state_display()}, field="state",
                          code="wrong_state")
    if not nomination.at.can_decide(actor):
        raise PermissionDeniedError(_("This nomination waits for the decision of %(org)s: only its cadres decide "
                                      "at this level.") % {"org": nomination.at.org.name})


def _reason(reason: str, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(missing, field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(_("The reason has at most %(n)s characters.") % {"n": REASON_MAX}, field="reason")
    return reason


def _forward_counters(allocations: Sequence[Allocation], kinds: frozenset[str], sign: int) -> None:
    """Add (or take back) one forwarded nomination of `kinds` to these shares' counters (one UPDATE)."""
    if allocations:
        Allocation.objects.filter(pk__in=[a.pk for a in allocations]).update(
            forwarded=F("forwarded") + sign, **{f"forwarded_{k}": F(f"forwarded_{k}") + sign for k in kinds})


def _shortlist_published(campaign: Campaign) -> bool:
    return notices.notice_of(publicity.SHORTLIST_NOTICE, campaign) is not None


def _forward(actor: User, nomination: Nomination) -> Nomination:
    """Forward one locked nomination (checked at its level); a refusal raises before anything is written."""
    _require_level(actor, nomination)
    chain = _chain(nomination.allocation)  # locked, the campaign's total first: one query
    at = next(a for a in chain if a.pk == nomination.at_id)
    kinds = frozenset(nomination.kinds)
    top = at.parent_id is None
    if top and _shortlist_published(nomination.campaign):
        raise DomainError(_("The shortlist is on public notice already: nothing more can be shortlisted."),
                          field="state", code="published")
    cap = quotas.leader_cap(chain[0].quota, nomination.campaign.honour_type.leader_share) if top else None
    _refuse(quotas.forward_problems(at.share, at.forwarded_used, kinds, cap=cap, org=at.org.name), code="quota")
    _forward_counters([at], kinds, +1)
    if top:
        Allocation.objects.filter(pk__in=[a.pk for a in chain]).update(shortlisted=F("shortlisted") + 1)
        nomination.state, nomination.at, nomination.reason = NominationState.SHORTLISTED, None, ""
        nomination.save(update_fields=["state", "at", "reason"])
        audit.record(actor, "honours.nomination.shortlisted", nomination, org=at.org,
                     before={"state": NominationState.SUBMITTED}, after={"state": NominationState.SHORTLISTED})
        notify.step(nomination, "shortlisted", by=at.org.name)
        return nomination
    parent = next(a for a in chain if a.pk == at.parent_id)
    nomination.at, nomination.reason = parent, ""
    nomination.save(update_fields=["at", "reason"])
    audit.record(actor, "honours.nomination.forwarded", nomination, org=at.org,
                 before={"deciding_union": at.org.name}, after={"deciding_union": parent.org.name})
    notify.step(nomination, "forwarded", by=at.org.name, to=parent.org.name)
    return nomination


@verb
def forward_nomination(*, actor: User, nomination: Nomination) -> Nomination:
    """推荐上报: the union of the level the nomination waits at passes it to the share above, within its own quota
    and the places its reserves keep (refused naming the reserve and the numbers); at the top of the campaign the
    nomination is shortlisted (拟表彰)."""
    return _forward(actor, _locked(nomination))


@verb
def forward_nominations(*, actor: User, nominations: Sequence[Nomination]) -> list[Nomination]:
    """Forward several nominations at once, all or nothing: when any is refused, none is forwarded and every
    refused one is named with its reason."""
    if not nominations:
        raise DomainError(_("Choose the nominations to forward."), field="nominations")
    done, refused = [], []
    for n in sorted(nominations, key=lambda n: n.pk):
        locked = _locked(n)
        try:
            done.append(_forward(actor, locked))
        except PermissionDeniedError:
            raise  # another level's nomination: a 403, not a reason among others
        except DomainError as e:  # raised before that nomination wrote anything
            refused.append(f"{locked.name}：{e.message}")
    if refused:
        raise DomainError(_("Nothing was forwarded. %(n)s of the nominations chosen cannot be: %(list)s") % {
            "n": len(refused), "list": "；".join(refused)}, field="nominations", code="refused")
    return done


@verb
def return_nomination(*, actor: User, nomination: Nomination, reason: str) -> Nomination:
    """退回: the union of the level sends the nomination one step down with the reason — to the level below, which
    decides again (its forwarded place is freed), or, from the lowest level, to the nominating unit, which corrects
    it and submits it again (its places in the quotas are freed)."""
    nomination = _locked(nomination)
    _require_level(actor, nomination)
    reason = _reason(reason, _("Give the reason for returning the nomination."))
    assert nomination.at is not None
    at = nomination.at
    chain = _chain(nomination.allocation)
    below = quotas.step_below([a.pk for a in chain], at.pk)
    kinds = frozenset(nomination.kinds)
    if below is None:
        _count(chain, kinds, -1)
        nomination.state, nomination.at, nomination.kinds = NominationState.RETURNED, None, []
        to = nomination.unit.name
    else:
        lower = next(a for a in chain if a.pk == below)
        _forward_counters([lower], kinds, -1)
        nomination.at = lower
        to = lower.org.name
    nomination.reason = reason
    nomination.save(update_fields=["state", "at", "kinds", "reason"])
    audit.record(actor, "honours.nomination.returned", nomination, org=at.org,
                 before={"deciding_union": at.org.name},
                 after={"deciding_union": to, "state": nomination.state}, note=reason)
    notify.step(nomination, "returned", by=at.org.name, to=to, reason=reason)
    return nomination


@verb
def reject_nomination(*, actor: User, nomination: Nomination, reason: str) -> Nomination:
    """不予推荐: the union of the level does not recommend the nomination, with the reason; final. The places it
    held are freed: what it was nominated under on every level, what the levels below forwarded."""
    nomination = _locked(nomination)
    _require_level(actor, nomination)
    reason = _reason(reason, _("Give the reason for not recommending the nomination."))
    assert nomination.at is not None
    at = nomination.at
    chain = _chain(nomination.allocation)
    kinds = frozenset(nomination.kinds)
    _count(chain, kinds, -1)
    _forward_counters(chain[[a.pk for a in chain].index(at.pk) + 1:], kinds, -1)
    nomination.state, nomination.at, nomination.reason = NominationState.REJECTED, None, reason
    nomination.save(update_fields=["state", "at", "reason"])
    audit.record(actor, "honours.nomination.rejected", nomination, org=at.org,
                 before={"state": NominationState.SUBMITTED}, after={"state": NominationState.REJECTED},
                 note=reason)
    notify.step(nomination, "rejected", by=at.org.name, reason=reason)
    return nomination


# ---------------------------------------------------------------------------------------------
# The public notice of the shortlist, its objections and the conferral


def _locked_campaign(campaign: Campaign) -> Campaign:
    return (Campaign.objects.select_for_update(of=("self",)).select_related("org", "honour_type")
            .get(pk=campaign.pk))


def _require_organiser(actor: User, campaign: Campaign) -> None:
    if not campaign.can_change(actor):
        raise PermissionDeniedError(_("Only %(org)s, which organises the campaign, does this.") % {
            "org": campaign.org.name})


@verb
def publish_shortlist(*, actor: User, campaign: Campaign, working_days: int = 5) -> Any:
    """公示: the organiser puts the shortlist (names, units, the honour, a few words of the deeds) on public
    notice for a number of working days; anyone may object on its public page meanwhile. Returns the notice."""
    campaign = _locked_campaign(campaign)
    _require_organiser(actor, campaign)
    if not Nomination.objects.filter(campaign=campaign, state=NominationState.SHORTLISTED).exists():
        raise DomainError(_("Nothing is shortlisted yet: forward the nominations at your level first."),
                          field="campaign", code="empty")
    if _shortlist_published(campaign):
        raise DomainError(_("The shortlist is on public notice already."), field="campaign", code="published")
    notice = notices.publish(actor=actor, kind=publicity.SHORTLIST_NOTICE, owner=campaign,
                             org_path=campaign.org.path, publisher_name=campaign.org.name,
                             title=publicity.notice_title(campaign), working_days=working_days)
    audit.record(actor, "honours.campaign.published", campaign, after={
        "working_days": working_days, "until": notice.ends_on})
    return notice


@verb
def decide_shortlist_objection(*, actor: User, campaign: Campaign, objection: Objection, outcome: str, reply: str,
                               nomination: Nomination | None = None) -> Objection:
    """The organiser records the outcome of an objection to the shortlist, with the reply to the objector (core's
    notice verbs). Upheld, it names the shortlisted nomination it concerns, which is then not conferred, with the
    reply as the reason."""
    campaign = _locked_campaign(campaign)
    _require_organiser(actor, campaign)
    notice = notices.notice_of(publicity.SHORTLIST_NOTICE, campaign)
    if notice is None or objection.notice_id != notice.pk:
        raise DomainError(_("This objection is not about the campaign's shortlist."), field="objection")
    if campaign.conferred_at is not None:
        raise DomainError(_("The honours of this campaign are conferred already."), field="campaign",
                          code="conferred")
    already = objection.state == ObjectionState.DECIDED and objection.outcome == ObjectionOutcome.UPHELD
    if already and outcome != ObjectionOutcome.UPHELD:
        raise DomainError(_("This objection has already been decided."), field="outcome")
    target = None
    if outcome == ObjectionOutcome.UPHELD:
        if nomination is None:
            raise DomainError(_("Choose the nomination the upheld objection concerns."), field="nomination")
        target = _locked(nomination)
        if target.campaign_id != campaign.pk or target.state != NominationState.SHORTLISTED:
            raise DomainError(_("%(name)s is not on the shortlist of this campaign.") % {"name": target.name},
                              field="nomination")
    if already:  # upheld on the objection's own page: only the nomination it concerns is still to take off
        decided = objection
    else:
        decided = notices.decide_objection(actor=actor, objection=objection, outcome=outcome, reply=reply)
    if target is not None:
        Allocation.objects.filter(pk__in=[a.pk for a in _chain(target.allocation)]).update(
            shortlisted=F("shortlisted") - 1)
        target.state, target.reason = NominationState.NOT_CONFERRED, decided.reply
        target.save(update_fields=["state", "reason"])
        audit.record(actor, "honours.nomination.not_conferred", target, org=campaign.org,
                     before={"state": NominationState.SHORTLISTED}, after={"state": NominationState.NOT_CONFERRED},
                     note=decided.reply)
        notify.step(target, "not_conferred", reason=decided.reply)
    return decided


@verb
def confer_honours(*, actor: User, campaign: Campaign) -> list[Nomination]:
    """授予: once the public notice has ended and every objection is decided, every shortlisted nomination of the
    campaign is conferred: a holder in the roster (the honour, the year, the person or unit, the nominating union)
    and a certificate whose QR code opens its public verification page; the nominating unions hear of it."""
    campaign = _locked_campaign(campaign)
    _require_organiser(actor, campaign)
    if campaign.conferred_at is not None:
        raise DomainError(_("The honours of this campaign are conferred already."), field="campaign",
                          code="conferred")
    notice = notices.notice_of(publicity.SHORTLIST_NOTICE, campaign)
    if notice is None:
        raise DomainError(_("Put the shortlist on public notice first: honours are conferred after it."),
                          field="notice", code="no_notice")
    notices.close_if_due(notice)
    if notice.closed_at is None:
        raise DomainError(_("The public notice runs until %(date)s: honours are conferred after it ends.") % {
            "date": notice.ends_on.isoformat()}, field="notice", code="notice_running")
    pending = notices.open_objections(notice)
    if pending:
        raise DomainError(_("%(n)s objections to the notice are not decided yet: decide every objection first.") % {
            "n": pending}, field="notice", code="open_objections")
    if unlinked_upheld(campaign, notice):
        raise DomainError(_("An objection was upheld without naming the nomination it concerns: name it on the "
                            "shortlist page first."), field="notice", code="open_objections")
    winners = list(Nomination.objects.select_for_update(of=("self",)).filter(
        campaign=campaign, state=NominationState.SHORTLISTED).select_related(
        "unit", "campaign", "person__employer", "nominee_org").order_by(
        "unit__path", "id"))
    if not winners:
        raise DomainError(_("Nothing is shortlisted: there is no honour to confer."), field="campaign",
                          code="empty")
    # the roster's facts of each (the unit: the person's employer or the collective; front-line, gender, year of
    # birth, city and industry union), then the counters of holders up both trees (counters.add_holder)
    today = timezone.localdate()
    holders = [Holder(honour_type=campaign.honour_type, year=campaign.year, person_id=n.person_id,
                      org_id=n.nominee_org_id, name=n.name, conferred_on=today, **facts_from_nomination(n))
               for n in winners]
    Holder.objects.bulk_create(holders)
    for holder in holders:
        counters.add_holder(holder)
    figures.holders_conferred(holders)
    Nomination.objects.filter(pk__in=[n.pk for n in winners]).update(state=NominationState.CONFERRED)
    for n in winners:
        n.state = NominationState.CONFERRED
    certificates.issue(actor=actor, kind=publicity.HONOUR_CERTIFICATE, issuer_path=campaign.org.path,
                       issuer_name=campaign.org.name, year=campaign.year,
                       statements=publicity.statements(campaign, winners))
    audit.record_bulk(actor, "honours.nomination.conferred", winners, org_path=campaign.org.path)
    campaign.conferred_at = timezone.now()
    campaign.save(update_fields=["conferred_at"])
    audit.record(actor, "honours.campaign.conferred", campaign, after={"conferred": len(winners)})
    notify.conferred(winners, campaign.honour_type.name)
    return winners
