"""Cell parsers shared by every import (text in, value out, `CellError` with a Chinese message naming what is wrong):
dates, yes/no, a choice among codes or labels, ID numbers, mobiles, bounded text; and the mask of a date in an
error report. An app's own vocabularies (grades, ethnic groups, its units) are parsed in its own imports module."""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Choices
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .ids import IdCardInfo, IdentifierError, parse_id_card, validate_mobile
from .imports import CellError

DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def parse_date(text: str, ctx: Any = None) -> datetime.date:
    day = _PAST_DATES.get(text)  # a roster repeats the same dates many times
    if day is not None:
        return day
    cell, text = text, (text.strip()[:10] if "T" not in text else text.split("T")[0])
    m = DATE_RE.match(text) or (re.match(r"^(\d{4})(\d{2})(\d{2})$", text))
    if not m:
        raise CellError(_("“%(v)s” is not a date; write it as 2024-03-15.") % {"v": text})
    try:
        day = datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise CellError(_("“%(v)s” is not a real date.") % {"v": text}) from None
    # Most dates are long past: skip the (comparatively slow) local-date lookup for them.
    if day >= _past_bound():
        if day > timezone.localdate():
            raise CellError(_("The date %(v)s is in the future.") % {"v": text})
    else:  # a past date stays past: remember it
        if len(_PAST_DATES) >= 100_000:
            _PAST_DATES.clear()
        _PAST_DATES[cell] = day
    return day


_PAST_DATES: dict[str, datetime.date] = {}  # cell text -> a date surely before today


def _past_bound() -> datetime.date:
    """A day surely not after the local date in any time zone (the system date minus one day; cached for a
    minute, which the one-day margin covers)."""
    minute = int(time.monotonic() // 60)
    if not _PAST_BOUND or _PAST_BOUND[0][0] != minute:
        _PAST_BOUND[:] = [(minute, datetime.date.today() - datetime.timedelta(days=1))]
    return _PAST_BOUND[0][1]


_PAST_BOUND: list[tuple[int, datetime.date]] = []  # (the minute, the bound) once computed


YES = {"是", "y", "yes", "1", "√", "true", "✓"}
NO = {"否", "n", "no", "0", "×", "false", ""}


def parse_bool(text: str, ctx: Any = None) -> bool:
    t = text.strip().lower()
    if t in YES:
        return True
    if t in NO:
        return False
    raise CellError(_("Write 是 or 否 (not “%(v)s”).") % {"v": text})


Parser = Callable[[str, Any], Any]  # (the cell's text, the import's context) -> the value


def choice_parser(choices: type[Choices], aliases: Mapping[str, str] | None = None) -> Parser:
    """A parser accepting a choice's code, its label (in the active language, looked up at parse time:
    the labels are lazy) or one of the usual Chinese words of the national standards (`aliases`)."""
    aliases = aliases or {}

    labels: dict[str | None, dict[str, Any]] = {}  # per language: rendering lazy labels is slow

    def parse(text: str, ctx: Any = None) -> Any:  # the choice's value
        t = text.strip()
        # One import is checked in one language: its context keeps the table (get_language() per cell is slow).
        tables = getattr(ctx, "choice_tables", None)
        table = tables.get(parse) if tables is not None else None
        if table is None:
            language = get_language()
            table = labels.get(language)
            if table is None:  # codes, then labels, then aliases: a later source wins, as when looked up in turn
                by_label = {str(label): value for value, label in choices.choices}
                table = labels[language] = {**{str(v): v for v in choices.values}, **by_label, **aliases}
            if tables is not None:
                tables[parse] = table
        if t in table:
            return table[t]
        by_label = {str(label): value for value, label in choices.choices}
        allowed = list(dict.fromkeys([*aliases, *by_label]))
        raise CellError(_("“%(v)s” is not one of: %(allowed)s.") % {"v": t, "allowed": "、".join(allowed)})

    return parse


def parse_id(text: str, ctx: Any = None) -> IdCardInfo:
    parsed: IdCardInfo | None = getattr(ctx, "parsed_ids", {}).get(text)  # `prepare` has parsed the valid ones
    if parsed is not None:
        return parsed
    try:
        return parse_id_card(text)
    except IdentifierError as e:
        raise CellError(str(e)) from None


def parse_mobile(text: str, ctx: Any = None) -> str:
    try:
        return validate_mobile(text)
    except IdentifierError as e:
        raise CellError(str(e)) from None


def mask_date(text: str) -> str:
    """1990-03-07 → 1990-**-**: the year, as shown beside a masked ID number (the full date is part of it)."""
    head = text[:4] if text[:4].isdigit() else ""
    return head + re.sub(r"[0-9]", "*", text[len(head):])


def parse_text(limit: int) -> Callable[[str, Any], str]:
    def parse(text: str, ctx: Any = None) -> str:
        if len(text) > limit:
            raise CellError(_("At most %(n)d characters.") % {"n": limit})
        return text.strip()

    return parse


