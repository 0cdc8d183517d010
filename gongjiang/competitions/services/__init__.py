"""The verbs of the competitions app, its only writers: each is `core.services.verb` (atomic, keyword-only
`actor`), re-checks the actor's permission itself (so a page, the API, an import and a task get the same answer),
validates, writes and records an audit event. What pages and the API read is in `queries`, pure calculations in
`rules`. Split by topic:

- `structure`: competitions, stages, events, rounds, marking schemes, state transitions;
- `registration`: registration by workers and units (one, or many at once), approval, waiting list, teams;
- `draws`: witnessed draws, check-in, two-stage anonymisation (参赛号 → 赛位号 → 加密号);
- `judging`: judge pool, assignments, conflicts, mark sheets, marks, sign-off;
- `chief`: the chief judge's side: returning and locking sheets, decryption, re-check and appeal changes;
- `results`: theory scores, re-check selection, public notice, appeals;
- `awards`: finalising a round (advancement, grade promotions, certificates), promotions, revoking a certificate;
- `labour`: labour competitions, the set-up (indicators, units, periods, evaluators);
- `evaluation`: labour competitions, the evaluation (entering, closing periods).

`common` holds the checks the verbs share and `scoring` the steps that compute scores and rankings inside them
(both private). This package is their public face, as `orgs.services` is orgs': callers write
`from gongjiang.competitions import services` and `services.approve_entry(actor=…, entry=…)`.
"""

from __future__ import annotations

from .awards import decide_promotion, finalise_round, revoke_certificate
from .chief import amend_mark, decrypt, lock_entries, lock_entry, return_sheet
from .draws import check_in, draw_codes, draw_contestant_numbers, draw_stations, draw_team_members
from .evaluation import Cell, close_period, enter_evaluation, enter_evaluations
from .judging import add_judge, assign_judge, declare_conflict, enlist_judge, open_marking, save_mark, sign_sheet
from .labour import (
    add_unit,
    appoint_evaluator,
    create_labour_competition,
    open_periods,
    remove_unit,
    set_fund,
    set_indicators,
    withdraw_evaluator,
)
from .registration import approve_entry, form_team, refuse_entry, register, register_bulk, withdraw_entry
from .results import Amendment, decide_appeal, draw_recheck, file_appeal, publish_results, set_theory_scores
from .structure import (
    add_event,
    add_stage,
    change_state,
    create_competition,
    open_rounds,
    set_round_details,
    set_scheme,
    update_competition,
    update_event,
    update_scheme_settings,
)

__all__ = [
    "Amendment",
    "Cell",
    "add_event",
    "add_judge",
    "add_stage",
    "add_unit",
    "amend_mark",
    "appoint_evaluator",
    "approve_entry",
    "assign_judge",
    "change_state",
    "check_in",
    "close_period",
    "create_competition",
    "create_labour_competition",
    "decide_appeal",
    "decide_promotion",
    "declare_conflict",
    "decrypt",
    "draw_codes",
    "draw_contestant_numbers",
    "draw_recheck",
    "draw_stations",
    "draw_team_members",
    "enlist_judge",
    "enter_evaluation",
    "enter_evaluations",
    "file_appeal",
    "finalise_round",
    "form_team",
    "lock_entries",
    "lock_entry",
    "open_marking",
    "open_periods",
    "open_rounds",
    "publish_results",
    "refuse_entry",
    "register",
    "register_bulk",
    "remove_unit",
    "return_sheet",
    "revoke_certificate",
    "save_mark",
    "set_fund",
    "set_indicators",
    "set_round_details",
    "set_scheme",
    "set_theory_scores",
    "sign_sheet",
    "update_competition",
    "update_event",
    "update_scheme_settings",
    "withdraw_entry",
    "withdraw_evaluator",
]
