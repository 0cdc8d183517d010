"""The Aiken format (https://docs.moodle.org/en/Aiken_format), as Moodle documents it: a question's text, its
options each on a line starting with a capital letter and a full stop or a bracket ("A." or "A)") and a space, then
"ANSWER: " and the letter of the right option; questions separated by blank lines. Single choice only."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from ..rules.banks import Draft
from ..rules.scoring import LETTERS
from .common import Parsed, Result, finish

OPTION = re.compile(r"^([A-Z])[.)]\s+(.*)$")
ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$")


def parse(text: str) -> Result:
    result = Result()
    stem: list[str] = []
    options: list[str] = []
    start = 0
    option_line = 0
    skipping = False  # after an error, the rest of that question (up to a blank line) is not read again

    def reset() -> None:
        stem.clear()
        options.clear()

    lines = text.splitlines()
    for n, raw in enumerate(lines, start=1):
        line = raw.strip()
        if skipping:
            skipping = bool(line)
            continue
        if not line:
            if stem and not options:
                stem.append("")  # a blank line inside a question's text
            elif options:
                result.error(option_line, _("The question starting on line %(n)d has no “ANSWER:” line after its "
                                            "options.") % {"n": start})
                reset()
            continue
        answer = ANSWER.match(line)
        option = OPTION.match(line)
        if answer:
            if not options:
                result.error(n, _("“ANSWER:” comes after a question and its options."))
                reset()
                continue
            letter = answer.group(1).strip()
            if len(letter) != 1 or letter not in LETTERS[:26] or not letter.isupper():
                result.error(n, _("“ANSWER:” is followed by the capital letter of one option, not “%(t)s”.")
                             % {"t": letter})
            elif LETTERS.find(letter) >= len(options) or letter not in LETTERS:
                result.error(n, _("Answer letter %(letters)s has no option (the question has %(n)d options).")
                             % {"letters": letter, "n": len(options)})
            else:
                result.questions.append(Parsed(start, Draft(kind="single", stem="\n".join(stem).strip(),
                                                            options=list(options), answer=letter)))
            reset()
            continue
        if option and stem:
            expected = chr(ord("A") + len(options))
            if option.group(1) != expected:
                result.error(n, _("Option %(got)s comes where option %(want)s is expected.")
                             % {"got": option.group(1), "want": expected})
            options.append(option.group(2).strip())
            option_line = n
            continue
        if options:
            result.error(n, _("After the options comes the line “ANSWER: ” with a letter, not “%(t)s”.")
                         % {"t": line[:30]})
            reset()
            skipping = True
            continue
        if not stem:
            start = n
        stem.append(line)
    if options:
        result.error(option_line, _("The question starting on line %(n)d has no “ANSWER:” line after its options.")
                     % {"n": start})
    elif stem and any(stem):
        result.error(start, _("The question starting on line %(n)d has no options.") % {"n": start})
    if not result.questions and not result.errors:
        result.error(1, _("The file holds no question."))
    return finish(result)
