"""Theory scores from a workbook (参赛号, 理论成绩): the round's results page reads an uploaded .xlsx on the core
import framework's checks (size, headers, every cell), all or nothing, and hands the scores to
`services.set_theory_scores`. Not registered with the import job pages: the file is small and saved at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core import imports

from .choices import EntryStatus
from .models import Entry, Round


def parse_theory(text: str, ctx: Any = None) -> Decimal:
    try:
        value = Decimal(text.replace("，", ".").strip())
    except ArithmeticError:
        raise imports.CellError(_("“%(v)s” is not a number.") % {"v": text}) from None
    if not value.is_finite():
        raise imports.CellError(_("“%(v)s” is not a number.") % {"v": text})
    if not 0 <= value <= 100:
        raise imports.CellError(_("A theory score is between 0 and 100, not %(v)s.") % {"v": text})
    if value != value.quantize(Decimal("0.01")):
        raise imports.CellError(_("A theory score has at most two decimals: %(v)s.") % {"v": text})
    return value


def _number_key(text: str) -> str:
    """参赛号 as typed or as Excel kept it: "007" and 7 are the same number."""
    text = text.strip()
    return str(int(text)) if text.isdigit() else text


class TheoryImport(imports.ImportSpec):
    """Not registered with the job pages: a round's theory scores are a small file checked and saved at once
    (`read_theory_workbook`); the spec gives the template, the header check and the per-cell errors."""

    kind = "competitions.theory"
    title = gettext_lazy("Theory scores")
    unique_keys = ("contestant_no",)
    columns = [
        imports.Column("contestant_no", "参赛号", required=True, example="001",
                       help="检录时抽取的参赛号"),
        imports.Column("theory", "理论成绩", required=True, parse=parse_theory, example="86.5",
                       help="0至100分，最多保留两位小数"),
    ]

    def prepare(self, job: Any, rows: list[dict[str, str]]) -> dict[str, int]:
        numbers = Entry.objects.filter(round=job, status=EntryStatus.CHECKED_IN).exclude(
            contestant_no="").values_list("contestant_no", "pk")
        return {_number_key(no): pk for no, pk in numbers}

    def clean_row(self, row: dict[str, Any], ctx: dict[str, int]) -> dict[str, str]:
        if _number_key(row["contestant_no"]) not in ctx:
            return {"contestant_no": _("No checked-in contestant of this round has the number %(no)s.") % {
                "no": row["contestant_no"]}}
        return {}


theory_import = TheoryImport()


def read_theory_workbook(rnd: Round, data: bytes, name: str = "theory.xlsx") -> tuple[
        dict[int, Decimal], list[imports.RowError]]:
    """The scores by entry id of an uploaded workbook, or every row and column error (nothing is saved)."""
    imports.check_upload(name, len(data), data[:4])
    headers, body = imports.read_xlsx(data, theory_import)
    result = imports.validate(theory_import, rnd, headers, body)
    if result.errors:
        return {}, result.errors
    return {result.ctx[_number_key(r["contestant_no"])]: r["theory"] for r in result.rows}, []
