"""The read models of the competitions app, shared by its pages and its API: services/ holds the verbs only, the
pure calculations are in rules/, and nothing here writes. Split by topic like the services:

- `structure`: who runs a stage; a stored marking scheme as the rules see it, whether it may still change;
- `registration`: the rules' view of an event and a person, the round one enters, what registering would give;
- `planner`: many registrations decided at once in a few queries (the pages' previews, the bulk import);
- `draws`: what a draw is for, whether the 加密号 draw is sealed, re-running a recorded draw;
- `judging`: calibration (each judge against the panel), a judge's own marks against the panel's;
- `chief`: the chief judge's board, sheets by state, the changes made after the lock;
- `results`: an event's prize rule, a round's ranking as the rules see it;
- `awards`: who awards a certificate;
- `analysis`: where contestants are weak, participation up the org tree;
- `people`: a person's competitions, for the person page and the worker's own record;
- `labour` and `evaluation`: labour competitions — evaluators, indicators, a period's sheet, the year's table.

This package is their public face: callers write `from gongjiang.competitions import queries` and
`queries.calibration(rnd)`, as they write `services.approve_entry(actor=…, entry=…)` for a verb.
"""

from __future__ import annotations

from .analysis import AspectStats, ParticipationRow, aspect_analysis, participation
from .awards import certificate_issuer
from .chief import AMENDED_VERBS, BOARD_SHOWS, amendments, board_entries, board_rows, panel_calibration, sheet_progress
from .draws import (
    CODE,
    CONTESTANT_NO,
    OTHER,
    RECHECK,
    STATION,
    TEAM,
    RerunReport,
    is_sealed,
    purpose_key,
    rerun,
    rerun_report,
    result_digest,
    round_draws,
)
from .evaluation import (
    YEAR_METHODS,
    PeriodSheet,
    SheetRow,
    SplitLine,
    YearRow,
    YearTable,
    is_individual,
    period_sheet,
    year_table,
)
from .judging import BINS, CALIBRATED_KINDS, calibration, judge_distribution
from .labour import UNIT_KINDS, indicator_set, is_evaluator
from .people import PersonEntry, person_competitions
from .planner import Planned, Planner, preview_events, preview_people
from .registration import (
    STATUS_OF,
    candidate,
    check_open,
    city_path_of,
    deepest_covering,
    event_rules,
    place_counts,
    preview,
    round_for,
    round_for_unit,
    team_candidates,
)
from .results import DEFAULT_PRIZE_RULE, placed_entries, prize_rule, theory_sheet
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
    "BOARD_SHOWS",
    "CALIBRATED_KINDS",
    "CODE",
    "CONTESTANT_NO",
    "DEFAULT_PRIZE_RULE",
    "LEVEL_KINDS",
    "OTHER",
    "RECHECK",
    "STATION",
    "STATUS_OF",
    "TEAM",
    "UNIT_KINDS",
    "YEAR_METHODS",
    "AspectStats",
    "ParticipationRow",
    "PeriodSheet",
    "PersonEntry",
    "Planned",
    "Planner",
    "RerunReport",
    "SheetRow",
    "SplitLine",
    "YearRow",
    "YearTable",
    "amendments",
    "aspect_analysis",
    "aspect_of",
    "aspect_rows",
    "board_entries",
    "board_rows",
    "calibration",
    "candidate",
    "candidate_organisers",
    "certificate_issuer",
    "check_open",
    "city_path_of",
    "deepest_covering",
    "default_organisers",
    "default_organisers_by_stage",
    "event_rules",
    "indicator_set",
    "is_evaluator",
    "is_individual",
    "is_sealed",
    "judge_distribution",
    "panel_calibration",
    "participation",
    "period_sheet",
    "person_competitions",
    "place_counts",
    "placed_entries",
    "preview",
    "preview_events",
    "preview_people",
    "prize_rule",
    "purpose_key",
    "rerun",
    "rerun_report",
    "result_digest",
    "round_draws",
    "round_for",
    "round_for_unit",
    "scheme_locked",
    "scheme_of",
    "sheet_progress",
    "team_candidates",
    "theory_sheet",
    "year_table",
]
