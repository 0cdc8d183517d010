"""Reads of the org tree that pages and the API share."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from ..models import Org


def reach_q(org: Org, prefix: str = "") -> Q:
    """Rows whose org (through `prefix`, e.g. "employer__") lies in what `org` reaches: its regional subtree and,
    for an industry union, the subtrees of its affiliated units (`industry_path`), as a role on it covers them."""
    return Q(**{f"{prefix}path__startswith": org.path}) | Q(**{f"{prefix}industry_path__startswith": org.path})


def with_subtree_totals(orgs: Iterable[Org]) -> None:
    """Set `subtree_people`, `subtree_members` and `subtree_units` on each org from its pre-aggregated subtree
    counters (`counters.py`): never a count over people."""
    for org in orgs:
        org.subtree_people, org.subtree_members, org.subtree_units = org.tree_people, org.tree_members, org.tree_orgs
