"""Pure checks of training sessions and mentor pairs: plain values in, {field: message} out (empty when right),
so the services, the forms and the import say the same thing."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_HOURS = Decimal("999.9")  # the field's range: a year of evening classes, not a typo of 10000


def session_problems(starts_on: datetime.date | None, ends_on: datetime.date | None,
                     hours: Decimal | None) -> dict[str, str]:
    """A session's dates and hours per attendee: an end before the start, no hours, more hours than its days hold."""
    errors: dict[str, str] = {}
    if starts_on is None:
        errors["starts_on"] = _("Give the first day of the session.")
    if ends_on is None:
        errors["ends_on"] = _("Give the last day of the session.")
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The session cannot end (%(end)s) before it starts (%(start)s).") % {
            "end": ends_on.isoformat(), "start": starts_on.isoformat()}
    problem = hours_problem(hours)
    if problem:
        errors["hours"] = problem
    elif starts_on is not None and ends_on is not None and ends_on >= starts_on and hours is not None:
        days = (ends_on - starts_on).days + 1
        if hours > days * 24:
            errors["hours"] = _("%(hours)s hours do not fit in %(days)d days.") % {"hours": hours, "days": days}
    return errors


def hours_problem(hours: Decimal | None) -> str:
    """Hours credited: more than nothing, at most MAX_HOURS, one decimal at most."""
    if hours is None:
        return _("Give the hours.")
    if hours <= 0:
        return _("The hours must be more than 0.")
    if hours > MAX_HOURS:
        return _("At most %(max)s hours.") % {"max": MAX_HOURS}
    if hours != hours.quantize(Decimal("0.1")):
        return _("Hours take at most one decimal (e.g. 1.5).")
    return ""


def parse_hours(text: str) -> Decimal:
    """A cell or a field's hours ("8", "1.5", "2.0"); ValueError with the message when it is not a number of
    hours."""
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(_("Write the hours as a number (e.g. 8 or 1.5), not “%(v)s”.") % {"v": text}) from None
    if not value.is_finite():
        raise ValueError(_("Write the hours as a number (e.g. 8 or 1.5), not “%(v)s”.") % {"v": text})
    problem = hours_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def pair_problems(mentor_id: int | None, apprentice_id: int | None, starts_on: datetime.date | None,
                  ends_on: datetime.date | None) -> dict[str, str]:
    """A new pair: two different people, a start, an agreed end not before it."""
    errors: dict[str, str] = {}
    if mentor_id is None:
        errors["mentor"] = _("Choose the mentor.")
    if apprentice_id is None:
        errors["apprentice"] = _("Choose the apprentice.")
    if mentor_id is not None and mentor_id == apprentice_id:
        errors["apprentice"] = _("The mentor and the apprentice must be two different people.")
    if starts_on is None:
        errors["starts_on"] = _("Give the day the pairing starts.")
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The agreed end (%(end)s) cannot come before the start (%(start)s).") % {
            "end": ends_on.isoformat(), "start": starts_on.isoformat()}
    return errors


def close_problems(starts_on: datetime.date, on: datetime.date | None, today: datetime.date) -> dict[str, str]:
    """The day a pair is finished or ended: given, not before its start, not in the future."""
    if on is None:
        return {"on": _("Give the day the pairing ended.")}
    if on < starts_on:
        return {"on": _("The pairing cannot end (%(end)s) before it started (%(start)s).") % {
            "end": on.isoformat(), "start": starts_on.isoformat()}}
    if on > today:
        return {"on": _("The day cannot be in the future.")}
    return {}


def person_hours(hours: list[Decimal]) -> Decimal:
    """The person-hours of a session: the sum of its attendees' hours."""
    return sum(hours, Decimal(0))
