"""Question banks, pure: the fingerprint that tells the same question twice (`fingerprint`), and every reason a
question cannot be kept (`problems`), in the user's language, all at once.

A question as these rules see it is a `Draft`: plain data, whatever it came from (a form, an Excel row, a GIFT or
Moodle XML question, the API)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .scoring import LETTERS, MAX_BLANK, MAX_OPTIONS

KINDS = ("single", "multiple", "truefalse", "fill")
MAX_STEM = 2000
MAX_OPTION = 500
MAX_EXPLANATION = 2000
MAX_SCORE = Decimal("100")
MAX_BLANKS = 10
MAX_TAGS = 10
MAX_TAG = 40


def _clean(text: str) -> str:
    """NFKC, every run of whitespace one space, trimmed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def fingerprint(stem: str, options: Sequence[str] = ()) -> str:
    """The hash (hex SHA-256) of the normalised stem and options: the same question written with other spacing,
    full-width characters or its options in another order has the same fingerprint."""
    parts = [_clean(stem), *sorted(_clean(o) for o in options)]
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()


@dataclass
class Draft:
    """A question to keep: `answer` the correct letters ("AC") or "T"/"F"; `blanks` the accepted texts per blank;
    `weights` Moodle's fraction per option (percent) or empty; `feedback` per option or empty."""

    kind: str
    stem: str
    options: list[str] = field(default_factory=list)
    answer: str = ""
    blanks: list[list[str]] = field(default_factory=list)
    weights: list[int] = field(default_factory=list)
    feedback: list[str] = field(default_factory=list)
    explanation: str = ""
    difficulty: int = 3
    score: Decimal = Decimal(1)
    tags: list[str] = field(default_factory=list)
    category: str = ""

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.stem, self.options)


@dataclass(frozen=True)
class Problem:
    """One reason a question cannot be kept: the field it concerns and the message (translated)."""

    field: str
    message: str


def problems(d: Draft) -> list[Problem]:
    """Every reason `d` cannot be kept (empty when it can)."""
    found: list[Problem] = []

    def add(name: str, message: str) -> None:
        found.append(Problem(name, message))

    if d.kind not in KINDS:
        add("kind", _("The question type must be single choice, multiple choice, true or false, or fill in the "
                      "blanks (单选/多选/判断/填空)."))
    if not _clean(d.stem):
        add("stem", _("The question has no text."))
    elif len(d.stem) > MAX_STEM:
        add("stem", _("The question's text is at most %(n)d characters.") % {"n": MAX_STEM})
    if d.kind in ("single", "multiple"):
        _choice(d, add)
    elif d.kind == "truefalse":
        if d.options:
            add("options", _("A true-or-false question has no options."))
        if d.answer not in ("T", "F"):
            add("answer", _("The answer of a true-or-false question is 正确 or 错误 (对/错)."))
    elif d.kind == "fill":
        _fill(d, add)
    if len(d.explanation or "") > MAX_EXPLANATION:
        add("explanation", _("The explanation is at most %(n)d characters.") % {"n": MAX_EXPLANATION})
    difficulty: object = d.difficulty  # whatever the caller gave, checked here
    if not isinstance(difficulty, int) or isinstance(difficulty, bool) or not 1 <= difficulty <= 5:
        add("difficulty", _("The difficulty is a whole number from 1 (easy) to 5 (hard)."))
    score: object = d.score
    if not isinstance(score, Decimal) or not score.is_finite() or score <= 0 or score > MAX_SCORE:
        add("score", _("The score is more than 0 and at most %(n)s.") % {"n": MAX_SCORE})
    elif d.score != d.score.quantize(Decimal("0.1")):
        add("score", _("The score has at most one decimal place."))
    if len(d.tags) > MAX_TAGS:
        add("tags", _("A question has at most %(n)d knowledge points.") % {"n": MAX_TAGS})
    if any(len(t) > MAX_TAG for t in d.tags):
        add("tags", _("A knowledge point is at most %(n)d characters.") % {"n": MAX_TAG})
    return found


Report = Callable[[str, str], None]


def _choice(d: Draft, report: Report) -> None:
    n = len(d.options)
    if n > MAX_OPTIONS:
        report("options", _("A question has at most %(max)d options (A–F); this one has %(n)d.")
               % {"max": MAX_OPTIONS, "n": n})
    elif n < 2:
        report("options", _("A choice question has at least two options."))
    if any(not _clean(o) for o in d.options):
        report("options", _("An option has no text."))
    elif len({_clean(o) for o in d.options}) != n:
        report("options", _("Two options have the same text."))
    if any(len(o) > MAX_OPTION for o in d.options):
        report("options", _("An option is at most %(n)d characters.") % {"n": MAX_OPTION})
    answer = d.answer or ""
    if not answer:
        report("answer", _("The question has no correct answer."))
    else:
        bad = sorted({c for c in answer if c not in LETTERS[:min(n, MAX_OPTIONS)]})
        if bad:
            report("answer", _("Answer letter %(letters)s has no option (the question has %(n)d options).")
                   % {"letters": "、".join(bad), "n": n})
        if d.kind == "single" and len(set(answer)) != 1:
            report("answer", _("A single-choice question has exactly one correct answer; this one has %(n)d.")
                   % {"n": len(set(answer))})
    if d.weights:
        if len(d.weights) != n:
            report("weights", _("Give one partial credit per option."))
        elif any(not -100 <= w <= 100 for w in d.weights):
            report("weights", _("A partial credit lies between -100 % and 100 %."))
        elif d.kind == "multiple" and abs(sum(w for w in d.weights if w > 0) - 100) > n:  # 3 × 33 % is 100 %
            report("weights", _("The positive partial credits of a multiple-choice question add up to 100 %."))
    if d.feedback and len(d.feedback) != n:
        report("feedback", _("Give one feedback per option."))


def _fill(d: Draft, report: Report) -> None:
    if d.options:
        report("options", _("A fill-in question has no options."))
    if not d.blanks:
        report("blanks", _("A fill-in question has at least one blank with its accepted answer."))
        return
    if len(d.blanks) > MAX_BLANKS:
        report("blanks", _("A fill-in question has at most %(n)d blanks.") % {"n": MAX_BLANKS})
    for i, variants in enumerate(d.blanks, start=1):
        if not [v for v in variants if v.strip()]:
            report("blanks", _("Blank %(n)d has no accepted answer.") % {"n": i})
        elif any(len(v) > MAX_BLANK for v in variants):
            report("blanks", _("An accepted answer is at most %(n)d characters.") % {"n": MAX_BLANK})


def messages(found: Sequence[Problem]) -> str:
    """The problems as one sentence list (；-joined)."""
    return "；".join(p.message for p in found)
