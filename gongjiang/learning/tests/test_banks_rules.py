"""The bank rules as a specification: the fingerprint that tells the same question twice, and every reason a
question cannot be kept, in Chinese, all at once; the answer letters as people write them."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.learning.rules.banks import Draft, fingerprint, problems
from gongjiang.learning.rules.scoring import LETTERS, AnswerError, letters

from .chinese import _english_messages, client  # noqa: F401  (this module reads the Chinese messages)

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def reasons(d: Draft) -> list[str]:
    return [p.message for p in problems(d)]


@given(TEXT, st.lists(TEXT, max_size=6), st.randoms())
def test_the_fingerprint_ignores_the_order_of_the_options(stem, options, rnd):
    shuffled = list(options)
    rnd.shuffle(shuffled)
    assert fingerprint(stem, options) == fingerprint(stem, shuffled)


@given(TEXT, st.lists(TEXT, max_size=6))
def test_the_fingerprint_ignores_spacing_and_full_width_forms(stem, options):
    spaced = "  " + stem.replace(" ", " \t ") + "\n"
    wide = unicodedata.normalize("NFKC", stem)
    assert fingerprint(spaced, options) == fingerprint(stem, options) == fingerprint(wide, options)


def test_the_fingerprint_tells_different_questions_apart():
    assert fingerprint("安全电压是多少？", ["36V", "220V"]) == fingerprint("安全电压是多少？ ", ["220V", "36V"])
    assert fingerprint("ＡＢＣ", []) == fingerprint("ABC", [])
    assert fingerprint("安全电压是多少？", ["36V", "220V"]) != fingerprint("安全电压是多少？", ["36V", "380V"])
    assert fingerprint("甲", ["乙"]) != fingerprint("甲乙", [])


@given(st.sets(st.sampled_from(LETTERS), min_size=1), st.sampled_from([",", "、", "", " ", "，", ";"]),
       st.booleans(), st.booleans())
def test_letters_read_every_way_people_write_them(chosen, sep, lower, wide):
    text = sep.join(sorted(chosen, reverse=True))
    if lower:
        text = text.lower()
    if wide:
        text = "".join(chr(ord(c) + 0xFEE0) if c.isalpha() else c for c in text)
    assert letters(text) == "".join(sorted(chosen))


@given(st.integers(min_value=1, max_value=5))
def test_a_letter_beyond_the_options_is_named(n):
    with pytest.raises(AnswerError) as e:
        letters(LETTERS[n], n)
    assert LETTERS[n] in str(e.value) and "没有" in str(e.value)


def test_a_good_question_of_each_kind_has_no_problem():
    assert problems(Draft("single", "安全电压？", ["36V", "220V"], "A")) == []
    assert problems(Draft("multiple", "技术措施？", ["停电", "验电", "接地"], "AB")) == []
    assert problems(Draft("multiple", "技术措施？", ["停电", "验电", "接地"], "A")) == []  # one right is allowed
    assert problems(Draft("truefalse", "带电灭火可用泡沫。", answer="F")) == []
    assert problems(Draft("fill", "火警电话是____。", blanks=[["119"]])) == []


def test_every_reason_is_given_at_once_in_chinese():
    bad = Draft("single", "  ", ["甲", "乙", "丙", "丁", "戊", "己", "庚"], "AH", difficulty=7, score=Decimal(0))
    found = reasons(bad)
    assert "题目没有题干。" in found
    assert "每题最多6个选项（A–F），本题有7个。" in found
    assert any("H" in m and "没有对应的选项" in m for m in found)
    assert "单选题只有一个正确答案，本题有2个。" in found
    assert "难度为1（易）到5（难）的整数。" in found
    assert "分值须大于0，且不超过100。" in found


def test_the_answers_of_each_kind():
    assert "题目没有正确答案。" in reasons(Draft("single", "题", ["甲", "乙"], ""))
    assert any("E" in m for m in reasons(Draft("multiple", "题", ["甲", "乙", "丙"], "AE")))
    assert "判断题的答案为“正确”或“错误”（对/错）。" in reasons(Draft("truefalse", "题", answer="X"))
    assert "填空题至少有一个空及其正确答案。" in reasons(Draft("fill", "题", blanks=[]))
    assert "第2空没有正确答案。" in reasons(Draft("fill", "题", blanks=[["甲"], [" "]]))
    assert "两个选项的文字相同。" in reasons(Draft("single", "题", ["甲", " 甲"], "A"))
    assert "题型须为单选、多选、判断或填空。" in reasons(Draft("essay", "题"))


def test_moodle_weights_must_fit_the_options():
    assert reasons(Draft("multiple", "题", ["甲", "乙", "丙"], "AB", weights=[50, 50, -100])) == []
    assert reasons(Draft("multiple", "题", ["甲", "乙", "丙"], "ABC", weights=[33, 33, 33])) == []
    assert "每个选项各有一个部分得分。" in reasons(Draft("multiple", "题", ["甲", "乙", "丙"], "AB", weights=[50, 50]))
    assert "多选题各正确选项的部分得分合计为100%。" in reasons(
        Draft("multiple", "题", ["甲", "乙", "丙"], "AB", weights=[50, 20, 0]))
