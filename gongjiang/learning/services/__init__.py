"""The learning verbs (the only writers of the app), by topic: `challenges` (level challenges, their levels,
entering a level, daily and wrong-answer practice)."""

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

__all__ = ["create_challenge", "enter_level", "publish_challenge", "remove_level", "reorder_levels", "save_level",
           "start_mistake_practice", "start_practice", "update_challenge", "withdraw_challenge"]
