"""The learning app's verbs (services/): the only writers of its tables, by topic: `attempts` (the attempt engine),
`challenges` (level challenges, their levels, entering a level, daily and wrong-answer practice)."""

from .attempts import answer, close_expired, start, submit
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

__all__ = [
    "answer",
    "close_expired",
    "create_challenge",
    "enter_level",
    "publish_challenge",
    "remove_level",
    "reorder_levels",
    "save_level",
    "start",
    "start_mistake_practice",
    "start_practice",
    "submit",
    "update_challenge",
    "withdraw_challenge",
]
