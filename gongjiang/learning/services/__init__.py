"""The learning app's verbs (the only writers): one module per part."""

from .contests import create_contest, edit_contest, enter_contest, publish_contest, publish_results
from .theory import close_theory_exam, create_theory_exam, edit_theory_exam, open_theory_exam, start_theory

__all__ = [
    "close_theory_exam", "create_contest", "create_theory_exam", "edit_contest", "edit_theory_exam", "enter_contest",
    "open_theory_exam", "publish_contest", "publish_results", "start_theory",
]
