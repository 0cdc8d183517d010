"""Verbs of the workers' technical associations (职工技协): a union founds its association, keeps its profile and may
dissolve it; the association's officer (or a union cadre with "change" on it) registers members — workers of the
union's subtree with the honours that qualify them — records transfers between associations and members leaving.
Councils and activities are in `techassoc_work`."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.scoping import covers
from gongjiang.core.services import require, verb
from gongjiang.orgs.models import Org, Person, User

from .. import techassoc_counters as figures
from ..choices import AssociationState, Honour
from ..models import MemberHonour, Seat, TechAssociation, TechMember
from ..rules import techassoc as rules

NAME_MAX = 80
TEXT_MAX = 200
# The unions that may found an association: the province, a city, a county and an enterprise (its grassroots union);
# industry unions too (the metallurgy union's association of the steel works).
ORG_KINDS = ("province", "city", "industry", "county", "grassroots")


def _require_run(actor: User, association: TechAssociation) -> None:
    """Refuse an actor who may not run the association (PermissionDeniedError), then any change to a dissolved one."""
    if not association.can_run(actor):
        raise PermissionDeniedError(_("You do not have permission for %(org)s.") % {"org": association.name})
    if not association.is_active:
        raise DomainError(_("%(name)s was dissolved: it changes no more.") % {"name": association.name},
                          field="association", code="dissolved")


def _locked(association: TechAssociation) -> TechAssociation:
    """The association re-read under a row lock (two officers registering at once: the second sees the first)."""
    return TechAssociation.objects.select_for_update().select_related("org").get(pk=association.pk)


def _within(org: Org, unit: Org) -> bool:
    """Whether `unit` lies in `org`'s subtree, regionally or through its industry union."""
    return covers(org.path, unit.path) or bool(unit.industry_path and covers(org.path, unit.industry_path))


def _person_within(association: TechAssociation, person: Person, field: str = "person") -> None:
    if not _within(association.org, person.employer):
        raise DomainError(_("%(name)s works outside %(org)s: only its workers join %(association)s.") % {
            "name": person.name, "org": association.org.name, "association": association.name},
            field=field, code="outside")


def _day(day: datetime.date, field: str, label: str) -> None:
    if day > timezone.localdate():
        raise DomainError(_("%(label)s: a day in the future cannot be recorded.") % {"label": label}, field=field,
                          code="future")


def _profile_errors(name: str, registration_no: str, address: str, contact: str, phone: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the association's name.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("A name has at most %(n)s characters.") % {"n": NAME_MAX}
    if len(registration_no) > 40:
        errors["registration_no"] = _("A registration number has at most %(n)s characters.") % {"n": 40}
    if len(address) > TEXT_MAX:
        errors["address"] = _("An address has at most %(n)s characters.") % {"n": TEXT_MAX}
    if len(contact) > 40:
        errors["contact"] = _("A contact person's name has at most %(n)s characters.") % {"n": 40}
    if phone and (len(phone) > 20 or not all(c.isdigit() or c in "-+ " for c in phone)):
        errors["phone"] = _("A phone number is digits (and - or +), at most 20.")
    return errors


@verb
def found_association(*, actor: User, org: Org, name: str, founded_on: datetime.date, registration_no: str = "",
                      address: str = "", contact: str = "", phone: str = "") -> TechAssociation:
    """Register the technical association of a union (one per union): the province's, a city's, a county's or an
    enterprise's. Its place in the network follows from the union tree."""
    require(org, actor, "change")
    name, registration_no, address = name.strip(), registration_no.strip(), address.strip()
    contact, phone = contact.strip(), phone.strip()
    errors = _profile_errors(name, registration_no, address, contact, phone)
    if org.kind not in ORG_KINDS:
        errors["org"] = _("%(org)s is a %(kind)s: associations are founded by the province, city, county, industry "
                          "and enterprise unions.") % {"org": org.name, "kind": org.get_kind_display()}
    if founded_on > timezone.localdate():
        errors["founded_on"] = _("Founded on: a day in the future cannot be recorded.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    existing = TechAssociation.objects.filter(org=org).first()
    if existing is not None:
        raise DomainError(_("%(org)s has its association already: %(name)s.") % {"org": org.name,
                                                                                "name": existing.name},
                          field="org", code="exists")
    association = TechAssociation.objects.create(
        org=org, name=name, founded_on=founded_on, registration_no=registration_no, address=address, contact=contact,
        phone=phone, created_by=actor)
    audit.record(actor, "innovation.techassoc.founded", association, after={
        "name": name, "founded_on": founded_on, "registration_no": registration_no})
    return association


@verb
def update_association(*, actor: User, association: TechAssociation, name: str, founded_on: datetime.date,
                       registration_no: str = "", address: str = "", contact: str = "", phone: str = ""
                       ) -> TechAssociation:
    """Correct the association's profile (name, founding day, registration number, address, contact)."""
    association = _locked(association)
    _require_run(actor, association)
    name, registration_no, address = name.strip(), registration_no.strip(), address.strip()
    contact, phone = contact.strip(), phone.strip()
    errors = _profile_errors(name, registration_no, address, contact, phone)
    if founded_on > timezone.localdate():
        errors["founded_on"] = _("Founded on: a day in the future cannot be recorded.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    before = audit.snapshot(association, ["name", "founded_on", "registration_no", "address", "contact", "phone"])
    association.name, association.founded_on, association.registration_no = name, founded_on, registration_no
    association.address, association.contact, association.phone = address, contact, phone
    association.save(update_fields=["name", "founded_on", "registration_no", "address", "contact", "phone",
                                    "updated_at"])
    after = audit.snapshot(association, ["name", "founded_on", "registration_no", "address", "contact", "phone"])
    old, new = audit.diff(before, after)
    if new:
        audit.record(actor, "innovation.techassoc.updated", association, before=old, after=new)
    return association


@verb
def dissolve_association(*, actor: User, association: TechAssociation, dissolved_on: datetime.date, reason: str
                         ) -> TechAssociation:
    """注销: the union (not the officer) dissolves its association with the reason; every membership ends that day
    and the current council's term with it."""
    association = _locked(association)
    require(association.org, actor, "change")
    if not association.is_active:
        raise DomainError(_("%(name)s was dissolved: it changes no more.") % {"name": association.name},
                          field="association", code="dissolved")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for dissolving the association."), field="reason")
    _day(dissolved_on, "dissolved_on", _("Dissolved on"))
    if dissolved_on < association.founded_on:
        raise DomainError(_("Dissolved on: the association was founded on %(day)s.") % {
            "day": association.founded_on.isoformat()}, field="dissolved_on")
    active = list(TechMember.objects.select_for_update().filter(association=association, left_on__isnull=True))
    late = [m for m in active if m.joined_on > dissolved_on]
    if late:
        raise DomainError(_("Dissolved on: %(name)s joined on %(day)s, after that day.") % {
            "name": late[0].person.name, "day": late[0].joined_on.isoformat()}, field="dissolved_on")
    for m in active:
        m.left_on, m.left_reason = dissolved_on, _("The association was dissolved")
    TechMember.objects.bulk_update(active, ["left_on", "left_reason"])
    council = association.councils.filter(current=True).first()
    if council is not None and council.ends_on > dissolved_on:
        council.ends_on = max(dissolved_on, council.starts_on)
        council.save(update_fields=["ends_on"])
    association.state, association.dissolved_on, association.dissolved_reason = (
        AssociationState.DISSOLVED, dissolved_on, reason)
    association.save(update_fields=["state", "dissolved_on", "dissolved_reason", "updated_at"])
    if active:
        figures.add(association.org, dissolved_on, left=len(active))
        figures.count_members(association, -len(active))
    audit.record(actor, "innovation.techassoc.dissolved", association, before={"association_state": "active"},
                 after={"association_state": "dissolved", "left_on": dissolved_on, "members_left": len(active)},
                 note=reason)
    return association


# ---------------------------------------------------------------------------------------------
# Members


def _trade(trade: str, speciality: str) -> tuple[str, str]:
    trade, speciality = trade.strip(), speciality.strip()
    if not trade:
        raise DomainError(_("Give the member's trade."), field="trade")
    if len(trade) > 40:
        raise DomainError(_("A trade has at most %(n)s characters.") % {"n": 40}, field="trade")
    if len(speciality) > NAME_MAX:
        raise DomainError(_("A speciality has at most %(n)s characters.") % {"n": NAME_MAX}, field="speciality")
    return trade, speciality


def _check_honours(honours: Sequence[tuple[str, int, str]]) -> None:
    seen: set[str] = set()
    this_year = timezone.localdate().year
    for code, year, body in honours:
        problem = rules.honour_problem(code, Honour.values, year, this_year)
        if problem == "code":
            raise DomainError(_("Choose the honour from the list."), field="honours", code="honour")
        if problem == "year":
            raise DomainError(_("%(honour)s: the year awarded is between %(first)s and %(this)s.") % {
                "honour": Honour(code).label, "first": rules.HONOUR_FIRST_YEAR, "this": this_year},
                field="honours", code="year")
        if code in seen:
            raise DomainError(_("%(honour)s is given twice.") % {"honour": Honour(code).label}, field="honours")
        if len(body) > NAME_MAX:
            raise DomainError(_("A conferring body has at most %(n)s characters.") % {"n": NAME_MAX},
                              field="honours")
        seen.add(code)


@verb
def join_association(*, actor: User, association: TechAssociation, person: Person, trade: str,
                     joined_on: datetime.date, speciality: str = "",
                     honours: Sequence[tuple[str, int, str]] = ()) -> TechMember:
    """Register a worker of the association's union subtree as a member, with their trade, speciality and the
    honours that qualify them (code, year awarded, conferring body). A member of another association is refused:
    that is a transfer (`transfer_member`)."""
    association = _locked(association)
    _require_run(actor, association)
    _person_within(association, person)
    trade, speciality = _trade(trade, speciality)
    _day(joined_on, "joined_on", _("Joined on"))
    _check_honours(honours)
    current = (TechMember.objects.select_for_update().select_related("association")
               .filter(person=person, left_on__isnull=True).first())
    if current is not None and current.association_id == association.pk:
        raise DomainError(_("%(name)s is a member of %(association)s already.") % {
            "name": person.name, "association": association.name}, field="person", code="member_already")
    if current is not None:
        raise DomainError(_("%(name)s is a member of %(other)s: a member of another association joins this one "
                            "by a transfer.") % {"name": person.name, "other": current.association.name},
                          field="person", code="member_elsewhere")
    member = TechMember.objects.create(association=association, person=person, trade=trade, speciality=speciality,
                                       joined_on=joined_on)
    MemberHonour.objects.bulk_create([MemberHonour(member=member, honour=code, year=year, conferred_by=body.strip())
                                      for code, year, body in honours])
    audit.record(actor, "innovation.techassoc.member_joined", association, after={
        "tech_member": person.name, "trade": trade, "joined_on": joined_on,
        **({"honours": "、".join(str(Honour(c).label) for c, _y, _b in honours)} if honours else {})})
    figures.add(association.org, joined_on, joined=1)
    figures.count_members(association, 1)
    return member


@verb
def transfer_member(*, actor: User, member: TechMember, to: TechAssociation, transferred_on: datetime.date,
                    trade: str = "", speciality: str = "") -> TechMember:
    """转会: a member of one association joins another (the receiving association's officer or union records it):
    the old membership ends that day, noting where the member went, and the new one starts with the honours
    copied. Both associations' timelines and figures show it."""
    to = _locked(to)
    _require_run(actor, to)
    member = TechMember.objects.select_for_update().select_related("association__org", "person__employer").get(
        pk=member.pk)
    if not member.is_active:
        raise DomainError(_("%(name)s left %(association)s on %(day)s: register them as a new member instead.") % {
            "name": member.person.name, "association": member.association.name,
            "day": member.left_on.isoformat() if member.left_on else ""}, field="member", code="left")
    if member.association_id == to.pk:
        raise DomainError(_("%(name)s is a member of %(association)s already.") % {
            "name": member.person.name, "association": to.name}, field="to", code="member_already")
    _person_within(to, member.person, "member")
    _day(transferred_on, "transferred_on", _("Transferred on"))
    if transferred_on < member.joined_on:
        raise DomainError(_("Transferred on: %(name)s joined %(association)s on %(day)s.") % {
            "name": member.person.name, "association": member.association.name,
            "day": member.joined_on.isoformat()}, field="transferred_on")
    if Seat.objects.filter(member=member, council__current=True).exists():
        raise DomainError(_("%(name)s holds a seat on the current council of %(association)s: give it to someone "
                            "else first.") % {"name": member.person.name, "association": member.association.name},
                          field="member", code="seated")
    trade, speciality = _trade(trade or member.trade, speciality or member.speciality)
    old = member.association
    member.left_on, member.transferred_to = transferred_on, to
    member.left_reason = _("Transferred to %(association)s") % {"association": to.name}
    member.save(update_fields=["left_on", "left_reason", "transferred_to"])
    new = TechMember.objects.create(association=to, person=member.person, trade=trade, speciality=speciality,
                                    joined_on=transferred_on, transferred_from=member)
    MemberHonour.objects.bulk_create([MemberHonour(member=new, honour=h.honour, year=h.year,
                                                   conferred_by=h.conferred_by) for h in member.honours.all()])
    audit.record(actor, "innovation.techassoc.member_transferred_out", old, after={
        "tech_member": member.person.name, "to_association": to.name, "left_on": transferred_on})
    audit.record(actor, "innovation.techassoc.member_transferred_in", to, after={
        "tech_member": member.person.name, "from_association": old.name, "joined_on": transferred_on})
    figures.add(old.org, transferred_on, left=1)
    figures.count_members(old, -1)
    figures.add(to.org, transferred_on, joined=1)
    figures.count_members(to, 1)
    return new


@verb
def leave_association(*, actor: User, member: TechMember, left_on: datetime.date, reason: str) -> TechMember:
    """A member leaves (退会: retired, left the enterprise, asked to), with the day and the reason. A member holding a
    seat on the current council gives it up first."""
    member = TechMember.objects.select_for_update().select_related("association__org", "person").get(pk=member.pk)
    association = member.association
    _require_run(actor, association)
    if not member.is_active:
        raise DomainError(_("%(name)s has left already.") % {"name": member.person.name}, field="member",
                          code="left")
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give the reason for leaving."), field="reason")
    if len(reason) > TEXT_MAX:
        raise DomainError(_("A reason has at most %(n)s characters.") % {"n": TEXT_MAX}, field="reason")
    problem = rules.leaving_problem(member.joined_on, left_on, timezone.localdate())
    if problem == "before":
        raise DomainError(_("Left on: %(name)s joined on %(day)s.") % {
            "name": member.person.name, "day": member.joined_on.isoformat()}, field="left_on")
    if problem == "future":
        raise DomainError(_("Left on: a day in the future cannot be recorded."), field="left_on", code="future")
    if Seat.objects.filter(member=member, council__current=True).exists():
        raise DomainError(_("%(name)s holds a seat on the current council of %(association)s: give it to someone "
                            "else first.") % {"name": member.person.name, "association": association.name},
                          field="member", code="seated")
    member.left_on, member.left_reason = left_on, reason
    member.save(update_fields=["left_on", "left_reason"])
    audit.record(actor, "innovation.techassoc.member_left", association,
                 after={"tech_member": member.person.name, "left_on": left_on}, note=reason)
    figures.add(association.org, left_on, left=1)
    figures.count_members(association, -1)
    return member


@verb
def add_honour(*, actor: User, member: TechMember, honour: str, year: int, conferred_by: str = "") -> MemberHonour:
    """Record an honour or title of a member (the year awarded, the body that conferred it)."""
    member = TechMember.objects.select_for_update().select_related("association__org", "person").get(pk=member.pk)
    _require_run(actor, member.association)
    if not member.is_active:
        raise DomainError(_("%(name)s has left already.") % {"name": member.person.name}, field="member",
                          code="left")
    _check_honours([(honour, year, conferred_by)])
    if MemberHonour.objects.filter(member=member, honour=honour).exists():
        raise DomainError(_("%(name)s holds %(honour)s already.") % {
            "name": member.person.name, "honour": Honour(honour).label}, field="honour")
    found = MemberHonour.objects.create(member=member, honour=honour, year=year, conferred_by=conferred_by.strip())
    audit.record(actor, "innovation.techassoc.honour_added", member.association, after={
        "tech_member": member.person.name, "honour": honour, "year_awarded": year, "conferred_by": found.conferred_by})
    return found


@verb
def remove_honour(*, actor: User, honour: MemberHonour) -> MemberHonour:
    """Take an honour off a member's record (entered by mistake)."""
    honour = MemberHonour.objects.select_related("member__association__org", "member__person").get(pk=honour.pk)
    member = honour.member
    _require_run(actor, member.association)
    honour.delete()
    audit.record(actor, "innovation.techassoc.honour_removed", member.association, before={
        "tech_member": member.person.name, "honour": honour.honour, "year_awarded": honour.year})
    return honour
