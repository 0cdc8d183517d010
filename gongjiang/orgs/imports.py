"""The roster import (职工名册导入): one row per worker, matched by ID number (never duplicated)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import imports
from gongjiang.core.cells import choice_parser, mask_date, parse_bool, parse_date, parse_id, parse_mobile, parse_text
from gongjiang.core.crypto import encrypt, lookup_hash
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.ids import IdentifierError, mask_id_card, parse_id_card
from gongjiang.core.imports import CellError, Column
from gongjiang.core.types import Account

from . import counters, rules
from .choices import ETHNICITIES, Education, MembershipStatus, Political, SkillGrade
from .import_targets import OrgTarget
from .models import Membership, Occupation, Org, Person, SkillGradeRecord

if TYPE_CHECKING:
    from gongjiang.core.models import ImportJob

    from .models import User

# ---------------------------------------------------------------------------------------------
# Cell parsers of the roster's own vocabularies (the shared ones are core.cells)

# The words of GB/T 4658 (文化程度) and GB/T 4762 (政治面貌) as cadres write them in rosters.
EDUCATION_ALIASES = {
    "博士研究生": Education.DOCTOR, "博士": Education.DOCTOR, "硕士研究生": Education.MASTER,
    "硕士": Education.MASTER, "研究生": Education.MASTER, "大学本科": Education.BACHELOR,
    "本科": Education.BACHELOR, "大学专科": Education.COLLEGE, "大专": Education.COLLEGE,
    "专科": Education.COLLEGE, "中等专科": Education.VOCATIONAL, "中专": Education.VOCATIONAL,
    "中技": Education.VOCATIONAL, "中专/中技": Education.VOCATIONAL, "技工学校": Education.VOCATIONAL,
    "职高": Education.VOCATIONAL, "高中": Education.HIGH, "普通高中": Education.HIGH,
    "初中及以下": Education.JUNIOR, "初中": Education.JUNIOR, "小学": Education.JUNIOR,
}
POLITICAL_ALIASES = {
    "中共党员": Political.CPC, "党员": Political.CPC, "中共预备党员": Political.CPC_PROBATION,
    "预备党员": Political.CPC_PROBATION, "共青团员": Political.CYL, "团员": Political.CYL,
    "民主党派": Political.DEMOCRATIC, "民主党派成员": Political.DEMOCRATIC, "群众": Political.MASSES,
}


GRADE_ALIASES = {
    "初级工": 5, "五级": 5, "5": 5, "中级工": 4, "四级": 4, "4": 4, "高级工": 3, "三级": 3, "3": 3,
    "技师": 2, "二级": 2, "2": 2, "高级技师": 1, "一级": 1, "1": 1, "无": 0, "0": 0,
}


def parse_grade(text: str, ctx: Any = None) -> int:
    t = text.strip().replace("／", "/")
    for part in [t, *t.split("/")]:
        if part in GRADE_ALIASES:
            return GRADE_ALIASES[part]
    for value, label in SkillGrade.choices:
        if t == str(label):
            return int(value)
    raise CellError(_("“%(v)s” is not a skill grade; write e.g. 四级/中级工 or 技师.") % {"v": text})


def parse_gender(text: str, ctx: Any = None) -> str:
    t = text.strip()
    if t in {"男", "M", "m"}:
        return "M"
    if t in {"女", "F", "f"}:
        return "F"
    raise CellError(_("Write 男 or 女."))


def parse_ethnicity(text: str, ctx: Any = None) -> str:
    t = text.strip()
    if t in ETHNICITIES:
        return t
    if t + "族" in ETHNICITIES:
        return t + "族"
    raise CellError(_("“%(v)s” is not one of the 56 ethnic groups.") % {"v": t})


def parse_employer(text: str, ctx: RosterContext) -> Org:
    org = ctx.orgs.get(text.strip())
    if org is None:
        raise CellError(_("No unit with code %(code)s in %(scope)s.") % {"code": text, "scope": ctx.root.name})
    if not org.employs_people:
        raise CellError(_("%(org)s is a %(kind)s; people are registered in a grassroots union, department or"
                          " team.") % {"org": org.name, "kind": org.get_kind_display()})
    if not org.is_active:
        raise CellError(_("%(org)s is deactivated.") % {"org": org.name})
    return org


def parse_trade(text: str, ctx: RosterContext) -> Occupation:
    t = text.strip()
    occ = ctx.trades_by_code.get(t) or ctx.trades_by_name.get(t)
    if occ is None:
        raise CellError(_("“%(v)s” is not an occupation of the national classification (e.g. 6-18-01-01 or 车工).")
                        % {"v": t})
    return occ


@dataclass
class RosterContext:
    root: Org
    union: Org  # the grassroots union the import lands in (people already there may be updated)
    actor: User | None  # who uploaded (None once the account is deleted)
    orgs: dict[str, Org] = field(default_factory=dict)
    trades_by_code: dict[str, Occupation] = field(default_factory=dict)
    trades_by_name: dict[str, Occupation] = field(default_factory=dict)
    existing: dict[str, tuple[int, int, str]] = field(default_factory=dict)  # id_hash -> (pk, employer_id, path)
    # Parsed once in `prepare`, reused by validation: cell text -> IdCardInfo, number -> keyed hash.
    parsed_ids: dict[str, Any] = field(default_factory=dict)
    id_hashes: dict[str, str] = field(default_factory=dict)
    choice_tables: dict[Any, dict[str, Any]] = field(default_factory=dict)  # parser -> its table, this language


class RosterImport(OrgTarget, imports.ImportSpec):
    kind = "roster"
    title = gettext_lazy("Roster")
    target_kinds = frozenset(rules.EMPLOYER_KINDS)  # people are registered in a grassroots union, department, team
    unique_keys = ("id_number",)  # parsed: equal numbers (whatever their spacing or case) are one person
    columns = [
        Column("name", "姓名", required=True, parse=parse_text(40), example="张三", width=10),
        Column("id_number", "身份证号", required=True, parse=parse_id, example="370102199003071234",
               help="18位居民身份证号码，末位校验码按GB 11643校验；已登记的职工按身份证号匹配并更新", width=22,
               sensitive=True),
        Column("gender", "性别", parse=parse_gender, example="男",
               help="可不填，按身份证号判断；填写时须与身份证号一致", width=6, repeats=True),
        Column("birth_date", "出生日期", parse=parse_date, example="1990-03-07",
               help="可不填；填写时须与身份证号一致", sensitive=True, mask=mask_date),
        Column("mobile", "手机号码", parse=parse_mobile, example="13912345678", width=14),
        Column("ethnicity", "民族", parse=parse_ethnicity, example="汉族", width=8, repeats=True),
        Column("education", "文化程度", parse=choice_parser(Education, EDUCATION_ALIASES), example="大学专科",
               repeats=True),
        Column("political_status", "政治面貌", parse=choice_parser(Political, POLITICAL_ALIASES), example="群众",
               repeats=True),
        Column("employer", "所在单位编码", parse=parse_employer, example="",
               help="可不填，默认为导入的单位；填写时须为本单位或其下属车间、班组的编码", aliases=("单位编码",),
               repeats=True),
        Column("post", "岗位", parse=parse_text(60), example="车工", repeats=True),
        Column("trade", "工种", parse=parse_trade, example="6-18-01-01",
               help="国家职业分类大典（2022）的职业编码或名称，如 6-18-01-01 或 车工", repeats=True),
        Column("skill_grade", "技能等级", parse=parse_grade, example="四级/中级工",
               help="五级/初级工、四级/中级工、三级/高级工、二级/技师、一级/高级技师", repeats=True),
        Column("certificate_no", "证书编号", parse=parse_text(40), example=""),
        Column("certified_on", "发证日期", parse=parse_date, example=""),
        Column("is_front_line", "一线职工", parse=parse_bool, example="是", help="是/否", width=8, repeats=True),
        Column("is_migrant", "农民工", parse=parse_bool, example="否", help="是/否", width=8, repeats=True),
        Column("employment_start", "入职日期", parse=parse_date, example="2015-07-01"),
        Column("member_since", "入会日期", parse=parse_date, example="2015-09-01",
               help="填写则登记为本单位工会会员"),
        Column("card_no", "会员证号", parse=parse_text(30), example=""),
    ]

    def check_start(self, actor: Account, org: Org, params: dict[str, Any]) -> None:
        if not org.in_scope(actor, "change"):
            raise PermissionDeniedError(_("You may import people only into units you manage."))
        if org.kind not in rules.EMPLOYER_KINDS:
            raise PermissionDeniedError(_("Import a roster into a grassroots union (or one of its departments"
                                          " or teams)."))

    def can_see_sensitive(self, user: Account, job: ImportJob) -> bool:
        """The unit's administrators, who may reveal its people's ID numbers (as `Person.can_see_id`)."""
        return bool(job.in_scope(user, "manage"))

    def prepare(self, job: Any, rows: list[dict[str, str]]) -> RosterContext:
        root = self.get_target(job)
        if root is None:
            raise DomainError(_("The unit of this import no longer exists."))
        ctx = RosterContext(root=root, union=root.grassroots_union() or root, actor=job.created_by)
        # The imported unit's own subtree: a handful of departments and teams.
        ctx.orgs = {o.code: o for o in Org.objects.filter(path__startswith=root.path)}
        trade_texts = {r.get("trade", "").strip() for r in rows if r.get("trade")}
        if trade_texts:
            for occ in Occupation.objects.filter(level=4).filter(code__in=trade_texts):
                ctx.trades_by_code[occ.code] = occ
            for occ in Occupation.objects.filter(level=4, name__in=trade_texts - set(ctx.trades_by_code)):
                ctx.trades_by_name.setdefault(occ.name, occ)
        hashes: list[str] = []
        for r in rows:
            text = r.get("id_number", "")
            try:
                info = parse_id_card(text)
            except IdentifierError:
                continue
            ctx.parsed_ids[text] = info
            h = ctx.id_hashes[info.number] = lookup_hash(info.number)
            hashes.append(h)
        for chunk in imports.iter_chunks(hashes, 900):
            for pk, h, employer_id, path in Person.objects.filter(id_hash__in=chunk).values_list(
                    "pk", "id_hash", "employer_id", "employer__path"):
                ctx.existing[h] = (pk, employer_id, path)
        return ctx

    def clean_row(self, row: dict[str, Any], ctx: RosterContext) -> dict[str, str]:
        errors: dict[str, str] = {}
        info = row["id_number"]
        row["id_hash"] = ctx.id_hashes.get(info.number) or lookup_hash(info.number)
        if row.get("birth_date") and row["birth_date"] != info.birth_date:
            # No dates in the message: everyone who sees the job reads it, and the ID number's birth date beside
            # its last four characters would rebuild the number (the report masks both cells).
            errors["birth_date"] = _("The birth date does not match the birth date in the ID number.")
        if row.get("gender") and row["gender"] != info.gender:
            errors["gender"] = _("The gender does not match the ID number.")
        known = ctx.existing.get(row["id_hash"])
        if known and not known[2].startswith(ctx.union.path):
            errors["id_number"] = _("This person is registered with another union; use a membership transfer"
                                    " to move them here.")
        elif known and not known[2].startswith(ctx.root.path):
            # Same union, another department: the importer's rights may not reach them.
            errors["id_number"] = _("This person is registered in another unit of the union; import them from"
                                    " %(org)s or a unit that contains theirs.") % {"org": ctx.union.name}
        if row.get("certified_on") and not row.get("skill_grade"):
            errors["skill_grade"] = _("A certification date needs a skill grade.")
        return errors

    def commit(self, job: Any, rows: list[dict[str, Any]], ctx: RosterContext) -> dict[str, Any]:
        return commit_roster(job, rows, ctx)


PERSON_COLUMNS = ["id", "name", "id_encrypted", "id_hash", "id_masked", "gender", "birth_date", "mobile", "ethnicity",
                  "education", "political_status", "employer", "post", "trade", "skill_grade", "is_front_line",
                  "is_migrant", "employment_start", "created_at", "updated_at"]


def commit_roster(job: Any, rows: list[dict[str, Any]], ctx: RosterContext) -> dict[str, Any]:
    """Insert new people in bulk, update known ones, record grades and memberships, keep counters."""
    from gongjiang.core.audit import Ref, record_bulk
    from gongjiang.core.bulk import insert_rows, reserve_ids

    root, union = ctx.root, ctx.union
    new_rows = [r for r in rows if r["id_hash"] not in ctx.existing]
    audited: list[Any] = []
    updates: list[Person] = []
    grade_rows: list[tuple[dict[str, Any], int]] = []
    touched: set[int] = {union.pk}  # orgs whose counters change (counters.refresh at the end)
    existing_ids = [ctx.existing[r["id_hash"]][0] for r in rows if r["id_hash"] in ctx.existing]
    current: dict[int, Person] = {}
    for chunk in imports.iter_chunks(existing_ids, 900):
        current.update(Person.objects.select_related("employer").in_bulk(chunk))  # employer: the audit's org
    update_fields = {"name", "mobile", "ethnicity", "education", "political_status", "employer", "post", "trade",
                     "skill_grade", "is_front_line", "is_migrant", "employment_start"}
    now = timezone.now()
    # New people are written as plain rows (no model instances), ids reserved first as bulk_insert does, and
    # made while they are being sent: on PostgreSQL the server stores them meanwhile (COPY).
    new_ids = iter(reserve_ids(Person, len(new_rows)) if new_rows else ())
    for row in rows:
        known = ctx.existing.get(row["id_hash"])
        if not known:
            continue
        values = {k: row[k] for k in update_fields if row.get(k) not in (None, "")}
        person = current[known[0]]
        old_grade, old_employer = person.skill_grade, person.employer_id
        for k, v in values.items():
            setattr(person, k, v)
        touched.update((old_employer, person.employer_id))  # flags may change even in the same unit
        updates.append(person)
        row["_pk"] = person.pk
        if row.get("skill_grade") and row["skill_grade"] != old_grade:
            grade_rows.append((row, person.pk))

    def new_people() -> Iterator[tuple[Any, ...]]:
        for row in new_rows:  # an empty cell takes the field's default, as a model instance would
            info = row["id_number"]
            pk = next(new_ids)
            employer = row.get("employer") or root
            trade = row.get("trade")
            grade = row.get("skill_grade")
            audited.append(Ref(pk, row["name"], employer))
            touched.add(employer.pk)
            row["_pk"] = pk
            if grade:
                grade_rows.append((row, pk))
            yield (pk, row["name"], encrypt(info.number), row["id_hash"], mask_id_card(info.number), info.gender,
                   info.birth_date, row.get("mobile") or "", row.get("ethnicity") or "", row.get("education") or "",
                   row.get("political_status") or "", employer.pk, row.get("post") or "",
                   trade.pk if trade else None, SkillGrade.NONE if grade in (None, "") else grade,
                   bool(row.get("is_front_line")), bool(row.get("is_migrant")), row.get("employment_start") or None,
                   now, now)

    created = insert_rows(Person, PERSON_COLUMNS, new_people())
    if updates:
        Person.objects.bulk_update(updates, sorted(update_fields), batch_size=500)
    source = _("Roster import")
    # Grade records and memberships are not needed as objects afterwards: plain rows are faster.
    insert_rows(SkillGradeRecord, ["person", "grade", "trade", "certificate_no", "certified_on", "source",
                                   "created_at"],
                [(pk, r["skill_grade"], r["trade"].pk if r.get("trade") else None,
                  r.get("certificate_no") or "", r.get("certified_on"), source, now) for r, pk in grade_rows])
    # Memberships: rows with a 入会日期 join the union unless already active members.
    member_rows = [r for r in rows if r.get("member_since")]
    have: set[int] = set()
    known_ids = [r["_pk"] for r in member_rows if r["id_hash"] in ctx.existing]  # new people have none yet
    for chunk in imports.iter_chunks(known_ids, 900):
        have.update(Membership.objects.filter(person_id__in=chunk).values_list("person_id", flat=True))
    new_members = [(r["_pk"], union.pk, r["member_since"], r.get("card_no") or "", MembershipStatus.ACTIVE.value,
                    now) for r in member_rows if r["_pk"] not in have]
    insert_rows(Membership, ["person", "union", "member_since", "card_no", "status", "updated_at"], new_members)
    counters.refresh(touched)
    record_bulk(job.created_by, "orgs.person.imported", [*audited, *updates], org_path=root.path,
                note=_("Roster import %(file)s") % {"file": job.filename}, model=Person)
    return {"created": created, "updated": len(updates), "members": len(new_members)}


roster_import = imports.register(RosterImport(), default=True)  # the shared import pages' default
