"""A person's record: validating it (the ID number's check digit, birth date and gender agreeing with it, the
phone, the employer), registering and correcting a worker, recording a certified skill grade (the history is
kept) and revealing the full ID number to a role that needs it (audited)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongjiang.core import audit
from gongjiang.core.crypto import encrypt, lookup_hash
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.ids import IdentifierError, mask_id_card, parse_id_card, validate_mobile
from gongjiang.core.services import require, verb

from .. import counters
from ..choices import ETHNICITIES, SkillGrade
from ..models import Occupation, Org, Person, SkillGradeRecord, User
from .membership import join_union

PERSON_FIELDS = ["name", "gender", "birth_date", "mobile", "ethnicity", "education", "political_status",
                 "employer", "post", "trade", "skill_grade", "is_front_line", "is_migrant", "employment_start"]


def _clean_person_data(data: dict[str, Any], *, instance: Person | None = None) -> dict[str, Any]:
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
            dup = Person.objects.filter(id_hash=clean["id_hash"])
            if instance is not None:
                dup = dup.exclude(pk=instance.pk)
            if dup.exists():
                errors["id_number"] = _("A person with this ID number is already registered.")
    elif instance is not None:
        # No new ID number: birth date and gender stay the ones the registered number encodes.
        if clean.get("birth_date") and clean["birth_date"] != instance.birth_date:
            # Never say which date the registered number holds: staff may not see it.
            errors["birth_date"] = _("The birth date does not match the registered ID number; correct the ID number "
                                     "instead.")
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


@verb
def create_person(*, actor: User, employer: Org, membership: dict[str, Any] | None = None, **data: Any) -> Person:
    """Register a worker with their employer; with `membership` (member_since, card_no) they join the
    employer's grassroots union."""
    require(employer, actor, "change")
    data = _clean_person_data({**data, "employer": employer})
    person = Person.objects.create(**data)
    if data.get("skill_grade"):
        SkillGradeRecord.objects.create(person=person, grade=data["skill_grade"], trade=data.get("trade"),
                                        source=_("Registration"))
    audit.record(actor, "orgs.person.created", person, after=audit.snapshot(person, PERSON_FIELDS))
    if membership is not None:
        join_union(actor=actor, person=person, **membership)
    counters.refresh([employer.pk])
    return person


@verb
def update_person(*, actor: User, person: Person, **data: Any) -> Person:
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
        require(new_employer, actor, "change")
        if new_employer.grassroots_union() != person.employer.grassroots_union():
            raise DomainError(_("Moving to another grassroots union is a membership transfer."), field="employer")
    grade = data.get("skill_grade")
    data = _clean_person_data(data, instance=person)
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


@verb
def record_skill_grade(*, actor: User, person: Person, grade: int, certificate_no: str = "",
                       certified_on: datetime.date | None = None, trade: Occupation | None = None,
                       source: str = "") -> SkillGradeRecord:
    """Record a certified grade (history kept); the person's current grade becomes the newest."""
    person = Person.objects.select_for_update().select_related("employer").get(pk=person.pk)
    require(person.employer, actor, "change")
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


@verb
def reveal_id_number(*, actor: User, person: Person) -> str:
    """Return the clear ID number to a role that needs it; every reveal is audited."""
    if not person.can_see_id(actor):
        raise PermissionDeniedError(_("Only administrators of this unit may see the full ID number."))
    audit.record(actor, "orgs.person.id_revealed", person)
    return person.id_number


@verb
def record_roster_export(*, actor: User, org: Org) -> None:
    """A roster export with the full ID numbers and phones of `org`'s subtree is about to be handed out: only its
    administrators may take one, and each is audited (an export with the numbers masked is not)."""
    require(org, actor, "manage")
    audit.record(actor, "orgs.person.exported", org, note=_("Roster export with full ID numbers"))
