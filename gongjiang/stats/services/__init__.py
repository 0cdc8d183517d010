"""The statistics app's verbs (DESIGN §4.13): only the annual report's narrative is written here."""

from .reports import save_narrative

__all__ = ["save_narrative"]
