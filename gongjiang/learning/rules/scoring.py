"""Scoring, pure: how an answer is written, checked and marked.

- Letters: an answer to a choice question may be written "A,B", "A、C", "AC", "a c" or in full-width letters
  (`letters`); true/false as 正确/错误, 对/错, √/×, T/F, 是/否, true/false (`truth`).
- A position's code (`code`) tells the answer endpoint what may be given there without reading the question: the
  kind's letter (s, m, t, f) and the count of options (or of blanks), e.g. "s4", "m5", "t2", "f2".
- `check_given` validates an answer as sent by the page (displayed letters, or the blanks' texts) against a code;
  `original` maps displayed letters back through the attempt's option order; `mark` marks an answer against the key.
- Multiple choice without Moodle weights: all right earns the score; no wrong option and at least one right but
  not all earns `partial` percent (少选得分); any wrong option earns nothing. With weights (Moodle's fractions,
  percent per option): the sum of the chosen options' fractions, between 0 and 100 %.
- Fill-in: each blank earns its share of the score when its text equals one of the accepted variants, compared
  after NFKC normalisation, case folding and with spaces removed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

LETTERS = "ABCDEF"
MAX_OPTIONS = len(LETTERS)
SEP = "\x1f"  # joins the texts of a fill-in answer's blanks
KIND_CODE = {"single": "s", "multiple": "m", "truefalse": "t", "fill": "f"}
TRUE_WORDS = {"正确", "对", "√", "✓", "T", "TRUE", "是", "Y", "YES", "1"}
FALSE_WORDS = {"错误", "错", "×", "✗", "X", "F", "FALSE", "否", "N", "NO", "0"}
MAX_BLANK = 100  # characters in one blank's answer
TENTH = Decimal("0.1")


class AnswerError(ValueError):
    """An answer that cannot be taken as written (the message says why, in the user's language)."""


def letters(text: str, option_count: int = MAX_OPTIONS) -> str:
    """The letters written in `text` ("A,B", "A、C", "AC", "ａ c"), upper-case, each once, in alphabetical order.
    Raises AnswerError naming a letter with no option, or when nothing is written."""
    cleaned = unicodedata.normalize("NFKC", text or "").upper()
    cleaned = re.sub(r"[\s,，、;；/|+]+", "", cleaned)
    if not cleaned:
        raise AnswerError(_("No answer letter is given."))
    bad = sorted({c for c in cleaned if c not in LETTERS[:option_count]})
    if bad:
        if all(c in LETTERS or c.isalpha() for c in bad):
            raise AnswerError(_("Answer letter %(letters)s has no option (the question has %(n)d options).")
                              % {"letters": "、".join(bad), "n": option_count})
        raise AnswerError(_("“%(text)s” is not an answer: write the letters of the options, e.g. A or A,C.")
                          % {"text": text})
    return "".join(sorted(set(cleaned)))


def truth(text: str) -> str:
    """"T" or "F" for a true/false answer written in any of the accepted ways; AnswerError otherwise."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip().upper()
    if cleaned in TRUE_WORDS or cleaned == "A":
        return "T"
    if cleaned in FALSE_WORDS or cleaned == "B":
        return "F"
    raise AnswerError(_("“%(text)s” is neither true nor false: write 正确 or 错误 (对/错, √/×).") % {"text": text})


def normal(text: str) -> str:
    """A fill-in text as compared: NFKC, case-folded, without spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).casefold()


def code(kind: str, options: int, blanks: int = 0) -> str:
    """The position code of a question: "s4" (single, 4 options), "m5", "t2", "f3" (fill-in, 3 blanks)."""
    n = blanks if kind == "fill" else (2 if kind == "truefalse" else options)
    return f"{KIND_CODE[kind]}{n}"


def check_given(position_code: str, given: str) -> str:
    """The answer `given` at a position as it will be stored (displayed letters sorted, "T"/"F", or the blanks'
    texts joined by SEP); AnswerError if the code's question cannot take it."""
    kind, n = position_code[0], int(position_code[1:])
    if kind == "t":
        value = (given or "").strip().upper()
        if value not in ("T", "F"):
            raise AnswerError(_("A true-or-false answer is T or F."))
        return value
    if kind == "f":
        parts = (given or "").split(SEP)
        if len(parts) > n:
            raise AnswerError(_("The question has %(n)d blanks, %(m)d answers were sent.") % {"n": n, "m": len(parts)})
        if any(len(p) > MAX_BLANK for p in parts):
            raise AnswerError(_("An answer to a blank is at most %(n)d characters.") % {"n": MAX_BLANK})
        return SEP.join(p.strip() for p in parts)
    value = letters(given, n)
    if kind == "s" and len(value) != 1:
        raise AnswerError(_("A single-choice question takes one letter."))
    return value


def original(displayed: str, order: str) -> str:
    """The question's own letters for letters displayed in `order` (order "CADB": displayed A is the question's C)."""
    if not order:
        return displayed
    return "".join(sorted(order[LETTERS.index(c)] for c in displayed))


def displayed(own: str, order: str) -> str:
    """The displayed letters of the question's own letters `own` (the inverse of `original`)."""
    if not order:
        return own
    return "".join(sorted(LETTERS[order.index(c)] for c in own))


@dataclass(frozen=True)
class Key:
    """What marking a question needs: its kind, score, correct letters ("AC", "T"), accepted texts per blank, and
    Moodle's per-option fractions (percent; empty for all or nothing)."""

    kind: str
    score: Decimal
    answer: str = ""
    blanks: Sequence[Sequence[str]] = field(default_factory=tuple)
    weights: Sequence[int] = field(default_factory=tuple)


@dataclass(frozen=True)
class Mark:
    points: Decimal
    correct: bool


def _share(score: Decimal, numerator: int, denominator: int) -> Decimal:
    return (score * numerator / denominator).quantize(TENTH, rounding=ROUND_HALF_UP)


def mark(key: Key, given: str, partial: int = 0) -> Mark:
    """Mark the answer `given` (the question's own letters, "T"/"F", or the blanks' texts joined by SEP; "" for no
    answer) against `key`; `partial` is the percent given for an incomplete multiple choice without weights."""
    zero = Mark(Decimal(0), False)
    if not given:
        return zero
    if key.kind == "fill":
        texts = given.split(SEP)
        right = sum(1 for i, accepted in enumerate(key.blanks)
                    if i < len(texts) and normal(texts[i]) and normal(texts[i]) in {normal(a) for a in accepted})
        n = len(key.blanks) or 1
        return Mark(_share(key.score, right, n), right == len(key.blanks))
    if key.kind in ("single", "truefalse"):
        return Mark(key.score, True) if given == key.answer else zero
    chosen, answer = set(given), set(key.answer)
    if key.weights:
        percent = sum(key.weights[LETTERS.index(c)] for c in chosen if LETTERS.index(c) < len(key.weights))
        percent = max(0, min(100, percent))
        return Mark(_share(key.score, percent, 100), chosen == answer)
    if chosen == answer:
        return Mark(key.score, True)
    if chosen < answer and partial:
        return Mark(_share(key.score, partial, 100), False)
    return zero
