"""The marking-scheme import (评分标准导入): one row per aspect (评分细则), the same columns as the export, so an
exported scheme imports back unchanged.

It runs on the core import framework (`core.imports`): every row is parsed and checked before anything is written,
problems are reported per row and column (and in the downloadable report with the cells marked red), and the scheme
is replaced all-or-nothing by `services.structure.set_scheme`, which validates the whole scheme again.

A scheme belongs to an event: the import's start parameter (`params = {"event": pk}`), into the union organising the
competition (the job's target, which scopes it). It starts only for the competition's organiser and while marking
has not begun (`check_start`), and always runs in the request (a scheme is small: `max_rows`, `inline_rows`). The
generic import pages offer no form for it (no event is given there): a scheme is imported from its event's scheme
page.

Columns: 分项代码, 分项名称, 评分项代码, 评分项名称, 细则代码, 评分细则, 类型, 满分, 步长, 公差档, 扣分项. Section and
criterion cells left blank repeat the row above (as merged cells read), so a scheme typed the usual way, with its
分项 and 评分项 merged, imports as it is.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import imports
from gongjiang.core.cells import parse_text
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.imports import CellError, Column
from gongjiang.orgs.import_targets import OrgTarget

from . import queries, services
from .models import Aspect, Event, Scheme
from .rules import marking

MAX_ROWS = 2000  # a scheme has tens of aspects, rarely a few hundred
KIND_WORDS = {"测量-达标": marking.BINARY, "测量-公差": marking.TOLERANCE, "测量-扣分": marking.DEDUCTION,
              "评价": marking.JUDGEMENT, "直接打分": marking.DIRECT}
WORD_OF_KIND = {v: k for k, v in KIND_WORDS.items()}
SEPARATORS = re.compile(r"[;；\n]+")
COLON = re.compile(r"[:：]")

# ---------------------------------------------------------------------------------------------
# Cell parsers (text in, value out, CellError with a message otherwise)


def parse_code(text: str, ctx: Any = None) -> str:
    code = text.strip()
    if len(code) > 12:
        raise CellError(_("A code has at most 12 characters: “%(v)s”.") % {"v": code})
    if re.search(r"\s", code):
        raise CellError(_("A code has no spaces: “%(v)s”.") % {"v": code})
    return code


def parse_aspect_code(text: str, ctx: Any = None) -> str:
    code = text.strip()
    if len(code) > 16:
        raise CellError(_("A code has at most 16 characters: “%(v)s”.") % {"v": code})
    if re.search(r"\s", code):
        raise CellError(_("A code has no spaces: “%(v)s”.") % {"v": code})
    return code


def parse_kind(text: str, ctx: Any = None) -> str:
    t = text.strip().replace("－", "-").replace("—", "-").replace(" ", "")
    if t in KIND_WORDS:
        return KIND_WORDS[t]
    if t in marking.ASPECT_KINDS:
        return t
    raise CellError(_("“%(v)s” is not a kind of aspect; write one of: %(allowed)s.") % {
        "v": text, "allowed": "、".join(KIND_WORDS)})


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace("，", "").replace(",", ""))
    except InvalidOperation:
        raise CellError(_("“%(v)s” is not a number.") % {"v": text}) from None
    if not value.is_finite():
        raise CellError(_("“%(v)s” is not a number.") % {"v": text})
    return value


def parse_mark(text: str, ctx: Any = None) -> Decimal:
    """A positive mark with at most two decimals (marks are kept to hundredths)."""
    value = _decimal(text)
    if value <= 0:
        raise CellError(_("The number must be above zero, not %(v)s.") % {"v": text})
    if value != value.quantize(Decimal("0.01")):
        raise CellError(_("%(v)s has more than two decimals; marks are kept to hundredths.") % {"v": text})
    return value


def parse_bands(text: str, ctx: Any = None) -> list[list[str]]:
    """"0.02:20; 0.05:10" → [["0.02", "20"], ["0.05", "10"]]: deviation up to : mark, narrowest first."""
    bands = []
    for part in (p.strip() for p in SEPARATORS.split(text) if p.strip()):
        pieces = [p.strip() for p in COLON.split(part)]
        if len(pieces) != 2 or not all(pieces):
            raise CellError(_("“%(part)s” is not a tolerance band; write deviation:mark pairs separated by "
                              "semicolons, e.g. 0.02:20; 0.05:10.") % {"part": part})
        try:
            upto, mark = Decimal(pieces[0]), Decimal(pieces[1])
        except InvalidOperation:
            raise CellError(_("“%(part)s” is not a tolerance band; both the deviation and the mark must be numbers "
                              "(e.g. 0.02:20).") % {"part": part}) from None
        if not (upto.is_finite() and mark.is_finite()):
            raise CellError(_("“%(part)s” is not a tolerance band; both the deviation and the mark must be numbers "
                              "(e.g. 0.02:20).") % {"part": part})
        bands.append([pieces[0], pieces[1]])
    if not bands:
        raise CellError(_("Write the tolerance bands as deviation:mark pairs, e.g. 0.02:20; 0.05:10."))
    return bands


def parse_deductions(text: str, ctx: Any = None) -> list[list[str]]:
    """"S1:2:未戴护目镜; S2:5:违规操作" → [["S1", "2", "未戴护目镜"], ["S2", "5", "违规操作"]]."""
    items = []
    for part in (p.strip() for p in SEPARATORS.split(text) if p.strip()):
        pieces = [p.strip() for p in COLON.split(part, maxsplit=2)]
        if len(pieces) < 2 or not pieces[0] or not pieces[1]:
            raise CellError(_("“%(part)s” is not a deduction item; write code:points:description separated by "
                              "semicolons, e.g. S1:2:未戴护目镜; S2:5:违规操作.") % {"part": part})
        try:
            amount = Decimal(pieces[1])
        except InvalidOperation:
            raise CellError(_("“%(part)s”: the points deducted must be a number (e.g. S1:2:未戴护目镜).") % {
                "part": part}) from None
        if not amount.is_finite():
            raise CellError(_("“%(part)s”: the points deducted must be a number (e.g. S1:2:未戴护目镜).") % {
                "part": part})
        items.append([pieces[0], pieces[1], pieces[2] if len(pieces) > 2 else ""])
    if not items:
        raise CellError(_("Write the deduction items as code:points:description, e.g. S1:2:未戴护目镜."))
    return items


def format_number(value: Decimal | str) -> str:
    """7.50 → "7.5", 20.00 → "20" (as a person writes a mark)."""
    return format(Decimal(str(value)).normalize(), "f")


def cell_number(value: Decimal) -> int | float:
    """A mark as a spreadsheet number (exact for marks in hundredths)."""
    return int(value) if value == value.to_integral_value() else float(value)


def format_bands(bands: list[list[Any]]) -> str:
    return "; ".join(f"{format_number(u)}:{format_number(m)}" for u, m in bands)


def format_deductions(deductions: list[list[Any]]) -> str:
    return "; ".join(":".join([str(d[0]), format_number(d[1]), *([str(d[2])] if len(d) > 2 and d[2] else [])])
                     for d in deductions)


# ---------------------------------------------------------------------------------------------


@dataclass
class SchemeContext:
    """What validation needs: the target, the section/criterion cells filled down, and what earlier rows used."""

    event_id: int
    expected_total: Decimal
    filled: dict[int, dict[str, str]] = field(default_factory=dict)  # row → the four tree cells, filled down
    total: Decimal | None = None  # the sum of every 满分 cell (None when one is not a number)
    last_row: int = 0
    sections: dict[str, tuple[str, int]] = field(default_factory=dict)  # code → (name, first row)
    criteria: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # code → (section, name, first row)
    aspects: dict[str, int] = field(default_factory=dict)  # code → row


TREE_KEYS = ("section_code", "section_name", "criterion_code", "criterion_name")


ON_SCHEME_PAGE = gettext_lazy("A marking scheme is imported on the scheme page of its event.")


class SchemeImport(OrgTarget, imports.ImportSpec):
    kind = "scheme"
    title = gettext_lazy("Marking scheme")
    params = (imports.Param("event", missing=ON_SCHEME_PAGE),)
    max_rows = MAX_ROWS
    inline_rows = MAX_ROWS  # always in the request: the scheme page shows the outcome at once
    columns = [
        Column("section_code", "分项代码", parse=parse_code, example="A", width=10,
               help="模块/分项的代码，如 A；留空表示与上一行相同（合并单元格亦可）"),
        Column("section_name", "分项名称", parse=parse_text(80), example="尺寸精度", width=14,
               help="留空表示与上一行相同；同一分项代码只能有一个名称"),
        Column("criterion_code", "评分项代码", parse=parse_code, example="A1", width=10,
               help="评分项的代码，如 A1；留空表示与上一行相同"),
        Column("criterion_name", "评分项名称", parse=parse_text(80), example="外圆", width=14,
               help="留空表示与上一行相同"),
        Column("code", "细则代码", required=True, parse=parse_aspect_code, example="A1.1", width=10,
               help="评分细则（评分点）的代码，全表唯一，如 A1.1"),
        Column("description", "评分细则", required=True, parse=parse_text(200), example="外圆直径 Φ40±0.02",
               width=30),
        Column("kind", "类型", required=True, parse=parse_kind, example="测量-公差", width=12, repeats=True,
               help="测量-达标（达到得满分，否则0分）、测量-公差（按偏差分档给分）、测量-扣分（按扣分项扣至0分为止）、"
                    "评价（多名裁判评分，按评分方法汇总）、直接打分"),
        Column("max_mark", "满分", required=True, parse=parse_mark, example="20", width=8, repeats=True,
               help="本细则的满分，最多两位小数；全部细则满分之和须等于评分标准的总分"),
        Column("step", "步长", parse=parse_mark, example="1", width=8, repeats=True,
               help="裁判打分的最小单位，满分须是步长的整数倍；留空时测量-达标为满分，其他为0.5"),
        Column("bands", "公差档", parse=parse_bands, example="0.02:20; 0.05:10", width=22,
               help="仅测量-公差填写：“偏差上限:得分”，由窄到宽用分号分隔，第一档须为满分，如 0.02:20; 0.05:10"),
        Column("deductions", "扣分项", parse=parse_deductions, example="", width=30,
               help="仅测量-扣分填写：“代码:每次扣分:说明”，用分号分隔，如 S1:2:未戴护目镜; S2:5:违规操作"),
    ]

    def check_start(self, actor: Any, target: Any, params: dict[str, Any]) -> None:
        event = Event.objects.select_related("competition").filter(pk=params["event"]).first()
        if event is None or event.competition.organiser_id != target.pk:  # the job lands with the organiser
            raise DomainError(ON_SCHEME_PAGE)
        competition = event.competition
        if not competition.can_change(actor):
            raise PermissionDeniedError(_("Only the organiser of %(competition)s may do this.") % {
                "competition": competition.name})
        if queries.scheme_locked(event):
            raise DomainError(_("Marking has started: the scheme can no longer be changed."), field="file")

    def prepare(self, job: Any, rows: list[dict[str, str]]) -> SchemeContext:
        event_id = job.params["event"]
        scheme = Scheme.objects.filter(event_id=event_id).first()
        total = marking.from_hundredths(scheme.expected_total) if scheme else Decimal(100)
        ctx = SchemeContext(event_id=event_id, expected_total=total)
        above = dict.fromkeys(TREE_KEYS, "")
        total: Decimal | None = Decimal(0)
        for n, text in enumerate(rows):
            if not any(text.values()):
                continue
            rownum = n + 2
            ctx.last_row = rownum
            # A new section code starts its criteria afresh: a blank 评分项 below it does not repeat the last one.
            if text.get("section_code") and text["section_code"] != above["section_code"]:
                above.update(section_name="", criterion_code="", criterion_name="")
            if text.get("criterion_code") and text["criterion_code"] != above["criterion_code"]:
                above["criterion_name"] = ""
            for key in TREE_KEYS:
                if text.get(key):
                    above[key] = text[key]
            ctx.filled[rownum] = dict(above)
            # First mentions, from the whole file: a row is compared with them even when the first row is itself
            # faulty in another cell (and so never reaches `clean_row`).
            if above["section_code"]:
                ctx.sections.setdefault(above["section_code"], (above["section_name"], rownum))
            if above["section_code"] and above["criterion_code"]:
                ctx.criteria.setdefault(above["criterion_code"], (above["section_code"], above["criterion_name"],
                                                                  rownum))
            if text.get("code"):
                ctx.aspects.setdefault(text["code"].strip(), rownum)
            try:
                mark = _decimal(text.get("max_mark") or "")
            except CellError:
                total = None
            if total is not None:
                total += mark
        ctx.total = total
        return ctx

    def clean_row(self, row: dict[str, Any], ctx: SchemeContext) -> dict[str, str]:
        rownum = row["_row"]
        errors: dict[str, str] = {}
        filled = ctx.filled.get(rownum, {})
        for key in TREE_KEYS:
            if not row.get(key):
                row[key] = filled.get(key, "")
        code = row["code"]
        if not row["section_code"]:
            errors["section_code"] = _("Give the section code (a blank cell repeats the row above, but this is the "
                                       "first row).")
        if not row["criterion_code"]:
            errors["criterion_code"] = _("Give the criterion code (a blank cell repeats the row above, but there is "
                                         "no criterion above in this section).")
        if errors:
            return errors
        section, criterion = row["section_code"], row["criterion_code"]
        known = ctx.sections.get(section, (row["section_name"], rownum))
        if known[0] != row["section_name"]:
            errors["section_name"] = _("Section %(code)s is named “%(name)s” in row %(row)d; a section has one "
                                       "name.") % {"code": section, "name": known[0], "row": known[1]}
        known_c = ctx.criteria.get(criterion, (section, row["criterion_name"], rownum))
        if known_c[0] != section:
            errors["criterion_code"] = _("Criterion %(code)s belongs to section %(section)s in row %(row)d; "
                                         "criterion codes are unique in the scheme.") % {
                "code": criterion, "section": known_c[0], "row": known_c[2]}
        elif known_c[1] != row["criterion_name"]:
            errors["criterion_name"] = _("Criterion %(code)s is named “%(name)s” in row %(row)d; a criterion has "
                                         "one name.") % {"code": criterion, "name": known_c[1], "row": known_c[2]}
        if section in ctx.criteria or section in ctx.aspects:
            errors["section_code"] = _("The code %(code)s is used for a criterion or an aspect too; every code of "
                                       "the scheme must differ.") % {"code": section}
        if criterion in ctx.sections or criterion in ctx.aspects:
            errors.setdefault("criterion_code", _("The code %(code)s is used for a section or an aspect too; every "
                                                  "code of the scheme must differ.") % {"code": criterion})
        first = ctx.aspects.get(code, rownum)
        if first != rownum:
            errors["code"] = _("The code %(code)s is already used in row %(row)d; each aspect needs its own code.") % {
                "code": code, "row": first}
        elif code in ctx.sections or code in ctx.criteria:
            errors["code"] = _("The code %(code)s is already used for a section or a criterion; every code of the "
                               "scheme must differ.") % {"code": code}
        errors.update(self._aspect_errors(row))
        if rownum == ctx.last_row and ctx.total is not None and ctx.total != ctx.expected_total:
            errors.setdefault("max_mark", _(
                "The weights do not add up: the maximum marks of all rows total %(total)s, not the %(expected)s "
                "declared for the scheme. Correct the marks (or change the scheme's total first).") % {
                "total": format_number(ctx.total), "expected": format_number(ctx.expected_total)})
        return errors

    def _aspect_errors(self, row: dict[str, Any]) -> dict[str, str]:
        """The aspect's own checks: the columns that belong to its kind, then the marking rules."""
        errors: dict[str, str] = {}
        kind, max_mark = row["kind"], row["max_mark"]
        word = WORD_OF_KIND.get(kind, kind)
        if row.get("bands") and kind != marking.TOLERANCE:
            errors["bands"] = _("Only a 测量-公差 aspect has tolerance bands; this one is %(kind)s.") % {"kind": word}
        if row.get("deductions") and kind != marking.DEDUCTION:
            errors["deductions"] = _("Only a 测量-扣分 aspect has deduction items; this one is %(kind)s.") % {
                "kind": word}
        if kind == marking.TOLERANCE and not row.get("bands"):
            errors["bands"] = _("A 测量-公差 aspect needs its tolerance bands, e.g. 0.02:20; 0.05:10.")
        if kind == marking.DEDUCTION and not row.get("deductions"):
            errors["deductions"] = _("A 测量-扣分 aspect needs its deduction items, e.g. S1:2:未戴护目镜.")
        if row.get("step") is None:
            row["step"] = max_mark if kind == marking.BINARY else Decimal("0.5")
        step = row["step"]
        if max_mark % step:
            errors["step"] = _(
                "The maximum mark %(max)s is not a multiple of the step %(step)s.") % {
                "max": format_number(max_mark), "step": format_number(step)}
        if errors:
            return errors
        aspect = queries.aspect_of(Aspect(code=row["code"], description=row["description"], kind=kind,
                                            max_mark=marking.to_hundredths(max_mark),
                                            step=marking.to_hundredths(step), bands=row.get("bands") or [],
                                            deductions=row.get("deductions") or []))
        probe = marking.Scheme(sections=(marking.Section("§", "", (marking.Criterion("¶", "", (aspect,)),)),))
        problems = [m for c, m in marking.scheme_problems(probe) if c == aspect.code]
        if problems:
            column = {marking.TOLERANCE: "bands", marking.DEDUCTION: "deductions"}.get(kind, "max_mark")
            errors[column] = " ".join(problems)
        return errors

    def commit(self, job: Any, rows: list[dict[str, Any]], ctx: SchemeContext) -> dict[str, Any]:
        event = Event.objects.get(pk=ctx.event_id)
        scheme = Scheme.objects.filter(event=event).first() or Scheme()
        aspects = [{k: r.get(k) for k in ("section_code", "section_name", "criterion_code", "criterion_name", "code",
                                          "description", "kind", "max_mark", "step", "bands", "deductions")}
                   for r in rows]
        services.set_scheme(actor=job.created_by, event=event, aspects=aspects, expected_total=ctx.expected_total,
                            judgement_method=scheme.judgement_method, trim=scheme.trim,
                            rounding_mode=scheme.rounding_mode, rounding_places=scheme.rounding_places,
                            rounding_level=scheme.rounding_level, judges_per_entry=scheme.judges_per_entry)
        return {"event": event.pk, "aspects": len(rows), "total": format_number(ctx.expected_total)}


scheme_import = imports.register(SchemeImport())


def start_scheme_import(*, actor: Any, event: Event, upload: Any) -> Any:
    """`core.imports.start_import` of a scheme for `event` (into its competition's organiser): the job ends `done`
    (the scheme replaced), `invalid` (row errors and a report, nothing changed) or `failed` (a refusal of the whole
    scheme, nothing changed). A file that is not an .xlsx, empty or with other headers is refused before anything is
    stored."""
    return imports.start_import(actor=actor, kind=scheme_import.kind, target=event.competition.organiser,
                                upload=upload, params={"event": event.pk})


# ---------------------------------------------------------------------------------------------
# Export and template


def export_rows(aspects: list[Aspect]) -> list[list[Any]]:
    """One row per aspect with the import's columns; marks as numbers, codes and bands as text."""
    rows = []
    for a in queries.aspect_rows(aspects):
        rows.append([a["section_code"], a["section_name"], a["criterion_code"], a["criterion_name"], a["code"],
                     a["description"], WORD_OF_KIND.get(a["kind"], a["kind"]), cell_number(a["max_mark"]),
                     cell_number(a["step"]), format_bands(a["bands"]), format_deductions(a["deductions"])])
    return rows


def export_scheme(aspects: list[Aspect], title: str) -> bytes:
    return imports.write_xlsx(title, [c.header for c in scheme_import.columns], export_rows(aspects))


TEMPLATE_ROWS = [
    ["A", "尺寸精度", "A1", "外圆", "A1.1", "外圆直径 Φ40±0.02", "测量-公差", "20", "1", "0.02:20; 0.05:10", ""],
    ["", "", "", "", "A1.2", "倒角完整", "测量-达标", "5", "5", "", ""],
    ["", "", "A2", "安全文明", "A2.1", "安全文明生产", "测量-扣分", "15", "1", "", "S1:2:未戴护目镜; S2:5:违规操作"],
    ["B", "工艺评价", "B1", "表面质量", "B1.1", "表面粗糙度与纹理", "评价", "30", "0.5", "", ""],
    ["", "", "", "", "B1.2", "工艺合理性", "评价", "30", "0.5", "", ""],
]


def scheme_template() -> bytes:
    """The framework's template (headers, instructions) with a complete 100-point example scheme."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(imports.template(scheme_import)))
    sheet = workbook.worksheets[0]
    sheet.delete_rows(2)
    for r, values in enumerate(TEMPLATE_ROWS, start=2):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value or None)
            cell.number_format = "@"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
