"""Journey: the cadre of 济南钢铁集团有限公司工会 brings the company's roster into Gongjiang from Excel.

She downloads the template, fills it in, uploads it, is told exactly which row and which columns are
wrong, downloads the error report with the bad cells marked, corrects the row, imports again, finds the
new workers in the list (ID numbers masked) and exports the list back to Excel."""

from __future__ import annotations

import datetime
import re

from openpyxl import load_workbook
from playwright.sync_api import expect

from gongjiang.core.ids import make_id_card, mask_id_card

from .helpers import either, follow, read_xlsx

RED = "FFC7CE"  # the fill of a bad cell in the error report


def wrong_check_digit(number: str) -> str:
    return number[:-1] + next(c for c in "0123456789X" if c != number[-1])


def id_card(year: int, month: int, day: int, seq: int) -> str:
    return make_id_card("370112", datetime.date(year, month, day), seq)


NEW_WORKERS = [
    # 姓名, 身份证号, 手机号码, 技能等级, 一线职工, 入会日期
    ("赵建国", id_card(1985, 4, 12, 111), "13811112222", "四级/中级工", "是", "2010-09-01"),
    ("孙丽", id_card(1992, 11, 3, 222), "13933334444", "三级/高级工", "是", "2016-03-15"),
    ("周明", id_card(1998, 1, 20, 333), "15055556666", "", "否", ""),
]
BAD_ROW = 3  # the second worker (孙丽) is on spreadsheet row 3: row 1 holds the headers


def fill_template(template_path, out_path, *, break_row: bool) -> None:
    """What the cadre does in Excel: delete the example row, type one worker per row."""
    wb = load_workbook(template_path)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    ws.delete_rows(2)  # the example row
    for name, id_number, mobile, grade, front_line, member_since in NEW_WORKERS:
        if break_row and name == "孙丽":
            id_number, mobile = wrong_check_digit(id_number), mobile[:-1]  # a typo and a missing digit
        values = {"姓名": name, "身份证号": id_number, "手机号码": mobile, "技能等级": grade, "一线职工": front_line,
                  "入会日期": member_since, "民族": "汉族"}
        ws.append([values.get(h, "") for h in headers])
    wb.save(out_path)


def test_enterprise_cadre_imports_a_roster_corrects_a_bad_row_and_exports_it(
        page, live_server, province, login, shot, tmp_path):
    steel = province.steel
    login("enterprise_cadre")

    # The sidebar's 名册导入, then the unit: found by name among the units she may change.
    follow(page, "aside.sidenav a[href='/imports/']")
    page.fill("input[name=find]", "济南钢铁")
    page.press("input[name=find]", "Enter")
    page.wait_for_url(re.compile(r"find="))
    shot("find-unit")
    follow(page, f"a[href='/imports/?org={steel.pk}']")
    expect(page.locator("h1")).to_contain_text("济南钢铁集团有限公司工会")
    expect(page.locator("input[type=file][name=file]")).to_be_visible()
    shot("import-page")

    # The template: an .xlsx whose first row holds the Chinese headers, with an example row.
    with page.expect_download() as download:
        page.locator("a[href='/imports/template/roster.xlsx']").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    template_path = tmp_path / "template.xlsx"
    download.value.save_as(template_path)
    rows = read_xlsx(template_path)
    for header in ("姓名", "身份证号", "性别", "手机号码", "技能等级", "入会日期"):
        assert header in rows[0]
    assert len(rows) == 2, "the template has the headers and one example row"

    # First upload: 孙丽's ID number has a wrong check digit and her phone number a missing digit.
    roster = tmp_path / "济钢职工名册.xlsx"
    fill_template(template_path, roster, break_row=True)
    page.set_input_files("input[name=file]", str(roster))
    follow(page, "form[enctype='multipart/form-data'] button[type=submit]")
    assert re.search(r"/imports/\d+/$", page.url)
    status = page.locator("#import-status")
    expect(status.locator(".badge.badge-err")).to_have_text(either("Has errors", "有错误"))
    errors = status.locator("tbody tr")
    expect(errors).to_have_count(2)
    for column in ("身份证号", "手机号码"):
        row = errors.filter(has=page.locator("td", has_text=re.compile(f"^{column}$")))
        expect(row.locator("td").first).to_have_text(str(BAD_ROW))
    shot("errors-listed")

    # The error report: the uploaded row, with the two bad cells filled red and commented.
    with page.expect_download() as download:
        page.click("a[href$='/errors.xlsx']")
    report_path = tmp_path / "report.xlsx"
    download.value.save_as(report_path)
    ws = load_workbook(report_path).worksheets[0]
    headers = [c.value for c in ws[1]]
    (line,) = [r for r in ws.iter_rows(min_row=2) if r[0].value == BAD_ROW]
    assert line[headers.index("姓名")].value == "孙丽"
    for column in ("身份证号", "手机号码"):
        cell = line[headers.index(column)]
        assert cell.fill.fgColor.rgb.endswith(RED), f"{column} is not marked"
        assert cell.comment is not None and cell.comment.text
    assert not line[headers.index("姓名")].fill.fgColor.rgb.endswith(RED)
    assert province.steel.__class__.objects.get(pk=steel.pk).person_count == 0, "nothing was imported"

    # She corrects the row in her file and uploads it again.
    follow(page, f"#import-status a[href='/imports/?org={steel.pk}']")
    fill_template(template_path, roster, break_row=False)
    page.set_input_files("input[name=file]", str(roster))
    follow(page, "form[enctype='multipart/form-data'] button[type=submit]")
    status = page.locator("#import-status")
    expect(status.locator(".badge.badge-ok")).to_have_text(either("Done", "已完成"))
    expect(status.locator(".alert")).to_contain_text(re.compile(r"3\D+0\D+2"))  # created 3, updated 0, joined 2
    shot("imported")

    # 职工 of the company: the three new workers, their ID numbers masked.
    follow(page, f"#import-status a[href='/people/?org={steel.pk}']")
    table = page.locator("#person-rows table")
    for name, id_number, *_ in NEW_WORKERS:
        row = table.locator("tbody tr", has=page.get_by_role("link", name=name, exact=True))
        expect(row).to_have_count(1)
        expect(row.locator("td.mono").first).to_have_text(mask_id_card(id_number))
    expect(table.locator("tbody tr")).to_have_count(4)  # and 李强, registered before
    content = page.content()
    assert not any(id_number in content for _, id_number, *_ in NEW_WORKERS)
    shot("workers")

    # 导出Excel: the rows of the list, ID numbers masked for a staff cadre.
    with page.expect_download() as download:
        page.click("a[href*='export=xlsx']")
    assert download.value.suggested_filename.endswith(".xlsx")
    export_path = tmp_path / "export.xlsx"
    download.value.save_as(export_path)
    rows = read_xlsx(export_path)
    header, body = rows[0], rows[1:]
    assert len(body) == 4
    by_name = {r[header.index("姓名")]: r for r in body}
    assert set(by_name) == {"赵建国", "孙丽", "周明", "李强"}
    for name, id_number, *_ in NEW_WORKERS:
        assert by_name[name][header.index("身份证号")] == mask_id_card(id_number)
