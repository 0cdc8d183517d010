"""Small helpers shared by the journeys.

The UI is translated (English msgids, Chinese catalogue compiled at release), so a journey that finds an
element by its visible text accepts both: `either("Export to Excel", "导出Excel")`. Most selectors use
URLs and `name` attributes instead, which do not change with the language."""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import load_workbook

XLSX_MAGIC = b"PK\x03\x04"  # an .xlsx is a zip archive


def either(*texts: str) -> re.Pattern[str]:
    """A pattern matching any of the texts (each taken literally)."""
    return re.compile("|".join(re.escape(t) for t in texts))


def read_xlsx(path: str | Path, sheet: int = 0) -> list[list[object]]:
    """The rows of one sheet of a downloaded workbook, as values."""
    data = Path(path).read_bytes()
    assert data[:4] == XLSX_MAGIC, "the download is not an .xlsx file"
    wb = load_workbook(path)
    ws = wb.worksheets[sheet]
    return [list(row) for row in ws.iter_rows(values_only=True)]


def follow(page, selector: str) -> None:
    """Click a link and wait for the page it opens (a plain navigation, not HTMX)."""
    with page.expect_navigation():
        page.click(selector)
