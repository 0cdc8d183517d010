"""The Excel import of a batch of nominations (批量推荐导入): a nominating union uploads the nominees of one campaign
(推荐对象类型, 身份证号 and 姓名 for a person, 集体名称 / 组织代码 for a collective or an organisation, 一线职工,
负责人/管理人员, 从事本工种年限, 违纪记录, 主要事迹) through the core import framework.

Every row is checked as the nomination verb checks it, and more: the kind of nominee the honour takes; for a person
the ID number (length, check digit, birth date) and the name, the person looked up by the ID's keyed hash on the
roster of the importing union and the units below it (one message whether the number is unknown or belongs to
someone elsewhere: the file must not tell who is on another union's roster); for a collective or an organisation the
code of a unit within the union (a workshop or team for a collective); the same nominee twice in the file or already
nominated in the campaign; and the honour's conditions with every failing reason (age, years in the trade,
disciplinary record, honours required or excluding). If any row is wrong, nothing is written.

The import creates **drafts only**: a submission needs the materials (推荐审批表, 事迹材料…) a spreadsheet cannot
carry, and checks the quotas at the moment it is made; each draft is completed and submitted on its page, where the
quotas of every level are checked as for a nomination typed in. The rows are written through `services.nominate`
(one audited draft each) in the framework's single transaction.

The import runs for one campaign, its start parameter (`params = {"campaign": pk}`); it may start only while the
campaign takes nominations and the importing union has a quota in it (`check_start`), and the run checks again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import imports
from gongjiang.core.bulk import among
from gongjiang.core.cells import choice_parser, parse_bool, parse_id, parse_text
from gongjiang.core.crypto import lookup_hash
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.ids import IdentifierError, parse_id_card
from gongjiang.core.imports import CellError, Column
from gongjiang.orgs.import_targets import OrgTarget
from gongjiang.orgs.models import Org, Person

from . import services
from .choices import Subject
from .messages import message as _message
from .models import Allocation, Campaign, Holder, Nomination
from .rules import eligibility
from .services.nominations import COLLECTIVE_KINDS, _allocation_for

KIND = "honour_nominations"
MAX_ROWS = 1000
# The column of the file each field of an eligibility problem concerns, by the kind of nominee.
PERSON_COLUMNS = {"subject": "subject", "person": "id_number", "held": "id_number",
                  "years_in_trade": "years_in_trade", "disciplinary_record": "disciplinary_record"}
UNIT_COLUMNS = {"subject": "subject", "held": "org_code", "disciplinary_record": "disciplinary_record"}
SUBJECTS = {"个人": Subject.PERSON, "集体": Subject.COLLECTIVE, "单位": Subject.ORG}
RECORD = {"有": True, "无": False}


def parse_years(text: str, ctx: Any = None) -> int:
    try:
        years = int(text.strip())
    except ValueError:
        raise CellError(_("Write the number of years (a whole number from 0 to 60), not “%(v)s”.") % {
            "v": text}) from None
    if not 0 <= years <= 60:
        raise CellError(_("Years in the trade lie between 0 and 60."))
    return years


def parse_record(text: str, ctx: Any = None) -> bool:
    t = text.strip()
    if t in RECORD:
        return RECORD[t]
    try:
        return parse_bool(t)
    except CellError:
        raise CellError(_("Write 有 or 无 (or 是 / 否), not “%(v)s”.") % {"v": text}) from None


@dataclass
class NominationContext:
    campaign: Campaign
    unit: Org
    actor: Any
    parsed_ids: dict[str, Any] = field(default_factory=dict)  # cell text -> IdCardInfo (read by parse_id)
    id_hashes: dict[str, str] = field(default_factory=dict)  # number -> keyed hash
    people: dict[str, Person] = field(default_factory=dict)  # id_hash -> person on the union's roster
    orgs: dict[str, Org] = field(default_factory=dict)  # code -> unit within the union
    nominated: set[tuple[str, int]] = field(default_factory=set)  # ("person"|"org", id) already in the campaign
    held: dict[tuple[str, int], set[str]] = field(default_factory=dict)  # nominee -> honour codes held
    seen: dict[tuple[str, Any], int] = field(default_factory=dict)  # nominee -> first row in the file


class NominationImport(OrgTarget, imports.ImportSpec):
    kind = KIND
    title = gettext_lazy("Honour nominations")
    max_rows = MAX_ROWS
    params = (imports.Param("campaign", missing=gettext_lazy("Choose the campaign to nominate to.")),)
    columns = [
        Column("subject", "推荐对象类型", required=True, parse=choice_parser(Subject, SUBJECTS), example="个人",
               width=12, repeats=True, help="个人、集体或单位，须与本评选的荣誉相符（如工人先锋号推荐集体）"),
        Column("id_number", "身份证号", parse=parse_id, example="370102199003071234", width=22, sensitive=True,
               help="推荐个人时必填：18位居民身份证号码，须为本单位（及下属单位）名册中的职工"),
        Column("person_name", "姓名", parse=parse_text(40), example="张三", width=10,
               help="推荐个人时必填，须与名册中该身份证号的姓名一致"),
        Column("name", "集体名称", parse=parse_text(120), example="", width=20,
               help="推荐集体时：班组、车间的名称（填写组织代码时可不填，以系统中的名称为准）"),
        Column("org_code", "组织代码", parse=parse_text(32), example="", width=16,
               help="推荐单位时必填、推荐集体时选填：本单位或下属企业、车间、班组在系统中的组织代码"),
        Column("front_line", "一线职工", parse=parse_bool, example="是", width=10, repeats=True,
               help="推荐集体时：是否一线集体（是/否）；个人是否一线职工以名册为准"),
        Column("is_leader", "负责人/管理人员", parse=parse_bool, example="否", width=14, repeats=True,
               help="推荐个人时：是否企业负责人或管理人员（是/否，空为否）"),
        Column("years_in_trade", "从事本工种年限", parse=parse_years, example="12", width=14, repeats=True,
               help="推荐个人时必填：0至60的整数"),
        Column("disciplinary_record", "违纪记录", parse=parse_record, example="无", width=10, repeats=True,
               help="有或无（空为无）"),
        Column("deeds", "主要事迹", parse=parse_text(5000), example="", width=40,
               help="可在导入后在推荐页面补充；上报前须至少30字"),
    ]

    def check_start(self, actor: Any, org: Org, params: dict[str, Any]) -> None:
        if not org.in_scope(actor, "change"):
            raise PermissionDeniedError(_("You do not have permission for %(org)s.") % {"org": org.name})
        check_unit(visible_campaign(actor, params["campaign"]), org)

    def can_see_sensitive(self, user: Any, job: Any) -> bool:
        """The importing union's administrators, who may reveal its workers' ID numbers (as `Person.can_see_id`)."""
        return bool(job.in_scope(user, "manage"))

    def prepare(self, job: Any, rows: list[dict[str, str]]) -> NominationContext:
        campaign = visible_campaign(job.created_by, (job.params or {}).get("campaign"))
        unit = self.get_target(job)
        if unit is None:
            raise DomainError(_("The unit of this import no longer exists."))
        check_unit(campaign, unit)
        ctx = NominationContext(campaign=campaign, unit=unit, actor=job.created_by)
        for r in rows:
            text = r.get("id_number", "")
            try:
                info = parse_id_card(text)
            except IdentifierError:
                continue
            ctx.parsed_ids[text] = info
            ctx.id_hashes[info.number] = lookup_hash(info.number)
        if ctx.id_hashes:
            found = (Person.objects.for_user(job.created_by, "change")
                     .filter(id_hash__in=among(sorted(set(ctx.id_hashes.values()))),
                             employer__path__startswith=unit.path).select_related("employer"))
            ctx.people = {p.id_hash: p for p in found}
        codes = sorted({(r.get("org_code") or "").strip() for r in rows} - {""})
        if codes:
            ctx.orgs = {o.code: o for o in Org.objects.filter(code__in=codes, path__startswith=unit.path,
                                                              is_active=True)}
        person_ids = [p.pk for p in ctx.people.values()]
        org_ids = [o.pk for o in ctx.orgs.values()]
        taken = Nomination.objects.filter(campaign=campaign)
        ctx.nominated = {("person", pk) for pk in taken.filter(person_id__in=person_ids)
                         .values_list("person_id", flat=True)} | {
            ("org", pk) for pk in taken.filter(nominee_org_id__in=org_ids).values_list("nominee_org_id", flat=True)}
        held = Holder.objects.filter(revoked=False)
        for pk, code in held.filter(person_id__in=person_ids).values_list("person_id", "honour_type__code"):
            ctx.held.setdefault(("person", pk), set()).add(code)
        for pk, code in held.filter(org_id__in=org_ids).values_list("org_id", "honour_type__code"):
            ctx.held.setdefault(("org", pk), set()).add(code)
        return ctx

    def clean_row(self, row: dict[str, Any], ctx: NominationContext) -> dict[str, str]:
        honour = ctx.campaign.honour_type
        subject = row["subject"]
        if subject != honour.subject:
            return {"subject": _message(eligibility.Problem("subject", "subject", {"subject": honour.subject}))}
        if subject == Subject.PERSON:
            return self._person(row, ctx)
        return self._unit(row, ctx)

    def _person(self, row: dict[str, Any], ctx: NominationContext) -> dict[str, str]:
        info = row.get("id_number")
        if info is None:
            return {"id_number": _("Give the nominee's ID number.")}
        person = ctx.people.get(ctx.id_hashes.get(info.number) or lookup_hash(info.number))
        if person is None:
            return {"id_number": _("No one with this ID number is on the roster of %(org)s or of the units below "
                                   "it.") % {"org": ctx.unit.name}}
        name = row.get("person_name") or ""
        if not name:
            return {"person_name": _("Give the nominee's name, as on the roster.")}
        if name != person.name:
            return {"person_name": _("The name does not match the ID number: the roster has %(name)s.") % {
                "name": person.name}}
        errors = self._once(("person", person.pk), person.name, "id_number", row, ctx)
        if errors:
            return errors
        if row.get("years_in_trade") is None:
            return {"years_in_trade": _("Give the years in the trade.")}
        age = person.age_on(ctx.campaign.submit_until)
        nominee = eligibility.Nominee(subject=Subject.PERSON, age=age, years=row["years_in_trade"],
                                      disciplinary=bool(row.get("disciplinary_record")),
                                      held=frozenset(ctx.held.get(("person", person.pk), ())))
        errors = self._eligible(nominee, PERSON_COLUMNS, ctx)
        if not errors:
            ctx.seen[("person", person.pk)] = row["_row"]
            row["person"] = person
        return errors

    def _unit(self, row: dict[str, Any], ctx: NominationContext) -> dict[str, str]:
        subject = row["subject"]
        code = row.get("org_code") or ""
        unit = ctx.orgs.get(code) if code else None
        if code and unit is None:
            return {"org_code": _("No unit with the code %(code)s within %(org)s.") % {
                "code": code, "org": ctx.unit.name}}
        if subject == Subject.ORG and unit is None:
            return {"org_code": _("Give the code of the organisation nominated.")}
        if unit is not None and subject == Subject.COLLECTIVE and unit.kind not in COLLECTIVE_KINDS:
            return {"org_code": _("A collective is a workshop or a team.")}
        if unit is not None and subject == Subject.ORG and unit.kind in COLLECTIVE_KINDS:
            return {"org_code": _("A workshop or a team is nominated as a collective.")}
        name = row.get("name") or (unit.name if unit is not None else "")
        if not name:
            return {"name": _("Give the collective's name or the code of its workshop or team.")}
        key: tuple[str, Any] = ("org", unit.pk) if unit is not None else ("name", name)
        errors = self._once(key, name, "org_code" if unit is not None else "name", row, ctx)
        if errors:
            return errors
        nominee = eligibility.Nominee(subject=subject, disciplinary=bool(row.get("disciplinary_record")),
                                      held=frozenset(ctx.held.get(("org", unit.pk), ()) if unit else ()))
        columns = UNIT_COLUMNS if unit is not None else {**UNIT_COLUMNS, "held": "name"}
        errors = self._eligible(nominee, columns, ctx)
        if not errors:
            ctx.seen[key] = row["_row"]
            row["nominee_org"], row["nominee_name"] = unit, name
        return errors

    def _once(self, key: tuple[str, Any], name: str, column: str, row: dict[str, Any],
              ctx: NominationContext) -> dict[str, str]:
        """The same nominee twice in the file, or already nominated in the campaign."""
        first = ctx.seen.get(key)
        if first is not None:
            return {column: _("Row %(first)d already nominates %(name)s.") % {"first": first, "name": name}}
        if key in ctx.nominated:
            return {column: _("%(name)s is already nominated in this campaign.") % {"name": name}}
        return {}

    def _eligible(self, nominee: eligibility.Nominee, columns: dict[str, str],
                  ctx: NominationContext) -> dict[str, str]:
        """Every reason the nominee fails the honour's conditions, each on its column."""
        errors: dict[str, list[str]] = {}
        for p in eligibility.problems(ctx.campaign.honour_type.criteria, nominee):
            errors.setdefault(columns.get(p.field, "subject"), []).append(_message(p))
        return {k: "；".join(v) for k, v in errors.items()}

    def commit(self, job: Any, rows: list[dict[str, Any]], ctx: NominationContext) -> dict[str, Any]:
        created = 0
        for r in rows:
            person = r.get("person")
            services.nominate(
                actor=job.created_by, campaign=ctx.campaign, unit=ctx.unit, subject=r["subject"], person=person,
                nominee_org=r.get("nominee_org"), name=r.get("nominee_name") or "",
                front_line=bool(r.get("front_line")), is_leader=bool(r.get("is_leader")),
                years_in_trade=r.get("years_in_trade") if person is not None else None,
                disciplinary_record=bool(r.get("disciplinary_record")), deeds=r.get("deeds") or "")
            created += 1
        return {"created": created, "campaign": ctx.campaign.pk}


def visible_campaign(user: Any, pk: Any) -> Campaign:
    """The campaign `pk` as `user` sees it, refused unless it takes nominations now."""
    campaign = (Campaign.objects.for_user(user, "view").select_related("honour_type", "org").filter(pk=pk).first()
                if pk else None)
    if campaign is None:
        raise DomainError(_("Choose the campaign to nominate to."), field="campaign")
    if not campaign.is_open():
        raise DomainError(_("Nominations are taken from %(start)s to %(end)s.") % {
            "start": campaign.opens_on.isoformat(), "end": campaign.submit_until.isoformat()}, field="campaign",
            code="closed")
    return campaign


def unit_allocation(campaign: Campaign, unit: Org) -> Allocation | None:
    """The share `unit`'s nominations count under (shown on the import page: its places left)."""
    return _allocation_for(campaign, unit)


def check_unit(campaign: Campaign, unit: Org) -> None:
    if _allocation_for(campaign, unit) is None:
        raise DomainError(_("%(org)s has no quota in this campaign.") % {"org": unit.name}, field="unit")


def start_nomination_import(*, actor: Any, unit: Org, campaign: Campaign, upload: Any) -> Any:
    """`core.imports.start_import` of this kind into `unit`, for `campaign` (the pages', API's and tests' shorthand)."""
    return imports.start_import(actor=actor, kind=KIND, target=unit, upload=upload, params={"campaign": campaign.pk})


def template(campaign: Campaign | None) -> bytes:
    """The framework's template, with the example row fitting the campaign's honour (a person, a collective or an
    organisation)."""
    import io

    from openpyxl import load_workbook

    data = imports.template(nomination_import)
    if campaign is None or campaign.honour_type.subject == Subject.PERSON:
        return data
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    collective = campaign.honour_type.subject == Subject.COLLECTIVE
    example = {"subject": "集体" if collective else "单位", "name": "炼钢一班" if collective else "",
               "org_code": "E0001-01-01" if collective else "E0001", "front_line": "是" if collective else "",
               "deeds": ""}
    for i, col in enumerate(nomination_import.columns, start=1):
        ws.cell(row=2, column=i).value = example.get(col.key, "")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


nomination_import = imports.register(NominationImport())
