"""The learning app's verbs (services/): the only writers of its tables — attempts (`attempts`), banks and
questions (`banks`)."""

from .attempts import answer, close_expired, start, submit
from .banks import add_question, create_bank, edit_question, import_questions, retire_question, update_bank

__all__ = ["add_question", "answer", "close_expired", "create_bank", "edit_question", "import_questions",
           "retire_question", "start", "submit", "update_bank"]
