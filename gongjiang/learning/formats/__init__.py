"""Question files, pure: parsers of the formats a bank is imported from (the Excel template, Moodle's GIFT, Aiken and
Moodle XML) returning the questions as `rules.banks.Draft`s with the line (or row) each starts on, and every error
with its line; writers of the formats a bank is exported to (Excel, Moodle XML). No database here."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from . import aiken, gift, moodlexml
from .common import FormatError, Parsed, Result

FORMATS = {"excel": gettext_lazy("Excel template (.xlsx)"), "gift": gettext_lazy("Moodle GIFT (.txt)"),
           "aiken": gettext_lazy("Aiken (.txt)"), "moodlexml": gettext_lazy("Moodle XML (.xml)")}
PARSERS = {"gift": gift.parse, "aiken": aiken.parse, "moodlexml": moodlexml.parse}


def parse(fmt: str, text: str) -> Result:
    """Parse `text` in the text format `fmt` ("gift", "aiken", "moodlexml")."""
    return PARSERS[fmt](text)


__all__ = ["FORMATS", "PARSERS", "FormatError", "Parsed", "Result", "parse"]
