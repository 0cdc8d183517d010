"""The roster's pure rules: the status changes allowed, what a revocation needs, what a holder counts for, the age
bands (unit and hypothesis property tests)."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from gongjiang.honours.rules import roster as r

TODAY = datetime.date(2026, 12, 7)


def codes(problems):
    return [p.code for p in problems]


def test_a_person_moves_retires_and_dies_but_never_comes_back_from_retirement():
    assert r.allowed("person", "active", "retired") and r.allowed("person", "retired", "deceased")
    assert r.allowed("person", "moved", "active") and r.allowed("person", "moved", "moved")
    assert not r.allowed("person", "retired", "active") and not r.allowed("person", "deceased", "retired")


def test_a_collective_is_active_until_revoked():
    assert not r.allowed("collective", "active", "retired") and r.allowed("collective", "active", "revoked")
    assert not r.allowed("org", "active", "deceased")


def test_revoked_is_final_and_reachable_from_any_other_status():
    for s in r.STATUSES:
        assert r.allowed("person", s, "revoked") == (s != "revoked")
        assert not r.allowed("person", "revoked", s)
    assert codes(r.change_problems("person", "revoked", "active", TODAY, conferred=2020, last=None,
                                   today=TODAY)) == ["revoked"]


def test_a_change_is_dated_in_the_past_after_the_conferral_and_the_last_change():
    kw = {"conferred": 2020, "today": TODAY}
    assert r.change_problems("person", "active", "retired", TODAY, last=None, **kw) == []
    assert codes(r.change_problems("person", "active", "retired", None, last=None, **kw)) == ["no_date"]
    assert codes(r.change_problems("person", "active", "retired", TODAY + datetime.timedelta(days=1), last=None,
                                   **kw)) == ["future"]
    assert codes(r.change_problems("person", "active", "retired", datetime.date(2019, 5, 1), last=None,
                                   **kw)) == ["before_conferral"]
    assert codes(r.change_problems("person", "moved", "retired", datetime.date(2021, 5, 1),
                                   last=datetime.date(2022, 1, 1), **kw)) == ["before_last"]
    assert codes(r.change_problems("person", "active", "active", TODAY, last=None, **kw)) == ["transition"]


def test_a_revocation_needs_its_reason_decision_and_body_all_listed():
    assert codes(r.revoke_problems("", " ", False)) == ["no_reason", "no_document", "no_body"]
    assert r.revoke_problems("提供虚假材料", "鲁工发〔2026〕3号", True) == []


def test_what_a_holder_counts_for():
    assert r.counts("active") == (1, 1, 1, 0)
    assert r.counts("retired") == (1, 1, 0, 0) and r.counts("moved") == (1, 1, 0, 0)
    assert r.counts("deceased") == (1, 0, 0, 0)
    assert r.counts("revoked") == (0, 0, 0, 1)


@given(st.integers(1930, 2010), st.integers(2000, 2040))
def test_the_birth_years_of_a_band_are_exactly_those_in_it(birth, year):
    band = r.age_band(birth, year)
    for code, _low, _high in r.AGE_BANDS:
        low, high = r.birth_years(code, year)
        inside = (low is None or birth >= low) and (high is None or birth <= high)
        assert inside == (band == code)


@given(st.sampled_from(r.STATUSES), st.sampled_from(r.STATUSES), st.sampled_from(["person", "collective", "org"]))
def test_counts_never_grow_on_a_change_towards_the_end(old, new, subject):
    """holders ≥ alive ≥ active for every status, and a revocation takes a holder out of every counter."""
    h, a, c, revoked = r.counts(new)
    assert h >= a >= c >= 0 and h + revoked == 1  # every title counts once: held or revoked
    if r.allowed(subject, old, new) and new == "revoked":
        assert r.counts(new) == (0, 0, 0, 1)
