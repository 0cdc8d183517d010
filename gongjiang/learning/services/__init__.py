"""The learning app's verbs (services/): the only writers of its tables — attempts (`attempts`), banks and
questions (`banks`), level challenges, their levels, entering a level, daily and wrong-answer practice
(`challenges`)."""

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

__all__ = ["add_question", "answer", "close_expired", "create_bank", "create_challenge", "edit_question",
           "enter_level", "import_questions", "publish_challenge", "remove_level", "reorder_levels",
           "retire_question", "save_level", "start", "start_mistake_practice", "start_practice", "submit",
           "update_bank", "update_challenge", "withdraw_challenge"]
