"""The one import framework: an app declares an `ImportSpec` (columns with Chinese headers, a row
parser, a commit); the framework reads the .xlsx, validates every row before any write, reports errors
per row and column (also as a downloadable .xlsx with the bad cells marked), and commits all-or-nothing,
inline for small files and as a background task for large ones.

Adding an import = subclass ImportSpec, declare its columns, its start parameters (`params`), where it lands
(the target hooks), who may start it (`check_start`) and `commit`, then call `register(spec)`. Starting one is
`start_import(actor=..., kind=..., target=..., upload=..., params={...})` from any page, API or command: nothing
else to write. Core knows no domain: what a target is (a union, for every import so far) is the spec's business.
"""

from __future__ import annotations

import contextlib
import datetime
import gc
import io
import itertools
import logging
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from . import sheet_limits
from .errors import DomainError, PermissionDeniedError
from .types import account_id

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django_stubs_ext import StrOrPromise
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from .models import ImportJob
    from .types import Account, Actor

logger = logging.getLogger(__name__)


class CellError(ValueError):
    """Raised by a column parser: the message (Chinese) says what is wrong with the cell."""


@dataclass
class Column:
    key: str
    header: str  # the Chinese column header, as in the template
    required: bool = False
    parse: Callable[[str, Any], Any] | None = None  # (text, context) -> value; raises CellError/ValueError
    help: str = ""
    example: str = ""
    aliases: tuple[str, ...] = ()
    width: int = 14
    # The parser's result depends only on the text (and the import's context): parse each distinct text once
    # per import (for columns whose few values repeat: vocabularies, yes/no, codes, dates). Errors are not kept.
    repeats: bool = False
    # The column holds ID numbers (身份证号), or what would rebuild one beside its masked form (the birth date):
    # the error report shows it only to the uploader and those the spec's `can_see_sensitive` allows; to anyone
    # else through `mask` (by default the last four characters, as ID numbers are masked everywhere).
    sensitive: bool = False
    mask: Callable[[str], str] | None = None


@dataclass
class RowError:
    row: int  # the spreadsheet row number (header is row 1)
    column: str  # the header, or "" for a whole-row error
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ValidationResult:
    rows: list[dict[str, Any]] = field(default_factory=list)  # clean rows with "_row" numbers
    errors: list[RowError] = field(default_factory=list)
    raw: list[list[str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    ctx: Any = None  # what `prepare` loaded, handed on to `commit`


@dataclass(frozen=True)
class Param:
    """One explicit start parameter of an import (the competition a registration file is for): given to
    `start_import`, checked and kept in `ImportJob.params` (JSON) for the run, in the request or in a task."""

    name: str
    parse: Callable[[Any], Any] = int  # the given value -> what is stored (JSON); raises ValueError/TypeError
    required: bool = True
    missing: Any = ""  # the refusal when it is not given (a translated message); a generic one otherwise


@dataclass(frozen=True)
class Target:
    """Where an import lands, as its job keeps it: the target's id (the spec finds the object again with it), its
    paths in the organisation's two trees (the job is scoped by them, as the target was at the upload) and its
    name (shown in lists)."""

    pk: int
    path: str
    name: str
    industry_path: str = ""


class ImportSpec:
    """Declare an import: `kind`, `title`, `columns`, optional `unique_keys`, the start (`params`, `check_start`,
    `max_rows`, `inline_rows`), the target hooks, and `prepare`/`clean_row`/`commit`."""

    kind: str = ""
    title: StrOrPromise = ""  # a lazy translation, shown in the user's language
    columns: list[Column] = []
    unique_keys: tuple[str, ...] = ()  # a value repeated in one file is an error in each repeated row
    max_errors = 5000
    params: tuple[Param, ...] = ()  # the explicit start parameters (`start_import(params=...)`, `job.params`)
    max_rows: int | None = None  # more data rows are refused before anything is stored (IMPORT_MAX_ROWS always)
    inline_rows: int | None = None  # files up to this many rows run in the request; None: IMPORT_BACKGROUND_ROWS

    # -- Starting

    def check_start(self, actor: Account, target: Any, params: dict[str, Any]) -> None:
        """Refuse to start (raise PermissionDeniedError or DomainError with a message for the user) unless `actor`
        may import into `target` with these (already parsed) params now: the permission and e.g. "registration is
        open". Runs before anything is stored, and on the upload pages to decide whether to offer the form. Fails
        closed: a spec that does not say who may start it cannot be started."""
        raise PermissionDeniedError(_("This import cannot be started here."))

    # -- The target (what the file is imported into), for the framework and the shared pages

    def describe_target(self, target: Any) -> Target:
        """The id, tree paths and name of a target, kept in the job."""
        raise NotImplementedError

    def find_target(self, user: Actor, pk: int) -> Any | None:
        """The target with this id if `user` may see it, else None (the upload page's `?org=`, the API's `org`)."""
        return None

    def get_target(self, job: ImportJob) -> Any | None:
        """The job's target (by `job.org_id`) for `prepare` and `commit`, or None if it no longer exists."""
        return None

    def search_targets(self, user: Actor, text: str) -> list[Any]:
        """The targets `user` may import into whose name or code matches `text` (the upload page's search)."""
        return []

    def target_trail(self, target: Any) -> list[Any]:
        """The breadcrumbs down to a target (the shared pages)."""
        return []

    # -- Running

    def prepare(self, job: ImportJob, rows: list[dict[str, str]]) -> Any:
        """Load what validation needs in a few queries (lookup tables); returns the context."""
        return None

    def clean_row(self, row: dict[str, Any], ctx: Any) -> dict[str, str]:
        """Cross-field checks of one parsed row; returns {column key: message}."""
        return {}

    def commit(self, job: ImportJob, rows: list[dict[str, Any]], ctx: Any) -> dict[str, Any]:
        """Write the validated rows (inside the framework's transaction); returns a summary."""
        raise NotImplementedError

    def can_see_sensitive(self, user: Account, job: ImportJob) -> bool:
        """May `user` (who can see the job) read the `sensitive` columns of its error report in clear? The uploader
        always may; by default nobody else (an import with ID numbers says who may, e.g. the unit's admins)."""
        return False

    def column_for(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


REGISTRY: dict[str, ImportSpec] = {}
_DEFAULT: list[str] = []  # the kind the shared import pages show without ?kind=


def register(spec: ImportSpec, *, default: bool = False) -> ImportSpec:
    """Make `spec` known by its kind (from the app's AppConfig.ready); `default`: the kind the shared import
    pages show when the address names none (the roster)."""
    from .models import ImportJob as Job  # registered from AppConfig.ready, when the models are loaded

    REGISTRY[spec.kind] = spec
    Job.TITLES[spec.kind] = spec.title
    if default:
        _DEFAULT[:] = [spec.kind]
    return spec


def default_kind() -> str | None:
    """The kind the shared import pages show without ?kind=, if an app declared one."""
    return _DEFAULT[0] if _DEFAULT else None


def get_spec(kind: str) -> ImportSpec:
    try:
        return REGISTRY[kind]
    except KeyError:
        raise DomainError(_("Unknown import type %(kind)s.") % {"kind": kind}) from None


# ---------------------------------------------------------------------------------------------
# Reading


OLE_SIGNATURE = b"\xd0\xcf\x11\xe0"
# Columns read beyond those the spec declares (an empty or formatted column or two next to the data).
EXTRA_COLUMNS = 10
MAX_COLUMNS = 50  # when the caller names no spec


def check_upload(name: str, size: int, head: bytes) -> None:
    """Refuse what is not an .xlsx or is too large, before reading it."""
    if not name.lower().endswith(".xlsx"):
        raise DomainError(_("The file must be an Excel workbook (.xlsx); %(name)s is not.") % {"name": name},
                          field="file")
    if size > settings.IMPORT_MAX_BYTES:
        raise DomainError(_("The file is %(size).1f MB; the limit is %(limit).0f MB.") % {
            "size": size / 1048576, "limit": settings.IMPORT_MAX_BYTES / 1048576}, field="file")
    if size == 0:
        raise DomainError(_("The file is empty."), field="file")
    if head.startswith(OLE_SIGNATURE):  # an Excel 97–2003 file, or an .xlsx encrypted with a password
        raise DomainError(_("The file is an Excel 97–2003 workbook (.xls) or a workbook protected by a password;"
                            " save it as an .xlsx without a password and upload it again."), field="file")
    if not head.startswith(b"PK"):
        raise DomainError(_("The file is not a valid .xlsx workbook (perhaps an old .xls renamed?)."),
                          field="file")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime.date | datetime.time):  # a datetime at midnight is a date
        text = value.isoformat()
        return text[:10] if not isinstance(value, datetime.datetime | datetime.time) or not value.hour else text
    return str(value).strip()


def read_xlsx(data: bytes, spec: ImportSpec | None = None) -> tuple[list[str], list[list[str]]]:
    """The first sheet's header row and the data rows as text (calamine: fast, read-only).

    The sheet's size is checked before anything reads it (`sheet_limits`: at most IMPORT_MAX_ROWS rows of data
    and the spec's columns plus EXTRA_COLUMNS, as declared and as found), then its rows are read one at a time."""
    from python_calamine import CalamineWorkbook

    max_columns = len(spec.columns) + EXTRA_COLUMNS if spec is not None else MAX_COLUMNS
    sheet_limits.check(data, max_data_rows=settings.IMPORT_MAX_ROWS, max_columns=max_columns)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = _sheet_rows(workbook.get_sheet_by_index(0))
    except Exception:  # calamine raises its own types; its messages are English and technical
        raise DomainError(sheet_limits.unreadable_message(), field="file") from None
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise DomainError(_("The first sheet is empty: it needs a header row and at least one data row."),
                          field="file")
    headers = [h.strip() for h in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    body = [r if len(r) == width else r[:width] + [""] * (width - len(r)) for r in rows[1:]]
    if not body:
        raise DomainError(_("The sheet has a header row but no data rows."), field="file")
    return headers, body


def _sheet_rows(sheet: Any) -> list[list[str]]:
    """Every row of the sheet from row 1 and column A, as text, converted one row at a time as calamine
    yields it. Most cells are text: strip those inline, convert the others (numbers, dates) one by one."""
    end = sheet.end
    if end is None:
        return []
    rows: list[list[str]] = []
    lead: list[str] | None = None
    for values in sheet.iter_rows():
        if lead is None:  # calamine starts the rows at the first used column
            lead = [""] * (end[1] + 1 - len(values))
        row = [v.strip() if type(v) is str else _cell_text(v) for v in values]
        rows.append(lead + row if lead else row)
    missing = end[0] + 1 - len(rows)  # leading empty rows, should a calamine version leave them out
    if missing > 0:
        rows[:0] = [[] for _ in range(missing)]
    return rows


def map_headers(spec: ImportSpec, headers: list[str]) -> dict[int, Column]:
    """Match headers to columns; unknown, repeated or missing required headers are refused."""
    by_name: dict[str, Column] = {}
    for col in spec.columns:
        by_name[col.header] = col
        for alias in col.aliases:
            by_name[alias] = col
    mapping: dict[int, Column] = {}
    problems: list[str] = []
    seen: set[str] = set()
    for i, h in enumerate(headers):
        name = h.replace("*", "").strip()
        if not name:
            continue
        found = by_name.get(name)
        if found is None:
            problems.append(_("unknown column “%(h)s”") % {"h": h})
        elif found.key in seen:
            problems.append(_("column “%(h)s” appears twice") % {"h": h})
        else:
            seen.add(found.key)
            mapping[i] = found
    missing = [c.header for c in spec.columns if c.required and c.key not in seen]
    if missing:
        problems.append(_("missing required columns: %(cols)s") % {"cols": "、".join(missing)})
    if problems:
        raise DomainError(_("The header row does not match the template: %(problems)s. Download the template"
                            " and keep its headers.") % {"problems": "；".join(problems)}, field="file")
    return mapping


def validate(spec: ImportSpec, job: ImportJob, headers: list[str], body: list[list[str]],
             progress: Callable[[int], None] | None = None) -> ValidationResult:
    """Parse and check every row; nothing is written. Rows are numbered as in the spreadsheet."""
    mapping = map_headers(spec, headers)
    result = ValidationResult(raw=body, headers=headers)
    keys = [col.key for col in mapping.values()]
    if len(mapping) == 1:
        (only,) = mapping
        texts = [{keys[0]: row[only]} for row in body]
    else:
        pick = operator.itemgetter(*mapping)
        texts = [dict(zip(keys, pick(row), strict=True)) for row in body]
    ctx = result.ctx = spec.prepare(job, texts)
    seen: dict[str, dict[Any, int]] = {k: {} for k in spec.unique_keys}
    # The per-cell loop runs for every cell of the file: read each column's settings once.
    cells: list[tuple[str, bool, Callable[[str, Any], Any] | None, str, dict[str, Any] | None]] = [
        (col.key, col.required, col.parse, col.header, {} if col.repeats and col.parse else None)
        for col in mapping.values()]
    for n, text in enumerate(texts):
        rownum = n + 2
        if not any(text.values()):
            continue  # blank line in the middle of a sheet
        clean: dict[str, Any] = {"_row": rownum}
        row_errors: dict[str, str] = {}
        for key, required, parse, header, known in cells:
            value = text[key]
            if not value:
                if required:
                    row_errors[key] = _("%(col)s is required.") % {"col": header}
                clean[key] = None
                continue
            if known is not None and value in known:
                clean[key] = known[value]
                continue
            try:
                clean[key] = parsed = parse(value, ctx) if parse else value
            except (CellError, ValueError) as e:
                row_errors[key] = str(e)
                continue
            if known is not None:
                known[value] = parsed
        if not row_errors:
            row_errors.update(spec.clean_row(clean, ctx))
        for key in spec.unique_keys:
            unique = clean.get(key)
            if unique in (None, "") or key in row_errors:
                continue
            first = seen[key].setdefault(unique, rownum)
            if first != rownum:
                row_errors[key] = _("The same value appears in row %(first)d; each person may appear only once"
                                    " in a file.") % {"first": first}
        for key, message in row_errors.items():
            header = spec.column_for(key).header if any(c.key == key for c in spec.columns) else ""
            result.errors.append(RowError(rownum, header, message))
        if not row_errors:
            result.rows.append(clean)
        if progress and n % 1000 == 999:
            progress(n + 1)
        if len(result.errors) >= spec.max_errors:
            result.errors.append(RowError(rownum, "", _("Too many errors; checking stopped at this row.")))
            break
    return result


# ---------------------------------------------------------------------------------------------
# Writing workbooks


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Exported text that starts like a formula is prefixed with ' so Excel shows it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def error_report(spec: ImportSpec, result_headers: list[str], raw: list[list[str]],
                 errors: Iterable[dict[str, Any]]) -> bytes:
    """The uploaded rows with bad cells filled red and commented, plus an 错误说明 column."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    red = PatternFill("solid", fgColor="FFC7CE")
    by_row: dict[int, list[dict[str, Any]]] = {}
    for e in errors:
        by_row.setdefault(e["row"], []).append(e)
    wb = Workbook(write_only=False)
    ws = _first_sheet(wb)
    ws.title = _("Errors")
    ws.append([*result_headers, _("Error description")])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    col_index = {h.replace("*", "").strip(): i for i, h in enumerate(result_headers)}
    for rownum in sorted(by_row):
        if rownum - 2 >= len(raw):
            continue
        values = [safe_cell(v) for v in raw[rownum - 2]]
        messages = by_row[rownum]
        ws.append([*values, "；".join(f"{m['column']}：{m['message']}" if m["column"] else m["message"]
                                     for m in messages)])
        r = ws.max_row
        ws.cell(row=r, column=len(result_headers) + 1).fill = red
        for m in messages:
            i = col_index.get(m["column"])
            if i is not None:
                cell = ws.cell(row=r, column=i + 1)
                cell.fill = red
                cell.comment = Comment(m["message"], "工匠")
        ws.cell(row=r, column=1).value = values[0] if values else ""
    ws.insert_cols(1)
    ws.cell(row=1, column=1).value = _("Row")
    ws.cell(row=1, column=1).font = Font(bold=True)
    for i, rownum in enumerate(sorted(r for r in by_row if r - 2 < len(raw)), start=2):
        ws.cell(row=i, column=1).value = rownum
    ws.freeze_panes = "B2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@transaction.atomic
def download_error_report(*, actor: Account, job: ImportJob) -> bytes:
    """The job's error report for `actor` (who can see the job): as stored for the uploader and for those the
    spec lets see ID numbers; otherwise with every `sensitive` cell masked to its last four characters. Each
    download is audited, with whether it was masked."""
    from . import audit

    spec = get_spec(job.kind)
    with job.error_report.open("rb") as f:
        data: bytes = f.read()
    hidden = [c for c in spec.columns if c.sensitive]
    uploader = job.created_by_id is not None and job.created_by_id == actor.pk
    clear = not hidden or uploader or spec.can_see_sensitive(actor, job)
    if not clear:
        data = mask_report(spec, data)
    audit.record(actor, "core.import.error_report_downloaded", job, after={"masked": not clear},
                 org_path=job.org_path)
    return data


def mask_report(spec: ImportSpec, data: bytes) -> bytes:
    """An error report (see `error_report`) with the cells of the spec's `sensitive` columns masked, ID numbers
    showing only their last four characters (**************1234), as everywhere else."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    ws = wb.worksheets[0]
    # Row 1: the row-number column, the uploaded headers (matched as `map_headers` does), the error description.
    masks = {name: col.mask or _mask_id_number for col in spec.columns if col.sensitive
             for name in (col.header, *col.aliases)}
    for i, header in enumerate(c.value for c in ws[1][1:-1]):
        mask = masks.get(str(header or "").replace("*", "").strip())
        if mask is None:
            continue
        for (cell,) in ws.iter_rows(min_row=2, min_col=i + 2, max_col=i + 2):
            if cell.value not in (None, ""):
                cell.value = mask(str(cell.value).lstrip("'"))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _mask_id_number(text: str) -> str:
    from .ids import mask_id_card, normalize_id_card

    return mask_id_card(normalize_id_card(text))


def template(spec: ImportSpec) -> bytes:
    """A template: the headers (required ones marked *), an example row, and a sheet explaining columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = _first_sheet(wb)
    ws.title = spec.title[:30] or "Sheet1"
    ws.append([c.header for c in spec.columns])
    ws.append([c.example for c in spec.columns])
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for i, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=i)
        cell.font = Font(bold=True)
        if col.required:
            cell.fill = required_fill
        ws.column_dimensions[get_column_letter(i)].width = col.width
        # Text format for the whole column: Excel would turn an 18-digit ID number into 3.70102E+17.
        ws.column_dimensions[get_column_letter(i)].number_format = "@"
        ws.cell(row=2, column=i).number_format = "@"
    help_ws = wb.create_sheet(_("Instructions"))
    help_ws.append([_("Column"), _("Required"), _("Description")])
    for col in spec.columns:
        help_ws.append([col.header, _("yes") if col.required else "", col.help])
    help_ws.append([])
    help_ws.append([_("Delete the example row before importing. Yellow headers are required. The whole file"
                      " is checked before anything is saved: if any row has an error nothing is imported,"
                      " and an error report marks the cells to correct.")])
    help_ws.column_dimensions["A"].width = 16
    help_ws.column_dimensions["C"].width = 80
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _first_sheet(wb: Workbook) -> Worksheet:
    """The sheet a new workbook opens with (openpyxl's types allow none, or a chart sheet)."""
    from openpyxl.worksheet.worksheet import Worksheet

    ws = wb.active
    if not isinstance(ws, Worksheet):
        raise TypeError("a new workbook starts with a worksheet")
    return ws


# Exports size their columns from the header and the first rows (the file is written as the rows come: a width is
# written before the first row), between these bounds, in Excel's character widths.
WIDTH_SAMPLE_ROWS = 500
MIN_WIDTH, MAX_WIDTH = 6, 50
INVALID_SHEET_TITLE = re.compile(r"[\\*?:/\[\]]")


def excel_value(value: Any) -> Any:
    """A value as an export cell holds it: numbers, dates and times typed (an aware time in the site's time zone;
    Excel has none), text escaped (`safe_cell`), a lazy translation as its text, anything else as its text."""
    if value is None or isinstance(value, bool | int | float | Decimal | datetime.date | datetime.time):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.make_naive(value)
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # control characters a workbook cannot hold

    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value if isinstance(value, str) else str(value)))


def text_width(value: Any) -> int:
    """How many character widths `value` takes in a cell: Chinese (East Asian wide) characters count two, a date
    ten, a time sixteen; the longest line of several."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    text = str(value)
    return max(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
               for line in text.splitlines() or [""])


def column_widths(headers: list[str], rows: Iterable[Iterable[Any]]) -> list[float]:
    """Widths for the columns of an export: the widest of the header (with room for the filter's button) and the
    values in `rows` (a sample), bounded by MIN_WIDTH and MAX_WIDTH."""
    widths = [text_width(h) + 3 for h in headers]
    for row in rows:
        for i, value in enumerate(row):
            if i < len(widths):
                widths[i] = max(widths[i], text_width(value) + 1)
            else:
                widths.append(text_width(value) + 1)
    return [float(min(max(w, MIN_WIDTH), MAX_WIDTH)) for w in widths]


def sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of \\ * ? : / [ ]."""
    return INVALID_SHEET_TITLE.sub("-", title)[:31].strip("'") or "Sheet1"


def write_xlsx(title: str, headers: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A plain export in constant memory (openpyxl's write-only mode; `rows` may be a generator over a large
    queryset): one sheet with a bold, frozen header row and a filter over every column, columns sized from the header
    and the first WIDTH_SAMPLE_ROWS rows; numbers and dates typed (`excel_value`), formula-like text escaped."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    source = iter(rows)
    sample = [[excel_value(v) for v in row] for row in itertools.islice(source, WIDTH_SAMPLE_ROWS)]
    widths = column_widths(headers, sample)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title(title))
    for i, width in enumerate(widths, start=1):  # before the first row: the widths are written ahead of the rows
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for h in headers:
        c = WriteOnlyCell(ws, value=excel_value(h))
        c.font = bold
        header_cells.append(c)
    ws.append(header_cells)
    written = 1
    columns = max(len(headers), 1)
    for values in itertools.chain(sample, ([excel_value(v) for v in row] for row in source)):
        ws.append([_typed_cell(ws, v) for v in values])
        columns = max(columns, len(values))
        written += 1
    if headers:
        ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{written}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _typed_cell(ws: Any, value: Any) -> Any:
    """A date and time shown to the minute (openpyxl's default shows seconds), a decimal with its places (85.50, not
    85.5); any other value as it is."""
    if isinstance(value, datetime.datetime):
        number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, Decimal) and isinstance(exponent := value.as_tuple().exponent, int) and -6 <= exponent < 0:
        number_format = "0." + "0" * -exponent
    else:
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = number_format
    return cell


# ---------------------------------------------------------------------------------------------
# Running a job


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """An import makes millions of small objects that all live until it ends: the cyclic garbage collector
    would walk them again and again (seconds for 100,000 rows) and find nothing. Pause it meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def clean_params(spec: ImportSpec, params: dict[str, Any] | None) -> dict[str, Any]:
    """The start parameters as the spec declares them, parsed: an unknown name, a missing required one or a value
    that does not parse is refused (DomainError naming the parameter)."""
    given = dict(params or {})
    declared = {p.name: p for p in spec.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise DomainError(_("This import takes no parameter %(names)s.") % {"names": "、".join(unknown)},
                          field=unknown[0])
    clean: dict[str, Any] = {}
    for name, param in declared.items():
        value = given.get(name)
        if value is None or value == "":
            if param.required:
                raise DomainError(param.missing or _("Give the %(name)s to start this import.") % {"name": name},
                                  field=name)
            continue
        try:
            clean[name] = param.parse(value)
        except (TypeError, ValueError):
            raise DomainError(_("“%(value)s” is not a valid %(name)s.") % {"value": value, "name": name},
                              field=name) from None
    return clean


def check_start(spec: ImportSpec, actor: Account, target: Any, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Whether `actor` may start `spec` into `target` with `params` now: the parsed params, or the refusal raised
    (DomainError / PermissionDeniedError). `start_import` asks it first; the upload pages ask it to offer the form."""
    clean = clean_params(spec, params)
    spec.check_start(actor, target, clean)
    return clean


def new_job(spec: ImportSpec, target: Any, **fields: Any) -> ImportJob:
    """An unsaved ImportJob of `spec` landing in `target` (its id, paths and name from `describe_target`)."""
    from .models import ImportJob

    where = spec.describe_target(target)
    return ImportJob(kind=spec.kind, org_id=where.pk, org_path=where.path, industry_path=where.industry_path,
                     org_name=where.name[:200], **fields)


def start_import(*, actor: Account, kind: str, target: Any, upload: UploadedFile,
                 params: dict[str, Any] | None = None) -> ImportJob:
    """Accept an upload of `kind` into `target` with the spec's start `params`: refuse what may not start
    (`check_start`), what is not an .xlsx, too large, with other headers or more rows than the spec takes, before
    anything is stored; otherwise store the job (the params with it), run it in the request when it has at most
    the spec's `inline_rows` rows, else enqueue it (after the commit) as a background task."""
    with gc_paused():
        return _start_import(actor=actor, kind=kind, target=target, upload=upload, params=params)


def _start_import(*, actor: Account, kind: str, target: Any, upload: UploadedFile,
                  params: dict[str, Any] | None) -> ImportJob:
    spec = get_spec(kind)
    head = upload.read(8)
    upload.seek(0)
    name = upload.name or ""  # an upload always has a name and a size (Django's types allow none)
    check_upload(name, upload.size or 0, head)
    clean = check_start(spec, actor, target, params)
    data = upload.read()
    headers, body = read_xlsx(data, spec)
    map_headers(spec, headers)  # refuse a wrong header row at once, before storing anything
    if spec.max_rows is not None and len(body) > spec.max_rows:
        raise DomainError(_("The file has %(n)d rows; an import of this type (%(title)s) takes at most %(max)d.") % {
            "n": len(body), "title": spec.title, "max": spec.max_rows}, field="file")
    job = new_job(spec, target, params=clean, created_by_id=account_id(actor),
                  filename=name[:255], total_rows=len(body))
    job.file.save(name, ContentFile(data), save=False)
    job.save()
    inline = spec.inline_rows if spec.inline_rows is not None else settings.IMPORT_BACKGROUND_ROWS
    if len(body) <= inline:
        run_import(job.pk, headers=headers, body=body)
        job.refresh_from_db()
    else:
        transaction.on_commit(lambda: run_import_task.enqueue(job.pk))
    return job


def run_import(job_id: int, headers: list[str] | None = None, body: list[list[str]] | None = None) -> None:
    """Validate every row (progress saved as it goes), then commit all rows in one transaction."""
    with gc_paused():
        _run_import(job_id, headers, body)


@task()
def run_import_task(job_id: int) -> None:
    """A large import, in the background (a task takes the job's id, never the job)."""
    run_import(job_id)


def _run_import(job_id: int, headers: list[str] | None, body: list[list[str]] | None) -> None:
    from gongjiang.core import audit

    from .models import ImportJob

    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.state not in {ImportJob.State.PENDING}:
        return
    spec = get_spec(job.kind)
    job.state = ImportJob.State.VALIDATING
    job.save(update_fields=["state"])
    try:
        if headers is None or body is None:
            with job.file.open("rb") as f:
                headers, body = read_xlsx(f.read(), spec)

        def progress(n: int) -> None:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=n)

        result = validate(spec, job, headers, body, progress)
    except DomainError as e:
        _finish(job, ImportJob.State.FAILED, message=e.message)
        return
    except Exception:
        _fail_unexpectedly(job)
        return
    if result.errors:
        errors = [e.as_dict() for e in result.errors]
        job.processed_rows = job.total_rows  # every row was checked: the progress bar shows it complete
        job.errors = errors[:2000]
        job.error_count = len(errors)
        report = error_report(spec, headers, body, errors)
        job.error_report.save(f"errors-{job.pk}.xlsx", ContentFile(report), save=False)
        _finish(job, ImportJob.State.INVALID,
                message=_("%(n)d errors in %(rows)d rows; nothing was imported.") % {
                    "n": len(errors), "rows": len({e["row"] for e in errors})})
        return
    job.state = ImportJob.State.COMMITTING
    job.processed_rows = len(body)
    job.save(update_fields=["state", "processed_rows"])
    try:
        with transaction.atomic():
            summary = spec.commit(job, result.rows, result.ctx)
            audit.record(job.created_by, f"import.{job.kind}", job, after=summary, org_path=job.org_path)
    except DomainError as e:
        _finish(job, ImportJob.State.FAILED, message=e.message)
        return
    except Exception:
        # E.g. two cadres importing the same new person at once (unique ID hash): the transaction is rolled
        # back; the job must end FAILED, not stay "importing" for ever.
        _fail_unexpectedly(job)
        return
    job.summary = summary
    _finish(job, ImportJob.State.DONE, message=_("Imported %(n)d rows.") % {"n": len(result.rows)})


def _fail_unexpectedly(job: ImportJob) -> None:
    logger.exception("Import job %s failed", job.pk)
    _finish(job, job.State.FAILED, message=_("The import stopped because of an unexpected error; nothing was"
                                              " imported. Please upload the file again."))


def _finish(job: ImportJob, state: str, message: str = "") -> None:
    job.state = state
    job.message = message[:500]
    job.finished_at = timezone.now()
    job.save()


def iter_chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i: i + size]
