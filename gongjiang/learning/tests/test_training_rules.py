"""The pure checks of sessions and pairs (rules.training)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from gongjiang.learning.rules import training as rules


@pytest.fixture(autouse=True)
def _english_messages():
    """This part's tests read the Chinese messages the users get (overrides the package's English switch)."""
    yield

D = datetime.date


def test_a_session_ending_before_it_starts_is_refused_on_its_end():
    errors = rules.session_problems(D(2026, 5, 2), D(2026, 5, 1), Decimal(8))
    assert set(errors) == {"ends_on"}
    assert "2026-05-01" in errors["ends_on"]


def test_hours_must_fit_the_days():
    assert rules.session_problems(D(2026, 5, 1), D(2026, 5, 1), Decimal(24)) == {}
    assert set(rules.session_problems(D(2026, 5, 1), D(2026, 5, 1), Decimal("24.5"))) == {"hours"}
    assert rules.session_problems(D(2026, 5, 1), D(2026, 5, 2), Decimal(40)) == {}


@pytest.mark.parametrize("hours", [None, Decimal(0), Decimal(-1), Decimal("1000"), Decimal("1.25")])
def test_bad_hours(hours):
    assert rules.hours_problem(hours)


@pytest.mark.parametrize("text,value", [("8", Decimal(8)), (" 1.5 ", Decimal("1.5")), ("2.0", Decimal(2))])
def test_parse_hours(text, value):
    assert rules.parse_hours(text) == value


@pytest.mark.parametrize("text", ["八", "", "nan", "inf", "0", "1.25", "-2"])
def test_parse_hours_refuses(text):
    with pytest.raises(ValueError):
        rules.parse_hours(text)


def test_pair_problems():
    assert rules.pair_problems(1, 2, D(2026, 1, 1), None) == {}
    assert set(rules.pair_problems(1, 1, D(2026, 1, 1), None)) == {"apprentice"}
    assert set(rules.pair_problems(1, 2, D(2026, 1, 2), D(2026, 1, 1))) == {"ends_on"}
    assert set(rules.pair_problems(None, None, None, None)) == {"mentor", "apprentice", "starts_on"}


def test_close_problems():
    today = D(2026, 6, 1)
    assert rules.close_problems(D(2026, 1, 1), D(2026, 5, 1), today) == {}
    assert set(rules.close_problems(D(2026, 1, 1), D(2025, 12, 31), today)) == {"on"}
    assert set(rules.close_problems(D(2026, 1, 1), D(2026, 6, 2), today)) == {"on"}
    assert set(rules.close_problems(D(2026, 1, 1), None, today)) == {"on"}


def test_person_hours():
    assert rules.person_hours([Decimal("1.5"), Decimal(8)]) == Decimal("9.5")
    assert rules.person_hours([]) == 0
