"""API endpoints of orgs, people, transfers, imports and tokens."""

from ninja import Router

router = Router(tags=["orgs"])
