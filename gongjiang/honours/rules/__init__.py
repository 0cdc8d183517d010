"""Pure rules of the honours (no ORM): who may be nominated for an honour (`eligibility`), how quotas pass down
the tree and admit a nomination (`quotas`), the holders' status changes and age bands (`roster`) and how a studio's
yearly assessment is scored (`studios`)."""

from . import eligibility, quotas, roster, studios

__all__ = ["eligibility", "quotas", "roster", "studios"]
