"""Pure rules of the honours (no ORM): who may be nominated for an honour (`eligibility`), how quotas pass down
the tree and admit a nomination (`quotas`) and how a studio's yearly assessment is scored (`studios`)."""

from . import eligibility, quotas, studios

__all__ = ["eligibility", "quotas", "studios"]
