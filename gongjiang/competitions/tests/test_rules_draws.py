"""Draws (抽签) are reproducible and witnessed: the same record always re-runs to the same result, on any Python
version, because the algorithm is our own and documented (gongjiang-draw-v1), not Python's `random`."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjiang.competitions.rules import draws
from gongjiang.competitions.rules.draws import DrawStream
from gongjiang.core.errors import DomainError

SEED = "5f0c6a1e9b2d4c3a8e7f6d5c4b3a2918"


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted on their English msgids, whatever catalogue is compiled."""
    with translation.override("en"):
        yield
seeds = st.text(min_size=1, max_size=40)
purposes = st.text(min_size=1, max_size=40).filter(lambda s: s.strip())


# --- The algorithm as documented, re-implemented independently --------------------------------------------------


def reference_words(seed: str, purpose: str):
    """Step 1–2 of the module docstring, written from the description, not from the code."""
    s, p = seed.encode(), purpose.encode()
    prefix = b"gongjiang-draw-v1\x00" + len(s).to_bytes(4, "big") + s + len(p).to_bytes(4, "big") + p
    for counter in itertools.count():
        block = hashlib.sha256(prefix + counter.to_bytes(8, "big")).digest()
        for i in range(4):
            yield int.from_bytes(block[8 * i:8 * i + 8], "big")


def reference_below(words, n: int) -> int:
    limit = 2**64 - 2**64 % n
    while True:
        x = next(words)
        if x < limit:
            return x % n


def reference_shuffle(items, seed, purpose):
    words, items = reference_words(seed, purpose), list(items)
    for i in range(len(items) - 1):
        j = i + reference_below(words, len(items) - i)
        items[i], items[j] = items[j], items[i]
    return items


def reference_codes(items, seed, purpose, length):
    words, low, used, collisions = reference_words(seed, purpose), 10 ** (length - 1), set(), 0
    codes = {}
    for item in items:
        code = low + reference_below(words, 9 * low)
        while code in used:
            collisions += 1
            code = low + reference_below(words, 9 * low)
        used.add(code)
        codes[item] = str(code)
    return codes, collisions


def test_the_word_stream_is_sha256_in_counter_mode_over_seed_purpose_and_counter():
    stream, reference = DrawStream("gongjiang", "golden"), reference_words("gongjiang", "golden")
    assert [stream.word() for _ in range(9)] == [next(reference) for _ in range(9)]  # crosses two block borders
    assert stream.words_used == 9


@pytest.mark.parametrize("seed, purpose", [("s", "p"), (SEED, "2025 省赛 车工 决赛 赛位号"), ("种子", "加密号")])
def test_shuffle_follows_the_documented_fisher_yates(seed, purpose):
    items = list(range(37))
    assert draws.shuffle(items, seed, purpose) == reference_shuffle(items, seed, purpose)


def test_anonymous_codes_follow_the_documented_redraw_on_collision():
    # Nine 2-digit codes out of 90: some seeds collide, and the redraw must be exactly as documented.
    collided = 0
    for n in range(40):
        expected, collisions = reference_codes(list("abcdefghi"), f"seed {n}", "codes", 2)
        assert draws.anonymous_codes(list("abcdefghi"), f"seed {n}", "codes", length=2) == expected
        collided += collisions > 0
    assert collided > 0


# --- Golden vectors: any change of the algorithm fails here (and breaks every recorded draw) ---------------------


def test_golden_words():
    stream = DrawStream("gongjiang", "golden")
    assert [stream.word() for _ in range(5)] == [
        6083100383133947729, 1454385125529292113, 8897587395456124259, 3459155413121619351, 4099875111087678044]


def test_golden_shuffle():
    assert draws.shuffle(list(range(1, 21)), SEED, "2025 省赛 车工 决赛 赛位号") == [
        9, 10, 4, 16, 7, 5, 19, 2, 17, 15, 6, 1, 12, 3, 18, 11, 8, 13, 20, 14]


def test_golden_sample():
    assert draws.sample(list(range(1, 101)), 10, SEED, "team members") == [24, 86, 77, 52, 79, 99, 40, 43, 67, 12]


def test_golden_numbers():
    assert draws.assign_numbers(["张三", "李四", "王五", "赵六", "孙七"], SEED, "stations") == {
        "张三": "004", "李四": "001", "王五": "003", "赵六": "002", "孙七": "005"}


def test_golden_codes():
    assert draws.anonymous_codes([101, 102, 103, 104, 105], SEED, "codes") == {
        101: "822591", 102: "505917", 103: "449496", 104: "240075", 105: "604723"}


def test_golden_input_digest_and_seed_from():
    assert draws.input_digest([1, "张三", [2, 3]]) == (
        "11b0a4ac73814e973db4a84b93560f4a7883f2d51eacba97b116cde523b8924c")
    assert draws.seed_from("server", "17", "88") == "a6e9a020768ff80891852279b1f6a58c"


# --- Reproducibility and independence ----------------------------------------------------------------------------


def test_the_same_seed_and_purpose_give_the_same_result_on_every_run():
    items = [f"P{n:03d}" for n in range(50)]
    runs = [draws.shuffle(items, SEED, "order") for _ in range(5)]
    assert all(run == runs[0] for run in runs)


def test_a_different_purpose_or_seed_gives_an_independent_result():
    items = list(range(30))
    base = draws.shuffle(items, SEED, "stations")
    assert draws.shuffle(items, SEED, "codes") != base
    assert draws.shuffle(items, SEED + "0", "stations") != base


def test_the_seed_and_purpose_are_length_prefixed_so_moving_a_character_between_them_changes_the_stream():
    assert DrawStream("ab", "c").word() != DrawStream("a", "bc").word()


def test_the_input_order_is_part_of_the_draw():
    assert draws.shuffle([1, 2, 3, 4, 5, 6], SEED, "x") != draws.shuffle([6, 5, 4, 3, 2, 1], SEED, "x")


def test_shuffle_does_not_change_its_input_and_accepts_any_sequence():
    items = [3, 1, 2]
    draws.shuffle(items, SEED, "x")
    assert items == [3, 1, 2]
    assert sorted(draws.shuffle((3, 1, 2), SEED, "x")) == [1, 2, 3]
    assert draws.shuffle([], SEED, "x") == []
    assert draws.shuffle(["only"], SEED, "x") == ["only"]


@pytest.mark.parametrize("seed, purpose, field", [
    ("", "stations", "seed"), (None, "stations", "seed"), (SEED, "", "purpose"), (SEED, "   ", "purpose"),
    (SEED, None, "purpose"),
])
def test_a_draw_needs_a_seed_and_a_purpose(seed, purpose, field):
    with pytest.raises(DomainError) as error:
        draws.shuffle([1, 2], seed, purpose)
    assert error.value.field == field


# --- The integer draw --------------------------------------------------------------------------------------------


def test_below_one_is_always_zero_and_below_two_to_the_64_is_the_word_itself():
    stream, reference = DrawStream(SEED, "x"), reference_words(SEED, "x")
    assert [stream.below(1) for _ in range(3)] == [0, 0, 0]
    [next(reference) for _ in range(3)]
    assert stream.below(2**64) == next(reference)


@pytest.mark.parametrize("n", [0, -1, 2**64 + 1])
def test_below_refuses_an_empty_or_too_large_range(n):
    with pytest.raises(ValueError):
        DrawStream(SEED, "x").below(n)


def test_below_rejects_words_in_the_biased_tail_and_draws_again():
    # For n = 2**63 + 1 almost half of all words fall in the tail and must be rejected.
    n, draws_needing_more_words = 2**63 + 1, 0
    for k in range(40):
        stream = DrawStream(f"seed {k}", "tail")
        value = stream.below(n)
        assert 0 <= value < n
        draws_needing_more_words += stream.words_used > 1
    assert 5 < draws_needing_more_words < 35


def chi_square(counts: Counter, cells: int, total: int) -> float:
    expected = total / cells
    return sum((counts.get(cell, 0) - expected) ** 2 / expected for cell in range(cells))


def test_below_is_uniform():
    stream = DrawStream(SEED, "uniformity")
    counts = Counter(stream.below(7) for _ in range(14000))
    assert chi_square(counts, 7, 14000) < 22.46  # 6 degrees of freedom, p = 0.001


def test_every_permutation_of_three_is_equally_likely():
    perms = {p: i for i, p in enumerate(itertools.permutations("abc"))}
    counts = Counter(perms[tuple(draws.shuffle("abc", f"seed {k}", "perm"))] for k in range(6000))
    assert len(counts) == 6
    assert chi_square(counts, 6, 6000) < 20.52  # 5 degrees of freedom, p = 0.001


def test_every_item_is_equally_likely_to_be_drawn_first_or_last():
    items = list(range(10))
    firsts = Counter(draws.sample(items, 1, f"seed {k}", "first")[0] for k in range(5000))
    lasts = Counter(draws.shuffle(items, f"seed {k}", "last")[-1] for k in range(5000))
    assert chi_square(firsts, 10, 5000) < 27.88  # 9 degrees of freedom, p = 0.001
    assert chi_square(lasts, 10, 5000) < 27.88


# --- Sample ------------------------------------------------------------------------------------------------------


def test_a_sample_is_the_beginning_of_the_shuffle_in_drawing_order():
    items = [f"W{n}" for n in range(25)]
    full = draws.shuffle(items, SEED, "team")
    for k in range(26):
        assert draws.sample(items, k, SEED, "team") == full[:k]


@pytest.mark.parametrize("k", [-1, 1.0, True, "3"])
def test_a_sample_size_must_be_a_whole_number_of_at_least_zero(k):
    with pytest.raises(DomainError) as error:
        draws.sample([1, 2, 3], k, SEED, "team")
    assert error.value.field == "k"


def test_a_sample_larger_than_the_candidates_is_refused():
    with pytest.raises(DomainError, match="Cannot draw 4 from only 3 candidates") as error:
        draws.sample([1, 2, 3], 4, SEED, "team")
    assert error.value.field == "k"


# --- Numbers (赛位号, order) -------------------------------------------------------------------------------------


def test_numbers_are_zero_padded_consecutive_and_follow_the_drawn_order():
    items = [f"P{n}" for n in range(12)]
    numbers = draws.assign_numbers(items, SEED, "stations")
    assert list(numbers) == items  # in input order
    assert sorted(numbers.values()) == [f"{n:03d}" for n in range(1, 13)]
    drawn = draws.shuffle(items, SEED, "stations")
    assert [numbers[item] for item in drawn] == [f"{n:03d}" for n in range(1, 13)]


def test_numbers_may_start_anywhere_and_use_any_width():
    numbers = draws.assign_numbers(["a", "b", "c"], SEED, "order", start=0, width=1)
    assert sorted(numbers.values()) == ["0", "1", "2"]
    numbers = draws.assign_numbers(["a", "b"], SEED, "order", start=98, width=2)
    assert sorted(numbers.values()) == ["98", "99"]
    assert draws.assign_numbers([], SEED, "order", start=5000, width=1) == {}


def test_numbers_that_do_not_fit_the_width_are_refused():
    with pytest.raises(DomainError, match="do not fit in 2 digits") as error:
        draws.assign_numbers(["a", "b", "c"], SEED, "order", start=98, width=2)
    assert error.value.field == "width"
    assert len(draws.assign_numbers(list(range(999)), SEED, "order")) == 999
    with pytest.raises(DomainError):
        draws.assign_numbers(list(range(1000)), SEED, "order")


@pytest.mark.parametrize("start, width, field", [(-1, 3, "start"), (True, 3, "start"), (1.0, 3, "start"),
                                                 (1, 0, "width"), (1, False, "width"), (1, "3", "width")])
def test_numbers_need_a_sensible_start_and_width(start, width, field):
    with pytest.raises(DomainError) as error:
        draws.assign_numbers(["a"], SEED, "order", start=start, width=width)
    assert error.value.field == field


def test_a_contestant_twice_in_a_numbering_draw_is_refused_by_name():
    with pytest.raises(DomainError, match="张三 appears twice") as error:
        draws.assign_numbers(["张三", "李四", "张三"], SEED, "stations")
    assert error.value.field == "items"


# --- Anonymous codes (加密号) ------------------------------------------------------------------------------------


def test_anonymous_codes_are_distinct_digits_of_the_given_length_without_a_leading_zero():
    codes = draws.anonymous_codes(list(range(500)), SEED, "codes")
    assert list(codes) == list(range(500))
    assert len(set(codes.values())) == 500
    assert all(re.fullmatch(r"[1-9][0-9]{5}", code) for code in codes.values())
    assert all(re.fullmatch(r"[1-9][0-9]{7}", code)
               for code in draws.anonymous_codes([1, 2], SEED, "codes", length=8).values())


def test_anonymous_codes_do_not_reveal_the_input_order():
    items = list(range(20))
    for k in range(5):
        codes = draws.anonymous_codes(items, f"seed {k}", "codes")
        assert sorted(items, key=codes.__getitem__) != items
    assert draws.anonymous_codes(items, SEED, "first encryption") != draws.anonymous_codes(items, SEED, "second")


def test_anonymous_codes_keep_the_code_space_ten_times_larger_than_the_entries():
    assert len(draws.anonymous_codes(list(range(9)), SEED, "codes", length=2)) == 9  # 9 of 90
    with pytest.raises(DomainError, match="10 entries are too many for 2-digit") as error:
        draws.anonymous_codes(list(range(10)), SEED, "codes", length=2)
    assert error.value.field == "length"


@pytest.mark.parametrize("length", [1, 0, True, 6.0])
def test_anonymous_codes_need_at_least_two_digits(length):
    with pytest.raises(DomainError) as error:
        draws.anonymous_codes([1], SEED, "codes", length=length)
    assert error.value.field == "length"


def test_an_entry_twice_in_an_encryption_draw_is_refused():
    with pytest.raises(DomainError, match="7 appears twice"):
        draws.anonymous_codes([7, 8, 7], SEED, "codes")


# --- Seeds ------------------------------------------------------------------------------------------------------


def test_a_new_seed_is_32_hex_characters_and_never_repeats():
    fresh = {draws.new_seed() for _ in range(100)}
    assert len(fresh) == 100
    assert all(re.fullmatch(r"[0-9a-f]{32}", seed) for seed in fresh)


def test_a_seed_from_witnesses_is_the_hash_of_their_parts_in_order():
    expected = hashlib.sha256(json.dumps(["server", "17", "88"], separators=(",", ":")).encode()).hexdigest()[:32]
    assert draws.seed_from("server", "17", "88") == expected
    assert draws.seed_from(" server ", "17\n", "88") == expected  # blanks around a part do not count
    assert draws.seed_from("server", "88", "17") != expected  # the order does
    assert draws.seed_from("1", "23") != draws.seed_from("12", "3")  # parts are kept apart


@pytest.mark.parametrize("parts", [(), ("",), ("server", "  "), ("server", 17)])
def test_every_seed_part_must_be_given(parts):
    with pytest.raises(DomainError) as error:
        draws.seed_from(*parts)
    assert error.value.field == "seed"


# --- Input digest ------------------------------------------------------------------------------------------------


def test_the_input_digest_binds_the_candidates_and_their_order():
    digest = draws.input_digest([1, 2, 3])
    assert digest == hashlib.sha256(b"[1,2,3]").hexdigest()
    assert draws.input_digest((1, 2, 3)) == digest
    assert draws.input_digest([3, 2, 1]) != digest
    assert draws.input_digest([1, 2]) != digest
    assert draws.input_digest([{"b": 1, "a": "张"}]) == hashlib.sha256('[{"a":"张","b":1}]'.encode()).hexdigest()


@pytest.mark.parametrize("bad", [Decimal("1.5"), {1, 2}, float("nan"), object()])
def test_an_input_that_cannot_be_recorded_is_refused_by_position(bad):
    with pytest.raises(DomainError, match="Draw input 2 ") as error:
        draws.input_digest([1, bad])
    assert error.value.field == "items"


# --- Records and verification ------------------------------------------------------------------------------------

RECORDED = [
    (draws.SHUFFLE, {}),
    (draws.SAMPLE, {"k": 4}),
    (draws.NUMBERS, {"start": 1, "width": 3}),
    (draws.NUMBERS, {}),
    (draws.CODES, {"length": 6}),
]


@pytest.mark.parametrize("kind, params", RECORDED)
def test_a_stored_record_re_runs_to_the_same_result(kind, params):
    record = draws.perform(kind, list(range(101, 111)), SEED, f"event 3 {kind}", **params)
    stored = json.loads(json.dumps(record.as_json()))  # as it comes back from a JSON column
    assert stored["algorithm"] == "gongjiang-draw-v1"
    assert stored["input_digest"] == draws.input_digest(list(range(101, 111)))
    assert draws.verify_record(stored)
    assert draws.verify(stored["inputs"], SEED, f"event 3 {kind}", record.result, kind=kind, params=params,
                        digest=record.input_digest)


def test_a_record_holds_what_was_drawn():
    record = draws.perform(draws.SAMPLE, ["a", "b", "c"], SEED, "team", k=2)
    assert record.result == draws.sample(["a", "b", "c"], 2, SEED, "team")
    assert record.inputs == ("a", "b", "c") and record.params == {"k": 2} and record.kind == "sample"
    assert record.as_json()["result"] == record.result
    numbers = draws.perform(draws.NUMBERS, [5, 6], SEED, "order")
    assert numbers.as_json()["result"] == [[5, numbers.result[5]], [6, numbers.result[6]]]


def test_verify_accepts_a_mapping_result_as_a_dict_or_as_pairs():
    codes = draws.anonymous_codes([1, 2, 3], SEED, "codes")
    assert draws.verify([1, 2, 3], SEED, "codes", codes, kind=draws.CODES)
    assert draws.verify([1, 2, 3], SEED, "codes", list(codes.items()), kind=draws.CODES)
    assert not draws.verify([1, 2, 3], SEED, "codes", {**codes, 3: "111111"}, kind=draws.CODES)


def test_verify_fails_when_anything_in_the_record_was_changed():
    items = list(range(1, 11))
    result = draws.shuffle(items, SEED, "order")
    digest = draws.input_digest(items)
    assert draws.verify(items, SEED, "order", result, digest=digest)
    assert not draws.verify(items, SEED + "x", "order", result)
    assert not draws.verify(items, SEED, "stations", result)
    assert not draws.verify(items, SEED, "order", list(reversed(result)))
    assert not draws.verify([*items[1:], items[0]], SEED, "order", result, digest=digest)  # other input order
    assert not draws.verify(items, SEED, "order", [object()])  # a result that is not even data


def test_verify_record_fails_on_a_damaged_or_foreign_record():
    good = draws.perform(draws.SAMPLE, list(range(10)), SEED, "team", k=3).as_json()
    assert draws.verify_record(good)
    assert not draws.verify_record({**good, "algorithm": "python-random"})
    assert not draws.verify_record({**good, "seed": "another"})
    assert not draws.verify_record({**good, "inputs": list(range(11))})  # digest no longer matches
    assert not draws.verify_record({**good, "params": {"k": 30}})  # cannot even be re-run
    assert not draws.verify_record({key: value for key, value in good.items() if key != "seed"})


@pytest.mark.parametrize("kind, params, message", [
    ("lottery", {}, "Unknown kind of draw"),
    (draws.SHUFFLE, {"k": 2}, "takes no parameter k"),
    (draws.CODES, {"width": 3}, "takes no parameter width"),
    (draws.SAMPLE, {}, "needs the number to draw"),
])
def test_a_draw_of_an_unknown_kind_or_with_wrong_parameters_is_refused(kind, params, message):
    with pytest.raises(DomainError, match=message):
        draws.perform(kind, [1, 2, 3], SEED, "x", **params)


# --- Properties --------------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(items=st.lists(st.integers(-5, 5), max_size=30), seed=seeds, purpose=purposes)
def test_shuffle_is_a_permutation_and_reproducible(items, seed, purpose):
    drawn = draws.shuffle(items, seed, purpose)
    assert Counter(drawn) == Counter(items)
    assert draws.shuffle(items, seed, purpose) == drawn
    assert draws.verify(items, seed, purpose, drawn)


@settings(max_examples=200, deadline=None)
@given(data=st.data(), items=st.lists(st.integers(), unique=True, max_size=30), seed=seeds, purpose=purposes)
def test_a_sample_never_repeats_a_candidate(data, items, seed, purpose):
    k = data.draw(st.integers(0, len(items)))
    drawn = draws.sample(items, k, seed, purpose)
    assert len(drawn) == k == len(set(drawn))
    assert set(drawn) <= set(items)


@settings(max_examples=100, deadline=None)
@given(items=st.lists(st.text(max_size=5), unique=True, max_size=60), seed=seeds, purpose=purposes)
def test_numbers_and_codes_are_one_to_one(items, seed, purpose):
    numbers = draws.assign_numbers(items, seed, purpose)
    assert sorted(numbers.values()) == [f"{n:03d}" for n in range(1, len(items) + 1)]
    codes = draws.anonymous_codes(items, seed, purpose)
    assert list(codes) == items and len(set(codes.values())) == len(items)
