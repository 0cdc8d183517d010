"""Pure rules of the honours (no ORM): who may be nominated for an honour (`eligibility`) and how quotas pass down
the tree and admit a nomination (`quotas`), the holders' status changes and age bands (`roster`)."""

from . import eligibility, quotas, roster

__all__ = ["eligibility", "quotas", "roster"]
