"""The honours' read models, shared by the pages and the API: campaigns and their quota tables (`campaigns`),
nominations (`nominations`), the roster of holders (`roster`), review
panels (`panels`), studios (`studios`)."""

from . import campaigns, nominations, panels, roster, studios
from .campaigns import allocation_for, campaigns_for, lower_unions, quota_table
from .nominations import detail, nominations_for

__all__ = ["allocation_for", "campaigns", "campaigns_for", "detail", "lower_unions", "nominations",
           "nominations_for", "panels", "quota_table", "roster", "studios"]
