"""Who may be nominated for an honour type: plain data in, EVERY failing reason out (a nominating union fixes them
all at once instead of one per submission).

The type's criteria: the kind of nominee it takes (a person, a collective, an organisation), an age range on the
campaign's reference day, a minimum of years in the trade, no disciplinary record, honours the nominee must
already hold (any one of them: 全国劳模 come from the provinces' 劳模 and 五一劳动奖章 holders) and honours that
exclude them (who holds the title already is not nominated again). Shares among a union's nominees (front-line
workers, leaders) are not a nominee's property: they are `quotas`' reserves and caps."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Criteria:
    subject: str
    min_age: int | None = None
    max_age: int | None = None
    min_years: int = 0
    clean_record: bool = False
    requires_any: frozenset[str] = frozenset()
    excludes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Nominee:
    """What the rules need of a nominee. `age` and `years` are None when they do not apply (a collective) or are
    unknown (no birth date, no years given); `held` are the codes of the honour types they hold (not revoked)."""

    subject: str
    age: int | None = None
    years: int | None = None
    disciplinary: bool = False
    held: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Problem:
    """One failing reason: a stable code, the input it concerns and what the message needs."""

    code: str
    field: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


def problems(criteria: Criteria, nominee: Nominee) -> list[Problem]:
    """Every reason `nominee` may not be nominated under `criteria` ([] when eligible), in a fixed order."""
    found: list[Problem] = []
    if nominee.subject != criteria.subject:
        return [Problem("subject", "subject", {"subject": criteria.subject})]  # nothing else is comparable
    if criteria.subject == "person":
        if criteria.min_age is not None or criteria.max_age is not None:
            if nominee.age is None:
                found.append(Problem("age_unknown", "person"))
            elif criteria.min_age is not None and nominee.age < criteria.min_age:
                found.append(Problem("too_young", "person", {"age": nominee.age, "min": criteria.min_age}))
            elif criteria.max_age is not None and nominee.age > criteria.max_age:
                found.append(Problem("too_old", "person", {"age": nominee.age, "max": criteria.max_age}))
        if criteria.min_years > 0 and (nominee.years is None or nominee.years < criteria.min_years):
            found.append(Problem("years", "years_in_trade", {"years": nominee.years or 0, "min": criteria.min_years}))
    if criteria.clean_record and nominee.disciplinary:
        found.append(Problem("record", "disciplinary_record"))
    if criteria.requires_any and not criteria.requires_any & nominee.held:
        found.append(Problem("requires", "held", {"codes": sorted(criteria.requires_any)}))
    excluded = criteria.excludes & nominee.held
    if excluded:
        found.append(Problem("excluded", "held", {"codes": sorted(excluded)}))
    return found


def check_criteria(criteria: Criteria, known: Iterable[str]) -> list[Problem]:
    """What is wrong with an honour type's criteria themselves: an age range upside down or outside 16–80, negative
    years, an unknown honour named, or an honour both required and excluding."""
    found: list[Problem] = []
    for name, value in (("min_age", criteria.min_age), ("max_age", criteria.max_age)):
        if value is not None and not 16 <= value <= 80:
            found.append(Problem("age_range", name))
    if criteria.min_age is not None and criteria.max_age is not None and criteria.min_age > criteria.max_age:
        found.append(Problem("age_order", "max_age"))
    if not 0 <= criteria.min_years <= 50:
        found.append(Problem("years_range", "min_years"))
    names = set(known)
    for name, codes in (("requires_any", criteria.requires_any), ("excludes", criteria.excludes)):
        unknown = sorted(codes - names)
        if unknown:
            found.append(Problem("unknown_honour", name, {"codes": unknown}))
    both = sorted(criteria.requires_any & criteria.excludes)
    if both:
        found.append(Problem("both", "excludes", {"codes": both}))
    return found
