"""The learning read models, shared by the pages and the API: `challenges` (banks a union may use, a worker's map
of levels and progress, the wrong-answer notebook, the leaderboards)."""

from . import challenges

__all__ = ["challenges"]
