"""The bank verbs and imports as a specification: banks owned by a union and shared downward, questions checked and
de-duplicated, versions once a question was drawn, the count kept right, imports all or nothing (the bad input of the
issue: a clear Chinese message and nothing changed), exports that import again as they were."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from gongjiang.core.errors import DomainError, PermissionDeniedError
from gongjiang.core.models import AuditEvent, ImportJob
from gongjiang.learning import banks_imports, formats, services
from gongjiang.learning.models import Bank, Question, Tag
from gongjiang.learning.queries import banks as queries

from .banks_factories import GIFT, GOOD_ROWS, HEADERS, bank_world, draft, xlsx
from .chinese import _english_messages, client  # noqa: F401  (this module reads the Chinese messages)


@pytest.fixture
def bw(sd):
    return bank_world(sd)


def state() -> tuple[int, int, int, list[int]]:
    return (Question.objects.count(), Tag.objects.count(), AuditEvent.objects.filter(verb__startswith="learning.")
            .count(), list(Bank.objects.order_by("pk").values_list("question_count", flat=True)))


def test_a_union_creates_a_bank_and_the_same_name_twice_is_refused(bw):
    assert bw.province_bank.org == bw.sd.province and bw.province_bank.shared
    with pytest.raises(DomainError) as e:
        services.create_bank(actor=bw.sd.jinan_cadre, org=bw.sd.jinan, name="济南市电工题库")
    assert e.value.message == "济南市总工会已有名为济南市电工题库的题库。" and e.value.field == "name"
    assert AuditEvent.objects.filter(verb="learning.bank.created").count() == 2


def test_a_cadre_cannot_create_a_bank_above_their_union(bw):
    with pytest.raises(PermissionDeniedError):
        services.create_bank(actor=bw.sd.jinan_cadre, org=bw.sd.province, name="越级题库")


def test_usable_banks_are_the_own_subtree_and_the_shared_banks_above(bw):
    assert set(queries.usable_banks(bw.sd.county_cadre)) == {bw.province_bank}  # the Jinan bank is not shared
    services.update_bank(actor=bw.sd.jinan_cadre, bank=bw.jinan_bank, name="济南市电工题库", shared=True)
    assert set(queries.usable_banks(bw.sd.county_cadre)) == {bw.province_bank, bw.jinan_bank}
    assert set(queries.usable_banks(bw.sd.jinan_cadre)) == {bw.province_bank, bw.jinan_bank}
    assert set(queries.usable_banks(bw.sd.qingdao_cadre)) == {bw.province_bank}
    assert set(queries.usable_banks(bw.sd.province_admin)) == {bw.province_bank, bw.jinan_bank}
    assert not queries.usable_banks(bw.sd.worker).exists()
    assert set(queries.manageable_banks(bw.sd.county_cadre, "change")) == set()


def test_a_question_is_added_tagged_and_counted(bw):
    q = bw.question(tags=["电工", "安全电压"])
    assert q.family == q.pk and q.version == 1 and q.current
    assert sorted(t.name for t in q.tags.all()) == ["安全电压", "电工"]
    bw.jinan_bank.refresh_from_db()
    assert bw.jinan_bank.question_count == 1


def test_every_problem_of_a_question_is_given_at_once_and_nothing_is_written(bw):
    before = state()
    with pytest.raises(DomainError) as e:
        services.add_question(actor=bw.sd.jinan_cadre, bank=bw.jinan_bank,
                              draft=draft(stem="", options=["甲"] * 7, answer="AH", score=Decimal(0)))
    assert set(e.value.errors) == {"stem", "options", "answer", "score"}
    assert "每题最多6个选项（A–F），本题有7个。" in e.value.errors["options"]
    assert state() == before


def test_the_same_question_twice_in_a_bank_is_refused(bw):
    bw.question()
    with pytest.raises(DomainError) as e:
        bw.question(options=["12V", "24V", "36V", "42V"], answer="D")  # the same options in another order
    assert e.value.message == "本题库已有相同的题目（题干和选项相同）。"
    bw.question(bank=bw.province_bank)  # another bank may hold it


def test_an_edit_before_any_attempt_changes_the_question_in_place(bw):
    q = bw.question()
    saved = services.edit_question(actor=bw.sd.jinan_cadre, question=q, draft=draft(answer="B", explanation="改"))
    assert saved.pk == q.pk and saved.version == 1 and saved.answer == "B"
    assert Question.objects.count() == 1


def test_an_edit_after_the_question_was_drawn_makes_a_new_version(bw):
    q = bw.question()
    Question.objects.filter(pk=q.pk).update(drawn=True)
    q.refresh_from_db()
    new = services.edit_question(actor=bw.sd.jinan_cadre, question=q, draft=draft(answer="B", tags=["新"]))
    q.refresh_from_db()
    assert (new.family, new.version, new.current, new.answer) == (q.pk, 2, True, "B")
    assert (q.current, q.answer) == (False, "A")  # the attempts keep the old one, as it was
    assert [t.name for t in new.tags.all()] == ["新"]
    bw.jinan_bank.refresh_from_db()
    assert bw.jinan_bank.question_count == 1
    with pytest.raises(DomainError):
        services.edit_question(actor=bw.sd.jinan_cadre, question=q, draft=draft())  # the old version
    Question.objects.filter(pk=new.pk).update(drawn=True)
    third = services.edit_question(actor=bw.sd.jinan_cadre, question=new, draft=draft(answer="C"))
    assert (third.family, third.version) == (q.pk, 3)
    assert AuditEvent.objects.filter(verb="learning.question.versioned").count() == 2


def test_a_retired_question_leaves_the_count_and_may_be_added_again(bw):
    q = bw.question()
    services.retire_question(actor=bw.sd.jinan_cadre, question=q)
    bw.jinan_bank.refresh_from_db()
    assert bw.jinan_bank.question_count == 0
    with pytest.raises(DomainError):
        services.retire_question(actor=bw.sd.jinan_cadre, question=q)
    bw.question()
    bw.jinan_bank.refresh_from_db()
    assert bw.jinan_bank.question_count == 1


# ---------------------------------------------------------------------------------------------
# Imports


def excel_import(bw, rows, bank=None):
    bank = bank or bw.jinan_bank
    return banks_imports.start_excel_import(actor=bw.sd.jinan_cadre if bank == bw.jinan_bank else bw.sd.province_admin,
                                            bank=bank, upload=xlsx(rows))


def test_an_excel_file_is_imported_with_every_kind(bw):
    job = excel_import(bw, GOOD_ROWS)
    assert job.state == ImportJob.State.DONE and job.summary == {"added": 4, "skipped": 0}
    kinds = dict(Question.objects.values_list("kind", "answer"))
    assert kinds == {"single": "A", "multiple": "ABC", "truefalse": "F", "fill": ""}
    fill = Question.objects.get(kind="fill")
    assert fill.blanks == [["预防为主"]]
    tf = Question.objects.get(kind="truefalse")
    assert tf.difficulty == 1 and [t.name for t in tf.tags.all()] == ["消防"]
    bw.jinan_bank.refresh_from_db()
    assert bw.jinan_bank.question_count == 4
    assert AuditEvent.objects.filter(verb="import.learning_questions").count() == 1


def test_rows_already_in_the_bank_are_skipped_and_counted(bw):
    excel_import(bw, GOOD_ROWS[:2])
    job = excel_import(bw, GOOD_ROWS)
    assert job.summary == {"added": 2, "skipped": 2}
    assert Question.objects.count() == 4


@pytest.mark.parametrize(("row", "column", "message"), [
    (["单选", "无答案的题", "甲", "乙", "", "", "", "", "", "", "", "", ""], "答案", "题目没有正确答案。"),
    (["单选", "字母无选项", "甲", "乙", "", "", "", "", "E", "", "", "", ""], "答案",
     "答案字母E没有对应的选项（本题有2个选项）。"),
    (["判断", "既非对也非错", "", "", "", "", "", "", "大概", "", "", "", ""], "答案",
     "“大概”既不是正确也不是错误：请填写正确或错误（对/错、√/×）。"),
])
def test_one_bad_excel_row_refuses_the_whole_file(bw, row, column, message):
    before = state()
    job = excel_import(bw, [*GOOD_ROWS, row])
    assert job.state == ImportJob.State.INVALID
    assert job.errors == [{"row": 6, "column": column, "message": message}]
    assert state() == before


def test_more_than_six_options_in_excel_is_refused(bw):
    headers = [*HEADERS, "选项G"]
    before = state()
    upload = xlsx([["单选", "七个选项", "甲", "乙", "丙", "丁", "戊", "己", "A", "", "", "", "", "庚"]],
                  headers=headers)
    job = banks_imports.start_excel_import(actor=bw.sd.jinan_cadre, bank=bw.jinan_bank, upload=upload)
    assert job.errors == [{"row": 2, "column": "选项A", "message": "每题最多6个选项（A–F），本题有7个。"}]
    assert state() == before


def test_the_same_question_twice_in_one_file_is_named(bw):
    job = excel_import(bw, [GOOD_ROWS[0], GOOD_ROWS[1], GOOD_ROWS[0]])
    assert job.errors == [{"row": 4, "column": "题干", "message": "与本文件第2行的题目重复。"}]


def test_a_gift_file_is_imported_and_duplicates_skipped(bw):
    bw.question()  # the first question of the file is already in the bank
    summary = banks_imports.import_text(actor=bw.sd.jinan_cadre, bank=bw.jinan_bank, fmt="gift",
                                        data=GIFT.encode("utf-8"), filename="安全.gift")
    assert summary == {"added": 2, "skipped": 1}
    assert set(Question.objects.values_list("category", flat=True)) == {"", "安全生产"}
    event = AuditEvent.objects.get(verb="learning.bank.imported")
    assert event.after == {"added": 2, "skipped": 1, "source": "gift"}


@pytest.mark.parametrize(("fmt", "text", "message"), [
    ("gift", "::好::对{T}\n\n::坏::题目{=甲 ~乙\n", "第3行：答案的“{”没有用“}”闭合。"),
    ("aiken", "题？\nA. 甲\nB. 乙\n不是选项\nANSWER: A\n",
     "第4行：选项之后应为“ANSWER: ”加字母的一行，而不是“不是选项”。"),
    ("aiken", "题？\nA) 甲\nB) 乙\nANSWER: C\n", "第4行：答案字母C没有对应的选项（本题有2个选项）。"),
    ("gift", "题{=1 ~2 ~3 ~4 ~5 ~6 ~7}", "第1行：每题最多6个选项（A–F），本题有7个。"),
    ("gift", "写一篇文章。{}", "第1行：题目“写一篇文章。”是问答题，不支持此题型。"),
])
def test_a_bad_text_file_is_refused_whole_with_its_line(bw, fmt, text, message):
    before = state()
    with pytest.raises(banks_imports.ImportRefused) as e:
        banks_imports.import_text(actor=bw.sd.jinan_cadre, bank=bw.jinan_bank, fmt=fmt, data=text.encode())
    assert [str(x) for x in e.value.lines] == [message]
    assert e.value.message == "共1处错误，未导入任何题目。"
    assert state() == before


def test_a_cadre_below_cannot_import_into_a_shared_bank_above(bw):
    with pytest.raises(PermissionDeniedError):
        banks_imports.import_text(actor=bw.sd.jinan_cadre, bank=bw.province_bank, fmt="gift", data=GIFT.encode())
    with pytest.raises(PermissionDeniedError):
        banks_imports.start_excel_import(actor=bw.sd.jinan_cadre, bank=bw.province_bank, upload=xlsx(GOOD_ROWS))
    assert not Question.objects.exists()


def test_the_excel_export_imports_again_as_it_was(bw):
    excel_import(bw, GOOD_ROWS, bank=bw.province_bank)
    bw.question(bank=bw.province_bank, kind="fill", stem="____和____", options=[], answer="",
                blanks=[["二氧化碳", "CO2"], ["氧气"]])
    data = banks_imports.export_xlsx(bw.province_bank)
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert [c.value for c in ws[1]][:3] == ["题型", "题干", "选项A"]
    job = banks_imports.start_excel_import(actor=bw.sd.jinan_cadre, bank=bw.jinan_bank,
                                           upload=SimpleUploadedFile("导出.xlsx", data))
    assert job.state == ImportJob.State.DONE, job.errors
    assert job.summary == {"added": 5, "skipped": 0}
    fields = ("kind", "stem", "options", "answer", "blanks", "explanation", "difficulty", "score")
    assert sorted(Question.objects.filter(bank=bw.jinan_bank).values_list(*fields)) == sorted(
        Question.objects.filter(bank=bw.province_bank).values_list(*fields))


def test_the_moodle_xml_export_imports_again_as_it_was(bw):
    excel_import(bw, GOOD_ROWS, bank=bw.province_bank)
    services.add_question(actor=bw.sd.province_admin, bank=bw.province_bank,
                          draft=draft(kind="multiple", answer="BC", weights=[-100, 50, 50, 0],
                                      feedback=["错", "对", "对", "错"]))
    data = banks_imports.export_moodle_xml(bw.province_bank)
    assert formats.parse("moodlexml", data.decode()).ok
    summary = banks_imports.import_text(actor=bw.sd.jinan_cadre, bank=bw.jinan_bank, fmt="moodlexml", data=data)
    assert summary == {"added": 5, "skipped": 0}
    fields = ("kind", "stem", "options", "answer", "blanks", "weights", "feedback", "explanation", "score")
    assert sorted(Question.objects.filter(bank=bw.jinan_bank).values_list(*fields)) == sorted(
        Question.objects.filter(bank=bw.province_bank).values_list(*fields))
    tags = {q.stem: sorted(t.name for t in q.tags.all()) for q in Question.objects.filter(bank=bw.jinan_bank)}
    assert tags["保证电气作业安全的技术措施有（  ）。"] == ["电工"]
