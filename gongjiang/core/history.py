"""Audit events in words: the one renderer of every timeline (履历) and feed of the site.

`describe(events)` gives each `AuditEvent`
- `summary`: a short sentence about the event, or "" (from the verb's describer, if the app registered one);
- `changes`: `Change(label, before, after)` lines ("字段: 旧值 → 新值"; `before` None for a value set when the
  object was made): the label is the model field's verbose name or the label the app registered for a key that
  is no field (`core.verbs.register_keys`), choices are shown by their labels, dates, numbers (grouped: 50,000),
  money (1,200,000.00 元) and yes/no formatted, lists and mappings summarised, never a Python repr;
- `more`: how many lines were left out — a bulk payload (a month of evaluations, a long list) is summarised,
  never listed in full, so no timeline grows without bound.

Never shown: the keys an app marks `hidden` (a 加密号, a draw's seed, an account id), keys naming ID numbers,
and any key nobody gave a label (so no internal key reaches a page; `tests` check every verb has labels)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import verbs
from .verbs import Key

LIST_ITEMS = 5  # items of a list named before "…等 N 项"
LINES = 8  # change lines of one event shown; the rest are counted in `more`
TEXT_CHARS = 120  # a longer text is cut
EMPTY: tuple[Any, ...] = (None, "", [], {})
# Personal data a timeline never shows, whatever the app registered: the ID number in any form.
NEVER = ("id_number", "id_encrypted", "id_hash", "id_masked", "password", "key_hash", "token")


class Change(NamedTuple):
    """One line of an event: `label: before → after` (`before` None: no earlier value to show)."""

    label: str
    before: str | None
    after: str


@dataclass
class Description:
    """What a describer says of one event: a sentence and/or change lines, and how many lines it left out."""

    summary: str = ""
    changes: list[Change] = field(default_factory=list)
    more: int = 0


# ---------------------------------------------------------------------------------------------
# Values


def number(value: Any, places: int | None = None) -> str:
    """A number with digit grouping (1,200,000.00), whatever the language's own grouping."""
    return formats.number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def money(value: Any) -> str:
    """An amount of yuan: 1,200,000.00 元."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return _("%(amount)s yuan") % {"amount": number(amount, 2)}


def yes_no(value: Any) -> str:
    return _("Yes") if value else _("No")


def listing(items: list[str], limit: int = LIST_ITEMS) -> str:
    """Items joined with 、; beyond `limit`, the first ones and how many there are in all."""
    if len(items) <= limit:
        return "、".join(items)
    return _("%(first)s and others, %(n)s in all") % {"first": "、".join(items[:limit]), "n": number(len(items))}


def text(value: Any, limit: int = TEXT_CHARS) -> str:
    s = str(value)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def day(value: Any) -> str:
    """A date (or the date of an ISO text) as 2026-03-01."""
    found = value if isinstance(value, datetime.date) else parse_date(str(value)[:10])
    return formats.date_format(found, "Y-m-d") if found else text(value)


def count(n: int) -> str:
    """N items, grouped (共 1,200 项)."""
    return _("%(n)s items") % {"n": number(n)}


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


# ---------------------------------------------------------------------------------------------
# One event


class Reader:
    """How one event's keys and values are put in words: the registered `Key` of the verb first, then the field of
    the event's model (or of the `model` a describer names), never the key itself."""

    def __init__(self, event: Any, names: Names) -> None:
        self.event = event
        self.verb: str = event.verb
        self.model = model_of(event)
        self._names = names

    # -- Keys

    def key(self, key: str) -> Key | None:
        return verbs.key_for(self.verb, key)

    def field(self, key: str, model: type[models.Model] | None = None) -> models.Field | None:
        model = model or self.model
        if model is None:
            return None
        try:
            f = model._meta.get_field(key)
        except FieldDoesNotExist:
            return None
        return f if isinstance(f, models.Field) and f.concrete else None

    def hidden(self, key: str) -> bool:
        k = self.key(key)
        return bool(k and k.hidden) or any(word in key for word in NEVER)

    def label(self, key: str, model: type[models.Model] | None = None) -> str | None:
        """The key's label, or None if nobody gave it one (then it is not shown)."""
        k = self.key(key)
        if k is not None and k.label is not None:
            return capfirst(str(k.label))
        f = self.field(key, model)
        if f is not None:
            # A verbose name the model gives is translatable (lazy); one Django made up from the field's name is
            # plain English, never shown.
            if isinstance(f.verbose_name, Promise) or str(f.verbose_name) != f.name.replace("_", " "):
                return capfirst(str(f.verbose_name))
        return None

    # -- Values

    def value(self, key: str, value: Any, model: type[models.Model] | None = None) -> str:
        """The value of `key` in words."""
        if value in EMPTY:
            return "—"
        k = self.key(key)
        if k is not None and k.show is not None:
            return k.show(value)
        f = self.field(key, model)
        choices = _choices(k.choices if k is not None and k.choices is not None else getattr(f, "choices", None))
        if isinstance(value, list):
            return listing([self._scalar(key, v, f, choices) for v in value])
        return self._scalar(key, value, f, choices)

    def _scalar(self, key: str, value: Any, f: models.Field | None, choices: dict[str, str] | None) -> str:
        if value in EMPTY:
            return "—"
        if choices is not None and str(value) in choices:
            return choices[str(value)]
        if isinstance(value, bool):
            return yes_no(value)
        if isinstance(value, dict):
            return self.mapping(value)
        if isinstance(value, list):
            return count(len(value))
        if f is not None:
            shown = self._by_field(f, value)
            if shown is not None:
                return shown
        if isinstance(value, int | float | Decimal) and not _is_year(key):
            return number(value)
        return text(value)

    def _by_field(self, f: models.Field, value: Any) -> str | None:
        if f.is_relation and f.related_model is not None:
            pk = _as_int(value)
            if pk is not None:
                found = self._names.get((f.related_model, pk))
                if found is None:  # a describer's own model: fetched with the others of its kind, then read again
                    self._names.missing[f.related_model].add(pk)
                    return str(pk)
                return found
            return text(value)  # an app that kept the name itself
        if isinstance(f, models.DateTimeField):
            moment = parse_datetime(str(value))
            if moment is not None:
                if timezone.is_aware(moment):
                    moment = timezone.localtime(moment)
                return formats.date_format(moment, "Y-m-d H:i")
        elif isinstance(f, models.DateField):
            day = parse_date(str(value)[:10])
            if day is not None:
                return formats.date_format(day, "Y-m-d")
        elif isinstance(f, models.DecimalField):
            try:
                return number(Decimal(str(value)), f.decimal_places)
            except InvalidOperation:
                return text(value)
        return None

    def mapping(self, data: dict[str, Any]) -> str:
        """A mapping in words when every key has a label ("进度：30；质量：25"), else how many entries it has."""
        labels = {k: self.label(k) for k in data if not self.hidden(k)}
        if not labels or any(v is None for v in labels.values()):
            return count(len(data))
        parts = [f"{labels[k]}：{self.value(k, v)}" for k, v in data.items() if k in labels]
        return "；".join(parts[:LIST_ITEMS]) + ("…" if len(parts) > LIST_ITEMS else "")

    # -- Changes

    def changes(self, before: dict[str, Any], after: dict[str, Any], *, model: type[models.Model] | None = None,
                keys: Iterable[str] | None = None) -> list[Change]:
        """Lines for the keys that changed (all of `after` for a new object: those with a value), labelled; a key
        without a label, or hidden, is left out."""
        if keys is None:
            if before:
                keys = [k for k in after if before.get(k) != after.get(k) or k not in before]
                keys += [k for k in before if k not in after]
            else:
                keys = [k for k in after if not _blank(after[k])]
        lines = []
        for k in keys:
            label = None if self.hidden(k) else self.label(k, model)
            if label is None:
                continue
            old = self.value(k, before[k], model) if k in before else None
            lines.append(Change(label, old, self.value(k, after.get(k), model)))
        return lines


def _blank(value: Any) -> bool:
    """Nothing worth a line when an object is made: empty, no, zero."""
    if value in EMPTY or value is False:
        return True
    try:
        return not isinstance(value, bool) and Decimal(str(value)) == 0
    except (InvalidOperation, ValueError):
        return False


def _is_year(key: str) -> bool:
    return key == "year" or key.endswith("_year")


def _choices(choices: Any) -> dict[str, str] | None:
    if choices is None:
        return None
    if isinstance(choices, dict):
        return {str(k): str(v) for k, v in choices.items()}
    if hasattr(choices, "choices"):  # a Choices class
        choices = choices.choices
    return {str(k): str(v) for k, v in choices}


def model_of(event: Any) -> type[models.Model] | None:
    if not event.content_type_id:
        return None
    return ContentType.objects.get_for_id(event.content_type_id).model_class()


# ---------------------------------------------------------------------------------------------
# Many events


class Names(dict[tuple[type[models.Model], int], str]):
    """The names of rows the events' data point to by id, and those a reader asked for and did not find yet."""

    def __init__(self) -> None:
        super().__init__()
        self.missing: dict[type[models.Model], set[int]] = defaultdict(set)

    def fetch(self, wanted: dict[type[models.Model], set[int]]) -> None:
        """One query per model whatever the number of ids; an id with no row (deleted) keeps its number."""
        for model, pks in wanted.items():
            for obj in model._base_manager.filter(pk__in=pks):
                self[(model, obj.pk)] = str(obj)
            for pk in pks:
                self.setdefault((model, pk), str(pk))


def _related_names(events: list[Any]) -> Names:
    """The names of the rows the events' data point to by id (a unit's industry union, an event's trade): one
    query per related model whatever the number of events."""
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for e in events:
        model = model_of(e)
        if model is None:
            continue
        for data in (e.before or {}, e.after or {}):
            for k, v in data.items():
                try:
                    f = model._meta.get_field(k)
                except FieldDoesNotExist:
                    continue
                pk = _as_int(v)
                if pk is not None and getattr(f, "many_to_one", False) and f.related_model is not None:
                    wanted[f.related_model].add(pk)
    names = Names()
    names.fetch(wanted)
    return names


def describe(events: Iterable[Any], *, lines: int = LINES, brief: bool = False) -> list[Any]:
    """The events, each with `summary`, `changes` (at most `lines`) and `more` (the lines left out). `brief` (a
    feed such as the overview's recent changes): an event with a summary shows the summary alone, and nothing
    says what was left out."""
    events = list(events)
    names = _related_names(events)
    _describe(events, names, lines, brief)
    if names.missing:  # rows of a model a describer names (not the event's own): fetched together, then again
        missing, names.missing = names.missing, defaultdict(set)
        names.fetch(missing)
        _describe(events, names, lines, brief)
    return events


def _describe(events: list[Any], names: Names, lines: int, brief: bool) -> None:
    for e in events:
        reader = Reader(e, names)
        found: Description | None = None
        describer: Callable[..., Description | None] | None = verbs.DESCRIBERS.get(e.verb)
        if describer is not None:
            found = describer(e, reader)
        if found is None:
            found = Description(changes=reader.changes(e.before or {}, e.after or {}))
        e.summary = found.summary
        e.changes = [] if brief and found.summary else found.changes[:lines]
        e.more = 0 if brief else found.more + max(0, len(found.changes) - lines)


def describe_one(event: Any) -> Any:
    return describe([event])[0]


# ---------------------------------------------------------------------------------------------
# Core's own verbs: the keys of their data that are no field of their model


def _notice_kind(key: Any) -> str:
    from .notices.registry import kind_of

    return str(kind_of(str(key)).title)


verbs.register_keys("core.notice", {
    "kind": Key(gettext_lazy("Kind of notice"), show=_notice_kind),
    "starts_on": Key(show=day), "ends_on": Key(show=day),
    "estimated": Key(gettext_lazy("Last day estimated (working-day calendar incomplete)")),
    "open_objections": gettext_lazy("Objections still open"),
    "note": Key(hidden=True),  # the note's id: the note itself is on the objection's page
})
verbs.register_keys("core.import.error_report_downloaded", {"masked": gettext_lazy("ID numbers masked")})
