"""Importing questions into a bank.

- The Excel template (题型, 题干, 选项A–F, 答案, 解析, 难度, 分值, 知识点) goes through the core import framework:
  every row checked before anything is written (`formats.excel.read_row`: every problem on its cell), the error
  report with the bad cells marked, all or nothing. The job lands in the bank's union; the bank is its start
  parameter (`params = {"bank": pk}`).
- Moodle's GIFT, Aiken and Moodle XML files are parsed whole (`formats`), every error with its line; if any, nothing
  is written (`ImportRefused` lists them all).

Either way a question already among the bank's current ones (the same fingerprint) is skipped and counted
(已存在，跳过), and the questions are written by the verb `services.import_questions`."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import imports
from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.imports import Column
from gongjiang.orgs.import_targets import OrgTarget
from gongjiang.orgs.models import Org

from . import formats, services
from .formats import common, excel
from .formats.common import FormatError
from .models import Bank
from .queries import banks as queries

KIND = "learning_questions"
MAX_ROWS = 20000
MAX_TEXT_BYTES = 5 * 1024 * 1024
TEXT_FORMATS = ("gift", "aiken", "moodlexml")
EXAMPLES = {"kind": "单选", "stem": "发现有人触电，首先应当（  ）。", "option_a": "立即切断电源",
            "option_b": "直接用手拉开", "option_c": "打电话等待", "option_d": "泼水降温", "answer": "A",
            "explanation": "触电急救第一步是使触电者尽快脱离电源。", "difficulty": "2", "score": "1",
            "tags": "安全生产、电工"}
HELP = {"kind": "单选、多选、判断或填空",
        "stem": "题目文字；填空题的空用____或（  ）标出",
        "answer": "单选/多选写选项字母（A,B / A、C / AC）；判断写正确/错误（对/错）；"
                  "填空写各空答案，空与空用；分隔，同一空的多个答案用|或／分隔",
        "explanation": "答题后显示的解析，可不填", "difficulty": "1–5 或 易、较易、中等、较难、难；不填为中等",
        "score": "大于0的数，可有一位小数；不填为1", "tags": "多个知识点用、分隔"}


def _columns(keys: list[str]) -> list[Column]:
    return [Column(k, excel.HEADERS[k], required=k in ("kind", "stem"), example=EXAMPLES.get(k, ""),
                   help=HELP.get(k, "选择题的选项，至多6个，从A起连续填写" if k.startswith("option_") else ""),
                   width=40 if k in ("stem", "explanation") else 12) for k in keys]


class ImportRefused(DomainError):
    """A question file with errors: nothing was written; `lines` lists every error with its line."""

    def __init__(self, lines: list[FormatError]) -> None:
        self.lines = lines
        super().__init__(_("%(n)d errors; nothing was imported.") % {"n": len(lines)}, field="file")


@dataclass
class BankContext:
    bank: Bank
    seen: dict[str, int] = field(default_factory=dict)  # fingerprint -> first row


def bank_to_change(actor: Any, pk: Any) -> Bank:
    bank = queries.manageable_banks(actor, "change").filter(pk=pk).first() if str(pk).isdigit() else None
    if bank is None:
        raise PermissionDeniedError(_("You may import questions only into the banks of your unions."),
                                    field="bank")
    return bank


class QuestionImport(OrgTarget, imports.ImportSpec):
    kind = KIND
    title = gettext_lazy("Questions of a bank")
    max_rows = MAX_ROWS
    params = (imports.Param("bank", missing=gettext_lazy("Choose the bank to import into.")),)
    columns = _columns(excel.TEMPLATE_KEYS + excel.EXTRA_OPTION_KEYS)

    def check_start(self, actor: Any, org: Org, params: dict[str, Any]) -> None:
        bank = bank_to_change(actor, params["bank"])
        if bank.org_id != org.pk:
            raise PermissionDeniedError(_("The bank belongs to another union."), field="bank")

    def prepare(self, job: Any, rows: list[dict[str, str]]) -> BankContext:
        bank = bank_to_change(job.created_by, (job.params or {}).get("bank"))
        return BankContext(bank=bank)

    def clean_row(self, row: dict[str, Any], ctx: BankContext) -> dict[str, str]:
        draft, errors = excel.read_row(row)
        if errors or draft is None:
            return errors
        first = ctx.seen.setdefault(draft.fingerprint, row["_row"])
        if first != row["_row"]:
            return {"stem": _("The same question is already in row %(n)d of this file.") % {"n": first}}
        row["draft"] = draft
        return {}

    def commit(self, job: Any, rows: list[dict[str, Any]], ctx: BankContext) -> dict[str, Any]:
        return services.import_questions(actor=job.created_by, bank=ctx.bank, drafts=[r["draft"] for r in rows],
                                         source="excel", filename=job.filename)


class _Template(imports.ImportSpec):
    """The template's columns: 选项G/选项H are read (to say "at most six options") but not offered."""

    title = QuestionImport.title
    columns = _columns(excel.TEMPLATE_KEYS)


def template() -> bytes:
    return imports.template(_Template())


def start_excel_import(*, actor: Any, bank: Bank, upload: Any) -> Any:
    """`core.imports.start_import` of the Excel template into `bank` (the pages', API's and tests' shorthand)."""
    return imports.start_import(actor=actor, kind=KIND, target=bank.org, upload=upload, params={"bank": bank.pk})


def import_text(*, actor: Any, bank: Bank, fmt: str, data: bytes, filename: str = "") -> dict[str, int]:
    """Import a GIFT, Aiken or Moodle XML file into `bank`: refused whole (`ImportRefused`, every error with its
    line) if any question is wrong or of a type not supported; else the verb writes them (duplicates skipped)."""
    bank = bank_to_change(actor, bank.pk)
    if fmt not in TEXT_FORMATS:
        raise DomainError(_("Choose the file's format."), field="format")
    if not data:
        raise DomainError(_("The file is empty."), field="file")
    if len(data) > MAX_TEXT_BYTES:
        raise DomainError(_("The file is larger than %(n)d MB.") % {"n": MAX_TEXT_BYTES // 1048576}, field="file")
    try:
        text = common.decode(data)
    except ValueError as e:
        raise DomainError(str(e), field="file") from None
    result = formats.parse(fmt, text)
    if result.errors:
        raise ImportRefused(result.errors)
    return services.import_questions(actor=actor, bank=bank, drafts=[q.draft for q in result.questions],
                                     source=fmt, filename=filename)


def export_xlsx(bank: Bank) -> bytes:
    """The bank's current questions in the import template (re-importable as it is)."""
    from openpyxl import load_workbook

    data = template()
    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    ws.delete_rows(2)
    for q in queries.for_export(bank):
        ws.append([imports.safe_cell(v) for v in excel.row_of(q)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_moodle_xml(bank: Bank) -> bytes:
    from .formats import moodlexml

    return moodlexml.write(queries.for_export(bank), category=bank.name)


question_import = imports.register(QuestionImport())
