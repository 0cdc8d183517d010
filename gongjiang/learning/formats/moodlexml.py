"""Moodle XML (https://docs.moodle.org/en/Moodle_XML_format), read and written as Moodle documents it:

- `<quiz>` holds `<question type="…">` elements; `type="category"` sets the category (`<category><text>`) of the
  questions after it;
- `multichoice` (`<single>true</single>` for one right answer, else several), each `<answer fraction="…">` with its
  `<text>` and `<feedback>`; the fractions (percent) are kept as the question's weights when they are not plain
  right/wrong; `truefalse` (the answer whose fraction is 100 is the right one, its text "true" or "false");
  `shortanswer` (every answer with fraction 100 is an accepted variant of the one blank); `multianswer` (cloze)
  when every embedded answer is a SHORTANSWER (`{1:SHORTANSWER:=a~=b}`), a fill-in with one blank per answer;
- `<questiontext>`, `<generalfeedback>` (the explanation), `<defaultgrade>` (the score), `<tags>`; text in
  `format="html"` is read as text (tags dropped, entities decoded).

Other types (essay, matching, numerical, calculated, ddwtos, description…) are reported by the question's number
and line, never dropped in silence. The parser reads no DTD, entity or network resource."""

from __future__ import annotations

import html
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from ..rules.banks import Draft
from ..rules.scoring import LETTERS
from .common import Parsed, Result, finish

BLANK = "____"
BLANK_RE = re.compile(r"_{3,}|（\s*）|\(\s*\)")
CLOZE = re.compile(r"\{(\d*):(SHORTANSWER|SA|MW|SHORTANSWER_C|SAC|MWC|[A-Z_]+):(.*?)(?<!\\)\}", re.DOTALL)
SHORT = {"SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC"}
SUPPORTED = {"multichoice", "truefalse", "shortanswer", "multianswer", "category"}


def _text(node: Any) -> str:
    if node is None:
        return ""
    found = node.find("text")
    return (found.text or "") if found is not None else ""


def _readable(node: Any) -> str:
    """The text of a `<questiontext>`/`<feedback>`-like element as plain text (HTML read as text)."""
    if node is None:
        return ""
    raw = _text(node)
    if node.get("format", "") in ("html", "moodle_auto_format", "markdown") or "<" in raw:
        raw = re.sub(r"(?i)<br\s*/?>|</p>\s*<p[^>]*>", "\n", raw)
        raw = re.sub(r"<[^>]+>", "", raw)
        raw = html.unescape(raw)
    return raw.strip()


def _fraction(answer: Any) -> int:
    try:
        return round(float(answer.get("fraction", "0")))
    except ValueError:
        return 0


def parse(text: str) -> Result:
    result = Result()
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as e:
        line = e.lineno or (e.position[0] if e.position else 1)
        result.error(line or 1, _("The XML cannot be read: %(error)s.") % {"error": e.msg or ""})
        return result
    if root.tag != "quiz":
        result.error(root.sourceline or 1, _("A Moodle XML file starts with <quiz>, not <%(tag)s>.")
                     % {"tag": root.tag})
        return result
    category = ""
    number = 0
    for q in root.iter("question"):
        kind = q.get("type", "")
        line = q.sourceline or 1
        if kind != "category":
            number += 1
        if kind not in SUPPORTED:
            result.error(line, _("Question %(n)d (“%(name)s”) is of the type %(type)s, which is not supported.")
                         % {"n": number, "name": _text(q.find("name"))[:30], "type": kind or "—"})
            continue
        if kind == "category":
            category = re.sub(r"^\$(course|system|module|cat\d*)\$/(top/?)?", "", _text(q.find("category"))).strip()
            continue
        _question(q, kind, line, number, category, result)
    if not result.questions and not result.errors:
        result.error(1, _("The file holds no question."))
    return finish(result)


def _question(q: Any, kind: str, line: int, number: int, category: str, result: Result) -> None:
    stem = _readable(q.find("questiontext"))
    explanation = _readable(q.find("generalfeedback"))
    score = Decimal(1)
    grade = (q.findtext("defaultgrade") or "").strip()
    if grade:
        try:
            score = Decimal(grade).quantize(Decimal("0.1"))
        except InvalidOperation:
            result.error(line, _("Question %(n)d: the default grade “%(g)s” is not a number.") % {"n": number,
                                                                                                   "g": grade})
            return
    tags = [t for t in (_text(tag).strip() for tag in q.iterfind("tags/tag")) if t]
    answers = q.findall("answer")
    common: dict[str, Any] = {"stem": stem, "explanation": explanation, "score": score, "tags": tags,
                              "category": category}
    if kind == "truefalse":
        right = [a for a in answers if _fraction(a) == 100]
        truth = _text(right[0]).strip().lower() if len(right) == 1 else ""
        if truth not in ("true", "false"):
            result.error(line, _("Question %(n)d: a true-or-false question has one answer “true” or “false” with the "
                                 "fraction 100.") % {"n": number})
            return
        result.questions.append(Parsed(line, Draft(kind="truefalse", answer="T" if truth == "true" else "F",
                                                   **common)))
        return
    if kind == "shortanswer":
        variants = [_readable(a) for a in answers if _fraction(a) == 100]
        if any(0 < _fraction(a) < 100 for a in answers):
            result.error(line, _("Question %(n)d: a short answer with partial credit is not supported: every "
                                 "accepted answer earns the full score.") % {"n": number})
            return
        result.questions.append(Parsed(line, Draft(kind="fill", blanks=[[v for v in variants if v]], **common)))
        return
    if kind == "multianswer":
        _cloze(q, line, number, common, result)
        return
    options = [_readable(a) for a in answers]
    weights = [_fraction(a) for a in answers]
    feedback = [_readable(a.find("feedback")) for a in answers]
    single = (q.findtext("single") or "true").strip().lower() in ("true", "1")
    answer = "".join(LETTERS[i] for i, w in enumerate(weights) if w > 0 and i < len(LETTERS))
    positive = {w for w in weights if w > 0}
    # Plain right or wrong: one answer at 100 % (single), or the right answers sharing 100 % equally (multiple).
    plain = all(w >= 0 for w in weights) and (
        (single and positive == {100}) or (not single and len(positive) == 1))
    result.questions.append(Parsed(line, Draft(
        kind="single" if single else "multiple", options=options, answer=answer, weights=[] if plain else weights,
        feedback=feedback if any(feedback) else [], **common)))


def _cloze(q: Any, line: int, number: int, common: dict[str, Any], result: Result) -> None:
    """A cloze question whose every embedded answer is a short answer: a fill-in, one blank per embedded answer."""
    raw = _text(q.find("questiontext"))
    blanks: list[list[str]] = []
    for m in CLOZE.finditer(raw):
        if m.group(2) not in SHORT:
            result.error(line, _("Question %(n)d: an embedded answer of type %(type)s is not supported (only "
                                 "SHORTANSWER).") % {"n": number, "type": m.group(2)})
            return
        variants = []
        for part in re.split(r"(?<!\\)~", m.group(3)):
            part = part.strip()
            w = re.match(r"^(=|%(\d+)%)", part)
            if w and (w.group(1) == "=" or w.group(2) == "100"):
                variants.append(part[w.end():].split("#")[0].replace("\\}", "}").replace("\\~", "~").strip())
        blanks.append([v for v in variants if v])
    text = CLOZE.sub(BLANK, raw)
    node = etree.Element("questiontext", format=q.find("questiontext").get("format", "html"))
    etree.SubElement(node, "text").text = text
    common = {**common, "stem": _readable(node)}
    result.questions.append(Parsed(line, Draft(kind="fill", blanks=blanks, **common)))


# ---------------------------------------------------------------------------------------------
# Writing


def _text_node(parent: Any, tag: str, text: str, fmt: str | None = "plain_text") -> Any:
    node = etree.SubElement(parent, tag, **({"format": fmt} if fmt else {}))
    etree.SubElement(node, "text").text = text
    return node


def _cloze_text(stem: str, blanks: list[list[str]]) -> str:
    """The stem with each blank (____ or （ ）) replaced by its embedded short answer; blanks without a place in
    the stem go at its end."""
    def embed(variants: list[str]) -> str:
        esc = [v.replace("}", "\\}").replace("~", "\\~").replace("#", "\\#") for v in variants]
        return "{1:SHORTANSWER:" + "~".join(f"={v}" for v in esc) + "}"

    pending = list(blanks)
    out = BLANK_RE.sub(lambda m: embed(pending.pop(0)) if pending else m.group(0), stem)
    return out + "".join(" " + embed(b) for b in pending)


def write(questions: list[Any], category: str = "") -> bytes:
    """Moodle XML of `questions` (objects with the fields of a Question: kind, stem, options, answer, blanks,
    weights, feedback, explanation, score, tag names in `tag_names`, category), grouped by their category."""
    root = etree.Element("quiz")
    current = None
    for n, q in enumerate(questions, start=1):
        cat = q.category or category
        if cat and cat != current:
            c = etree.SubElement(root, "question", type="category")
            _text_node(c, "category", f"$course$/{cat}", None)
            current = cat
        kind = {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse",
                "fill": "shortanswer" if len(q.blanks) == 1 else "multianswer"}[q.kind]
        node = etree.SubElement(root, "question", type=kind)
        _text_node(node, "name", f"{n:04d} {q.stem[:40]}", None)
        stem = _cloze_text(q.stem, q.blanks) if kind == "multianswer" else q.stem
        _text_node(node, "questiontext", stem)
        _text_node(node, "generalfeedback", q.explanation or "")
        etree.SubElement(node, "defaultgrade").text = str(q.score)
        etree.SubElement(node, "penalty").text = "0"
        etree.SubElement(node, "hidden").text = "0"
        if q.kind in ("single", "multiple"):
            etree.SubElement(node, "single").text = "true" if q.kind == "single" else "false"
            etree.SubElement(node, "shuffleanswers").text = "true"
            etree.SubElement(node, "answernumbering").text = "ABCD"
            right = set(q.answer)
            for i, option in enumerate(q.options):
                if q.weights:
                    fraction = q.weights[i]
                elif q.kind == "single":
                    fraction = 100 if LETTERS[i] in right else 0
                else:
                    fraction = round(100 / len(right), 5) if LETTERS[i] in right else 0
                a = _text_node(node, "answer", option)
                a.set("fraction", _number(fraction))
                _text_node(a, "feedback", q.feedback[i] if q.feedback and i < len(q.feedback) else "")
        elif q.kind == "truefalse":
            for value in ("true", "false"):
                a = _text_node(node, "answer", value, "moodle_auto_format")
                a.set("fraction", "100" if (value == "true") == (q.answer == "T") else "0")
                _text_node(a, "feedback", "")
        elif kind == "shortanswer":
            etree.SubElement(node, "usecase").text = "0"
            for v in q.blanks[0]:
                a = _text_node(node, "answer", v)
                a.set("fraction", "100")
                _text_node(a, "feedback", "")
        tags = list(getattr(q, "tag_names", []) or [])
        if tags:
            t = etree.SubElement(node, "tags")
            for name in tags:
                etree.SubElement(etree.SubElement(t, "tag"), "text").text = name
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _number(value: float) -> str:
    text = f"{value:.5f}".rstrip("0").rstrip(".")
    return text or "0"
