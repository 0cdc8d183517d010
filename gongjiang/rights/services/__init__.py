"""The rights verbs, the only writers (DESIGN §4.13): congresses and their delegates, sessions, motions and matters,
厂务公开, employee directors and supervisors; collective contracts; 要约 campaigns and offers."""

from .cases import (
    accept_case,
    add_case_documents,
    add_case_note,
    advance_case,
    close_case,
    export_cases,
    file_case,
    open_case,
    transfer_case,
)
from .contracts import (
    advance_offer,
    draft_contract,
    file_contract,
    open_bargaining_campaign,
    send_offers,
    sign_contract,
    terminate_contract,
)
from .democracy import (
    elect_board_seat,
    elect_delegates,
    end_board_seat,
    handle_motion,
    hold_session,
    publish_openness,
    record_congress,
    record_matter,
    remove_delegate,
    submit_motion,
)
from .protection import (
    add_hazards,
    close_check,
    close_hazard,
    confer_ankang_awards,
    enter_ankang,
    evaluate_ankang,
    open_ankang,
    record_check,
    record_indicators,
)

CASE_VERBS = ["accept_case", "add_case_documents", "add_case_note", "advance_case", "close_case", "export_cases",
              "file_case", "open_case", "transfer_case"]

__all__ = [
    "accept_case",
    "add_case_documents",
    "add_case_note",
    "advance_case",
    "advance_offer",
    "close_case",
    "draft_contract",
    "elect_board_seat",
    "elect_delegates",
    "end_board_seat",
    "export_cases",
    "file_case",
    "file_contract",
    "handle_motion",
    "hold_session",
    "open_bargaining_campaign",
    "open_case",
    "publish_openness",
    "record_congress",
    "record_matter",
    "remove_delegate",
    "send_offers",
    "sign_contract",
    "submit_motion",
    "terminate_contract",
    "transfer_case",
]
__all__ += ["add_hazards", "close_check", "close_hazard", "confer_ankang_awards", "enter_ankang", "evaluate_ankang",
            "open_ankang", "record_check", "record_indicators"]
