"""Audit verbs in words for timelines (履历) and the overview's recent changes: core's own labels here; every app
registers its own from its AppConfig.ready (`register_verbs(app.verbs.VERBS)`), so core names no domain verb.

Beside the labels, what `core.history` needs to put an event's before/after data in words:

- `register_keys(prefix, {key: label or Key(...)})`: the labels (and choices, formatter, or "never shown") of the
  keys of the verbs starting with `prefix` that are no field of the event's model — `{"competitions.labour":
  {"progress": 进度}}` — or that need another look than the field's (a birth date shown as its year);
- `register_describers({verb: describe})`: a function putting the payload of one verb in words itself
  (`describe(event, reader) -> history.Description`), for payloads that are not field snapshots (a bulk of
  evaluations, a draw record, sheets with a 加密号)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

VERBS: dict[str, Any] = {
    "core.import.error_report_downloaded": _("Import error report downloaded"),
    "core.notice.published": _("Put on public notice"),
    "core.notice.closed": _("Public notice ended"),
    "core.notice.objection_filed": _("Objection received"),
    "core.notice.objector_read": _("Objector's name and contact read"),
    "core.notice.objection_noted": _("Investigation note added"),
    "core.notice.objection_decided": _("Objection decided"),
    "core.certificate.issued": _("Certificate issued"),
    "core.certificate.revoked": _("Certificate revoked"),
}


@dataclass(frozen=True)
class Key:
    """How a key of an event's before/after data is shown: its `label` (None: the model field's verbose name),
    `choices` (a Choices class or a {code: label} dict, applied to each item of a list), `show` (value -> text,
    e.g. a birth date as its year, an amount as money), or `hidden` (never shown: a 加密号, a seed, an id)."""

    label: Any = None
    choices: Any = None
    show: Callable[[Any], str] | None = None
    hidden: bool = False


KEYS: dict[str, dict[str, Key]] = {}
DESCRIBERS: dict[str, Callable[..., Any]] = {}


def register_verbs(verbs: dict[str, Any], *, keys: dict[str, dict[str, Any]] | None = None,
                   describers: dict[str, Callable[..., Any]] | None = None) -> None:
    """Add an app's labels ({verb: lazy label}; a verb without one is shown as it is written), and optionally the
    keys of its data ({verb prefix: {key: label or Key}}, `register_keys`) and its describers."""
    VERBS.update(verbs)
    for prefix, found in (keys or {}).items():
        register_keys(prefix, found)
    register_describers(describers or {})


def register_keys(prefix: str, keys: dict[str, Any]) -> None:
    """Labels (or `Key`s) of the data keys of the verbs starting with `prefix` ("" for every verb); the longest
    matching prefix wins, then the event's model field."""
    KEYS.setdefault(prefix, {}).update({k: v if isinstance(v, Key) else Key(label=v) for k, v in keys.items()})


def register_describers(describers: dict[str, Callable[..., Any]]) -> None:
    """Functions putting one verb's before/after in words (`describe(event, reader) -> history.Description`)."""
    DESCRIBERS.update(describers)


def verb_label(verb: str) -> str:
    return str(VERBS.get(verb, verb))


def key_for(verb: str, key: str) -> Key | None:
    """The registered `Key` of `key` for `verb`: the one of the longest prefix of the verb that names it."""
    parts = verb.split(".")
    for n in range(len(parts), -1, -1):
        found = KEYS.get(".".join(parts[:n]), {}).get(key)
        if found is not None:
            return found
    return None
