"""What the archive's verbs share (not verbs themselves): the local threshold, the approving union, reading members,
grading a file, the permission checks of each step."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gongjiang.core.crypto import encrypt, lookup_hash
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.ids import IdentifierError, mask_id_card, parse_id_card
from gongjiang.core.scoping import scope_for
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.models import Org, User
from gongjiang.orgs.scoping import ancestors

from .choices import Health, Relation, Schooling, Work
from .models import CareSetting, HouseholdFile, Member
from .models.files import ACTIVE_STATUSES
from .rules import grading


def threshold_for(org: Org) -> tuple[Decimal | None, Org | None]:
    """The local threshold that applies at `org`: its own, or the nearest one above it; and the org that set it."""
    found = (CareSetting.objects.filter(org__path__in=ancestors(org.path)).select_related("org")
             .order_by("-org__depth").first())
    return (found.monthly_minimum, found.org) if found else (None, None)


def approving_union(union: Org) -> Org:
    """The union that approves the files of `union`: the nearest county federation above it, else its city
    federation, else the top of its tree."""
    chain = union.ancestors_and_self()
    for kind in (OrgKind.COUNTY, OrgKind.CITY):
        for org in reversed(chain):
            if org.kind == kind:
                return org
    return chain[0]


@dataclass(frozen=True)
class MemberRow:
    """A member read and checked from input: the clear number never leaves this object except encrypted."""

    relation: str
    name: str
    id_encrypted: str
    id_hash: str
    id_masked: str
    gender: str
    birth_date: datetime.date
    health: str
    schooling: str
    work: str
    monthly_income: Decimal

    def facts(self) -> grading.MemberFacts:
        return grading.MemberFacts(self.relation, self.health, self.work, self.monthly_income)

    def as_payload(self) -> dict[str, Any]:
        return {"relation": self.relation, "name": self.name, "id_encrypted": self.id_encrypted,
                "id_hash": self.id_hash, "id_masked": self.id_masked, "gender": self.gender,
                "birth_date": self.birth_date.isoformat(), "health": self.health, "schooling": self.schooling,
                "work": self.work, "monthly_income": str(self.monthly_income)}

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> MemberRow:
        return cls(**{**data, "birth_date": datetime.date.fromisoformat(data["birth_date"]),
                      "monthly_income": Decimal(data["monthly_income"])})

    def model(self, file: HouseholdFile) -> Member:
        return Member(file=file, relation=self.relation, name=self.name, id_encrypted=self.id_encrypted,
                      id_hash=self.id_hash, id_masked=self.id_masked, gender=self.gender, birth_date=self.birth_date,
                      health=self.health, schooling=self.schooling, work=self.work,
                      monthly_income=self.monthly_income)


def read_members(raw: Sequence[dict[str, Any]], worker_hash: str) -> list[MemberRow]:
    """Check every member (errors for all at once, each naming the row and the field) and return them."""
    errors: dict[str, str] = {}
    rows: list[MemberRow] = []
    if not raw:
        raise DomainError(_("Add the members of the household, the worker first."), field="members")
    if len(raw) > 20:
        raise DomainError(_("A household has at most 20 members."), field="members")
    choices = {"relation": Relation, "health": Health, "schooling": Schooling, "work": Work}
    for i, item in enumerate(raw):
        where = _("Member %(n)d") % {"n": i + 1}
        name = str(item.get("name") or "").strip()
        if not name or len(name) > 40:
            errors[f"members.{i}.name"] = _("%(where)s: give a name of at most 40 characters.") % {"where": where}
        else:
            where = _("Member %(n)d (%(name)s)") % {"n": i + 1, "name": name}
        values: dict[str, str] = {}
        for key, kind in choices.items():
            value = str(item.get(key) or "").strip() or (kind.values[0] if key != "relation" else "")
            if value not in kind.values:
                errors[f"members.{i}.{key}"] = _("%(where)s: choose one of %(choices)s.") % {
                    "where": where, "choices": "、".join(str(label) for label in kind.labels)}
            values[key] = value
        try:
            income = grading.read_income(item.get("monthly_income", ""))
        except grading.IncomeError as e:
            errors[f"members.{i}.monthly_income"] = f"{where}：{e}"
            income = Decimal(0)
        try:
            info = parse_id_card(str(item.get("id_number") or ""))
        except IdentifierError as e:
            errors[f"members.{i}.id_number"] = f"{where}：{e}"
            continue
        if f"members.{i}.name" in errors or any(f"members.{i}.{k}" in errors for k in choices):
            continue
        rows.append(MemberRow(values["relation"], name, encrypt(info.number), lookup_hash(info.number),
                              mask_id_card(info.number), info.gender, info.birth_date, values["health"],
                              values["schooling"], values["work"], income))
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    hashes = [r.id_hash for r in rows]
    twice = [r for i, r in enumerate(rows) if r.id_hash in hashes[:i]]
    if twice:
        raise DomainError(_("%(name)s is entered twice in this household.") % {"name": twice[0].name},
                          field="members")
    selves = [r for r in rows if r.relation == Relation.SELF]
    if len(selves) != 1:
        raise DomainError(_("Exactly one member must be the worker themself."), field="members")
    if selves[0].id_hash != worker_hash:
        raise DomainError(_("The ID number of the member \"the worker\" is not the worker's."), field="members")
    return rows


def duplicates(hashes: Iterable[str], *, exclude_file: int | None = None) -> list[dict[str, Any]]:
    """Members with these ID hashes in another active file anywhere (every city of the province): ONE query driven
    by the index on `id_hash` (an IN over the hashes), whatever the household's size or the archive's. The files'
    status is filtered here rather than in the WHERE clause: a condition on the files' table lets a planner start
    from the files (SQLite walks the status index: 30 ms at 30,000 members instead of a fraction of one)."""
    wanted = sorted(set(hashes))
    if not wanted:
        return []
    rows = (Member.objects.filter(id_hash__in=wanted)
            .values_list("name", "id_masked", "id_hash", "file_id", "file__union__name", "file__status")
            .order_by("file_id", "id"))
    active = set(ACTIVE_STATUSES)
    return [{"name": name, "id_masked": masked, "id_hash": h, "file": file_id, "union": union}
            for name, masked, h, file_id, union, status in rows if status in active and file_id != exclude_file]


def refuse_duplicates(found: Sequence[dict[str, Any]]) -> None:
    if found:
        first = found[0]
        raise DomainError(_("%(name)s (ID %(masked)s) is already in household file no. %(file)s of %(union)s: one "
                            "person may be in one file only.") % {"name": first["name"], "masked": first["id_masked"],
                                                                  "file": first["file"], "union": first["union"]},
                          field="members", code="duplicate")


def regrade(file: HouseholdFile, rows: Sequence[grading.MemberFacts], causes: Sequence[str]) -> grading.Grading:
    threshold, _set_by = threshold_for(file.union)
    result = grading.grade(rows, causes, threshold)
    file.grade, file.grade_reasons, file.threshold = result.grade, list(result.reasons), threshold
    return result


def member_facts(file: HouseholdFile) -> list[grading.MemberFacts]:
    return [grading.MemberFacts(m.relation, m.health, m.work, m.monthly_income) for m in file.members.all()]


def require_caseworker_side(actor: User, file: HouseholdFile) -> None:
    """Filing, changes, exits and reviews: staff or administrators of the enterprise union or above (regionally)."""
    if not file.can_change(actor):
        raise PermissionDeniedError(_("Only the staff of %(org)s or of a union above it may do this.")
                                    % {"org": file.union.display_name})


def require_checker(actor: User, file: HouseholdFile) -> None:
    """The enterprise union's check (企业工会审核): a change role covering the enterprise union (a union above may
    check for an enterprise union without staff of its own); the approval then needs another account."""
    if not scope_for(actor, "change").covers_regionally(file.union.path):
        raise PermissionDeniedError(_("This request is checked by the enterprise union, %(org)s.")
                                    % {"org": file.union.display_name}, code="not_checker")


def require_approver(actor: User, file: HouseholdFile) -> None:
    """The approval (县/市总工会审批): a change role covering the approving union."""
    if not scope_for(actor, "change").covers_regionally(file.approver.path):
        raise PermissionDeniedError(_("This request is approved by %(org)s; it is not yours to approve.")
                                    % {"org": file.approver.display_name}, code="not_approver")


def read_causes(raw: Iterable[str]) -> list[str]:
    from .choices import Cause

    causes = [str(c) for c in raw]
    unknown = [c for c in causes if c not in Cause.values]
    if unknown or not causes:
        raise DomainError(_("Choose at least one cause of hardship from the list."), field="causes")
    return [c for c in Cause.values if c in causes]
