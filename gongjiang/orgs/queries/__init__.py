"""The read models of the orgs app shared by its pages and its API (services/ holds the verbs only; permission
questions are methods of the models, pure rules are in rules.py). Nothing here writes.

- `orgs`: what an org reaches (its regional subtree and, for an industry union, its affiliates' subtrees) as a
  filter, and its children's figures read from the pre-aggregated counters.

This package is their public face, as `services` is the verbs': `from gongjiang.orgs import queries` and
`queries.reach_q(org, "employer__")`.
"""

from __future__ import annotations

from .orgs import reach_q, with_subtree_totals

__all__ = [
    "reach_q",
    "with_subtree_totals",
]
