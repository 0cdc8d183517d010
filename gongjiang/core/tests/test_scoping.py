"""The scoping kernel's value type: a scope is subtree roots or explicitly everything, and what it covers follows
the regional path and the industry path alike."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongjiang.core.scoping import EVERYTHING, NOTHING, Scope, ancestors, covers

segment = st.text(alphabet="0123456789AB", min_size=4, max_size=4)
paths = st.lists(segment, min_size=1, max_size=5).map("".join)


def test_nested_roots_collapse_to_the_widest():
    assert Scope.of(["00010001", "0001000100020003", "00020004", "00010001"]).paths == ("00010001", "00020004")


@given(st.lists(paths, max_size=6), paths, paths)
def test_a_scope_covers_exactly_what_lies_below_one_of_its_roots(roots, path, industry_path):
    scope = Scope.of(roots)
    expected = any(path.startswith(r) or industry_path.startswith(r) for r in roots)
    assert scope.covers(path, industry_path) is expected
    assert scope.covers_regionally(path) is any(path.startswith(r) for r in roots)


@given(paths, paths)
def test_everything_covers_all_and_nothing_covers_none(path, industry_path):
    assert EVERYTHING.covers(path, industry_path) and EVERYTHING.covers_regionally(path)
    assert not NOTHING.covers(path, industry_path) and not NOTHING.covers_regionally(path)


def test_everything_is_a_state_of_its_own():
    assert EVERYTHING.everything and not EVERYTHING.is_empty and EVERYTHING.roots is None
    assert NOTHING.is_empty and NOTHING.roots == ()
    whole = Scope.of(["0001"]).whole()
    assert whole.everything and whole.roots == ("0001",)  # a province's role: every row, yet a role of its own


@given(paths)
def test_ancestors_run_from_the_root_down(path):
    chain = ancestors(path, 4)
    assert chain[-1] == path and all(covers(a, path) for a in chain)
    assert [len(a) for a in chain] == list(range(4, len(path) + 1, 4))
    assert ancestors(path, 4, include_self=False) == chain[:-1]


def test_covers_needs_a_root():
    assert not covers("", "0001")
