"""The learning app's verbs (the only writers): banks and questions (`banks`)."""

from .banks import add_question, create_bank, edit_question, import_questions, retire_question, update_bank

__all__ = ["add_question", "create_bank", "edit_question", "import_questions", "retire_question", "update_bank"]
