"""The rules of the workers' technical associations (职工技协): where an association sits in the network, council
terms (届) and seats, activities and their states, honours and dates. Plain data in, plain data out, no ORM.

The network is derived from the union tree, never stored: an association's parent is the nearest association whose
union lies above its own (`network_parent`), so moving a union or founding an association in between re-draws the
network by itself, and scoping and roll-ups reuse the org tree's paths (materialised paths: a prefix is an ancestor).

Council terms: a council has a number (第N届), a first day and a planned last day. Terms never overlap: a new term
must start after the current one has begun (and after every earlier term has ended); starting it closes the current
term the day before, if that term was planned to last longer (换届, early or on time)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

# -- the network


def network_parent(path: str, association_paths: Iterable[str]) -> str | None:
    """The path of the nearest association above `path` (the longest strict prefix among `association_paths`), or
    None for an association with none above it (the province's, or one whose ancestors have none)."""
    best: str | None = None
    for p in association_paths:
        if p != path and path.startswith(p) and (best is None or len(p) > len(best)):
            best = p
    return best


@dataclass(frozen=True)
class Node:
    """One association in the network: its union's path, its parent's (None for a root) and its level in the
    network (0 for a root, 1 below it…), which is not its union's depth (a county may have no association between
    the city's and an enterprise's)."""

    path: str
    parent: str | None
    level: int


def network(paths: Iterable[str]) -> list[Node]:
    """The associations as a tree in pre-order (a parent before its children, siblings in path order): each with
    its network parent and level. Paths not below another in the set are roots (an officer's own association)."""
    ordered = sorted(set(paths))
    nodes: list[Node] = []
    stack: list[str] = []
    for path in ordered:
        while stack and not path.startswith(stack[-1]):
            stack.pop()
        nodes.append(Node(path, stack[-1] if stack else None, len(stack)))
        stack.append(path)
    return nodes


# -- council terms and seats


@dataclass(frozen=True)
class Term:
    """A council's term: its number, first day and (effective) last day."""

    number: int
    starts: datetime.date
    ends: datetime.date


def term_problem(number: int, starts: datetime.date, ends: datetime.date, terms: Sequence[Term]
                 ) -> tuple[str, Term | None] | None:
    """Why a new term (`number`, `starts`–`ends`) cannot follow `terms` (the association's councils, the current one
    last), or None: ("order", None) when it ends before it starts; ("number", the current term) when its number is
    not after the current one's; ("overlap", the term) when it starts on or before the day the current term began,
    or overlaps an earlier term."""
    if ends <= starts:
        return "order", None
    if number < 1:
        return "number", None
    if not terms:
        return None
    current = max(terms, key=lambda t: (t.starts, t.number))
    if number <= max(t.number for t in terms):
        return "number", current
    if starts <= current.starts:
        return "overlap", current
    for t in terms:
        if t is not current and starts <= t.ends and t.starts <= ends:
            return "overlap", t
    return None


def closing_day(current: Term, new_starts: datetime.date) -> datetime.date | None:
    """The day the current term ends when a new one starts on `new_starts`: the day before, if it was planned to
    last longer; None when it has ended already by then."""
    if current.ends >= new_starts:
        return new_starts - datetime.timedelta(days=1)
    return None


CHAIR: Final = "chair"
POSTS: Final = frozenset({CHAIR, "vice_chair", "secretary", "standing", "director"})


def seats_problem(seats: Sequence[tuple[int, str]]) -> str | None:
    """What is wrong with a council's seats (member id, post), or None: "post" (not a post), "twice" (a member in two
    seats), "chairs" (more than one chair), "no_chair" (none)."""
    if any(post not in POSTS for _m, post in seats):
        return "post"
    members = [m for m, _p in seats]
    if len(set(members)) != len(members):
        return "twice"
    chairs = sum(1 for _m, post in seats if post == CHAIR)
    if chairs > 1:
        return "chairs"
    if chairs == 0:
        return "no_chair"
    return None


# -- activities

EXCHANGE: Final = "exchange"
DRILL: Final = "drill"
FOUR_SERVICES: Final = frozenset({"service", "consulting", "development", "transfer"})  # 四技服务
KINDS: Final = frozenset({EXCHANGE, DRILL, *FOUR_SERVICES})

PLANNED: Final = "planned"
HELD: Final = "held"
CLOSED: Final = "closed"
STATES: Final = (PLANNED, HELD, CLOSED)

MONEY_MAX: Final = Decimal("99999999999.99")  # what the value column holds (14 digits, 2 places)
PARTICIPANTS_MAX: Final = 100000


def is_four_services(kind: str) -> bool:
    """技术服务、技术咨询、技术开发、技术转让: the four technical services for enterprises, with a client and a
    contract."""
    return kind in FOUR_SERVICES


def activity_problems(kind: str, client: str, value: Decimal | None, participants: int) -> dict[str, str]:
    """What is wrong with an activity's data, by field: "kind" (unknown), "client" (a four-services contract with
    no client enterprise), "value" ("missing", "negative", "fen": more than two places, "large"), "participants"
    (negative or beyond any hall)."""
    found: dict[str, str] = {}
    if kind not in KINDS:
        found["kind"] = "unknown"
    if is_four_services(kind):
        if not client.strip():
            found["client"] = "missing"
        if value is None:
            found["value"] = "missing"
    if value is not None:
        if value < 0:
            found["value"] = "negative"
        elif value != value.quantize(Decimal("0.01")):
            found["value"] = "fen"
        elif value > MONEY_MAX:
            found["value"] = "large"
    if participants < 0 or participants > PARTICIPANTS_MAX:
        found["participants"] = "range"
    return found


def next_states(kind: str, state: str) -> tuple[str, ...]:
    """Where an activity may go from `state`: planned → held; a four-services contract held → closed."""
    if state == PLANNED:
        return (HELD,)
    if state == HELD and is_four_services(kind):
        return (CLOSED,)
    return ()


def state_problem(kind: str, current: str, target: str) -> str | None:
    """Why `current` → `target` is refused, or None: "unknown", "same", "not_four" (only a four-services contract is
    closed), "order" (anything else out of order: closing a planned one, holding a closed one)."""
    if current not in STATES or target not in STATES:
        return "unknown"
    if target in next_states(kind, current):
        return None
    if current == target:
        return "same"
    if target == CLOSED and not is_four_services(kind):
        return "not_four"
    return "order"


def counts(kind: str, state: str) -> bool:
    """Whether an activity counts in the figures (held or closed: what happened, not what is planned)."""
    return state in (HELD, CLOSED) and kind in KINDS


# -- members, honours, dates

HONOUR_FIRST_YEAR: Final = 1950


def honour_problem(code: str, codes: Iterable[str], year: int, this_year: int) -> str | None:
    """"code" (not in the vocabulary) or "year" (before 1950 or after this year), else None."""
    if code not in set(codes):
        return "code"
    if year < HONOUR_FIRST_YEAR or year > this_year:
        return "year"
    return None


def leaving_problem(joined_on: datetime.date, left_on: datetime.date, today: datetime.date) -> str | None:
    """"before" (leaving before joining), "future" (a day to come), else None."""
    if left_on < joined_on:
        return "before"
    if left_on > today:
        return "future"
    return None


def wan(yuan: Decimal) -> Decimal:
    """万元 to two places, as the reports show money."""
    return (yuan / 10000).quantize(Decimal("0.01"))


def yuan_of_wan(wan_amount: Decimal) -> Decimal:
    """An amount given in 万元 as yuan to the fen (a form's 万元 with up to six places is exact)."""
    return (wan_amount * 10000).quantize(Decimal("0.01"))


def active_at_year_end(flows: Sequence[tuple[int, int, int]], year: int) -> int:
    """The members at the end of `year` from the yearly flows (year, joined, left) of every year: those who joined
    up to that year less those who left. A stock from flows, so it needs no counter of its own."""
    return sum(j - left for y, j, left in flows if y <= year)
