"""The verbs of the org tree, people, membership and accounts: the only writers of these models.

Each verb is atomic, takes a keyword-only `actor`, checks the actor's scope itself (so a view, the API,
an import and a task are equally safe), validates, writes, and records an AuditEvent.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.crypto import encrypt, lookup_hash
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.ids import (
    IdentifierError,
    mask_id_card,
    parse_id_card,
    validate_credit_code,
    validate_mobile,
)

from . import counters, rules
from .choices import ETHNICITIES, MembershipStatus, OrgKind, Role, SkillGrade, TransferState
from .models import (
    ApiToken,
    Membership,
    MembershipTransfer,
    Occupation,
    Org,
    Person,
    RoleGrant,
    SkillGradeRecord,
    User,
)

ORG_FIELDS = ["name", "short_name", "code", "kind", "region_code", "credit_code", "industry", "ownership",
              "employee_count", "address", "contact_name", "contact_phone", "industry_union", "is_active"]
EDITABLE_ORG_FIELDS = set(ORG_FIELDS) - {"is_active"}
PERSON_FIELDS = ["name", "gender", "birth_date", "mobile", "ethnicity", "education", "political_status",
                 "employer", "post", "trade", "skill_grade", "is_front_line", "is_migrant", "employment_start"]


def _require(org: Org, actor: Any, action: str) -> None:
    if not org.in_scope(actor, action):
        raise PermissionDeniedError(_("You do not have permission for %(org)s.") % {"org": org.name})


# ---------------------------------------------------------------------------------------------
# Orgs


def clean_org_data(data: dict[str, Any], *, instance: Org | None = None, parent: Org | None = None) -> dict[str, Any]:
    """Validate org fields; raise DomainError naming every bad field."""
    errors: dict[str, str] = {}
    clean = dict(data)
    if "name" in clean:
        clean["name"] = (clean["name"] or "").strip()
        if not clean["name"]:
            errors["name"] = _("Please enter the name.")
    if "code" in clean:
        clean["code"] = (clean["code"] or "").strip()
        if not clean["code"]:
            errors["code"] = _("Please enter the code.")
        elif Org.objects.filter(code=clean["code"]).exclude(pk=getattr(instance, "pk", None)).exists():
            errors["code"] = _("The code %(code)s is already used by another organisation.") % {"code": clean["code"]}
    if clean.get("credit_code"):
        try:
            clean["credit_code"] = validate_credit_code(clean["credit_code"])
        except IdentifierError as e:
            errors["credit_code"] = str(e)
        else:
            if Org.objects.filter(credit_code=clean["credit_code"]).exclude(pk=getattr(instance, "pk", None)).exists():
                errors["credit_code"] = _("This credit code is already registered for another organisation.")
    if clean.get("region_code") and not (len(clean["region_code"]) == 6 and clean["region_code"].isdigit()):
        errors["region_code"] = _("The region code must be 6 digits (GB/T 2260).")
    if clean.get("contact_phone"):
        phone = clean["contact_phone"].strip()
        if not (phone.replace("-", "").isdigit() and 7 <= len(phone.replace("-", "")) <= 12):
            errors["contact_phone"] = _("The contact phone must be a mobile or landline number.")
    kind = clean.get("kind", getattr(instance, "kind", None))
    if "kind" in clean and kind not in OrgKind.values:
        errors["kind"] = _("Unknown organisation kind.")
    elif parent is not None and kind and not rules.can_be_child(parent.kind, kind):
        errors["kind"] = _("A %(kind)s cannot be placed under a %(parent)s.") % {
            "kind": OrgKind(kind).label, "parent": OrgKind(parent.kind).label}
    iu = clean.get("industry_union")
    if iu is not None and iu.kind != OrgKind.INDUSTRY:
        errors["industry_union"] = _("The affiliated union must be an industry union.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    return clean


def _inherited_industry_path(parent: Org | None, industry_union: Org | None) -> str:
    if industry_union is not None:
        return industry_union.path
    return parent.industry_path if parent is not None else ""


@transaction.atomic
def create_org(*, actor: Any, parent: Org | None, **data: Any) -> Org:
    """Add an org under `parent` (None creates a root: superusers only)."""
    if parent is None:
        if not getattr(actor, "is_superuser", False):
            raise PermissionDeniedError(_("Only a system administrator can create a root organisation."))
    else:
        counters.lock(Org.objects.get(pk=parent.pk).path)  # root first: see counters.lock
        parent = Org.objects.select_for_update().get(pk=parent.pk)
        _require(parent, actor, "change")
        if not parent.is_active:
            raise DomainError(_("%(org)s is deactivated; reactivate it before adding units.") % {"org": parent.name})
    data = clean_org_data(data, parent=parent)
    data["industry_path"] = _inherited_industry_path(parent, data.get("industry_union"))
    if parent is None:
        org = Org.objects.add_root(create_kwargs=data)
    else:
        org = Org.objects.add_child(parent, create_kwargs=data)
        counters.org_added(org)
    audit.record(actor, "orgs.org.created", org, after=audit.snapshot(org, ORG_FIELDS))
    return org


@transaction.atomic
def update_org(*, actor: Any, org: Org, **data: Any) -> Org:
    unknown = set(data) - EDITABLE_ORG_FIELDS
    if unknown:  # the tree fields, counters and activation change only through their own verbs
        raise TypeError(f"update_org() cannot change {', '.join(sorted(unknown))}")
    org = Org.objects.select_for_update().get(pk=org.pk)
    _require(org, actor, "change")
    if data.get("kind") == org.kind:
        data.pop("kind")
    parent = Org.objects.get_parent(org)
    data = clean_org_data(data, instance=org, parent=parent if "kind" in data else None)
    if "kind" in data:
        _check_kind_change(org, data["kind"])
    before = audit.snapshot(org, ORG_FIELDS)
    for k, v in data.items():
        setattr(org, k, v)
    fields = list(data)
    if "industry_union" in data:
        new_ipath = _inherited_industry_path(parent, org.industry_union)
        if new_ipath != org.industry_path:
            _repath_industry(org, new_ipath)
            org.industry_path = new_ipath
            fields.append("industry_path")
    org.save(update_fields=[*fields, "updated_at"])
    b, a = audit.diff(before, audit.snapshot(org, ORG_FIELDS))
    if a:
        audit.record(actor, "orgs.org.updated", org, before=b, after=a)
    return org


def _check_kind_change(org: Org, kind: str) -> None:
    """A new kind must still fit over the org's own units, and an org employing people must stay an employer."""
    child_kinds = set(Org.objects.get_children(org).values_list("kind", flat=True))
    bad = sorted(k for k in child_kinds if not rules.can_be_child(kind, k))
    if bad:
        raise DomainError(_("A %(kind)s cannot hold its current units (%(units)s); move them first.") % {
            "kind": OrgKind(kind).label, "units": "、".join(str(OrgKind(k).label) for k in bad)}, field="kind")
    if kind not in rules.EMPLOYER_KINDS and (org.person_count or Person.objects.filter(employer=org).exists()):
        raise DomainError(_("People are registered in %(org)s; a %(kind)s cannot employ people.") % {
            "org": org.name, "kind": OrgKind(kind).label}, field="kind")


def _repath_industry(org: Org, new_ipath: str) -> None:
    """Descendants that inherited the old affiliation inherit the new one (those with their own keep it)."""
    Org.objects.filter(path__startswith=org.path, depth__gt=org.depth, industry_union__isnull=True,
                       industry_path=org.industry_path).update(industry_path=new_ipath)


@transaction.atomic
def move_org(*, actor: Any, org: Org, new_parent: Org) -> Org:
    """Re-parent a subtree. The actor needs change rights on the org and on the new parent."""
    counters.lock(Org.objects.get(pk=org.pk).path, Org.objects.get(pk=new_parent.pk).path)
    org = Org.objects.select_for_update().get(pk=org.pk)
    new_parent = Org.objects.get(pk=new_parent.pk)
    _require(org, actor, "change")
    _require(new_parent, actor, "change")
    if org.depth == 1:
        raise DomainError(_("The root organisation cannot be moved."), field="parent")
    if rules.is_move_into_own_subtree(org.path, new_parent.path):
        raise DomainError(_("An organisation cannot be moved under itself or one of its own units."),
                          field="parent")
    if not rules.can_be_child(new_parent.kind, org.kind):
        raise DomainError(_("A %(kind)s cannot be placed under a %(parent)s.") % {
            "kind": org.get_kind_display(), "parent": new_parent.get_kind_display()}, field="parent")
    if not new_parent.is_active:
        raise DomainError(_("%(org)s is deactivated.") % {"org": new_parent.name}, field="parent")
    old_parent = Org.objects.get_parent(org)
    people = org.tree_people
    old_path = org.path
    if org.kind != OrgKind.GRASSROOTS and org.kind in rules.EMPLOYER_KINDS and people:
        # Their memberships are held by the grassroots union: moving the unit would leave them behind.
        if new_parent.grassroots_union() != org.grassroots_union():
            raise DomainError(_("%(org)s has people registered; a department or team with people moves only"
                                " inside its grassroots union (transfer the members first).") % {"org": org.name},
                              field="parent")
    Org.objects.move(org, new_parent, "last-child")
    org.refresh_from_db()
    counters.subtree_moved(old_path, org.path, {f: getattr(org, f) for f in counters.TREE})
    if not org.industry_union_id:
        new_ipath = new_parent.industry_path
        if new_ipath != org.industry_path:
            _repath_industry(org, new_ipath)
            Org.objects.filter(pk=org.pk).update(industry_path=new_ipath)
            org.industry_path = new_ipath
    audit.record(actor, "orgs.org.moved", org, before={"parent": old_parent.name if old_parent else None},
                 after={"parent": new_parent.name}, note=_("%(n)d people in the moved units") % {"n": people})
    return org


@transaction.atomic
def deactivate_org(*, actor: Any, org: Org, reason: str = "") -> Org:
    """Deactivate an org and its subtree. Orgs are never hard-deleted once they hold people or records."""
    counters.lock(Org.objects.get(pk=org.pk).path)
    org = Org.objects.select_for_update().get(pk=org.pk)
    _require(org, actor, "change")
    if org.depth == 1:
        raise DomainError(_("The root organisation cannot be deactivated."))
    if not org.is_active:
        raise DomainError(_("%(org)s is already deactivated.") % {"org": org.name})
    n = Org.objects.filter(path__startswith=org.path, is_active=True).update(is_active=False)
    counters.subtree_deactivated(org, org.tree_active)
    audit.record(actor, "orgs.org.deactivated", org, before={"is_active": True}, after={"is_active": False},
                 note=reason or _("%(n)d units deactivated") % {"n": n})
    org.is_active = False
    return org


@transaction.atomic
def reactivate_org(*, actor: Any, org: Org) -> Org:
    counters.lock(Org.objects.get(pk=org.pk).path)
    org = Org.objects.select_for_update().get(pk=org.pk)
    _require(org, actor, "change")
    parent = Org.objects.get_parent(org)
    if parent is not None and not parent.is_active:
        raise DomainError(_("Reactivate the parent %(org)s first.") % {"org": parent.name})
    Org.objects.filter(path__startswith=org.path).update(is_active=True)
    counters.subtree_reactivated(org)
    audit.record(actor, "orgs.org.reactivated", org, before={"is_active": False}, after={"is_active": True})
    org.is_active = True
    return org


# ---------------------------------------------------------------------------------------------
# People


def clean_person_data(data: dict[str, Any], *, instance: Person | None = None) -> dict[str, Any]:
    """Validate person fields (ID check digit, birth date and gender agreeing with the ID, phone,
    ethnicity, employer kind). Raise DomainError naming every bad field."""
    errors: dict[str, str] = {}
    clean = dict(data)
    if "name" in clean:
        clean["name"] = (clean["name"] or "").strip()
        if not clean["name"]:
            errors["name"] = _("Please enter the name.")
    id_number = clean.pop("id_number", None)
    if id_number is not None or instance is None:
        try:
            info = parse_id_card(id_number or "")
        except IdentifierError as e:
            errors["id_number"] = str(e)
        else:
            clean["id_hash"] = lookup_hash(info.number)
            clean["id_encrypted"] = encrypt(info.number)
            clean["id_masked"] = mask_id_card(info.number)
            if clean.get("birth_date") and clean["birth_date"] != info.birth_date:
                errors["birth_date"] = _("The birth date %(given)s does not match the ID number (%(id)s).") % {
                    "given": clean["birth_date"], "id": info.birth_date}
            if clean.get("gender") and clean["gender"] != info.gender:
                errors["gender"] = _("The gender does not match the ID number.")
            clean["birth_date"] = info.birth_date
            clean["gender"] = info.gender
            dup = Person.objects.filter(id_hash=clean["id_hash"]).exclude(pk=getattr(instance, "pk", None))
            if dup.exists():
                errors["id_number"] = _("A person with this ID number is already registered.")
    elif instance is not None:
        # No new ID number: birth date and gender stay the ones the registered number encodes.
        if clean.get("birth_date") and clean["birth_date"] != instance.birth_date:
            errors["birth_date"] = _("The birth date %(given)s does not match the ID number (%(id)s).") % {
                "given": clean["birth_date"], "id": instance.birth_date}
        if clean.get("gender") and clean["gender"] != instance.gender:
            errors["gender"] = _("The gender does not match the ID number.")
    if clean.get("mobile"):
        try:
            clean["mobile"] = validate_mobile(clean["mobile"])
        except IdentifierError as e:
            errors["mobile"] = str(e)
    if clean.get("ethnicity") and clean["ethnicity"] not in ETHNICITIES:
        errors["ethnicity"] = _("Unknown ethnicity %(v)s.") % {"v": clean["ethnicity"]}
    employer = clean.get("employer")
    if employer is not None and not employer.employs_people:
        errors["employer"] = _("People are registered in a grassroots union, a department or a team.")
    if employer is not None and not employer.is_active:
        errors["employer"] = _("%(org)s is deactivated.") % {"org": employer.name}
    if "skill_grade" in clean and clean["skill_grade"] not in SkillGrade.values:
        errors["skill_grade"] = _("Unknown skill grade.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    return clean


@transaction.atomic
def create_person(*, actor: Any, employer: Org, membership: dict[str, Any] | None = None, **data: Any) -> Person:
    """Register a worker with their employer; with `membership` (member_since, card_no) they join the
    employer's grassroots union."""
    _require(employer, actor, "change")
    data = clean_person_data({**data, "employer": employer})
    person = Person.objects.create(**data)
    if data.get("skill_grade"):
        SkillGradeRecord.objects.create(person=person, grade=data["skill_grade"], trade=data.get("trade"),
                                        source=_("Registration"))
    audit.record(actor, "orgs.person.created", person, after=audit.snapshot(person, PERSON_FIELDS))
    if membership is not None:
        join_union(actor=actor, person=person, **membership)
    counters.refresh([employer.pk])
    return person


@transaction.atomic
def update_person(*, actor: Any, person: Person, **data: Any) -> Person:
    """Correct a person's record. Moving them to another employer goes through a transfer when the
    grassroots union changes; inside one union it is a plain edit."""
    person = Person.objects.select_for_update().select_related("employer").get(pk=person.pk)
    is_self = getattr(actor, "person_id", None) == person.pk
    if not (is_self or person.employer.in_scope(actor, "change")):
        raise PermissionDeniedError(_("You do not have permission to change this person."))
    if is_self and not person.employer.in_scope(actor, "change"):
        allowed = {"mobile", "education", "political_status", "ethnicity", "post"}
        if set(data) - allowed:
            raise PermissionDeniedError(_("Workers may correct only their phone, education, political status,"
                                          " ethnicity and post; ask your union for other changes."))
    new_employer = data.get("employer")
    if new_employer is not None and new_employer.pk != person.employer_id:
        _require(new_employer, actor, "change")
        if new_employer.grassroots_union() != person.employer.grassroots_union():
            raise DomainError(_("Moving to another grassroots union is a membership transfer."), field="employer")
    grade = data.get("skill_grade")
    data = clean_person_data(data, instance=person)
    before = audit.snapshot(person, PERSON_FIELDS)
    old_employer_id = person.employer_id
    for k, v in data.items():
        setattr(person, k, v)
    person.save(update_fields=[*data, "updated_at"])
    if person.employer_id != old_employer_id or {"is_front_line", "is_migrant"} & set(data):
        counters.refresh([old_employer_id, person.employer_id])
    if grade is not None and grade != before["skill_grade"]:
        SkillGradeRecord.objects.create(person=person, grade=grade, trade=person.trade, source=_("Correction"))
    b, a = audit.diff(before, audit.snapshot(person, PERSON_FIELDS))
    if a or "id_hash" in data:
        if "id_hash" in data:
            a["id_masked"] = person.id_masked
        audit.record(actor, "orgs.person.updated", person, before=b, after=a)
    return person


@transaction.atomic
def record_skill_grade(*, actor: Any, person: Person, grade: int, certificate_no: str = "",
                       certified_on: datetime.date | None = None, trade: Occupation | None = None,
                       source: str = "") -> SkillGradeRecord:
    """Record a certified grade (history kept); the person's current grade becomes the newest."""
    person = Person.objects.select_for_update().select_related("employer").get(pk=person.pk)
    _require(person.employer, actor, "change")
    if grade not in SkillGrade.values or grade == SkillGrade.NONE:
        raise DomainError(_("Unknown skill grade."), field="grade")
    if certified_on and certified_on > timezone.localdate():
        raise DomainError(_("The certification date cannot be in the future."), field="certified_on")
    record = SkillGradeRecord.objects.create(person=person, grade=grade, certificate_no=certificate_no.strip(),
                                             certified_on=certified_on, trade=trade or person.trade,
                                             source=source)
    before = person.skill_grade
    newer = certified_on is not None and SkillGradeRecord.objects.filter(
        person=person, certified_on__gt=certified_on).exists()
    if not newer:  # a certificate older than one already recorded goes into the history only
        person.skill_grade = grade
    fields = ["skill_grade", "updated_at"]
    if trade is not None and person.trade_id is None:
        person.trade = trade
        fields.append("trade")
    person.save(update_fields=fields)
    audit.record(actor, "orgs.person.grade_recorded", person, before={"skill_grade": before},
                 after={"skill_grade": grade, "certificate_no": certificate_no, "certified_on": certified_on})
    return record


@transaction.atomic
def reveal_id_number(*, actor: Any, person: Person) -> str:
    """Return the clear ID number to a role that needs it; every reveal is audited."""
    if not person.can_see_id(actor):
        raise PermissionDeniedError(_("Only administrators of this unit may see the full ID number."))
    audit.record(actor, "orgs.person.id_revealed", person)
    return person.id_number


# ---------------------------------------------------------------------------------------------
# Membership


@transaction.atomic
def join_union(*, actor: Any, person: Person, member_since: datetime.date | None = None, card_no: str = "",
               union: Org | None = None) -> Membership:
    """Admit a person to their employer's grassroots union (or re-admit after leaving)."""
    own_union = person.employer.grassroots_union()
    if own_union is None:
        raise DomainError(_("The employer has no grassroots union."), field="union")
    union = union or own_union
    _require(person.employer, actor, "change")
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


@transaction.atomic
def change_membership_status(*, actor: Any, person: Person, status: str, reason: str = "") -> Membership:
    """Record 退会 (left) or 停止会籍 (stopped); 转出 happens only through a transfer."""
    membership = Membership.objects.select_for_update().select_related("union").filter(person=person).first()
    if membership is None:
        raise DomainError(_("%(name)s is not a union member.") % {"name": person.name})
    _require(membership.union, actor, "change")
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


@transaction.atomic
def request_transfer(*, actor: Any, person: Person, to_employer: Org, reason: str = "") -> MembershipTransfer:
    """The origin union asks the destination to take a member (and the worker) over."""
    person = Person.objects.select_for_update().select_related("employer").get(pk=person.pk)
    membership = Membership.objects.filter(person=person).select_related("union").first()
    if membership is None or membership.status != MembershipStatus.ACTIVE:
        raise DomainError(_("Only members in good standing can be transferred."), field="person")
    _require(membership.union, actor, "change")
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


def _decide(actor: Any, transfer: MembershipTransfer, state: str, note: str) -> MembershipTransfer:
    transfer = MembershipTransfer.objects.select_for_update().select_related(
        "person", "from_union", "to_union", "to_employer").get(pk=transfer.pk)
    if transfer.state != TransferState.REQUESTED:
        raise DomainError(_("This transfer has already been decided (%(state)s).") % {
            "state": transfer.get_state_display()})
    if state == TransferState.CANCELLED:
        _require(transfer.from_union, actor, "change")
    else:
        _require(transfer.to_union, actor, "change")
    if state == TransferState.REFUSED and not note.strip():
        raise DomainError(_("Please give the reason for refusing."), field="decision_note")
    transfer.state, transfer.decision_note = state, note.strip()
    transfer.decided_by, transfer.decided_at = (actor if getattr(actor, "pk", None) else None), timezone.now()
    transfer.save(update_fields=["state", "decision_note", "decided_by", "decided_at"])
    return transfer


@transaction.atomic
def accept_transfer(*, actor: Any, transfer: MembershipTransfer, note: str = "") -> MembershipTransfer:
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


@transaction.atomic
def refuse_transfer(*, actor: Any, transfer: MembershipTransfer, note: str) -> MembershipTransfer:
    transfer = _decide(actor, transfer, TransferState.REFUSED, note)
    audit.record(actor, "orgs.transfer.refused", transfer, before={"state": "requested"},
                 after={"state": "refused"}, note=note)
    return transfer


@transaction.atomic
def cancel_transfer(*, actor: Any, transfer: MembershipTransfer, note: str = "") -> MembershipTransfer:
    transfer = _decide(actor, transfer, TransferState.CANCELLED, note)
    audit.record(actor, "orgs.transfer.cancelled", transfer, before={"state": "requested"},
                 after={"state": "cancelled"}, note=note)
    return transfer


# ---------------------------------------------------------------------------------------------
# Accounts, roles, tokens


def _grants_of(actor: Any) -> list[tuple[str, str]]:
    return list(RoleGrant.objects.filter(user_id=actor.pk, org__is_active=True).values_list("role", "org__path"))


@transaction.atomic
def grant_role(*, actor: Any, user: User, org: Org, role: str) -> RoleGrant:
    """Give `user` a role on `org`. An admin grants at most admin, and only inside their own subtree."""
    if role not in Role.values:
        raise DomainError(_("Unknown role."), field="role")
    if not getattr(actor, "is_superuser", False) and not rules.can_grant(_grants_of(actor), role, org.path):
        raise PermissionDeniedError(
            _("You can grant roles only inside the organisations you administer (%(org)s is outside).")
            % {"org": org.name}, field="org")
    if not org.is_active:
        raise DomainError(_("%(org)s is deactivated.") % {"org": org.name}, field="org")
    grant, created = RoleGrant.objects.get_or_create(user=user, org=org, role=role,
                                                     defaults={"granted_by": actor})
    if not created:
        raise DomainError(_("%(user)s already holds this role on %(org)s.") % {"user": user, "org": org.name},
                          field="role")
    audit.record(actor, "orgs.role.granted", grant, after={"user": user.username, "role": role, "org": org.name})
    user.__dict__.pop("_scope_cache", None)
    return grant


@transaction.atomic
def revoke_role(*, actor: Any, grant: RoleGrant) -> None:
    grant = RoleGrant.objects.select_related("org", "user").get(pk=grant.pk)
    if not getattr(actor, "is_superuser", False) and not rules.can_grant(_grants_of(actor), grant.role,
                                                                          grant.org.path):
        raise PermissionDeniedError(_("You can revoke roles only inside the organisations you administer."))
    if grant.user_id == actor.pk and grant.role == Role.ADMIN and not actor.is_superuser:
        raise DomainError(_("You cannot revoke your own administrator role."))
    audit.record(actor, "orgs.role.revoked", grant, before={"user": grant.user.username, "role": grant.role,
                                                            "org": grant.org.name})
    grant.delete()


def _valid_username(username: str) -> bool:
    try:
        User.username_validator(username)
    except ValidationError:
        return False
    return len(username) <= 150


def _clean_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise DomainError(" ".join(e.messages), field="password") from None


@transaction.atomic
def create_cadre_account(*, actor: Any, username: str, full_name: str, password: str, org: Org, role: str,
                         phone: str = "") -> User:
    """An admin opens a cadre account with one role on an org of their subtree."""
    username = username.strip()
    if not getattr(actor, "is_superuser", False) and not rules.can_grant(_grants_of(actor), role, org.path):
        raise PermissionDeniedError(
            _("You can open accounts only inside the organisations you administer (%(org)s is outside).")
            % {"org": org.name}, field="org")
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = _("Please enter the user name.")
    elif not _valid_username(username):
        errors["username"] = _("A user name may contain only letters, digits and @ . + - _ characters.")
    elif User.objects.filter(username=username).exists():
        errors["username"] = _("The user name %(u)s is taken.") % {"u": username}
    if phone:
        try:
            phone = validate_mobile(phone)
        except IdentifierError as e:
            errors["phone"] = str(e)
        else:
            if User.objects.filter(phone=phone).exists():
                errors["phone"] = _("This mobile number already has an account.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    _clean_password(password)
    user = User(username=username, full_name=full_name.strip(), phone=phone or None)
    user.set_password(password)
    user.save()
    grant_role(actor=actor, user=user, org=org, role=role)
    audit.record(actor, "orgs.account.created", user, after={"username": username, "full_name": full_name},
                 org=org)
    return user


@transaction.atomic
def create_worker_account(*, actor: Any, person: Person, username: str, password: str) -> User:
    """A self-service account for a worker, linked to their record; log-in by user name or phone."""
    _require(person.employer, actor, "change")
    if User.objects.filter(person=person).exists():
        raise DomainError(_("%(name)s already has an account.") % {"name": person.name})
    if User.objects.filter(username=username).exists():
        raise DomainError(_("The user name %(u)s is taken.") % {"u": username}, field="username")
    _clean_password(password)
    phone = person.mobile or None
    if phone and User.objects.filter(phone=phone).exists():
        phone = None
    user = User(username=username.strip(), full_name=person.name, person=person, phone=phone)
    user.set_password(password)
    user.save()
    audit.record(actor, "orgs.account.created", user, after={"username": username, "person": person.pk},
                 org=person.employer)
    return user


@transaction.atomic
def change_password(*, actor: User, old_password: str, new_password: str) -> None:
    if not actor.check_password(old_password):
        raise DomainError(_("The current password is wrong."), field="old_password")
    _clean_password(new_password, actor)
    actor.set_password(new_password)
    actor.save(update_fields=["password"])
    audit.record(actor, "orgs.account.password_changed", actor)


@transaction.atomic
def set_account_active(*, actor: Any, user: User, active: bool) -> User:
    if not user.can_manage_account(actor):
        raise PermissionDeniedError(_("You do not manage this account."))
    if user.pk == actor.pk:
        raise DomainError(_("You cannot deactivate your own account."))
    user.is_active = active
    user.locked_until = None
    user.failed_logins = 0
    user.save(update_fields=["is_active", "locked_until", "failed_logins"])
    audit.record(actor, "orgs.account.activated" if active else "orgs.account.deactivated", user)
    return user


def set_current_scope(*, actor: User, org: Org) -> None:
    """Remember the scope the user switched to (restored at the next log-in). A preference, not audited."""
    from .middleware import user_scopes

    if org.pk not in {o.pk for o in user_scopes(actor)}:
        raise PermissionDeniedError(_("You hold no role on %(org)s.") % {"org": org.name}, field="org")
    if actor.current_scope_id != org.pk:
        actor.current_scope = org
        actor.save(update_fields=["current_scope"])


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_api_token(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token; the clear key is returned once and never stored."""
    name = name.strip()
    if not name:
        raise DomainError(_("Please name the token (what it is for)."), field="name")
    key = "gj_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=key[3:11], key_hash=hash_token(key))
    audit.record(actor, "orgs.token.issued", token, after={"name": name, "prefix": token.prefix})
    return token, key


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise PermissionDeniedError(_("This is not your token."))
    if token.revoked_at:
        raise DomainError(_("The token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, "orgs.token.revoked", token)
    return token


def recount() -> int:
    """Rebuild every pre-aggregated counter from the rows (repair tool; the services keep them current)."""
    return counters.rebuild()
