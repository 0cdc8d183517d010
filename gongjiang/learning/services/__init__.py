"""The learning app's verbs (services/): the only writers of its tables — attempts (`attempts`), banks and
questions (`banks`), level challenges, their levels, entering a level, daily and wrong-answer practice
(`challenges`), training and mentorship (`training`), contests (`contests`) and theory exams (`theory`)."""

from .attempts import answer, close_expired, start, submit
from .banks import add_question, create_bank, edit_question, import_questions, retire_question, update_bank
from .challenges import (
    create_challenge,
    enter_level,
    publish_challenge,
    remove_level,
    reorder_levels,
    save_level,
    start_mistake_practice,
    start_practice,
    update_challenge,
    withdraw_challenge,
)
from .contests import create_contest, edit_contest, enter_contest, publish_contest, publish_results
from .theory import close_theory_exam, create_theory_exam, edit_theory_exam, open_theory_exam, start_theory
from .training import (
    add_attendees,
    add_material,
    add_session_files,
    complete_material,
    edit_session,
    end_pair,
    finish_pair,
    record_session,
    remove_attendee,
    start_pair,
)

__all__ = [
    "add_attendees", "add_material", "add_question", "add_session_files", "answer", "close_expired",
    "close_theory_exam", "complete_material", "create_bank", "create_challenge", "create_contest",
    "create_theory_exam", "edit_contest", "edit_question", "edit_session", "edit_theory_exam", "end_pair",
    "enter_contest", "enter_level", "finish_pair", "import_questions", "open_theory_exam", "publish_challenge",
    "publish_contest", "publish_results", "record_session", "remove_attendee", "remove_level", "reorder_levels",
    "retire_question", "save_level", "start", "start_mistake_practice", "start_pair", "start_practice",
    "start_theory", "submit", "update_bank", "update_challenge", "withdraw_challenge",
]
