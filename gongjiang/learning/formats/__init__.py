"""Question files, pure: parsers of the formats a bank is imported from (the Excel template, Moodle's GIFT, Aiken and
Moodle XML) returning the questions as `rules.banks.Draft`s with the line (or row) each starts on, and every error
with its line; writers of the formats a bank is exported to (Excel, Moodle XML). No database here."""

from .common import FORMATS, FormatError, Parsed, Result, parse

__all__ = ["FORMATS", "FormatError", "Parsed", "Result", "parse"]
