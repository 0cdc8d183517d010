"""The pure rules of the review (rules.quotas): forwarding within a level's quota and reserves, and where a return
goes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.honours.rules import quotas as q

COUNTY = q.Share(2, {"non_public": 1})


def codes(found):
    return [p.code for p in found]


def test_a_county_forwards_within_its_quota():
    assert q.forward_problems(COUNTY, q.Used(), frozenset({"non_public"})) == []
    assert q.forward_problems(COUNTY, q.Used(1, {"non_public": 1}), frozenset()) == []


def test_forwarding_over_the_quota_names_the_numbers():
    found = q.forward_problems(COUNTY, q.Used(2, {"non_public": 1}), frozenset({"non_public"}), org="历下区总工会")
    assert codes(found) == ["forward_over_quota"]
    assert found[0].params == {"org": "历下区总工会", "quota": 2, "used": 2, "others": 0}


def test_forwarding_that_breaks_a_reserve_names_it():
    found = q.forward_problems(COUNTY, q.Used(1), frozenset({"front_line"}), org="历下区总工会")
    assert codes(found) == ["forward_reserved"]
    assert found[0].params["kind"] == "non_public" and found[0].params["reserve"] == 1
    assert found[0].params["others"] == 1 and found[0].params["quota"] == 2


def test_the_leaders_cap_holds_on_the_shortlist():
    found = q.forward_problems(q.Share(10), q.Used(3, {"leader": 1}), frozenset({"leader"}), cap=1)
    assert codes(found) == ["leader_cap"]


def test_a_return_goes_one_step_down_or_to_the_unit():
    chain = [1, 5, 9]  # province, city, county
    assert q.step_below(chain, 1) == 5
    assert q.step_below(chain, 5) == 9
    assert q.step_below(chain, 9) is None
    with pytest.raises(ValueError):
        q.step_below(chain, 7)


kinds = st.frozensets(st.sampled_from(q.KINDS))


@given(quota=st.integers(0, 12), reserve=st.integers(0, 12), wanted=st.lists(kinds, max_size=20))
def test_what_is_forwarded_one_by_one_never_breaks_the_quota_or_the_reserve(quota, reserve, wanted):
    """Forward each nominee the rule accepts: the total never exceeds the quota and the others never take the
    reserved places; a refused one is refused for a reason the numbers show."""
    share = q.Share(quota, {"non_public": min(reserve, quota)})
    used = q.Used()
    for k in wanted:
        found = q.forward_problems(share, used, k)
        if not found:
            used = used.plus(k)
        else:
            assert used.total >= share.quota or (
                "non_public" not in k and used.total + 1 - used.of("non_public") > share.quota
                - share.reserved("non_public"))
        assert used.total <= share.quota
        assert used.total - used.of("non_public") <= share.quota - share.reserved("non_public")


@given(chain=st.lists(st.integers(1, 10**6), min_size=1, max_size=6, unique=True), data=st.data())
def test_step_below_walks_the_chain_down_to_the_unit(chain, data):
    at = data.draw(st.sampled_from(chain))
    below = q.step_below(chain, at)
    steps = 0
    while below is not None:
        assert chain.index(below) == chain.index(at) + 1
        at, below = below, q.step_below(chain, below)
        steps += 1
    assert at == chain[-1] and steps <= len(chain) - 1
