"""Finding people: ONE search behaviour for every box that looks for a worker — the people list (page and API
`q`), the header's site search, the transfers list, the accounts list, competitions' registration desk and a
round's entries and check-in.

What a cadre types, and what it finds:

- a name, or any part of it (`王`, `建国`, `王建国`): the name contains it;
- four characters, digits with perhaps a final X (`1234`, `123X`): the ID number ends with them — the part
  every list shows (`**************1234`) — or the mobile number does;
- more digits (5–10): the mobile number ends with them; a whole mobile number (11 digits) is found exactly;
- a whole ID number (18 characters): exactly that person, through the keyed hash — nothing is decrypted. An
  18-character number that is not a valid ID number finds nobody, and `search_problem` says why.

Cost on 2,000,000 people (docs/BENCHMARKS.md): a whole ID number or mobile number is one indexed look-up; a name
part and a tail are `LIKE '%…'`, which no B-tree index serves, so callers keep them inside the user's scope and
bounded — a page of rows walking the list's own order (the common names fill it at once) and a capped count
(`COUNT_CAP`). The API keeps its `name` filter for integrations: a name's beginning, which the name index serves.
"""

from __future__ import annotations

import re
from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gongjiang.core.crypto import lookup_hash
from gongjiang.core.ids import IdentifierError, parse_id_card

from .. import rules
from ..choices import OrgKind
from ..models import Org
from ..scoping import ancestors

FULL_ID = re.compile(r"^[0-9]{17}[0-9X]$")
ID_TAIL = re.compile(r"^[0-9]{3}[0-9X]$")
MOBILE = re.compile(r"^1[0-9]{10}$")
QS = TypeVar("QS", bound=QuerySet[Any])
MOBILE_TAIL = re.compile(r"^[0-9]{4,10}$")
NUMBERISH = re.compile(r"^[0-9X]+$")

# Above this many matches a search stops counting ("more than 10,000"): a name part cannot use an index, and
# counting every match of a common surname in a province only to print the number is not worth a full scan.
COUNT_CAP = 10_000

__all__ = ["COUNT_CAP", "people_matching", "people_q", "search_problem", "with_unit_paths"]


def _clean(text: str | None) -> str:
    """The typed text without surrounding spaces; a number also without the spaces and dashes people type
    inside it (`139 1234 5678`, `1391234-5678`), upper-case (a final x of an ID number)."""
    q = (text or "").strip()[:40]
    squeezed = re.sub(r"[\s-]", "", q).upper()
    return squeezed if NUMBERISH.match(squeezed) else q


def people_q(text: str | None, prefix: str = "", *, name: str = "name", mobile: str = "mobile",
             ids: bool = True) -> Q:
    """The condition "this person matches the search `text`" on a Person relation (`prefix` "person__" for an
    entry, a transfer or an account); matches nothing for an empty or unusable text (fail closed). `name`,
    `mobile` and `ids` adapt it to a row that has a name and a mobile number of its own but no ID number (an
    account: `people_q(q, name="full_name", mobile="phone", ids=False)`)."""
    q = _clean(text)
    nothing = Q(pk__in=[])
    if not q:
        return nothing

    def on(field: str, lookup: str = "") -> str:
        return f"{prefix}{field}{lookup}"

    if not NUMBERISH.match(q):
        return Q(**{on(name, "__contains"): q})
    if FULL_ID.match(q):
        if not ids:
            return nothing
        try:
            number = parse_id_card(q).number
        except IdentifierError:
            return nothing
        return Q(**{on("id_hash"): lookup_hash(number)})
    if MOBILE.match(q):
        return Q(**{on(mobile): q})
    terms = []
    if ids and ID_TAIL.match(q):
        terms.append(Q(**{on("id_masked", "__endswith"): q}))
    if MOBILE_TAIL.match(q):
        terms.append(Q(**{on(mobile, "__endswith"): q}))
    return reduce(or_, terms) if terms else nothing


def people_matching(qs: QS, text: str | None, prefix: str = "") -> QS:
    """`qs` (people, or rows with a person through `prefix`) narrowed to the search `text`; none when the text
    is empty. The caller has already scoped `qs` to the user."""
    return qs.filter(people_q(text, prefix))


def search_problem(text: str | None) -> str:
    """Why the search `text` finds nobody whatever the data ('' when it may find someone): an 18-character
    number that is not a valid ID number (a mistyped digit), or digits that are neither the last four of an ID
    number nor part of a mobile number."""
    q = _clean(text)
    if not q or not NUMBERISH.match(q):
        return ""
    if len(q) == 18 or (len(q) > 11 and not FULL_ID.match(q)):
        try:
            parse_id_card(q)
        except IdentifierError as e:
            return str(e)
        return ""
    if not (ID_TAIL.match(q) or MOBILE_TAIL.match(q) or MOBILE.match(q)):
        return _("Type the last four characters of the ID number, part of the mobile number, the whole ID "
                 "number or the whole mobile number.")
    return ""


def with_unit_paths(people: list[Any]) -> None:
    """Set `unit_path` on each person (their `employer` selected): the units from their grassroots union down to
    their own unit (济南钢铁集团有限公司工会 › 炼钢车间 › 炼钢一班), so a list says which 炼钢一班 it is. ONE
    query for a whole page: the ancestors of every employer that are grassroots unions, departments or teams."""
    wanted = {a for p in people for a in ancestors(p.employer.path, include_self=False)}
    found = ({o.path: o for o in Org.objects.filter(path__in=wanted, kind__in=rules.EMPLOYER_KINDS)
              .only("pk", "path", "name", "short_name", "kind")} if wanted else {})
    for p in people:
        chain = [found[a] for a in ancestors(p.employer.path, include_self=False) if a in found] + [p.employer]
        start = max((i for i, o in enumerate(chain) if o.kind == OrgKind.GRASSROOTS), default=0)
        p.unit_path = chain[start:]
