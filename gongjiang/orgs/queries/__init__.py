"""The read models of the orgs app shared by its pages and its API (services/ holds the verbs only; permission
questions are methods of the models, pure rules are in rules.py). Nothing here writes.

- `orgs`: what an org reaches (its regional subtree and, for an industry union, its affiliates' subtrees) as a
  filter, its units by kind and its children's figures read from the pre-aggregated counters, and the search
  every org picker uses.
- `people`: the one search behaviour of every box that finds a worker (name part, last four of the ID number,
  mobile tail, a whole ID or mobile number) and the unit path a list shows beside a worker.

This package is their public face, as `services` is the verbs': `from gongjiang.orgs import queries` and
`queries.reach_q(org, "employer__")`, `queries.people_matching(qs, q)`; other apps import it like that too.
"""

from __future__ import annotations

from .orgs import orgs_q, page_org, reach_q, units_by_kind, with_subtree_totals
from .people import COUNT_CAP, people_matching, people_q, search_problem, with_unit_paths

__all__ = [
    "COUNT_CAP",
    "orgs_q",
    "page_org",
    "people_matching",
    "people_q",
    "reach_q",
    "search_problem",
    "units_by_kind",
    "with_subtree_totals",
    "with_unit_paths",
]
