"""Reads of the 6·18 exhibition shared by the pages, the API and the verbs: the exhibitions a user sees, the counts
of the organiser's page, the catalogue of offers and needs with its filters, the suggested matches (computed by
`rules.matching` over the accepted catalogue), the matches of a scope, the slot grid, and who may read a contact's
phone (the organiser, the contact's own union, and the other side of a match once a meeting was accepted)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gongjiang.core.scoping import scope_for
from gongjiang.core.types import Actor
from gongjiang.orgs import facts
from gongjiang.orgs.models import Org, Period

from .. import metrics
from ..choices import EntryState, MatchState, MeetingState
from ..models import Exhibition, Match, Meeting, Need, Offer, Suggestion
from ..rules import matching

LIVE = (MeetingState.REQUESTED, MeetingState.ACCEPTED)


def exhibitions(user: Actor) -> QuerySet[Exhibition]:
    """The exhibitions the user sees (organised in or above their scope), newest first."""
    return Exhibition.objects.for_user(user, "view").select_related("organiser").order_by("-starts_on", "-id")


def exhibition_for(user: Actor, pk: int) -> Exhibition | None:
    return exhibitions(user).filter(pk=pk).first()


@dataclass
class Counts:
    """The organiser's figures of one exhibition (two GROUP BYs and one sum)."""

    offers: dict[str, int] = field(default_factory=dict)
    needs: dict[str, int] = field(default_factory=dict)
    matches: dict[str, int] = field(default_factory=dict)
    signed_value: Any = 0
    meetings: int = 0

    @property
    def signed(self) -> int:
        return self.matches.get(MatchState.SIGNED, 0) + self.matches.get(MatchState.IMPLEMENTED, 0)


def counts(exhibition: Exhibition) -> Counts:
    c = Counts()
    c.offers = dict(Offer.objects.filter(exhibition=exhibition).values_list("state").annotate(n=Count("pk"))
                    .order_by())
    c.needs = dict(Need.objects.filter(exhibition=exhibition).values_list("state").annotate(n=Count("pk"))
                   .order_by())
    rows = list(Match.objects.filter(exhibition=exhibition).values_list("state").annotate(
        n=Count("pk"), value=Sum("contract_value")).order_by())
    c.matches = {s: n for s, n, _v in rows}
    c.signed_value = sum((v or 0) for _s, _n, v in rows)
    c.meetings = Meeting.objects.filter(exhibition=exhibition, state=MeetingState.ACCEPTED).count()
    return c


@dataclass(frozen=True)
class EntryFilters:
    """The catalogue's filters (all optional)."""

    q: str = ""
    category: str = ""
    state: str = ""
    mode: str = ""
    mine: bool = False


def offers(user: Actor, exhibition: Exhibition, f: EntryFilters) -> QuerySet[Offer]:
    """The offers of the exhibition the user sees (the organiser: all; a union: its own), filtered, not ordered."""
    qs = (Offer.objects.for_user(user, "view").filter(exhibition=exhibition)
          .select_related("exhibition", "org", "contact", "project"))
    if f.mode:
        qs = qs.filter(mode=f.mode)
    return _filter(user, qs, f)


def needs(user: Actor, exhibition: Exhibition, f: EntryFilters) -> QuerySet[Need]:
    qs = (Need.objects.for_user(user, "view").filter(exhibition=exhibition)
          .select_related("exhibition", "org", "contact"))
    return _filter(user, qs, f)


Q_ = TypeVar("Q_", bound=QuerySet[Any])


def _filter(user: Actor, qs: Q_, f: EntryFilters) -> Q_:
    if f.q:
        qs = qs.filter(Q(title__contains=f.q.strip()) | Q(org__name__contains=f.q.strip()))
    if f.category:
        qs = qs.filter(category=f.category)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.mine:
        qs = scope_for(user, "change").apply(qs, "org__")
    return qs


def published(user: Actor, model: type[Offer] | type[Need]) -> QuerySet[Any]:
    """The published catalogue: the accepted offers (or needs) of the exhibitions the user sees — their title,
    summary, category, mode, price and enterprise are what the exhibition publishes (pages show no contact)."""
    return model.objects.filter(state=EntryState.ACCEPTED,
                                exhibition__in=Exhibition.objects.for_user(user, "view").values("pk"))


def entry_item(entry: Offer | Need) -> matching.Item[int]:
    """An offer or a need as the matching rule sees it."""
    text = entry.summary if isinstance(entry, Offer) else entry.description
    return matching.Item(entry.pk, entry.org_id, entry.category, entry.title, text)


@dataclass(frozen=True)
class Suggested:
    """A suggested pair with both entries (their published fields) and the explanation."""

    offer: Offer
    need: Need
    score: float
    same_category: bool
    words: tuple[str, ...]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def suggestions(user: Actor, exhibition: Exhibition, *, offer: Offer | None = None, need: Need | None = None,
                limit: int | None = None) -> list[Suggested]:
    """The suggested matches of the exhibition's accepted catalogue that are not matched yet, best first: all of them
    for the organiser, those of the user's own entries for a union (or those of one `offer` or `need`). Read from
    the stored rows (`innovation.suggestions`, kept by the verbs): one query, whatever the catalogue's size."""
    qs = (Suggestion.objects.filter(exhibition=exhibition).select_related("offer__org", "need__org")
          .order_by("rank"))
    if offer is not None:
        qs = qs.filter(offer=offer)
    if need is not None:
        qs = qs.filter(need=need)
    if not exhibition.can_run(user) and offer is None and need is None:
        qs = scope_for(user, "change").apply(qs, "offer__org__", "need__org__")
    if limit is not None:
        qs = qs[:limit]
    return [Suggested(s.offer, s.need, s.score, s.same_category, tuple(s.words)) for s in qs]


@dataclass(frozen=True)
class MatchFilters:
    state: str = ""
    q: str = ""


def matches(user: Actor, exhibition: Exhibition | None, f: MatchFilters) -> QuerySet[Match]:
    """The matches the user sees (either side's union or the organiser), filtered, not ordered."""
    qs = Match.objects.for_user(user, "view").select_related("offer__org", "need__org", "exhibition")
    if exhibition is not None:
        qs = qs.filter(exhibition=exhibition)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.q:
        text = f.q.strip()
        qs = qs.filter(Q(offer__title__contains=text) | Q(need__title__contains=text)
                       | Q(offer__org__name__contains=text) | Q(need__org__name__contains=text))
    return qs


def match_detail(user: Actor, pk: int) -> Match | None:
    return (Match.objects.for_user(user, "view")
            .select_related("exhibition__organiser", "offer__org", "offer__contact", "need__org", "need__contact",
                            "offer__project", "created_by")
            .filter(pk=pk).first())


def meetings_of(match: Match) -> list[Meeting]:
    return list(Meeting.objects.filter(match=match).order_by("starts_at", "table"))


def meetings_asked(user: Actor, exhibition: Exhibition) -> list[Meeting]:
    """The meeting requests still unanswered on the matches of the user's change scope (one query); the page keeps
    those the other side asked for."""
    mine = Match.objects.for_user(user, "change").filter(exhibition=exhibition).values("pk")
    return list(Meeting.objects.filter(match__in=mine, state=MeetingState.REQUESTED)
                .select_related("match__offer__org", "match__need__org").order_by("starts_at", "table"))


def contact_visible(user: Actor, match: Match, side: str, meetings: list[Meeting]) -> bool:
    """Whether `user` may read the phone of `side`'s contact on this match: the organiser, that side's own union,
    and the other side once a meeting of the match was accepted (a meeting cancelled after it was accepted too: the
    phone was shown then)."""
    if match.exhibition.can_run(user):
        return True
    own = match.side(user)
    if own == side or (match.offer.org if side == "offer" else match.need.org).in_scope(user, "change"):
        return True
    return bool(own) and any(m.state in (MeetingState.ACCEPTED, MeetingState.CANCELLED) for m in meetings)


@dataclass
class Grid:
    """The slot grid: per day, per slot start, the meetings in it (live ones) and the tables left."""

    tables: int
    days: list[tuple[datetime.date, list[tuple[datetime.datetime, list[Meeting], int]]]]


def slot_grid(user: Actor, exhibition: Exhibition) -> Grid:
    """Every slot of the exhibition with its live meetings (those the user may see; the organiser sees all) and
    how many tables are free (two queries)."""
    live = list(Meeting.objects.filter(exhibition=exhibition, state__in=LIVE)
                .select_related("match__offer__org", "match__need__org"))
    visible = set(Match.objects.for_user(user, "view").filter(exhibition=exhibition).values_list("pk", flat=True))
    per_slot: dict[datetime.datetime, list[Meeting]] = {}
    taken: Counter[datetime.datetime] = Counter()
    for m in live:
        taken[m.starts_at] += 1
        if m.match_id in visible:
            per_slot.setdefault(m.starts_at, []).append(m)
    days: dict[datetime.date, list[tuple[datetime.datetime, list[Meeting], int]]] = {}
    for at in exhibition.slots():
        days.setdefault(timezone.localtime(at).date(), []).append(
            (at, per_slot.get(at, []), exhibition.tables - taken[at]))
    return Grid(exhibition.tables, list(days.items()))


def free_slots(exhibition: Exhibition, match: Match) -> list[datetime.datetime]:
    """The slots in which a table is free and neither union of `match` has a meeting (two queries)."""
    live = list(Meeting.objects.filter(exhibition=exhibition, state__in=LIVE)
                .values_list("starts_at", "match__offer__org_id", "match__need__org_id"))
    parties = {match.offer.org_id, match.need.org_id}
    busy = {at for at, a, b in live if {a, b} & parties}
    taken: Counter[datetime.datetime] = Counter(at for at, _a, _b in live)
    return [at for at in exhibition.slots() if at not in busy and taken[at] < exhibition.tables]


def exhibition_orgs(user: Actor, exhibition: Exhibition, limit: int = 200) -> QuerySet[Org]:
    """The enterprises' unions in the exhibition's reach where the user may enter offers and needs."""
    ids = list(Org.objects.for_user(user, "change").filter(kind="grassroots", is_active=True)
               .filter(Q(path__startswith=exhibition.organiser.path)
                       | Q(industry_path__startswith=exhibition.organiser.path))
               .order_by("path").values_list("pk", flat=True)[:limit])
    return Org.objects.filter(pk__in=ids).order_by("path")


def signed_figures(org: Org, year: int) -> tuple[int, Any]:
    """The matches signed in `year` in `org`'s reach and their contract value (yuan), from the fact store."""
    found = facts.values([org.pk], [metrics.MATCHES_SIGNED, metrics.SIGNED_VALUE], Period.YEAR,
                         datetime.date(year, 1, 1))
    return int(found.get((org.pk, metrics.MATCHES_SIGNED), 0)), found.get((org.pk, metrics.SIGNED_VALUE), 0)
