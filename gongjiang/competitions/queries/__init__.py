"""The read models of the competitions app, shared by its pages and its API (services/ holds the verbs only, the
pure calculations are in rules/). Nothing here writes. Split by topic like the services:

- `structure`: who runs a stage, a stored marking scheme as the rules see it, whether it may still change;
- `judging`: calibration (each judge against the panel), a judge's own marks against the panel's;
- `chief`: the chief judge's board, sheets by state, the changes made after the lock;
- `results`: an event's prize rule, a round's ranking as the rules see it, its theory scores.

This package is their public face: callers write `from gongjiang.competitions import queries` and
`queries.calibration(rnd)`.
"""

from __future__ import annotations

from .chief import AMENDED_VERBS, amendments, sheet_progress
from .judging import BINS, CALIBRATED_KINDS, calibration, judge_distribution
from .results import DEFAULT_PRIZE_RULE, placed_entries, prize_rule
from .structure import (
    LEVEL_KINDS,
    aspect_of,
    aspect_rows,
    candidate_organisers,
    default_organisers,
    default_organisers_by_stage,
    scheme_locked,
    scheme_of,
)

__all__ = [
    "AMENDED_VERBS",
    "BINS",
    "CALIBRATED_KINDS",
    "DEFAULT_PRIZE_RULE",
    "LEVEL_KINDS",
    "amendments",
    "aspect_of",
    "aspect_rows",
    "calibration",
    "candidate_organisers",
    "default_organisers",
    "default_organisers_by_stage",
    "judge_distribution",
    "placed_entries",
    "prize_rule",
    "scheme_locked",
    "scheme_of",
    "sheet_progress",
]
