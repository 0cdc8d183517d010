"""The Excel template of a bank, pure: its columns (题型, 题干, 选项A–F, 答案, 解析, 难度, 分值, 知识点), one row read
into a `Draft` with every problem on its column (`read_row`), and a question written back as a row (`row_of`), so an
exported bank imports again as it was.

- 题型: 单选/多选/判断/填空 (with or without 题, or 单项选择 …);
- 答案: for choices the letters as people write them (A,B / A、C / AC / ａｃ); for true/false 正确/错误, 对/错, √/×,
  T/F; for a fill-in the accepted texts of each blank, blanks separated by ； (or ;), a blank's variants by | or ／;
- 难度: 1–5 or 易/较易/中等/较难/难 (empty: 中等); 分值: a number above 0 (empty: 1); 知识点: names separated by
  、 , ， ; or ；."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from ..rules import banks
from ..rules.banks import Draft
from ..rules.scoring import LETTERS, AnswerError, letters, truth

OPTION_KEYS = [f"option_{c.lower()}" for c in LETTERS]
EXTRA_OPTION_KEYS = ["option_g", "option_h"]  # read to say "at most six options", never in the template
HEADERS: dict[str, str] = {
    "kind": "题型", "stem": "题干", **{k: f"选项{k[-1].upper()}" for k in OPTION_KEYS + EXTRA_OPTION_KEYS},
    "answer": "答案", "explanation": "解析", "difficulty": "难度", "score": "分值", "tags": "知识点"}
TEMPLATE_KEYS = ["kind", "stem", *OPTION_KEYS, "answer", "explanation", "difficulty", "score", "tags"]
KIND_WORDS = {"单选": "single", "单选题": "single", "单项选择": "single", "单项选择题": "single",
              "多选": "multiple", "多选题": "multiple", "多项选择": "multiple", "多项选择题": "multiple",
              "判断": "truefalse", "判断题": "truefalse", "是非题": "truefalse",
              "填空": "fill", "填空题": "fill"}
KIND_NAMES = {"single": "单选", "multiple": "多选", "truefalse": "判断", "fill": "填空"}
DIFFICULTY_WORDS = {"易": 1, "容易": 1, "较易": 2, "中": 3, "中等": 3, "一般": 3, "较难": 4, "难": 5, "困难": 5}
TAG_SPLIT = re.compile(r"[、,，;；]+")
BLANK_SPLIT = re.compile(r"[；;]")
VARIANT_SPLIT = re.compile(r"[|｜／]")
# Which column each problem of the bank rules is shown on.
FIELD_COLUMNS = {"kind": "kind", "stem": "stem", "options": "option_a", "answer": "answer", "blanks": "answer",
                 "weights": "answer", "feedback": "answer", "explanation": "explanation", "difficulty": "difficulty",
                 "score": "score", "tags": "tags"}


def read_row(row: Mapping[str, Any]) -> tuple[Draft | None, dict[str, str]]:
    """The question of one row (texts by column key) and every problem, by column key (several joined by ；)."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    text = {k: str(row.get(k) or "").strip() for k in HEADERS}
    kind = KIND_WORDS.get(text["kind"].replace(" ", ""), text["kind"] if text["kind"] in KIND_NAMES else "")
    if not kind:
        add("kind", _("“%(v)s” is not a question type: write 单选, 多选, 判断 or 填空.") % {"v": text["kind"]}
            if text["kind"] else _("Give the question type: 单选, 多选, 判断 or 填空."))
    all_keys = OPTION_KEYS + EXTRA_OPTION_KEYS
    last = max((i for i, k in enumerate(all_keys) if text[k]), default=-1)
    options = [text[k] for k in all_keys[:last + 1]]
    if options and not all(options):
        gap = HEADERS[all_keys[options.index("")]]
        add(all_keys[options.index("")], _("%(col)s is empty but a later option is filled in: fill the options "
                                           "from A without gaps.") % {"col": gap})
    draft = Draft(kind=kind or "single", stem=text["stem"], options=options, explanation=text["explanation"])
    if kind in ("single", "multiple"):
        if not text["answer"]:
            add("answer", _("The question has no correct answer."))
        else:
            try:
                draft.answer = letters(text["answer"], min(max(len(options), 1), len(LETTERS)))
            except AnswerError as e:
                add("answer", str(e))
    elif kind == "truefalse":
        if not text["answer"]:
            add("answer", _("The question has no correct answer."))
        else:
            try:
                draft.answer = truth(text["answer"])
            except AnswerError as e:
                add("answer", str(e))
    elif kind == "fill":
        if text["answer"]:
            draft.blanks = [[v.strip() for v in VARIANT_SPLIT.split(blank) if v.strip()]
                            for blank in BLANK_SPLIT.split(text["answer"])]
    if text["difficulty"]:
        value = DIFFICULTY_WORDS.get(text["difficulty"])
        if value is None and text["difficulty"].isdigit():
            value = int(text["difficulty"])
        if value is None or not 1 <= value <= 5:
            add("difficulty", _("“%(v)s” is not a difficulty: write 1 to 5, or 易, 较易, 中等, 较难, 难.")
                % {"v": text["difficulty"]})
        else:
            draft.difficulty = value
    if text["score"]:
        try:
            draft.score = Decimal(text["score"])
        except InvalidOperation:
            add("score", _("“%(v)s” is not a score: write a number such as 1 or 2.5.") % {"v": text["score"]})
    if text["tags"]:
        draft.tags = list(dict.fromkeys(t.strip() for t in TAG_SPLIT.split(text["tags"]) if t.strip()))
    answer_named = "answer" in errors
    for p in banks.problems(draft):
        column = FIELD_COLUMNS.get(p.field, "stem")
        if "kind" in errors and p.field in ("kind", "options", "answer", "blanks", "weights", "feedback"):
            continue  # without a known type, its answers cannot be judged
        if column == "answer" and answer_named:
            continue  # the answer's own message says it already
        if (column == "difficulty" and "difficulty" in errors) or (column == "score" and "score" in errors):
            continue
        if p.message not in errors.get(column, []):
            add(column, p.message)
    flat = {k: "；".join(v) for k, v in errors.items()}
    return (None if flat else draft), flat


def answer_text(q: Any) -> str:
    """The 答案 cell of a question: letters "A,C", 正确/错误, or the blanks' variants (a|b；c)."""
    if q.kind == "truefalse":
        return "正确" if q.answer == "T" else "错误"
    if q.kind == "fill":
        return "；".join("|".join(b) for b in q.blanks)
    return ",".join(q.answer)


def row_of(q: Any) -> list[Any]:
    """A question (with `tag_names`) as a row of the template."""
    options = list(q.options) + [""] * (len(OPTION_KEYS) - len(q.options))
    return [KIND_NAMES[q.kind], q.stem, *options, answer_text(q), q.explanation, q.difficulty,
            format(q.score.normalize(), "f") if isinstance(q.score, Decimal) else q.score,
            "、".join(getattr(q, "tag_names", []) or [])]
