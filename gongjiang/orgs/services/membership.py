"""Union membership (会籍): joining the grassroots union of one's employer (or rejoining), leaving or being
stopped, and transfers to another union — requested by the origin union, accepted or refused by the
destination, withdrawn by the origin; an accepted transfer moves the membership and the employer together."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import require, verb

from .. import counters
from ..choices import MembershipStatus, TransferState
from ..models import Membership, MembershipTransfer, Org, Person, User


@verb
def join_union(*, actor: User, person: Person, member_since: datetime.date | None = None, card_no: str = "",
               union: Org | None = None) -> Membership:
    """Admit a person to their employer's grassroots union (or re-admit after leaving)."""
    own_union = person.employer.grassroots_union()
    if own_union is None:
        raise DomainError(_("The employer has no grassroots union."), field="union")
    union = union or own_union
    require(person.employer, actor, "change")
    if union.pk != own_union.pk:
        raise DomainError(_("Members join the grassroots union of their employer (%(union)s).") % {
            "union": own_union.name}, field="union")
    if member_since and member_since > timezone.localdate():
        raise DomainError(_("The date of joining cannot be in the future."), field="member_since")
    existing = Membership.objects.select_for_update().filter(person=person).first()
    if existing and existing.status == MembershipStatus.ACTIVE:
        raise DomainError(_("%(name)s is already a member of %(union)s.") % {"name": person.name,
                                                                              "union": existing.union.name})
    if existing:
        before = audit.snapshot(existing, ["union", "status", "member_since", "card_no"])
        existing.union, existing.status = union, MembershipStatus.ACTIVE
        existing.member_since, existing.card_no = member_since or existing.member_since, card_no or existing.card_no
        existing.save()
        membership = existing
    else:
        before = {}
        membership = Membership.objects.create(person=person, union=union, member_since=member_since,
                                               card_no=card_no.strip())
    counters.refresh([union.pk])
    audit.record(actor, "orgs.membership.joined", person, before=before,
                 after=audit.snapshot(membership, ["union", "status", "member_since", "card_no"]), org=union)
    return membership


@verb
def change_membership_status(*, actor: User, person: Person, status: str, reason: str = "") -> Membership:
    """Record 退会 (left) or 停止会籍 (stopped); 转出 happens only through a transfer."""
    membership = Membership.objects.select_for_update().select_related("union").filter(person=person).first()
    if membership is None:
        raise DomainError(_("%(name)s is not a union member.") % {"name": person.name})
    require(membership.union, actor, "change")
    if status not in {MembershipStatus.LEFT, MembershipStatus.SUSPENDED, MembershipStatus.ACTIVE}:
        raise DomainError(_("Use a membership transfer to move a member to another union."), field="status")
    if status == membership.status:
        raise DomainError(_("The membership already has this status."), field="status")
    if MembershipTransfer.objects.filter(person=person, state=TransferState.REQUESTED).exists():
        raise DomainError(_("%(name)s has a transfer awaiting acceptance; withdraw it first.") % {
            "name": person.name}, field="status")
    if not reason.strip():
        raise DomainError(_("Please give the reason."), field="reason")
    before = membership.status
    delta = (1 if status == MembershipStatus.ACTIVE else 0) - (1 if before == MembershipStatus.ACTIVE else 0)
    membership.status = status
    membership.save(update_fields=["status", "updated_at"])
    if delta:
        counters.refresh([membership.union_id])
    audit.record(actor, "orgs.membership.status_changed", person, before={"status": before},
                 after={"status": status}, note=reason, org=membership.union)
    return membership


@verb
def request_transfer(*, actor: User, person: Person, to_employer: Org, reason: str = "") -> MembershipTransfer:
    """The origin union asks the destination to take a member (and the worker) over."""
    person = Person.objects.select_for_update().select_related("employer").get(pk=person.pk)
    membership = Membership.objects.filter(person=person).select_related("union").first()
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        raise DomainError(_("Only members in good standing can be transferred."), field="person")
    require(membership.union, actor, "change")
    to_union = to_employer.grassroots_union()
    if to_union is None or not to_employer.employs_people:
        raise DomainError(_("Choose a grassroots union, department or team as the destination."),
                          field="to_employer")
    if not to_employer.is_active:
        raise DomainError(_("%(org)s is deactivated.") % {"org": to_employer.name}, field="to_employer")
    if to_union.pk == membership.union_id:
        raise DomainError(_("The destination is the member's own union."), field="to_employer")
    if MembershipTransfer.objects.filter(person=person, state=TransferState.REQUESTED).exists():
        raise DomainError(_("%(name)s already has a transfer awaiting acceptance.") % {"name": person.name},
                          field="person")
    transfer = MembershipTransfer.objects.create(person=person, from_union=membership.union, to_union=to_union,
                                                 to_employer=to_employer, reason=reason.strip(),
                                                 requested_by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor, "orgs.transfer.requested", transfer,
                 after={"from": membership.union.name, "to": to_union.name, "reason": reason})
    audit.record(actor, "orgs.transfer.requested", person, after={"from": membership.union.name,
                                                                  "to": to_union.name}, org=membership.union)
    return transfer


def _decide(actor: User, transfer: MembershipTransfer, state: str, note: str) -> MembershipTransfer:
    transfer = MembershipTransfer.objects.select_for_update().select_related(
        "person", "from_union", "to_union", "to_employer").get(pk=transfer.pk)
    if transfer.state != TransferState.REQUESTED:
        raise DomainError(_("This transfer has already been decided (%(state)s).") % {
            "state": transfer.get_state_display()}, code="already_decided")
    if state == TransferState.CANCELLED:
        require(transfer.from_union, actor, "change")
    else:
        require(transfer.to_union, actor, "change")
    if state == TransferState.REFUSED and not note.strip():
        raise DomainError(_("Please give the reason for refusing."), field="decision_note")
    transfer.state, transfer.decision_note = state, note.strip()
    transfer.decided_by, transfer.decided_at = (actor if getattr(actor, "pk", None) else None), timezone.now()
    transfer.save(update_fields=["state", "decision_note", "decided_by", "decided_at"])
    return transfer


@verb
def accept_transfer(*, actor: User, transfer: MembershipTransfer, note: str = "") -> MembershipTransfer:
    """The destination accepts: the membership and the employer move; the history stays."""
    transfer = _decide(actor, transfer, TransferState.ACCEPTED, note)
    person = Person.objects.select_for_update().get(pk=transfer.person_id)
    membership = Membership.objects.select_for_update().get(person=person)
    if not transfer.to_employer.is_active:
        raise DomainError(_("%(org)s is deactivated.") % {"org": transfer.to_employer.name}, field="to_employer")
    if membership.union_id != transfer.from_union_id or membership.status != MembershipStatus.ACTIVE:
        raise DomainError(_("The membership changed after the transfer was requested; the origin union must"
                            " withdraw it."))
    old_employer_id = person.employer_id
    person.employer = transfer.to_employer
    person.save(update_fields=["employer", "updated_at"])
    membership.union = transfer.to_union
    membership.status = MembershipStatus.ACTIVE
    membership.save(update_fields=["union", "status", "updated_at"])
    counters.refresh([old_employer_id, transfer.to_employer_id, transfer.from_union_id, transfer.to_union_id])
    audit.record(actor, "orgs.transfer.accepted", transfer, before={"state": "requested"},
                 after={"state": "accepted"}, note=note)
    audit.record(actor, "orgs.transfer.accepted", person, before={"union": transfer.from_union.name},
                 after={"union": transfer.to_union.name}, org=transfer.to_union)
    return transfer


@verb
def refuse_transfer(*, actor: User, transfer: MembershipTransfer, note: str) -> MembershipTransfer:
    transfer = _decide(actor, transfer, TransferState.REFUSED, note)
    audit.record(actor, "orgs.transfer.refused", transfer, before={"state": "requested"},
                 after={"state": "refused"}, note=note)
    return transfer


@verb
def cancel_transfer(*, actor: User, transfer: MembershipTransfer, note: str = "") -> MembershipTransfer:
    transfer = _decide(actor, transfer, TransferState.CANCELLED, note)
    audit.record(actor, "orgs.transfer.cancelled", transfer, before={"state": "requested"},
                 after={"state": "cancelled"}, note=note)
    return transfer


# ---------------------------------------------------------------------------------------------
# Deciding many transfers at once (the destination's officers working through their list)

MAX_BATCH = 200  # four pages of the list; a batch holds its rows' locks until it commits


@dataclass(frozen=True)
class Undecided:
    """A transfer of a batch that was not decided, and why (in the actor's words: "already decided (accepted)")."""

    transfer_id: int
    name: str  # the worker's name, or "" for a transfer the actor cannot see (never named)
    reason: str
    code: str


@dataclass
class TransferBatch:
    """What `decide_transfers` did: the transfers decided, in id order, and those it could not decide."""

    accept: bool
    decided: list[MembershipTransfer] = field(default_factory=list)
    undecided: list[Undecided] = field(default_factory=list)


@verb
def decide_transfers(*, actor: User, transfers: Iterable[int], accept: bool, note: str = "") -> TransferBatch:
    """Accept, or refuse with ONE reason, several waiting transfers at once.

    **Partial, never half a transfer.** Each transfer is decided exactly as `accept_transfer` / `refuse_transfer`
    decide one — permission checked against its destination, audited on its own — inside a savepoint: a transfer
    that cannot be decided (a colleague decided it a moment ago, the origin withdrew it, the membership changed,
    it is not the actor's to decide, or not in sight at all) is reported with the reason and rolls back alone,
    while the others go through. The transfers are independent (one worker each), so one refusal holding back
    twenty acceptances would only make the officer select them again.

    Refused before anything is done: no transfer chosen, more than MAX_BATCH, a refusal without a reason. The rows
    are locked in id order first, so two officers deciding overlapping batches wait for each other instead of
    deadlocking (each acceptance then locks its counters' chain root first, as every writer does)."""
    ids = sorted({int(pk) for pk in transfers})
    if not ids:
        raise DomainError(_("Choose at least one transfer."), field="transfers")
    if len(ids) > MAX_BATCH:
        raise DomainError(_("Decide at most %(n)d transfers at once.") % {"n": MAX_BATCH}, field="transfers")
    if not accept and not note.strip():
        raise DomainError(_("Please give the reason for refusing."), field="decision_note")
    found = {t.pk: t for t in MembershipTransfer.objects.for_user(actor, "view").filter(pk__in=ids)
             .select_for_update(of=("self",)).select_related("person").order_by("pk")}
    batch = TransferBatch(accept=accept)
    decide = accept_transfer if accept else refuse_transfer
    for pk in ids:
        transfer = found.get(pk)
        if transfer is None:
            batch.undecided.append(Undecided(pk, "", _("No such transfer in your scope."), "not_found"))
            continue
        try:
            with transaction.atomic():  # a savepoint: a refusal undoes this transfer's writes only
                batch.decided.append(decide(actor=actor, transfer=transfer, note=note))
        except DomainError as e:
            batch.undecided.append(Undecided(pk, transfer.person.name, e.message, e.code))
    return batch
