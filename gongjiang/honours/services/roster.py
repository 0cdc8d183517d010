"""Verbs of the roster of holders: record a status change of a holder (调动, 退休, 去世), revoke a title (撤销荣誉称号:
a reason, the decision's document number and the revoking body, all required), and the audit of a roster export.
Each keeps the counters (`counters.change`), writes the holder's record (`HolderEvent`), is audited and tells the
holder (a person with an account)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import audit, notifications
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent
from gongjiang.core.services import require, verb
from gongjiang.orgs import facts
from gongjiang.orgs.models import Org, User

from .. import counters, figures
from ..choices import HolderStatus
from ..models import Holder, HolderEvent
from ..queries import roster as roster_queries
from ..rules import roster as rules
from ..rules.eligibility import Problem

DOCUMENT_MAX = 60


def _text(p: Problem) -> str:
    a = p.params
    texts = {
        "revoked": lambda: _("This title has been revoked: its status no longer changes."),
        "transition": lambda: _("A holder whose status is %(current)s cannot become %(new)s.") % {
            "current": HolderStatus(a["current"]).label if a["current"] in HolderStatus.values else a["current"],
            "new": HolderStatus(a["new"]).label if a["new"] in HolderStatus.values else a["new"]},
        "no_date": lambda: _("Give the date the change took effect."),
        "future": lambda: _("The date of the change cannot be in the future."),
        "before_conferral": lambda: _("The date of the change is before %(year)s, the year the honour was "
                                      "conferred.") % a,
        "before_last": lambda: _("The date of the change is before the previous change (%(last)s).") % a,
        "no_reason": lambda: _("Give the reason for revoking the title (at least %(min)s characters).") % a,
        "no_document": lambda: _("Give the document number of the decision to revoke the title."),
        "no_body": lambda: _("Name the union that decided to revoke the title."),
    }
    return texts[p.code]()


def _refuse(problems: Sequence[Problem]) -> None:
    if not problems:
        return
    errors: dict[str, list[str]] = {}
    for p in problems:
        errors.setdefault(p.field, []).append(_text(p))
    raise DomainError("；".join(m for ms in errors.values() for m in ms),
                      errors={k: "；".join(v) for k, v in errors.items()})


def _last(holder: Holder) -> datetime.date | None:
    return holder.events.order_by("-on", "-id").values_list("on", flat=True).first()


def _tell(holder: Holder, event: HolderEvent) -> None:
    """The holder (a person with an active account) hears of the change."""
    if holder.person_id is None:
        return
    accounts = list(User.objects.filter(person_id=holder.person_id, is_active=True).values_list("pk", flat=True))
    notifications.notify(accounts, f"honours.holder.{event.kind}", holder,
                         title=gettext_lazy("Your honour %(honour)s: %(status)s"),
                         body=gettext_lazy("The status of your honour %(honour)s (%(year)s) is now %(status)s "
                                           "from %(on)s. %(reason)s"),
                         url=reverse("honours:holder_detail", args=[holder.pk]),
                         params={"honour": holder.honour_type.name, "year": holder.year,
                                 "status": HolderStatus(event.kind).label, "on": event.on.isoformat(),
                                 "reason": event.reason})


def _change(actor: User, holder: Holder, new: str, on: datetime.date | None, reason: str, document: str,
            body: Org | None) -> HolderEvent:
    old = holder.status
    assert on is not None
    event = HolderEvent.objects.create(holder=holder, on=on, kind=new, before=old, reason=reason, document=document,
                                       body=body, recorded_by=actor)
    holder.status, holder.status_on = new, on
    fields = ["status", "status_on"]
    if new == HolderStatus.REVOKED:
        holder.revoked = True  # the eligibility rules' flag: a revoked title is no prior honour
        fields.append("revoked")
    holder.save(update_fields=fields)
    counters.change(holder, old, new)
    if new == HolderStatus.REVOKED:
        facts.add(holder.unit, on, {figures.REVOKED: 1})
    audit.record(actor, "honours.holder.revoked" if new == HolderStatus.REVOKED else "honours.holder.status",
                 holder, before={"status": old}, after={"status": new, "on": on, "reason": reason,
                                                         "document": document, "body": body.name if body else ""})
    _tell(holder, event)
    return event


@verb
def record_holder_status(*, actor: User, holder: Holder, status: str, on: datetime.date | None, reason: str = "",
                         document: str = "", body: Org | None = None) -> HolderEvent:
    """Record that a holder moved (调动), retired (退休) or died (去世) on `on`: the unit's union and those above it.
    A revocation is `revoke_honour` (it needs a decision)."""
    holder = Holder.objects.select_for_update().select_related("honour_type", "unit").get(pk=holder.pk)
    require(holder.unit, actor, "change")
    if status == HolderStatus.REVOKED:
        raise DomainError(_("A title is revoked with the decision: use 撤销荣誉称号."), field="status")
    if len(document) > DOCUMENT_MAX:
        raise DomainError(_("A document number has at most %(n)s characters.") % {"n": DOCUMENT_MAX},
                          field="document")
    _refuse(rules.change_problems(holder.honour_type.subject, holder.status, status, on, conferred=holder.year,
                                  last=_last(holder), today=timezone.localdate()))
    return _change(actor, holder, status, on, reason.strip(), document.strip(), body)


@verb
def revoke_honour(*, actor: User, holder: Holder, reason: str, document: str, body: Org | None,
                  on: datetime.date | None = None) -> HolderEvent:
    """Revoke a title (撤销荣誉称号) by a decision of the union of the honour's conferring level above the holder's
    unit (the province for national and provincial honours): the reason, the decision's document number and that
    union are required. The title stays on the roster, marked, and no longer counts as a prior honour."""
    holder = Holder.objects.select_for_update().select_related("honour_type", "unit").get(pk=holder.pk)
    bodies = roster_queries.revoking_bodies(holder)
    if not any(b.can_change(actor) for b in bodies):
        raise PermissionDeniedError(_("Only %(unions)s may revoke this title.") % {
            "unions": "、".join(b.name for b in bodies) or _("the conferring union")})
    _refuse(rules.revoke_problems(reason, document, body is not None))
    assert body is not None
    if body.pk not in {b.pk for b in bodies}:
        raise DomainError(_("%(body)s did not confer this title: it is revoked by %(unions)s.") % {
            "body": body.name, "unions": "、".join(b.name for b in bodies)}, field="body")
    require(body, actor, "change")
    if len(document.strip()) > DOCUMENT_MAX:
        raise DomainError(_("A document number has at most %(n)s characters.") % {"n": DOCUMENT_MAX},
                          field="document")
    on = on or timezone.localdate()
    _refuse(rules.change_problems(holder.honour_type.subject, holder.status, HolderStatus.REVOKED, on,
                                  conferred=holder.year, last=_last(holder), today=timezone.localdate()))
    return _change(actor, holder, HolderStatus.REVOKED, on, reason.strip(), document.strip(), body)


@verb
def record_holder_export(*, actor: User, org: Org, rows: int) -> AuditEvent:
    """A roster of holders of `org`'s subtree is exported: by the union's staff (not its read-only viewers), audited
    like every export of personal data (it carries no ID number, birth date or phone: gender and age band)."""
    require(org, actor, "change")
    return audit.record(actor, "honours.holder.exported", org, after={"rows": rows},
                        note=_("Roster of honour holders exported"))
