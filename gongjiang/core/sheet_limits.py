"""Refuse an uploaded .xlsx whose first sheet is larger than an import may be, before any reader builds it.

A reader (python-calamine, like most) builds a sheet as one dense rectangle from A1 to its last cell: a 5 KB
file with a single cell at XFD2000 becomes 2,000 × 16,384 cells, 1.8 GB. So the sheet's XML is looked at first,
streamed out of the zip in 1 MB pieces, and two things are checked against the limits:

- what the sheet declares, `<dimension ref="A1:P1001"/>`;
- what it has: the position of every cell. A file may leave the declaration out or lie in it, so this is the
  check that counts. Excel, WPS, LibreOffice, openpyxl and xlsxwriter start every cell tag with its reference
  (`<c r="B12" s="1">`), so one regular expression per piece finds every cell tag that is beyond the limits *or
  written any other way* (no reference, a second one, quotes or spaces elsewhere, a namespace prefix). Only then
  is the sheet parsed properly (expat), positions counted as calamine counts them — slower, and only for
  unusual files. Both stop at the first cell beyond the limits.

The first sheet is found as calamine finds it (xl/workbook.xml, then its relationships); when that does not
resolve, every worksheet of the file is checked.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO
from xml.parsers import expat

from django.utils.translation import gettext as _

from .errors import DomainError

PIECE = 1 << 20
MAX_TAG = 1 << 20  # no tag of a sheet is this long; a piece never ends inside one that is
MAX_PART = 16 << 20  # xl/workbook.xml and its relationships are a few KB
SHEET_DIRS = ("xl/worksheets/", "xl/chartsheets/", "xl/dialogsheets/")
PREFIXED_CELL = re.compile(rb":c[\s/>]")  # <x:c …> (any prefix: calamine compares local names)
REFERENCE = re.compile(rb' r="([A-Z]{1,3}[0-9]{1,7})"')
DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\s[^>]*?\bref\s*=\s*[\"']([^\"'>]*)[\"']")


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


class _Unusual(Exception):
    """The quick scan cannot vouch for this sheet: parse it properly."""


def check(data: bytes, *, max_data_rows: int, max_columns: int) -> None:
    """Raise DomainError (field "file") if the first sheet declares or has a cell beyond `max_data_rows` rows
    below the header row or beyond `max_columns` columns; also if the file is not a readable .xlsx package."""
    limits = _Limits(max_data_rows + 1, max_columns)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise DomainError(damaged_message(), field="file") from None
    with archive:
        try:
            for info in _first_sheet(archive):
                _check_sheet(archive, info, limits)
        except _Refused as e:
            raise DomainError(e.message, field="file") from None
        except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError, OSError,
                expat.ExpatError, ValueError):
            # A damaged or encrypted member, an unknown compression, XML that does not parse.
            raise DomainError(unreadable_message(), field="file") from None


def damaged_message() -> str:
    return _("The file is damaged and cannot be read as an .xlsx workbook. Open it in Excel or WPS, save it as"
             " .xlsx and upload it again.")


def unreadable_message() -> str:
    return _("The workbook cannot be read (the file may be damaged). Open it in Excel or WPS, save it as .xlsx"
             " and upload it again.")


def not_a_workbook_message() -> str:
    return _("The file is a ZIP archive, not an Excel workbook. Save the data as an .xlsx workbook (in Excel or"
             " WPS) and upload that.")


# ---------------------------------------------------------------------------------------------
# Cell references, read as calamine reads them (letters in either case, then digits; row 0 is no row)


def column_name(n: int) -> str:
    """1 → A, 28 → AB, 16384 → XFD."""
    name = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        name = chr(65 + r) + name
    return name


def position(ref: str | bytes, *, column_required: bool = True) -> tuple[int, int] | None:
    """(row, column), both from 1, of a reference such as "B12"; None if calamine would refuse it."""
    text = ref.decode("ascii", "replace") if isinstance(ref, bytes) else ref
    m = re.fullmatch(r"([A-Za-z]*)([0-9]+)", text)
    if m is None or (column_required and not m.group(1)):
        return None
    row = int(m.group(2))
    if row == 0:
        return None
    column = 0
    for c in m.group(1).upper():
        column = column * 26 + ord(c) - 64
    return row, column


def _not_above(n: int, alphabet: str) -> str:
    """A regular expression matching exactly the numerals 1..n written in `alphabet` ("0123456789" for
    decimal numbers, "" for column letters, which count A=1 … Z=26 in bijective base 26)."""
    if alphabet:
        text, digits, first = str(n), alphabet, alphabet[1:]
    else:
        text, digits, first = column_name(n), "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

    def below(c: str, choices: str) -> str:
        lower = choices[: choices.index(c)]
        return f"[{lower[0]}-{lower[-1]}]" if lower else ""

    parts = []
    if len(text) > 1:
        parts.append(f"[{first[0]}-{first[-1]}][{digits[0]}-{digits[-1]}]{{0,{len(text) - 2}}}")
    for i, c in enumerate(text):
        lower = below(c, first if i == 0 else digits)
        if lower:
            parts.append(text[:i] + lower + f"[{digits[0]}-{digits[-1]}]{{{len(text) - i - 1}}}")
    parts.append(text)
    return "(?:" + "|".join(parts) + ")"


class _Limits:
    def __init__(self, rows: int, columns: int) -> None:
        self.rows, self.columns = rows, columns
        cell = _not_above(columns, "") + _not_above(rows, "0123456789")
        # A cell tag that does not start with one reference within the limits, in double quotes, followed by
        # attributes none of which is another `r` — anything else sends the sheet to the parser.
        self.unusual_cell = re.compile(
            rb'<c(?=[\s/>])(?! r="' + cell.encode() + rb'"(?:\s+(?!r\s*=)[\w:.-]+\s*=\s*(?:"[^"]*"|\'[^\']*\'))*+'
            rb"\s*/?>)")

    def declared(self, ref: str) -> None:
        corners = [position(part) for part in ref.split(":")]
        if not corners or None in corners:
            return  # not a range: the reader refuses the sheet itself
        rows = max(p[0] for p in corners if p)
        columns = max(p[1] for p in corners if p)
        if rows > self.rows or columns > self.columns:
            raise _Refused(_(
                "The sheet declares the range %(ref)s, %(rows)s rows by %(cols)s columns; an import reads at most"
                " %(max_rows)s rows (the header and %(max_data)s rows of data) and %(max_cols)s columns. Delete the"
                " rows and columns beyond the data, or split the file, and upload it again.") % {
                "ref": ref, "rows": f"{rows:,}", "cols": f"{columns:,}", **self._maxima()})

    def cell(self, row: int, column: int) -> None:
        if row > self.rows or column > self.columns:
            raise _Refused(_(
                "The sheet has a cell at %(cell)s (row %(row)s, column %(col)s); an import reads at most"
                " %(max_rows)s rows (the header and %(max_data)s rows of data) and %(max_cols)s columns. Delete the"
                " rows and columns beyond the data, or split the file, and upload it again.") % {
                "cell": f"{column_name(column)}{row}", "row": f"{row:,}", "col": f"{column:,}", **self._maxima()})

    def _maxima(self) -> dict[str, str]:
        return {"max_rows": f"{self.rows:,}", "max_data": f"{self.rows - 1:,}", "max_cols": f"{self.columns:,}"}


# ---------------------------------------------------------------------------------------------
# Which part of the package is the first sheet


def _first_sheet(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The zip members calamine may read as the first sheet (member names compare case-insensitively)."""
    members: dict[str, list[zipfile.ZipInfo]] = {}
    for info in archive.infolist():
        members.setdefault(info.filename.replace("\\", "/").lower(), []).append(info)
    workbook = members.get("xl/workbook.xml")
    if not workbook:
        raise _Refused(not_a_workbook_message())
    found: list[zipfile.ZipInfo] = []
    rels = members.get("xl/_rels/workbook.xml.rels")
    if rels:
        try:
            ids = _first_sheet_ids(_read_part(archive, workbook[0]))
            targets = _targets(_read_part(archive, rels[0]), ids) if ids else []
        except (expat.ExpatError, _Unusual):
            targets = []
        for target in targets:
            path = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else f"xl/{target}"
            found += members.get(path.replace("\\", "/").lower(), [])
    if not found:  # not resolved as calamine resolves it: check every sheet it could open
        found = [i for name, infos in members.items() if name.startswith(SHEET_DIRS) for i in infos]
    return found


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as f:
        data = f.read(MAX_PART + 1)
    if len(data) > MAX_PART:
        raise _Unusual
    return data


def _first_sheet_ids(xml: bytes) -> list[str]:
    """The relationship ids of the first <sheet> of xl/workbook.xml (the attributes calamine reads)."""
    ids: list[str] = []

    def start(name: str, attrs: list[str]) -> None:
        if not ids and name.rpartition(":")[2] == "sheet":
            pairs = dict(zip(attrs[::2], attrs[1::2], strict=True))
            ids.extend(v for k, v in pairs.items() if k in ("r:id", "relationships:id"))
            ids.append("")  # the first sheet is seen, even without an id

    _parse(xml, start)
    return [i for i in ids if i]


def _targets(xml: bytes, ids: list[str]) -> list[str]:
    targets: list[str] = []

    def start(name: str, attrs: list[str]) -> None:
        if name.rpartition(":")[2] == "Relationship":
            pairs = dict(zip(attrs[::2], attrs[1::2], strict=True))
            if pairs.get("Id") in ids and pairs.get("Target"):
                targets.append(pairs["Target"])

    _parse(xml, start)
    return targets


def _parse(xml: bytes, start: Callable[[str, list[str]], None]) -> None:
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.StartElementHandler = start
    parser.Parse(xml, True)


# ---------------------------------------------------------------------------------------------
# One sheet


def _check_sheet(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: _Limits) -> None:
    try:
        with archive.open(info) as stream:
            _quick_scan(stream, limits)
    except _Unusual:
        with archive.open(info) as stream:
            _parse_sheet(stream, limits)


def _pieces(stream: IO[bytes]) -> Iterator[bytes]:
    """The XML in pieces of about 1 MB, each ending just after a '>' (so a tag is never cut in two)."""
    carry = b""
    while chunk := stream.read(PIECE):
        data = carry + chunk
        cut = data.rfind(b">") + 1
        if len(data) - cut > MAX_TAG:
            raise _Unusual  # a megabyte without a tag end: not a sheet a spreadsheet program wrote
        yield data[:cut]
        carry = data[cut:]
    if carry:
        yield carry


def _quick_scan(stream: IO[bytes], limits: _Limits) -> None:
    in_data = False
    for n, piece in enumerate(_pieces(stream)):
        if n == 0 and (b"\0" in piece[:4] or piece.startswith((b"\xfe\xff", b"\xff\xfe"))):
            raise _Unusual  # UTF-16: the byte patterns below do not apply
        if not in_data:
            for m in DIMENSION.finditer(piece):
                limits.declared(m.group(1).decode("ascii", "replace"))
            in_data = b"sheetData" in piece
        unusual = limits.unusual_cell.search(piece)
        if unusual:
            ref = REFERENCE.match(piece, unusual.end())
            pos = position(ref.group(1)) if ref else None
            if pos:
                limits.cell(*pos)  # the usual form, beyond the limits: refused at once
            raise _Unusual
        if PREFIXED_CELL.search(piece):
            raise _Unusual


NAMES = frozenset(("c", "row", "dimension"))


def _parse_sheet(stream: IO[bytes], limits: _Limits) -> None:
    """Every cell's position as calamine computes it: its own reference, or the next column of its row (a row
    without a reference follows the previous one). Empty `<c/>` elements are counted too."""
    state = {"row": 1, "column": 1}

    def start(name: str, attrs: list[str]) -> None:
        local = name if name in NAMES else name.rpartition(":")[2] if ":" in name else ""
        if local not in NAMES:
            return
        pairs = dict(zip(attrs[::2], attrs[1::2], strict=True))
        if local == "c":
            pos = position(pairs["r"]) if "r" in pairs else None
            row, column = pos if pos else (state["row"], state["column"])
            state["column"] = column + 1
            limits.cell(row, column)
        elif local == "row" and "r" in pairs:
            pos = position(pairs["r"], column_required=False)
            if pos:
                state["row"] = pos[0]
        elif local == "dimension" and "ref" in pairs:
            limits.declared(pairs["ref"])

    def end(name: str) -> None:
        if name.rpartition(":")[2] == "row":
            state["row"] += 1
            state["column"] = 1

    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    while chunk := stream.read(PIECE):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
