"""The learning app's verbs (services/): the only writers of its tables."""

from .attempts import answer, close_expired, start, submit

__all__ = ["answer", "close_expired", "start", "submit"]

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
