"""The bank pages in Chinese: a cadre creates a bank, adds questions of each type (a bad one shows every problem on
its field and writes nothing), filters the list, imports files (a GIFT file with an error lists it by line, nothing
written; a good one shows what was added and skipped), edits a drawn question into a new version, exports."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from lxml import html
from openpyxl import load_workbook

from gongjiang.learning.models import Bank, Question

from .banks_factories import GIFT, GOOD_ROWS, bank_world, xlsx
from .chinese import _english_messages, client  # noqa: F401  (this module reads the Chinese messages)


@pytest.fixture
def bw(sd):
    return bank_world(sd)


@pytest.fixture
def jinan(bw):
    c = Client()
    c.force_login(bw.sd.jinan_cadre)
    return c


def text(response) -> str:
    return html.fromstring(response.content).text_content()


def test_the_menu_leads_cadres_to_the_banks(bw, jinan):
    page = jinan.get(reverse("learning:bank_list"))
    assert "学习" in text(page) and "济南市电工题库" in text(page) and "全省安全生产题库" in text(page)
    assert "上级共享" in text(page)


def test_a_cadre_creates_a_bank_and_a_bad_name_is_refused(bw, jinan):
    response = jinan.post(reverse("learning:bank_create"), {"org": bw.sd.jinan.pk, "name": "济南市电工题库"})
    assert response.status_code == 400 and "济南市总工会已有名为济南市电工题库的题库。" in text(response)
    response = jinan.post(reverse("learning:bank_create"), {"org": bw.sd.jinan.pk, "name": "焊工题库",
                                                            "shared": "on"})
    bank = Bank.objects.get(name="焊工题库")
    assert response.status_code == 302 and response["Location"] == bank.get_absolute_url() and bank.shared


def test_adding_a_bad_question_shows_every_problem_and_writes_nothing(bw, jinan):
    url = reverse("learning:question_add", args=[bw.jinan_bank.pk])
    response = jinan.post(url, {"kind": "single", "stem": "发现有人触电应（  ）。", "option_a": "断电",
                                "option_b": "拉手",
                                "answer": "C", "difficulty": 3, "score": "1"})
    assert response.status_code == 400
    assert "答案字母C没有对应的选项（本题有2个选项）。" in text(response)
    assert not Question.objects.exists()
    response = jinan.post(url, {"kind": "fill", "stem": "火警电话是____。", "answer": "119|幺幺九", "difficulty": 1,
                                "score": "1", "tags": "消防、安全生产"})
    assert response.status_code == 302
    q = Question.objects.get()
    assert q.blanks == [["119", "幺幺九"]] and sorted(t.name for t in q.tags.all()) == ["安全生产", "消防"]


def test_the_questions_are_filtered(bw, jinan):
    bw.question(tags=["电工"])
    bw.question(stem="带电设备着火可用泡沫灭火器。", kind="truefalse", options=[], answer="F", tags=["消防"])
    url = reverse("learning:bank_detail", args=[bw.jinan_bank.pk])
    assert "共2道题目符合条件" in text(jinan.get(url))
    page = jinan.get(url, {"kind": "truefalse"})
    assert "共1道题目符合条件" in text(page) and "泡沫" in text(page)
    assert "共1道题目符合条件" in text(jinan.get(url, {"tag": "电工"}))
    assert "共0道题目符合条件" in text(jinan.get(url, {"q": "焊条"}))
    assert "共0道题目符合条件" in text(jinan.get(url, {"difficulty": "5"}))
    fragment = jinan.get(url, {"kind": "single"}, HTTP_HX_REQUEST="true")
    assert fragment.content.decode().lstrip().startswith('<section id="questions">')


def test_a_bad_gift_file_is_listed_by_line_and_nothing_is_written(bw, jinan):
    url = reverse("learning:bank_import", args=[bw.jinan_bank.pk])
    bad = SimpleUploadedFile("安全.txt", "::甲::题目一{T}\n\n::乙::题目二{=对 ~错\n".encode())
    response = jinan.post(url, {"format": "gift", "file": bad})
    assert response.status_code == 400
    rows = html.fromstring(response.content).xpath("//table[@id='import-errors']/tbody/tr")
    assert [[td.text_content() for td in r.xpath("./td")] for r in rows] == [["3", "答案的“{”没有用“}”闭合。"]]
    assert not Question.objects.exists()
    response = jinan.post(url, {"format": "gift", "file": SimpleUploadedFile("安全.txt", GIFT.encode())})
    assert "导入完成：新增3题，0题已存在，跳过。" in text(response)
    response = jinan.post(url, {"format": "gift", "file": SimpleUploadedFile("安全.txt", GIFT.encode())})
    assert "导入完成：新增0题，3题已存在，跳过。" in text(response)


def test_a_file_of_the_wrong_kind_is_refused(bw, jinan):
    url = reverse("learning:bank_import", args=[bw.jinan_bank.pk])
    response = jinan.post(url, {"format": "excel", "file": SimpleUploadedFile("a.txt", b"x")})
    assert response.status_code == 400 and "此格式的文件扩展名应为.xlsx。" in text(response)


def test_an_excel_import_shows_its_errors_then_its_summary(bw, jinan):
    url = reverse("learning:bank_import", args=[bw.jinan_bank.pk])
    bad = [*GOOD_ROWS, ["单选", "无答案", "甲", "乙", "", "", "", "", "", "", "", "", ""]]
    response = jinan.post(url, {"format": "excel", "file": xlsx(bad)}, follow=True)
    rows = html.fromstring(response.content).xpath("//table[@id='import-errors']/tbody/tr")
    assert [[td.text_content() for td in r.xpath("./td")] for r in rows] == [["6", "答案", "题目没有正确答案。"]]
    assert not Question.objects.exists()
    response = jinan.post(url, {"format": "excel", "file": xlsx(GOOD_ROWS)}, follow=True)
    assert "导入完成：新增4题，0题已存在，跳过。" in text(response)


def test_a_drawn_question_edited_on_its_page_becomes_a_new_version(bw, jinan):
    q = bw.question()
    Question.objects.filter(pk=q.pk).update(drawn=True)
    page = jinan.get(reverse("learning:question_edit", args=[q.pk]))
    assert "保存后将生成新版本" in text(page)
    response = jinan.post(reverse("learning:question_edit", args=[q.pk]), {
        "kind": "single", "stem": q.stem, "option_a": "42V", "option_b": "36V", "option_c": "24V", "option_d": "12V",
        "answer": "B", "difficulty": 3, "score": "1"})
    assert response.status_code == 302
    assert list(Question.objects.order_by("pk").values_list("version", "current", "answer")) == [
        (1, False, "A"), (2, True, "B")]


def test_the_exports(bw, jinan):
    bw.question(tags=["电工"])
    response = jinan.get(reverse("learning:bank_export_xlsx", args=[bw.jinan_bank.pk]))
    ws = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in ws[2]][:2] == ["单选", "我国规定的安全电压额定值最高为（  ）。"]
    response = jinan.get(reverse("learning:bank_export_xml", args=[bw.jinan_bank.pk]))
    assert response["Content-Type"].startswith("application/xml") and b'<question type="multichoice">' in \
        response.content
