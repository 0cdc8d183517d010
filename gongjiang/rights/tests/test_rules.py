"""The pure rules: quorum, delegate shares, terms, contract terms and overlaps, expiry, what an enterprise must
have."""

from __future__ import annotations

import datetime
from fractions import Fraction

from gongjiang.rights.rules import congress, contracts, requirements

D = datetime.date


def test_quorum_is_two_thirds_rounded_up():
    assert [congress.quorum(n) for n in (1, 2, 3, 9, 10, 100)] == [1, 2, 2, 6, 7, 67]
    assert congress.quorate(9, 6) and not congress.quorate(9, 5)
    assert not congress.quorate(0, 0)


def test_shares_of_front_line_women_and_migrants():
    s = congress.shares([(True, True, False), (True, False, True), (False, False, False), (False, True, False)])
    assert s.delegates == 4
    assert (s.front_line, s.women, s.migrant) == (Fraction(1, 2), Fraction(1, 2), Fraction(1, 4))
    assert s.front_line_ok
    assert congress.percent(s.migrant) == "25%"
    assert congress.shares([]).delegates == 0 and not congress.shares([]).front_line_ok


def test_term_end_and_years():
    assert congress.term_end(D(2024, 3, 1), 3) == D(2027, 2, 28)
    assert congress.term_end(D(2024, 2, 29), 5) == D(2029, 2, 27)
    assert list(congress.years_touched(D(2024, 3, 1), D(2027, 2, 28))) == [2024, 2025, 2026, 2027]


def test_contract_terms():
    assert contracts.term_problem(D(2026, 1, 1), D(2025, 12, 31)) == "before"
    assert contracts.term_problem(D(2026, 1, 1), D(2028, 12, 31)) is None
    assert contracts.term_problem(D(2026, 1, 1), D(2029, 1, 1)) == "long"
    assert contracts.term_problem(D(2026, 1, 1), D(2026, 1, 1)) is None


def test_overlaps_share_a_day():
    old = contracts.Term(1, D(2024, 1, 1), D(2026, 12, 31))
    assert contracts.overlapping(contracts.Term(None, D(2026, 12, 31), D(2027, 6, 30)), [old]) == [old]
    assert contracts.overlapping(contracts.Term(None, D(2027, 1, 1), D(2029, 12, 31)), [old]) == []
    assert contracts.overlapping(contracts.Term(None, D(2023, 1, 1), D(2023, 12, 31)), [old]) == []
    assert contracts.overlapping(contracts.Term(1, D(2024, 1, 1), D(2026, 12, 31)), [old]) == []  # itself


def test_expiring_within_ninety_days():
    today = D(2026, 12, 7)
    assert contracts.expiring(D(2027, 3, 7), today)
    assert not contracts.expiring(D(2027, 3, 8), today)
    assert contracts.expiring(today, today)
    assert not contracts.expiring(D(2026, 12, 6), today)


def test_what_an_enterprise_must_have():
    assert requirements.required("state", 50) == requirements.Required("assembly", True, True)
    assert requirements.required("private", 40) == requirements.Required("assembly", False, False)
    assert requirements.required("private", 300) == requirements.Required("congress", True, True)
    assert requirements.required("collective", 150) == requirements.Required("congress", False, True)
    assert requirements.required("institution", 5000) == requirements.Required("congress", False, False)
    assert requirements.non_public("foreign") and not requirements.non_public("state")
