"""Results of a stage as specifications: ranking with tie-breaks ("1224"), prize bands, the re-check (复核)
selection, advancement to the next stage and grade promotion (晋升技术等级)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjiang.competitions.rules import draws
from gongjiang.competitions.rules import ranking as r
from gongjiang.competitions.rules.ranking import (
    AdvancementRule,
    Band,
    Placed,
    PrizeRule,
    PromotionRule,
    Ranked,
    TieBreak,
)
from gongjiang.core.errors import DomainError

PRACTICAL = TieBreak("practical")
TIME = TieBreak("time", descending=False)
THEORY = TieBreak("theory")
STANDARD = (PRACTICAL, TIME, THEORY)
SEED = "5f0c6a1e9b2d4c3a8e7f6d5c4b3a2918"


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted on their English msgids, whatever catalogue is compiled."""
    with translation.override("en"):
        yield


def entry(id, total, practical=None, time=None, theory=None):
    keys = {k: v for k, v in {"practical": practical, "time": time, "theory": theory}.items() if v is not None}
    return Ranked(id=id, total=total, keys=keys)


def places(result):
    return [(p.id, p.place) for p in result]


def field_of(totals):
    """Placed entries with the given totals (ids 1, 2, ...), ranked without tie-breaks."""
    return r.rank([Ranked(id=i, total=t) for i, t in enumerate(totals, start=1)])


# --- Ranking -----------------------------------------------------------------------------------------------------


def test_entries_are_ranked_by_total_highest_first():
    result = r.rank([entry(1, 8000), entry(2, 9150), entry(3, 8575)], STANDARD)
    assert places(result) == [(2, 1), (3, 2), (1, 3)]
    assert [p.total for p in result] == [9150, 8575, 8000]
    assert not any(p.tied for p in result)


def test_equal_totals_are_separated_by_the_tie_breaks_in_order():
    result = r.rank([
        entry("a", 9000, practical=6300, time=3600, theory=2700),
        entry("b", 9000, practical=6400, time=3900, theory=2600),  # better practical: first
        entry("c", 9000, practical=6300, time=3500, theory=2700),  # same practical, less time: before a
        entry("d", 9000, practical=6300, time=3600, theory=2800),  # same practical and time, better theory
    ], STANDARD)
    assert places(result) == [("b", 1), ("c", 2), ("d", 3), ("a", 4)]


def test_entries_equal_on_everything_share_a_place_and_the_next_place_is_skipped():
    result = r.rank([
        entry(1, 9000, 6300, 3600), entry(2, 9500), entry(3, 9000, 6300, 3600), entry(4, 8000),
        entry(5, 9000, 6300, 3600),
    ], (PRACTICAL, TIME))
    assert places(result) == [(2, 1), (1, 2), (3, 2), (5, 2), (4, 5)]
    assert [p.tied for p in result] == [False, True, True, True, False]


def test_without_tie_breaks_equal_totals_tie():
    assert places(r.rank([entry(2, 50), entry(1, 50), entry(3, 40)])) == [(1, 1), (2, 1), (3, 3)]


def test_an_entry_lacking_a_tie_break_value_comes_after_those_having_it():
    result = r.rank([entry(1, 9000), entry(2, 9000, practical=1), entry(3, 9000)], (PRACTICAL,))
    assert places(result) == [(2, 1), (1, 2), (3, 2)]
    result = r.rank([entry(1, 9000, time=5000), entry(2, 9000)], (TIME,))
    assert places(result) == [(1, 1), (2, 2)]


def test_values_not_named_by_a_tie_break_do_not_count():
    assert places(r.rank([entry(1, 9000, practical=1), entry(2, 9000, practical=2)], (THEORY,))) == [(1, 1), (2, 1)]


def test_absent_and_disqualified_entries_are_listed_last_without_a_place():
    result = r.rank([Ranked(9, None), entry(1, 10), Ranked(3, None), entry(2, 20)], STANDARD)
    assert places(result) == [(2, 1), (1, 2), (3, None), (9, None)]
    assert [p.ranked for p in result] == [True, True, False, False]
    assert not result[-1].tied and result[-1].total is None


def test_decimal_and_integer_totals_rank_together_exactly():
    result = r.rank([entry(1, Decimal("90.005")), entry(2, 90), entry(3, Decimal("90.00"))])
    assert places(result) == [(1, 1), (2, 2), (3, 2)]


def test_the_result_keeps_each_entrys_values():
    [placed] = r.rank([entry(7, 9000, practical=6000, time=3000)], STANDARD)
    assert placed == Placed(id=7, place=1, total=9000, keys={"practical": 6000, "time": 3000}, tied=False)


def test_string_ids_sort_as_text_within_a_tie():
    assert [p.id for p in r.rank([entry("B07", 1), entry("A12", 1), entry("A02", 1)])] == ["A02", "A12", "B07"]


def test_an_empty_field_ranks_to_nothing():
    assert r.rank([], STANDARD) == []


@pytest.mark.parametrize("bad", [90.5, True, "90", Decimal("NaN"), Decimal("Infinity")])
def test_a_total_that_is_not_an_integer_or_a_finite_decimal_is_refused_naming_the_entry(bad):
    with pytest.raises(DomainError, match="The total of entry 42") as error:
        r.rank([entry(1, 10), entry(42, bad)])
    assert error.value.field == "total"


def test_a_tie_break_value_that_is_not_a_number_is_refused_naming_the_entry_and_value():
    with pytest.raises(DomainError, match="The value time of entry 3") as error:
        r.rank([entry(3, 10, time=12.5)], STANDARD)
    assert error.value.field == "tie_breaks"


def test_an_unranked_entrys_values_are_checked_too():
    with pytest.raises(DomainError, match="The value practical of entry 4"):
        r.rank([entry(4, None, practical=Decimal("sNaN"))], STANDARD)


def test_an_entry_twice_is_refused():
    with pytest.raises(DomainError, match="Entry 5 appears twice") as error:
        r.rank([entry(5, 10), entry(5, None)])
    assert error.value.field == "entries"


def test_a_tie_break_twice_or_without_a_name_is_refused():
    with pytest.raises(DomainError, match="Tie-break practical is given twice"):
        r.rank([entry(1, 10)], (PRACTICAL, TieBreak("practical", descending=False)))
    with pytest.raises(DomainError, match="needs the name"):
        TieBreak("")


ranked_entries = st.lists(
    st.builds(lambda total, practical, time: (total, practical, time),
              st.one_of(st.none(), st.integers(0, 5)), st.one_of(st.none(), st.integers(0, 3)),
              st.integers(0, 2)),
    max_size=20,
).map(lambda rows: [entry(i, t, practical=p, time=tm) for i, (t, p, tm) in enumerate(rows)])


def strictly_better(a: Ranked, b: Ranked) -> bool:
    """Oracle written from the rule: compare total, then practical (missing = worst), then time (lower wins)."""
    def key(e):
        practical = e.keys.get("practical")
        return (e.total, practical is not None, practical if practical is not None else 0, -e.keys["time"])
    return key(a) > key(b)


@settings(max_examples=100, deadline=None)
@given(entries=ranked_entries, data=st.data())
def test_ranking_depends_on_the_data_only_not_on_the_input_order(entries, data):
    shuffled = data.draw(st.permutations(entries))
    assert r.rank(shuffled, (PRACTICAL, TIME)) == r.rank(entries, (PRACTICAL, TIME))


@settings(max_examples=100, deadline=None)
@given(entries=ranked_entries)
def test_each_place_is_one_plus_the_number_strictly_better(entries):
    result = r.rank(entries, (PRACTICAL, TIME))
    by_id = {e.id: e for e in entries}
    ranked = [e for e in entries if e.total is not None]
    assert len(result) == len(entries)
    for placed in result:
        if placed.place is None:
            assert by_id[placed.id].total is None
            continue
        assert placed.place == 1 + sum(strictly_better(other, by_id[placed.id]) for other in ranked)
    listed = [p.place for p in result if p.place is not None]
    assert listed == sorted(listed)  # places never decrease down the list
    assert len(set(listed)) <= len(entries)
    assert all(p.place is None for p in result[len(listed):])  # unranked only at the end
    for placed in result:
        assert placed.tied == (placed.place is not None and listed.count(placed.place) > 1)


# --- Prize bands -------------------------------------------------------------------------------------------------

TEN_TWENTY_THIRTY = PrizeRule(bands=(Band(r.FIRST, percent=10), Band(r.SECOND, percent=20),
                                     Band(r.THIRD, percent=30)))


def prize_counts(prizes):
    return {prize: list(prizes.values()).count(prize) for prize in dict.fromkeys(prizes.values())}


def test_prize_bands_by_percentage_each_band_its_own_share_of_the_ranked_entrants():
    prizes = r.prize_bands(field_of(range(100, 80, -1)), TEN_TWENTY_THIRTY)  # 20 entrants
    assert prize_counts(prizes) == {r.FIRST: 2, r.SECOND: 4, r.THIRD: 6}
    assert [prizes[i] for i in (1, 2, 3, 6, 7, 12)] == [r.FIRST, r.FIRST, r.SECOND, r.SECOND, r.THIRD, r.THIRD]
    assert 13 not in prizes
    assert list(prizes) == list(range(1, 13))  # best first


def test_percentages_round_down():
    prizes = r.prize_bands(field_of(range(100, 85, -1)), TEN_TWENTY_THIRTY)  # 15: 1.5, 3, 4.5
    assert prize_counts(prizes) == {r.FIRST: 1, r.SECOND: 3, r.THIRD: 4}


def test_a_band_with_a_percentage_holds_at_least_one_entrant_when_anybody_is_ranked():
    assert r.prize_bands(field_of([90, 80, 70]), TEN_TWENTY_THIRTY) == {1: r.FIRST, 2: r.SECOND, 3: r.THIRD}
    assert r.prize_bands(field_of([90]), TEN_TWENTY_THIRTY) == {1: r.FIRST}
    assert r.prize_bands([], TEN_TWENTY_THIRTY) == {}


def test_a_band_of_zero_percent_is_empty():
    rule = PrizeRule(bands=(Band(r.FIRST, percent=0), Band(r.SECOND, percent=50)))
    assert r.prize_bands(field_of([90, 80, 70, 60]), rule) == {1: r.SECOND, 2: r.SECOND}


def test_a_decimal_percentage_is_computed_exactly():
    rule = PrizeRule(bands=(Band(r.FIRST, percent=Decimal("12.5")),))
    assert len(r.prize_bands(field_of(range(16)), rule)) == 2  # exactly 2.0, not 1.999...


def test_prize_bands_by_fixed_counts():
    rule = PrizeRule(bands=(Band(r.FIRST, count=1), Band(r.SECOND, count=2), Band(r.THIRD, count=3)))
    assert prize_counts(r.prize_bands(field_of(range(10)), rule)) == {r.FIRST: 1, r.SECOND: 2, r.THIRD: 3}
    assert r.prize_bands(field_of([9, 8]), rule) == {1: r.FIRST, 2: r.SECOND}
    assert r.prize_bands(field_of([9, 8]), PrizeRule(bands=(Band(r.FIRST, count=0),))) == {}


def test_entrants_tied_at_a_band_boundary_all_get_the_better_prize_and_the_next_band_shrinks():
    rule = PrizeRule(bands=(Band(r.FIRST, count=1), Band(r.SECOND, count=2), Band(r.THIRD, count=3)))
    prizes = r.prize_bands(field_of([100, 100, 90, 80, 80, 80, 70, 60]), rule)
    assert prizes == {1: r.FIRST, 2: r.FIRST,  # tied at the first-prize boundary
                      3: r.SECOND,  # the second band shrinks to one
                      4: r.THIRD, 5: r.THIRD, 6: r.THIRD}  # 6 positions in all; 7 and 8 get nothing


def test_a_tie_may_swallow_the_next_band_entirely():
    rule = PrizeRule(bands=(Band(r.FIRST, count=1), Band(r.SECOND, count=1), Band(r.THIRD, count=1)))
    assert r.prize_bands(field_of([100, 100, 100, 90]), rule) == {1: r.FIRST, 2: r.FIRST, 3: r.FIRST}


def test_a_merit_award_as_a_further_band():
    rule = PrizeRule(bands=(*TEN_TWENTY_THIRTY.bands, Band(r.MERIT, percent=20)))
    assert prize_counts(r.prize_bands(field_of(range(20)), rule)) == {
        r.FIRST: 2, r.SECOND: 4, r.THIRD: 6, r.MERIT: 4}


def test_a_merit_award_for_every_other_finisher_above_a_minimum_score():
    rule = PrizeRule(bands=(Band(r.FIRST, count=1), Band(r.SECOND, count=1)), merit_from=6000)
    prizes = r.prize_bands(field_of([9000, 8000, 7000, 6000, 5999, 3000]), rule)
    assert prizes == {1: r.FIRST, 2: r.SECOND, 3: r.MERIT, 4: r.MERIT}


def test_nobody_below_the_minimum_score_gets_a_prize_and_the_bands_are_not_refilled():
    rule = PrizeRule(bands=TEN_TWENTY_THIRTY.bands, min_total=Decimal("60"))
    prizes = r.prize_bands(field_of([95, 80, 61, Decimal("60.00"), 59, 58, 57, 56, 55, 54]), rule)
    assert prizes == {1: r.FIRST, 2: r.SECOND, 3: r.SECOND, 4: r.THIRD}
    merit = PrizeRule(bands=(Band(r.FIRST, count=1),), merit_from=10, min_total=50)
    assert r.prize_bands(field_of([90, 40]), merit) == {1: r.FIRST}  # the minimum binds the merit award too


def test_unranked_entrants_get_no_prize_and_do_not_count_in_the_percentage():
    placed = r.rank([Ranked(i, 100 - i) for i in range(1, 11)] + [Ranked(i, None) for i in range(11, 31)])
    prizes = r.prize_bands(placed, TEN_TWENTY_THIRTY)
    assert prize_counts(prizes) == {r.FIRST: 1, r.SECOND: 2, r.THIRD: 3}
    assert not set(prizes) & set(range(11, 31))


def test_prize_bands_ignore_the_order_of_the_list_given():
    placed = field_of([90, 80, 80, 70, 60])
    assert r.prize_bands(list(reversed(placed)), TEN_TWENTY_THIRTY) == r.prize_bands(placed, TEN_TWENTY_THIRTY)


def test_prize_labels():
    with translation.override("en"):
        assert [str(r.PRIZE_LABELS[p]) for p in (r.FIRST, r.SECOND, r.THIRD, r.MERIT)] == [
            "First prize", "Second prize", "Third prize", "Merit award"]


@pytest.mark.parametrize("kwargs, message", [
    ({}, "either a percentage or a count"),
    ({"percent": 10, "count": 2}, "either a percentage or a count"),
    ({"percent": 101}, "The share of prize first must be a percentage between 0 and 100"),
    ({"percent": -1}, "between 0 and 100"),
    ({"percent": 10.0}, "between 0 and 100"),
    ({"percent": Decimal("NaN")}, "between 0 and 100"),
    ({"count": -1}, "count of prize band first"),
    ({"count": True}, "count of prize band first"),
    ({"count": 1.0}, "count of prize band first"),
])
def test_a_band_needs_one_valid_share(kwargs, message):
    with pytest.raises(DomainError, match=message) as error:
        Band(r.FIRST, **kwargs)
    assert error.value.field == "bands"


def test_a_band_needs_a_prize():
    with pytest.raises(DomainError, match="needs a prize"):
        Band("", count=1)


@pytest.mark.parametrize("kwargs, message, field", [
    ({"bands": ()}, "at least one prize band", "bands"),
    ({"bands": (Band(r.FIRST, count=1), Band(r.FIRST, count=2))}, "Prize first has two bands", "bands"),
    ({"bands": (Band(r.FIRST, percent=60), Band(r.SECOND, percent=Decimal("40.01")))}, "more than 100", "bands"),
    ({"bands": (Band(r.MERIT, percent=10),), "merit_from": 60}, "either as a band or from a minimum", "merit_from"),
    ({"bands": (Band(r.FIRST, count=1),), "merit_from": 60.0}, "minimum score for the merit award", "merit_from"),
    ({"bands": (Band(r.FIRST, count=1),), "min_total": "60"}, "minimum score for a prize", "min_total"),
])
def test_an_inconsistent_prize_rule_is_refused(kwargs, message, field):
    with pytest.raises(DomainError, match=message) as error:
        PrizeRule(**kwargs)
    assert error.value.field == field


def test_a_rule_with_only_a_merit_threshold_is_allowed():
    assert r.prize_bands(field_of([70, 50]), PrizeRule(bands=(), merit_from=60)) == {1: r.MERIT}


ORDER_OF_PRIZES = [r.FIRST, r.SECOND, r.THIRD, r.MERIT, None]


@settings(max_examples=100, deadline=None)
@given(totals=st.lists(st.one_of(st.none(), st.integers(0, 8)), max_size=40),
       percents=st.lists(st.integers(0, 33), min_size=3, max_size=3),
       merit_from=st.one_of(st.none(), st.integers(0, 8)), min_total=st.one_of(st.none(), st.integers(0, 8)))
def test_a_better_rank_never_gets_a_worse_prize(totals, percents, merit_from, min_total):
    bands = tuple(Band(p, percent=pc) for p, pc in zip((r.FIRST, r.SECOND, r.THIRD), percents, strict=True))
    rule = PrizeRule(bands=bands, merit_from=merit_from, min_total=min_total)
    placed = r.rank([Ranked(i, t) for i, t in enumerate(totals)])
    prizes = r.prize_bands(placed, rule)
    ranked = [p for p in placed if p.ranked]
    grades = [ORDER_OF_PRIZES.index(prizes.get(p.id)) for p in ranked]
    assert grades == sorted(grades)
    for a in ranked:  # entrants sharing a place share a prize
        assert all(prizes.get(a.id) == prizes.get(b.id) for b in ranked if b.place == a.place)
    assert set(prizes) <= {p.id for p in ranked}
    if min_total is not None:
        assert all(p.total >= min_total for p in ranked if p.id in prizes)


# --- Re-check (复核) selection -----------------------------------------------------------------------------------


def test_recheck_takes_all_of_the_top_share_and_a_drawn_sample_of_the_rest():
    placed = field_of(range(200, 180, -1))  # 20 entrants, ids 1..20 in ranking order
    top, sampled = r.recheck_selection(placed, seed=SEED, purpose="event 3 final recheck")
    assert top == [1, 2, 3, 4, 5, 6]  # 30 % of 20
    assert len(sampled) == 3  # 15 % of the other 14 = 2.1, rounded up
    assert sampled == draws.sample(list(range(7, 21)), 3, SEED, "event 3 final recheck")  # a re-runnable draw


def test_recheck_shares_round_up():
    top, pool = r.recheck_pool(field_of(range(7)), top_percent=30)
    assert len(top) == 3 and len(pool) == 4  # 2.1 → 3
    top, sampled = r.recheck_selection(field_of(range(7)), 30, 15, seed=SEED, purpose="p")
    assert len(sampled) == 1  # 0.6 → 1


def test_recheck_includes_everyone_tied_at_the_cut():
    top, pool = r.recheck_pool(field_of([90, 80, 70, 70, 70, 60, 50, 40, 30, 20]), top_percent=30)
    assert top == [1, 2, 3, 4, 5] and pool == [6, 7, 8, 9, 10]


def test_recheck_leaves_out_the_unranked():
    placed = r.rank([Ranked(1, 90), Ranked(2, None), Ranked(3, 80), Ranked(4, 70)])
    assert r.recheck_pool(placed, 30) == ([1], [3, 4])
    top, sampled = r.recheck_selection(placed, 30, 100, seed=SEED, purpose="p")
    assert top == [1] and sorted(sampled) == [3, 4]


def test_recheck_extremes():
    placed = field_of(range(10))
    assert r.recheck_selection(placed, 0, 0, seed=SEED, purpose="p") == ([], [])
    top, sampled = r.recheck_selection(placed, 100, 50, seed=SEED, purpose="p")
    assert len(top) == 10 and sampled == []
    assert r.recheck_selection([], seed=SEED, purpose="p") == ([], [])


@pytest.mark.parametrize("top, sample, message, field", [
    (101, 15, "The share re-checked in full", "top_percent"),
    (30, -5, "The share sampled for re-check", "sample_percent"),
    (30.0, 15, "The share re-checked in full", "top_percent"),
])
def test_recheck_shares_must_be_percentages(top, sample, message, field):
    with pytest.raises(DomainError, match=message) as error:
        r.recheck_selection(field_of([1, 2]), top, sample, seed=SEED, purpose="p")
    assert error.value.field == field


def test_the_recheck_sample_needs_a_seed_and_a_purpose():
    with pytest.raises(DomainError) as error:
        r.recheck_selection(field_of([1, 2, 3, 4]), seed="", purpose="p")
    assert error.value.field == "seed"


@settings(max_examples=100, deadline=None)
@given(totals=st.lists(st.one_of(st.none(), st.integers(0, 10)), max_size=50), top_percent=st.integers(0, 100),
       sample_percent=st.integers(0, 100), seed=st.text(min_size=1, max_size=8))
def test_recheck_sets_are_disjoint_and_of_the_right_size(totals, top_percent, sample_percent, seed):
    placed = r.rank([Ranked(i, t) for i, t in enumerate(totals)])
    ranked = [p for p in placed if p.ranked]
    top, sampled = r.recheck_selection(placed, top_percent, sample_percent, seed=seed, purpose="recheck")
    assert not set(top) & set(sampled)
    assert set(top) | set(sampled) <= {p.id for p in ranked}
    assert len(sampled) == len(set(sampled))
    minimum_top = math.ceil(len(ranked) * top_percent / 100)
    assert len(top) >= minimum_top
    if top:  # the top is exactly everyone placed at or above the cut
        cut = max(p.place for p in ranked if p.id in top)
        assert set(top) == {p.id for p in ranked if p.place <= cut}
    rest = len(ranked) - len(top)
    assert len(sampled) == math.ceil(rest * sample_percent / 100)


# --- Advancement -------------------------------------------------------------------------------------------------

JINAN, QINGDAO, ZIBO = "济南市", "青岛市", "淄博市"


def org_field(start, totals):
    return r.rank([Ranked(start + i, t) for i, t in enumerate(totals)])


def advancing_ids(result):
    return [a.id for a in result]


def test_the_top_n_of_each_organising_org_advance():
    result = r.advancement({JINAN: org_field(100, [90, 80, 70]), QINGDAO: org_field(200, [95, 85, 75])},
                           AdvancementRule(top_n=2))
    assert advancing_ids(result) == [100, 101, 200, 201]
    assert [(a.org, a.place, a.reason, a.limit) for a in result[:2]] == [
        (JINAN, 1, r.REASON_TOP_N, 2), (JINAN, 2, r.REASON_TOP_N, 2)]


def test_orgs_come_in_a_fixed_order_and_entrants_by_place():
    result = r.advancement({3: org_field(30, [1, 2]), 1: org_field(10, [5, 9]), 2: org_field(20, [7])},
                           AdvancementRule(top_n=5))
    assert advancing_ids(result) == [11, 10, 20, 31, 30]


def test_a_percentage_rounds_down_with_at_least_one_or_up_when_configured():
    placed = {JINAN: org_field(100, range(10, 0, -1)), QINGDAO: org_field(200, [5, 4, 3])}
    result = r.advancement(placed, AdvancementRule(top_percent=25))
    assert advancing_ids(result) == [100, 101, 200]  # 济南 2.5 → 2, 青岛 0.75 → at least 1
    assert {a.reason for a in result} == {r.REASON_TOP_PERCENT}
    result = r.advancement(placed, AdvancementRule(top_percent=25, percent_rounding="ceil"))
    assert advancing_ids(result) == [100, 101, 102, 200]
    assert r.advancement(placed, AdvancementRule(top_percent=0)) == []


def test_a_city_quota_overrides_the_default_rule():
    placed = {JINAN: org_field(100, [9, 8, 7, 6]), QINGDAO: org_field(200, [9, 8, 7, 6]), ZIBO: org_field(300, [9])}
    result = r.advancement(placed, AdvancementRule(top_n=1, quotas={QINGDAO: 3, ZIBO: 0, "烟台市": 5}))
    assert [(a.id, a.reason, a.limit) for a in result] == [
        (100, r.REASON_TOP_N, 1), (200, r.REASON_QUOTA, 3), (201, r.REASON_QUOTA, 3), (202, r.REASON_QUOTA, 3)]


def test_quotas_alone_must_cover_every_org():
    placed = {JINAN: org_field(100, [9, 8]), QINGDAO: org_field(200, [9])}
    assert advancing_ids(r.advancement(placed, AdvancementRule(quotas={JINAN: 1, QINGDAO: 1}))) == [100, 200]
    with pytest.raises(DomainError, match="青岛市 has no quota") as error:
        r.advancement(placed, AdvancementRule(quotas={JINAN: 1}))
    assert error.value.field == "quotas"


def test_ties_at_the_cut_all_advance_when_the_rule_includes_them():
    placed = {JINAN: org_field(100, [90, 80, 80, 80, 70])}
    result = r.advancement(placed, AdvancementRule(top_n=2, ties=r.INCLUDE_TIED))
    assert [(a.id, a.place, a.tied_at_cut) for a in result] == [
        (100, 1, False), (101, 2, True), (102, 2, True), (103, 2, True)]


def test_ties_at_the_cut_that_do_not_fit_stay_out_under_a_strict_quota():
    placed = {JINAN: org_field(100, [90, 80, 80, 80, 70])}
    assert advancing_ids(r.advancement(placed, AdvancementRule(top_n=2, ties=r.STRICT))) == [100]
    assert advancing_ids(r.advancement(placed, AdvancementRule(top_n=4, ties=r.STRICT))) == [100, 101, 102, 103]


def test_a_tie_just_below_the_cut_changes_nothing():
    placed = {JINAN: org_field(100, [90, 80, 70, 70])}
    for ties in r.TIE_POLICIES:
        result = r.advancement(placed, AdvancementRule(top_n=2, ties=ties))
        assert advancing_ids(result) == [100, 101] and not any(a.tied_at_cut for a in result)


def test_tie_breaks_decide_at_the_cut_before_any_tie_rule():
    placed = {JINAN: r.rank([entry(1, 90, practical=60), entry(2, 90, practical=61), entry(3, 80)], STANDARD)}
    assert advancing_ids(r.advancement(placed, AdvancementRule(top_n=1, ties=r.STRICT))) == [2]


def test_the_unranked_never_advance_and_do_not_count_in_a_percentage():
    placed = {JINAN: r.rank([Ranked(1, 90), Ranked(2, None), Ranked(3, None), Ranked(4, None)])}
    assert advancing_ids(r.advancement(placed, AdvancementRule(top_n=3))) == [1]
    assert r.advancement({JINAN: org_field(1, [])}, AdvancementRule(top_n=3)) == []


def test_an_entrant_listed_under_two_orgs_is_refused():
    with pytest.raises(DomainError, match="Entry 7 is listed under both 济南市 and 青岛市") as error:
        r.advancement({JINAN: org_field(7, [1]), QINGDAO: org_field(7, [2])}, AdvancementRule(top_n=1))
    assert error.value.field == "entries"


def test_the_reason_for_advancing_is_given_in_words():
    with translation.override("en"):
        [by_quota] = r.advancement({QINGDAO: org_field(1, [9])}, AdvancementRule(quotas={QINGDAO: 1}))
        assert by_quota.describe() == "Place 1 in 青岛市, within its quota of 1."
        [by_rule] = r.advancement({JINAN: org_field(1, [9, 8])}, AdvancementRule(top_n=1))
        assert by_rule.describe() == "Place 1 in 济南市, within the 1 advancing."
        tied = r.advancement({JINAN: org_field(1, [9, 9])}, AdvancementRule(top_n=1))
        assert tied[1].describe() == "Place 1 in 济南市, tied at the cut of 1: all tied entrants go on."


@pytest.mark.parametrize("kwargs, message, field", [
    ({"top_n": 2, "top_percent": 10}, "not both", "top_n"),
    ({"top_n": -1}, "at least 0", "top_n"),
    ({"top_n": True}, "at least 0", "top_n"),
    ({"top_percent": 120}, "The share advancing", "top_percent"),
    ({}, "needs a number, a percentage or quotas", "top_n"),
    ({"top_n": 1, "quotas": {"济南市": -1}}, "quota of 济南市", "quotas"),
    ({"top_n": 1, "quotas": {"济南市": 1.5}}, "quota of 济南市", "quotas"),
    ({"top_n": 1, "ties": "coin"}, "Unknown way of handling ties: coin", "ties"),
    ({"top_percent": 10, "percent_rounding": "half-up"}, "Unknown rounding", "percent_rounding"),
])
def test_an_inconsistent_advancement_rule_is_refused(kwargs, message, field):
    with pytest.raises(DomainError, match=message) as error:
        AdvancementRule(**kwargs)
    assert error.value.field == field


orgs_with_totals = st.dictionaries(
    st.sampled_from([JINAN, QINGDAO, ZIBO, "烟台市"]),
    st.lists(st.one_of(st.none(), st.integers(0, 5)), max_size=12), max_size=4)


def to_placed(org_totals):
    placed, next_id = {}, 0
    for org, totals in org_totals.items():
        placed[org] = org_field(next_id, totals)
        next_id += len(totals)
    return placed


@settings(max_examples=100, deadline=None)
@given(org_totals=orgs_with_totals, top_n=st.integers(0, 6), quota=st.integers(0, 6), ties=st.sampled_from(
    r.TIE_POLICIES))
def test_advancement_never_exceeds_the_quota_except_by_ties_the_rule_includes(org_totals, top_n, quota, ties):
    placed = to_placed(org_totals)
    rule = AdvancementRule(top_n=top_n, quotas={QINGDAO: quota}, ties=ties)
    result = r.advancement(placed, rule)
    for org, entries in placed.items():
        going = [a for a in result if a.org == org]
        limit = quota if org == QINGDAO else top_n
        ranked = [p for p in entries if p.ranked]
        if ties == r.STRICT:
            assert len(going) <= limit
        else:
            assert len([a for a in going if not a.tied_at_cut]) <= limit
            assert len(going) >= min(limit, len(ranked))
        ids = {a.id for a in going}
        # Whoever advances is placed at least as well as everyone who does not.
        assert all(p.place >= a.place for a in going for p in ranked if p.id not in ids)
        assert all(a.limit == limit for a in going)


# --- Grade promotion ---------------------------------------------------------------------------------------------

P, C = r.LEVEL_PROVINCE, r.LEVEL_CITY
ONE, TWO = r.CLASS_ONE, r.CLASS_TWO


@pytest.mark.parametrize("place, level, klass, current, won_prize, proposed", [
    # Provincial 一类 final: top 3 may go to 高级技师 (grade 1), places 4–10 to 技师 (grade 2), others one grade up.
    (1, P, ONE, 0, True, 1), (3, P, ONE, 2, True, 1), (2, P, ONE, 5, True, 1),
    (1, P, ONE, 1, True, None),  # already 高级技师
    (4, P, ONE, 5, True, 2), (10, P, ONE, 3, True, 2),
    (10, P, ONE, 2, True, None), (7, P, ONE, 1, True, None),  # already there or above: never a demotion
    (11, P, ONE, 3, True, 2), (11, P, ONE, 0, True, 5), (40, P, ONE, 2, True, 1), (11, P, ONE, 1, True, None),
    (11, P, ONE, 3, False, None),  # no prize, no promotion
    (2, P, ONE, 4, False, None),  # a top place without a prize (below the minimum score) is not promoted
    # Provincial 二类 final: top 3 to 技师, other prize winners one grade up.
    (1, P, TWO, 4, True, 2), (3, P, TWO, 0, True, 2), (2, P, TWO, 2, True, None), (2, P, TWO, 1, True, None),
    (4, P, TWO, 4, True, 3), (4, P, TWO, 2, True, 1), (4, P, TWO, 4, False, None),
    # City competitions: one grade up for prize winners, whatever the class.
    (1, C, ONE, 3, True, 2), (1, C, TWO, 0, True, 5), (8, C, None, 5, True, 4), (1, C, ONE, 3, False, None),
    (1, C, ONE, 1, True, None),
    # County and enterprise competitions, unknown levels and classes: no promotion by default.
    (1, r.LEVEL_COUNTY, ONE, 3, True, None), (1, r.LEVEL_ENTERPRISE, None, 3, True, None),
    (1, "national", ONE, 3, True, None), (1, P, "class3", 3, True, None), (1, P, None, 3, True, None),
    # Unranked (absent, disqualified): nothing.
    (None, P, ONE, 3, True, None),
])
def test_the_default_promotion_table(place, level, klass, current, won_prize, proposed):
    assert r.promotion(place, level, klass, current, won_prize=won_prize) == proposed


def test_promotion_never_goes_above_the_highest_grade_of_the_trade():
    assert r.promotion(1, P, ONE, 5, won_prize=True, highest_grade=3) == 3
    assert r.promotion(1, P, ONE, 3, won_prize=True, highest_grade=3) is None
    assert r.promotion(20, P, ONE, 4, won_prize=True, highest_grade=3) == 3


def test_a_custom_table_is_tried_in_order_and_the_first_match_decides():
    table = (
        PromotionRule(r.LEVEL_COUNTY, first_place=1, last_place=1, target_grade=3),
        PromotionRule(r.LEVEL_COUNTY, first_place=1, steps=2, prize_required=False),  # open-ended places
        PromotionRule(r.LEVEL_COUNTY, last_place=99, target_grade=1),  # never reached: the row above matches first
    )
    assert r.promotion(1, r.LEVEL_COUNTY, None, 5, table, won_prize=True) == 3
    assert r.promotion(1, r.LEVEL_COUNTY, None, 2, table, won_prize=True) is None  # first row decides: no change
    assert r.promotion(50, r.LEVEL_COUNTY, "any", 5, table, won_prize=False) == 3
    assert r.promotion(50, r.LEVEL_COUNTY, "any", 0, table, won_prize=False) == 4
    assert r.promotion(50, r.LEVEL_COUNTY, "any", 2, table, won_prize=False) == 1
    assert r.promotion(1, P, ONE, 5, table, won_prize=True) is None
    assert r.promotion(1, P, ONE, 5, (), won_prize=True) is None


@pytest.mark.parametrize("kwargs, message", [
    ({}, "either a target grade or a number of steps"),
    ({"target_grade": 2, "steps": 1}, "either a target grade or a number of steps"),
    ({"target_grade": 0}, "Grade 0 does not exist"),
    ({"target_grade": 6}, "Grade 6 does not exist"),
    ({"steps": -1}, "positive number of grades"),
    ({"target_grade": 2, "steps": -1}, "positive number of grades"),
    ({"steps": True}, "positive number of grades"),
    ({"steps": 1, "first_place": 0}, "Places in a promotion rule start at 1"),
    ({"steps": 1, "last_place": True}, "Places in a promotion rule start at 1"),
    ({"steps": 1, "first_place": 5, "last_place": 4}, "run backwards: 5 to 4"),
])
def test_an_inconsistent_promotion_rule_is_refused(kwargs, message):
    with pytest.raises(DomainError, match=message) as error:
        PromotionRule(P, **kwargs)
    assert error.value.field == "rules"


@pytest.mark.parametrize("kwargs, field", [
    ({"current_grade": 6}, "current_grade"), ({"current_grade": -1}, "current_grade"),
    ({"current_grade": True}, "current_grade"), ({"current_grade": "3"}, "current_grade"),
    ({"highest_grade": 0}, "highest_grade"), ({"highest_grade": 6}, "highest_grade"),
    ({"place": 0}, "place"), ({"place": -3}, "place"), ({"place": True}, "place"), ({"place": 1.0}, "place"),
])
def test_promotion_refuses_impossible_grades_and_places(kwargs, field):
    args = {"place": 1, "current_grade": 3, "highest_grade": 1, **kwargs}
    with pytest.raises(DomainError) as error:
        r.promotion(args["place"], P, ONE, args["current_grade"], won_prize=True,
                    highest_grade=args["highest_grade"])
    assert error.value.field == field


def test_the_default_table_is_data():
    assert r.DEFAULT_PROMOTION_RULES[0] == PromotionRule(P, ONE, first_place=1, last_place=3, target_grade=1)
    assert all(isinstance(row, PromotionRule) for row in r.DEFAULT_PROMOTION_RULES)


@settings(max_examples=100, deadline=None)
@given(place=st.one_of(st.none(), st.integers(1, 60)), level=st.sampled_from([P, C, r.LEVEL_COUNTY, "x"]),
       klass=st.sampled_from([ONE, TWO, None]), current=st.integers(0, 5), won_prize=st.booleans(),
       highest=st.integers(1, 5))
def test_promotion_is_never_a_demotion_nor_beyond_the_highest_grade(place, level, klass, current, won_prize,
                                                                    highest):
    proposed = r.promotion(place, level, klass, current, won_prize=won_prize, highest_grade=highest)
    if proposed is not None:
        assert highest <= proposed <= 5
        assert current == 0 or proposed < current
        assert won_prize  # every default row needs a prize
    better = r.promotion(place - 1 if place and place > 1 else place, level, klass, current, won_prize=won_prize,
                         highest_grade=highest)
    if proposed is not None:  # a better place never proposes a lower grade
        assert better is not None and better <= proposed
