"""The verbs of public notices: publish, close (the event the owner reacts to), and the life of an objection —
filed by anyone during the period (real name and contact, kept confidential, rate-limited per network), noted
while investigated, decided by the notice's owners with a reply. Each writes an audit event."""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, crypto, workdays
from ..errors import DomainError, PermissionDeniedError
from ..models.notices import Objection, ObjectionNote, ObjectionOutcome, ObjectionState, PublicNotice
from ..scoping import scope_for
from ..types import account_id
from .registry import kind_of

if TYPE_CHECKING:
    from ..types import Account, Actor

# The rate limit of objections from one network (core.clients.client_key) in RATE_WINDOW: on one notice, and on
# every notice together. Well above what a person with a real objection sends; a flood stops at once.
RATE_WINDOW = datetime.timedelta(hours=24)
PER_NOTICE = 3
PER_CLIENT = 10

NAME_MAX, SUBJECT_MAX, REASON_MAX, NOTE_MAX, REPLY_MAX = 30, 100, 2000, 2000, 2000

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")

def can_manage(user: Actor | None, notice: PublicNotice) -> bool:
    """The notice's owners: whoever may change things at the publishing union (or above it), and whoever the kind
    also names (a competition's organiser for a round it does not run itself). They read the objectors' names and
    contacts and decide objections."""
    if user is None or not user.is_authenticated:
        return False
    if scope_for(user, "change").covers_regionally(notice.org_path):
        return True
    extra = kind_of(notice.kind).can_manage
    return bool(extra and extra(user, notice))



# ---------------------------------------------------------------------------------------------
# Publishing and closing


@transaction.atomic
def publish(*, actor: Actor | None, kind: str, owner: models.Model, org_path: str, publisher_name: str, title: str,
            starts_on: datetime.date | None = None, ends_on: datetime.date | None = None,
            working_days: int | None = None) -> PublicNotice:
    """Put a decision on public notice from `starts_on` (today by default) to `ends_on`, or for `working_days`
    working days of the Chinese calendar (the end computed; marked estimated beyond the calendar's data). The
    owning app checks its own permission first; core checks the period."""
    from django.contrib.contenttypes.models import ContentType

    today = timezone.localdate()
    starts_on = starts_on or today
    if (ends_on is None) == (working_days is None):
        raise DomainError(_("Give either the last day of the notice or its number of working days."),
                          field="ends_on")
    estimated = False
    if working_days is not None:
        if not 1 <= working_days <= workdays.MAX_WORKING_DAYS:
            raise DomainError(_("A notice runs for 1 to %(max)s working days.") % {"max": workdays.MAX_WORKING_DAYS},
                              field="working_days")
        period = workdays.working_period(starts_on, working_days)
        ends_on, estimated = period.ends_on, period.estimated
    assert ends_on is not None
    if ends_on < today:
        raise DomainError(_("The public notice cannot end in the past."), field="ends_on")
    if ends_on < starts_on:
        raise DomainError(_("The public notice cannot end before it starts."), field="ends_on")
    owner_type = ContentType.objects.get_for_model(type(owner))
    if PublicNotice.objects.filter(kind=kind, owner_type=owner_type, owner_id=owner.pk).exists():
        raise DomainError(_("This has already been put on public notice."), code="duplicate")
    notice = PublicNotice.objects.create(
        kind=kind, owner_type=owner_type, owner_id=owner.pk, org_path=org_path, publisher_name=publisher_name[:120],
        title=title[:200], starts_on=starts_on, ends_on=ends_on, working_days=working_days,
        period_estimated=estimated, published_by_id=account_id(actor))
    audit.record(actor, "core.notice.published", notice, after={
        "kind": kind, "starts_on": starts_on, "ends_on": ends_on, "working_days": working_days,
        "estimated": estimated})
    return notice


def notice_of(kind: str, owner: models.Model) -> PublicNotice | None:
    """The notice of `kind` about `owner`, if published."""
    from django.contrib.contenttypes.models import ContentType

    return PublicNotice.objects.filter(kind=kind, owner_type=ContentType.objects.get_for_model(type(owner)),
                                       owner_id=owner.pk).first()


def close_if_due(notice: PublicNotice, today: datetime.date | None = None) -> bool:
    """Close the notice when its last day has passed: mark it closed and call its kind's `on_closed` in the same
    transaction (once: the row is locked, and a notice already closed is left alone). Called by the daily task and
    by every read or action that depends on the period, so nothing waits for the task. Returns whether this call
    closed it; `notice` is refreshed either way."""
    if not notice.is_due(today):
        return False
    with transaction.atomic():
        locked = PublicNotice.objects.select_for_update().get(pk=notice.pk)
        if not locked.is_due(today):
            notice.closed_at = locked.closed_at
            return False
        locked.closed_at = timezone.now()
        locked.save(update_fields=["closed_at"])
        open_objections = locked.objections.exclude(state=ObjectionState.DECIDED).count()
        audit.record(None, "core.notice.closed", locked, after={"ends_on": locked.ends_on,
                                                               "open_objections": open_objections})
        handler = kind_of(locked.kind).on_closed
        if handler is not None:
            handler(locked)
    notice.closed_at = locked.closed_at
    return True


def close_due(today: datetime.date | None = None) -> int:
    """Close every notice whose last day has passed (the daily task); each in its own transaction, so one owner's
    failing handler does not keep the others open. Returns how many were closed."""
    today = today or timezone.localdate()
    closed = 0
    for notice in PublicNotice.objects.filter(closed_at__isnull=True, ends_on__lt=today).order_by("ends_on", "pk"):
        closed += close_if_due(notice, today)
    return closed


# ---------------------------------------------------------------------------------------------
# Objections from the public


def normalise_contact(text: str) -> str:
    """A mobile or landline number (spaces and dashes of a mobile dropped) or an e-mail address; raises
    DomainError naming the field when it is neither."""
    value = text.strip()
    if not value:
        raise DomainError(_("Leave a phone number or an e-mail address so that we can reply to you."),
                          field="contact")
    compact = re.sub(r"[\s()（）]", "", value)
    if MOBILE.match(compact.replace("-", "")):
        return compact.replace("-", "")
    if LANDLINE.match(compact):
        return compact
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            pass
        else:
            return value.lower()
    raise DomainError(_("“%(v)s” is neither a phone number nor an e-mail address.") % {"v": value[:40]},
                      field="contact")


def mask_contact(contact: str) -> str:
    """138****5678, 0531-****5678, l***@example.com: enough for an owner's list to tell objections apart."""
    if "@" in contact:
        local, _at, domain = contact.partition("@")
        return f"{local[:1]}***@{domain}"
    if MOBILE.match(contact):
        return f"{contact[:3]}****{contact[-4:]}"
    return f"{contact[:-8]}****{contact[-4:]}" if len(contact) > 8 else "****"


def _text(value: str, field: str, limit: int, missing: str) -> tuple[str, str | None]:
    value = (value or "").strip()
    if not value:
        return value, missing
    if len(value) > limit:
        return value, _("At most %(n)s characters, please (%(len)s were given).") % {"n": limit, "len": len(value)}
    return value, None


def _throttled(notice: PublicNotice, client_hash: str) -> bool:
    since = timezone.now() - RATE_WINDOW
    counts = Objection.objects.filter(client_hash=client_hash, filed_at__gt=since).aggregate(
        here=models.Count("pk", filter=models.Q(notice=notice)), all=models.Count("pk"))
    return bool(counts["here"] >= PER_NOTICE or counts["all"] >= PER_CLIENT)


@transaction.atomic
def file_objection(*, actor: Actor | None = None, notice: PublicNotice, name: str, contact: str, subject: str,
                   reason: str, client: str) -> Objection:
    """异议: anyone raises an objection while the notice runs, under their real name with a phone number or e-mail
    address for the reply (both encrypted, read only by the notice's owners). `client` is the sender's network
    (`core.clients.client_key`): at most PER_NOTICE objections per notice and PER_CLIENT in all per RATE_WINDOW.
    Every field is checked before anything is written; a refusal names the fields."""
    close_if_due(notice)
    notice = PublicNotice.objects.select_for_update().get(pk=notice.pk)  # one objection at a time per notice
    if not notice.is_running():
        if timezone.localdate() < notice.starts_on:
            message = _("Objections are accepted from %(date)s.") % {"date": notice.starts_on}
        else:
            message = _("The notice period ended on %(date)s: objections are no longer accepted.") % {
                "date": notice.ends_on}
        raise DomainError(message, code="window_closed")
    errors: dict[str, str] = {}
    name, error = _text(name, "name", NAME_MAX, _("Please give your real name: anonymous objections are not "
                                                  "accepted."))
    if error:
        errors["name"] = error
    try:
        contact = normalise_contact(contact)
    except DomainError as refusal:
        errors["contact"] = refusal.message
    subject, error = _text(subject, "subject", SUBJECT_MAX, _("Say whom or what on the notice you object to."))
    if error:
        errors["subject"] = error
    reason, error = _text(reason, "reason", REASON_MAX, _("Please state the facts and reasons of your objection."))
    if error:
        errors["reason"] = error
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    client_hash = crypto.lookup_hash(f"objection-client:{client}")
    if _throttled(notice, client_hash):
        raise DomainError(_("Too many objections have been sent from your network today. Please try again tomorrow, "
                            "or contact the publishing union directly."), code="throttled", status=429)
    objection = Objection.objects.create(
        notice=notice, reference=secrets.token_hex(4).upper(), subject=subject, reason=reason,
        name_encrypted=crypto.encrypt(name), contact_encrypted=crypto.encrypt(contact),
        contact_masked=mask_contact(contact), client_hash=client_hash)
    # The audit trail says that an objection came and about whom, never who sent it.
    audit.record(actor, "core.notice.objection_filed", objection, after={"reference": objection.reference,
                                                                        "subject": subject})
    return objection


# ---------------------------------------------------------------------------------------------
# The owners' side


def _owned(objection: Objection, actor: Account) -> Objection:
    objection = Objection.objects.select_for_update(of=("self",)).select_related("notice").get(pk=objection.pk)
    if not can_manage(actor, objection.notice):
        raise PermissionDeniedError(_("Only the publishers of the notice deal with its objections."))
    return objection


@dataclass(frozen=True)
class Objector:
    """Who raised an objection, in clear: for the notice's owners, to reply."""

    name: str
    contact: str


def read_objector(*, actor: Account, objection: Objection) -> Objector:
    """The objector's name and contact for an owner; each reading is audited (the objector was promised
    confidentiality)."""
    if not can_manage(actor, objection.notice):
        raise PermissionDeniedError(_("Only the publishers of the notice deal with its objections."))
    audit.record(actor, "core.notice.objector_read", objection, after={"reference": objection.reference})
    return Objector(crypto.decrypt(objection.name_encrypted), crypto.decrypt(objection.contact_encrypted))


@transaction.atomic
def add_note(*, actor: Account, objection: Objection, text: str) -> ObjectionNote:
    """An investigation note (调查核实): whom the owners asked, what they found. The first note puts the objection
    under investigation."""
    objection = _owned(objection, actor)
    if objection.state == ObjectionState.DECIDED:
        raise DomainError(_("This objection has been decided: its record is closed."), code="state")
    text, error = _text(text, "text", NOTE_MAX, _("Write what the investigation found."))
    if error:
        raise DomainError(error, field="text")
    note = ObjectionNote.objects.create(objection=objection, text=text, author_id=actor.pk)
    if objection.state == ObjectionState.FILED:
        objection.state = ObjectionState.INVESTIGATING
        objection.save(update_fields=["state"])
    audit.record(actor, "core.notice.objection_noted", objection, after={"note": note.pk, "state": objection.state})
    return note


@transaction.atomic
def decide_objection(*, actor: Account, objection: Objection, outcome: str, reply: str) -> Objection:
    """The outcome of an objection — upheld (the owner corrects the matter in its own app), dismissed, or withdrawn
    by the objector — with the reply given to them (required, except for a withdrawal). Decided once."""
    objection = _owned(objection, actor)
    if objection.state == ObjectionState.DECIDED:
        raise DomainError(_("This objection has already been decided."), code="state")
    errors: dict[str, str] = {}
    if outcome not in ObjectionOutcome.values:
        errors["outcome"] = _("Choose the outcome: upheld, dismissed or withdrawn.")
    reply = (reply or "").strip()
    if not reply and outcome != ObjectionOutcome.WITHDRAWN:
        errors["reply"] = _("Write the reply given to the objector.")
    elif len(reply) > REPLY_MAX:
        errors["reply"] = _("At most %(n)s characters, please (%(len)s were given).") % {"n": REPLY_MAX,
                                                                                       "len": len(reply)}
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    before = objection.state
    objection.state, objection.outcome, objection.reply = ObjectionState.DECIDED, outcome, reply
    objection.decided_by_id, objection.decided_at = actor.pk, timezone.now()
    objection.save(update_fields=["state", "outcome", "reply", "decided_by", "decided_at"])
    audit.record(actor, "core.notice.objection_decided", objection, before={"state": before},
                 after={"state": objection.state, "outcome": outcome}, note=reply[:500])
    return objection


def open_objections(notice: PublicNotice) -> int:
    """How many objections to the notice are not decided yet."""
    return notice.objections.exclude(state=ObjectionState.DECIDED).count()
