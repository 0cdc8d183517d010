"""The pure rules of data requests (报表): what an indicator of the form is, reading a figure a lower union typed (a
number, with no more decimals than the indicator allows, not negative unless it can be), checking a form as a whole,
and the completeness of a request (DHIS2's reporting rate: reported / expected, and how many on time).

Messages name the indicator by its place and label, so that a cadre finds the field at once."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.utils.translation import gettext as _

MAX_INDICATORS: Final = 40
MAX_PLACES: Final = 4
MAX_DIGITS: Final = 16  # digits before the decimal point: 10^16 yuan is more than any union's figure
LABEL_MAX: Final = 60
UNIT_MAX: Final = 12
_GROUPING = re.compile(r"[,，\s]")


@dataclass(frozen=True)
class Indicator:
    """One indicator of a request's form: its key (the metric's key, or c1, c2… for a figure only the lower union
    knows), label, unit, decimals allowed, whether it may be negative, and the fact-store metric it is prefilled
    from ("" if none)."""

    key: str
    label: str
    unit: str = ""
    places: int = 0
    negative: bool = False
    metric: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "unit": self.unit, "places": self.places,
                "negative": self.negative, "metric": self.metric}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Indicator:
        return cls(str(data["key"]), str(data["label"]), str(data.get("unit", "")), int(data.get("places", 0)),
                   bool(data.get("negative", False)), str(data.get("metric", "")))


def name(place: int, indicator: Indicator) -> str:
    """How a message names an indicator: 第3项「参赛职工人次」."""
    return _("item %(n)s “%(label)s”") % {"n": place, "label": indicator.label}


def read_figure(indicator: Indicator, raw: Any, place: int) -> tuple[Decimal | None, str]:
    """The figure typed for `indicator` (the `place`-th of the form): (value, "") or (None, the reason in the user's
    language). An empty answer is (None, "") — not yet filled. Thousands separators (1,234 or 1，234) are accepted."""
    text = _GROUPING.sub("", str(raw if raw is not None else "")).strip()
    if not text:
        return None, ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, _("%(item)s: write a number, not “%(text)s”.") % {"item": name(place, indicator),
                                                                       "text": str(raw)[:20]}
    if not value.is_finite():
        return None, _("%(item)s: write a number, not “%(text)s”.") % {"item": name(place, indicator),
                                                                       "text": str(raw)[:20]}
    if value < 0 and not indicator.negative:
        return None, _("%(item)s cannot be negative.") % {"item": name(place, indicator)}
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > indicator.places:
        if indicator.places == 0:
            return None, _("%(item)s is a whole number.") % {"item": name(place, indicator)}
        return None, _("%(item)s has at most %(p)s decimals.") % {"item": name(place, indicator),
                                                                  "p": indicator.places}
    if abs(value) >= Decimal(10) ** MAX_DIGITS:
        return None, _("%(item)s is too large to be true.") % {"item": name(place, indicator)}
    return value, ""


def read_figures(indicators: Sequence[Indicator], raw: Mapping[str, Any], *,
                 complete: bool) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Read a whole return: ({key: figure as a string}, [(key, message)…] for every problem at once). With `complete`
    (reporting), every indicator must have a figure."""
    values: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for place, ind in enumerate(indicators, 1):
        value, message = read_figure(ind, raw.get(ind.key), place)
        if message:
            problems.append((ind.key, message))
        elif value is None:
            if complete:
                problems.append((ind.key, _("%(item)s: fill in the figure (0 if there is none).")
                                 % {"item": name(place, ind)}))
        else:
            values[ind.key] = str(value)
    return values, problems


def check_form(indicators: Sequence[Mapping[str, Any]],
               metrics: Mapping[str, tuple[str, str, int]]) -> tuple[list[Indicator], list[str]]:
    """A request's form as given (from the page or the API): [{"metric": key} or {"label", "unit", "places",
    "negative"}…] → (indicators, every problem at once). A metric's indicator takes the metric's label, unit and
    decimals as reports show them (`metrics`: key → (label, unit, places)); custom indicators are keyed c1, c2…"""
    problems: list[str] = []
    found: list[Indicator] = []
    if not indicators:
        return [], [_("Choose at least one indicator.")]
    if len(indicators) > MAX_INDICATORS:
        problems.append(_("A request has at most %(n)s indicators.") % {"n": MAX_INDICATORS})
    seen: set[str] = set()
    custom = 0
    for place, data in enumerate(indicators, 1):
        metric = str(data.get("metric") or "").strip()
        if metric:
            m = metrics.get(metric)
            if m is None:
                problems.append(_("Indicator %(n)s: the platform has no metric “%(m)s”.") % {"n": place,
                                                                                           "m": metric[:48]})
                continue
            ind = Indicator(metric, m[0], m[1], m[2], False, metric)
        else:
            label = str(data.get("label") or "").strip()
            unit = str(data.get("unit") or "").strip()
            try:
                places = int(data.get("places") or 0)
            except (TypeError, ValueError):
                places = -1
            if not label or len(label) > LABEL_MAX:
                problems.append(_("Indicator %(n)s: give a name of at most %(m)s characters.") % {"n": place,
                                                                                                 "m": LABEL_MAX})
                continue
            if len(unit) > UNIT_MAX:
                problems.append(_("Indicator %(n)s: the unit has at most %(m)s characters.") % {"n": place,
                                                                                               "m": UNIT_MAX})
                continue
            if not 0 <= places <= MAX_PLACES:
                problems.append(_("Indicator %(n)s: decimals are 0 to %(m)s.") % {"n": place, "m": MAX_PLACES})
                continue
            custom += 1
            ind = Indicator(f"c{custom}", label, unit, places, bool(data.get("negative")), "")
        if ind.label in seen:
            problems.append(_("Indicator %(n)s: “%(label)s” is asked twice.") % {"n": place, "label": ind.label})
            continue
        seen.add(ind.label)
        found.append(ind)
    return found, problems


@dataclass(frozen=True)
class Completeness:
    """Who has reported: expected returns, reported, reported on time, and the rates (percent, one decimal)."""

    expected: int
    reported: int
    on_time: int
    returned: int

    @property
    def rate(self) -> Decimal:
        return _percent(self.reported, self.expected)

    @property
    def on_time_rate(self) -> Decimal:
        return _percent(self.on_time, self.expected)

    @property
    def missing(self) -> int:
        return self.expected - self.reported


def _percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"))


def completeness(returns: Iterable[tuple[str, datetime.date | None]], due: datetime.date) -> Completeness:
    """From each return's (state, day reported or None): the request's completeness by `due` (a return reported on
    the due day is on time)."""
    expected = reported = on_time = returned = 0
    for state, day in returns:
        expected += 1
        if state == "submitted":
            reported += 1
            if day is not None and day <= due:
                on_time += 1
        elif state == "returned":
            returned += 1
    return Completeness(expected, reported, on_time, returned)
