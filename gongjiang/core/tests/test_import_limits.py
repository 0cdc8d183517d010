"""Uploaded workbooks that would make a reader build a huge sheet are refused before anything reads them.

A reader builds a sheet as one rectangle from A1 to its last cell, so a 5 KB file with one cell at XFD2000 is
2,000 × 16,384 cells (1.8 GB). Every import reads through `core.imports.read_xlsx`, which first checks what the
sheet declares (`<dimension ref>`) and where its cells are, against IMPORT_MAX_ROWS rows of data and the spec's
columns plus a few — whatever way the file writes its cells. The files here are written by hand, as an attacker
would, not by a spreadsheet program."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from gongjiang.core import imports
from gongjiang.core.errors import DomainError
from gongjiang.core.imports import read_xlsx, start_import
from gongjiang.core.models import ImportJob
from gongjiang.orgs.models import Person
from gongjiang.orgs.tests.factories import id_number

ROSTER = imports.get_spec("roster")
COLUMNS = len(ROSTER.columns) + imports.EXTRA_COLUMNS  # the widest sheet a roster upload may have
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def package(sheet_xml: str | bytes, *, target: str = "worksheets/sheet1.xml",
            member: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A minimal .xlsx: the parts a reader needs and one sheet, as written by hand."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                   'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml",
                   f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}" xmlns:r="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名册" sheetId="1" '
                   'r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   f'officeDocument/2006/relationships/worksheet" Target="{target}"/></Relationships>')
        z.writestr(member, sheet_xml)
    return out.getvalue()


def sheet(rows: str, dimension: str | None = None) -> str:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">{declared}<sheetData>{rows}'
            "</sheetData></worksheet>")


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = '<row r="1">' + cell("A1", "姓名") + cell("B1", "身份证号") + "</row>"


def first_row(name: str = "张三") -> str:
    return '<row r="2">' + cell("A2", name) + cell("B2", id_number()) + "</row>"


def refused(data: bytes) -> str:
    """Read `data` as the roster import would; it must be refused. Returns the message (in English)."""
    with translation.override("en"), pytest.raises(DomainError) as e:
        read_xlsx(data, ROSTER)
    assert e.value.field == "file"
    return e.value.message


def peak_memory(data: bytes) -> int:
    """Bytes allocated at the peak while the roster import reads (and refuses) `data`."""
    tracemalloc.start()
    try:
        refused(data)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ---------------------------------------------------------------------------------------------
# The attack files


def test_a_tiny_file_whose_only_cell_is_at_XFD2000_is_refused_without_building_the_sheet():
    data = package(sheet('<row r="2000">' + cell("XFD2000", "x") + "</row>"))
    assert len(data) < 5000
    assert peak_memory(data) < 8 * 1024 * 1024  # reading it would take hundreds of megabytes
    message = refused(data)
    assert "XFD2000" in message and "16,384" in message  # where the cell is, and how far that is
    assert f"{COLUMNS:,} columns" in message and "200,000 rows of data" in message  # the limits


def test_a_cell_in_the_last_row_of_a_sheet_is_refused_without_building_the_sheet():
    data = package(sheet(HEADER + first_row() + '<row r="1048576">' + cell("A1048576", "x") + "</row>"))
    assert peak_memory(data) < 8 * 1024 * 1024
    message = refused(data)
    assert "A1048576" in message and "1,048,576" in message and "200,000 rows of data" in message


def test_the_upload_is_refused_with_nothing_stored(sd):
    data = package(sheet(HEADER + first_row() + '<row r="2000">' + cell("XFD2000", "x") + "</row>"))
    with pytest.raises(DomainError) as e:
        start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel,
                     upload=SimpleUploadedFile("名册.xlsx", data))
    assert "XFD2000" in e.value.message
    assert not ImportJob.objects.exists() and not Person.objects.filter(name="张三").exists()


def test_a_sheet_declaring_a_huge_range_is_refused_by_its_declaration():
    message = refused(package(sheet(HEADER + first_row(), dimension="A1:XFD1048576")))
    assert "A1:XFD1048576" in message and "1,048,576 rows by 16,384 columns" in message


def test_a_sheet_that_declares_less_than_it_has_is_judged_by_its_cells():
    rows = HEADER + first_row() + '<row r="9">' + cell("AZ9", "x") + "</row>"
    assert "AZ9" in refused(package(sheet(rows, dimension="A1:B2")))
    assert "AZ9" in refused(package(sheet(rows)))  # or declares nothing


@pytest.mark.parametrize("rows", [
    # no references: each cell follows the previous one, so a long row reaches far
    "<row>" + '<c t="inlineStr"><is><t>x</t></is></c>' * 40 + "</row>",
    "<row>" + "<c><v>1</v></c>" * 39 + "<c/></row>",
    # a second reference (a reader takes the last), also behind a '>' in a quoted value
    '<row r="1"><c r="A1" r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>',
    '<row r="1"><c r="A1" foo=">" r="XFD1"><v>1</v></c></row>',
    # the reference written otherwise: not first, single quotes, spaces, lower case, a namespace prefix
    '<row><c t="inlineStr" r="XFD7"><is><t>x</t></is></c></row>',
    "<row><c r = 'ZZ7' t=\"inlineStr\"><is><t>x</t></is></c></row>",
    "<row><c\tr=\"XFD7\"><v>1</v></c></row>",
    '<row><c r="xfd7"><v>1</v></c></row>',
    '<row><x:c xmlns:x="urn:x" r="XFD7"><x:v>1</x:v></x:c></row>',
    # rows counted without references
    '<row r="200001"><c r="A200001"><v>1</v></c></row><row><c><v>1</v></c></row>',
], ids=["no references", "no references, values", "second reference", "second reference behind >",
        "reference not first", "quotes and spaces", "tab", "lower case", "prefix", "row without reference"])
def test_cells_written_in_unusual_ways_are_placed_as_a_reader_places_them(rows):
    message = refused(package(sheet(rows + '<row r="3">' + cell("A3", "张三") + "</row>")))
    # beyond the limits, or (two references in one tag) not a well-formed sheet at all
    assert message.startswith(("The sheet has a cell at", "The workbook cannot be read")), message


def test_a_utf16_sheet_is_checked_too():
    xml = sheet('<row r="2000">' + cell("XFD2000", "x") + "</row>").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert "XFD2000" in refused(package(xml.encode("utf-16")))


def test_the_first_sheet_is_found_where_the_workbook_says():
    data = package(sheet(HEADER + '<row r="3000">' + cell("XFD3000", "x") + "</row>"),
                   target="/xl/worksheets/Data.xml", member="XL/Worksheets/data.XML")
    assert "XFD3000" in refused(data)


# ---------------------------------------------------------------------------------------------
# What stays accepted


def test_unusual_writing_within_the_limits_is_read_as_before():
    no_references = ("<row>" + "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in ("姓名", "身份证号"))
                     + '</row><row><c t="inlineStr"><is><t>张三</t></is></c><c t="inlineStr"><is><t>110105194912310'
                     "02X</t></is></c></row>")
    headers, body = read_xlsx(package(sheet(no_references)), ROSTER)
    assert headers == ["姓名", "身份证号"] and body == [["张三", "11010519491231002X"]]


def test_a_stray_cell_a_few_columns_beyond_the_template_is_ignored_as_before():
    rows = (HEADER + '<row r="2">' + cell("A2", "张三") + cell("B2", "11010519491231002X") + cell("Y2", "备注")
            + "</row>")
    headers, body = read_xlsx(package(sheet(rows, dimension="A1:Y2")), ROSTER)
    assert headers == ["姓名", "身份证号"] and body == [["张三", "11010519491231002X"]]


def test_a_sheet_whose_first_column_is_empty_keeps_its_columns_in_place():
    rows = ('<row r="1">' + cell("B1", "姓名") + cell("C1", "身份证号") + "</row>"
            '<row r="2">' + cell("B2", "张三") + cell("C2", "11010519491231002X") + "</row>")
    headers, body = read_xlsx(package(sheet(rows)), ROSTER)
    assert headers == ["", "姓名", "身份证号"] and body == [["", "张三", "11010519491231002X"]]


def test_the_header_row_is_row_1_even_when_it_is_empty():
    rows = '<row r="2">' + cell("A2", "姓名") + "</row>" + '<row r="3">' + cell("A3", "张三") + "</row>"
    headers, body = read_xlsx(package(sheet(rows)), ROSTER)
    assert headers == [] and len(body) == 2  # so the header check names the missing columns


def test_the_row_limit_is_a_setting_named_in_the_refusal(sd, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [["张三", id_number()], ["李四", id_number()], ["王五", id_number()]]
    from gongjiang.orgs.tests.factories import xlsx_upload

    job = start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel,
                       upload=xlsx_upload(["姓名", "身份证号"], rows, "名册.xlsx"))
    assert job.state == ImportJob.State.DONE, job.message
    with translation.override("en"), pytest.raises(DomainError) as e:
        start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel,
                     upload=xlsx_upload(["姓名", "身份证号"], [*rows, ["赵六", id_number()]], "名册.xlsx"))
    assert "3 rows of data" in e.value.message and "A1:B5, 5 rows" in e.value.message  # as the file declares
    assert ImportJob.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Files that are not workbooks: the message is all Chinese (no reader's English error text)


def zip_of(**members: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name.replace("__", "/"), data)
    return out.getvalue()


LATIN_ALLOWED = {"xlsx", "xls", "Excel", "WPS", "ZIP"}


@pytest.mark.parametrize(("data", "says"), [
    (zip_of(readme__txt=b"not a workbook"), "ZIP"),  # a zip renamed .xlsx
    (b"PK\x03\x04" + b"\x00garbage" * 50, "损坏"),  # starts like a zip, is not one
    (package(b"<worksheet><sheetData><row><c r='A1'"), "无法读取"),  # a package whose sheet is cut off
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),  # an old .xls, or an encrypted .xlsx
])
def test_a_file_that_is_not_a_readable_workbook_gets_a_chinese_message(sd, data, says):
    with translation.override("zh-hans"), pytest.raises(DomainError) as e:
        start_import(actor=sd.enterprise_cadre, kind="roster", target=sd.steel,
                     upload=SimpleUploadedFile("名册.xlsx", data))
    message = e.value.message
    assert says in message
    assert set(re.findall(r"[A-Za-z]{2,}", message)) <= LATIN_ALLOWED, message
    assert not ImportJob.objects.exists()
