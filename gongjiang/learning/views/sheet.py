"""The questions of an attempt in progress as HTML, built in Python rather than by the template's loops.

At 9:00 every taker of a province contest opens their own attempt page at once, and each page is different (its own
draw and option order), so nothing can be cached: what one page costs to render is what the opening burst costs.
The template's nested loops over questions and options were two thirds of it (docs/BENCHMARKS.md §13); the same
markup joined here from escaped strings costs a fraction. The labels are translated once per page. The markup is
what static/learning/attempt.js reads (data-position, data-code, data-go, data-jump, the inputs' names a<position>)
and what a browser without JavaScript submits as one form."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..queries.attempts import Shown


def questions_html(shown: Sequence[Shown]) -> SafeString:
    """The sections of every question (one shown at a time by the script) and the row of question numbers."""
    total = len(shown)
    kinds = {"single": _("Single choice"), "multiple": _("Multiple choice"), "truefalse": _("True or false")}
    fill = _("Fill in the blanks")
    true, false = escape(_("True")), escape(_("False"))
    previous, following = escape(_("Previous question")), escape(_("Next question"))
    out: list[str] = []
    for i, q in enumerate(shown):
        name = f"a{q.position}"
        heading = escape(_("Question %(n)s of %(total)s") % {"n": i + 1, "total": total})
        out.append(f'<section class="card question" data-position="{q.position}" data-code="{escape(q.code)}" '
                   f'id="q{q.position}">\n<p class="muted small">{heading} · {escape(kinds.get(q.kind, fill))}</p>\n'
                   f'<p class="stem">{linebreaksbr(q.stem, autoescape=True)}</p>\n<div class="choices">')
        if q.kind in ("single", "multiple"):
            kind = "radio" if q.kind == "single" else "checkbox"
            for letter, text in q.lettered:
                checked = " checked" if (letter == q.given if q.kind == "single" else letter in q.given) else ""
                out.append(f'<label class="choice"><input type="{kind}" name="{name}" value="{letter}"{checked}> '
                           f"<b>{letter}.</b> {escape(text)}</label>")
        elif q.kind == "truefalse":
            for value, label in (("T", true), ("F", false)):
                checked = " checked" if q.given == value else ""
                out.append(f'<label class="choice"><input type="radio" name="{name}" value="{value}"{checked}> '
                           f"{label}</label>")
        else:
            for n, text in enumerate(q.given_blanks, start=1):
                out.append(f'<label class="blank">{escape(_("Blank %(n)s") % {"n": n})} <input type="text" '
                           f'name="{name}" value="{escape(text)}" maxlength="100" autocomplete="off"></label>')
        nav = (f'<button type="button" class="btn" data-go="-1">{previous}</button>' if i else "") + (
            f'<button type="button" class="btn btn-primary" data-go="1">{following}</button>' if i < total - 1 else "")
        out.append(f'</div>\n<p class="error small" role="alert" data-error hidden></p>\n'
                   f'<div class="question-nav">{nav}</div>\n</section>')
    numbers = "".join(f'<button type="button" class="qi{" answered" if q.given else ""}" data-jump="{q.position}">'
                      f"{i}</button>" for i, q in enumerate(shown, start=1))
    out.append(f'<nav class="card question-index" aria-label="{escape(_("Question numbers"))}">{numbers}</nav>')
    return mark_safe("\n".join(out))  # every text above is escaped
