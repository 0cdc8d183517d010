"""Request and response schemas of the orgs API (orgs, people, transfers, imports, tokens).

Vocabularies travel as codes with a `*_label` in the request's language (translated when the answer is
built); dates are ISO 8601. The clear ID number is never part of a schema except `RevealedId`.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Literal

from ninja import Field, Schema

from gongjiang.core.api import request_user

from .choices import Education, Industry, OrgKind, Ownership, Political, SkillGrade

if TYPE_CHECKING:
    from .models import Org, Person

# ---------------------------------------------------------------------------------------------
# Shared


class OrgRef(Schema):
    id: int
    name: str
    code: str


class UserRef(Schema):
    id: int
    username: str
    full_name: str


class MessageOut(Schema):
    detail: str


# ---------------------------------------------------------------------------------------------
# Orgs


class OrgOut(Schema):
    id: int
    name: str
    short_name: str
    code: str
    kind: str
    kind_label: str
    depth: int
    region_code: str
    credit_code: str
    industry: str
    industry_label: str
    ownership: str
    ownership_label: str
    employee_count: int
    address: str
    contact_name: str
    contact_phone: str
    industry_union_id: int | None
    is_active: bool
    person_count: int = Field(description="People employed directly by this org (not its subtree).")
    member_count: int = Field(description="Members held directly by this union (not its subtree).")
    has_children: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_kind_label(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_industry_label(obj: Any) -> str:
        return str(obj.get_industry_display()) if obj.industry else ""

    @staticmethod
    def resolve_ownership_label(obj: Any) -> str:
        return str(obj.get_ownership_display()) if obj.ownership else ""

    @staticmethod
    def resolve_has_children(obj: Org) -> bool:
        return obj.numchild > 0


class OrgChildOut(OrgOut):
    subtree_people: int = Field(description="People employed in this org and all orgs below it.")
    subtree_members: int = Field(description="Members held in this org and all orgs below it.")


class OrgDetailOut(OrgChildOut):
    ancestors: list[OrgRef] = Field(description="From the root down to the parent (the breadcrumb).")
    parent_id: int | None
    can_change: bool
    can_manage: bool
    can_restructure: bool = Field(description="Whether you may deactivate, reactivate or move it, or change its kind "
                                  "or industry union: only units strictly below the org of your role.")

    @staticmethod
    def resolve_can_change(obj: Any, context: Any) -> bool:
        return bool(obj.can_change(request_user(context)))

    @staticmethod
    def resolve_can_manage(obj: Any, context: Any) -> bool:
        return bool(obj.can_manage(request_user(context)))

    @staticmethod
    def resolve_can_restructure(obj: Any, context: Any) -> bool:
        return bool(obj.can_restructure(request_user(context)))


class OrgIn(Schema):
    """Fields of an org as sent on create; on update every field is optional."""

    name: str = Field(max_length=120)
    short_name: str = Field("", max_length=40)
    code: str = Field(max_length=32, description="Unique code of the org (e.g. the region code for a federation).")
    kind: OrgKind
    region_code: str = Field("", max_length=6, description="GB/T 2260 region code, 6 digits.")
    credit_code: str = Field("", max_length=18, description="统一社会信用代码, 18 characters (GB 32100).")
    industry: Industry | Literal[""] = ""
    ownership: Ownership | Literal[""] = ""
    employee_count: int = Field(0, ge=0)
    address: str = Field("", max_length=200)
    contact_name: str = Field("", max_length=40)
    contact_phone: str = Field("", max_length=20)
    industry_union: int | None = Field(None, description="Id of the industry union this org is affiliated to.")


class OrgCreateIn(OrgIn):
    parent: int = Field(description="Id of the org to create the new one under.")


class OrgUpdateIn(Schema):
    name: str | None = Field(None, max_length=120)
    short_name: str | None = Field(None, max_length=40)
    code: str | None = Field(None, max_length=32)
    kind: OrgKind | None = None
    region_code: str | None = Field(None, max_length=6)
    credit_code: str | None = Field(None, max_length=18)
    industry: Industry | Literal[""] | None = None
    ownership: Ownership | Literal[""] | None = None
    employee_count: int | None = Field(None, ge=0)
    address: str | None = Field(None, max_length=200)
    contact_name: str | None = Field(None, max_length=40)
    contact_phone: str | None = Field(None, max_length=20)
    industry_union: int | None = Field(None, description="Id of an industry union; null removes the affiliation.")


class MoveIn(Schema):
    parent: int = Field(description="Id of the new parent org.")


class DeactivateIn(Schema):
    reason: str = Field("", max_length=200)


# ---------------------------------------------------------------------------------------------
# People


class TradeOut(Schema):
    code: str
    name: str


class PersonOut(Schema):
    """A person in a list: ID number and mobile masked."""

    id: int
    name: str
    id_masked: str
    gender: str
    gender_label: str
    birth_date: datetime.date | None = Field(description="Only for those who may see the full ID number (it holds"
                                                         " the birth date); otherwise null: see `birth_year`.")
    birth_year: int
    mobile_masked: str
    employer: OrgRef
    post: str
    trade: TradeOut | None
    skill_grade: int
    skill_grade_label: str
    is_front_line: bool
    is_migrant: bool
    membership_status: str | None
    membership_status_label: str

    @staticmethod
    def resolve_gender_label(obj: Any) -> str:
        return str(obj.get_gender_display())

    @staticmethod
    def resolve_birth_date(obj: Any, context: Any) -> datetime.date | None:
        return obj.birth_date if obj.can_see_id(request_user(context)) else None

    @staticmethod
    def resolve_birth_year(obj: Any) -> int:
        return int(obj.birth_date.year)

    @staticmethod
    def resolve_skill_grade_label(obj: Any) -> str:
        return str(obj.get_skill_grade_display())

    @staticmethod
    def resolve_membership_status(obj: Any) -> str | None:
        m = _membership(obj)
        return m.status if m else None

    @staticmethod
    def resolve_membership_status_label(obj: Any) -> str:
        m = _membership(obj)
        return str(m.get_status_display()) if m else ""


def _membership(person: Any) -> Any:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return person.membership
    except ObjectDoesNotExist:
        return None


class MembershipOut(Schema):
    union: OrgRef
    member_since: datetime.date | None
    card_no: str
    status: str
    status_label: str

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class GradeRecordOut(Schema):
    id: int
    grade: int
    grade_label: str
    trade: TradeOut | None
    certificate_no: str
    certified_on: datetime.date | None
    source: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_grade_label(obj: Any) -> str:
        return str(obj.get_grade_display())


class PersonDetailOut(PersonOut):
    """One person: the mobile in clear only for those who may change the record (and the person)."""

    mobile: str | None
    ethnicity: str
    education: str
    education_label: str
    political_status: str
    political_status_label: str
    employment_start: datetime.date | None
    membership: MembershipOut | None
    grade_records: list[GradeRecordOut]
    can_change: bool
    can_see_id: bool = Field(description="Whether POST /people/{id}/reveal-id would show the full ID number.")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_education_label(obj: Any) -> str:
        return str(obj.get_education_display()) if obj.education else ""

    @staticmethod
    def resolve_political_status_label(obj: Any) -> str:
        return str(obj.get_political_status_display()) if obj.political_status else ""

    @staticmethod
    def resolve_membership(obj: Any) -> Any:
        return _membership(obj)

    @staticmethod
    def resolve_grade_records(obj: Any) -> list[Any]:
        records = getattr(obj, "grade_records_list", None)
        return records if records is not None else list(obj.grade_records.select_related("trade"))

    @staticmethod
    def resolve_can_change(obj: Any, context: Any) -> bool:
        return bool(obj.can_change(request_user(context)))

    @staticmethod
    def resolve_can_see_id(obj: Any, context: Any) -> bool:
        return bool(obj.can_see_id(request_user(context)))

    @staticmethod
    def resolve_mobile(obj: Person, context: Any) -> str | None:
        user = request_user(context)
        if getattr(user, "person_id", None) == obj.pk or obj.can_change(user):
            return obj.mobile
        return None


class MembershipIn(Schema):
    member_since: datetime.date | None = None
    card_no: str = Field("", max_length=30)


class PersonCreateIn(Schema):
    name: str = Field(max_length=40)
    id_number: str = Field(max_length=18, description="18-character ID number (GB 11643 check digit).")
    gender: Literal["M", "F"] | None = Field(None, description="Optional: taken from the ID number; if given it"
                                                               " must agree.")
    birth_date: datetime.date | None = Field(None, description="Optional: taken from the ID number; if given it"
                                                               " must agree.")
    mobile: str = Field("", max_length=20)
    ethnicity: str = Field("", max_length=10, description="One of the 56 ethnic groups, e.g. 汉族.")
    education: Education | Literal[""] = ""
    political_status: Political | Literal[""] = ""
    employer: int = Field(description="Id of the grassroots union, department or team employing the person.")
    post: str = Field("", max_length=60)
    trade: str | None = Field(None, description="Occupation code of the national classification, e.g. 6-18-01-01.")
    skill_grade: SkillGrade = SkillGrade.NONE
    is_front_line: bool = False
    is_migrant: bool = False
    employment_start: datetime.date | None = None
    membership: MembershipIn | None = Field(None, description="Given: the person joins the employer's union.")


class PersonUpdateIn(Schema):
    name: str | None = Field(None, max_length=40)
    id_number: str | None = Field(None, max_length=18, description="Correct a wrongly registered ID number.")
    gender: Literal["M", "F"] | None = None
    birth_date: datetime.date | None = None
    mobile: str | None = Field(None, max_length=20)
    ethnicity: str | None = Field(None, max_length=10)
    education: Education | Literal[""] | None = None
    political_status: Political | Literal[""] | None = None
    employer: int | None = Field(None, description="Another unit of the same grassroots union (otherwise use a"
                                                   " transfer).")
    post: str | None = Field(None, max_length=60)
    trade: str | None = None
    skill_grade: SkillGrade | None = None
    is_front_line: bool | None = None
    is_migrant: bool | None = None
    employment_start: datetime.date | None = None


class GradeIn(Schema):
    grade: SkillGrade
    certificate_no: str = Field("", max_length=40)
    certified_on: datetime.date | None = None
    trade: str | None = Field(None, description="Occupation code; defaults to the person's trade.")
    source: str = Field("", max_length=60)


class RevealedId(Schema):
    id: int
    id_number: str


class PeopleFilter(Schema):
    q: str | None = Field(None, max_length=40, description=(
        "The site's people search, as on the pages: part of the name; the last four characters of the ID number "
        "(also matching a mobile number ending with them); the end of the mobile number (4-10 digits); a whole "
        "mobile number or a whole ID number (exact, through the keyed hash). An 18-character number that is not "
        "a valid ID number, or 1-3 digits, is refused (400, field `q`)."))
    name: str | None = Field(None, max_length=40, description="Name, or its beginning (served by the name index).")
    id_number: str | None = Field(None, max_length=18, description="The full ID number (exact match).")
    mobile: str | None = Field(None, max_length=11, description="The full mobile number (exact match).")
    org: int | None = Field(None, description="Only people employed in this org's subtree (regional or industry).")
    trade: str | None = Field(None, description="Occupation code.")
    grade: SkillGrade | None = None
    front_line: bool | None = None
    migrant: bool | None = None


# ---------------------------------------------------------------------------------------------
# Transfers


class PersonRef(Schema):
    id: int
    name: str
    id_masked: str


class TransferOut(Schema):
    id: int
    person: PersonRef
    from_union: OrgRef
    to_union: OrgRef
    to_employer: OrgRef
    state: str
    state_label: str
    reason: str
    decision_note: str
    requested_by: UserRef | None
    decided_by: UserRef | None
    requested_at: datetime.datetime
    decided_at: datetime.datetime | None
    can_decide: bool
    can_cancel: bool

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_can_decide(obj: Any, context: Any) -> bool:
        return bool(obj.can_decide(request_user(context)))

    @staticmethod
    def resolve_can_cancel(obj: Any, context: Any) -> bool:
        return bool(obj.can_cancel(request_user(context)))


class TransferIn(Schema):
    person: int
    to_employer: int = Field(description="Id of the destination grassroots union, department or team.")
    reason: str = Field("", max_length=200)


class DecisionIn(Schema):
    note: str = Field("", max_length=200, description="Required when refusing.")


class TransfersDecisionIn(Schema):
    ids: list[int] = Field(min_length=1, max_length=200, description="Ids of the transfers to decide (at most 200).")
    decision: Literal["accept", "refuse"]
    note: str = Field("", max_length=200, description="Required when refusing: one reason for every transfer.")


class UndecidedOut(Schema):
    id: int
    name: str = Field(description="The worker's name; empty for an id not in your scope (never named).")
    detail: str = Field(description="Why it was not decided, in the request's language.")
    code: str = Field(description="already_decided, forbidden, not_found, invalid.")


class TransfersDecisionOut(Schema):
    decision: Literal["accept", "refuse"]
    decided: list[TransferOut] = Field(description="The transfers now accepted or refused, in id order.")
    undecided: list[UndecidedOut] = Field(description="Those left as they were, each with the reason.")


class TransferFilter(Schema):
    direction: Literal["incoming", "outgoing"] | None = Field(
        None, description="incoming: into unions of your scope; outgoing: out of them; empty: both.")
    state: Literal["requested", "accepted", "refused", "cancelled"] | None = None


# ---------------------------------------------------------------------------------------------
# Imports


ERRORS_SHOWN = 100


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ImportJobOut(Schema):
    id: int
    kind: str
    org: OrgRef
    filename: str
    state: str
    state_label: str
    finished: bool
    total_rows: int
    processed_rows: int
    progress_percent: int
    error_count: int
    errors: list[RowErrorOut] = Field(description=f"The first {ERRORS_SHOWN} errors (row, column, message).")
    error_report_url: str | None = Field(description="The .xlsx with the bad cells marked, when there are errors.")
    message: str
    summary: dict[str, Any]
    params: dict[str, Any] = Field(description="The import's start parameters, e.g. {\"competition\": 12}.")
    created_at: datetime.datetime
    finished_at: datetime.datetime | None

    @staticmethod
    def resolve_org(obj: Any) -> dict[str, Any]:
        """The union as it is now (`orgs.api` annotates its name and code), or as the job recorded it."""
        return {"id": obj.org_id, "name": getattr(obj, "org_current_name", None) or obj.org_name,
                "code": getattr(obj, "org_code", None) or ""}

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_errors(obj: Any) -> list[dict[str, Any]]:
        return list(obj.errors[:ERRORS_SHOWN])

    @staticmethod
    def resolve_error_report_url(obj: Any) -> str | None:
        from django.urls import reverse

        return reverse("api:import_error_report", args=[obj.pk]) if obj.error_report else None


# ---------------------------------------------------------------------------------------------
# Tokens and the current user


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters after gj_, to recognise the token.")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    is_active: bool


class TokenIssued(TokenOut):
    key: str = Field(description="The token itself: shown only now, never again (only its hash is stored).")


class TokenIn(Schema):
    name: str = Field(max_length=60, description="What the token is for, e.g. 人事系统同步.")


class GrantOut(Schema):
    org: OrgRef
    role: str
    role_label: str

    @staticmethod
    def resolve_role_label(obj: Any) -> str:
        return str(obj.get_role_display())


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    is_superuser: bool
    person_id: int | None
    grants: list[GrantOut]

