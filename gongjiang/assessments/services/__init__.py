"""The assessments' verbs, the only writers (DESIGN §4.13): rubrics, campaigns, sheets (self-assessment and review),
ranking and publication, appeals."""

from .campaigns import open_campaign, publish_campaign, rank_campaign, refresh_figures
from .rubrics import define_rubric, revise_rubric
from .sheets import (
    add_evidence,
    confirm_sheet,
    decide_appeal,
    file_appeal,
    return_sheet,
    review_item,
    save_answers,
    submit_sheet,
)

__all__ = ["add_evidence", "confirm_sheet", "decide_appeal", "define_rubric", "file_appeal", "open_campaign",
           "publish_campaign", "rank_campaign", "refresh_figures", "return_sheet", "review_item", "revise_rubric",
           "save_answers", "submit_sheet"]
