"""The technical associations' rules, without a database: the network's parent and levels (against a brute force
over the paths, hypothesis), council terms that never overlap, exactly one chair, the activities' data and states,
honours, leaving, 万元, and the members at a year's end from the flows."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gongjiang.innovation.rules import techassoc as rules

D = Decimal
day = datetime.date
STEP = st.text(alphabet="01", min_size=4, max_size=4)
PATHS = st.lists(st.lists(STEP, min_size=1, max_size=5).map("".join), max_size=25, unique=True)


def brute_parent(path: str, paths: list[str]) -> str | None:
    above = [p for p in paths if p != path and len(p) < len(path) and path[: len(p)] == p]
    return max(above, key=len) if above else None


@given(PATHS)
def test_the_parent_is_the_nearest_association_above(paths):
    for p in paths:
        assert rules.network_parent(p, paths) == brute_parent(p, paths)


@given(PATHS)
def test_the_network_lists_each_parent_before_its_children_at_the_right_level(paths):
    nodes = rules.network(paths)
    assert sorted(n.path for n in nodes) == sorted(paths)
    seen: dict[str, int] = {}
    for n in nodes:
        assert n.parent == brute_parent(n.path, paths)
        assert n.level == (0 if n.parent is None else seen[n.parent] + 1)
        seen[n.path] = n.level


def test_the_parent_skips_unions_without_an_association():
    paths = ["0001", "00010002", "0001000200030004"]  # province, city, an enterprise (no county association)
    assert rules.network_parent("0001000200030004", paths) == "00010002"
    assert rules.network_parent("0001", paths) is None
    assert rules.network_parent("00010003", paths) == "0001"  # another city


TERMS = [rules.Term(1, day(2014, 6, 1), day(2019, 5, 31)), rules.Term(2, day(2019, 6, 1), day(2024, 5, 31))]


def test_a_new_term_follows_the_current_one():
    assert rules.term_problem(3, day(2024, 6, 1), day(2029, 5, 31), TERMS) is None
    assert rules.term_problem(3, day(2024, 1, 1), day(2028, 12, 31), TERMS) is None  # early: closes the current
    assert rules.closing_day(TERMS[1], day(2024, 1, 1)) == day(2023, 12, 31)
    assert rules.closing_day(TERMS[1], day(2025, 1, 1)) is None  # ended already
    assert rules.term_problem(1, day(2024, 1, 1), day(2028, 1, 1), []) is None


def test_overlapping_terms_and_wrong_numbers_are_refused():
    assert rules.term_problem(3, day(2019, 6, 1), day(2029, 5, 31), TERMS) == ("overlap", TERMS[1])
    assert rules.term_problem(3, day(2018, 1, 1), day(2029, 5, 31), TERMS) == ("overlap", TERMS[1])
    assert rules.term_problem(2, day(2025, 1, 1), day(2029, 5, 31), TERMS) == ("number", TERMS[1])
    assert rules.term_problem(3, day(2025, 1, 1), day(2025, 1, 1), TERMS) == ("order", None)
    assert rules.term_problem(0, day(2025, 1, 1), day(2026, 1, 1), []) == ("number", None)


DATES = st.dates(min_value=day(2000, 1, 1), max_value=day(2040, 12, 31))


@given(st.lists(st.tuples(DATES, st.integers(min_value=30, max_value=2000)), max_size=6))
def test_terms_accepted_one_after_another_never_overlap(plan):
    """Starting every accepted term the way the verb does (closing the current one) leaves terms that never overlap
    and follow each other in number and time."""
    terms: list[rules.Term] = []
    for starts, length in plan:
        ends = starts + datetime.timedelta(days=length)
        number = len(terms) + 1
        if rules.term_problem(number, starts, ends, terms) is not None:
            continue
        if terms:
            closing = rules.closing_day(terms[-1], starts)
            if closing is not None:
                terms[-1] = rules.Term(terms[-1].number, terms[-1].starts, closing)
        terms.append(rules.Term(number, starts, ends))
    for a, b in itertools.pairwise(terms):
        assert a.ends < b.starts and a.number < b.number and a.starts <= a.ends


def test_a_council_has_exactly_one_chair():
    assert rules.seats_problem([(1, "chair"), (2, "director")]) is None
    assert rules.seats_problem([(1, "chair"), (2, "chair")]) == "chairs"
    assert rules.seats_problem([(1, "director")]) == "no_chair"
    assert rules.seats_problem([(1, "chair"), (1, "director")]) == "twice"
    assert rules.seats_problem([(1, "president")]) == "post"


@given(st.lists(st.tuples(st.integers(1, 20), st.sampled_from(sorted(rules.POSTS))), max_size=12))
def test_seats_are_accepted_only_with_one_chair_and_one_seat_each(seats):
    ok = rules.seats_problem(seats) is None
    members = [m for m, _p in seats]
    assert ok == (len(set(members)) == len(members) and sum(p == "chair" for _m, p in seats) == 1)


def test_a_four_services_contract_needs_a_client_and_a_value():
    assert rules.activity_problems("service", "章丘锻压", D(1000), 5) == {}
    assert rules.activity_problems("service", " ", D(1000), 5) == {"client": "missing"}
    assert rules.activity_problems("transfer", "某厂", None, 5) == {"value": "missing"}
    assert rules.activity_problems("consulting", "某厂", D(-1), 5) == {"value": "negative"}
    assert rules.activity_problems("development", "某厂", D("0.001"), 5) == {"value": "fen"}
    assert rules.activity_problems("exchange", "", None, -1) == {"participants": "range"}
    assert rules.activity_problems("party", "", None, 0) == {"kind": "unknown"}
    assert rules.activity_problems("exchange", "", D(-5), 0) == {"value": "negative"}


def test_activity_states():
    assert rules.next_states("service", "planned") == ("held",)
    assert rules.next_states("service", "held") == ("closed",)
    assert rules.next_states("exchange", "held") == ()
    assert rules.state_problem("exchange", "held", "closed") == "not_four"
    assert rules.state_problem("service", "planned", "closed") == "order"
    assert rules.state_problem("service", "held", "held") == "same"
    assert rules.state_problem("service", "held", "lost") == "unknown"
    assert rules.counts("drill", "held") and rules.counts("service", "closed") and not rules.counts("drill", "planned")


def test_honours_leaving_and_money():
    assert rules.honour_problem("gold_worker", ["gold_worker"], 2020, 2026) is None
    assert rules.honour_problem("nobel", ["gold_worker"], 2020, 2026) == "code"
    assert rules.honour_problem("gold_worker", ["gold_worker"], 2027, 2026) == "year"
    assert rules.leaving_problem(day(2024, 1, 1), day(2023, 1, 1), day(2026, 1, 1)) == "before"
    assert rules.leaving_problem(day(2024, 1, 1), day(2027, 1, 1), day(2026, 1, 1)) == "future"
    assert rules.wan(D(125000)) == D("12.50")
    assert rules.yuan_of_wan(D("12.345678")) == D("123456.78")


@given(st.lists(st.tuples(st.integers(2015, 2030), st.booleans()), max_size=40))
def test_the_members_at_a_years_end_are_the_flows_up_to_it(events):
    """Joining (True) or leaving (False) events by year: the stock from the yearly flows equals a count."""
    flows: dict[int, list[int]] = {}
    for year, joined in events:
        flows.setdefault(year, [0, 0])[0 if joined else 1] += 1
    rows = [(y, j, left) for y, (j, left) in flows.items()]
    for year in range(2014, 2032):
        expected = sum(1 for y, j in events if y <= year and j) - sum(1 for y, j in events if y <= year and not j)
        assert rules.active_at_year_end(rows, year) == expected
