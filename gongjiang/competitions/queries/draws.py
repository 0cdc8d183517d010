"""Reads of the draws: what a round's draw is for (its purpose), whether the 加密号 draw is still sealed, the round's
three draws by purpose, and re-running a recorded draw from its record (anyone who can see the draw may)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from gongjiang.core.errors import DomainError

from ..models import Draw, Round
from ..rules import draws


def rerun(draw: Draw) -> bool:
    """Re-run a recorded draw: True when the seed (from its recorded parts), the input list and the result
    all check out."""
    if draw.seed_parts and draws.seed_from(*draw.seed_parts) != draw.seed:
        return False
    return draws.verify_record(draw.as_record())


@dataclass(frozen=True)
class RerunReport:
    """What re-running a recorded draw found, part by part, so a page can say *what* does not check out."""

    algorithm_ok: bool
    seed_ok: bool
    inputs_ok: bool
    result_ok: bool

    @property
    def ok(self) -> bool:
        return self.algorithm_ok and self.seed_ok and self.inputs_ok and self.result_ok


def rerun_report(draw: Draw) -> RerunReport:
    """Re-run a recorded draw like `rerun`, reporting each check: the algorithm is the published one, the seed
    is the hash of its recorded parts (the server's and the witnesses' numbers), the input list still has its
    recorded digest, and the algorithm gives the recorded result from them. Reads only; anyone who can see the
    draw may run it."""
    algorithm_ok = draw.algorithm == draws.ALGORITHM
    try:
        seed_ok = not draw.seed_parts or draws.seed_from(*draw.seed_parts) == draw.seed
    except (DomainError, TypeError):
        seed_ok = False
    try:
        inputs_ok = draws.input_digest(draw.inputs) == draw.input_digest
    except (DomainError, TypeError):
        inputs_ok = False
    try:
        result_ok = algorithm_ok and draws.verify(draw.inputs, draw.seed, draw.purpose, draw.result, kind=draw.kind,
                                                  params=draw.params or {})
    except (DomainError, KeyError, TypeError, ValueError):
        result_ok = False
    return RerunReport(algorithm_ok, seed_ok, inputs_ok, result_ok)


# What a round's draw is for, read from its purpose ("round 12 / station"): the pages label and order them.
CONTESTANT_NO, STATION, CODE, TEAM, RECHECK, OTHER = "contestant_no", "station", "code", "team", "recheck", "other"


def purpose_key(draw: Draw) -> str:
    """contestant_no, station, code, team (members drawn from a unit's roster), recheck (the 复核 sample) or
    other."""
    tail = draw.purpose.rsplit("/", 1)[-1].strip()
    if tail.startswith("team "):
        return TEAM
    return tail if tail in {CONTESTANT_NO, STATION, CODE, RECHECK} else OTHER


def is_sealed(draw: Draw, rnd: Round | None = None) -> bool:
    """The 加密号 draw links each station to its code: its seed, seed parts and result are sealed (kept off
    the pages, like the sealed envelope of a paper draw) until the round is decrypted; its re-run still works
    on the server. `rnd` may be passed to avoid fetching the draw's round."""
    if purpose_key(draw) != CODE:
        return False
    rnd = rnd if rnd is not None else draw.round
    return rnd is None or not rnd.is_decrypted


def result_digest(draw: Draw) -> str:
    """SHA-256 of the recorded result (canonical JSON), shown for a sealed draw so that the result published
    after decryption can be checked against what was recorded at the draw."""
    return hashlib.sha256(json.dumps(draw.result, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
                          .encode("utf-8")).hexdigest()


def round_draws(rnd: Round) -> dict[str, Draw]:
    """The round's contestant-number, station and code draws by purpose key (one query)."""
    found = {}
    for d in Draw.objects.filter(round=rnd).select_related("drawn_by"):
        key = purpose_key(d)
        if key in {CONTESTANT_NO, STATION, CODE}:
            found[key] = d
    return found
