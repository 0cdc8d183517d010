"""What every parser returns: the questions read (`Parsed`: the line it starts on and the `Draft`) and the errors
(`FormatError`: a line and a message), checked by the bank rules once the syntax is read (`finish`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..rules import banks


@dataclass(frozen=True)
class FormatError:
    """A line (or a row, or a question's number) of the file and what is wrong there (translated)."""

    line: int
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Parsed:
    line: int
    draft: banks.Draft
    title: str = ""


@dataclass
class Result:
    questions: list[Parsed] = field(default_factory=list)
    errors: list[FormatError] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.errors.append(FormatError(line, message))

    @property
    def ok(self) -> bool:
        return not self.errors


def finish(result: Result) -> Result:
    """Check every question read against the bank rules (each problem on the question's line), and the same
    question twice in one file; errors sorted by line."""
    seen: dict[str, int] = {}
    for q in result.questions:
        for p in banks.problems(q.draft):
            result.error(q.line, p.message)
        first = seen.setdefault(q.draft.fingerprint, q.line)
        if first != q.line:
            result.error(q.line, _("The same question is already on line %(n)d.") % {"n": first})
    result.errors.sort(key=lambda e: e.line)
    return result


def decode(data: bytes) -> str:
    """The text of an uploaded file: UTF-8 (with or without a BOM), else GB18030 (files saved by Chinese Windows)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is not text in UTF-8 or GBK."))
