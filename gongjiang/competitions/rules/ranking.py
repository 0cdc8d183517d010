"""Results of an event's stage: ranking with tie-breaks, prize bands, the re-check selection, advancement to the
next stage and grade promotion (issue 3 §4). Pure: plain data in, plain data out, no ORM.

Conventions every function shares:
- Totals and tie-break values are `int` (e.g. marks in hundredths, as stored) or `Decimal`, never float; a
  minimum score in a rule is in the same unit as the totals it is compared with.
- An entry without a total (absent, disqualified) is unranked: no place, listed last, never counted among
  "ranked entrants", never given a prize, never re-checked, never advanced.
- Ranking is competition ranking ("1224"): equal on the total and on every tie-break → same place, and the
  next place skips. Entries sharing a place are listed by id, so the output depends on the data only, never on
  the order the entries came in.
- Percentages are of *ranked* entrants and are rounded explicitly (each function says how).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, cast

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongjiang.core.errors import DomainError

from . import draws

Number = int | Decimal

# ---------------------------------------------------------------------------------------------------------------
# Ranking


@dataclass(frozen=True)
class TieBreak:
    """One tie-break key, applied in order after the total: e.g. practical score (higher is better), then time
    used (lower is better), then theory. An entry lacking the value ranks after every entry having it."""

    key: str
    descending: bool = True

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise DomainError(_("A tie-break needs the name of the value it compares."), field="tie_breaks")


@dataclass(frozen=True, slots=True)
class Ranked:
    """An entry to rank: its id (an entry id, a 加密号...), its total (None when absent or disqualified) and its
    tie-break values by key."""

    id: Hashable
    total: Number | None
    keys: Mapping[str, Number | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Placed:
    """A ranked (or unranked) entry with its place; `tied` says the place is shared (并列). `keys` is the
    entry's own mapping (not copied: a ranking of 100,000 entries stays cheap)."""

    id: Hashable
    place: int | None
    total: Number | None
    keys: Mapping[str, Number | None] = field(default_factory=dict)
    tied: bool = False

    @property
    def ranked(self) -> bool:
        return self.place is not None


def rank(entries: Sequence[Ranked], tie_breaks: Sequence[TieBreak] = ()) -> list[Placed]:
    """Rank the entries: total descending, then each tie-break in order; places in "1224" style.

    Returns every entry: the ranked ones by place (ties by id), then the unranked ones (by id) with no place.
    Refuses duplicate ids, duplicate tie-break keys and values that are not int or Decimal (naming the entry)."""
    _check_tie_breaks(tie_breaks)
    specs = [(t.key, t.descending) for t in tie_breaks]
    seen: set[Hashable] = set()
    decorated: list[tuple[tuple[Any, ...], tuple[str, Any], Ranked]] = []
    unranked: list[Ranked] = []
    # One pass validates and builds each sort key; messages are built only on failure (a 100,000-entry
    # ranking must not translate 100,000 strings).
    for entry in entries:
        if entry.id in seen:
            raise DomainError(_("Entry %(id)s appears twice in the ranking.") % {"id": entry.id}, field="entries")
        seen.add(entry.id)
        if entry.total is None:
            unranked.append(entry)
            continue
        if type(entry.total) is not int and not _is_number(entry.total):  # fast path for the usual int
            _check_number(entry.total, _("The total of entry %(id)s") % {"id": entry.id}, "total")
        key: list[Any] = [-entry.total]
        for name, descending in specs:
            value = entry.keys.get(name)
            if value is None:
                key += (1, 0)  # a missing value ranks after every present one
            elif type(value) is not int and not _is_number(value):
                _check_number(value, _("The value %(key)s of entry %(id)s") % {"key": name, "id": entry.id},
                              "tie_breaks")
            else:
                key += (0, -value if descending else value)
        decorated.append((tuple(key), _id_key(entry.id), entry))
    for entry in unranked:  # an unranked entry's values are checked too: they may be shown
        for name, _descending in specs:
            value = entry.keys.get(name)
            if value is not None and not _is_number(value):
                _check_number(value, _("The value %(key)s of entry %(id)s") % {"key": name, "id": entry.id},
                              "tie_breaks")
    decorated.sort(key=lambda row: (row[0], row[1]))
    count = len(decorated)
    places = [0] * count
    for index in range(count):
        places[index] = places[index - 1] if index and decorated[index][0] == decorated[index - 1][0] else index + 1
    result = [
        Placed(id=entry.id, place=places[i], total=entry.total, keys=entry.keys,
               tied=(i > 0 and places[i - 1] == places[i]) or (i + 1 < count and places[i + 1] == places[i]))
        for i, (_perf, _key, entry) in enumerate(decorated)
    ]
    unranked.sort(key=lambda e: _id_key(e.id))
    result.extend(Placed(id=e.id, place=None, total=None, keys=e.keys) for e in unranked)
    return result


# ---------------------------------------------------------------------------------------------------------------
# Prize bands

FIRST = "first"
SECOND = "second"
THIRD = "third"
MERIT = "merit"
PRIZE_LABELS = {
    FIRST: gettext_lazy("First prize"),
    SECOND: gettext_lazy("Second prize"),
    THIRD: gettext_lazy("Third prize"),
    MERIT: gettext_lazy("Merit award"),
}


@dataclass(frozen=True)
class Band:
    """One prize band: a share of the ranked entrants, as a percentage or as a fixed count (exactly one).

    A percentage is rounded down, but a band with a non-zero percentage holds at least one entrant when anybody
    is ranked (so a small event still has a first prize)."""

    prize: str
    percent: Number | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.prize, str) or not self.prize:
            raise DomainError(_("A prize band needs a prize."), field="bands")
        if (self.percent is None) == (self.count is None):
            raise DomainError(_("Prize band %(prize)s needs either a percentage or a count, not both.")
                              % {"prize": self.prize}, field="bands")
        if self.percent is not None:
            _check_percent(self.percent, _("The share of prize %(prize)s") % {"prize": self.prize}, "bands")
        if self.count is not None and (isinstance(self.count, bool) or not isinstance(self.count, int)
                                       or self.count < 0):
            raise DomainError(_("The count of prize band %(prize)s must be a whole number of at least 0.")
                              % {"prize": self.prize}, field="bands")

    def size(self, ranked_count: int) -> int:
        """How many positions the band covers among `ranked_count` ranked entrants (before ties extend it)."""
        if self.count is not None:
            return self.count
        assert self.percent is not None  # a count or a percentage (__post_init__)
        if ranked_count == 0 or self.percent == 0:
            return 0
        return max(1, _round(ranked_count, self.percent, ROUND_FLOOR))


@dataclass(frozen=True)
class PrizeRule:
    """Prize bands best first (一等奖, 二等奖, 三等奖, optionally 优胜奖 as a further band), each band its own
    share (10/20/30 % means 10 % first prizes, the next 20 % second prizes...).

    `merit_from`: instead of a 优胜奖 band, every other ranked entrant whose total is at least this gets 优胜奖.
    `min_total`: nobody whose total is below it gets any prize (the bands are not refilled from below)."""

    bands: tuple[Band, ...]
    merit_from: Number | None = None
    min_total: Number | None = None

    def __post_init__(self) -> None:
        if not self.bands and self.merit_from is None:
            raise DomainError(_("A prize rule needs at least one prize band."), field="bands")
        prizes = [band.prize for band in self.bands]
        for prize in prizes:
            if prizes.count(prize) > 1:
                raise DomainError(_("Prize %(prize)s has two bands.") % {"prize": prize}, field="bands")
        if sum(Decimal(band.percent) for band in self.bands if band.percent is not None) > 100:
            raise DomainError(_("The prize percentages add up to more than 100 per cent."), field="bands")
        if self.merit_from is not None:
            _check_number(self.merit_from, _("The minimum score for the merit award"), "merit_from")
            if MERIT in prizes:
                raise DomainError(_("Give the merit award either as a band or from a minimum score, not both."),
                                  field="merit_from")
        if self.min_total is not None:
            _check_number(self.min_total, _("The minimum score for a prize"), "min_total")


def prize_bands(placed: Sequence[Placed], rule: PrizeRule) -> dict[Hashable, str]:
    """The prize of every prize winner, by id, best first (entries without a prize are absent from the result).

    Band sizes are cumulative over the ranked order: the first band covers positions 1..a, the second up to
    a+b, and so on. Entrants tied at a band's last position all get that band's (better) prize, and the next
    band shrinks by as many (it may become empty), so the number of prizes stays as the rule says except for
    the ties themselves."""
    order = _ranked_order(placed)
    qualifies = (lambda p: True) if rule.min_total is None else (lambda p: p.total >= rule.min_total)
    prizes: dict[Hashable, str] = {}
    cumulative = position = 0
    for band in rule.bands:
        cumulative += band.size(len(order))
        end = _extend_over_ties(order, min(cumulative, len(order)))
        for entry in order[position:end]:
            if qualifies(entry):
                prizes[entry.id] = band.prize
        position = max(position, end)
    if rule.merit_from is not None:
        for entry in order[position:]:
            if entry.total >= rule.merit_from and qualifies(entry):  # type: ignore[operator]
                prizes[entry.id] = MERIT
    return prizes


# ---------------------------------------------------------------------------------------------------------------
# Re-check (复核) selection


def recheck_pool(placed: Sequence[Placed], top_percent: Number = 30) -> tuple[list[Hashable], list[Hashable]]:
    """The ids re-checked in full (the top `top_percent` % of ranked entrants, rounded up, plus anyone tied at
    the cut) and the pool the sample is drawn from (every other ranked entrant, in ranking order — this list is
    the recorded input of the sample draw)."""
    _check_percent(top_percent, _("The share re-checked in full"), "top_percent")
    order = _ranked_order(placed)
    end = _extend_over_ties(order, _round(len(order), top_percent, ROUND_CEILING))
    return [p.id for p in order[:end]], [p.id for p in order[end:]]


def recheck_selection(placed: Sequence[Placed], top_percent: Number = 30, sample_percent: Number = 15, *,
                      seed: str, purpose: str) -> tuple[list[Hashable], list[Hashable]]:
    """(top_ids, sampled_ids): all of the top `top_percent` % and a drawn sample of `sample_percent` % (rounded
    up, so at least that share) of the rest. The sample is `draws.sample(pool, k, seed, purpose)` over the pool
    of `recheck_pool`, so the service records it as a draw and anyone can re-run it."""
    _check_percent(sample_percent, _("The share sampled for re-check"), "sample_percent")
    top, pool = recheck_pool(placed, top_percent)
    k = _round(len(pool), sample_percent, ROUND_CEILING)
    return top, draws.sample(pool, k, seed, purpose)


# ---------------------------------------------------------------------------------------------------------------
# Advancement to the next stage

INCLUDE_TIED = "include_tied"
STRICT = "strict"
TIE_POLICIES = (INCLUDE_TIED, STRICT)

REASON_QUOTA = "quota"
REASON_TOP_N = "top_n"
REASON_TOP_PERCENT = "top_percent"


@dataclass(frozen=True)
class AdvancementRule:
    """Who goes on from each organising org (a qualifier's city, a 基层赛's enterprise...).

    Exactly one default of `top_n` (the first N) or `top_percent` (the first P % of the org's ranked entrants,
    rounded down with at least one — or up, with ``percent_rounding="ceil"``), unless `quotas` covers every org.
    `quotas` {org: number} (e.g. per-city places in a provincial final) overrides the default for that org.
    `ties`: what happens when entrants tied on everything straddle the cut:
      - INCLUDE_TIED: all of them go on (the quota is exceeded by exactly those ties);
      - STRICT: the tie-break order alone decides, the quota is a hard cap, so a tie that the tie-breaks cannot
        break and that does not fit keeps the whole tied group out (fewer than the quota go on)."""

    top_n: int | None = None
    top_percent: Number | None = None
    quotas: Mapping[Hashable, int] = field(default_factory=dict)
    ties: str = INCLUDE_TIED
    percent_rounding: str = "floor"

    def __post_init__(self) -> None:
        if self.top_n is not None and self.top_percent is not None:
            raise DomainError(_("Advance either the top N or a percentage, not both."), field="top_n")
        if self.top_n is not None and (isinstance(self.top_n, bool) or not isinstance(self.top_n, int)
                                       or self.top_n < 0):
            raise DomainError(_("The number advancing must be a whole number of at least 0."), field="top_n")
        if self.top_percent is not None:
            _check_percent(self.top_percent, _("The share advancing"), "top_percent")
        if self.top_n is None and self.top_percent is None and not self.quotas:
            raise DomainError(_("An advancement rule needs a number, a percentage or quotas."), field="top_n")
        for org, quota in self.quotas.items():
            if isinstance(quota, bool) or not isinstance(quota, int) or quota < 0:
                raise DomainError(_("The quota of %(org)s must be a whole number of at least 0.") % {"org": org},
                                  field="quotas")
        if self.ties not in TIE_POLICIES:
            raise DomainError(_("Unknown way of handling ties: %(ties)s.") % {"ties": self.ties}, field="ties")
        if self.percent_rounding not in ("floor", "ceil"):
            raise DomainError(_("Unknown rounding of the percentage: %(rounding)s.")
                              % {"rounding": self.percent_rounding}, field="percent_rounding")


@dataclass(frozen=True)
class Advancing:
    """One entrant going on, and why: their place in their org, the rule that applied (`reason`), the number
    that org may send (`limit`) and whether they go on only as one of a tie at the cut (`tied_at_cut`)."""

    id: Hashable
    org: Hashable
    place: int
    reason: str
    limit: int
    tied_at_cut: bool = False

    def describe(self) -> str:
        """The reason in words, for the results page and the audit note."""
        values = {"place": self.place, "org": self.org, "limit": self.limit}
        if self.tied_at_cut:
            return _("Place %(place)s in %(org)s, tied at the cut of %(limit)s: all tied entrants go on.") % values
        if self.reason == REASON_QUOTA:
            return _("Place %(place)s in %(org)s, within its quota of %(limit)s.") % values
        return _("Place %(place)s in %(org)s, within the %(limit)s advancing.") % values


def advancement(placed_by_org: Mapping[Hashable, Sequence[Placed]], rule: AdvancementRule) -> list[Advancing]:
    """Who advances from each org, ordered by org then place (then id). Unranked entrants never advance.

    Refuses an entrant listed under two orgs, and an org with neither a quota nor a default rule."""
    seen: dict[Hashable, Hashable] = {}
    for org, placed in placed_by_org.items():
        for entry in placed:
            if entry.id in seen:
                raise DomainError(_("Entry %(id)s is listed under both %(first)s and %(second)s.")
                                  % {"id": entry.id, "first": seen[entry.id], "second": org}, field="entries")
            seen[entry.id] = org
    advancing: list[Advancing] = []
    for org in sorted(placed_by_org, key=_id_key):
        order = _ranked_order(placed_by_org[org])
        if org in rule.quotas:
            limit, reason = rule.quotas[org], REASON_QUOTA
        elif rule.top_n is not None:
            limit, reason = rule.top_n, REASON_TOP_N
        elif rule.top_percent is not None:
            limit, reason = _percent_count(len(order), rule.top_percent, rule.percent_rounding), REASON_TOP_PERCENT
        else:
            raise DomainError(_("%(org)s has no quota for advancement.") % {"org": org}, field="quotas")
        if limit >= len(order):
            end, tied_place = len(order), None
        elif limit == 0:
            end, tied_place = 0, None
        elif order[limit - 1].place != order[limit].place:
            end, tied_place = limit, None
        elif rule.ties == INCLUDE_TIED:
            end, tied_place = _extend_over_ties(order, limit), order[limit - 1].place
        else:
            cut_place = cast(int, order[limit - 1].place)  # ranked: `_ranked_order` keeps the placed entrants only
            end, tied_place = sum(1 for p in order if cast(int, p.place) < cut_place), None
        advancing.extend(
            Advancing(id=p.id, org=org, place=p.place, reason=reason, limit=limit,  # type: ignore[arg-type]
                      tied_at_cut=p.place == tied_place)
            for p in order[:end]
        )
    return advancing


# ---------------------------------------------------------------------------------------------------------------
# Grade promotion (晋升技术等级)

# Skill grades as in orgs.SkillGrade: 5 = 五级/初级工 (lowest) ... 1 = 一级/高级技师 (highest); 0 = no grade.
NO_GRADE = 0
LOWEST_GRADE = 5
HIGHEST_GRADE = 1

LEVEL_PROVINCE = "province"
LEVEL_CITY = "city"
LEVEL_COUNTY = "county"
LEVEL_ENTERPRISE = "enterprise"
CLASS_ONE = "class1"
CLASS_TWO = "class2"


@dataclass(frozen=True)
class PromotionRule:
    """One row of a promotion table: for competitions of `level` (and `klass`, None = any class), entrants
    placed `first_place`..`last_place` (None = open end), who won a prize if `prize_required`, are proposed
    for `target_grade`, or for `steps` grades above their current one (no grade counts as one below 五级).
    Exactly one of `target_grade` and `steps` is given."""

    level: str
    klass: str | None = None
    first_place: int | None = None
    last_place: int | None = None
    target_grade: int | None = None
    steps: int = 0
    prize_required: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.steps, bool) or not isinstance(self.steps, int) or self.steps < 0:
            raise DomainError(_("A promotion rule for %(level)s must promote by a positive number of grades.")
                              % {"level": self.level}, field="rules")
        if (self.target_grade is None) == (self.steps == 0):
            raise DomainError(_("A promotion rule for %(level)s needs either a target grade or a number of steps.")
                              % {"level": self.level}, field="rules")
        if self.target_grade is not None and self.target_grade not in range(HIGHEST_GRADE, LOWEST_GRADE + 1):
            raise DomainError(_("Grade %(grade)s does not exist; grades run from 1 to 5.")
                              % {"grade": self.target_grade}, field="rules")
        for place in (self.first_place, self.last_place):
            if place is not None and (isinstance(place, bool) or not isinstance(place, int) or place < 1):
                raise DomainError(_("Places in a promotion rule start at 1 (got %(place)s).") % {"place": place},
                                  field="rules")
        if self.first_place is not None and self.last_place is not None and self.first_place > self.last_place:
            raise DomainError(_("A promotion rule's places run backwards: %(first)s to %(last)s.")
                              % {"first": self.first_place, "last": self.last_place}, field="rules")

    def matches(self, place: int, level: str, klass: str | None, won_prize: bool) -> bool:
        return (self.level == level and (self.klass is None or self.klass == klass)
                and (self.first_place is None or place >= self.first_place)
                and (self.last_place is None or place <= self.last_place)
                and (won_prize or not self.prize_required))


# The example as data: a provincial 一类 final's top 3 may go to 高级技师, places 4–10 to 技师, other
# prize winners one grade up; a provincial 二类 final's top 3 to 技师, other prize winners one grade up; a city
# competition's prize winners one grade up; county and enterprise competitions promote nobody. Rows are tried in
# order and the first match decides.
DEFAULT_PROMOTION_RULES: tuple[PromotionRule, ...] = (
    PromotionRule(LEVEL_PROVINCE, CLASS_ONE, first_place=1, last_place=3, target_grade=1),
    PromotionRule(LEVEL_PROVINCE, CLASS_ONE, first_place=4, last_place=10, target_grade=2),
    PromotionRule(LEVEL_PROVINCE, CLASS_ONE, steps=1),
    PromotionRule(LEVEL_PROVINCE, CLASS_TWO, first_place=1, last_place=3, target_grade=2),
    PromotionRule(LEVEL_PROVINCE, CLASS_TWO, steps=1),
    PromotionRule(LEVEL_CITY, None, steps=1),
)


def promotion(place: int | None, level: str, klass: str | None, current_grade: int,
              rules: Sequence[PromotionRule] = DEFAULT_PROMOTION_RULES, *, won_prize: bool,
              highest_grade: int = HIGHEST_GRADE) -> int | None:
    """The grade to propose for an entrant of a final, or None when no rule promotes them.

    The first matching row decides. Never a demotion nor the same grade (None then), never above grade 1 nor
    above `highest_grade` (the highest grade the trade has); no grade one step up is 五级. Call it for the
    stage whose results carry the promotion (usually the final) with the competition's level and class."""
    if current_grade not in range(NO_GRADE, LOWEST_GRADE + 1) or isinstance(current_grade, bool):
        raise DomainError(_("Grade %(grade)s does not exist; grades run from 1 to 5, 0 for none.")
                          % {"grade": current_grade}, field="current_grade")
    if highest_grade not in range(HIGHEST_GRADE, LOWEST_GRADE + 1) or isinstance(highest_grade, bool):
        raise DomainError(_("Grade %(grade)s does not exist; grades run from 1 to 5.") % {"grade": highest_grade},
                          field="highest_grade")
    if place is None:
        return None
    if isinstance(place, bool) or not isinstance(place, int) or place < 1:
        raise DomainError(_("Places start at 1 (got %(place)s).") % {"place": place}, field="place")
    for row in rules:
        if row.matches(place, level, klass, won_prize):
            base = LOWEST_GRADE + 1 if current_grade == NO_GRADE else current_grade
            proposed = row.target_grade if row.target_grade is not None else base - row.steps
            proposed = max(proposed, highest_grade, HIGHEST_GRADE)
            return proposed if proposed < base else None
    return None


# ---------------------------------------------------------------------------------------------------------------
# Helpers


def _id_key(value: Hashable) -> tuple[str, Any]:
    """Sort key for ids and org keys of one type (ints numerically, strings as text); mixed types group by type."""
    return (type(value).__name__, value)


def _ranked_order(placed: Sequence[Placed]) -> list[Placed]:
    return sorted((p for p in placed if p.place is not None), key=lambda p: (p.place, _id_key(p.id)))


def _extend_over_ties(order: Sequence[Placed], end: int) -> int:
    """Move a cut after position `end` past every entrant tied with the last one inside it."""
    if end <= 0:
        return 0
    cut_place = order[end - 1].place
    while end < len(order) and order[end].place == cut_place:
        end += 1
    return end


def _round(count: int, percent: Number, rounding: str) -> int:
    """`count` × `percent` / 100 rounded by `rounding`, in exact decimal arithmetic."""
    return int((Decimal(count) * Decimal(percent) / 100).to_integral_value(rounding=rounding))


def _percent_count(count: int, percent: Number, rounding: str) -> int:
    if count == 0 or percent == 0:
        return 0
    if rounding == "ceil":
        return _round(count, percent, ROUND_CEILING)
    return max(1, _round(count, percent, ROUND_FLOOR))


def _is_number(value: Any) -> bool:
    """int or finite Decimal; bool and float are refused (marks are never binary floating point)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return False
    return not isinstance(value, Decimal) or value.is_finite()


def _check_number(value: Any, what: str, field: str) -> None:
    """`what` names the value in a sentence ("The total of entry 7")."""
    if not _is_number(value):
        raise DomainError(_("%(what)s must be a whole number or a decimal (got %(value)s).")
                          % {"what": what, "value": repr(value)}, field=field)


def _check_percent(value: Any, what: str, field: str) -> None:
    if not _is_number(value) or not 0 <= value <= 100:
        raise DomainError(_("%(what)s must be a percentage between 0 and 100 (got %(value)s).")
                          % {"what": what, "value": repr(value)}, field=field)


def _check_tie_breaks(tie_breaks: Sequence[TieBreak]) -> None:
    keys = [t.key for t in tie_breaks]
    for key in keys:
        if keys.count(key) > 1:
            raise DomainError(_("Tie-break %(key)s is given twice.") % {"key": key}, field="tie_breaks")

