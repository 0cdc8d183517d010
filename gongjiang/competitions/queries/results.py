"""Reads of results: an event's prize rule as the rules see it, a round's ranking as the rules see it, its theory
score table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from ..choices import EntryStatus
from ..models import Entry, Round
from ..rules import marking, ranking

DEFAULT_PRIZE_RULE: dict[str, Any] = {"bands": [{"prize": "first", "percent": 10}, {"prize": "second", "percent": 20},
                                                {"prize": "third", "percent": 30}]}


def prize_rule(event: Any) -> ranking.PrizeRule:
    """The rules' prize rule of an event (its `prize_rule`, or the default 10/20/30 % bands), in hundredths."""
    data = event.prize_rule or DEFAULT_PRIZE_RULE
    bands = tuple(ranking.Band(b["prize"], percent=b.get("percent"), count=b.get("count"))
                  for b in data.get("bands", []))

    def points(v: Any) -> int | None:
        return None if v in (None, "") else marking.to_hundredths(Decimal(str(v)))

    return ranking.PrizeRule(bands=bands, merit_from=points(data.get("merit_from")),
                             min_total=points(data.get("min_total")))


def placed_entries(rnd: Round) -> list[ranking.Placed]:
    """The round's ranking as the rules see it (for re-check selection and advancement)."""
    rows = Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).values_list("pk", "place", "total")
    placed = [ranking.Placed(id=pk, place=place, total=total) for pk, place, total in rows]
    return sorted(placed, key=lambda p: (p.place is None, p.place or 0, p.id))


def theory_sheet(rnd: Round) -> QuerySet[Entry]:
    """The round's theory score table: its checked-in entries with person and unit, by contestant number (typed a
    page at a time; the scores themselves are `Entry.theory`, in hundredths)."""
    return (Entry.objects.filter(round=rnd, status=EntryStatus.CHECKED_IN).select_related("person", "unit")
            .order_by("contestant_no", "pk"))
