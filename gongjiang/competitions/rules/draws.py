"""Reproducible, witnessed draws (抽签): team members, contestant numbers, stations, order, 加密号, re-check samples.

Issue 3 §2 asks that "anyone with access can re-run the draw from the record and get the same result". Python's
`random` module does not promise that (its seeding and `shuffle`/`sample` algorithms have changed between
versions), so this module defines its own algorithm, small enough to re-implement in any language from this
description and published with the record as ``algorithm = "gongjiang-draw-v1"``:

1. **Byte stream.** Block *c* (c = 0, 1, 2, ...) is
   ``SHA-256( b"gongjiang-draw-v1" || 0x00 || u32(len(S)) || S || u32(len(P)) || P || u64(c) )``
   where S and P are the UTF-8 bytes of the seed and of the purpose (no normalisation), ``u32``/``u64`` are
   big-endian unsigned integers and ``||`` is concatenation. The stream is block 0, block 1, ...
2. **Words.** The stream is read as consecutive 64-bit big-endian unsigned integers (4 per block).
3. **Unbiased integer below n** (1 <= n <= 2**64): read a word *x*; if ``x >= 2**64 - (2**64 mod n)`` reject it
   and read the next word; otherwise the result is ``x mod n``. (Every residue has the same number of
   accepted words, so there is no modulo bias.)
4. **Shuffle** (forward Fisher–Yates): for i = 0 .. n-2, draw j = i + below(n - i) and swap items i and j.
   **Sample** of k items is the first k items after the first k steps, so ``sample(items, k) ==
   shuffle(items)[:k]`` for the same seed and purpose: the order of a sample is the order of drawing.
5. **Numbers** (赛位号, 出场顺序): the i-th item of the shuffle (i = 0, 1, ...) gets ``str(start + i)`` left-padded
   with zeros to ``width`` digits.
6. **Anonymous codes** (加密号): for each item in input order, draw ``10**(L-1) + below(9 * 10**(L-1))`` (an
   L-digit number without a leading zero, so a spreadsheet never drops a digit) until it is one not yet given.

The purpose names *what* is drawn (e.g. ``"competition 12 / event 3 / stage 2 / stations"``) so that one seed used
for several draws gives independent results. The input order matters: the caller passes the candidates in a
canonical order (e.g. sorted by 参赛号) and records that list; `input_digest` binds the record to it.
The seed comes from `new_seed` (a server secret drawn at the moment of the draw) or from `seed_from`, which
hashes several parts so that witnesses can each contribute a number of their own choosing.
Refusing a second draw of the same thing is the service's job (one recorded draw per purpose).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from gongjiang.core.errors import DomainError

T = TypeVar("T")
H = TypeVar("H", bound=Hashable)

ALGORITHM = "gongjiang-draw-v1"
_WORD_SPACE = 2**64

# The kinds of draw a record can hold (the parameters each takes are listed in `perform`).
SHUFFLE = "shuffle"
SAMPLE = "sample"
NUMBERS = "numbers"
CODES = "codes"
KINDS = (SHUFFLE, SAMPLE, NUMBERS, CODES)

# An anonymous code space is kept at least ten times larger than the number of codes, so a mistyped or
# guessed code is most likely nobody's.
CODE_SPARSITY = 10


class DrawStream:
    """The deterministic word stream of one (seed, purpose): step 1–3 of the module docstring."""

    def __init__(self, seed: str, purpose: str) -> None:
        _check_seed_and_purpose(seed, purpose)
        seed_bytes, purpose_bytes = seed.encode("utf-8"), purpose.encode("utf-8")
        self._prefix = (ALGORITHM.encode("ascii") + b"\x00"
                        + len(seed_bytes).to_bytes(4, "big") + seed_bytes
                        + len(purpose_bytes).to_bytes(4, "big") + purpose_bytes)
        self._words = self._generate()
        self.words_used = 0

    def _generate(self) -> Iterator[int]:
        counter = 0
        while True:
            block = hashlib.sha256(self._prefix + counter.to_bytes(8, "big")).digest()
            for offset in range(0, 32, 8):
                yield int.from_bytes(block[offset:offset + 8], "big")
            counter += 1

    def word(self) -> int:
        """The next 64-bit word of the stream."""
        self.words_used += 1
        return next(self._words)

    def below(self, n: int) -> int:
        """An unbiased integer in [0, n), by rejection sampling (never `x mod n` on the whole word range)."""
        if not 1 <= n <= _WORD_SPACE:
            raise ValueError(f"below() needs 1 <= n <= 2**64, got {n}")
        limit = _WORD_SPACE - (_WORD_SPACE % n)
        while True:
            x = self.word()
            if x < limit:
                return x % n


def new_seed() -> str:
    """A fresh unpredictable seed (128 bits as 32 hex characters), drawn at the moment of the draw."""
    return secrets.token_hex(16)


def seed_from(*parts: str) -> str:
    """A seed composed of several parts, e.g. a server seed and a number chosen by each witness.

    The seed is the first 32 hex characters of SHA-256 over the canonical JSON list of the parts (each stripped
    of surrounding blanks), so anyone can recompute it from the recorded parts, and no single party — the
    organiser included — decides the result alone. The order of the parts matters; record it."""
    if not parts:
        raise DomainError(_("A draw seed needs at least one part."), field="seed")
    cleaned: list[str] = []
    for index, part in enumerate(parts, start=1):
        if not isinstance(part, str) or not part.strip():
            raise DomainError(_("Seed part %(n)s is empty; every witness must give a number or word.") % {"n": index},
                              field="seed")
        cleaned.append(part.strip())
    return hashlib.sha256(_canonical_json(cleaned).encode("utf-8")).hexdigest()[:32]


def shuffle(items: Sequence[T], seed: str, purpose: str) -> list[T]:
    """The items in drawn order (a permutation decided by seed, purpose and the input order only)."""
    return _fisher_yates(items, len(items), DrawStream(seed, purpose))


def sample(items: Sequence[T], k: int, seed: str, purpose: str) -> list[T]:
    """k distinct positions of `items` drawn without replacement, in the order drawn (= ``shuffle(...)[:k]``).

    Used for the members of a team drawn from a unit's roster and for the re-check (复核) sample."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise DomainError(_("The number to draw must be a whole number of at least 0 (got %(k)s).") % {"k": k},
                          field="k")
    if k > len(items):
        raise DomainError(_("Cannot draw %(k)s from only %(n)s candidates.") % {"k": k, "n": len(items)}, field="k")
    return _fisher_yates(items, k, DrawStream(seed, purpose))


def assign_numbers(items: Sequence[H], seed: str, purpose: str, start: int = 1, width: int = 3) -> dict[H, str]:
    """A drawn number for each item (赛位号 001, 002, ..., 出场顺序): the i-th drawn item gets ``start + i``.

    The mapping is in input order. Refuses duplicates (two items would share a number) and numbers that do not
    fit in `width` digits (they would print unevenly and sort wrongly as text)."""
    _check_distinct(items)
    if isinstance(start, bool) or not isinstance(start, int) or start < 0:
        raise DomainError(_("The first number must be a whole number of at least 0 (got %(start)s).")
                          % {"start": start}, field="start")
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise DomainError(_("The number width must be at least 1 digit (got %(width)s).") % {"width": width},
                          field="width")
    last = start + len(items) - 1
    if items and len(str(last)) > width:
        raise DomainError(_("%(n)s numbers starting at %(start)s do not fit in %(width)s digits; use wider numbers.")
                          % {"n": len(items), "start": start, "width": width}, field="width")
    drawn = shuffle(items, seed, purpose)
    number = {item: str(start + index).zfill(width) for index, item in enumerate(drawn)}
    return {item: number[item] for item in items}


def anonymous_codes(items: Sequence[H], seed: str, purpose: str, length: int = 6) -> dict[H, str]:
    """A distinct random-looking code of `length` digits for each item (加密号), in input order.

    Codes never start with 0 and are drawn from a space at least `CODE_SPARSITY` times larger than the number
    of items, so they cannot be derived from the input order without the seed and a wrong code is most likely
    nobody's."""
    _check_distinct(items)
    if isinstance(length, bool) or not isinstance(length, int) or length < 2:
        raise DomainError(_("Anonymous codes need at least 2 digits (got %(length)s).") % {"length": length},
                          field="length")
    low = 10 ** (length - 1)
    space = 9 * low
    if len(items) * CODE_SPARSITY > space:
        raise DomainError(_("%(n)s entries are too many for %(length)s-digit anonymous codes; use longer codes.")
                          % {"n": len(items), "length": length}, field="length")
    stream = DrawStream(seed, purpose)
    used: set[int] = set()
    codes: dict[H, str] = {}
    for item in items:
        code = low + stream.below(space)
        while code in used:
            code = low + stream.below(space)
        used.add(code)
        codes[item] = str(code)
    return codes


def input_digest(items: Sequence[Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the input list, recorded with the draw.

    Canonical JSON: UTF-8, no spaces, object keys sorted, non-ASCII kept as is, tuples as lists. A re-run whose
    input gives the same digest is a re-run on the same candidates in the same order."""
    for index, item in enumerate(items, start=1):
        try:
            _canonical_json(item)
        except (TypeError, ValueError):
            raise DomainError(_("Draw input %(n)s (%(item)s) cannot be recorded; use numbers or text.")
                              % {"n": index, "item": repr(item)}, field="items") from None
    return hashlib.sha256(_canonical_json(list(items)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class DrawRecord:
    """Everything needed to re-run a draw: what a Draw model stores (plus who witnessed it and when).

    `result` is a list for shuffle and sample, a mapping item → label (in input order) for numbers and codes."""

    kind: str
    seed: str
    purpose: str
    inputs: tuple[Any, ...]
    result: list[Any] | dict[Any, str]
    params: dict[str, int] = field(default_factory=dict)
    input_digest: str = ""
    algorithm: str = ALGORITHM

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict. Mappings become lists of [item, label] pairs, because a JSON object would turn
        integer items into strings and the re-run would no longer compare equal."""
        result: Any = ([[item, label] for item, label in self.result.items()] if isinstance(self.result, dict)
                       else list(self.result))
        return {"algorithm": self.algorithm, "kind": self.kind, "seed": self.seed, "purpose": self.purpose,
                "params": dict(self.params), "inputs": list(self.inputs), "input_digest": self.input_digest,
                "result": result}


def perform(kind: str, items: Sequence[Any], seed: str, purpose: str, **params: int) -> DrawRecord:
    """Run a draw of the given kind and return its full record.

    Parameters per kind: shuffle — none; sample — ``k``; numbers — ``start``, ``width`` (defaults 1, 3);
    codes — ``length`` (default 6)."""
    digest = input_digest(items)
    result = _run(kind, items, seed, purpose, params)
    return DrawRecord(kind=kind, seed=seed, purpose=purpose, inputs=tuple(items), result=result,
                      params=dict(params), input_digest=digest)


def verify(inputs: Sequence[Any], seed: str, purpose: str, expected_result: Any, *, kind: str = SHUFFLE,
           params: Mapping[str, int] | None = None, digest: str | None = None) -> bool:
    """Whether re-running the draw from its record gives the recorded result (and, if given, whether the inputs
    are the recorded ones). A mapping result may be given as a dict or as [item, label] pairs."""
    if digest is not None and input_digest(inputs) != digest:
        return False
    rerun = _run(kind, inputs, seed, purpose, dict(params or {}))
    if isinstance(rerun, dict):
        rerun = [[item, label] for item, label in rerun.items()]
        if isinstance(expected_result, Mapping):
            expected_result = [[item, label] for item, label in expected_result.items()]
    try:
        return _canonical_json(list(expected_result)) == _canonical_json(rerun)
    except (TypeError, ValueError):
        return False


def verify_record(record: Mapping[str, Any]) -> bool:
    """Re-run a stored record (the dict of `DrawRecord.as_json`) and check it: algorithm, inputs and result."""
    if record.get("algorithm") != ALGORITHM:
        return False
    try:
        return verify(record["inputs"], record["seed"], record["purpose"], record["result"], kind=record["kind"],
                      params=record.get("params") or {}, digest=record.get("input_digest"))
    except (DomainError, KeyError, TypeError):
        # A record that cannot be re-run (damaged, incomplete, tampered parameters) does not verify.
        return False


def _run(kind: str, items: Sequence[Any], seed: str, purpose: str, params: dict[str, int]) -> Any:
    allowed = {SHUFFLE: set(), SAMPLE: {"k"}, NUMBERS: {"start", "width"}, CODES: {"length"}}
    if kind not in allowed:
        raise DomainError(_("Unknown kind of draw: %(kind)s.") % {"kind": kind}, field="kind")
    unknown = set(params) - allowed[kind]
    if unknown:
        raise DomainError(_("A %(kind)s draw takes no parameter %(name)s.")
                          % {"kind": kind, "name": ", ".join(sorted(unknown))}, field="params")
    if kind == SHUFFLE:
        return shuffle(items, seed, purpose)
    if kind == SAMPLE:
        if "k" not in params:
            raise DomainError(_("A sample draw needs the number to draw."), field="k")
        return sample(items, params["k"], seed, purpose)
    if kind == NUMBERS:
        return assign_numbers(items, seed, purpose, **params)
    return anonymous_codes(items, seed, purpose, **params)


def _fisher_yates(items: Sequence[T], steps: int, stream: DrawStream) -> list[T]:
    drawn = list(items)
    n = len(drawn)
    for i in range(min(steps, n - 1)):
        j = i + stream.below(n - i)
        drawn[i], drawn[j] = drawn[j], drawn[i]
    return drawn[:steps] if steps < n else drawn


def _check_seed_and_purpose(seed: str, purpose: str) -> None:
    if not isinstance(seed, str) or not seed:
        raise DomainError(_("A draw needs a seed."), field="seed")
    if not isinstance(purpose, str) or not purpose.strip():
        raise DomainError(_("A draw needs a purpose saying what is drawn."), field="purpose")


def _check_distinct(items: Sequence[Any]) -> None:
    seen: set[Any] = set()
    for item in items:
        if item in seen:
            raise DomainError(_("%(item)s appears twice in the draw.") % {"item": item}, field="items")
        seen.add(item)


def _canonical_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True, allow_nan=False)
