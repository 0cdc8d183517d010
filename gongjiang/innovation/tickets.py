"""The signed submission ticket of a worker's proposal form, and the actor of the phone form's own path.

The submit page (a worker's own account, read once when the page is shown) carries a ticket signed with the server's
secret (`issue`): the account, the worker's record, their unit and its path, their grassroots union and its name, and
the account's language. The phone form's script sends it back with the proposal (`views.worker.send`), and the
submission is checked against it (`read`) instead of against the database: the signature proves the server issued
it to that account, within `MAX_AGE`. So a submission reads nothing before it writes the proposal, its proposer, the
audit event and the receipt in one statement (services.proposals.send_proposal) — the workers' hot path
(docs/BENCHMARKS.md §8). Whoever holds the ticket may submit for its worker, as whoever holds the session may: it is
sent only to the worker's own page, over HTTPS, never in a URL; it expires; and the statement writes nothing if the
account has been switched off since (it checks the account is active as it writes)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.core import signing
from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError

SALT: Final = "gongjiang.innovation.submit"
MAX_AGE: Final = 12 * 3600  # a form left open over a shift still sends


@dataclass(frozen=True)
class Ticket:
    """The bearer of a submission ticket: the actor of `services.proposals.send_proposal`."""

    user_id: int
    person_id: int
    unit_id: int
    unit_path: str
    enterprise_id: int
    enterprise_name: str
    language: str

    is_authenticated = True  # the signature authenticates the bearer as the worker's account

    @property
    def pk(self) -> int:
        return self.user_id


def issue(user_id: int, person_id: int, unit_id: int, unit_path: str, enterprise_id: int, enterprise_name: str,
          language: str = "") -> str:
    payload = [user_id, person_id, unit_id, unit_path, enterprise_id, enterprise_name, language]
    return signing.dumps(payload, salt=SALT, compress=False)


def read(token: str) -> Ticket:
    """The ticket `token` stands for; DomainError if it was not signed here or has expired."""
    try:
        user_id, person_id, unit_id, unit_path, enterprise_id, name, language = signing.loads(
            token or "", salt=SALT, max_age=MAX_AGE)
        return Ticket(int(user_id), int(person_id), int(unit_id), str(unit_path), int(enterprise_id), str(name),
                      str(language))
    except signing.SignatureExpired:
        raise DomainError(_("The form has been open too long: reload the page and send it again."), field="ticket",
                          code="ticket") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise DomainError(_("This form is not valid any more: reload the page."), field="ticket",
                          code="ticket") from None
