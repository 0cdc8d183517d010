"""Suggested matches between the achievements offered at an exhibition (成果供给) and the enterprises' technical needs
(技术需求): each pair is scored by category and by how much of their Chinese text they share, with
`rules.similarity`'s character bigrams (stop bigrams left out), and explained by the shared category and the words
they have in common.

    score = CATEGORY_WEIGHT × (same category) + TEXT_WEIGHT × text similarity

where the text similarity is the higher of the titles' Jaccard index and the whole texts' (title and summary), as for
near-duplicate proposals. A pair of the same enterprise is never suggested (it needs no exhibition), nor a pair
already matched. `suggest` keeps, for every need, its best `k` offers and, for every offer, its best `k` needs, at or
above `threshold`; pairs sharing neither a category nor a bigram are never scored (an inverted index of bigrams and
categories finds the candidates), so a thousand offers against a thousand needs stay quick."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Final, Generic, TypeVar

from . import similarity

K = TypeVar("K", bound=Hashable)

CATEGORY_WEIGHT: Final = 0.3
TEXT_WEIGHT: Final = 0.7
THRESHOLD: Final = 0.35  # a shared category alone (0.3) is not a suggestion: some text must be shared too
TOP_K: Final = 5
WORDS_MAX: Final = 6
# Bigrams every offer or need says (技术转让, 改造需求, 成套装置…): like the proposals' stop bigrams, they make no pair
# similar and are no word in common on their own.
STOP: Final = frozenset({"技术", "需求", "改造", "系统", "装置", "引进", "攻关", "难题", "成套", "成果", "项目", "企业",
                         "应用", "研发", "合作", "希望", "公司", "现有", "方面", "存在", "转让", "服务", "开发"})


@dataclass(frozen=True)
class Item(Generic[K]):
    """An offer or a need as the rule sees it: its key, its enterprise, category, title and text."""

    key: K
    enterprise: int
    category: str
    title: str
    text: str = ""


@dataclass(frozen=True)
class Suggestion(Generic[K]):
    """A suggested pair: the score (0–1), whether they share the category and the words they have in common."""

    offer: K
    need: K
    score: float
    same_category: bool
    words: tuple[str, ...]


def grams(text: str) -> frozenset[str]:
    """The bigrams a pair is scored by: `similarity.grams` without this rule's STOP bigrams."""
    return similarity.grams(text) - STOP


def _bigrams(s: str) -> set[str]:
    return {s[i:i + 2] for i in range(len(s) - 1)}


def common_words(a: str, b: str, limit: int = WORDS_MAX) -> tuple[str, ...]:
    """The words two texts share, as the longest runs of bigrams both have, read in `a` (余热+热发+发电 → 余热发电;
    寿命+命提+提升 → 寿命提升), each holding at least one bigram that counts (not a stop bigram, not digits alone);
    longest first, none inside another, at most `limit`."""
    s, t = similarity.normalise(a), similarity.normalise(b)
    both = _bigrams(s) & _bigrams(t)
    counting = grams(a) & grams(b)
    runs: list[str] = []
    i = 0
    while i < len(s) - 1:
        if s[i:i + 2] in both:
            j = i
            while j < len(s) - 1 and s[j:j + 2] in both:
                j += 1
            word = s[i:j + 1]
            if any(word[k:k + 2] in counting and not word[k:k + 2].isdigit() for k in range(len(word) - 1)) \
                    and word not in runs:
                runs.append(word)
            i = j
        i += 1
    kept: list[str] = []
    for w in sorted(runs, key=lambda w: (-len(w), runs.index(w))):
        if not any(w in longer for longer in kept):  # 余热发电 inside 余热发电技术 says nothing more
            kept.append(w)
    return tuple(kept[:limit])


def _profile(item: Item[K]) -> tuple[frozenset[str], frozenset[str]]:
    """The item's title bigrams, and its title's and text's together (as `similarity.profile`)."""
    title = grams(item.title)
    return title, title | grams(item.text) if item.text.strip() else frozenset()


def _text_score(a: tuple[frozenset[str], frozenset[str]], b: tuple[frozenset[str], frozenset[str]]) -> float:
    title = similarity.jaccard(a[0], b[0])
    if a[1] and b[1]:
        return max(title, similarity.jaccard(a[1], b[1]))
    return title


def score(offer: Item[K], need: Item[K]) -> Suggestion[K]:
    """The pair's score and explanation."""
    text = _text_score(_profile(offer), _profile(need))
    same = bool(offer.category) and offer.category == need.category
    value = round(CATEGORY_WEIGHT * same + TEXT_WEIGHT * text, 4)
    words = common_words(f"{offer.title}{offer.text}", f"{need.title}{need.text}") if text else ()
    return Suggestion(offer.key, need.key, value, same, words)


def suggest(offers: Iterable[Item[K]], needs: Iterable[Item[K]], *, k: int = TOP_K, threshold: float = THRESHOLD,
            exclude: Iterable[tuple[K, K]] = ()) -> list[Suggestion[K]]:
    """The suggested pairs: for every need its best `k` offers and for every offer its best `k` needs (at or above
    `threshold`, never of the same enterprise, never a pair in `exclude`), best first; ties by the order the offers
    and needs came in."""
    offers, needs = list(offers), list(needs)
    skip = set(exclude)
    profiles = {("o", i): _profile(o) for i, o in enumerate(offers)}
    index: dict[str, list[int]] = defaultdict(list)
    for i, o in enumerate(offers):
        for g in profiles[("o", i)][1] or profiles[("o", i)][0]:
            index[g].append(i)
        index[f"\x00{o.category}"].append(i)
    scored: list[tuple[float, int, int, Suggestion[K]]] = []
    for j, n in enumerate(needs):
        mine = _profile(n)
        candidates: set[int] = set(index.get(f"\x00{n.category}", ()))
        for g in mine[1] or mine[0]:
            candidates.update(index.get(g, ()))
        for i in sorted(candidates):
            o = offers[i]
            if o.enterprise == n.enterprise or (o.key, n.key) in skip:
                continue
            text = _text_score(profiles[("o", i)], mine)
            same = bool(o.category) and o.category == n.category
            value = round(CATEGORY_WEIGHT * same + TEXT_WEIGHT * text, 4)
            if value >= threshold:
                scored.append((value, i, j, Suggestion(o.key, n.key, value, same, ())))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    per_need: dict[int, int] = defaultdict(int)
    per_offer: dict[int, int] = defaultdict(int)
    kept = []
    for value, i, j, s in scored:
        if per_need[j] >= k and per_offer[i] >= k:
            continue
        per_need[j] += 1
        per_offer[i] += 1
        o, n = offers[i], needs[j]
        kept.append(Suggestion(s.offer, s.need, value, s.same_category,
                               common_words(f"{o.title}{o.text}", f"{n.title}{n.text}")))
    return kept
