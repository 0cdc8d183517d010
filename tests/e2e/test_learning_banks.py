"""Journey: a training officer of the Jinan federation builds a question bank from files.

济南市总工会's cadre opens 学习 › 题库, creates 济南市安全知识题库, goes to 导入, downloads the Excel template and
fills in four questions (one of each type) and a fifth whose answer letter has no option. The upload is refused
whole: the page names row 6 and the column 答案, and nothing is saved. With the letter corrected the file is
imported: five questions. Then a GIFT file of three questions — one of them already in the bank — adds two and
skips one (已存在，跳过); the bank's page lists seven questions, and the filter by type finds the true/false ones."""

from __future__ import annotations

from openpyxl import load_workbook
from playwright.sync_api import expect

from gongjiang.learning.models import Bank, Question

from .helpers import either, follow

GIFT = """// 安全生产知识（GIFT）
$CATEGORY: 安全生产/消防

::灭火器::扑救带电设备火灾应选用（  ）。{
  =二氧化碳灭火器#正确
  ~泡沫灭火器#泡沫导电
  ~清水灭火器
  ####带电火灾不能用导电的灭火剂。
}

::电话::火警电话是{=119 =幺幺九}。

::方针::我国安全生产方针是安全第一、预防为主、综合治理。{T}
"""


def test_an_officer_imports_a_bank_from_excel_and_gift(page, live_server, province, login, shot, tmp_path):
    sd = province
    login("jinan_cadre")
    page.goto(f"{live_server.url}/")
    follow(page, "nav a[href='/learning/banks/']")
    expect(page.locator("h1")).to_have_text(either("Question banks", "题库"))
    shot("bank-list")
    follow(page, "#new-bank")
    page.fill("#id_name", "济南市安全知识题库")
    page.fill("#id_description", "全市职工安全生产知识竞赛用题")
    shot("new-bank")
    follow(page, "#bank-form button[type=submit]")
    bank = Bank.objects.get(name="济南市安全知识题库")
    assert bank.org == sd.jinan and bank.shared

    # The import page: the template downloaded and filled in, one answer letter without its option.
    follow(page, "#import")
    shot("import-page")
    with page.expect_download() as download:
        page.click("#template")
    template = tmp_path / "模板.xlsx"
    download.value.save_as(template)
    wb = load_workbook(template)
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][:4] == ["题型", "题干", "选项A", "选项B"]
    ws.delete_rows(2)
    ws.append(["单选", "发现有人触电，首先应当（  ）。", "立即切断电源", "直接用手拉开", "打电话等待", "泼水降温",
               "", "", "A", "触电急救第一步是使触电者脱离电源。", "2", "1", "安全生产、电工"])
    ws.append(["多选", "保证电气作业安全的技术措施有（  ）。", "停电", "验电", "装设接地线", "工作票制度", "", "",
               "A、B、C", "工作票制度属于组织措施。", "3", "2", "电工"])
    ws.append(["判断", "带电设备着火可以用泡沫灭火器扑救。", "", "", "", "", "", "", "错", "泡沫导电。", "易", "1",
               "消防"])
    ws.append(["填空", "我国安全生产工作坚持安全第一、____、综合治理的方针。", "", "", "", "", "", "", "预防为主",
               "", "", "", "安全生产"])
    ws.append(["单选", "“三违”不包括（  ）。", "违章指挥", "违章作业", "违反劳动纪律", "", "", "", "D", "", "", "",
               "安全生产"])
    filled = tmp_path / "安全知识.xlsx"
    wb.save(filled)
    page.set_input_files("#id_file", str(filled))
    follow(page, "#import-form button[type=submit]")
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("td").nth(0)).to_have_text("6")
    expect(errors.first.locator("td").nth(1)).to_have_text("答案")
    expect(errors.first).to_contain_text("答案字母D没有对应的选项")
    assert not Question.objects.exists()
    shot("bad-row-named")

    # The file corrected (a fourth option), imported whole.
    ws.cell(row=6, column=6).value = "遵章守纪"
    wb.save(filled)
    follow(page, "#upload-again")
    page.set_input_files("#id_file", str(filled))
    follow(page, "#import-form button[type=submit]")
    expect(page.locator("#import-summary")).to_contain_text("新增5题")
    assert Question.objects.filter(bank=bank, current=True).count() == 5
    shot("excel-imported")

    # A GIFT file: one of its three questions is already in the bank.
    gift = tmp_path / "消防.txt"
    gift.write_text(GIFT.replace("我国安全生产方针是安全第一、预防为主、综合治理。{T}",
                                 "带电设备着火可以用泡沫灭火器扑救。{F}"), encoding="utf-8")
    page.goto(f"{live_server.url}/learning/banks/{bank.pk}/import/")
    page.select_option("#id_format", "gift")
    page.set_input_files("#id_file", str(gift))
    shot("gift-chosen")
    follow(page, "#import-form button[type=submit]")
    expect(page.locator("#import-summary")).to_contain_text("新增2题")
    expect(page.locator("#import-summary")).to_contain_text("1题已存在，跳过")
    shot("gift-imported")
    bank.refresh_from_db()
    assert bank.question_count == 7
    fire = Question.objects.get(bank=bank, stem="扑救带电设备火灾应选用（  ）。")
    assert fire.category == "安全生产/消防" and fire.feedback[1] == "泡沫导电"

    # The bank's page: seven questions; the filter by type.
    follow(page, "#import-summary + p a")
    expect(page.locator("#questions")).to_contain_text("共7道题目符合条件")
    page.select_option("select[name=kind]", "truefalse")
    expect(page.locator("#questions")).to_contain_text("共1道题目符合条件")
    shot("bank-filtered")
