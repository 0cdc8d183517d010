"""Pure rules of the honours (no ORM): who may be nominated for an honour (`eligibility`) and how quotas pass down
the tree and admit a nomination (`quotas`)."""

from . import eligibility, quotas

__all__ = ["eligibility", "quotas"]
