"""Near-duplicate detection for Chinese proposals with character n-grams.

Chinese has no spaces, so words are not split: a text is normalised (full-width to half-width, lower case,
punctuation and spaces dropped) and cut into overlapping character bigrams (trigrams on request); two texts are as
similar as the Jaccard index of their n-gram sets. Bigrams that every proposal uses (建议, 提高, 改进, …) are dropped
first, so that two proposals are not similar just because both are proposals. Titles are compared with titles (a worker
who writes the same idea writes a similar title), whole texts with whole texts, and the higher counts.

`title_codes` turns a title's bigrams into the integer keys of the database's gram index (one row per proposal and
bigram of its title); `probe_codes` gives the keys a look-up asks that index for, and the candidates sharing most
of them are scored here by `rank`."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Hashable, Iterable
from typing import Final, TypeVar

K = TypeVar("K", bound=Hashable)

# Bigrams: trigrams (2, 3) dilute the short titles workers write (measured in the tests).
SIZES: Final = (2,)
THRESHOLD: Final = 0.25  # shown as similar at or above this (precision measured in tests/test_rules_similarity.py)
STOP: Final = frozenset({
    "建议", "提高", "改进", "优化", "问题", "降低", "减少", "进行", "关于", "我们", "可以", "通过", "一个", "目前",
    "存在", "工作", "使用", "采用", "实现", "以及", "增加", "提升", "解决", "方法", "措施", "现场", "生产", "公司",
    "车间", "班组", "设备",
})


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to half-width), lower case, only letters and digits kept."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if ch.isalnum())


def grams(text: str, sizes: Iterable[int] = SIZES) -> frozenset[str]:
    """The character n-grams of a text (after `normalise`), without the stop bigrams (and trigrams made only of
    them); a text shorter than the smallest size is its own gram."""
    s = normalise(text)
    if not s:
        return frozenset()
    found: set[str] = set()
    for n in sizes:
        for i in range(len(s) - n + 1):
            g = s[i:i + n]
            if n == 2 and g in STOP:
                continue
            if n == 3 and g[:2] in STOP and g[1:] in STOP:
                continue
            found.add(g)
    if not found:
        found.add(s)
    return frozenset(found)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def profile(title: str, body: str = "") -> tuple[frozenset[str], frozenset[str]]:
    """The n-grams of a proposal's title, and of its title and text together."""
    t = grams(title)
    return t, t | grams(body) if body.strip() else frozenset()


def _score(a: tuple[frozenset[str], frozenset[str]], b: tuple[frozenset[str], frozenset[str]]) -> float:
    """The titles' similarity, or the whole texts' when both have a text and theirs is higher: a short title
    typed on a phone is compared with titles, not drowned in a long description."""
    title = jaccard(a[0], b[0])
    if a[1] and b[1]:
        return max(title, jaccard(a[1], b[1]))
    return title


def similarity(a_title: str, a_body: str, b_title: str, b_body: str) -> float:
    """How alike two proposals are, 0–1 (1: the same title)."""
    return _score(profile(a_title, a_body), profile(b_title, b_body))


def rank(title: str, body: str, candidates: Iterable[tuple[K, str, str]], *, limit: int = 5,
         threshold: float = THRESHOLD) -> list[tuple[K, float]]:
    """The candidates (key, title, body) at least `threshold` similar, most similar first (ties in the order of
    arrival), at most `limit`."""
    mine = profile(title, body)
    if not mine[0]:
        return []
    scored = []
    for i, (key, c_title, c_body) in enumerate(candidates):
        # a title alone is compared with titles alone: the candidate's text is not cut into grams for nothing
        score = _score(mine, profile(c_title, c_body if mine[1] else ""))
        if score >= threshold:
            scored.append((-score, i, key))
    scored.sort(key=lambda x: (x[0], x[1]))
    return [(key, -neg) for neg, _i, key in scored[:limit]]


def probe_grams(text: str, limit: int = 6) -> list[str]:
    """Up to `limit` bigrams of a text to look candidates up by (`title LIKE %g%`): the distinct non-stop bigrams
    made of CJK characters or letters, spread over the text (first, last, and between)."""
    s = normalise(text)
    found: list[str] = []
    for i in range(len(s) - 1):
        g = s[i:i + 2]
        if g not in STOP and g not in found and not g.isdigit():
            found.append(g)
    if len(found) <= limit:
        return found
    step = (len(found) - 1) / (limit - 1)
    return [found[round(i * step)] for i in range(limit)]


_PLANES: Final = 0x110000  # code points


def code(gram: str) -> int:
    """A gram as an integer key of the index: a bigram's two code points (a one-character text its code point;
    anything longer, which only a text made of a stop bigram alone gives, a 56-bit hash above every bigram's key)."""
    if len(gram) == 2:
        return ord(gram[0]) * _PLANES + ord(gram[1])
    if len(gram) == 1:
        return ord(gram)
    return _PLANES * _PLANES + int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=7).digest(), "big")


def title_codes(title: str) -> frozenset[int]:
    """The index keys of a title: the codes of its bigrams (`grams`: stop bigrams left out; digits alone too, which
    no look-up asks for)."""
    return frozenset(code(g) for g in grams(title) if not g.isdigit())


def probe_codes(title: str, body: str = "", limit: int = 12) -> list[int]:
    """The index keys a look-up asks for: the distinctive bigrams of the title (of the title and the text when the
    title is shorter than six characters), at most `limit`, spread over the text."""
    return [code(g) for g in probe_grams(f"{title} {body}" if len(title) < 6 else title, limit)]
