"""The learning app's verbs (services/): the only writers of its tables — attempts (`attempts`), banks and
questions (`banks`), training and mentorship (`training`), contests (`contests`) and theory exams (`theory`)."""

from .attempts import answer, close_expired, start, submit
from .banks import add_question, create_bank, edit_question, import_questions, retire_question, update_bank
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
    "close_theory_exam", "complete_material", "create_bank", "create_contest", "create_theory_exam", "edit_contest",
    "edit_question", "edit_session", "edit_theory_exam", "end_pair", "enter_contest", "finish_pair",
    "import_questions", "open_theory_exam", "publish_contest", "publish_results", "record_session",
    "remove_attendee", "retire_question", "start", "start_pair", "start_theory", "submit", "update_bank",
]
