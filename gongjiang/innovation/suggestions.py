"""The suggested matches of an exhibition, kept as rows (`Suggestion`) like the figures are kept as counters: the
verbs that change what they are computed from — an entry accepted into the catalogue (`check_offer`, `check_need`),
a match made (`confirm_match`, `request_match`: a matched pair is suggested no more and its entries' next best take
its place) — call `refresh` inside their transaction, which scores the accepted catalogue once (`rules.matching`,
three reads) and replaces the exhibition's rows. The pages and the API read the rows (`queries.suggestions`, one
query), so a page view never scores the catalogue. Nothing else changes the inputs: an accepted entry is never
edited (only a returned one is, and it is not in the catalogue), a match is never deleted."""

from __future__ import annotations

from .choices import EntryState
from .models import Exhibition, Match, Need, Offer, Suggestion
from .queries.exhibition import entry_item
from .rules import matching


def compute(exhibition: Exhibition) -> list[Suggestion]:
    """The exhibition's suggestions as unsaved rows, best first (three queries)."""
    offers = list(Offer.objects.filter(exhibition=exhibition, state=EntryState.ACCEPTED).order_by("pk"))
    needs = list(Need.objects.filter(exhibition=exhibition, state=EntryState.ACCEPTED).order_by("pk"))
    matched = set(Match.objects.filter(exhibition=exhibition).values_list("offer_id", "need_id"))
    found = matching.suggest([entry_item(o) for o in offers], [entry_item(n) for n in needs], exclude=matched)
    return [Suggestion(exhibition=exhibition, offer_id=s.offer, need_id=s.need, rank=i, score=s.score,
                       same_category=s.same_category, words=list(s.words)) for i, s in enumerate(found)]


def refresh(exhibition: Exhibition) -> int:
    """Replace the exhibition's stored suggestions with what the catalogue gives now; how many there are."""
    rows = compute(exhibition)
    Suggestion.objects.filter(exhibition=exhibition).delete()
    Suggestion.objects.bulk_create(rows)
    return len(rows)
