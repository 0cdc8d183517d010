"""Drawing a paper, pure: the draw rules a level or contest keeps (`check`), the questions an attempt gets from the
pools matching each rule (`draw`) and the order each question's options are shown in (`order`)."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from .scoring import LETTERS

KINDS = ("single", "multiple", "truefalse", "fill")
MAX_QUESTIONS = 200  # in one attempt


def check(rules: Any) -> list[str]:
    """Every reason the draw rules cannot be used (empty when they can)."""
    errors: list[str] = []
    if not isinstance(rules, list) or not rules:
        return [_("Give at least one draw rule.")]
    total = 0
    for i, rule in enumerate(rules, start=1):
        if not isinstance(rule, Mapping):
            errors.append(_("Rule %(n)d is not a rule.") % {"n": i})
            continue
        if "questions" in rule:
            ids = rule["questions"]
            if not isinstance(ids, list) or not ids or not all(isinstance(x, int) and x > 0 for x in ids):
                errors.append(_("Rule %(n)d: list the questions by their numbers.") % {"n": i})
            elif len(set(ids)) != len(ids):
                errors.append(_("Rule %(n)d names a question twice.") % {"n": i})
            else:
                total += len(ids)
            continue
        count = rule.get("count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            errors.append(_("Rule %(n)d: the number of questions is a whole number of at least 1.") % {"n": i})
        else:
            total += count
        kinds = rule.get("kinds") or []
        if not isinstance(kinds, list) or any(k not in KINDS for k in kinds):
            errors.append(_("Rule %(n)d: unknown question type.") % {"n": i})
        levels = rule.get("difficulty") or []
        if not isinstance(levels, list) or any(not isinstance(d, int) or not 1 <= d <= 5 for d in levels):
            errors.append(_("Rule %(n)d: difficulty runs from 1 to 5.") % {"n": i})
        tags = rule.get("tags") or []
        if not isinstance(tags, list) or any(not isinstance(t, str) or not t.strip() for t in tags):
            errors.append(_("Rule %(n)d: knowledge points are names.") % {"n": i})
    if total > MAX_QUESTIONS:
        errors.append(_("An attempt has at most %(n)d questions; the rules draw %(m)d.") % {"n": MAX_QUESTIONS,
                                                                                          "m": total})
    return errors


def shortfall(rules: Sequence[Mapping[str, Any]], pools: Sequence[Sequence[int]]) -> list[str]:
    """The rules whose pool holds fewer questions than they draw (each named, with the numbers)."""
    errors = []
    for i, (rule, pool) in enumerate(zip(rules, pools, strict=True), start=1):
        wanted = len(rule["questions"]) if "questions" in rule else int(rule["count"])
        if len(pool) < wanted:
            errors.append(_("Rule %(n)d draws %(wanted)d questions but the banks hold %(have)d that match it.")
                          % {"n": i, "wanted": wanted, "have": len(pool)})
    return errors


def draw(rules: Sequence[Mapping[str, Any]], pools: Sequence[Sequence[int]], rng: random.Random,
         shuffle: bool = True) -> list[int]:
    """The question ids of one attempt: for each rule, its fixed questions or `count` drawn at random from its pool
    (a question drawn by an earlier rule is not drawn again); shuffled as a whole when `shuffle`. Raises
    ValueError when a pool runs short (`shortfall` says which, before)."""
    chosen: list[int] = []
    taken: set[int] = set()
    for rule, pool in zip(rules, pools, strict=True):
        if "questions" in rule:
            picked = [q for q in rule["questions"] if q not in taken]
        else:
            left = [q for q in pool if q not in taken]
            count = int(rule["count"])
            if len(left) < count:
                raise ValueError("pool short")
            picked = rng.sample(left, count)
        chosen.extend(picked)
        taken.update(picked)
    if shuffle:
        rng.shuffle(chosen)
    return chosen


def order(option_count: int, rng: random.Random, shuffle: bool = True) -> str:
    """The order a question's options are shown in, as the question's own letters ("CADB"); "" without options."""
    own = list(LETTERS[:option_count])
    if shuffle:
        rng.shuffle(own)
    return "".join(own)
