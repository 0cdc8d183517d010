"""The parsers against files written as Moodle's documentation describes them (tests/data/), and the bad input of
the issue: each error in Chinese, with its line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from gongjiang.learning import formats
from gongjiang.learning.formats import common, excel, gift, moodlexml

from .chinese import _english_messages, client  # noqa: F401  (this module reads the Chinese messages)

DATA = Path(__file__).parent / "data"


def parse(name: str, fmt: str) -> common.Result:
    return formats.parse(fmt, (DATA / name).read_text(encoding="utf-8"))


def messages(result: common.Result) -> list[str]:
    return [str(e) for e in result.errors]


def test_gift_as_moodle_documents_it():
    r = parse("moodle_docs.gift", "gift")
    by_line = {q.line: q.draft for q in r.questions}
    tomb = by_line[3]
    assert (tomb.kind, tomb.answer, tomb.options[0], tomb.category) == ("single", "A", "Grant", "")
    assert tomb.feedback[2] == "He was buried in France"
    spectrum = by_line[18]
    assert spectrum.category == "tom/dick/harry" and spectrum.feedback[0] == "right; good!"
    assert by_line[22].kind == "fill" and by_line[22].blanks == [["two", "2"]]
    assert by_line[22].stem == "Two plus ____ equals four."
    assert (by_line[31].kind, by_line[31].answer) == ("truefalse", "T")
    assert by_line[33].answer == "T"
    weighted = by_line[36]
    assert (weighted.kind, weighted.answer, weighted.weights) == ("multiple", "BC", [-100, 50, 50, -100])
    assert by_line[44].options == ["= 2 + 2", "= 2 + 3", "= 2 + 4"] and by_line[44].answer == "B"
    assert by_line[51].explanation.startswith("The sun looks yellow")
    # matching, numerical and essay are reported on their lines, not dropped in silence
    assert messages(r) == ["第25行：题目“Q4”是匹配题，不支持此题型。", "第28行：题目“Q5”是数值题，不支持此题型。",
                           "第53行：题目“Write a short biography of Dag”是问答题，不支持此题型。"]


def test_gift_in_chinese_with_categories_feedback_and_weights():
    r = parse("safety.gift", "gift")
    assert r.ok
    first, truefalse, fill, multiple = (q.draft for q in r.questions)
    assert first.category == "安全生产/电气" and first.explanation == "触电急救第一步是使触电者尽快脱离电源。"
    assert first.feedback[:2] == ["正确", "会导致施救者触电"]
    assert truefalse.answer == "T"
    assert fill.blanks == [["违反劳动纪律", "违反纪律"]] and fill.stem.endswith("和____。")
    assert multiple.answer == "ABCD" and multiple.weights == [25, 25, 25, 25, -100]


def test_a_gift_syntax_error_names_its_line():
    r = parse("safety_bad.gift", "gift")
    assert messages(r) == ["第4行：答案的“{”没有用“}”闭合。"]


def test_gift_escapes():
    r = gift.parse("1 \\+ 1 \\= 2 \\{对吗\\}\\: {T}")
    assert r.ok and r.questions[0].draft.stem == "1 \\+ 1 = 2 {对吗}:"
    assert gift.parse(gift.escape("a{b}=c~d#e:f") + " {T}").questions[0].draft.stem == "a{b}=c~d#e:f"


def test_aiken_as_moodle_documents_it():
    r = parse("moodle_docs.aiken", "aiken")
    assert r.ok
    one, two = (q.draft for q in r.questions)
    assert (one.kind, one.answer, one.options[3]) == ("single", "D", "Must be this one!")
    assert (len(two.options), two.answer, two.options[0]) == (6, "A", "Moodle")
    assert [q.line for q in r.questions] == [1, 8]


def test_an_aiken_syntax_error_names_its_line():
    r = parse("bad.aiken", "aiken")
    assert messages(r) == ["第12行：选项之后应为“ANSWER: ”加字母的一行，而不是“这一行不是选项”。"]


def test_more_than_six_options_is_refused():
    assert messages(parse("seven.aiken", "aiken")) == ["第1行：每题最多6个选项（A–F），本题有7个。"]
    r = gift.parse("题{=1 ~2 ~3 ~4 ~5 ~6 ~7}")
    assert messages(r) == ["第1行：每题最多6个选项（A–F），本题有7个。"]


def test_an_aiken_answer_letter_with_no_option():
    r = formats.parse("aiken", "题？\nA. 甲\nB. 乙\nANSWER: D\n")
    assert messages(r) == ["第4行：答案字母D没有对应的选项（本题有2个选项）。"]


def test_moodle_xml_as_moodle_documents_it():
    r = parse("moodle_docs.xml", "moodlexml")
    fire, grant, tf, short = (q.draft for q in r.questions)
    assert fire.stem == "扑救带电设备火灾应选用（\xa0\xa0）。" and fire.score == Decimal("2.0")
    assert fire.category == "安全生产/消防" and fire.tags == ["消防", "安全生产"]
    assert fire.feedback == ["正确", "泡沫导电", "水导电"] and fire.explanation == "泡沫和水都导电。"
    assert (fire.kind, fire.answer, fire.weights) == ("single", "A", [])
    assert (grant.kind, grant.answer, grant.weights) == ("multiple", "BC", [-100, 50, 50, -100])
    assert (tf.kind, tf.answer) == ("truefalse", "F")
    assert (short.kind, short.blanks) == ("fill", [["119", "幺幺九"]])
    assert messages(r) == ["第51行：第5题（“Essay”）的题型为essay，不支持此题型。",
                           "第55行：第6题（“Match”）的题型为matching，不支持此题型。"]


def test_broken_xml_names_its_line():
    r = moodlexml.parse('<?xml version="1.0"?>\n<quiz>\n<question type="truefalse">\n</quiz>\n')
    assert len(r.errors) == 1 and r.errors[0].line == 4 and str(r.errors[0]).startswith("第4行：无法读取XML")


def test_moodle_xml_refuses_entities():
    evil = ('<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<quiz>'
            '<question type="truefalse"><questiontext><text>&x;</text></questiontext>'
            '<answer fraction="100"><text>true</text></answer></question></quiz>')
    r = moodlexml.parse(evil)
    assert all("root:" not in q.draft.stem for q in r.questions)


def _q(**kw):
    base = {"kind": "single", "stem": "题", "options": [], "answer": "", "blanks": [], "weights": [], "feedback": [],
            "explanation": "", "score": Decimal(1), "difficulty": 3, "category": "", "tag_names": []}
    return SimpleNamespace(**{**base, **kw})


def test_moodle_xml_written_reads_back_the_same():
    questions = [
        _q(kind="single", stem="安全电压？", options=["36V", "220V", "380V"], answer="A", feedback=["对", "错", "错"],
           explanation="GB/T 3805", score=Decimal("2.0"), tag_names=["电工", "安全"], category="安全/电气"),
        _q(kind="multiple", stem="技术措施？", options=["停电", "验电", "接地", "工作票"], answer="ABC"),
        _q(kind="multiple", stem="谁在墓中？", options=["无人", "格兰特", "妻子"], answer="BC", weights=[-100, 50, 50]),
        _q(kind="truefalse", stem="带电灭火可用泡沫。", answer="F"),
        _q(kind="fill", stem="火警电话是____。", blanks=[["119", "幺幺九"]]),
        _q(kind="fill", stem="火警____，急救____。", blanks=[["119"], ["120", "幺二零"]]),
    ]
    r = moodlexml.parse(moodlexml.write(questions, category="题库").decode("utf-8"))
    assert r.ok, messages(r)
    for q, back in zip(questions, (p.draft for p in r.questions), strict=True):
        assert (back.kind, back.stem, back.options, back.answer, back.blanks, back.weights) == (
            q.kind, q.stem, q.options, q.answer if q.kind != "fill" else "", q.blanks, q.weights)
        assert back.score == q.score and back.tags == q.tag_names and back.explanation == q.explanation
        assert back.category == (q.category or "题库") and back.feedback == q.feedback


def test_an_excel_row_accepts_every_way_of_writing_an_answer():
    def row(**kw):
        return {"kind": "多选", "stem": "题", "option_a": "甲", "option_b": "乙", "option_c": "丙", **kw}

    for written in ("A,B", "A、B", "AB", "ａｂ", "B,A"):
        draft, errors = excel.read_row(row(answer=written))
        assert errors == {} and draft.answer == "AB"
    for written, truth in (("正确", "T"), ("错误", "F"), ("对", "T"), ("错", "F"), ("√", "T")):
        draft, errors = excel.read_row({"kind": "判断", "stem": "题", "answer": written})
        assert errors == {} and draft.answer == truth
    draft, errors = excel.read_row({"kind": "填空题", "stem": "____和____", "answer": "二氧化碳|CO2；氧气／O2",
                                    "difficulty": "较难", "score": "2.5", "tags": "节能减排、碳排放"})
    assert errors == {} and draft.blanks == [["二氧化碳", "CO2"], ["氧气", "O2"]]
    assert (draft.difficulty, draft.score, draft.tags) == (4, Decimal("2.5"), ["节能减排", "碳排放"])


def test_the_bad_excel_rows_of_the_issue():
    assert excel.read_row({"kind": "单选", "stem": "题", "option_a": "甲", "option_b": "乙"})[1] == {
        "answer": "题目没有正确答案。"}
    assert excel.read_row({"kind": "单选", "stem": "题", "option_a": "甲", "option_b": "乙", "answer": "C"})[1] == {
        "answer": "答案字母C没有对应的选项（本题有2个选项）。"}
    assert excel.read_row({"kind": "判断", "stem": "题", "answer": "也许"})[1] == {
        "answer": "“也许”既不是正确也不是错误：请填写正确或错误（对/错、√/×）。"}
    seven = {"kind": "单选", "stem": "题", "answer": "A", **{f"option_{c}": c for c in "abcdefg"}}
    assert excel.read_row(seven)[1] == {"option_a": "每题最多6个选项（A–F），本题有7个。"}
    assert excel.read_row({"kind": "问答", "stem": "题"})[1] == {
        "kind": "“问答”不是题型：请填写单选、多选、判断或填空。"}
    assert excel.read_row({"kind": "单选", "stem": "题", "option_a": "甲", "option_c": "丙", "answer": "A"})[1][
        "option_b"] == "选项B为空但后面的选项有内容：选项须从A起连续填写。"


CHARS = st.sampled_from("安全生产电工焊条钳工节能减排ABCxyz0123 ")
WORD = st.text(CHARS, min_size=1, max_size=12).map(str.strip).filter(bool)


@given(st.sampled_from(["single", "multiple", "truefalse", "fill"]), WORD,
       st.lists(WORD, min_size=2, max_size=6, unique_by=lambda t: " ".join(t.split())), st.data())
def test_an_exported_row_reads_back_as_the_same_question(kind, stem, options, data):
    if kind in ("single", "multiple"):
        size = 1 if kind == "single" else data.draw(st.integers(1, len(options)))
        answer = "".join(sorted(data.draw(st.permutations(excel.LETTERS[:len(options)]))[:size]))
        q = _q(kind=kind, stem=stem, options=options, answer=answer)
    elif kind == "truefalse":
        q = _q(kind=kind, stem=stem, answer=data.draw(st.sampled_from("TF")))
    else:
        blanks = data.draw(st.lists(st.lists(WORD.filter(lambda t: not set(t) & set("|；;／")), min_size=1,
                                             max_size=3, unique=True), min_size=1, max_size=3))
        q = _q(kind=kind, stem=stem, blanks=blanks)
    q.difficulty = data.draw(st.integers(1, 5))
    row = dict(zip(excel.TEMPLATE_KEYS, excel.row_of(q), strict=True))
    draft, errors = excel.read_row({k: str(v) for k, v in row.items()})
    assert errors == {}
    assert (draft.kind, draft.stem, draft.options, draft.answer, draft.blanks, draft.difficulty) == (
        q.kind, q.stem, q.options, q.answer, q.blanks, q.difficulty)
