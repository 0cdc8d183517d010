"""Labour competitions (劳动竞赛/立功竞赛, issue 3 §5): period scores, rankings, the fund split, awards.

Competing units (项目部, enterprises, 班组) are evaluated every period (month or quarter) on weighted
indicators (进度, 质量, 安全, 创新, 节能减排) entered by evaluators. The calculation is shown to the units
("以赛绩定收入"), so every shown step is rounded and the next step uses the rounded figure: anyone can
recompute a result by hand from the numbers on the page.

- `IndicatorSet`: the indicators and their weights (positive, adding up to exactly 100).
- `indicator_means`: several evaluators → the mean per indicator, over the evaluators who entered it (an
  absent value is left out, never counted as zero), rounded to `places`.
- `period_score`: Σ value × weight ÷ 100, rounded once to `places`. With the competition's safety veto
  (一票否决) on, a period with a serious safety accident scores 0 whatever its values.
- `rank_period`: places by score, ties sharing a place (1, 2, 2, 4); works for year scores too.
- `year_score`: the mean (default) or the sum of a unit's period scores.
- `split_fund` / `explain_split`: the fund split in proportion to scores, to the fen, the parts adding up
  exactly to the fund (largest remainder method).
- `merit_awards`: 一等功/二等功/三等功 (individuals), 先进集体 (collectives) by place or percentage.
- `standard_indicators`: the indicators a new competition starts from; `clean_value`: an evaluator's input.

All arithmetic is exact (Fraction) until an explicit rounding: ROUND_HALF_UP by default, ROUND_HALF_EVEN
and ROUND_DOWN on request. Values and money are Decimal (or int); a float is refused (TypeError): it would
bring binary rounding into official figures.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Literal, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from gongjiang.core.errors import DomainError

HUNDRED = Fraction(100)
ROUNDINGS = (ROUND_HALF_UP, ROUND_HALF_EVEN, ROUND_DOWN)
FEN = Decimal("0.01")

Number = Decimal | int


def _exact(value: Any, what: str) -> Fraction:
    """A Decimal or int as an exact fraction; floats (and bools) are a programming error."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what}: expected Decimal or int, got {type(value).__name__} {value!r}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise DomainError(_("%(value)s is not a number (%(what)s).") % {"value": value, "what": what}, field=what)
    return Fraction(value)


def round_exact(value: Fraction, places: int = 2, rounding: str = ROUND_HALF_UP) -> Decimal:
    """Round an exact value to `places` decimals with an explicit rule (half-up, half-even or down, all
    symmetric about zero), without the precision limit of Decimal division."""
    if rounding not in ROUNDINGS:
        raise ValueError(f"unsupported rounding {rounding!r}; use one of {ROUNDINGS}")
    if places < 0:
        raise ValueError("places must be zero or more")
    scaled = abs(value) * 10**places
    quotient, remainder = divmod(scaled.numerator, scaled.denominator)
    twice = 2 * remainder
    if rounding == ROUND_HALF_UP:
        quotient += twice >= scaled.denominator
    elif rounding == ROUND_HALF_EVEN:
        quotient += twice > scaled.denominator or (twice == scaled.denominator and quotient % 2 == 1)
    sign = 1 if value < 0 and quotient else 0
    return Decimal((sign, tuple(int(d) for d in str(quotient)), -places))


# --- indicators ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    """One evaluated indicator: a code (stable, used in data), a name (shown) and a weight in points."""

    code: str
    name: str
    weight: Decimal


@dataclass(frozen=True)
class IndicatorSet:
    """The indicators of a labour competition, validated: codes unique and non-empty, names given,
    weights positive and adding up to exactly 100 (the refusal shows the sum).

    Built from ``[(code, name, weight), …]`` or Indicator objects. `safety_veto` turns on 一票否决: a period
    flagged with a serious safety accident scores 0 (see `period_score`).
    """

    indicators: tuple[Indicator, ...]
    safety_veto: bool = False

    def __post_init__(self) -> None:
        items: list[Indicator] = []
        for row, item in enumerate(self.indicators, start=1):
            code, name, weight = (item.code, item.name, item.weight) if isinstance(item, Indicator) else item
            code = str(code).strip()
            if not code:
                raise DomainError(_("Indicator %(row)s has no code.") % {"row": row}, field="indicators")
            if not str(name).strip():
                raise DomainError(_("Indicator %(code)s has no name.") % {"code": code}, field="indicators")
            if code in {i.code for i in items}:
                raise DomainError(_("Indicator %(code)s appears twice.") % {"code": code}, field="indicators")
            exact = _exact(weight, f"weight of {code}")
            if exact <= 0:
                raise DomainError(_("The weight of indicator %(code)s must be positive; got %(weight)s.")
                                  % {"code": code, "weight": weight}, field="indicators")
            items.append(Indicator(code, str(name), Decimal(weight)))
        if not items:
            raise DomainError(_("A labour competition needs at least one indicator."), field="indicators")
        total = sum((i.weight for i in items), Decimal(0))
        if total != 100:
            raise DomainError(_("The indicator weights add up to %(sum)s, not 100.") % {"sum": total},
                              field="indicators")
        object.__setattr__(self, "indicators", tuple(items))

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(i.code for i in self.indicators)

    def __iter__(self) -> Any:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)


# A starting point for a new competition (the organiser edits it). Names are translated when the
# competition is created and then stored as data.
STANDARD_INDICATORS: tuple[tuple[str, Any, int], ...] = (
    ("progress", pgettext_lazy("labour indicator", "Progress"), 30),
    ("quality", pgettext_lazy("labour indicator", "Quality"), 25),
    ("safety", pgettext_lazy("labour indicator", "Safety"), 25),
    ("innovation", pgettext_lazy("labour indicator", "Innovation"), 10),
    ("energy", pgettext_lazy("labour indicator", "Energy saving and emission reduction"), 10),
)


def standard_indicators() -> list[dict[str, Any]]:
    """进度 30, 质量 25, 安全 25 (with the veto), 创新 10, 节能减排 10, in the active language."""
    return [{"code": code, "name": str(name), "weight": weight, "is_safety": code == "safety"}
            for code, name, weight in STANDARD_INDICATORS]


def _checked_values(values: Mapping[str, Number], indicators: IndicatorSet) -> dict[str, Fraction]:
    known = set(indicators.codes)
    exact: dict[str, Fraction] = {}
    for code, value in values.items():
        if code not in known:
            raise DomainError(_("Unknown indicator %(code)s.") % {"code": code}, field=code)
        number = _exact(value, code)
        if not 0 <= number <= 100:
            raise DomainError(_("Indicator %(code)s: %(value)s is outside 0–100.") % {"code": code, "value": value},
                              field=code)
        exact[code] = number
    return exact


def indicator_means(evaluations: Sequence[Mapping[str, Number]], indicators: IndicatorSet, *,
                    places: int = 2, rounding: str = ROUND_HALF_UP) -> dict[str, Decimal]:
    """The mean value of each indicator over the evaluators who entered it, rounded to `places`.

    An evaluator who left an indicator blank is not counted for it; an indicator nobody entered is absent
    from the result (and `period_score` then refuses it, naming the indicator).
    """
    if not evaluations:
        raise DomainError(_("No evaluation has been entered."), field="evaluations")
    sums: dict[str, Fraction] = {}
    counts: dict[str, int] = {}
    for evaluation in evaluations:
        for code, value in _checked_values(evaluation, indicators).items():
            sums[code] = sums.get(code, Fraction(0)) + value
            counts[code] = counts.get(code, 0) + 1
    return {code: round_exact(sums[code] / counts[code], places, rounding)
            for code in indicators.codes if code in sums}


def period_score(values: Mapping[str, Number], indicators: IndicatorSet, *, vetoed: bool = False,
                 places: int = 2, rounding: str = ROUND_HALF_UP) -> Decimal:
    """A unit's score for one period: Σ value × weight ÷ 100 over every indicator, values 0–100, rounded
    once to `places`; between 0 and 100.

    Every indicator needs a value (a missing one is refused by name) and unknown codes are refused. When
    the competition has the safety veto and the period is `vetoed` (a serious safety accident), the score
    is 0: values may then be incomplete, but those given are still checked. Without the veto option the
    flag has no effect — the safety indicator's own value carries the accident.
    """
    exact = _checked_values(values, indicators)
    if vetoed and indicators.safety_veto:
        return round_exact(Fraction(0), places, rounding)
    for indicator in indicators:
        if indicator.code not in exact:
            raise DomainError(_("No value for indicator %(code)s (%(name)s).")
                              % {"code": indicator.code, "name": indicator.name}, field=indicator.code)
    total = sum((exact[i.code] * Fraction(i.weight) for i in indicators), Fraction(0)) / HUNDRED
    return round_exact(total, places, rounding)


def period_score_of_evaluations(evaluations: Sequence[Mapping[str, Number]], indicators: IndicatorSet, *,
                                vetoed: bool = False, places: int = 2,
                                rounding: str = ROUND_HALF_UP) -> Decimal:
    """The period score from several evaluators: the rounded means of `indicator_means`, then
    `period_score` on them (so the shown means reproduce the shown score). A vetoed period scores 0 even
    with no evaluation entered."""
    if vetoed and indicators.safety_veto and not evaluations:
        return round_exact(Fraction(0), places, rounding)
    means = indicator_means(evaluations, indicators, places=places, rounding=rounding)
    return period_score(means, indicators, vetoed=vetoed, places=places, rounding=rounding)


# --- rankings and year ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """One unit (or person) in a ranking: its key, its score and its place (shared on a tie)."""

    key: Hashable
    score: Decimal
    place: int


def rank_period(scores: Mapping[Any, Number]) -> list[Ranked]:
    """Rank by score, highest first; equal scores share a place and the next place skips (1, 2, 2, 4).

    Rows of equal score are listed in key order (keys must be comparable: ids or codes), so the result
    does not depend on the order of `scores`. Used for a period and for the year alike.
    """
    exact = {key: _exact(score, str(key)) for key, score in scores.items()}
    order = sorted(exact, key=lambda k: (-exact[k], k))
    ranked: list[Ranked] = []
    for index, key in enumerate(order):
        place = ranked[-1].place if ranked and exact[key] == exact[ranked[-1].key] else index + 1
        ranked.append(Ranked(key, Decimal(scores[key]), place))
    return ranked


def year_score(period_scores: Iterable[Number], method: Literal["mean", "sum"] = "mean", *, places: int = 2,
               rounding: str = ROUND_HALF_UP) -> Decimal:
    """A unit's year from its period scores: their mean (comparable between units evaluated in a different
    number of periods, e.g. a project started in spring) or their sum (rewards taking part all year).

    Pass the periods the unit was evaluated in; a vetoed period counts with its score of 0.
    """
    values = [_exact(v, "period score") for v in period_scores]
    if method not in ("mean", "sum"):
        raise DomainError(_("Unknown method %(method)s for the year score; use mean or sum.") % {"method": method},
                          field="method")
    if not values:
        raise DomainError(_("No period has been scored yet."), field="period_scores")
    total = sum(values, Fraction(0))
    return round_exact(total / len(values) if method == "mean" else total, places, rounding)


# --- the fund split ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SplitRow:
    """One row of the shown fund split: the unit's score, whether it takes part (score ≥ the minimum),
    its share of the eligible scores (percent, 2 decimals, for display), its exact amount before rounding
    (4 decimals, for display), the amount paid (fen) and whether it received one of the fen left over by
    rounding down (the largest remainders)."""

    key: Hashable
    score: Decimal
    eligible: bool
    share_percent: Decimal
    raw_amount: Decimal
    amount: Decimal
    extra_fen: bool


def _fund_fen(total: Number) -> int:
    exact = _exact(total, "total")
    if exact < 0:
        raise DomainError(_("The fund cannot be negative; got %(total)s.") % {"total": total}, field="total")
    fen = exact * 100
    if fen.denominator != 1:
        raise DomainError(_("The fund %(total)s is not a whole number of fen.") % {"total": total}, field="total")
    return int(fen)


class _Allocation(NamedTuple):
    scores: dict[Any, Fraction]  # every unit's exact score
    raw: dict[Any, Fraction]     # exact share in fen (0 for units under the minimum)
    fen: dict[Any, int]          # amount paid in fen
    extra: set[Any]              # units that received one of the fen left over


def _allocate(total: Number, scores: Mapping[Any, Number], min_score: Number) -> _Allocation:
    """Largest remainder, in fen: each eligible unit first gets the whole fen of total × score ÷ Σ scores;
    the fen left over go one each to the largest remainders, a tie going to the smaller key."""
    total_fen = _fund_fen(total)
    floor_score = _exact(min_score, "min_score")
    exact: dict[Any, Fraction] = {}
    for key, score in scores.items():
        value = _exact(score, str(key))
        if value < 0:
            raise DomainError(_("The score of %(unit)s is negative: %(score)s.") % {"unit": key, "score": score},
                              field=str(key))
        exact[key] = value
    eligible = {key: value for key, value in exact.items() if value >= floor_score}
    score_sum = sum(eligible.values(), Fraction(0))
    if score_sum == 0:
        if total_fen == 0:
            return _Allocation(exact, {k: Fraction(0) for k in exact}, {k: 0 for k in exact}, set())
        raise DomainError(_("No unit has a score above zero and at least %(min)s, so the fund of %(total)s yuan "
                            "cannot be split.") % {"min": min_score, "total": total}, field="scores")
    raw = {key: (total_fen * eligible[key] / score_sum if key in eligible else Fraction(0)) for key in exact}
    fen = {key: math.floor(value) for key, value in raw.items()}
    left = total_fen - sum(fen.values())
    by_remainder = sorted((key for key in eligible), key=lambda k: (-(raw[k] - fen[k]), k))
    extra = set(by_remainder[:left])
    for key in extra:
        fen[key] += 1
    return _Allocation(exact, raw, fen, extra)


def split_fund(total: Number, scores: Mapping[Any, Number], *, min_score: Number = 0) -> dict[Any, Decimal]:
    """Split a competition fund (yuan, a whole number of fen) in proportion to the units' scores.

    Units scoring under `min_score` (and units scoring 0) get 0.00. The amounts are in fen and add up
    exactly to `total`: each unit first gets its exact share rounded down to the fen, and the fen left over
    go one each to the units with the largest remainders, a tie to the smaller unit key (keys must be
    comparable). So a higher score never gets less money. Refused: a negative score or fund, a fund with
    fractions of a fen, and a non-zero fund with no unit to receive it.
    """
    fen = _allocate(total, scores, min_score).fen
    return {key: round_exact(Fraction(fen[key], 100)) for key in scores}


def explain_split(total: Number, scores: Mapping[Any, Number], *, min_score: Number = 0) -> list[SplitRow]:
    """The rows of `split_fund`'s calculation for display, highest score first (ties in key order).

    The displayed shares and raw amounts are rounded half-up for reading only; the amounts are exactly
    those of `split_fund`.
    """
    exact, raw, fen, extra = _allocate(total, scores, min_score)
    floor_score = _exact(min_score, "min_score")
    eligible_sum = sum((v for v in exact.values() if v >= floor_score), Fraction(0))
    rows = []
    for key in sorted(exact, key=lambda k: (-exact[k], k)):
        eligible = exact[key] >= floor_score and exact[key] > 0
        share = exact[key] / eligible_sum * 100 if eligible else Fraction(0)
        rows.append(SplitRow(
            key=key, score=Decimal(scores[key]), eligible=eligible, share_percent=round_exact(share, 2),
            raw_amount=round_exact(raw[key] / 100, 4), amount=round_exact(Fraction(fen[key], 100)),
            extra_fen=key in extra,
        ))
    return rows


# --- awards --------------------------------------------------------------------------------------------

FIRST_CLASS, SECOND_CLASS, THIRD_CLASS, ADVANCED_COLLECTIVE = (
    "first_class", "second_class", "third_class", "advanced_collective")
AWARD_LABELS: dict[str, Any] = {
    FIRST_CLASS: gettext_lazy("First-class merit"),
    SECOND_CLASS: gettext_lazy("Second-class merit"),
    THIRD_CLASS: gettext_lazy("Third-class merit"),
    ADVANCED_COLLECTIVE: gettext_lazy("Advanced collective"),
}


def award_name(award: str) -> str:
    """The award's name in the active language (its code when it is not a known award)."""
    return str(AWARD_LABELS.get(award, award))


@dataclass(frozen=True)
class AwardBand:
    """One award and how far down the ranking it reaches: places 1…`up_to_place`, or the top
    `up_to_percent` % of the ranked entrants (rounded down: 15 % of 10 entrants is 1 place)."""

    award: str
    up_to_place: int | None = None
    up_to_percent: Decimal | None = None

    def __post_init__(self) -> None:
        if (self.up_to_place is None) == (self.up_to_percent is None):
            raise DomainError(_("Award %(award)s needs exactly one of a last place or a percentage.")
                              % {"award": award_name(self.award)}, field="bands")
        if self.up_to_place is not None and (isinstance(self.up_to_place, bool) or self.up_to_place < 1):
            raise DomainError(_("Award %(award)s: the last place must be at least 1.")
                              % {"award": award_name(self.award)}, field="bands")
        if self.up_to_percent is not None and not 0 < _exact(self.up_to_percent, self.award) <= 100:
            raise DomainError(_("Award %(award)s: the percentage must be above 0 and at most 100.")
                              % {"award": award_name(self.award)}, field="bands")

    def last_place(self, entrants: int) -> int:
        """The last place the band reaches among `entrants` ranked entrants."""
        if self.up_to_place is not None:
            return self.up_to_place
        assert self.up_to_percent is not None
        return math.floor(entrants * _exact(self.up_to_percent, self.award) / 100)


@dataclass(frozen=True)
class AwardRules:
    """Award bands, best first, each reaching further down the ranking than the one before (bands of the
    same kind — places or percentages — must increase); `min_score` is the score an awardee needs."""

    bands: tuple[AwardBand, ...]
    min_score: Decimal = Decimal(0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bands", tuple(self.bands))
        if not self.bands:
            raise DomainError(_("Give at least one award band."), field="bands")
        seen: set[str] = set()
        last_place: int | None = None
        last_percent: Fraction | None = None
        for band in self.bands:
            if band.award in seen:
                raise DomainError(_("Award %(award)s appears twice.") % {"award": award_name(band.award)},
                                  field="bands")
            seen.add(band.award)
            if band.up_to_place is not None:
                if last_place is not None and band.up_to_place <= last_place:
                    raise DomainError(_("Award %(award)s must reach further down than the award before it.")
                                      % {"award": award_name(band.award)}, field="bands")
                last_place = band.up_to_place
            else:
                percent = _exact(band.up_to_percent, band.award)
                if last_percent is not None and percent <= last_percent:
                    raise DomainError(_("Award %(award)s must reach further down than the award before it.")
                                      % {"award": award_name(band.award)}, field="bands")
                last_percent = percent
        if _exact(self.min_score, "min_score") < 0:
            raise DomainError(_("The minimum score cannot be negative."), field="min_score")


INDIVIDUAL_MERITS = AwardRules((
    AwardBand(FIRST_CLASS, up_to_place=1),
    AwardBand(SECOND_CLASS, up_to_place=3),
    AwardBand(THIRD_CLASS, up_to_percent=Decimal(20)),
))
COLLECTIVE_AWARDS = AwardRules((AwardBand(ADVANCED_COLLECTIVE, up_to_percent=Decimal(20)),))


def merit_awards(ranked: Sequence[Ranked], rules: AwardRules) -> dict[Any, str]:
    """The award of each awarded entrant (key → award code), in ranking order.

    An entrant gets the first band whose last place is at or below its place; entrants sharing a place
    share the award, so a tie at the edge of a band may give it to more entrants than the band's count.
    Percentages count every ranked entrant. A score of 0 (a vetoed or empty year) never earns an award,
    nor a score under `rules.min_score`. A band reaching no further than the previous one is empty.
    """
    entrants = len(ranked)
    limits = [(band.award, band.last_place(entrants)) for band in rules.bands]
    floor_score = _exact(rules.min_score, "min_score")
    awards: dict[Any, str] = {}
    for row in ranked:
        score = _exact(row.score, str(row.key))
        if score <= 0 or score < floor_score:
            continue
        for award, last in limits:
            if row.place <= last:
                awards[row.key] = award
                break
    return awards


# ---------------------------------------------------------------------------------------------
# An evaluator's input

EVALUATION_MAX = Decimal(100)


def clean_value(raw: Any) -> Decimal | None:
    """An evaluator's input as a value with two decimals, or None for a blank; refused with a clear message."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, float):
        raw = str(raw)
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(_("“%(value)s” is not a number.") % {"value": raw}, field="value") from None
    if not value.is_finite():
        raise DomainError(_("“%(value)s” is not a number.") % {"value": raw}, field="value")
    if not 0 <= value <= EVALUATION_MAX:
        raise DomainError(_("A value is between 0 and 100; %(value)s is not.") % {"value": raw}, field="value")
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(_("A value has at most two decimals; %(value)s has more.") % {"value": raw},
                          field="value")
    return value.quantize(Decimal("0.01"))
