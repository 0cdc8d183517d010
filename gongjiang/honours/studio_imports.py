"""The Excel import of studios (工作室批量导入): a union that recognises studios (the provincial federation, a city
union) registers a batch of the studios it recognised through the core import framework, on the shared import
pages (批量导入 on the studios' registry). Columns: 工作室名称, 类别, 级别, 命名年度, 依托单位 (the code of the
enterprise's union, or its exact name, within the importing union), 领办人身份证号, 领域.

Every row is checked as `services.register_studio` checks it, each error on its cell in Chinese: the kind and the
level (one the importing union may recognise: a 省级 studio by the province), the year, the host (an enterprise's
union within the importing union — by its regional or its industry tree —, a name matching two unions refused), the
lead's ID number (check digit, birth date) and the lead working in the host (one message whether the number is
unknown or belongs to someone elsewhere), the same studio twice in the file or already registered. If any row is
wrong, nothing is written; otherwise each studio is registered through the verb (audited, counted)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import imports
from gongjiang.core.bulk import among
from gongjiang.core.cells import choice_parser, parse_id, parse_text
from gongjiang.core.crypto import lookup_hash
from gongjiang.core.errors import PermissionDeniedError
from gongjiang.core.ids import IdentifierError, parse_id_card
from gongjiang.core.imports import CellError, Column
from gongjiang.orgs.choices import OrgKind
from gongjiang.orgs.import_targets import OrgTarget
from gongjiang.orgs.models import Org, Person

from . import services
from .models import Studio
from .rules import studios as rules
from .services.studios import FIRST_YEAR
from .studio_choices import StudioKind, StudioLevel

KIND = "honour_studios"
MAX_ROWS = 2000
KINDS = {"劳模创新工作室": StudioKind.MODEL_WORKER, "劳模": StudioKind.MODEL_WORKER,
         "高技能人才创新工作室": StudioKind.SKILLED, "高技能人才": StudioKind.SKILLED,
         "职工创新工作室": StudioKind.WORKER, "职工": StudioKind.WORKER, "创新型班组": StudioKind.TEAM}
LEVELS = {"国家级": StudioLevel.NATIONAL, "全国": StudioLevel.NATIONAL, "省级": StudioLevel.PROVINCE,
          "市级": StudioLevel.CITY}
RECOGNISERS = (OrgKind.PROVINCE, OrgKind.CITY)


def parse_year(text: str, ctx: Any = None) -> int:
    last = timezone.localdate().year
    try:
        year = int(text.strip().removesuffix("年"))
    except ValueError:
        raise CellError(_("Write the year as four digits (e.g. %(y)s), not “%(v)s”.") % {"y": last, "v": text}) \
            from None
    if not FIRST_YEAR <= year <= last:
        raise CellError(_("The year lies between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": last})
    return year


@dataclass
class StudioContext:
    union: Org
    parsed_ids: dict[str, Any] = field(default_factory=dict)  # cell text -> IdCardInfo (read by parse_id)
    people: dict[str, Person] = field(default_factory=dict)  # id_hash -> person of the union's reach
    by_code: dict[str, Org] = field(default_factory=dict)  # code -> enterprise's union within the union
    by_name: dict[str, list[Org]] = field(default_factory=dict)  # name -> enterprises' unions of that name
    taken: set[tuple[int, str]] = field(default_factory=set)  # (host id, name) registered already
    seen: dict[tuple[int, str], int] = field(default_factory=dict)  # (host id, name) -> first row in the file


def _within(union: Org) -> Q:
    return Q(path__startswith=union.path) | Q(industry_path__startswith=union.path)


class StudioImport(OrgTarget, imports.ImportSpec):
    kind = KIND
    title = gettext_lazy("Innovation studios")
    max_rows = MAX_ROWS
    target_kinds = frozenset(RECOGNISERS)
    columns = [
        Column("name", "工作室名称", required=True, parse=parse_text(120), example="李强劳模创新工作室", width=26),
        Column("kind", "类别", required=True, parse=choice_parser(StudioKind, KINDS), example="劳模创新工作室",
               width=20, repeats=True, help="劳模创新工作室、高技能人才创新工作室、职工创新工作室或创新型班组"),
        Column("level", "级别", required=True, parse=choice_parser(StudioLevel, LEVELS), example="省级", width=10,
               repeats=True, help="国家级、省级或市级：省级、国家级由省总工会登记，市级由市总工会（或省总工会）登记"),
        Column("year", "命名年度", required=True, parse=parse_year, example="2023", width=10, repeats=True),
        Column("host", "依托单位", required=True, parse=parse_text(120), example="E0001", width=24,
               help="依托企业工会的组织代码，或其在系统中的全称；须在本工会范围内"),
        Column("lead_id", "领办人身份证号", required=True, parse=parse_id, example="370102199003071234", width=22,
               sensitive=True, help="18位居民身份证号码，领办人须为依托单位名册中的职工"),
        Column("specialty", "领域", parse=parse_text(120), example="炼钢工艺", width=16),
    ]

    def check_start(self, actor: Any, org: Org, params: dict[str, Any]) -> None:
        if org.kind not in RECOGNISERS or not org.in_scope(actor, "change"):
            raise PermissionDeniedError(_("Studios are registered by the provincial federation or a city union."))

    def can_see_sensitive(self, user: Any, job: Any) -> bool:
        return bool(job.in_scope(user, "manage"))

    def prepare(self, job: Any, rows: list[dict[str, str]]) -> StudioContext:
        union = self.get_target(job)
        if union is None:
            raise PermissionDeniedError(_("The unit of this import no longer exists."))
        self.check_start(job.created_by, union, {})
        ctx = StudioContext(union=union)
        hashes: set[str] = set()
        for r in rows:
            text = r.get("lead_id", "")
            try:
                info = parse_id_card(text)
            except IdentifierError:
                continue
            ctx.parsed_ids[text] = info
            hashes.add(lookup_hash(info.number))
        if hashes:
            ctx.people = {p.id_hash: p for p in Person.objects.filter(id_hash__in=among(sorted(hashes)))
                          .filter(Q(employer__path__startswith=union.path)
                                  | Q(employer__industry_path__startswith=union.path))
                          .select_related("employer")}
        texts = sorted({(r.get("host") or "").strip() for r in rows} - {""})
        if texts:
            found = Org.objects.filter(_within(union), is_active=True).filter(
                Q(code__in=among(texts)) | Q(name__in=among(texts)))
            for o in found:
                if o.code in texts:
                    ctx.by_code[o.code] = o
                if o.name in texts:
                    ctx.by_name.setdefault(o.name, []).append(o)
            hosts = [o.pk for o in [*ctx.by_code.values(), *(o for v in ctx.by_name.values() for o in v)]]
            ctx.taken = set(Studio.objects.filter(host_id__in=hosts).values_list("host_id", "name"))
        return ctx

    def clean_row(self, row: dict[str, Any], ctx: StudioContext) -> dict[str, str]:
        errors: dict[str, str] = {}
        level = row.get("level")
        if level and not rules.may_recognise(level, ctx.union.kind):
            errors["level"] = _("A studio of the %(level)s is recognised by %(kinds)s, not by %(org)s.") % {
                "level": StudioLevel(level).label, "org": ctx.union.name,
                "kinds": "、".join(str(OrgKind(k).label) for k in sorted(rules.RECOGNISERS[level]))}
        text = (row.get("host") or "").strip()
        host = ctx.by_code.get(text)
        if host is None:
            named = ctx.by_name.get(text, [])
            if len(named) > 1:
                errors["host"] = _("%(n)s unions within %(org)s are called %(name)s: write the code of the one "
                                   "meant.") % {"n": len(named), "org": ctx.union.name, "name": text}
                return errors
            host = named[0] if named else None
        if host is None:
            errors["host"] = _("No union with the code or name %(v)s within %(org)s.") % {
                "v": text, "org": ctx.union.name}
            return errors
        if host.kind != OrgKind.GRASSROOTS:
            errors["host"] = _("The host of a studio is an enterprise's union (a grassroots union).")
            return errors
        info = row.get("lead_id")
        lead = ctx.people.get(lookup_hash(info.number)) if info is not None else None
        if lead is None or not lead.employer.path.startswith(host.path):
            errors["lead_id"] = _("No one with this ID number is on the roster of %(org)s.") % {"org": host.name}
        key = (host.pk, row["name"].strip())
        first = ctx.seen.get(key)
        if first is not None:
            errors["name"] = _("Row %(first)d already registers %(name)s at %(org)s.") % {
                "first": first, "name": key[1], "org": host.name}
        elif key in ctx.taken:
            errors["name"] = _("%(org)s already has a studio of this name.") % {"org": host.name}
        if not errors:
            ctx.seen[key] = row["_row"]
            row["host_org"], row["lead"] = host, lead
        return errors

    def commit(self, job: Any, rows: list[dict[str, Any]], ctx: StudioContext) -> dict[str, Any]:
        for r in rows:
            services.register_studio(actor=job.created_by, name=r["name"], kind=r["kind"], lead=r["lead"],
                                     host=r["host_org"], level=r["level"], year=r["year"], recognised_by=ctx.union,
                                     specialty=r.get("specialty") or "")
        return {"created": len(rows)}


def start_studio_import(*, actor: Any, union: Org, upload: Any) -> Any:
    """`core.imports.start_import` of the studios into `union` (the pages', API's and tests' shorthand)."""
    return imports.start_import(actor=actor, kind=KIND, target=union, upload=upload)


studio_import = imports.register(StudioImport())
