"""The learning app's verbs (services/): the only writers of its tables."""

from .attempts import answer, close_expired, start, submit
from .contests import create_contest, edit_contest, enter_contest, publish_contest, publish_results
from .theory import close_theory_exam, create_theory_exam, edit_theory_exam, open_theory_exam, start_theory

__all__ = ["answer", "close_expired", "start", "submit"]
__all__ += [
    "close_theory_exam", "create_contest", "create_theory_exam", "edit_contest", "edit_theory_exam", "enter_contest",
    "open_theory_exam", "publish_contest", "publish_results", "start_theory",
]
