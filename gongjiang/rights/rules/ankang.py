"""The 安康杯's pure rules: an entry's indicators checked, its score with every reason, the ranking of a year and the
awards a quota allows. No ORM.

The score is computed by core's rubric engine (gongjiang.core.rubrics, the shared kit the assessments and honours
score with), from a rubric stored with the year's competition — the weights are data, `STANDARD_RUBRIC` the one a
new year starts from:

    base 40 (安全生产基础分)
    + hazard fix rate      count: 0.25 point per percent fixed, at most 25 (no hazard found: counted as 100 %)
    + training sessions    count: 3 points a session, at most 15
    + workers trained      count: 0.2 point per percent of the workers trained, at most 20
    − accidents            deduction: 10 points each, at most 30
    − serious accidents    deduction: 20 points each, at most 40
    a death                veto: the entry is disqualified (score 0, no place, no award)

A serious accident is also an accident (the deductions add up). The ranking is competition ranking (1, 2, 2, 4)
within a kind (enterprises, teams) among the entries not disqualified."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core.rubrics import grades
from gongjiang.core.rubrics.rubric import Rubric, parse
from gongjiang.core.rubrics.scoring import score as rubric_score

FIX_RATE, TRAINING, TRAINED_SHARE, ACCIDENTS, SERIOUS, DEATHS = (
    "fix_rate", "training", "trained_share", "accidents", "serious", "deaths")

STANDARD_RUBRIC: dict[str, Any] = {
    "maximum": 100, "base": 40, "bonus_cap": 0,
    "items": [
        {"key": FIX_RATE, "title": "隐患整改率", "mode": "count", "per_unit": "0.25", "points": 25},
        {"key": TRAINING, "title": "安全培训场次", "mode": "count", "per_unit": 3, "points": 15},
        {"key": TRAINED_SHARE, "title": "职工受训比例", "mode": "count", "per_unit": "0.2", "points": 20},
        {"key": ACCIDENTS, "title": "生产安全事故", "mode": "deduction", "per_unit": 10, "cap": 30},
        {"key": SERIOUS, "title": "重大生产安全事故", "mode": "deduction", "per_unit": 20, "cap": 40},
        {"key": DEATHS, "title": "死亡事故", "mode": "veto", "reason": "发生造成人员死亡的生产安全事故",
         "effect": "zero"},
    ],
}
KEYS = (FIX_RATE, TRAINING, TRAINED_SHARE, ACCIDENTS, SERIOUS, DEATHS)
HUNDRED = Decimal(100)
K = TypeVar("K", bound=Hashable)
CENT = Decimal("0.01")

LABELS = {
    "workers": gettext_lazy("Workers"),
    "accidents": gettext_lazy("Accidents"),
    "serious_accidents": gettext_lazy("Serious accidents"),
    "deaths": gettext_lazy("Deaths"),
    "hazards_found": gettext_lazy("Hazards found"),
    "hazards_fixed": gettext_lazy("Hazards fixed"),
    "training_sessions": gettext_lazy("Training sessions held"),
    "people_trained": gettext_lazy("People trained"),
}


@dataclass(frozen=True)
class Indicators:
    """An entry's year: the workers, the accidents (of them serious, and the deaths), the hazards found and fixed,
    the training sessions held and the people trained."""

    workers: int
    accidents: int = 0
    serious_accidents: int = 0
    deaths: int = 0
    hazards_found: int = 0
    hazards_fixed: int = 0
    training_sessions: int = 0
    people_trained: int = 0

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


def problems(values: Mapping[str, Any]) -> dict[str, str]:
    """Every problem of the indicators given ({field: message}, empty when they can be recorded): each a whole
    number of at least 0, the workers at least 1, no more serious accidents than accidents, deaths only with an
    accident, no more hazards fixed than found, no more people trained than workers."""
    out: dict[str, str] = {}
    for name in Indicators.names():
        raw = values.get(name)
        if isinstance(raw, bool) or not isinstance(raw, int):
            out[name] = _("%(label)s: enter a whole number.") % {"label": LABELS[name]}
        elif raw < 0:
            out[name] = _("%(label)s cannot be negative (%(value)s).") % {"label": LABELS[name], "value": raw}
    if out:
        return out
    v = Indicators(**{n: values[n] for n in Indicators.names()})
    if v.workers < 1:
        out["workers"] = _("Workers: at least one.")
    if v.serious_accidents > v.accidents:
        out["serious_accidents"] = _("More serious accidents (%(serious)d) than accidents (%(all)d): a serious "
                                     "accident is counted among the accidents too.") % {
            "serious": v.serious_accidents, "all": v.accidents}
    if v.deaths and not v.accidents:
        out["deaths"] = _("Deaths are recorded with the accident that caused them: enter the accidents too.")
    if v.hazards_fixed > v.hazards_found:
        out["hazards_fixed"] = _("More hazards fixed (%(fixed)d) than found (%(found)d).") % {
            "fixed": v.hazards_fixed, "found": v.hazards_found}
    if v.people_trained > v.workers:
        out["people_trained"] = _("More people trained (%(trained)d) than workers (%(workers)d).") % {
            "trained": v.people_trained, "workers": v.workers}
    return out


def rubric(data: Any = None) -> Rubric:
    """The rubric of a competition (`data` as stored; the standard one by default), checked: RubricError otherwise.
    It must have the items this module answers, and only them."""
    from gongjiang.core.rubrics.rubric import RubricError, leaves

    r = parse(STANDARD_RUBRIC if data is None else data)
    keys = {i.key for i in leaves(r.items)}
    if keys != set(KEYS):
        raise RubricError([_("The Ankang Cup rules score exactly these items: %(keys)s.") % {
            "keys": "、".join(KEYS)}])
    return r


def _percent(part: int, whole: int) -> Decimal:
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Result:
    score: Decimal
    disqualified: bool
    reasons: tuple[str, ...]


def evaluate(v: Indicators, r: Rubric | None = None) -> Result:
    """The score of an entry from its indicators, with every reason (one line per item, in the user's language):
    the base, each item's figure and points, the deductions, a veto."""
    r = r or rubric()
    fix_rate = _percent(v.hazards_fixed, v.hazards_found) if v.hazards_found else HUNDRED
    trained = _percent(v.people_trained, v.workers)
    answers: dict[str, Any] = {FIX_RATE: fix_rate, TRAINING: Decimal(v.training_sessions),
                               TRAINED_SHARE: trained, ACCIDENTS: Decimal(v.accidents),
                               SERIOUS: Decimal(v.serious_accidents), DEATHS: v.deaths > 0}
    s = rubric_score(r, answers)
    item = {i.key: i for i in r.leaves()}
    reasons = [_("Base score: %(points)s.") % {"points": r.base}]
    if v.hazards_found:
        reasons.append(_("%(title)s %(rate)s%% (%(fixed)d of %(found)d fixed): +%(points)s.") % {
            "title": item[FIX_RATE].title, "rate": fix_rate, "fixed": v.hazards_fixed, "found": v.hazards_found,
            "points": s.items[FIX_RATE]})
    else:
        reasons.append(_("%(title)s: no hazard found, counted as 100%%: +%(points)s.") % {
            "title": item[FIX_RATE].title, "points": s.items[FIX_RATE]})
    reasons.append(_("%(title)s: %(n)d: +%(points)s.") % {"title": item[TRAINING].title, "n": v.training_sessions,
                                                           "points": s.items[TRAINING]})
    reasons.append(_("%(title)s %(rate)s%% (%(trained)d of %(workers)d workers): +%(points)s.") % {
        "title": item[TRAINED_SHARE].title, "rate": trained, "trained": v.people_trained, "workers": v.workers,
        "points": s.items[TRAINED_SHARE]})
    for key, n in ((ACCIDENTS, v.accidents), (SERIOUS, v.serious_accidents)):
        if n:
            reasons.append(_("%(title)s: %(n)d: −%(points)s.") % {"title": item[key].title, "n": n,
                                                                   "points": s.items[key]})
    if s.vetoed:
        reasons.append(_("%(reason)s (%(n)d dead): disqualified.") % {"reason": item[DEATHS].reason,
                                                                      "n": v.deaths})
    reasons.append(_("Score: %(total)s.") % {"total": s.total})
    return Result(s.total, s.vetoed, tuple(reasons))


def ranking(results: Mapping[K, Result]) -> dict[K, int | None]:
    """The place of every entry among those given (one kind): competition ranking by score (1, 2, 2, 4); a
    disqualified entry has no place."""
    eligible = {k: r.score for k, r in results.items() if not r.disqualified}
    places: dict[K, int] = grades.rank(eligible)
    return {k: places.get(k) for k in results}


def proposal(places: Mapping[K, int | None], quota: int) -> list[K]:
    """The entries a quota of awards goes to by the ranking: the best places, as long as the whole group sharing
    a place fits in the quota (a tie at the edge is left to the organiser's choice: none of it is proposed)."""
    ranked = sorted(((p, k) for k, p in places.items() if p is not None), key=lambda pk: (pk[0], str(pk[1])))
    out: list[K] = []
    for place in sorted({p for p, _k in ranked}):
        group = [k for p, k in ranked if p == place]
        if len(out) + len(group) > quota:
            break
        out += group
    return out


def over_quota(chosen: Sequence[Any], already: int, quota: int) -> bool:
    return already + len(chosen) > quota
