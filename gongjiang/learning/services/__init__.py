"""The learning app's verbs (services/): the only writers of its tables — attempts (`attempts`), banks and
questions (`banks`)."""

from .attempts import answer, close_expired, start, submit
from .banks import add_question, create_bank, edit_question, import_questions, retire_question, update_bank

__all__ = ["add_question", "answer", "close_expired", "create_bank", "edit_question", "import_questions",
           "retire_question", "start", "submit", "update_bank"]

from .training import (  # training and mentorship
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

__all__ += ["add_attendees", "add_material", "add_session_files", "complete_material", "edit_session", "end_pair",
            "finish_pair", "record_session", "remove_attendee", "start_pair"]
