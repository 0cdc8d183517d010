"""Moodle's GIFT format (https://docs.moodle.org/en/GIFT_format), read as Moodle documents it:

- questions separated by blank lines; lines starting with // are comments; `::title::` names a question;
  a `[html]`, `[moodle]`, `[plain]` or `[markdown]` marker before the text is dropped;
- `$CATEGORY: path` sets the category of the questions after it;
- `{T}` `{F}` `{TRUE}` `{FALSE}` (with `#feedback`): true or false;
- `{=right ~wrong ~wrong}`: single choice; `{~%50%a ~%50%b ~%-100%c}`: multiple choice with the fractions in
  percent (kept as the question's weights); `#feedback` after an answer is that answer's feedback; `####text` at the
  end of the answers is the general feedback (the explanation here);
- `{=a =b}`: short answer (a fill-in with one blank whose accepted variants are the answers);
- text after the answers ("missing word" questions) keeps its place as a blank ____ in the stem;
- `\\:` `\\~` `\\=` `\\#` `\\{` `\\}` `\\\\` escape the special characters, `\\n` is a new line.

Matching (`->`), numerical (`{#…}`), essay (`{}`) and description (no answers) questions are reported as not
supported, each on its line, never dropped in silence."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ..rules.banks import Draft
from ..rules.scoring import LETTERS
from .common import Parsed, Result, finish

ESCAPES = {"\\\\": "\ue000", "\\:": "\ue001", "\\~": "\ue002", "\\=": "\ue003", "\\#": "\ue004", "\\{": "\ue005",
           "\\}": "\ue006", "\\n": "\n"}
PLAIN = {"\ue000": "\\", "\ue001": ":", "\ue002": "~", "\ue003": "=", "\ue004": "#", "\ue005": "{", "\ue006": "}"}
BLANK = "____"
FORMAT_MARKER = re.compile(r"^\s*\[(html|moodle|plain|markdown)\]", re.IGNORECASE)
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
TRUTH = {"T": "T", "TRUE": "T", "F": "F", "FALSE": "F"}


def _protect(text: str) -> str:
    return re.sub(r"\\[\\:~=#{}n]", lambda m: ESCAPES[m.group(0)], text)


def _plain(text: str) -> str:
    for k, v in PLAIN.items():
        text = text.replace(k, v)
    return text.strip()


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """The questions' lines (numbered from 1), comments left out, split at blank lines."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        current.append((n, line))
    if current:
        blocks.append(current)
    return blocks


def parse(text: str) -> Result:
    result = Result()
    category = ""
    for block in _blocks(text):
        if block[0][1].strip().startswith("$CATEGORY:"):
            category = _plain(_protect(block[0][1].strip()[len("$CATEGORY:"):]))
            block = block[1:]
            if not block:
                continue
        _question(block, category, result)
    if not result.questions and not result.errors:
        result.error(1, _("The file holds no question."))
    return finish(result)


def _line_at(block: list[tuple[int, str]], offset: int) -> int:
    """The file's line number of a character offset in the block's text (lines joined by \\n)."""
    pos = 0
    for n, line in block:
        pos += len(line) + 1
        if offset < pos:
            return n
    return block[-1][0]


def _question(block: list[tuple[int, str]], category: str, result: Result) -> None:
    first = block[0][0]
    body = _protect("\n".join(line for _n, line in block))
    title = ""
    m = re.match(r"\s*::(.*?)::", body, re.DOTALL)
    if m:
        title = _plain(m.group(1))
        body_start = m.end()
    else:
        body_start = 0
    opening = body.find("{", body_start)
    if opening < 0:
        if "}" in body[body_start:]:
            result.error(_line_at(block, body.find("}", body_start)), _("A } without its {."))
        else:
            result.error(first, _("Question “%(q)s” has no answers in { } (a description): this type is not "
                                  "supported.") % {"q": title or _plain(body[body_start:])[:30]})
        return
    closing = body.find("}", opening)
    if closing < 0:
        result.error(_line_at(block, opening), _("The { of the answers is not closed by a }."))
        return
    extra = body.find("{", closing)
    if extra >= 0 or "{" in body[opening + 1:closing]:
        at = extra if extra >= 0 else body.find("{", opening + 1)
        result.error(_line_at(block, at), _("A question has one set of answers in { }; escape a literal brace as "
                                            "\\{ or \\}."))
        return
    before = FORMAT_MARKER.sub("", body[body_start:opening])
    after = body[closing + 1:]
    stem = _plain(f"{before}{BLANK}{after}" if after.strip() else before)
    line = _line_at(block, opening)
    inside = body[opening + 1:closing].strip()
    general = ""
    if "####" in inside:
        inside, general = inside.split("####", 1)
        general = _plain(general)
        inside = inside.strip()
    name = title or stem[:30]
    if not inside:
        result.error(line, _("Question “%(q)s” is an essay question: this type is not supported.") % {"q": name})
        return
    if inside.startswith("#"):
        result.error(line, _("Question “%(q)s” is a numerical question: this type is not supported.") % {"q": name})
        return
    head, *feedbacks = inside.split("#")
    if head.strip().upper() in TRUTH:
        if len(feedbacks) > 2:
            result.error(line, _("A true-or-false answer has at most two feedbacks (#wrong#right)."))
            return
        notes = [_plain(f) for f in feedbacks if _plain(f)]
        explanation = general or "\n".join(notes)
        result.questions.append(Parsed(first, Draft(kind="truefalse", stem=stem, answer=TRUTH[head.strip().upper()],
                                                    explanation=explanation, category=category), title))
        return
    parts = re.split(r"([=~])", inside)
    if parts[0].strip():
        result.error(line, _("Each answer starts with = (right) or ~ (wrong): “%(t)s” does not.")
                     % {"t": _plain(parts[0])[:30]})
        return
    answers: list[tuple[str, str]] = [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]
    if any("->" in text for _mark, text in answers):
        result.error(line, _("Question “%(q)s” is a matching question: this type is not supported.") % {"q": name})
        return
    if all(mark == "=" for mark, _t in answers):
        _short(first, line, stem, answers, general, category, title, result)
        return
    options, weights, feedback = [], [], []
    for mark, text in answers:
        text = text.strip()
        weight = 100 if mark == "=" else 0
        w = WEIGHT.match(text)
        if w:
            weight = round(float(w.group(1)))
            text = text[w.end():]
        option, _sep, note = text.partition("#")
        options.append(_plain(option))
        weights.append(weight)
        feedback.append(_plain(note))
    positive = [i for i, w in enumerate(weights) if w > 0]
    answer = "".join(LETTERS[i] for i in positive if i < len(LETTERS))
    single = sum(1 for m, _t in answers if m == "=") == 1 and len(positive) == 1
    kind = "single" if single else "multiple"
    plain_weights = single and all(w in (0, 100) for w in weights)
    result.questions.append(Parsed(first, Draft(
        kind=kind, stem=stem, options=options, answer=answer if positive else "",
        weights=[] if plain_weights else weights, feedback=feedback if any(feedback) else [],
        explanation=general, category=category), title))


def _short(first: int, line: int, stem: str, answers: list[tuple[str, str]], general: str, category: str,
           title: str, result: Result) -> None:
    variants = []
    for _mark, text in answers:
        text = text.strip()
        w = WEIGHT.match(text)
        if w and float(w.group(1)) != 100:
            result.error(line, _("A short answer with partial credit (%(w)s%%) is not supported: every accepted "
                                 "answer earns the full score.") % {"w": w.group(1)})
            return
        if w:
            text = text[w.end():]
        variants.append(_plain(text.partition("#")[0]))
    result.questions.append(Parsed(first, Draft(kind="fill", stem=stem, blanks=[[v for v in variants if v]],
                                                explanation=general, category=category), title))


def escape(text: str) -> str:
    """A text as GIFT writes it (the special characters escaped, new lines as \\n)."""
    out = text.replace("\\", "\\\\")
    for ch in ":~=#{}":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r\n", "\n").replace("\n", "\\n")
