"""The learning app's verbs (services/): the only writers of its tables."""

from .attempts import answer, close_expired, start, submit

__all__ = ["answer", "close_expired", "start", "submit"]
