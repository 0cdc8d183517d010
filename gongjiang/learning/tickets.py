"""The signed ticket of an attempt, and the actors of the answer path.

A worker's page gets, with the attempt, a ticket signed with the server's secret (`issue`): the attempt's id, its
person, its deadline and what may be answered at each position (rules.scoring.code). An answer sends it back and is
checked against it (`read`) instead of against the database: the signature proves the server issued it for that
attempt, the deadline and the codes are the server's own. So an answer is one statement (services.attempts.answer),
not a session, a user and an attempt read first: the hot path of a contest opening at 9:00 (docs/BENCHMARKS.md).
The ticket lives as long as the attempt can take answers; whoever holds it may answer for the attempt, as whoever
holds the session may — it is sent only to the attempt's own page, over HTTPS, and never logged in a URL."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing
from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError

SALT = "gongjiang.learning.attempt"


@dataclass(frozen=True)
class Ticket:
    """The bearer of a ticket signed for an attempt: the actor of `services.attempts.answer`."""

    attempt_id: int
    person_id: int
    deadline: float  # seconds since the epoch
    codes: tuple[str, ...]

    is_authenticated = True  # the signature authenticates the bearer for this one attempt
    pk = None

    def code(self, position: int) -> str:
        """The code of `position` (0-based); DomainError when the attempt has no such position."""
        if not 0 <= position < len(self.codes):
            raise DomainError(_("Question %(n)s is not in this attempt.") % {"n": position + 1}, field="position",
                              code="position")
        return self.codes[position]


@dataclass(frozen=True)
class Clock:
    """The timer that submits attempts left running past their deadline (counters.fold): an actor of its own."""

    is_authenticated = True
    pk = None
    person_id = None


CLOCK = Clock()


def issue(attempt_id: int, person_id: int, deadline: datetime.datetime, codes: list[str]) -> str:
    payload = [attempt_id, person_id, round(deadline.timestamp(), 3), ",".join(codes)]
    return signing.dumps(payload, salt=SALT, compress=False)


def read(token: str) -> Ticket:
    """The ticket `token` stands for; DomainError if it was not signed here (forged, cut, of another site)."""
    try:
        attempt_id, person_id, deadline, codes = signing.loads(token or "", salt=SALT)
        return Ticket(int(attempt_id), int(person_id), float(deadline), tuple(codes.split(",")) if codes else ())
    except (signing.BadSignature, ValueError, TypeError):
        raise DomainError(_("This answer sheet is not valid any more: reload the page."), field="ticket",
                          code="ticket") from None
