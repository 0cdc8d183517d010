"""The import of paper-era proposals (纸质台账导入) into an enterprise union, through the core import framework: one
row per proposal as the union's old register has it — the proposer (by ID number, checked against the name), the
title and texts, category and kind, the date, whether it was adopted (else why not), the accounted benefit (万元)
and the reward paid (元). Adopted proposals arrive archived with their benefit signed off and their reward in the
ledger, the others not adopted; the figures count them on the day they were made. Every row is checked
before anything is written, and the file is imported whole or not at all."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import audit, imports
from gongjiang.core.cells import choice_parser, parse_bool, parse_date, parse_id, parse_text
from gongjiang.core.crypto import lookup_hash
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.imports import CellError, Column
from gongjiang.core.types import Account
from gongjiang.orgs import facts
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.import_targets import OrgTarget
from gongjiang.orgs.models import Org, Person

from . import metrics
from .choices import Category, Grade, Kind, RewardMode, State
from .models import Benefit, Contributor, Proposal, RewardPayment, index_titles
from .queries.rewards import policy_for
from .rules import rewards

if TYPE_CHECKING:
    from gongjiang.core.models import ImportJob

CATEGORY_ALIASES = {"质量": Category.QUALITY, "成本": Category.COST, "降本增效": Category.COST,
                    "效率": Category.EFFICIENCY, "安全": Category.SAFETY, "节能减排": Category.ENERGY,
                    "节能": Category.ENERGY, "环保": Category.ENERGY, "管理": Category.MANAGEMENT,
                    "其他": Category.OTHER}
KIND_ALIASES = {"合理化建议": Kind.PROPOSAL, "金点子": Kind.GOLDEN_IDEA, "小发明": Kind.INVENTION,
                "小创造": Kind.CREATION, "小革新": Kind.INNOVATION, "小设计": Kind.DESIGN, "小建议": Kind.SUGGESTION}


def _amount(places: str) -> Any:
    def parse(text: str, ctx: Any = None) -> Decimal:
        try:
            value = Decimal(text.strip().replace(",", "").replace("，", ""))
        except InvalidOperation:
            raise CellError(_("“%(v)s” is not an amount.") % {"v": text}) from None
        if value < 0 or value > Decimal("1e10"):
            raise CellError(_("“%(v)s” is out of range.") % {"v": text})
        return value.quantize(Decimal(places))

    return parse


@dataclass
class ProposalContext:
    union: Org
    people: dict[str, Person] = field(default_factory=dict)  # id_hash -> the enterprise's person
    parsed_ids: dict[str, Any] = field(default_factory=dict)
    choice_tables: dict[Any, dict[str, Any]] = field(default_factory=dict)


class ProposalImport(OrgTarget, imports.ImportSpec):
    kind = "innovation_proposals"
    title = gettext_lazy("Proposals (paper register)")
    target_kinds = frozenset({OrgKind.GRASSROOTS})
    max_rows = 20000
    columns = [
        Column("id_number", "提出人身份证号", required=True, parse=parse_id, example="370102199003071234",
               help="职工须已在本企业登记（按身份证号匹配）", width=22, sensitive=True),
        Column("name", "提出人姓名", required=True, parse=parse_text(40), example="张三", width=10),
        Column("title", "建议标题", required=True, parse=parse_text(120), example="转炉氧枪喷头改进", width=30),
        Column("problem", "存在问题", required=True, parse=parse_text(2000), example="喷头寿命短，更换频繁", width=30),
        Column("solution", "建议内容", required=True, parse=parse_text(2000), example="改用紫铜喷头，优化冷却水道",
               width=30),
        Column("category", "类别", required=True, parse=choice_parser(Category, CATEGORY_ALIASES), example="成本",
               help="质量、成本、效率、安全、节能减排、管理、其他"),
        Column("kind", "类型", parse=choice_parser(Kind, KIND_ALIASES), example="合理化建议",
               help="合理化建议、金点子、小发明、小创造、小革新、小设计、小建议；不填为合理化建议"),
        Column("submitted_on", "提出日期", required=True, parse=parse_date, example="2023-05-12"),
        Column("adopted", "是否采纳", required=True, parse=parse_bool, example="是", help="是/否", width=8),
        Column("benefit", "经济效益（万元）", parse=_amount("0.0001"), example="12.5", help="已核算的年净经济效益"),
        Column("reward", "奖金（元）", parse=_amount("0.01"), example="3000", help="已发放的奖金"),
        Column("reason", "未采纳原因", parse=parse_text(200), example=""),
    ]

    def check_start(self, actor: Account, org: Org, params: dict[str, Any]) -> None:
        if not org.in_scope(actor, "change"):
            raise PermissionDeniedError(_("You may import proposals only into unions you manage."))
        if org.kind != OrgKind.GRASSROOTS:
            raise PermissionDeniedError(_("Import proposals into an enterprise's grassroots union."))

    def can_see_sensitive(self, user: Account, job: ImportJob) -> bool:
        return bool(job.in_scope(user, "manage"))

    def prepare(self, job: Any, rows: list[dict[str, str]]) -> ProposalContext:
        union = self.get_target(job)
        if union is None:
            raise DomainError(_("The unit of this import no longer exists."))
        ctx = ProposalContext(union=union)
        hashes = {}
        for r in rows:
            try:
                info = parse_id(r.get("id_number", ""))
            except CellError:
                continue
            ctx.parsed_ids[r.get("id_number", "")] = info
            hashes[lookup_hash(info.number)] = info.number
        for chunk in imports.iter_chunks(list(hashes), 900):
            for p in Person.objects.filter(id_hash__in=chunk, employer__path__startswith=union.path).select_related(
                    "employer"):
                ctx.people[p.id_hash] = p
        return ctx

    def clean_row(self, row: dict[str, Any], ctx: ProposalContext) -> dict[str, str]:
        errors: dict[str, str] = {}
        person = ctx.people.get(lookup_hash(row["id_number"].number))
        if person is None:
            errors["id_number"] = _("No worker of %(union)s has this ID number.") % {"union": ctx.union.name}
        elif person.name != row["name"]:
            errors["name"] = _("The name does not match the worker registered with this ID number.")
        row["person"] = person
        if row["adopted"]:
            if row.get("reason"):
                errors["reason"] = _("An adopted proposal has no reason for not adopting it.")
        else:
            if not row.get("reason"):
                errors["reason"] = _("Give the reason it was not adopted.")
            for key in ("benefit", "reward"):
                if row.get(key):
                    errors[key] = _("Only an adopted proposal has a benefit or a reward.")
        return errors

    def commit(self, job: Any, rows: list[dict[str, Any]], ctx: ProposalContext) -> dict[str, Any]:
        return _commit(job, rows, ctx)


def _noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _commit(job: Any, rows: list[dict[str, Any]], ctx: ProposalContext) -> dict[str, Any]:
    """Write the proposals with their proposer, benefit and reward; add them to the figures of their days."""
    from gongjiang.core.bulk import bulk_insert

    actor = job.created_by
    made: list[Proposal] = []
    for r in rows:
        person: Person = r["person"]
        at = _noon(r["submitted_on"])
        made.append(Proposal(
            title=r["title"], problem=r["problem"], solution=r["solution"], category=r["category"],
            kind=r.get("kind") or Kind.PROPOSAL, state=State.ARCHIVED if r["adopted"] else State.REJECTED,
            proposer=person, unit=person.employer, enterprise=ctx.union, year=r["submitted_on"].year,
            submitted_by=actor, submitted_at=at, decided_at=at, reason=r.get("reason") or "",
            reward=r.get("reward") if r["adopted"] else None))
    bulk_insert(Proposal, made)
    index_titles((p.pk, p.enterprise_id, p.title) for p in made)
    Contributor.objects.bulk_create([Contributor(proposal=p, person=p.proposer, share=100, is_lead=True)
                                     for p in made])
    benefits, payments = [], []
    # (unit, day, metric, value) for the fact store: everything a paper proposal did, on the day it was made
    deltas: list[tuple[Org, datetime.date, str, Any]] = []
    for p, r in zip(made, rows, strict=True):
        day = r["submitted_on"]
        deltas.append((p.unit, day, metrics.SUBMITTED, 1))
        if not r["adopted"]:
            continue
        net = (r.get("benefit") or Decimal(0)) * rewards.WAN
        benefits.append(Benefit(proposal=p, forecast=net, gross=net, cost=Decimal(0), forecast_locked_at=p.submitted_at,
                                recorded_at=p.submitted_at, recorded_by=actor, signed_off_at=p.submitted_at,
                                signed_off_by=actor))
        deltas += [(p.unit, day, metrics.ADOPTED, 1), (p.unit, day, metrics.ACCOUNTED, 1),
                   (p.unit, day, metrics.BENEFIT, net)]
        amount = r.get("reward") or Decimal(0)
        if amount:
            tiers = policy_for(p.unit)
            grade = rewards.grade_by_benefit(net, tiers.benefit_tiers) if net else Grade.NONE
            p.grade = grade
            payments.append(RewardPayment(proposal=p, person=p.proposer, enterprise=ctx.union, amount=amount,
                                          grade=grade, mode=RewardMode.SHARE if net else RewardMode.POINTS,
                                          year=p.year, voucher="", paid_by=actor, paid_at=p.submitted_at))
            deltas += [(p.unit, day, metrics.REWARDED, 1), (p.unit, day, metrics.REWARDS, amount)]
    bulk_insert(Benefit, benefits)
    bulk_insert(RewardPayment, payments)
    Proposal.objects.bulk_update([p for p in made if p.grade is not None], ["grade"], batch_size=1000)
    facts.add_many(deltas)
    audit.record_bulk(actor, "innovation.proposal.imported", made, note=job.filename)
    return {"created": len(made), "adopted": len(benefits), "rewarded": len(payments)}


proposal_import = imports.register(ProposalImport())
