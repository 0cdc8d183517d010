"""Verbs of the appointments: a union's administrators appoint valuators and finance officers (accounts of their
subtree) and end an appointment."""

from __future__ import annotations

from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError
from gongjiang.core.services import require, verb
from gongjiang.orgs.models import Org, User

from ..choices import Duty
from ..models import Appointment


@verb
def appoint(*, actor: User, org: Org, user: User, duty: str) -> Appointment:
    """Appoint an account (a cadre, an engineer, a worker with an account) as valuator or finance officer of a
    union; it covers the union's subtree."""
    require(org, actor, "manage")
    if duty not in Duty.values:
        raise DomainError(_("Choose the duty."), field="duty")
    if not user.is_active:
        raise DomainError(_("This account is disabled."), field="user")
    found = Appointment.objects.select_for_update().filter(org=org, user=user, duty=duty).first()
    if found is not None and found.active:
        raise DomainError(_("%(name)s holds this appointment already.") % {"name": user}, field="user")
    if found is None:
        found = Appointment.objects.create(org=org, user=user, duty=duty, appointed_by=actor)
    else:
        found.active, found.appointed_by = True, actor
        found.save(update_fields=["active", "appointed_by"])
    audit.record(actor, "innovation.appointment.made", found, after={"user": str(user), "duty": duty})
    return found


@verb
def end_appointment(*, actor: User, appointment: Appointment) -> Appointment:
    """End an appointment (the valuator's open work is handed over separately: hand_over_valuations)."""
    appointment = Appointment.objects.select_for_update().select_related("org", "user").get(pk=appointment.pk)
    require(appointment.org, actor, "manage")
    if not appointment.active:
        raise DomainError(_("This appointment has ended already."), field="appointment")
    appointment.active = False
    appointment.save(update_fields=["active"])
    audit.record(actor, "innovation.appointment.ended", appointment,
                 after={"user": str(appointment.user), "duty": appointment.duty})
    return appointment
